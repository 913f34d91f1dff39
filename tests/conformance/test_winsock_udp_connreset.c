/*
 * SIO_UDP_CONNRESET: a datagram sent to a port nobody listens on is
 * answered by an ICMP port unreachable, which Windows reports on the
 * socket's next receive as WSAECONNRESET (overlapped: ERROR_PORT_UNREACHABLE
 * from GetQueuedCompletionStatus), connected or not, unless the ioctl set
 * it to FALSE.
 */
#include "conformance.h"

#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

static SOCKET udp_socket(SOCKADDR_IN *addr)
{
    SOCKET s = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    assert_true(s != INVALID_SOCKET);
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (SOCKADDR *)addr, sizeof(*addr)), 0);
    int len = sizeof(*addr);
    assert_int_equal(getsockname(s, (SOCKADDR *)addr, &len), 0);
    DWORD ms = 2000;
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms)), 0);
    return s;
}

/* A loopback address whose port nobody listens on. */
static void closed_port(SOCKADDR_IN *addr)
{
    SOCKET s = udp_socket(addr);
    closesocket(s);
}

static int set_connreset(SOCKET s, BOOL on)
{
    DWORD got = 0;
    return WSAIoctl(s, SIO_UDP_CONNRESET, &on, sizeof(on), NULL, 0, &got, NULL, NULL);
}

static void test_unreachable_is_connreset_by_default(void **state)
{
    (void)state;
    SOCKADDR_IN me, nobody, from;
    SOCKET s = udp_socket(&me);
    closed_port(&nobody);
    assert_int_equal(sendto(s, "x", 1, 0, (SOCKADDR *)&nobody, sizeof(nobody)), 1);
    char buf[8];
    int fromlen = sizeof(from);
    assert_int_equal(recvfrom(s, buf, sizeof(buf), 0, (SOCKADDR *)&from, &fromlen), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAECONNRESET);
    /* Reported once: a datagram that comes later is received. */
    SOCKADDR_IN other;
    SOCKET o = udp_socket(&other);
    assert_int_equal(sendto(o, "y", 1, 0, (SOCKADDR *)&me, sizeof(me)), 1);
    fromlen = sizeof(from);
    assert_int_equal(recvfrom(s, buf, sizeof(buf), 0, (SOCKADDR *)&from, &fromlen), 1);
    closesocket(o);
    closesocket(s);
}

static void test_unreachable_overlapped_is_port_unreachable(void **state)
{
    (void)state;
    SOCKADDR_IN me, nobody, from;
    SOCKET s = udp_socket(&me);
    closed_port(&nobody);
    HANDLE port = new_port();
    assert_true(CreateIoCompletionPort((HANDLE)s, port, 7, 0) == port);
    char data[8];
    WSABUF buf = { sizeof(data), data };
    DWORD flags = 0;
    INT fromlen = sizeof(from);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    assert_int_equal(WSARecvFrom(s, &buf, 1, NULL, &flags, (SOCKADDR *)&from, &fromlen, &ov, NULL),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(sendto(s, "x", 1, 0, (SOCKADDR *)&nobody, sizeof(nobody)), 1);
    packet p = get_packet(port, 5000);
    assert_false(p.ok);
    assert_int_equal(p.error, ERROR_PORT_UNREACHABLE);
    assert_ptr_equal(p.ovl, &ov);
    DWORD bytes;
    assert_false(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSAECONNRESET);
    closesocket(s);
    CloseHandle(port);
}

static void test_connreset_false_ignores_unreachable(void **state)
{
    (void)state;
    SOCKADDR_IN me, nobody, from, other;
    SOCKET s = udp_socket(&me);
    closed_port(&nobody);
    assert_int_equal(set_connreset(s, FALSE), 0);
    assert_int_equal(sendto(s, "x", 1, 0, (SOCKADDR *)&nobody, sizeof(nobody)), 1);
    /* Nothing to report: the socket shows neither data nor an error. */
    WSAPOLLFD p = { s, POLLRDNORM, 0 };
    assert_int_equal(WSAPoll(&p, 1, 300), 0);
    char buf[8];
    int fromlen;
    SOCKET o = udp_socket(&other);
    assert_int_equal(sendto(o, "y", 1, 0, (SOCKADDR *)&me, sizeof(me)), 1);
    fromlen = sizeof(from);
    assert_int_equal(recvfrom(s, buf, sizeof(buf), 0, (SOCKADDR *)&from, &fromlen), 1);
    /* TRUE again: reported again. */
    assert_int_equal(set_connreset(s, TRUE), 0);
    assert_int_equal(sendto(s, "x", 1, 0, (SOCKADDR *)&nobody, sizeof(nobody)), 1);
    fromlen = sizeof(from);
    assert_int_equal(recvfrom(s, buf, sizeof(buf), 0, (SOCKADDR *)&from, &fromlen), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAECONNRESET);
    closesocket(o);
    closesocket(s);
}

static void test_connreset_bad_input(void **state)
{
    (void)state;
    SOCKADDR_IN me;
    SOCKET s = udp_socket(&me);
    DWORD got = 0;
    char small = 0;
    WSASetLastError(0);
    assert_int_equal(WSAIoctl(s, SIO_UDP_CONNRESET, &small, 1, NULL, 0, &got, NULL, NULL),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(WSAIoctl(s, SIO_UDP_CONNRESET, NULL, sizeof(BOOL), NULL, 0, &got, NULL, NULL),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(s);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unreachable_is_connreset_by_default),
        cmocka_unit_test(test_unreachable_overlapped_is_port_unreachable),
        cmocka_unit_test(test_connreset_false_ignores_unreachable),
        cmocka_unit_test(test_connreset_bad_input),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
