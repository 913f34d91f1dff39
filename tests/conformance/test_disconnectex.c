/*
 * Conformance tests for DisconnectEx: spec rows X6 and X7
 * (/work/shared/spec/iocp-semantics.md). Plain Win32: the same source builds
 * against iocpcompat on Linux and against the Windows SDK (mingw-w64).
 *
 * Windows reference: Wine's dlls/ws2_32/tests/sock.c (test_DisconnectEx,
 * test_shutdown_completion_port) and the Microsoft Learn pages of
 * LPFN_DISCONNECTEX and LPFN_CONNECTEX (which says a socket disconnected with
 * TF_REUSE_SOCKET is "not connected, but still bound", so ConnectEx takes it
 * without a new bind).
 *
 * Reuse tests let the PEER close first: the side that closes first goes
 * through TIME_WAIT, and on Windows a TF_REUSE_SOCKET disconnect of that side
 * waits the TIME_WAIT out (minutes). The reconnecting socket connects to a
 * second listener, so that the new connection's address pair differs from the
 * old one, which is in TIME_WAIT at the peer.
 *
 * Everything a pending operation may write to is static.
 */
#include "conformance.h"

#define KEY_D          ((ULONG_PTR)0xd15c)   /* the disconnected socket */
#define KEY_L          ((ULONG_PTR)0x115e)   /* a listener */
#define UNKNOWN_FLAG   ((DWORD)0x10000)      /* no TF_* flag has this bit */

/* DisconnectEx with the last error set to SENTINEL first; *err is
 * WSAGetLastError() after. */
static BOOL call_disconnectex(SOCKET s, OVERLAPPED *ovl, DWORD flags, DWORD reserved, int *err)
{
    LPFN_DISCONNECTEX disconnectex = get_disconnectex(s);
    BOOL ok;
    WSASetLastError((int)SENTINEL);
    ok = disconnectex(s, ovl, flags, reserved);
    *err = WSAGetLastError();
    return ok;
}

/* Both IPv4 (every socket of this file is), and the same address and port. */
static void assert_same_ipv4_address(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    assert_int_equal(a->ss_family, AF_INET);
    assert_same_address(a, b);
}

/* The peer has closed: s reads end of stream. */
static void assert_end_of_stream(SOCKET s)
{
    char got[8];
    assert_int_equal(wait_readable(s, PACKET_WAIT_MS), 1);
    assert_int_equal(recv(s, got, (int)sizeof(got), 0), 0);
}

/* send() on s fails at once with WSAESHUTDOWN. */
static void assert_send_shut_down(SOCKET s)
{
    int ret, err;
    WSASetLastError((int)SENTINEL);
    ret = send(s, "test", 4, 0);
    err = WSAGetLastError();
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAESHUTDOWN);
}

/* Data flows both ways over a connected pair; s's WSARecv completes on the
 * port under key (so s is still associated, with the same key). */
static void assert_pair_works(SOCKET s, SOCKET peer, HANDLE port, ULONG_PTR key)
{
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char in[16];
    char got[8];
    DWORD bytes = SENTINEL;
    packet p;
    int ret, err;

    memset(&ovl, 0, sizeof(ovl));
    memset(in, 0, sizeof(in));
    wb.buf = in;
    wb.len = sizeof(in);
    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_pending(ret, err);
    assert_int_equal(send_all(peer, "data", 4), 4);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 4, key, &ovl);
    assert_memory_equal(in, "data", 4);

    assert_int_equal(send_all(s, "back", 4), 4);
    assert_int_equal(recv_all(peer, got, 4), 4);
    assert_memory_equal(got, "back", 4);
}

/* X6: DisconnectEx(s, ovl, 0, 0) pends (FALSE, ERROR_IO_PENDING), then queues
 * one packet TRUE, 0 bytes, the socket's key; the peer reads end of stream,
 * and a send on s fails with WSAESHUTDOWN (Wine test_DisconnectEx). */
static void test_x6_disconnectex_pends_then_queues_zero_byte_packet(void **state)
{
    static OVERLAPPED ovl;
    SOCKET s, peer;
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    int err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY_D);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_disconnectex(s, &ovl, 0, 0, &err);
    assert_ex_pending(ok, err);

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_D, &ovl);
    assert_int_equal(overlapped_status(&ovl), 0);
    assert_int_equal(ovl.InternalHigh, 0);
    assert_no_packet(port, QUIET_MS);

    assert_end_of_stream(peer);
    assert_send_shut_down(s);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* X6: without TF_REUSE_SOCKET, DisconnectEx only ends the sending side: s
 * still receives what the peer sends, and it is still connected
 * (connect() -> WSAEISCONN). Wine test_DisconnectEx checks all of this on
 * Windows, not as todo_wine. */
static void test_x6_disconnectex_leaves_receiving_side_open(void **state)
{
    static OVERLAPPED ovl, recv_ovl;
    static WSABUF wb;
    static char in[16];
    struct sockaddr_storage addr;
    int addrlen, ret, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET s, peer;
    HANDLE port = new_port();
    DWORD bytes = SENTINEL;
    packet p;
    BOOL ok;
    (void)state;

    connect_pair(l, &addr, addrlen, &s, &peer);
    associate(s, port, KEY_D);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_disconnectex(s, &ovl, 0, 0, &err);
    assert_ex_pending(ok, err);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_D, &ovl);
    assert_end_of_stream(peer);

    memset(&recv_ovl, 0, sizeof(recv_ovl));
    wb.buf = in;
    wb.len = sizeof(in);
    ret = post_recv(s, &wb, 1, &recv_ovl, &bytes, &err);
    assert_pending(ret, err);
    assert_int_equal(send_all(peer, "test", 4), 4);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 4, KEY_D, &recv_ovl);
    assert_memory_equal(in, "test", 4);

    WSASetLastError((int)SENTINEL);
    ret = connect(s, (struct sockaddr *)&addr, addrlen);
    err = WSAGetLastError();
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAEISCONN);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* X6 with E1: DisconnectEx pends even with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
 * set, so its packet is still queued (Wine test_shutdown_completion_port,
 * "DisconnectEx() queues completion": the packet checks are todo_wine there,
 * i.e. Windows queues it and Wine does not). */
static void test_x6_disconnectex_queues_packet_with_skip_on_success(void **state)
{
    static OVERLAPPED ovl;
    SOCKET s, peer;
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    int err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY_D);
    assert_true(SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    memset(&ovl, 0, sizeof(ovl));
    ok = call_disconnectex(s, &ovl, 0, 0, &err);
    assert_ex_pending(ok, err);

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_D, &ovl);
    assert_no_packet(port, QUIET_MS);
    assert_end_of_stream(peer);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* X6: with a NULL OVERLAPPED, DisconnectEx completes synchronously: TRUE,
 * last error 0, no packet; a second call succeeds too (Wine
 * test_DisconnectEx "synchronous case", test_shutdown_completion_port). */
static void test_x6_disconnectex_null_overlapped_is_synchronous(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    BOOL ok;
    int err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY_D);
    ok = call_disconnectex(s, NULL, 0, 0, &err);
    assert_true(ok);
    assert_int_equal(err, 0);
    ok = call_disconnectex(s, NULL, 0, 0, &err);
    assert_true(ok);
    assert_int_equal(err, 0);
    assert_no_packet(port, QUIET_MS);

    assert_end_of_stream(peer);
    assert_send_shut_down(s);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* X6: dwReserved != 0 is WSAEINVAL, and so is a flag other than
 * TF_REUSE_SOCKET (LPFN_DISCONNECTEX); both fail at once on a connected
 * socket, queue nothing and leave the connection as it was. */
static void test_x6_disconnectex_bad_reserved_or_flags_is_einval(void **state)
{
    static OVERLAPPED ovl;
    SOCKET s, peer;
    HANDLE port = new_port();
    BOOL ok;
    int err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY_D);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_disconnectex(s, &ovl, 0, 1, &err);
    assert_ex_failed(ok, err, WSAEINVAL);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_disconnectex(s, &ovl, UNKNOWN_FLAG, 0, &err);
    assert_ex_failed(ok, err, WSAEINVAL);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_disconnectex(s, &ovl, TF_REUSE_SOCKET | UNKNOWN_FLAG, 0, &err);
    assert_ex_failed(ok, err, WSAEINVAL);
    assert_no_packet(port, QUIET_MS);

    assert_pair_works(s, peer, port, KEY_D);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* X6: DisconnectEx on a socket that is not connected fails at once with
 * WSAENOTCONN (Wine test_DisconnectEx) and queues nothing. */
static void test_x6_disconnectex_unconnected_socket_is_enotconn(void **state)
{
    static OVERLAPPED ovl;
    SOCKET s = new_tcp_socket(AF_INET);
    HANDLE port = new_port();
    BOOL ok;
    int err;
    (void)state;

    associate(s, port, KEY_D);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_disconnectex(s, &ovl, 0, 0, &err);
    assert_ex_failed(ok, err, WSAENOTCONN);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* Disconnects s for reuse after its peer closed: FALSE, ERROR_IO_PENDING,
 * then a 0-byte packet under s's key. */
static void disconnect_for_reuse(SOCKET s, HANDLE port, ULONG_PTR key)
{
    static OVERLAPPED ovl;
    packet p;
    BOOL ok;
    int err;

    memset(&ovl, 0, sizeof(ovl));
    ok = call_disconnectex(s, &ovl, TF_REUSE_SOCKET, 0, &err);
    assert_ex_pending(ok, err);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, key, &ovl);
    assert_no_packet(port, QUIET_MS);
}

/* X7 with AcceptEx: an accept socket that served one connection is
 * disconnected with TF_REUSE_SOCKET and passed, as the SAME SOCKET value, to
 * AcceptEx again; the second connection is accepted into it (packet under the
 * listener's key), SO_UPDATE_ACCEPT_CONTEXT works, data flows, and the
 * socket's own packets still carry the key it was associated with. */
static void test_x7_reused_socket_accepts_again(void **state)
{
    static OVERLAPPED ovl1, ovl2;
    struct sockaddr_storage addr, name, client_name;
    int addrlen, namelen, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET a = new_tcp_socket(AF_INET);
    SOCKET c1 = new_tcp_socket(AF_INET);
    SOCKET c2 = new_tcp_socket(AF_INET);
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    (void)state;

    associate(l, port, KEY_L);
    associate(a, port, KEY_D);

    memset(&ovl1, 0, sizeof(ovl1));
    ok = call_acceptex(l, a, 0, &ovl1, &err);
    assert_ex_pending(ok, err);
    assert_int_equal(connect(c1, (struct sockaddr *)&addr, addrlen), 0);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_L, &ovl1);
    assert_int_equal(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, (int)sizeof(l)), 0);
    assert_pair_works(a, c1, port, KEY_D);

    /* the client closes first, so that a does not go through TIME_WAIT */
    assert_int_equal(closesocket(c1), 0);
    assert_end_of_stream(a);
    disconnect_for_reuse(a, port, KEY_D);

    memset(&ovl2, 0, sizeof(ovl2));
    ok = call_acceptex(l, a, 0, &ovl2, &err);
    assert_ex_pending(ok, err);
    assert_no_packet(port, QUIET_MS);
    assert_int_equal(connect(c2, (struct sockaddr *)&addr, addrlen), 0);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_L, &ovl2);
    assert_int_equal(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, (int)sizeof(l)), 0);

    namelen = (int)sizeof(name);
    assert_int_equal(getpeername(a, (struct sockaddr *)&name, &namelen), 0);
    namelen = (int)sizeof(client_name);
    assert_int_equal(getsockname(c2, (struct sockaddr *)&client_name, &namelen), 0);
    assert_same_ipv4_address(&name, &client_name);
    assert_pair_works(a, c2, port, KEY_D);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(c2), 0);
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* X7 with ConnectEx: a bound socket connected with ConnectEx is disconnected
 * with TF_REUSE_SOCKET after its peer closed; it is then "not connected, but
 * still bound" (LPFN_CONNECTEX remarks), so the SAME SOCKET value goes to
 * ConnectEx again without a new bind, keeps its local address, connects to a
 * second listener, and its packets still carry the key it was associated
 * with. */
static void test_x7_reused_socket_connects_again(void **state)
{
    static OVERLAPPED ovl1, ovl2;
    struct sockaddr_storage addr1, addr2, local, bound, name;
    int addrlen1, addrlen2, locallen, boundlen, namelen, err;
    SOCKET l1 = new_listener(AF_INET, &addr1, &addrlen1);
    SOCKET l2 = new_listener(AF_INET, &addr2, &addrlen2);
    SOCKET c = new_tcp_socket(AF_INET);
    SOCKET s1, s2;
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    (void)state;

    locallen = loopback_address(AF_INET, &local);
    assert_int_equal(bind(c, (struct sockaddr *)&local, locallen), 0);
    boundlen = (int)sizeof(bound);
    assert_int_equal(getsockname(c, (struct sockaddr *)&bound, &boundlen), 0);
    associate(c, port, KEY_D);

    memset(&ovl1, 0, sizeof(ovl1));
    ok = call_connectex(c, &addr1, addrlen1, NULL, 0, &ovl1, &err);
    assert_ex_pending(ok, err);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_D, &ovl1);
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    s1 = accept(l1, NULL, NULL);
    assert_true(s1 != INVALID_SOCKET);
    assert_pair_works(c, s1, port, KEY_D);

    /* the server closes first, so that c does not go through TIME_WAIT */
    assert_int_equal(closesocket(s1), 0);
    assert_end_of_stream(c);
    disconnect_for_reuse(c, port, KEY_D);

    memset(&ovl2, 0, sizeof(ovl2));
    ok = call_connectex(c, &addr2, addrlen2, NULL, 0, &ovl2, &err);
    assert_ex_pending(ok, err);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_D, &ovl2);
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    s2 = accept(l2, NULL, NULL);
    assert_true(s2 != INVALID_SOCKET);

    namelen = (int)sizeof(name);
    assert_int_equal(getpeername(c, (struct sockaddr *)&name, &namelen), 0);
    assert_same_ipv4_address(&name, &addr2);
    namelen = (int)sizeof(name);
    assert_int_equal(getsockname(c, (struct sockaddr *)&name, &namelen), 0);
    assert_same_ipv4_address(&name, &bound);
    assert_pair_works(c, s2, port, KEY_D);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s2), 0);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(l2), 0);
    assert_int_equal(closesocket(l1), 0);
    assert_true(CloseHandle(port));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x6_disconnectex_pends_then_queues_zero_byte_packet),
        cmocka_unit_test(test_x6_disconnectex_leaves_receiving_side_open),
        cmocka_unit_test(test_x6_disconnectex_queues_packet_with_skip_on_success),
        cmocka_unit_test(test_x6_disconnectex_null_overlapped_is_synchronous),
        cmocka_unit_test(test_x6_disconnectex_bad_reserved_or_flags_is_einval),
        cmocka_unit_test(test_x6_disconnectex_unconnected_socket_is_enotconn),
        cmocka_unit_test(test_x7_reused_socket_accepts_again),
        cmocka_unit_test(test_x7_reused_socket_connects_again),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
