/*
 * Conformance tests for ConnectEx and for the calls that must NOT queue a
 * packet: spec rows X1..X5 and the "refused" case of P3
 * (/work/shared/spec/iocp-semantics.md). Plain Win32: the same source builds
 * against iocpcompat on Linux and against the Windows SDK (mingw-w64).
 *
 * Windows reference: Wine's dlls/ws2_32/tests/sock.c (test_connect,
 * test_connect_completion_port, test_shutdown_completion_port) and the
 * Microsoft Learn page of LPFN_CONNECTEX.
 *
 * Everything a pending operation may write to (OVERLAPPED, send buffers,
 * lpdwBytesSent) is static, so that an operation wrongly left pending fails
 * its own test without scribbling on a dead stack frame.
 */
#include "conformance.h"

/* A refused ConnectEx needs longer than PACKET_WAIT_MS: Windows retries a
 * refused SYN for ~2 s before it reports the refusal. */
#define REFUSED_WAIT_MS 10000
#define KEY_C           ((ULONG_PTR)0xc0ec7)
#define X2_DATA_LEN     1000

/* A successful completion's OVERLAPPED: Internal 0, InternalHigh = bytes (P2). */
static void assert_overlapped_done(OVERLAPPED *ovl, DWORD bytes)
{
    assert_int_equal(overlapped_status(ovl), 0);
    assert_int_equal(ovl->InternalHigh, bytes);
}

/* X1: ConnectEx on a socket that was never bound fails at once with
 * WSAEINVAL (Wine test_connect: "ConnectEx on a unbound socket") and queues
 * nothing. */
static void test_x1_connectex_on_unbound_socket_is_einval(void **state)
{
    static OVERLAPPED ovl;
    struct sockaddr_storage addr;
    int addrlen, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET s = new_tcp_socket(AF_INET);
    HANDLE port = new_port();
    BOOL ok;
    (void)state;

    associate(s, port, KEY_C);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_connectex(s, &addr, addrlen, NULL, 0, &ovl, &err);
    assert_ex_failed(ok, err, WSAEINVAL);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* X1: a listening socket is rejected the same way (LPFN_CONNECTEX: WSAEINVAL
 * "s is an unbound or a listening socket"). Windows sets Internal to
 * STATUS_PENDING before it fails (Wine test_connect checks this, not as a
 * todo_wine), and queues nothing. */
static void test_x1_connectex_on_listening_socket_is_einval(void **state)
{
    static OVERLAPPED ovl;
    struct sockaddr_storage addr, addr2;
    int addrlen, addrlen2, err;
    SOCKET target = new_listener(AF_INET, &addr, &addrlen);
    SOCKET l = new_listener(AF_INET, &addr2, &addrlen2);
    HANDLE port = new_port();
    BOOL ok;
    (void)state;

    associate(l, port, KEY_C);
    memset(&ovl, 0, sizeof(ovl));
    ovl.Internal = SENTINEL;
    ovl.InternalHigh = SENTINEL;
    ok = call_connectex(l, &addr, addrlen, NULL, 0, &ovl, &err);
    assert_ex_failed(ok, err, WSAEINVAL);
    assert_int_equal(overlapped_status(&ovl), STATUS_PENDING);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(l), 0);
    assert_int_equal(closesocket(target), 0);
    assert_true(CloseHandle(port));
}

/* X1: a NULL OVERLAPPED is ERROR_INVALID_PARAMETER (Wine test_connect), and
 * the call starts nothing: the socket then connects with a proper ConnectEx. */
static void test_x1_connectex_with_null_overlapped_is_invalid_parameter(void **state)
{
    static OVERLAPPED ovl;
    struct sockaddr_storage addr, local;
    int addrlen, locallen, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET s = new_bound_socket(AF_INET, &local, &locallen);
    SOCKET server;
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    (void)state;

    associate(s, port, KEY_C);
    ok = call_connectex(s, &addr, addrlen, NULL, 0, NULL, &err);
    assert_ex_failed(ok, err, ERROR_INVALID_PARAMETER);
    assert_no_packet(port, QUIET_MS);

    memset(&ovl, 0, sizeof(ovl));
    ok = call_connectex(s, &addr, addrlen, NULL, 0, &ovl, &err);
    assert_ex_pending(ok, err);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_C, &ovl);
    server = accept(l, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(server), 0);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* X1: ConnectEx on a connected socket fails at once with WSAEISCONN, whether
 * connect() or an earlier ConnectEx connected it; Internal is STATUS_PENDING
 * (Wine test_connect, both cases) and no packet is queued. */
static void test_x1_connectex_on_connected_socket_is_eisconn(void **state)
{
    static OVERLAPPED ovl, ovl2;
    struct sockaddr_storage addr, local;
    int addrlen, locallen, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET client, server, s, server2;
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    (void)state;

    /* connected by connect() */
    connect_pair(l, &addr, addrlen, &client, &server);
    associate(client, port, KEY_C);
    memset(&ovl, 0, sizeof(ovl));
    ovl.Internal = SENTINEL;
    ok = call_connectex(client, &addr, addrlen, NULL, 0, &ovl, &err);
    assert_ex_failed(ok, err, WSAEISCONN);
    assert_int_equal(overlapped_status(&ovl), STATUS_PENDING);
    assert_no_packet(port, QUIET_MS);

    /* connected by ConnectEx */
    s = new_bound_socket(AF_INET, &local, &locallen);
    associate(s, port, KEY_C + 1);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_connectex(s, &addr, addrlen, NULL, 0, &ovl, &err);
    assert_ex_pending(ok, err);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_C + 1, &ovl);
    server2 = accept(l, NULL, NULL);
    assert_true(server2 != INVALID_SOCKET);

    memset(&ovl2, 0, sizeof(ovl2));
    ovl2.Internal = SENTINEL;
    ok = call_connectex(s, &addr, addrlen, NULL, 0, &ovl2, &err);
    assert_ex_failed(ok, err, WSAEISCONN);
    assert_int_equal(overlapped_status(&ovl2), STATUS_PENDING);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(server2), 0);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(server), 0);
    assert_int_equal(closesocket(client), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* X2: without a send buffer, ConnectEx pends (FALSE, ERROR_IO_PENDING) and
 * then queues one packet TRUE with 0 bytes, the socket's key and the
 * OVERLAPPED (Wine test_connect_completion_port). */
static void test_x2_connectex_without_data_completes_with_zero_bytes(void **state)
{
    static OVERLAPPED ovl;
    struct sockaddr_storage addr, local;
    int addrlen, locallen, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET s = new_bound_socket(AF_INET, &local, &locallen);
    SOCKET server;
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    (void)state;

    associate(s, port, KEY_C);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_connectex(s, &addr, addrlen, NULL, 0, &ovl, &err);
    assert_ex_pending(ok, err);

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_C, &ovl);
    assert_overlapped_done(&ovl, 0);
    server = accept(l, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(server), 0);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* X2: with a send buffer, the packet's byte count is the number of bytes of
 * it that were sent, and the peer receives exactly those bytes: the buffer,
 * then end of stream when s closes (Wine test_connect and
 * test_connect_completion_port send 3 bytes; here 1000). */
static void test_x2_connectex_with_data_reports_bytes_sent(void **state)
{
    static OVERLAPPED ovl;
    static char data[X2_DATA_LEN];
    char got[X2_DATA_LEN + 16];
    struct sockaddr_storage addr, local;
    int addrlen, locallen, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET s = new_bound_socket(AF_INET, &local, &locallen);
    SOCKET server;
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    (void)state;

    fill_pattern(data, X2_DATA_LEN, 7);
    associate(s, port, KEY_C);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_connectex(s, &addr, addrlen, data, X2_DATA_LEN, &ovl, &err);
    assert_ex_pending(ok, err);

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, X2_DATA_LEN, KEY_C, &ovl);
    assert_overlapped_done(&ovl, X2_DATA_LEN);
    assert_no_packet(port, QUIET_MS);

    server = accept(l, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_int_equal(recv_all(server, got, X2_DATA_LEN), X2_DATA_LEN);
    assert_memory_equal(got, data, X2_DATA_LEN);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(wait_readable(server, PACKET_WAIT_MS), 1);
    assert_int_equal(recv(server, got, (int)sizeof(got), 0), 0);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(server), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* X2 with E1: ConnectEx pends even on a socket with
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, so its packet is still queued (Wine
 * test_connect_completion_port, "Skip completion on success"). */
static void test_x2_connectex_queues_packet_with_skip_on_success(void **state)
{
    static OVERLAPPED ovl;
    struct sockaddr_storage addr, local;
    int addrlen, locallen, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET s = new_bound_socket(AF_INET, &local, &locallen);
    SOCKET server;
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    (void)state;

    associate(s, port, KEY_C);
    assert_true(SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    memset(&ovl, 0, sizeof(ovl));
    ok = call_connectex(s, &addr, addrlen, NULL, 0, &ovl, &err);
    assert_ex_pending(ok, err);

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_C, &ovl);
    server = accept(l, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(server), 0);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* X2/X4 over IPv6 (::1): ConnectEx with a send buffer, the packet, then the
 * connected socket's names and the data at the peer. */
static void test_x2_connectex_ipv6_loopback(void **state)
{
    static OVERLAPPED ovl;
    static char data[] = "six-data";
    char got[sizeof(data)];
    struct sockaddr_storage addr, local, name;
    int addrlen, locallen, namelen, err;
    SOCKET l = new_listener(AF_INET6, &addr, &addrlen);
    SOCKET s = new_bound_socket(AF_INET6, &local, &locallen);
    SOCKET server;
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    (void)state;

    associate(s, port, KEY_C);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_connectex(s, &addr, addrlen, data, (DWORD)sizeof(data), &ovl, &err);
    assert_ex_pending(ok, err);

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, sizeof(data), KEY_C, &ovl);
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    namelen = (int)sizeof(name);
    assert_int_equal(getpeername(s, (struct sockaddr *)&name, &namelen), 0);
    assert_int_equal(namelen, sizeof(struct sockaddr_in6));
    assert_same_address(&name, &addr);

    server = accept(l, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_int_equal(recv_all(server, got, (int)sizeof(data)), sizeof(data));
    assert_memory_equal(got, data, sizeof(data));
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(server), 0);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* X3 / P3 (refused): a ConnectEx to a port nobody listens on pends, then its
 * packet is FALSE, ERROR_CONNECTION_REFUSED, 0 bytes, the socket's key (Wine
 * test_connect_completion_port). Windows retries the SYN for about two
 * seconds before it gives up. */
static void test_x3_p3_refused_connectex_reports_connection_refused(void **state)
{
    static OVERLAPPED ovl;
    struct sockaddr_storage target, local;
    int targetlen, locallen, err;
    SOCKET closed_port = new_bound_socket(AF_INET, &target, &targetlen);
    SOCKET s = new_bound_socket(AF_INET, &local, &locallen);
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    (void)state;

    associate(s, port, KEY_C);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_connectex(s, &target, targetlen, NULL, 0, &ovl, &err);
    assert_ex_pending(ok, err);

    p = get_packet(port, REFUSED_WAIT_MS);
    assert_packet_failed(p, ERROR_CONNECTION_REFUSED, 0, KEY_C, &ovl);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(closed_port), 0);
    assert_true(CloseHandle(port));
}

/* X3: the refused packet is queued even with skip-on-success (it pended;
 * Wine test_connect_completion_port, "Connect to an invalid address"), and
 * after a refusal the same socket may try again (LPFN_CONNECTEX: after
 * WSAECONNREFUSED "the application can call ConnectEx ... again on the same
 * socket"): the second ConnectEx, to a listener, succeeds. */
static void test_x3_refused_socket_can_connectex_again(void **state)
{
    static OVERLAPPED ovl, ovl2;
    struct sockaddr_storage target, local, addr;
    int targetlen, locallen, addrlen, err;
    SOCKET closed_port = new_bound_socket(AF_INET, &target, &targetlen);
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET s = new_bound_socket(AF_INET, &local, &locallen);
    SOCKET server;
    HANDLE port = new_port();
    packet p;
    BOOL ok;
    (void)state;

    associate(s, port, KEY_C);
    assert_true(SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    memset(&ovl, 0, sizeof(ovl));
    ok = call_connectex(s, &target, targetlen, NULL, 0, &ovl, &err);
    assert_ex_pending(ok, err);
    p = get_packet(port, REFUSED_WAIT_MS);
    assert_packet_failed(p, ERROR_CONNECTION_REFUSED, 0, KEY_C, &ovl);

    memset(&ovl2, 0, sizeof(ovl2));
    ok = call_connectex(s, &addr, addrlen, NULL, 0, &ovl2, &err);
    assert_ex_pending(ok, err);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_C, &ovl2);
    server = accept(l, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(server), 0);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(l), 0);
    assert_int_equal(closesocket(closed_port), 0);
    assert_true(CloseHandle(port));
}

/* X4: after the ConnectEx packet, setsockopt(SO_UPDATE_CONNECT_CONTEXT, NULL,
 * 0) returns 0 (the call LPFN_CONNECTEX shows), and the socket then behaves
 * as a connected socket: getpeername/getsockname, overlapped WSASend and
 * WSARecv with packets under its key, shutdown. */
static void test_x4_update_connect_context_gives_connected_socket(void **state)
{
    static OVERLAPPED ovl, send_ovl, recv_ovl;
    static WSABUF send_wb, recv_wb;
    static char out[] = "ping", in[16];
    char got[8];
    struct sockaddr_storage addr, local, name;
    int addrlen, locallen, namelen, err, ret;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET s = new_bound_socket(AF_INET, &local, &locallen);
    SOCKET server;
    HANDLE port = new_port();
    DWORD bytes;
    packet p;
    BOOL ok;
    (void)state;

    associate(s, port, KEY_C);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_connectex(s, &addr, addrlen, NULL, 0, &ovl, &err);
    assert_ex_pending(ok, err);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_C, &ovl);

    WSASetLastError((int)SENTINEL);
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    server = accept(l, NULL, NULL);
    assert_true(server != INVALID_SOCKET);

    namelen = (int)sizeof(name);
    assert_int_equal(getpeername(s, (struct sockaddr *)&name, &namelen), 0);
    assert_int_equal(namelen, sizeof(struct sockaddr_in));
    assert_same_address(&name, &addr);
    namelen = (int)sizeof(name);
    assert_int_equal(getsockname(s, (struct sockaddr *)&name, &namelen), 0);
    assert_same_address(&name, &local);

    /* WSASend: finishes at once or pends; a packet either way */
    memset(&send_ovl, 0, sizeof(send_ovl));
    send_wb.buf = out;
    send_wb.len = 4;
    bytes = SENTINEL;
    ret = post_send(s, &send_wb, 1, &send_ovl, &bytes, &err);
    assert_send_started(ret, err, bytes, 4);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 4, KEY_C, &send_ovl);
    assert_int_equal(recv_all(server, got, 4), 4);
    assert_memory_equal(got, "ping", 4);

    /* WSARecv: pends until the peer sends */
    memset(&recv_ovl, 0, sizeof(recv_ovl));
    recv_wb.buf = in;
    recv_wb.len = sizeof(in);
    bytes = SENTINEL;
    ret = post_recv(s, &recv_wb, 1, &recv_ovl, &bytes, &err);
    assert_pending(ret, err);
    assert_int_equal(send_all(server, "pong", 4), 4);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 4, KEY_C, &recv_ovl);
    assert_memory_equal(in, "pong", 4);

    assert_int_equal(shutdown(s, SD_SEND), 0);
    assert_int_equal(wait_readable(server, PACKET_WAIT_MS), 1);
    assert_int_equal(recv(server, got, (int)sizeof(got), 0), 0);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(server), 0);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* X5: a blocking connect() on a port-associated socket queues no packet, and
 * neither does a non-blocking one (WSAEWOULDBLOCK, then the connection is
 * accepted): Wine test_connect_completion_port, "connect() does not queue
 * completion". */
static void test_x5_connect_queues_no_packet(void **state)
{
    struct sockaddr_storage addr;
    int addrlen, ret, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET s = new_tcp_socket(AF_INET);
    SOCKET s2 = new_tcp_socket(AF_INET);
    SOCKET server, server2;
    HANDLE port = new_port();
    u_long nonblocking = 1;
    (void)state;

    associate(s, port, KEY_C);
    assert_int_equal(connect(s, (struct sockaddr *)&addr, addrlen), 0);
    server = accept(l, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_no_packet(port, QUIET_MS);

    associate(s2, port, KEY_C + 1);
    assert_int_equal(ioctlsocket(s2, FIONBIO, &nonblocking), 0);
    WSASetLastError((int)SENTINEL);
    ret = connect(s2, (struct sockaddr *)&addr, addrlen);
    err = WSAGetLastError();
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAEWOULDBLOCK);
    server2 = accept(l, NULL, NULL);
    assert_true(server2 != INVALID_SOCKET);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(server2), 0);
    assert_int_equal(closesocket(server), 0);
    assert_int_equal(closesocket(s2), 0);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* X5: shutdown() queues no packet on a port-associated socket (Wine
 * test_shutdown_completion_port, SD_BOTH); the peer sees end of stream. */
static void test_x5_shutdown_queues_no_packet(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    char got[8];
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY_C);
    assert_int_equal(shutdown(s, SD_SEND), 0);
    assert_no_packet(port, QUIET_MS);
    assert_int_equal(shutdown(s, SD_BOTH), 0);
    assert_no_packet(port, QUIET_MS);
    assert_int_equal(wait_readable(peer, PACKET_WAIT_MS), 1);
    assert_int_equal(recv(peer, got, (int)sizeof(got), 0), 0);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* X5: WSASendDisconnect on a port-associated socket returns 0 and queues
 * no packet (Wine test_shutdown_completion_port); the peer sees end of
 * stream, later sends fail with WSAESHUTDOWN; the receiving side still
 * works until WSARecvDisconnect. */
static void test_x5_wsasenddisconnect_queues_no_packet(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    char got[8];
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY_C);
    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(WSASendDisconnect(s, NULL), 0);
    assert_no_packet(port, QUIET_MS);
    assert_int_equal(wait_readable(peer, PACKET_WAIT_MS), 1);
    assert_int_equal(recv(peer, got, (int)sizeof(got), 0), 0);
    assert_int_equal(send(s, "x", 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAESHUTDOWN);

    assert_int_equal(send(peer, "yz", 2, 0), 2);
    assert_int_equal(recv_all(s, got, 2), 2);
    assert_memory_equal(got, "yz", 2);
    assert_int_equal(WSARecvDisconnect(s, NULL), 0);
    assert_no_packet(port, QUIET_MS);

    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(WSASendDisconnect((SOCKET)0x7ffffff0, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x1_connectex_on_unbound_socket_is_einval),
        cmocka_unit_test(test_x1_connectex_on_listening_socket_is_einval),
        cmocka_unit_test(test_x1_connectex_with_null_overlapped_is_invalid_parameter),
        cmocka_unit_test(test_x1_connectex_on_connected_socket_is_eisconn),
        cmocka_unit_test(test_x2_connectex_without_data_completes_with_zero_bytes),
        cmocka_unit_test(test_x2_connectex_with_data_reports_bytes_sent),
        cmocka_unit_test(test_x2_connectex_queues_packet_with_skip_on_success),
        cmocka_unit_test(test_x2_connectex_ipv6_loopback),
        cmocka_unit_test(test_x3_p3_refused_connectex_reports_connection_refused),
        cmocka_unit_test(test_x3_refused_socket_can_connectex_again),
        cmocka_unit_test(test_x4_update_connect_context_gives_connected_socket),
        cmocka_unit_test(test_x5_connect_queues_no_packet),
        cmocka_unit_test(test_x5_shutdown_queues_no_packet),
        cmocka_unit_test(test_x5_wsasenddisconnect_queues_no_packet),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
