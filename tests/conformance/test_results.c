/*
 * Conformance tests for results, modes and errors: spec rows E1..E5 of
 * iocp-semantics.md (E5 limited to FIONBIO and FIONREAD), plus
 * HasOverlappedIoCompleted and GetOverlappedResult on a socket. Plain Win32:
 * the same source builds against iocpcompat and against the Windows SDK, and
 * Windows is the reference.
 *
 * OVERLAPPEDs and buffers of I/O that may still be pending when an assertion
 * fails are static, so a late completion never writes into a dead stack frame.
 * Contexts shared with helper threads are heap-allocated and are only freed
 * once the thread has been joined (leaked on failure, for the same reason).
 */
#include "conformance.h"

#include <stdlib.h>

#define KEY_A ((ULONG_PTR)0x1234)

/* After a successful (WSA)GetOverlappedResult Windows 10 1809+ sets the last
 * error to 0 and older versions leave it alone (Wine
 * test_WSAGetOverlappedResult); the spec says nothing, so accept both. */
#define assert_success_error(err, sentinel) \
    assert_true((DWORD)(err) == 0 || (DWORD)(err) == (DWORD)(sentinel))

/* recv_op's counterpart for WSASend (only this file checks sends this way). */
typedef struct send_op {
    OVERLAPPED ovl;
    WSABUF wsabuf;
    DWORD bytes;
    int ret;
    int err;
    char buf[16];
} send_op;

static void issue_send(SOCKET s, send_op *op, const char *data, ULONG len)
{
    memset(op, 0, sizeof(*op));
    memcpy(op->buf, data, len);
    op->wsabuf.buf = op->buf;
    op->wsabuf.len = len;
    op->bytes = SENTINEL;
    WSASetLastError(WSA_SENTINEL);
    op->ret = WSASend(s, &op->wsabuf, 1, &op->bytes, 0, &op->ovl, NULL);
    op->err = WSAGetLastError();
}

/* A port-associated pair in skip-on-success mode; s is the socket under test. */
static HANDLE skip_mode_pair(SOCKET *peer, SOCKET *s)
{
    HANDLE port = new_port();
    tcp_pair(peer, s);
    associate(*s, port, KEY_A);
    assert_true(SetFileCompletionNotificationModes((HANDLE)*s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    return port;
}

/* E1: with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, a recv that succeeds at once
 * returns 0 with the bytes and queues no packet; one that pends instead (R3)
 * queues its packet. */
static void test_e1_skip_immediate_recv_queues_no_packet(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port;
    (void)state;

    port = skip_mode_pair(&c, &s);
    make_readable(c, s, "abcd", 4);
    issue_recv(s, &op, NULL);
    assert_done_once(port, op.ret, op.err, op.bytes, 4, KEY_A, &op.ovl, TRUE);
    assert_memory_equal(op.buf, "abcd", 4);
    assert_no_packet(port, 300);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* E1: in skip mode a recv that pends still queues its packet. */
static void test_e1_skip_pending_recv_still_queues_packet(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port;
    packet p;
    (void)state;

    port = skip_mode_pair(&c, &s);
    issue_recv(s, &op, NULL);
    assert_recv_pending(op);
    assert_int_equal(send(c, "wxyz", 4, 0), 4);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 4, KEY_A, &op.ovl);
    assert_memory_equal(op.buf, "wxyz", 4);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* E1: a small WSASend on an idle connection usually completes at once; in
 * skip mode it then returns 0 with the bytes and queues no packet (pending
 * instead, R3, it queues its packet). */
static void test_e1_skip_immediate_send_queues_no_packet(void **state)
{
    static send_op op;
    char got[4];
    SOCKET c, s;
    HANDLE port;
    (void)state;

    port = skip_mode_pair(&c, &s);
    issue_send(s, &op, "send", 4);
    assert_done_once(port, op.ret, op.err, op.bytes, 4, KEY_A, &op.ovl, TRUE);
    assert_int_equal(recv_all(c, got, 4), 4);
    assert_memory_equal(got, "send", 4);
    assert_no_packet(port, 300);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* E1: the mode is set once and stays for every later op on the socket,
 * whether ops in between pended or not. After the first, each op may finish
 * at once or pend (R3); the packet rule is checked for the way it went. */
static void test_e1_skip_mode_stays_set_across_operations(void **state)
{
    static recv_op r1, r2, r3;
    static send_op w1;
    char got[2];
    SOCKET c, s;
    HANDLE port;
    packet p;
    (void)state;

    port = skip_mode_pair(&c, &s);

    make_readable(c, s, "11", 2);
    issue_recv(s, &r1, NULL);
    assert_done_once(port, r1.ret, r1.err, r1.bytes, 2, KEY_A, &r1.ovl, TRUE);
    assert_no_packet(port, QUIET_MS);

    issue_recv(s, &r2, NULL);
    assert_recv_pending(r2);
    assert_int_equal(send(c, "22", 2, 0), 2);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 2, KEY_A, &r2.ovl);

    issue_send(s, &w1, "33", 2);
    assert_done_once(port, w1.ret, w1.err, w1.bytes, 2, KEY_A, &w1.ovl, TRUE);
    assert_int_equal(recv_all(c, got, 2), 2);
    assert_no_packet(port, QUIET_MS);

    make_readable(c, s, "44", 2);
    issue_recv(s, &r3, NULL);
    assert_done_once(port, r3.ret, r3.err, r3.bytes, 2, KEY_A, &r3.ovl, TRUE);
    assert_memory_equal(r3.buf, "44", 2);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* E2: while the recv is pending, WSAGetOverlappedResult(fWait FALSE) fails
 * with WSA_IO_INCOMPLETE and GetOverlappedResult(bWait FALSE) with
 * ERROR_IO_INCOMPLETE; once it completes both report TRUE and the bytes. */
static void test_e2_pending_reports_io_incomplete(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD n, flags;
    BOOL ok;
    int err;
    DWORD gle;
    (void)state;

    assert_non_null(ev);
    tcp_pair(&c, &s);
    issue_recv(s, &op, ev);
    assert_recv_pending(op);
    assert_int_equal(overlapped_status(&op.ovl), STATUS_PENDING);

    n = 0xdeadbeef;
    flags = 0xdeadbeef;
    WSASetLastError(WSA_SENTINEL);
    ok = WSAGetOverlappedResult(s, &op.ovl, &n, FALSE, &flags);
    err = WSAGetLastError();
    assert_false(ok);
    assert_int_equal(err, WSA_IO_INCOMPLETE);

    n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ok = GetOverlappedResult((HANDLE)s, &op.ovl, &n, FALSE);
    gle = GetLastError();
    assert_false(ok);
    assert_int_equal(gle, ERROR_IO_INCOMPLETE);
    assert_false(HasOverlappedIoCompleted(&op.ovl));

    assert_int_equal(send(c, "done!", 5, 0), 5);
    assert_int_equal(WaitForSingleObject(ev, PACKET_WAIT_MS), WAIT_OBJECT_0);
    assert_true(HasOverlappedIoCompleted(&op.ovl));

    n = 0xdeadbeef;
    flags = 0xdeadbeef;
    WSASetLastError(WSA_SENTINEL);
    ok = WSAGetOverlappedResult(s, &op.ovl, &n, FALSE, &flags);
    err = WSAGetLastError();
    assert_true(ok);
    assert_success_error(err, WSA_SENTINEL);
    assert_int_equal(n, 5);
    assert_int_equal(flags, 0);

    n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ok = GetOverlappedResult((HANDLE)s, &op.ovl, &n, FALSE);
    gle = GetLastError();
    assert_true(ok);
    assert_success_error(gle, 0xdeadbeef);
    assert_int_equal(n, 5);
    assert_memory_equal(op.buf, "done!", 5);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(ev));
}

/* A thread blocked in WSAGetOverlappedResult(fWait TRUE). */
typedef struct result_waiter {
    SOCKET s;
    LPWSAOVERLAPPED ovl;
    volatile LONG started;
    BOOL ok;
    int err;
    DWORD bytes;
    DWORD flags;
} result_waiter;

static DWORD WINAPI result_waiter_main(LPVOID arg)
{
    result_waiter *w = arg;
    w->bytes = 0xdeadbeef;
    w->flags = 0xdeadbeef;
    InterlockedExchange(&w->started, 1);
    WSASetLastError(WSA_SENTINEL);
    w->ok = WSAGetOverlappedResult(w->s, w->ovl, &w->bytes, TRUE, &w->flags);
    w->err = WSAGetLastError();
    return 0;
}

/* E2: fWait TRUE blocks until the op completes, then reports its result. */
static void test_e2_wait_true_blocks_until_complete(void **state)
{
    static recv_op op;
    SOCKET c, s;
    WSAEVENT ev = WSACreateEvent();
    result_waiter *w;
    HANDLE t;
    (void)state;

    assert_true(ev != WSA_INVALID_EVENT);
    tcp_pair(&c, &s);
    issue_recv(s, &op, ev);
    assert_recv_pending(op);

    w = calloc(1, sizeof(*w));
    assert_non_null(w);
    w->s = s;
    w->ovl = &op.ovl;
    t = start_thread(result_waiter_main, w);
    assert_true(wait_flag(&w->started, 3000));
    Sleep(300);
    /* Still blocked: nothing has arrived yet. */
    assert_int_equal(WaitForSingleObject(t, 0), WAIT_TIMEOUT);

    assert_int_equal(send(c, "wake", 4, 0), 4);
    assert_true(join_thread(t, PACKET_WAIT_MS));
    assert_true(w->ok);
    assert_success_error(w->err, WSA_SENTINEL);
    assert_int_equal(w->bytes, 4);
    assert_int_equal(w->flags, 0);
    assert_memory_equal(op.buf, "wake", 4);
    free(w);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(WSACloseEvent(ev));
}

/* E2: a recv failed by a reset: WSAGetOverlappedResult reports WSAECONNRESET
 * while GetOverlappedResult reports ERROR_NETNAME_DELETED (Wine test_WSARecv,
 * test_WSAGetOverlappedResult), both with 0 bytes. */
static void test_e2_reset_reports_wsaeconnreset(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD n, flags, gle;
    BOOL ok;
    int err;
    (void)state;

    assert_non_null(ev);
    tcp_pair(&c, &s);
    issue_recv(s, &op, ev);
    assert_recv_pending(op);

    close_with_reset(c);
    assert_int_equal(WaitForSingleObject(ev, PACKET_WAIT_MS), WAIT_OBJECT_0);
    assert_true(HasOverlappedIoCompleted(&op.ovl));

    n = 0xdeadbeef;
    flags = 0xdeadbeef;
    WSASetLastError(WSA_SENTINEL);
    ok = WSAGetOverlappedResult(s, &op.ovl, &n, FALSE, &flags);
    err = WSAGetLastError();
    assert_false(ok);
    assert_int_equal(err, WSAECONNRESET);
    assert_int_equal(n, 0);

    n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ok = GetOverlappedResult((HANDLE)s, &op.ovl, &n, FALSE);
    gle = GetLastError();
    assert_false(ok);
    assert_int_equal(gle, ERROR_NETNAME_DELETED);
    assert_int_equal(n, 0);

    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(ev));
}

/* E2: on a port-associated socket the OVERLAPPED of a dequeued packet still
 * answers WSAGetOverlappedResult and GetOverlappedResult. */
static void test_e2_result_after_packet_on_associated_socket(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port = new_port();
    DWORD n, flags;
    packet p;
    (void)state;

    tcp_pair(&c, &s);
    associate(s, port, KEY_A);
    issue_recv(s, &op, NULL);
    assert_recv_pending(op);
    assert_int_equal(send(c, "pkt", 3, 0), 3);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 3, KEY_A, &op.ovl);

    n = 0xdeadbeef;
    flags = 0xdeadbeef;
    assert_true(WSAGetOverlappedResult(s, &op.ovl, &n, FALSE, &flags));
    assert_int_equal(n, 3);
    assert_int_equal(flags, 0);
    n = 0xdeadbeef;
    assert_true(GetOverlappedResult((HANDLE)s, &op.ovl, &n, FALSE));
    assert_int_equal(n, 3);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* E3: SetLastError and WSAGetLastError share the slot. */
static void test_e3_setlasterror_visible_to_wsagetlasterror(void **state)
{
    (void)state;
    SetLastError(ERROR_NOT_FOUND);
    assert_int_equal(WSAGetLastError(), ERROR_NOT_FOUND);
    SetLastError(WSAEWOULDBLOCK);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
}

/* E3: WSASetLastError and GetLastError share the slot. */
static void test_e3_wsasetlasterror_visible_to_getlasterror(void **state)
{
    (void)state;
    WSASetLastError(WSAECONNRESET);
    assert_int_equal(GetLastError(), WSAECONNRESET);
    WSASetLastError(ERROR_IO_PENDING);
    assert_int_equal(GetLastError(), ERROR_IO_PENDING);
}

/* E3: a failing Winsock call is readable with GetLastError() (Wine reads
 * WSARecv's WSAENOTCONN that way in test_completion_port). */
static void test_e3_winsock_failure_visible_to_getlasterror(void **state)
{
    static recv_op op;
    SOCKET s = new_tcp_socket(AF_INET);
    (void)state;

    memset(&op, 0, sizeof(op));
    op.wsabuf.buf = op.buf;
    op.wsabuf.len = (ULONG)sizeof(op.buf);
    SetLastError(0xdeadbeef);
    op.ret = WSARecv(s, &op.wsabuf, 1, &op.bytes, &op.flags, &op.ovl, NULL);
    assert_int_equal(op.ret, SOCKET_ERROR);
    assert_int_equal(GetLastError(), WSAENOTCONN);
    assert_int_equal(WSAGetLastError(), WSAENOTCONN);

    assert_int_equal(closesocket(s), 0);
}

/* E3: a failing Win32 call is readable with WSAGetLastError(). */
static void test_e3_win32_failure_visible_to_wsagetlasterror(void **state)
{
    HANDLE port = new_port();
    ULONG_PTR key = 0;
    DWORD n = 0;
    LPOVERLAPPED ovl = NULL;
    BOOL ok;
    (void)state;

    WSASetLastError(WSA_SENTINEL);
    ok = GetQueuedCompletionStatus(port, &n, &key, &ovl, 0);
    assert_false(ok);
    assert_int_equal(WSAGetLastError(), WAIT_TIMEOUT);
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);

    assert_true(CloseHandle(port));
}

/* E3 helper: sets its own last error, then reads it back after the test
 * thread has changed its own. */
typedef struct error_thread {
    volatile LONG set;
    volatile LONG main_changed;
    int waited;
    DWORD gle;
    int wsa;
} error_thread;

static DWORD WINAPI error_thread_main(LPVOID arg)
{
    error_thread *e = arg;
    SetLastError(ERROR_NETNAME_DELETED);
    InterlockedExchange(&e->set, 1);
    e->waited = wait_flag(&e->main_changed, 3000);
    e->gle = GetLastError();
    e->wsa = WSAGetLastError();
    return 0;
}

/* E3: the slot is per thread: neither thread sees the other's value. */
static void test_e3_last_error_is_per_thread(void **state)
{
    error_thread *e = calloc(1, sizeof(*e));
    HANDLE t;
    DWORD mine_gle;
    int mine_wsa;
    (void)state;

    assert_non_null(e);
    t = start_thread(error_thread_main, e);
    SetLastError(ERROR_OPERATION_ABORTED);
    assert_true(wait_flag(&e->set, 3000));
    /* The helper has set its value by now; ours is untouched. */
    mine_gle = GetLastError();
    mine_wsa = WSAGetLastError();
    WSASetLastError(WSAECONNABORTED);
    InterlockedExchange(&e->main_changed, 1);

    assert_true(join_thread(t, 5000));
    assert_int_equal(mine_gle, ERROR_OPERATION_ABORTED);
    assert_int_equal(mine_wsa, ERROR_OPERATION_ABORTED);
    assert_true(e->waited);
    assert_int_equal(e->gle, ERROR_NETNAME_DELETED);
    assert_int_equal(e->wsa, ERROR_NETNAME_DELETED);
    free(e);
}

/* E4: bind to an address a listener holds: WSAEADDRINUSE. */
static void test_e4_bind_in_use_reports_wsaeaddrinuse(void **state)
{
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET s = new_tcp_socket(AF_INET);
    int ret;
    (void)state;

    WSASetLastError(WSA_SENTINEL);
    ret = bind(s, (struct sockaddr *)&addr, addrlen);
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEADDRINUSE);
    assert_int_equal(GetLastError(), WSAEADDRINUSE);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(l), 0);
}

/* E4: connect to a loopback port nobody listens on: WSAECONNREFUSED (Windows
 * takes about two seconds to give up). */
static void test_e4_connect_refused_reports_wsaeconnrefused(void **state)
{
    struct sockaddr_storage target;
    int targetlen;
    SOCKET closed_port = new_bound_socket(AF_INET, &target, &targetlen);
    SOCKET s = new_tcp_socket(AF_INET);
    int ret;
    (void)state;

    WSASetLastError(WSA_SENTINEL);
    ret = connect(s, (struct sockaddr *)&target, targetlen);
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAECONNREFUSED);
    assert_int_equal(GetLastError(), WSAECONNREFUSED);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(closed_port), 0);
}

/* E4: connect on a connected socket: WSAEISCONN (Wine test_connect). */
static void test_e4_connect_connected_reports_wsaeisconn(void **state)
{
    struct sockaddr_storage peer;
    int peerlen = (int)sizeof(peer);
    SOCKET c, s;
    int ret;
    (void)state;

    tcp_pair(&c, &s);
    assert_int_equal(getpeername(c, (struct sockaddr *)&peer, &peerlen), 0);
    WSASetLastError(WSA_SENTINEL);
    ret = connect(c, (struct sockaddr *)&peer, peerlen);
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEISCONN);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
}

/* E4: an unknown IP-level option: WSAENOPROTOOPT (Wine test_sockopt_validity). */
static void test_e4_getsockopt_unknown_option_reports_wsaenoprotoopt(void **state)
{
    SOCKET s = new_tcp_socket(AF_INET);
    char value[16];
    int len = (int)sizeof(value);
    int ret;
    (void)state;

    memset(value, 0, sizeof(value));
    WSASetLastError(WSA_SENTINEL);
    ret = getsockopt(s, IPPROTO_IP, -1, value, &len);
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOPROTOOPT);

    assert_int_equal(closesocket(s), 0);
}

/* E5: WSAIoctl(FIONBIO) with an overlapped on a port-associated socket
 * returns 0 and still queues a 0-byte packet; Internal and InternalHigh end up
 * 0 (Wine test_fionbio). The socket is then non-blocking. */
static void test_e5_fionbio_overlapped_queues_zero_byte_packet(void **state)
{
    static OVERLAPPED ovl;
    ULONG one = 1; /* the 4-byte u_long of Windows */
    SOCKET c, s;
    HANDLE port = new_port();
    DWORD n = 0xdeadbeef;
    char b;
    int ret, err;
    packet p;
    (void)state;

    tcp_pair(&c, &s);
    associate(s, port, KEY_A);
    memset(&ovl, 0, sizeof(ovl));
    ovl.Internal = 0xdeadbeef;
    ovl.InternalHigh = 0xdeadbeef;
    WSASetLastError(WSA_SENTINEL);
    ret = WSAIoctl(s, FIONBIO, &one, (DWORD)sizeof(one), NULL, 0, &n, &ovl, NULL);
    err = WSAGetLastError();
    assert_int_equal(ret, 0);
    assert_int_equal(err, 0);
    assert_int_equal(n, 0);

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_A, &ovl);
    assert_int_equal(ovl.Internal, 0);
    assert_int_equal(ovl.InternalHigh, 0);
    assert_no_packet(port, QUIET_MS);

    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(recv(s, &b, 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* E5: WSAIoctl(FIONREAD) with an overlapped on a port-associated socket
 * returns 0 with the count (lpcbBytesReturned = 4) and still queues a packet
 * whose byte count is 0 (Wine test_fionread_siocatmark). Data stays queued. */
static void test_e5_fionread_overlapped_queues_zero_byte_packet(void **state)
{
    static OVERLAPPED ovl;
    ULONG avail = 0xdeadbeef; /* the 4-byte u_long of Windows */
    SOCKET c, s;
    HANDLE port = new_port();
    DWORD n = 0xdeadbeef;
    char got[5];
    int ret, err;
    packet p;
    (void)state;

    tcp_pair(&c, &s);
    associate(s, port, KEY_A);
    make_readable(c, s, "12345", 5);
    memset(&ovl, 0, sizeof(ovl));
    ovl.Internal = 0xdeadbeef;
    ovl.InternalHigh = 0xdeadbeef;
    WSASetLastError(WSA_SENTINEL);
    ret = WSAIoctl(s, FIONREAD, NULL, 0, &avail, (DWORD)sizeof(avail), &n, &ovl, NULL);
    err = WSAGetLastError();
    assert_int_equal(ret, 0);
    assert_int_equal(err, 0);
    assert_int_equal(avail, 5);
    assert_int_equal(n, sizeof(avail));

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_A, &ovl);
    assert_int_equal(ovl.Internal, 0);
    assert_int_equal(ovl.InternalHigh, 0);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(recv_all(s, got, 5), 5);
    assert_memory_equal(got, "12345", 5);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_e1_skip_immediate_recv_queues_no_packet),
        cmocka_unit_test(test_e1_skip_pending_recv_still_queues_packet),
        cmocka_unit_test(test_e1_skip_immediate_send_queues_no_packet),
        cmocka_unit_test(test_e1_skip_mode_stays_set_across_operations),
        cmocka_unit_test(test_e2_pending_reports_io_incomplete),
        cmocka_unit_test(test_e2_wait_true_blocks_until_complete),
        cmocka_unit_test(test_e2_reset_reports_wsaeconnreset),
        cmocka_unit_test(test_e2_result_after_packet_on_associated_socket),
        cmocka_unit_test(test_e3_setlasterror_visible_to_wsagetlasterror),
        cmocka_unit_test(test_e3_wsasetlasterror_visible_to_getlasterror),
        cmocka_unit_test(test_e3_winsock_failure_visible_to_getlasterror),
        cmocka_unit_test(test_e3_win32_failure_visible_to_wsagetlasterror),
        cmocka_unit_test(test_e3_last_error_is_per_thread),
        cmocka_unit_test(test_e4_bind_in_use_reports_wsaeaddrinuse),
        cmocka_unit_test(test_e4_connect_refused_reports_wsaeconnrefused),
        cmocka_unit_test(test_e4_connect_connected_reports_wsaeisconn),
        cmocka_unit_test(test_e4_getsockopt_unknown_option_reports_wsaenoprotoopt),
        cmocka_unit_test(test_e5_fionbio_overlapped_queues_zero_byte_packet),
        cmocka_unit_test(test_e5_fionread_overlapped_queues_zero_byte_packet),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
