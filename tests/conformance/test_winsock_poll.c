/*
 * WSAPoll: Windows' flag values and rules (only POLLRDNORM, POLLRDBAND and
 * POLLWRNORM may be asked for; negative fds skipped; non-sockets POLLNVAL;
 * a peer's FIN is POLLHUP).
 */
#include "conformance.h"

#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

static void test_poll_flag_values(void **state)
{
    (void)state;
    assert_int_equal(POLLRDNORM, 0x0100);
    assert_int_equal(POLLRDBAND, 0x0200);
    assert_int_equal(POLLIN, 0x0300);
    assert_int_equal(POLLPRI, 0x0400);
    assert_int_equal(POLLWRNORM, 0x0010);
    assert_int_equal(POLLOUT, 0x0010);
    assert_int_equal(POLLWRBAND, 0x0020);
    assert_int_equal(POLLERR, 0x0001);
    assert_int_equal(POLLHUP, 0x0002);
    assert_int_equal(POLLNVAL, 0x0004);
    assert_int_equal(sizeof(WSAPOLLFD), 16);
}

static void test_poll_read_write(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    WSAPOLLFD p[2];
    p[0].fd = s;
    p[0].events = POLLIN;
    p[0].revents = 0x7777;
    p[1].fd = c;
    p[1].events = POLLOUT;
    p[1].revents = 0x7777;
    assert_int_equal(WSAPoll(p, 2, 0), 1);
    assert_int_equal(p[0].revents, 0);
    assert_int_equal(p[1].revents, POLLWRNORM);
    assert_int_equal(send(c, "x", 1, 0), 1);
    p[1].events = POLLRDNORM;
    assert_int_equal(WSAPoll(p, 2, 2000), 1);
    assert_int_equal(p[0].revents, POLLRDNORM);
    assert_int_equal(p[1].revents, 0);
    closesocket(c);
    closesocket(s);
}

static void test_poll_peer_close_is_hup(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    closesocket(c);
    WSAPOLLFD p = { s, POLLRDNORM, 0 };
    assert_int_equal(WSAPoll(&p, 1, 2000), 1);
    assert_int_equal(p.revents, POLLRDNORM | POLLHUP);
    closesocket(s);
}

static void test_poll_timeout(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    WSAPOLLFD p = { s, POLLRDNORM, 0 };
    DWORD t0 = GetTickCount();
    assert_int_equal(WSAPoll(&p, 1, 60), 0);
    assert_true(GetTickCount() - t0 >= 50);
    closesocket(c);
    closesocket(s);
}

static void test_poll_invalid_events(void **state)
{
    (void)state;
    SOCKET s = new_tcp_socket(AF_INET);
    SHORT bad[] = { POLLPRI, POLLWRBAND, POLLERR, POLLHUP, 0x1000 };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        WSAPOLLFD p = { s, bad[i], 0 };
        WSASetLastError(0);
        assert_int_equal(WSAPoll(&p, 1, 0), SOCKET_ERROR);
        assert_int_equal(WSAGetLastError(), WSAEINVAL);
    }
    closesocket(s);
}

static void test_poll_skips_negative_and_flags_non_sockets(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    WSAPOLLFD p[3];
    p[0].fd = INVALID_SOCKET;
    p[0].events = POLLRDNORM;
    p[0].revents = 0x7777;
    p[1].fd = (SOCKET)0x7fff0000;
    p[1].events = POLLRDNORM;
    p[1].revents = 0;
    p[2].fd = c;
    p[2].events = POLLWRNORM;
    p[2].revents = 0;
    assert_int_equal(WSAPoll(p, 3, 1000), 2);
    assert_int_equal(p[0].revents, 0);
    assert_int_equal(p[1].revents, POLLNVAL);
    /* Only skipped entries: no valid socket at all. */
    WSASetLastError(0);
    assert_int_equal(WSAPoll(p, 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(WSAPoll(NULL, 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(c);
    closesocket(s);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poll_flag_values),
        cmocka_unit_test(test_poll_read_write),
        cmocka_unit_test(test_poll_peer_close_is_hup),
        cmocka_unit_test(test_poll_timeout),
        cmocka_unit_test(test_poll_invalid_events),
        cmocka_unit_test(test_poll_skips_negative_and_flags_non_sockets),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
