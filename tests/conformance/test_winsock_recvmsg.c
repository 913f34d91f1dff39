/*
 * WSARecvMsg through WSAID_WSARECVMSG on a UDP socket: the datagram, its
 * source, and the IP_PKTINFO control message (the address it was sent to),
 * overlapped and blocking; a control buffer too small.
 */
#include "conformance.h"

#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

static LPFN_WSARECVMSG get_recvmsg(SOCKET s)
{
    GUID guid = WSAID_WSARECVMSG;
    LPFN_WSARECVMSG fn = NULL;
    DWORD got = 0;
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn,
                              sizeof(fn), &got, NULL, NULL), 0);
    assert_int_equal(got, sizeof(fn));
    assert_non_null(fn);
    return fn;
}

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

static void test_recvmsg_overlapped_with_pktinfo(void **state)
{
    (void)state;
    SOCKADDR_IN raddr, saddr;
    SOCKET r = udp_bound(&raddr), snd = udp_bound(&saddr);
    DWORD on = 1;
    assert_int_equal(setsockopt(r, IPPROTO_IP, IP_PKTINFO, (const char *)&on, sizeof(on)), 0);
    LPFN_WSARECVMSG recvmsg_fn = get_recvmsg(r);

    char data[32];
    WSABUF buf = { sizeof(data), data };
    char control[WSA_CMSG_SPACE(sizeof(IN_PKTINFO))];
    SOCKADDR_IN from;
    WSAMSG msg;
    memset(&msg, 0, sizeof(msg));
    msg.name = (LPSOCKADDR)&from;
    msg.namelen = sizeof(from);
    msg.lpBuffers = &buf;
    msg.dwBufferCount = 1;
    msg.Control.buf = control;
    msg.Control.len = sizeof(control);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    assert_int_equal(recvmsg_fn(r, &msg, NULL, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    /* (The message is the library's until the receive completes: reading it
     * here would race with the completion, on Windows as here.) */

    assert_int_equal(sendto(snd, "datagram", 8, 0, (SOCKADDR *)&raddr, sizeof(raddr)), 8);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    DWORD bytes = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(r, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 8);
    assert_memory_equal(data, "datagram", 8);
    assert_int_equal(msg.namelen, sizeof(SOCKADDR_IN));
    assert_int_equal(from.sin_port, saddr.sin_port);
    assert_int_equal(msg.dwFlags, 0);
    assert_int_equal(msg.Control.len, WSA_CMSG_SPACE(sizeof(IN_PKTINFO)));
    int found = 0;
    for (LPWSACMSGHDR c = WSA_CMSG_FIRSTHDR(&msg); c != NULL; c = WSA_CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            assert_int_equal(c->cmsg_len, WSA_CMSG_LEN(sizeof(IN_PKTINFO)));
            IN_PKTINFO *pi = (IN_PKTINFO *)WSA_CMSG_DATA(c);
            assert_int_equal(pi->ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
            assert_true(pi->ipi_ifindex != 0);
            found++;
        }
    }
    assert_int_equal(found, 1);
    WSACloseEvent(ov.hEvent);
    closesocket(r);
    closesocket(snd);
}

static void test_recvmsg_blocking_and_short_control(void **state)
{
    (void)state;
    SOCKADDR_IN raddr, saddr;
    SOCKET r = udp_bound(&raddr), snd = udp_bound(&saddr);
    DWORD on = 1;
    assert_int_equal(setsockopt(r, IPPROTO_IP, IP_PKTINFO, (const char *)&on, sizeof(on)), 0);
    LPFN_WSARECVMSG recvmsg_fn = get_recvmsg(r);
    char data[32], control[64];
    WSABUF buf = { sizeof(data), data };
    WSAMSG msg;
    memset(&msg, 0, sizeof(msg));
    msg.lpBuffers = &buf;
    msg.dwBufferCount = 1;
    msg.Control.buf = control;
    msg.Control.len = sizeof(control);

    assert_int_equal(sendto(snd, "one", 3, 0, (SOCKADDR *)&raddr, sizeof(raddr)), 3);
    DWORD bytes = 0;
    assert_int_equal(recvmsg_fn(r, &msg, &bytes, NULL, NULL), 0);
    assert_int_equal(bytes, 3);
    assert_true(WSA_CMSG_FIRSTHDR(&msg) != NULL);

    /* A control buffer too small: WSAEMSGSIZE, with MSG_CTRUNC. */
    assert_int_equal(sendto(snd, "two", 3, 0, (SOCKADDR *)&raddr, sizeof(raddr)), 3);
    msg.Control.len = 1;
    msg.dwFlags = 0;
    assert_int_equal(recvmsg_fn(r, &msg, &bytes, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEMSGSIZE);
    assert_true(msg.dwFlags & MSG_CTRUNC);

    WSASetLastError(0);
    assert_int_equal(recvmsg_fn(r, NULL, &bytes, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(r);
    closesocket(snd);
}

static void test_recvmsg_datagram_too_long(void **state)
{
    (void)state;
    SOCKADDR_IN raddr, saddr;
    SOCKET r = udp_bound(&raddr), snd = udp_bound(&saddr);
    LPFN_WSARECVMSG recvmsg_fn = get_recvmsg(r);
    char data[4];
    WSABUF buf = { sizeof(data), data };
    WSAMSG msg;
    memset(&msg, 0, sizeof(msg));
    msg.lpBuffers = &buf;
    msg.dwBufferCount = 1;
    assert_int_equal(sendto(snd, "longer", 6, 0, (SOCKADDR *)&raddr, sizeof(raddr)), 6);
    DWORD bytes = 0;
    assert_int_equal(recvmsg_fn(r, &msg, &bytes, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEMSGSIZE);
    assert_true(msg.dwFlags & MSG_TRUNC);
    closesocket(r);
    closesocket(snd);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recvmsg_overlapped_with_pktinfo),
        cmocka_unit_test(test_recvmsg_blocking_and_short_control),
        cmocka_unit_test(test_recvmsg_datagram_too_long),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
