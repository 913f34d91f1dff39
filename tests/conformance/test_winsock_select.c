/*
 * select with Windows' fd_set: a count and an array, FD_SETSIZE 64 unless
 * the program says otherwise, nfds ignored, sets compacted to the ready
 * sockets, WSAEINVAL with no socket at all.
 */
#define FD_SETSIZE 200
#include "conformance.h"

#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

static void test_fd_set_layout_and_macros(void **state)
{
    (void)state;
    fd_set set;
    assert_int_equal(sizeof(set.fd_array) / sizeof(set.fd_array[0]), 200);
    assert_int_equal(offsetof(fd_set, fd_array), sizeof(SOCKET));
    FD_ZERO(&set);
    assert_int_equal(set.fd_count, 0);
    FD_SET((SOCKET)7, &set);
    FD_SET((SOCKET)9, &set);
    FD_SET((SOCKET)7, &set);   /* once only */
    assert_int_equal(set.fd_count, 2);
    assert_true(set.fd_array[0] == 7 && set.fd_array[1] == 9);
    assert_true(FD_ISSET(9, &set));
    assert_false(FD_ISSET(8, &set));
    FD_CLR((SOCKET)7, &set);
    assert_int_equal(set.fd_count, 1);
    assert_true(set.fd_array[0] == 9);
    FD_CLR((SOCKET)5, &set);   /* absent: nothing happens */
    assert_int_equal(set.fd_count, 1);
    for (SOCKET s = 100; s < 400; s++)
        FD_SET(s, &set);
    assert_int_equal(set.fd_count, FD_SETSIZE);   /* full: no more are added */
    struct fd_set *tagged = &set;
    assert_true(FD_ISSET(9, tagged));
}

static void test_select_compacts_to_ready_sockets(void **state)
{
    (void)state;
    SOCKET c1, s1, c2, s2;
    tcp_pair(&c1, &s1);
    tcp_pair(&c2, &s2);
    assert_int_equal(send(c2, "x", 1, 0), 1);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(s1, &r);
    FD_SET(s2, &r);
    TIMEVAL tv = { 2, 0 };
    assert_int_equal(select(0, &r, NULL, NULL, &tv), 1);
    assert_int_equal(r.fd_count, 1);
    assert_true(r.fd_array[0] == s2);
    assert_true(FD_ISSET(s2, &r));
    assert_false(FD_ISSET(s1, &r));
    /* The timeout is not written. */
    assert_int_equal(tv.tv_sec, 2);
    assert_int_equal(tv.tv_usec, 0);
    closesocket(c1);
    closesocket(s1);
    closesocket(c2);
    closesocket(s2);
}

static void test_select_counts_per_set(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    assert_int_equal(send(c, "x", 1, 0), 1);
    fd_set r, w;
    TIMEVAL tv = { 2, 0 };
    FD_ZERO(&r);
    FD_SET(s, &r);
    assert_int_equal(select(0, &r, NULL, NULL, &tv), 1);   /* the byte is there */
    FD_ZERO(&w);
    FD_SET(s, &r);
    FD_SET(s, &w);
    FD_SET(c, &w);
    /* s readable and writable, c writable: s counts once per set. */
    assert_int_equal(select(0, &r, &w, NULL, &tv), 3);
    assert_int_equal(w.fd_count, 2);
    closesocket(c);
    closesocket(s);
}

static void test_select_timeout_and_empty_sets(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    fd_set r, empty;
    FD_ZERO(&r);
    FD_ZERO(&empty);
    FD_SET(s, &r);
    TIMEVAL tv = { 0, 50000 };
    DWORD t0 = GetTickCount();
    assert_int_equal(select(0, &r, NULL, NULL, &tv), 0);
    assert_true(GetTickCount() - t0 >= 40);
    assert_int_equal(r.fd_count, 0);
    WSASetLastError(0);
    assert_int_equal(select(0, NULL, NULL, NULL, &tv), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(select(0, &empty, &empty, &empty, &tv), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    closesocket(c);
    closesocket(s);
}

static void test_select_not_a_socket(void **state)
{
    (void)state;
    fd_set r;
    FD_ZERO(&r);
    FD_SET((SOCKET)0x7fff0000, &r);
    TIMEVAL tv = { 0, 0 };
    WSASetLastError(0);
    assert_int_equal(select(0, &r, NULL, NULL, &tv), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
}

static void test_select_accept_and_connect(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET c = new_tcp_socket(AF_INET);
    u_long on = 1;
    assert_int_equal(ioctlsocket(c, FIONBIO, &on), 0);
    int rc = connect(c, (struct sockaddr *)&addr, addrlen);
    if (rc != 0)
        assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    fd_set r, w;
    FD_ZERO(&r);
    FD_SET(l, &r);
    TIMEVAL tv = { 2, 0 };
    assert_int_equal(select(0, &r, NULL, NULL, &tv), 1);   /* a connection to accept */
    FD_ZERO(&w);
    FD_SET(c, &w);
    assert_int_equal(select(0, NULL, &w, NULL, &tv), 1);   /* connected */
    closesocket(c);
    closesocket(l);
}

static void test_select_failed_connect_is_exception(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    closesocket(new_listener(AF_INET, &addr, &addrlen));   /* a port nobody listens on */
    SOCKET c = new_tcp_socket(AF_INET);
    u_long on = 1;
    assert_int_equal(ioctlsocket(c, FIONBIO, &on), 0);
    assert_int_equal(connect(c, (struct sockaddr *)&addr, addrlen), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    fd_set w, e;
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(c, &w);
    FD_SET(c, &e);
    TIMEVAL tv = { 2, 0 };
    assert_int_equal(select(0, NULL, &w, &e, &tv), 1);
    assert_int_equal(w.fd_count, 0);
    assert_int_equal(e.fd_count, 1);
    closesocket(c);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fd_set_layout_and_macros),
        cmocka_unit_test(test_select_compacts_to_ready_sockets),
        cmocka_unit_test(test_select_counts_per_set),
        cmocka_unit_test(test_select_timeout_and_empty_sets),
        cmocka_unit_test(test_select_not_a_socket),
        cmocka_unit_test(test_select_accept_and_connect),
        cmocka_unit_test(test_select_failed_connect_is_exception),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
