/*
 * Conformance tests for blocking calls, spec rows B1 and B2
 * (/work/shared/spec/iocp-semantics.md). B1: a thread blocks in accept,
 * recv, recvfrom, connect or select; the main thread closes the socket; the
 * blocked call must fail at once with WSAEINTR ("Windows Sockets in
 * multithreaded versions of Windows": closesocket cancels the blocking
 * call), never hang. B2: a blocking call beside a pending overlapped one on
 * the same socket. Plain Win32: the same source builds against the Windows
 * SDK.
 */
#include "conformance.h"

/* The call must really be blocked before the close: how long the test lets
 * the helper thread get into it. */
#define STILL_BLOCKED_MS 200
/* After the close the blocked call must end (Windows: at once). Tighter than
 * PACKET_WAIT_MS on purpose: a call that ends only seconds later (say, on a
 * poll timeout of its own) is not "at once". */
#define ENDS_WITHIN_MS   2000

enum call_kind { CALL_ACCEPT, CALL_RECV, CALL_RECVFROM, CALL_CONNECT, CALL_SELECT };

typedef struct blocked {
    enum call_kind kind;
    SOCKET s;
    struct sockaddr_storage target;   /* CALL_CONNECT */
    int targetlen;
    volatile LONG returned;
    INT_PTR result;                   /* what the call returned */
    int error;                        /* WSAGetLastError() after it */
} blocked;

static DWORD WINAPI block_in_call(LPVOID arg)
{
    blocked *b = (blocked *)arg;
    char buf[16];
    struct sockaddr_storage from;
    int fromlen = (int)sizeof(from);
    fd_set readable;
    WSASetLastError(WSA_SENTINEL);
    switch (b->kind) {
    case CALL_ACCEPT:
        b->result = (INT_PTR)accept(b->s, NULL, NULL);
        break;
    case CALL_RECV:
        b->result = recv(b->s, buf, (int)sizeof(buf), 0);
        break;
    case CALL_RECVFROM:
        b->result = recvfrom(b->s, buf, (int)sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
        break;
    case CALL_CONNECT:
        b->result = connect(b->s, (const struct sockaddr *)&b->target, b->targetlen);
        break;
    case CALL_SELECT:
        FD_ZERO(&readable);
        FD_SET(b->s, &readable);
        b->result = select(0, &readable, NULL, NULL, NULL);
        break;
    }
    b->error = WSAGetLastError();
    InterlockedExchange(&b->returned, 1);
    return 0;
}

/* Starts fn(arg) on a thread and checks that it is still blocked a while
 * later (it sets *returned when its call returns). */
static HANDLE start_blocked(LPTHREAD_START_ROUTINE fn, void *arg, volatile LONG *returned)
{
    HANDLE t = start_thread(fn, arg);
    Sleep(STILL_BLOCKED_MS);
    assert_int_equal(InterlockedCompareExchange(returned, 0, 0), 0);
    return t;
}

/* Checks that the blocked call ends in time and joins its thread. */
static void join_unblocked(HANDLE t, volatile LONG *returned)
{
    assert_int_equal(wait_flag(returned, ENDS_WITHIN_MS), 1);
    join_thread_exit_zero(t, ENDS_WITHIN_MS);
}

/* Starts the call on a thread, checks it blocks, closes its socket from
 * here and checks the call ends with failure and WSAEINTR. */
static void close_under_blocked_call(blocked *b, INT_PTR failure)
{
    HANDLE t;
    b->returned = 0;
    t = start_blocked(block_in_call, b, &b->returned);

    assert_int_equal(closesocket(b->s), 0);
    join_unblocked(t, &b->returned);
    assert_int_equal(b->result, failure);
    assert_int_equal(b->error, WSAEINTR);
}

/* B1: accept() blocked on a listener that another thread closes. */
static void test_b1_close_ends_blocked_accept(void **state)
{
    static blocked b;
    struct sockaddr_storage addr;
    int addrlen;
    (void)state;

    memset(&b, 0, sizeof(b));
    b.kind = CALL_ACCEPT;
    b.s = new_listener(AF_INET, &addr, &addrlen);
    close_under_blocked_call(&b, (INT_PTR)INVALID_SOCKET);
}

/* B1: recv() blocked on a connection with no data. The peer sees the close
 * (0 bytes), as after any closesocket. */
static void test_b1_close_ends_blocked_recv(void **state)
{
    static blocked b;
    SOCKET client, server;
    char byte;
    (void)state;

    memset(&b, 0, sizeof(b));
    tcp_pair(&client, &server);
    b.kind = CALL_RECV;
    b.s = server;
    close_under_blocked_call(&b, SOCKET_ERROR);
    assert_int_equal(recv(client, &byte, 1, 0), 0);
    assert_int_equal(closesocket(client), 0);
}

/* B1: recvfrom() blocked on a bound UDP socket. */
static void test_b1_close_ends_blocked_recvfrom(void **state)
{
    static blocked b;
    struct sockaddr_storage ss;
    int len;
    (void)state;

    memset(&b, 0, sizeof(b));
    b.kind = CALL_RECVFROM;
    b.s = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    assert_true(b.s != INVALID_SOCKET);
    len = loopback_address(AF_INET, &ss);
    assert_int_equal(bind(b.s, (struct sockaddr *)&ss, len), 0);
    close_under_blocked_call(&b, SOCKET_ERROR);
}

/* B1: connect() blocked because the listener's queue is full (its
 * handshakes go unanswered until there is room). */
static void test_b1_close_ends_blocked_connect(void **state)
{
    static blocked b;
    SOCKET l, queued[8];
    int i, n = 0;
    u_long nonblocking = 1;
    (void)state;

    memset(&b, 0, sizeof(b));
    l = new_tcp_socket(AF_INET);
    b.targetlen = loopback_address(AF_INET, &b.target);
    assert_int_equal(bind(l, (struct sockaddr *)&b.target, b.targetlen), 0);
    assert_int_equal(listen(l, 0), 0);
    b.targetlen = (int)sizeof(b.target);
    assert_int_equal(getsockname(l, (struct sockaddr *)&b.target, &b.targetlen), 0);
    /* Fill the queue: non-blocking connects until one stays in progress. */
    for (i = 0; i < 8; i++) {
        queued[n] = new_tcp_socket(AF_INET);
        assert_int_equal(ioctlsocket(queued[n], FIONBIO, &nonblocking), 0);
        connect(queued[n], (const struct sockaddr *)&b.target, b.targetlen);
        n++;
        Sleep(20);
        {
            fd_set w;
            struct timeval none = { 0, 0 };
            FD_ZERO(&w);
            FD_SET(queued[n - 1], &w);
            if (select(0, NULL, &w, NULL, &none) == 0)
                break;   /* this one is not answered: the queue is full */
        }
    }
    assert_true(i < 8);

    b.kind = CALL_CONNECT;
    b.s = new_tcp_socket(AF_INET);
    close_under_blocked_call(&b, SOCKET_ERROR);

    for (i = 0; i < n; i++)
        assert_int_equal(closesocket(queued[i]), 0);
    assert_int_equal(closesocket(l), 0);
}

/* B1, "select() likewise": select() with no timeout on a socket that
 * another thread closes. */
static void test_b1_close_ends_blocked_select(void **state)
{
    static blocked b;
    SOCKET client, server;
    (void)state;

    memset(&b, 0, sizeof(b));
    tcp_pair(&client, &server);
    b.kind = CALL_SELECT;
    b.s = server;
    close_under_blocked_call(&b, SOCKET_ERROR);
    assert_int_equal(closesocket(client), 0);
}

/* Windows ignores select's first argument (code passes 0) and never writes
 * the timeout; a call with no socket at all fails with WSAEINVAL. */
static void test_select_ignores_nfds_and_keeps_timeout(void **state)
{
    SOCKET client, server;
    fd_set readable;
    struct timeval wait = { 3, 0 };
    (void)state;

    tcp_pair(&client, &server);
    assert_int_equal(send(client, "x", 1, 0), 1);
    FD_ZERO(&readable);
    FD_SET(server, &readable);
    assert_int_equal(select(0, &readable, NULL, NULL, &wait), 1);
    assert_true(FD_ISSET(server, &readable));
    assert_int_equal(wait.tv_sec, 3);
    assert_int_equal(wait.tv_usec, 0);

    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(select(0, NULL, NULL, NULL, &wait), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);

    assert_int_equal(closesocket(client), 0);
    assert_int_equal(closesocket(server), 0);
}

/* B2: a blocking recv on a socket with an overlapped WSARecv pending: both
 * get data, the overlapped one completes with exactly one packet, and the
 * blocking call never takes the overlapped one's completion. The two
 * messages are sent apart, so each call gets one of them whole. */
static void test_b2_blocking_recv_beside_pending_wsarecv(void **state)
{
    static blocked b;
    static recv_op op;
    SOCKET client, server;
    HANDLE port = new_port();
    HANDLE t;
    packet p;
    (void)state;

    memset(&b, 0, sizeof(b));
    tcp_pair(&client, &server);
    associate(server, port, 0xb2);
    issue_recv(server, &op, NULL);
    assert_recv_pending(op);

    b.kind = CALL_RECV;
    b.s = server;
    t = start_blocked(block_in_call, &b, &b.returned);

    assert_int_equal(send_all(client, "first", 5), 5);
    Sleep(STILL_BLOCKED_MS);
    assert_int_equal(send_all(client, "second", 6), 6);

    p = get_packet(port, PACKET_WAIT_MS);
    assert_true(p.ok);
    assert_ptr_equal(p.ovl, &op.ovl);
    assert_int_equal(p.key, 0xb2);
    join_unblocked(t, &b.returned);
    assert_true((p.bytes == 5 && b.result == 6) || (p.bytes == 6 && b.result == 5));
    assert_memory_equal(op.buf, p.bytes == 5 ? "first" : "second", p.bytes);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(client), 0);
    assert_int_equal(closesocket(server), 0);
    assert_true(CloseHandle(port));
}

/* B2, send: a blocking send posted while a large WSASend of the same socket
 * is still in flight (the peer does not read yet) is queued behind it, as on
 * Windows: the peer gets the WSASend's bytes whole, then the send's, and
 * each call reports all its bytes. */
#define B2_SEND_BYTES (4 << 20)

typedef struct blocking_sender {
    SOCKET s;
    const char *buf;
    volatile LONG returned;
    int result, error;
} blocking_sender;

static DWORD WINAPI send_blocking(LPVOID arg)
{
    blocking_sender *b = (blocking_sender *)arg;
    WSASetLastError(WSA_SENTINEL);
    b->result = send(b->s, b->buf, B2_SEND_BYTES, 0);
    b->error = WSAGetLastError();
    InterlockedExchange(&b->returned, 1);
    return 0;
}

static void test_b2_blocking_send_queues_behind_pending_wsasend(void **state)
{
    static OVERLAPPED ovl;
    static blocking_sender b;
    SOCKET client, server;
    HANDLE port = new_port();
    HANDLE t;
    WSABUF wb;
    DWORD sent = SENTINEL;
    char *first, *second, *got;
    int ret, err, have = 0, i, switches = 0;
    packet p;
    (void)state;

    first = (char *)malloc(B2_SEND_BYTES);
    second = (char *)malloc(B2_SEND_BYTES);
    got = (char *)malloc(2 * B2_SEND_BYTES);
    assert_non_null(first);
    assert_non_null(second);
    assert_non_null(got);
    memset(first, 'A', B2_SEND_BYTES);
    memset(second, 'B', B2_SEND_BYTES);
    tcp_pair(&client, &server);
    associate(server, port, 0xb2);

    memset(&ovl, 0, sizeof(ovl));
    wb.buf = first;
    wb.len = B2_SEND_BYTES;
    ret = post_send(server, &wb, 1, &ovl, &sent, &err);
    assert_int_equal(ret, SOCKET_ERROR);   /* 4 MiB to a peer that reads nothing yet */
    assert_int_equal(err, WSA_IO_PENDING);

    memset(&b, 0, sizeof(b));
    b.s = server;
    b.buf = second;
    t = start_blocked(send_blocking, &b, &b.returned);

    while (have < 2 * B2_SEND_BYTES) {
        int n = recv(client, got + have, 2 * B2_SEND_BYTES - have, 0);
        assert_true(n > 0);
        have += n;
    }
    join_unblocked(t, &b.returned);
    assert_int_equal(b.result, B2_SEND_BYTES);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, B2_SEND_BYTES, 0xb2, &ovl);
    assert_no_packet(port, QUIET_MS);   /* the blocking send queues no packet */
    for (i = 1; i < have; i++)
        switches += got[i] != got[i - 1];
    assert_int_equal(got[0], 'A');
    assert_int_equal(switches, 1);

    assert_int_equal(closesocket(client), 0);
    assert_int_equal(closesocket(server), 0);
    assert_true(CloseHandle(port));
    free(first);
    free(second);
    free(got);
}

/* B1 for a send queued that way: closesocket ends it with WSAEINTR. */
static void test_b1_close_ends_blocked_send(void **state)
{
    static blocking_sender b;
    SOCKET client, server;
    HANDLE port = new_port();
    HANDLE t;
    char *buf;
    (void)state;

    buf = (char *)malloc(B2_SEND_BYTES);
    assert_non_null(buf);
    memset(buf, 'C', B2_SEND_BYTES);
    tcp_pair(&client, &server);
    associate(server, port, 0xb1);
    memset(&b, 0, sizeof(b));
    b.s = server;
    b.buf = buf;
    t = start_blocked(send_blocking, &b, &b.returned);
    assert_int_equal(closesocket(server), 0);
    join_unblocked(t, &b.returned);
    assert_int_equal(b.result, SOCKET_ERROR);
    assert_int_equal(b.error, WSAEINTR);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(client), 0);
    assert_true(CloseHandle(port));
    free(buf);
}

/* A blocking call that succeeds clears the last error, as Winsock does
 * (Wine's tests record it on Windows: httpapi's test_v1_cooked_url for
 * recv, sock.c's test_WSASendTo and the setsockopt size tests), also on a
 * socket made with plain socket(), and for a send that queued behind the
 * socket's overlapped sends on a port-associated socket. */
static void test_successful_calls_clear_last_error(void **state)
{
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l, client, server;
    HANDLE port = new_port();
    char buf[4];
    (void)state;

    l = new_listener(AF_INET, &addr, &addrlen);
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_true(client != INVALID_SOCKET);
    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(connect(client, (const struct sockaddr *)&addr, addrlen), 0);
    assert_int_equal(WSAGetLastError(), 0);
    WSASetLastError(WSA_SENTINEL);
    server = accept(l, NULL, NULL);
    assert_true(server != INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), 0);
    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(send(client, "abc", 3, 0), 3);
    assert_int_equal(WSAGetLastError(), 0);
    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(recv(server, buf, 3, MSG_WAITALL), 3);
    assert_int_equal(WSAGetLastError(), 0);
    assert_memory_equal(buf, "abc", 3);

    associate(server, port, 0xe3);
    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(send(server, "xyz", 3, 0), 3);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(recv_all(client, buf, 3), 3);
    assert_memory_equal(buf, "xyz", 3);
    assert_no_packet(port, QUIET_MS);   /* a blocking send queues no packet */

    assert_int_equal(closesocket(server), 0);
    assert_int_equal(closesocket(client), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_b1_close_ends_blocked_accept),
        cmocka_unit_test(test_b1_close_ends_blocked_recv),
        cmocka_unit_test(test_b1_close_ends_blocked_recvfrom),
        cmocka_unit_test(test_b1_close_ends_blocked_connect),
        cmocka_unit_test(test_b1_close_ends_blocked_select),
        cmocka_unit_test(test_select_ignores_nfds_and_keeps_timeout),
        cmocka_unit_test(test_b2_blocking_recv_beside_pending_wsarecv),
        cmocka_unit_test(test_b2_blocking_send_queues_behind_pending_wsasend),
        cmocka_unit_test(test_b1_close_ends_blocked_send),
        cmocka_unit_test(test_successful_calls_clear_last_error),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
