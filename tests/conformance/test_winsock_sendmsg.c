/*
 * WSASendMsg (exported and through WSAID_WSASENDMSG), WSARecvEx's
 * MSG_PARTIAL, WSAConnectByNameA and WSAConnectByList, the extension
 * pointers WSAID_WSAPOLL hands out, and SIO_BASE_HANDLE.
 */
#include "conformance.h"

#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

static SOCKET udp_bound(SOCKADDR_IN *addr)
{
    SOCKET s = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    assert_true(s != INVALID_SOCKET);
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (SOCKADDR *)addr, sizeof(*addr)), 0);
    int len = sizeof(*addr);
    assert_int_equal(getsockname(s, (SOCKADDR *)addr, &len), 0);
    return s;
}

static void *extension(SOCKET s, GUID guid)
{
    void *fn = NULL;
    DWORD got = 0;
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn,
                              sizeof(fn), &got, NULL, NULL), 0);
    assert_non_null(fn);
    return fn;
}

static void test_sendmsg_datagram(void **state)
{
    (void)state;
    SOCKADDR_IN raddr, saddr, from;
    SOCKET r = udp_bound(&raddr), s = udp_bound(&saddr);
    char one[] = "hello ", two[] = "world";
    WSABUF bufs[2] = { { 6, one }, { 5, two } };
    WSAMSG msg;
    memset(&msg, 0, sizeof(msg));
    msg.name = (LPSOCKADDR)&raddr;
    msg.namelen = sizeof(raddr);
    msg.lpBuffers = bufs;
    msg.dwBufferCount = 2;
    DWORD sent = 0;
    assert_int_equal(WSASendMsg(s, &msg, 0, &sent, NULL, NULL), 0);
    assert_int_equal(sent, 11);
    char got[32];
    int fromlen = sizeof(from);
    assert_int_equal(recvfrom(r, got, sizeof(got), 0, (SOCKADDR *)&from, &fromlen), 11);
    assert_memory_equal(got, "hello world", 11);
    assert_int_equal(from.sin_port, saddr.sin_port);

    /* Overlapped, through the extension pointer. */
    GUID id = WSAID_WSASENDMSG;
    LPFN_WSASENDMSG fn = (LPFN_WSASENDMSG)extension(s, id);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    int rc = fn(s, &msg, 0, NULL, &ov, NULL);
    assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    DWORD bytes = 0, flags = 0;
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 11);
    assert_int_equal(recvfrom(r, got, sizeof(got), 0, NULL, NULL), 11);
    WSACloseEvent(ov.hEvent);

    WSASetLastError(0);
    assert_int_equal(WSASendMsg(s, NULL, 0, &sent, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(r);
    closesocket(s);
}

static void test_recvex_partial_datagram(void **state)
{
    (void)state;
    SOCKADDR_IN raddr, saddr;
    SOCKET r = udp_bound(&raddr), s = udp_bound(&saddr);
    assert_int_equal(sendto(s, "0123456789", 10, 0, (SOCKADDR *)&raddr, sizeof(raddr)), 10);
    char buf[4];
    int flags = 0;
    assert_int_equal(WSARecvEx(r, buf, sizeof(buf), &flags), 4);
    assert_int_equal(flags, MSG_PARTIAL);
    assert_memory_equal(buf, "0123", 4);
    assert_int_equal(sendto(s, "ab", 2, 0, (SOCKADDR *)&raddr, sizeof(raddr)), 2);
    flags = 0;
    assert_int_equal(WSARecvEx(r, buf, sizeof(buf), &flags), 2);
    assert_int_equal(flags, 0);
    assert_int_equal(WSARecvEx(r, buf, sizeof(buf), NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(r);
    closesocket(s);
}

static void test_connect_by_name_and_list(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    char port[16];
    snprintf(port, sizeof(port), "%u", ntohs(((SOCKADDR_IN *)&addr)->sin_port));
    SOCKET c = new_tcp_socket(AF_INET);
    SOCKADDR_IN local, remote;
    DWORD local_len = sizeof(local), remote_len = sizeof(remote);
    TIMEVAL tv = { 5, 0 };
    assert_true(WSAConnectByNameA(c, "127.0.0.1", port, &local_len, (LPSOCKADDR)&local, &remote_len,
                                  (LPSOCKADDR)&remote, &tv, NULL));
    assert_int_equal(remote_len, sizeof(SOCKADDR_IN));
    assert_int_equal(remote.sin_port, ((SOCKADDR_IN *)&addr)->sin_port);
    assert_int_equal(local.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    SOCKET a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    /* The socket is still blocking: a recv waits (here: for the byte). */
    assert_int_equal(send(a, "x", 1, 0), 1);
    char b;
    assert_int_equal(recv(c, &b, 1, 0), 1);
    closesocket(a);
    closesocket(c);

    SOCKADDR_IN nobody;
    memcpy(&nobody, &addr, sizeof(nobody));
    SOCKET_ADDRESS_LIST list;
    list.iAddressCount = 1;
    list.Address[0].lpSockaddr = (LPSOCKADDR)&addr;
    list.Address[0].iSockaddrLength = addrlen;
    c = new_tcp_socket(AF_INET);
    assert_true(WSAConnectByList(c, &list, NULL, NULL, NULL, NULL, &tv, NULL));
    a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    closesocket(a);
    closesocket(c);
    closesocket(l);   /* now refused */
    c = new_tcp_socket(AF_INET);
    WSASetLastError(0);
    assert_false(WSAConnectByList(c, &list, NULL, NULL, NULL, NULL, &tv, NULL));
    assert_int_equal(WSAGetLastError(), WSAECONNREFUSED);
    assert_false(WSAConnectByNameA(c, "127.0.0.1", port, NULL, NULL, NULL, NULL, NULL, (LPWSAOVERLAPPED)&tv));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    closesocket(c);
    (void)nobody;
}

static void test_poll_pointer_and_base_handle(void **state)
{
    (void)state;
    SOCKADDR_IN addr;
    SOCKET s = udp_bound(&addr);
    GUID id = WSAID_WSAPOLL;
    LPFN_WSAPOLL poll_fn = (LPFN_WSAPOLL)extension(s, id);
    WSAPOLLFD p = { s, POLLWRNORM, 0 };
    assert_int_equal(poll_fn(&p, 1, 0), 1);
    assert_int_equal(p.revents, POLLWRNORM);
    DWORD codes[] = { SIO_BASE_HANDLE, SIO_BSP_HANDLE, SIO_BSP_HANDLE_SELECT, SIO_BSP_HANDLE_POLL };
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        SOCKET base = INVALID_SOCKET;
        DWORD got = 0;
        assert_int_equal(WSAIoctl(s, codes[i], NULL, 0, &base, sizeof(base), &got, NULL, NULL), 0);
        assert_int_equal(got, sizeof(SOCKET));
        assert_true(base == s);
    }
    DWORD got = 0;
    char small[4];
    assert_int_equal(WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, small, sizeof(small), &got, NULL, NULL),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(s);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sendmsg_datagram),
        cmocka_unit_test(test_recvex_partial_datagram),
        cmocka_unit_test(test_connect_by_name_and_list),
        cmocka_unit_test(test_poll_pointer_and_base_handle),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
