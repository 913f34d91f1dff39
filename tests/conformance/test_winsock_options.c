/*
 * Socket options whose Windows meaning differs from Linux's: the exclusive
 * claim on a port (SO_EXCLUSIVEADDRUSE) and its pairing with SO_REUSEADDR.
 */
#include "conformance.h"

#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

static SOCKET new_socket(int type)
{
    SOCKET s = WSASocketA(AF_INET, type, type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP, NULL,
                          0, WSA_FLAG_OVERLAPPED);
    assert_true(s != INVALID_SOCKET);
    return s;
}

static int set_bool(SOCKET s, int name, BOOL on)
{
    return setsockopt(s, SOL_SOCKET, name, (const char *)&on, sizeof(on));
}

/* Binds s to loopback at port (0: any); returns the port bound, or 0 with
 * the bind's error in *err. */
static u_short bind_loopback(SOCKET s, u_short port, int *err)
{
    SOCKADDR_IN a;
    int len = sizeof(a);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = port;
    *err = 0;
    if (bind(s, (SOCKADDR *)&a, sizeof(a)) != 0) {
        *err = WSAGetLastError();
        return 0;
    }
    assert_int_equal(getsockname(s, (SOCKADDR *)&a, &len), 0);
    return a.sin_port;
}

static void exclusive_refuses_second_bind(int type)
{
    int err;
    SOCKET first = new_socket(type);
    assert_int_equal(set_bool(first, SO_EXCLUSIVEADDRUSE, TRUE), 0);
    u_short port = bind_loopback(first, 0, &err);
    assert_int_equal(err, 0);
    if (type == SOCK_STREAM)
        assert_int_equal(listen(first, 4), 0);

    SOCKET plain = new_socket(type);
    assert_int_equal(bind_loopback(plain, port, &err), 0);
    assert_int_equal(err, WSAEADDRINUSE);

    SOCKET reuser = new_socket(type);
    assert_int_equal(set_bool(reuser, SO_REUSEADDR, TRUE), 0);
    assert_int_equal(bind_loopback(reuser, port, &err), 0);
    assert_int_equal(err, WSAEADDRINUSE);

    closesocket(reuser);
    closesocket(plain);
    closesocket(first);
}

static void test_exclusive_tcp_second_bind_in_use(void **state)
{
    (void)state;
    exclusive_refuses_second_bind(SOCK_STREAM);
}

static void test_exclusive_udp_second_bind_in_use(void **state)
{
    (void)state;
    exclusive_refuses_second_bind(SOCK_DGRAM);
}

/* Without it, two UDP sockets that both ask for SO_REUSEADDR share a port:
 * the exclusive test above is not passing by accident. */
static void test_reuseaddr_pair_shares_udp_port(void **state)
{
    (void)state;
    int err;
    SOCKET a = new_socket(SOCK_DGRAM), b = new_socket(SOCK_DGRAM);
    assert_int_equal(set_bool(a, SO_REUSEADDR, TRUE), 0);
    assert_int_equal(set_bool(b, SO_REUSEADDR, TRUE), 0);
    u_short port = bind_loopback(a, 0, &err);
    assert_int_equal(err, 0);
    assert_int_equal(bind_loopback(b, port, &err), port);
    assert_int_equal(err, 0);
    closesocket(a);
    closesocket(b);
}

static void test_exclusive_and_reuseaddr_exclude_each_other(void **state)
{
    (void)state;
    SOCKET s = new_socket(SOCK_STREAM);
    assert_int_equal(set_bool(s, SO_REUSEADDR, TRUE), 0);
    WSASetLastError(0);
    assert_int_equal(set_bool(s, SO_EXCLUSIVEADDRUSE, TRUE), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(set_bool(s, SO_REUSEADDR, FALSE), 0);
    assert_int_equal(set_bool(s, SO_EXCLUSIVEADDRUSE, TRUE), 0);
    WSASetLastError(0);
    assert_int_equal(set_bool(s, SO_REUSEADDR, TRUE), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    /* Turning either off is always allowed. */
    assert_int_equal(set_bool(s, SO_REUSEADDR, FALSE), 0);
    closesocket(s);
}

static void test_exclusive_getsockopt(void **state)
{
    (void)state;
    SOCKET s = new_socket(SOCK_STREAM);
    BOOL on = 7;
    int len = sizeof(on);
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&on, &len), 0);
    assert_int_equal(on, FALSE);
    assert_int_equal(len, sizeof(BOOL));
    assert_int_equal(set_bool(s, SO_EXCLUSIVEADDRUSE, TRUE), 0);
    len = sizeof(on);
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&on, &len), 0);
    assert_int_equal(on, TRUE);
    len = 1;
    WSASetLastError(0);
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&on, &len),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(s);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exclusive_tcp_second_bind_in_use),
        cmocka_unit_test(test_exclusive_udp_second_bind_in_use),
        cmocka_unit_test(test_reuseaddr_pair_shares_udp_port),
        cmocka_unit_test(test_exclusive_and_reuseaddr_exclude_each_other),
        cmocka_unit_test(test_exclusive_getsockopt),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
