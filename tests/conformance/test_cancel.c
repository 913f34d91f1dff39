/*
 * Conformance tests for CancelIo / CancelIoEx on the extension operations
 * and on sends: spec rows C5 and C6 (/work/shared/spec/iocp-semantics.md).
 * test_close.c already covers CancelIoEx on WSARecvs and the
 * nothing-pending case on a connected socket; this file covers AcceptEx,
 * ConnectEx, WSASend, and CancelIo's per-thread rule. Plain Win32: the same
 * source builds against iocpcompat on Linux and against the Windows SDK.
 *
 * Windows reference: Microsoft Learn CancelIo ("cancels all pending I/O
 * operations that are issued by the calling thread for the specified file")
 * and CancelIoEx ("regardless of which thread created the I/O operation";
 * ERROR_NOT_FOUND when nothing is found); Wine's dlls/ws2_32/tests/sock.c
 * (test_AcceptEx: CancelIo on the accept socket does not cancel the AcceptEx;
 * test_completion_port: an aborted AcceptEx reports ERROR_OPERATION_ABORTED
 * with the listener's key and Internal = STATUS_CANCELLED).
 *
 * Everything a pending operation may write to is static.
 */
#include "conformance.h"

#include <stdlib.h>

#define KEY_L          ((ULONG_PTR)0x115e)    /* a listener */
#define KEY_S          ((ULONG_PTR)0x50c4)    /* a data socket */
#define BIG_SEND       (8 << 20)  /* more than a non-reading loopback peer takes */
#define MAX_SENDS      8
#define RACE_ROUNDS    20

/* CancelIoEx with the last error set to SENTINEL first. */
static BOOL call_cancelioex(SOCKET s, OVERLAPPED *ovl, DWORD *err)
{
    BOOL ok;
    SetLastError(SENTINEL);
    ok = CancelIoEx((HANDLE)s, ovl);
    *err = GetLastError();
    return ok;
}

/* C5: CancelIoEx(listener, &ovl1) cancels that AcceptEx alone: its packet is
 * FALSE, ERROR_OPERATION_ABORTED, 0 bytes, the listener's key, Internal
 * STATUS_CANCELLED; the other AcceptEx on the listener stays pending and
 * takes the next connection. */
static void test_c5_cancelioex_cancels_only_the_given_acceptex(void **state)
{
    static OVERLAPPED ovl1, ovl2;
    struct sockaddr_storage addr;
    int addrlen, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET a1 = new_tcp_socket(AF_INET);
    SOCKET a2 = new_tcp_socket(AF_INET);
    SOCKET c = new_tcp_socket(AF_INET);
    HANDLE port = new_port();
    char got[4];
    DWORD cerr;
    packet p;
    BOOL ok;
    (void)state;

    associate(l, port, KEY_L);
    memset(&ovl1, 0, sizeof(ovl1));
    memset(&ovl2, 0, sizeof(ovl2));
    ok = call_acceptex(l, a1, 0, &ovl1, &err);
    assert_ex_pending(ok, err);
    ok = call_acceptex(l, a2, 1, &ovl2, &err);
    assert_ex_pending(ok, err);

    ok = call_cancelioex(l, &ovl1, &cerr);
    assert_true(ok);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_failed(p, ERROR_OPERATION_ABORTED, 0, KEY_L, &ovl1);
    assert_int_equal(overlapped_status(&ovl1), STATUS_CANCELLED);
    assert_no_packet(port, QUIET_MS);
    assert_false(HasOverlappedIoCompleted(&ovl2));

    assert_int_equal(connect(c, (struct sockaddr *)&addr, addrlen), 0);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_L, &ovl2);
    assert_int_equal(setsockopt(a2, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, (int)sizeof(l)), 0);
    assert_int_equal(send_all(c, "acc2", 4), 4);
    assert_int_equal(recv_all(a2, got, 4), 4);
    assert_memory_equal(got, "acc2", 4);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(a2), 0);
    assert_int_equal(closesocket(a1), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* C5: CancelIoEx(listener, NULL) cancels every AcceptEx pending on it: one
 * ERROR_OPERATION_ABORTED packet each, in any order, and nothing more. */
static void test_c5_cancelioex_null_cancels_every_acceptex(void **state)
{
    static OVERLAPPED ovl[ACCEPTEX_SLOTS];
    struct sockaddr_storage addr;
    int addrlen, err, i, k, seen[ACCEPTEX_SLOTS] = {0, 0};
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET a[ACCEPTEX_SLOTS];
    HANDLE port = new_port();
    DWORD cerr;
    BOOL ok;
    (void)state;

    associate(l, port, KEY_L);
    for (i = 0; i < ACCEPTEX_SLOTS; i++) {
        a[i] = new_tcp_socket(AF_INET);
        memset(&ovl[i], 0, sizeof(ovl[i]));
        ok = call_acceptex(l, a[i], i, &ovl[i], &err);
        assert_ex_pending(ok, err);
    }

    ok = call_cancelioex(l, NULL, &cerr);
    assert_true(ok);
    for (i = 0; i < ACCEPTEX_SLOTS; i++) {
        packet p = get_packet(port, PACKET_WAIT_MS);
        assert_false(p.ok);
        k = p.ovl == &ovl[0] ? 0 : 1;
        assert_packet_failed(p, ERROR_OPERATION_ABORTED, 0, KEY_L, &ovl[k]);
        assert_int_equal(seen[k], 0);
        seen[k] = 1;
        assert_int_equal(overlapped_status(&ovl[k]), STATUS_CANCELLED);
    }
    assert_no_packet(port, QUIET_MS);

    for (i = 0; i < ACCEPTEX_SLOTS; i++)
        assert_int_equal(closesocket(a[i]), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* C5: an AcceptEx belongs to the LISTENER's handle: CancelIo on the accept
 * socket returns TRUE but cancels nothing (Wine test_AcceptEx, not a
 * todo_wine), CancelIoEx(accept socket, &ovl) finds nothing
 * (ERROR_NOT_FOUND), and the AcceptEx later completes normally. */
static void test_c5_cancel_on_accept_socket_leaves_acceptex_pending(void **state)
{
    static OVERLAPPED ovl;
    struct sockaddr_storage addr;
    int addrlen, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET a = new_tcp_socket(AF_INET);
    SOCKET c = new_tcp_socket(AF_INET);
    HANDLE port = new_port();
    DWORD cerr;
    packet p;
    BOOL ok;
    (void)state;

    associate(l, port, KEY_L);
    associate(a, port, KEY_S);
    memset(&ovl, 0, sizeof(ovl));
    ok = call_acceptex(l, a, 0, &ovl, &err);
    assert_ex_pending(ok, err);

    assert_true(CancelIo((HANDLE)a));
    ok = call_cancelioex(a, &ovl, &cerr);
    assert_false(ok);
    assert_int_equal(cerr, ERROR_NOT_FOUND);
    assert_no_packet(port, QUIET_MS);
    assert_false(HasOverlappedIoCompleted(&ovl));

    assert_int_equal(connect(c, (struct sockaddr *)&addr, addrlen), 0);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY_L, &ovl);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* C5/C7: CancelIoEx(s, NULL) right after a loopback ConnectEx races the
 * connection. Either outcome is legal, but consistently: the cancel found
 * the op (TRUE) and the packet is ERROR_OPERATION_ABORTED, or it found the
 * op and the connect won anyway, or it found nothing (ERROR_NOT_FOUND)
 * because the connect had already won. Exactly one packet per ConnectEx,
 * checked across all rounds by a final drain. */
static OVERLAPPED race_ovl[RACE_ROUNDS];
static int race_count[RACE_ROUNDS];

static ULONG_PTR race_key(int round)
{
    return (ULONG_PTR)0x7ac00 + (ULONG_PTR)round;
}

/* Checks one dequeued packet of the race and counts it; a second packet for
 * the same OVERLAPPED fails at once. Returns its round. */
static int race_record(packet p)
{
    int r;
    assert_non_null(p.ovl); /* NULL: timed out, a completion was lost */
    for (r = 0; r < RACE_ROUNDS && p.ovl != &race_ovl[r]; r++)
        ;
    assert_true(r < RACE_ROUNDS);
    assert_int_equal(p.key, race_key(r));
    assert_int_equal(p.bytes, 0);
    race_count[r]++;
    assert_int_equal(race_count[r], 1);
    if (p.ok)
        assert_int_equal(p.error, SENTINEL);
    else
        assert_int_equal(p.error, ERROR_OPERATION_ABORTED);
    return r;
}

static void test_c5_cancelioex_racing_connectex_completes_once(void **state)
{
    struct sockaddr_storage addr;
    int addrlen, err, r;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    HANDLE port = new_port();
    packet p;
    (void)state;

    memset(race_ovl, 0, sizeof(race_ovl));
    memset(race_count, 0, sizeof(race_count));
    for (r = 0; r < RACE_ROUNDS; r++) {
        SOCKET s = new_bound_socket(AF_INET, NULL, NULL);
        DWORD cerr;
        BOOL ok, cancel_ok;

        associate(s, port, race_key(r));
        ok = call_connectex(s, &addr, addrlen, NULL, 0, &race_ovl[r], &err);
        assert_ex_pending(ok, err);
        cancel_ok = call_cancelioex(s, NULL, &cerr);
        if (!cancel_ok)
            assert_int_equal(cerr, ERROR_NOT_FOUND);

        p = get_packet(port, PACKET_WAIT_MS);
        assert_int_equal(race_record(p), r);
        if (!p.ok) {
            assert_true(cancel_ok); /* aborted only if the cancel found it */
            assert_int_equal(overlapped_status(&race_ovl[r]), STATUS_CANCELLED);
        }
        assert_int_equal(closesocket(s), 0);
    }

    /* Anything still queued is a second completion of some ConnectEx. */
    for (;;) {
        p = get_packet(port, QUIET_MS);
        if (!p.ok && p.ovl == NULL) {
            assert_int_equal(p.error, WAIT_TIMEOUT);
            break;
        }
        race_record(p);
    }
    for (r = 0; r < RACE_ROUNDS; r++)
        assert_int_equal(race_count[r], 1);

    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* C5: a large WSASend that pends because the peer does not read is
 * cancelled by CancelIoEx(s, NULL): one packet FALSE,
 * ERROR_OPERATION_ABORTED, the socket's key, Internal STATUS_CANCELLED.
 * The byte count may be what was sent before the cancel (Wine reports that
 * partial count; no Windows source pins it to 0), but never the whole send.
 * Sends the stack took at once are drained first (each queues its packet).
 * Nothing is asserted about the connection afterwards: a cancelled stream
 * send leaves it in an undefined state. */
static void test_c5_cancelioex_aborts_pending_send(void **state)
{
    static OVERLAPPED ovl[MAX_SENDS];
    static WSABUF wb[MAX_SENDS];
    static char *big;
    SOCKET s, peer;
    HANDLE port = new_port();
    int posted, pending = -1, i;
    DWORD cerr;
    packet p;
    (void)state;

    if (big == NULL) {
        big = malloc(BIG_SEND); /* kept for the process: a send may still read it */
        assert_non_null(big);
        for (i = 0; i < BIG_SEND; i++)
            big[i] = (char)(i * 31 + (i >> 12));
    }

    tcp_pair(&s, &peer);
    associate(s, port, KEY_S);
    for (posted = 0; posted < MAX_SENDS && pending < 0; posted++) {
        DWORD sent = SENTINEL;
        int ret, err;
        memset(&ovl[posted], 0, sizeof(ovl[posted]));
        wb[posted].buf = big;
        wb[posted].len = BIG_SEND;
        ret = post_send(s, &wb[posted], 1, &ovl[posted], &sent, &err);
        if (ret == 0) {
            assert_int_equal(err, 0);
            assert_int_equal(sent, BIG_SEND);
        } else {
            assert_pending(ret, err);
            pending = posted;
        }
    }
    assert_true(pending >= 0);
    for (i = 0; i < pending; i++) {
        p = get_packet(port, PACKET_WAIT_MS);
        assert_packet_ok(p, BIG_SEND, KEY_S, &ovl[i]);
    }
    assert_no_packet(port, QUIET_MS);
    assert_false(HasOverlappedIoCompleted(&ovl[pending]));

    assert_true(call_cancelioex(s, NULL, &cerr));
    p = get_packet(port, PACKET_WAIT_MS);
    assert_false(p.ok);
    assert_int_equal(p.error, ERROR_OPERATION_ABORTED);
    assert_in_range(p.bytes, 0, BIG_SEND - 1); /* what went out before the cancel */
    assert_int_equal(p.key, KEY_S);
    assert_ptr_equal(p.ovl, &ovl[pending]);
    assert_int_equal(overlapped_status(&ovl[pending]), STATUS_CANCELLED);
    assert_int_equal(ovl[pending].InternalHigh, p.bytes);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_true(CloseHandle(port));
}

/* C5: CancelIo(s) on the thread that issued the WSARecv cancels it: TRUE,
 * then one packet FALSE, ERROR_OPERATION_ABORTED, Internal STATUS_CANCELLED;
 * data the peer sends afterwards is not taken by the cancelled op. */
static void test_c5_cancelio_on_issuing_thread_cancels_recv(void **state)
{
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[16];
    SOCKET s, peer;
    HANDLE port = new_port();
    DWORD bytes = SENTINEL;
    char got[8];
    packet p;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY_S);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = buf;
    wb.len = sizeof(buf);
    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_pending(ret, err);

    assert_true(CancelIo((HANDLE)s));
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_failed(p, ERROR_OPERATION_ABORTED, 0, KEY_S, &ovl);
    assert_int_equal(overlapped_status(&ovl), STATUS_CANCELLED);
    assert_no_packet(port, QUIET_MS);

    make_readable(peer, s, "late", 4);
    assert_no_packet(port, QUIET_MS);
    assert_int_equal(recv(s, got, (int)sizeof(got), 0), 4);
    assert_memory_equal(got, "late", 4);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_true(CloseHandle(port));
}

/* What the helper thread of the next test saw. */
typedef struct cancel_from_thread {
    SOCKET s;
    BOOL cancel_ok;
} cancel_from_thread;

static DWORD WINAPI cancelio_main(LPVOID arg)
{
    cancel_from_thread *c = arg;
    c->cancel_ok = CancelIo((HANDLE)c->s);
    return 0;
}

/* C5: CancelIo only cancels the CALLING thread's I/O: CancelIo(s) from
 * another thread returns TRUE and leaves this thread's WSARecv pending, which
 * then completes with the data (Microsoft Learn, CancelIo). */
static void test_c5_cancelio_on_other_thread_leaves_recv_pending(void **state)
{
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[16];
    static cancel_from_thread c;
    SOCKET s, peer;
    HANDLE port = new_port();
    HANDLE thread;
    DWORD bytes = SENTINEL;
    packet p;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY_S);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = buf;
    wb.len = sizeof(buf);
    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_pending(ret, err);

    c.s = s;
    c.cancel_ok = FALSE;
    thread = start_thread(cancelio_main, &c);
    join_thread_exit_zero(thread, PACKET_WAIT_MS);
    assert_true(c.cancel_ok);
    assert_no_packet(port, QUIET_MS);
    assert_false(HasOverlappedIoCompleted(&ovl));

    assert_int_equal(send_all(peer, "mine", 4), 4);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 4, KEY_S, &ovl);
    assert_memory_equal(buf, "mine", 4);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_true(CloseHandle(port));
}

/* C6 for the extension operations: with nothing pending on a listener,
 * CancelIoEx(l, NULL) fails with ERROR_NOT_FOUND and CancelIo(l) returns
 * TRUE; once an AcceptEx or a ConnectEx has completed (packet dequeued),
 * CancelIoEx with its OVERLAPPED finds nothing either. No packet is queued. */
static void test_c6_cancel_after_extension_ops_completed_finds_nothing(void **state)
{
    static OVERLAPPED accept_ovl, connect_ovl;
    struct sockaddr_storage addr;
    int addrlen, err;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET a = new_tcp_socket(AF_INET);
    SOCKET c = new_bound_socket(AF_INET, NULL, NULL);
    HANDLE port = new_port();
    char got[4];
    DWORD cerr;
    packet p;
    BOOL ok;
    (void)state;

    associate(l, port, KEY_L);
    associate(c, port, KEY_S);

    ok = call_cancelioex(l, NULL, &cerr);
    assert_false(ok);
    assert_int_equal(cerr, ERROR_NOT_FOUND);
    assert_true(CancelIo((HANDLE)l));

    /* an AcceptEx that completed */
    memset(&accept_ovl, 0, sizeof(accept_ovl));
    ok = call_acceptex(l, a, 0, &accept_ovl, &err);
    assert_ex_pending(ok, err);
    memset(&connect_ovl, 0, sizeof(connect_ovl));
    ok = call_connectex(c, &addr, addrlen, NULL, 0, &connect_ovl, &err);
    assert_ex_pending(ok, err);
    p = get_packet(port, PACKET_WAIT_MS);
    if (p.ovl == &accept_ovl) {
        assert_packet_ok(p, 0, KEY_L, &accept_ovl);
        p = get_packet(port, PACKET_WAIT_MS);
        assert_packet_ok(p, 0, KEY_S, &connect_ovl);
    } else {
        assert_packet_ok(p, 0, KEY_S, &connect_ovl);
        p = get_packet(port, PACKET_WAIT_MS);
        assert_packet_ok(p, 0, KEY_L, &accept_ovl);
    }

    ok = call_cancelioex(l, &accept_ovl, &cerr);
    assert_false(ok);
    assert_int_equal(cerr, ERROR_NOT_FOUND);
    ok = call_cancelioex(l, NULL, &cerr);
    assert_false(ok);
    assert_int_equal(cerr, ERROR_NOT_FOUND);
    ok = call_cancelioex(c, &connect_ovl, &cerr);
    assert_false(ok);
    assert_int_equal(cerr, ERROR_NOT_FOUND);
    assert_true(CancelIo((HANDLE)c));
    assert_no_packet(port, QUIET_MS);

    /* the AcceptEx took c's connection into a: the pair works */
    assert_int_equal(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, (int)sizeof(l)), 0);
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    assert_int_equal(send_all(c, "done", 4), 4);
    assert_int_equal(recv_all(a, got, 4), 4);
    assert_memory_equal(got, "done", 4);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c5_cancelioex_cancels_only_the_given_acceptex),
        cmocka_unit_test(test_c5_cancelioex_null_cancels_every_acceptex),
        cmocka_unit_test(test_c5_cancel_on_accept_socket_leaves_acceptex_pending),
        cmocka_unit_test(test_c5_cancelioex_racing_connectex_completes_once),
        cmocka_unit_test(test_c5_cancelioex_aborts_pending_send),
        cmocka_unit_test(test_c5_cancelio_on_issuing_thread_cancels_recv),
        cmocka_unit_test(test_c5_cancelio_on_other_thread_leaves_recv_pending),
        cmocka_unit_test(test_c6_cancel_after_extension_ops_completed_finds_nothing),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
