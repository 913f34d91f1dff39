/*
 * Conformance tests for the completion port itself: spec rows P1..P10 of
 * iocp-semantics.md. Plain Win32: the same source builds against iocpcompat
 * and against the Windows SDK, and Windows is the reference.
 *
 * OVERLAPPEDs and buffers of I/O that may still be pending when an assertion
 * fails are static, so a late completion never writes into a dead stack frame.
 * Contexts shared with helper threads are heap-allocated and are only freed
 * once the thread has been joined (leaked on failure, for the same reason).
 */
#include "conformance.h"

#include <stdlib.h>

#define KEY_A ((ULONG_PTR)0x1234)
#define KEY_B ((ULONG_PTR)0x5678)

/* A thread that waits once in GQCS and records what it got. */
typedef struct waiter {
    HANDLE port;
    DWORD timeout;
    volatile LONG started;
    packet p;
} waiter;

static DWORD WINAPI waiter_main(LPVOID arg)
{
    waiter *w = arg;
    InterlockedExchange(&w->started, 1);
    w->p = get_packet(w->port, w->timeout);
    return 0;
}

static waiter *new_waiter(HANDLE port, DWORD timeout)
{
    waiter *w = calloc(1, sizeof(*w));
    assert_non_null(w);
    w->port = port;
    w->timeout = timeout;
    return w;
}

/* P1: a timed-out GQCS returns FALSE, WAIT_TIMEOUT and a NULL overlapped, and
 * leaves bytes and key untouched (Wine test_completion_port asserts the same). */
static void test_p1_timeout_leaves_outputs(void **state)
{
    HANDLE port = new_port();
    ULONGLONG t0, waited;
    packet p;
    (void)state;

    t0 = GetTickCount64();
    p = get_packet(port, 150);
    waited = GetTickCount64() - t0;
    assert_false(p.ok);
    assert_int_equal(p.error, WAIT_TIMEOUT);
    assert_null(p.ovl);
    assert_int_equal(p.bytes, 0xdeadbeef);
    assert_int_equal(p.key, 0xdeadbeef);
    /* It really waited (GetTickCount steps by ~16 ms on Windows). */
    assert_true(waited >= 100);
    assert_true(waited < 5000);

    /* A zero timeout polls and reports the same way. */
    p = get_packet(port, 0);
    assert_false(p.ok);
    assert_int_equal(p.error, WAIT_TIMEOUT);
    assert_null(p.ovl);
    assert_int_equal(p.bytes, 0xdeadbeef);
    assert_int_equal(p.key, 0xdeadbeef);

    assert_true(CloseHandle(port));
}

/* P2: a successful I/O packet: TRUE, bytes/key/overlapped filled, the last
 * error untouched, Internal = 0 and InternalHigh = bytes in the OVERLAPPED. */
static void test_p2_success_packet_fills_outputs(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port = new_port();
    packet p;
    (void)state;

    tcp_pair(&c, &s);
    associate(s, port, KEY_A);
    issue_recv(s, &op, NULL);
    assert_recv_pending(op);

    assert_int_equal(send(c, "hello", 5, 0), 5);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 5, KEY_A, &op.ovl);
    assert_int_equal(op.ovl.Internal, 0);
    assert_int_equal(op.ovl.InternalHigh, 5);
    assert_true(HasOverlappedIoCompleted(&op.ovl));
    assert_memory_equal(op.buf, "hello", 5);

    assert_no_packet(port, QUIET_MS);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* P3 (reset): a pending recv whose peer resets: FALSE, ERROR_NETNAME_DELETED,
 * 0 bytes, the socket's key and the recv's OVERLAPPED. */
static void test_p3_reset_reports_netname_deleted(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port = new_port();
    packet p;
    (void)state;

    tcp_pair(&c, &s);
    associate(s, port, KEY_A);
    issue_recv(s, &op, NULL);
    assert_recv_pending(op);

    Sleep(100);
    close_with_reset(c);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_failed(p, ERROR_NETNAME_DELETED, 0, KEY_A, &op.ovl);
    assert_true(HasOverlappedIoCompleted(&op.ovl));
    assert_int_equal(op.ovl.InternalHigh, 0);
    /* An error NTSTATUS (severity bits 11), whichever reset status it is. */
    assert_int_equal((DWORD)op.ovl.Internal & 0xC0000000u, 0xC0000000u);

    assert_no_packet(port, QUIET_MS);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* P3 (cancel): CancelIoEx on a pending recv: FALSE, ERROR_OPERATION_ABORTED,
 * Internal = STATUS_CANCELLED. */
static void test_p3_cancel_reports_operation_aborted(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port = new_port();
    packet p;
    (void)state;

    tcp_pair(&c, &s);
    associate(s, port, KEY_A);
    issue_recv(s, &op, NULL);
    assert_recv_pending(op);

    assert_true(CancelIoEx((HANDLE)s, &op.ovl));
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_failed(p, ERROR_OPERATION_ABORTED, 0, KEY_A, &op.ovl);
    assert_int_equal((DWORD)op.ovl.Internal, STATUS_CANCELLED);
    assert_int_equal(op.ovl.InternalHigh, 0);

    assert_no_packet(port, QUIET_MS);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* P3 (local abort): closesocket with a recv pending: FALSE,
 * ERROR_CONNECTION_ABORTED, Internal = STATUS_CONNECTION_ABORTED (Vista+;
 * Wine iocp_async_read_closesocket). */
static void test_p3_local_close_reports_connection_aborted(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port = new_port();
    packet p;
    (void)state;

    tcp_pair(&c, &s);
    associate(s, port, KEY_A);
    issue_recv(s, &op, NULL);
    assert_recv_pending(op);

    assert_int_equal(closesocket(s), 0);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_failed(p, ERROR_CONNECTION_ABORTED, 0, KEY_A, &op.ovl);
    assert_int_equal((DWORD)op.ovl.Internal, STATUS_CONNECTION_ABORTED);
    assert_int_equal(op.ovl.InternalHigh, 0);

    assert_no_packet(port, QUIET_MS);
    assert_int_equal(closesocket(c), 0);
    assert_true(CloseHandle(port));
}

/* P4: closing the port while threads wait in GQCS wakes every waiter with
 * FALSE, a NULL overlapped and ERROR_ABANDONED_WAIT_0 (GQCS docs, Remarks). */
static void test_p4_close_port_wakes_all_waiters(void **state)
{
    HANDLE port = new_port();
    waiter *w[2];
    HANDLE t[2];
    int i;
    (void)state;

    for (i = 0; i < 2; i++) {
        w[i] = new_waiter(port, 5000);
        t[i] = start_thread(waiter_main, w[i]);
        assert_true(wait_flag(&w[i]->started, 3000));
    }
    Sleep(200); /* both are blocked inside GQCS now */
    assert_true(CloseHandle(port));

    for (i = 0; i < 2; i++) {
        /* Well before their own 5 s timeout. */
        assert_true(join_thread(t[i], 3000));
        assert_false(w[i]->p.ok);
        assert_null(w[i]->p.ovl);
        assert_int_equal(w[i]->p.error, ERROR_ABANDONED_WAIT_0);
        free(w[i]);
    }
}

/* P5: PostQueuedCompletionStatus hands back exactly n, key and the pointer,
 * which is never dereferenced: callers post pointers to their own structs. */
static void test_p5_post_delivers_exact_values(void **state)
{
    /* Deliberately smaller than an OVERLAPPED. */
    struct { ULONG_PTR tag; } mine;
    HANDLE port = new_port();
    packet p;
    (void)state;

    mine.tag = (ULONG_PTR)0x5a5a5a5a;
    assert_true(PostQueuedCompletionStatus(port, 4242, KEY_B, (LPOVERLAPPED)(void *)&mine));
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 4242, KEY_B, (LPOVERLAPPED)(void *)&mine);
    assert_int_equal(mine.tag, 0x5a5a5a5a);

    assert_no_packet(port, 100);
    assert_true(CloseHandle(port));
}

/* P5: the common shutdown signal: 0 bytes, key 0, NULL overlapped, TRUE. */
static void test_p5_post_null_overlapped_zero_key(void **state)
{
    HANDLE port = new_port();
    packet p;
    (void)state;

    assert_true(PostQueuedCompletionStatus(port, 0, 0, NULL));
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, 0, NULL);

    assert_no_packet(port, 100);
    assert_true(CloseHandle(port));
}

/* P6: packets come out in the order they were queued. */
static void test_p6_packets_dequeued_fifo(void **state)
{
    OVERLAPPED ov[5];
    HANDLE port = new_port();
    int i;
    (void)state;

    for (i = 0; i < 5; i++)
        assert_true(PostQueuedCompletionStatus(port, (DWORD)(100 + i), (ULONG_PTR)(10 + i), &ov[i]));
    for (i = 0; i < 5; i++) {
        packet p = get_packet(port, PACKET_WAIT_MS);
        assert_packet_ok(p, (DWORD)(100 + i), (ULONG_PTR)(10 + i), &ov[i]);
    }
    assert_no_packet(port, 100);
    assert_true(CloseHandle(port));
}

/* P6: GQCSEx removes at most ulCount entries, in order, and says how many. */
static void test_p6_gqcsex_removes_up_to_count_in_order(void **state)
{
    OVERLAPPED ov[5];
    OVERLAPPED_ENTRY e[8];
    HANDLE port = new_port();
    ULONG removed;
    DWORD err;
    BOOL ok;
    int i;
    (void)state;

    for (i = 0; i < 5; i++)
        assert_true(PostQueuedCompletionStatus(port, (DWORD)(200 + i), (ULONG_PTR)(20 + i), &ov[i]));

    memset(e, 0xcc, sizeof(e));
    removed = 0xdeadbeef;
    ok = GetQueuedCompletionStatusEx(port, e, 3, &removed, PACKET_WAIT_MS, FALSE);
    assert_true(ok);
    assert_int_equal(removed, 3);
    for (i = 0; i < 3; i++) {
        assert_int_equal(e[i].dwNumberOfBytesTransferred, (DWORD)(200 + i));
        assert_int_equal(e[i].lpCompletionKey, (ULONG_PTR)(20 + i));
        assert_ptr_equal(e[i].lpOverlapped, &ov[i]);
    }

    /* Asking for more than is queued returns what is there. */
    memset(e, 0xcc, sizeof(e));
    removed = 0xdeadbeef;
    ok = GetQueuedCompletionStatusEx(port, e, 8, &removed, PACKET_WAIT_MS, FALSE);
    assert_true(ok);
    assert_int_equal(removed, 2);
    for (i = 0; i < 2; i++) {
        assert_int_equal(e[i].dwNumberOfBytesTransferred, (DWORD)(203 + i));
        assert_int_equal(e[i].lpCompletionKey, (ULONG_PTR)(23 + i));
        assert_ptr_equal(e[i].lpOverlapped, &ov[3 + i]);
    }

    /* Empty port: times out like GQCS. */
    SetLastError(0xdeadbeef);
    ok = GetQueuedCompletionStatusEx(port, e, 8, &removed, 100, FALSE);
    err = GetLastError();
    assert_false(ok);
    assert_int_equal(err, WAIT_TIMEOUT);

    assert_true(CloseHandle(port));
}

/* P7: with several threads waiting, the one that started waiting last is
 * woken first (LIFO). A concurrency of 4 keeps the bound out of the way. */
static void test_p7_most_recent_waiter_woken_first(void **state)
{
    OVERLAPPED ov[2];
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 4);
    waiter *first, *last;
    HANDLE t_first, t_last;
    (void)state;

    assert_non_null(port);
    first = new_waiter(port, 3000);
    t_first = start_thread(waiter_main, first);
    assert_true(wait_flag(&first->started, 3000));
    Sleep(200);
    last = new_waiter(port, 3000);
    t_last = start_thread(waiter_main, last);
    assert_true(wait_flag(&last->started, 3000));
    Sleep(200);

    assert_true(PostQueuedCompletionStatus(port, 1, 1, &ov[0]));
    assert_true(join_thread(t_last, 3000));
    assert_packet_ok(last->p, 1, 1, &ov[0]);

    /* The earlier waiter is still waiting and takes the next one. */
    assert_true(PostQueuedCompletionStatus(port, 2, 2, &ov[1]));
    assert_true(join_thread(t_first, 3000));
    assert_packet_ok(first->p, 2, 2, &ov[1]);

    free(first);
    free(last);
    assert_true(CloseHandle(port));
}

/* P7 helper: dequeues a packet, then busy-waits (a sleeping thread would give
 * its concurrency slot back on Windows) before asking for the next one. */
#define BUSY_MS 500

typedef struct busy_worker {
    HANDLE port;
    volatile LONG got_first;
    packet first;
    packet second;
    DWORD first_tick;
    DWORD reenter_tick;
} busy_worker;

static DWORD WINAPI busy_worker_main(LPVOID arg)
{
    busy_worker *w = arg;
    DWORD t0;
    w->first = get_packet(w->port, 3000);
    w->first_tick = GetTickCount();
    InterlockedExchange(&w->got_first, 1);
    t0 = GetTickCount();
    while (GetTickCount() - t0 < BUSY_MS) {
        /* spin */
    }
    w->reenter_tick = GetTickCount();
    w->second = get_packet(w->port, 2000);
    return 0;
}

/* P7: NumberOfConcurrentThreads = 1: while A runs with a dequeued packet, a
 * packet posted meanwhile is not given to the waiting B; when A calls GQCS
 * again it takes that packet itself. */
static void test_p7_concurrency_limit_holds_packet_for_running_thread(void **state)
{
    OVERLAPPED ov[2];
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    busy_worker *a;
    waiter *b;
    HANDLE ta, tb;
    DWORD post_tick;
    (void)state;

    assert_non_null(port);
    /* Only the helper threads call GQCS on this port: a test thread that did
     * would count against the limit too. */
    assert_true(PostQueuedCompletionStatus(port, 1, 1, &ov[0]));
    a = calloc(1, sizeof(*a));
    assert_non_null(a);
    a->port = port;
    ta = start_thread(busy_worker_main, a);
    assert_true(wait_flag(&a->got_first, 3000));

    b = new_waiter(port, 1500);
    tb = start_thread(waiter_main, b);
    assert_true(wait_flag(&b->started, 3000));
    Sleep(100); /* B is blocked in GQCS, A is still spinning */

    post_tick = GetTickCount();
    assert_true(PostQueuedCompletionStatus(port, 2, 2, &ov[1]));

    assert_true(join_thread(ta, 5000));
    assert_true(join_thread(tb, 5000));
    assert_packet_ok(a->first, 1, 1, &ov[0]);
    /* The premise held: packet 2 was queued while A was still busy. */
    assert_true((LONG)(a->reenter_tick - post_tick) > 0);
    assert_packet_ok(a->second, 2, 2, &ov[1]);
    assert_false(b->p.ok);
    assert_int_equal(b->p.error, WAIT_TIMEOUT);
    assert_null(b->p.ovl);

    free(a);
    free(b);
    assert_true(CloseHandle(port));
}

/* P7: NumberOfConcurrentThreads = 0 means the number of processors: that
 * many threads run with a packet at once (each took its first packet before
 * any finished its busy spell), and while they all run, a packet posted
 * meanwhile is not given to one more waiting thread but to the first of
 * them to come back. */
static void test_p7_zero_concurrency_is_number_of_processors(void **state)
{
    SYSTEM_INFO si;
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    busy_worker *w;
    HANDLE *t;
    OVERLAPPED extra;
    waiter *b;
    HANDLE tb;
    DWORD i, n, last_first = 0, first_back = 0, post_tick;
    int took_extra = 0;
    (void)state;

    assert_non_null(port);
    GetSystemInfo(&si);
    n = si.dwNumberOfProcessors;
    assert_true(n >= 1 && n <= 64);
    w = calloc(n, sizeof(*w));
    t = calloc(n, sizeof(*t));
    assert_non_null(w);
    assert_non_null(t);
    for (i = 0; i < n; i++)
        assert_true(PostQueuedCompletionStatus(port, i, 1000 + i, NULL));
    for (i = 0; i < n; i++) {
        w[i].port = port;
        t[i] = start_thread(busy_worker_main, &w[i]);
    }
    for (i = 0; i < n; i++)
        assert_true(wait_flag(&w[i].got_first, 3000));

    b = new_waiter(port, 1500);
    tb = start_thread(waiter_main, b);
    assert_true(wait_flag(&b->started, 3000));
    Sleep(100);   /* B is blocked in GQCS, the n workers still spin */
    post_tick = GetTickCount();
    assert_true(PostQueuedCompletionStatus(port, 77, 77, &extra));

    assert_true(join_thread(tb, 5000));
    for (i = 0; i < n; i++) {
        assert_true(join_thread(t[i], 5000));
        assert_true(w[i].first.ok);
        if ((LONG)(w[i].first_tick - last_first) > 0 || i == 0)
            last_first = w[i].first_tick;
        if (i == 0 || (LONG)(w[i].reenter_tick - first_back) < 0)
            first_back = w[i].reenter_tick;
        if (w[i].second.ok) {
            assert_packet_ok(w[i].second, 77, 77, &extra);
            took_extra++;
        }
    }
    /* All n ran at once, and the extra packet came while they all did. */
    assert_true((LONG)(first_back - last_first) > 0);
    assert_true((LONG)(first_back - post_tick) > 0);
    assert_int_equal(took_extra, 1);
    assert_false(b->p.ok);
    assert_int_equal(b->p.error, WAIT_TIMEOUT);

    free(b);
    free(t);
    free(w);
    assert_true(CloseHandle(port));
}

/* P7 helper: dequeues a packet, then blocks in Sleep, which on Windows gives
 * its concurrency slot back to the port while it sleeps. */
#define SLEEP_MS 600

typedef struct sleeping_worker {
    HANDLE port;
    volatile LONG got_first;
    packet first;
    DWORD woke_tick;
} sleeping_worker;

static DWORD WINAPI sleeping_worker_main(LPVOID arg)
{
    sleeping_worker *w = arg;
    w->first = get_packet(w->port, 3000);
    InterlockedExchange(&w->got_first, 1);
    Sleep(SLEEP_MS);
    w->woke_tick = GetTickCount();
    return 0;
}

/* P7: NumberOfConcurrentThreads = 1, but the thread that dequeued packet 1 is
 * blocked in a wait, not running: packet 2 goes to the waiting B at once. */
static void test_p7_blocked_thread_frees_its_concurrency_slot(void **state)
{
    OVERLAPPED ov[2];
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    sleeping_worker *a;
    waiter *b;
    HANDLE ta, tb;
    DWORD b_done_tick;
    (void)state;

    assert_non_null(port);
    assert_true(PostQueuedCompletionStatus(port, 1, 1, &ov[0]));
    a = calloc(1, sizeof(*a));
    assert_non_null(a);
    a->port = port;
    ta = start_thread(sleeping_worker_main, a);
    assert_true(wait_flag(&a->got_first, 3000));

    b = new_waiter(port, 3000);
    tb = start_thread(waiter_main, b);
    assert_true(wait_flag(&b->started, 3000));
    Sleep(100); /* B is blocked in GQCS, A is asleep */

    assert_true(PostQueuedCompletionStatus(port, 2, 2, &ov[1]));
    assert_true(join_thread(tb, 5000));
    b_done_tick = GetTickCount();
    assert_true(join_thread(ta, 5000));

    assert_packet_ok(a->first, 1, 1, &ov[0]);
    assert_packet_ok(b->p, 2, 2, &ov[1]);
    /* B got it while A still slept, not when A woke up. */
    assert_true((LONG)(a->woke_tick - b_done_tick) > 0);

    free(a);
    free(b);
    assert_true(CloseHandle(port));
}

/* P7: a thread that took a packet and then ended no longer counts as
 * running: with NumberOfConcurrentThreads = 1 and two threads waiting, two
 * posted packets reach both (a common shutdown: one exit packet per worker). */
static void test_p7_ended_thread_frees_its_concurrency_slot(void **state)
{
    int round;
    (void)state;
    for (round = 0; round < 10; round++) {
        HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
        waiter *w[2];
        HANDLE t[2];
        int i, ended[2];
        assert_non_null(port);
        for (i = 0; i < 2; i++) {
            /* INFINITE, as workers wait: no timeout may rescue a lost wake-up. */
            w[i] = new_waiter(port, INFINITE);
            t[i] = start_thread(waiter_main, w[i]);
            assert_true(wait_flag(&w[i]->started, 3000));
        }
        Sleep(20); /* both are inside GetQueuedCompletionStatus */
        assert_true(PostQueuedCompletionStatus(port, 0, 0, NULL));
        assert_true(PostQueuedCompletionStatus(port, 0, 0, NULL));
        for (i = 0; i < 2; i++)
            ended[i] = join_thread(t[i], 2000);
        /* Closing the port releases a thread still stuck, before asserting. */
        assert_true(CloseHandle(port));
        for (i = 0; i < 2; i++) {
            if (!ended[i])
                assert_true(join_thread(t[i], 5000));
            assert_true(ended[i]);
            assert_packet_ok(w[i]->p, 0, 0, NULL);
            free(w[i]);
        }
    }
}

/* P8: hEvent with its low bit set: the pending recv completes (OVERLAPPED
 * filled, event signalled) but no packet is queued (Wine
 * test_connect_completion_port and test_shutdown_completion_port). */
static void test_p8_low_bit_event_pending_op_queues_no_packet(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port = new_port();
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD n = 0xdeadbeef, flags = 0xdeadbeef;
    (void)state;

    assert_non_null(ev);
    tcp_pair(&c, &s);
    associate(s, port, KEY_A);
    issue_recv(s, &op, (HANDLE)((ULONG_PTR)ev | 1));
    assert_recv_pending(op);

    assert_int_equal(send(c, "lowbit", 6, 0), 6);
    assert_int_equal(WaitForSingleObject(ev, PACKET_WAIT_MS), WAIT_OBJECT_0);
    assert_true(HasOverlappedIoCompleted(&op.ovl));
    assert_int_equal(op.ovl.Internal, 0);
    assert_int_equal(op.ovl.InternalHigh, 6);
    assert_true(WSAGetOverlappedResult(s, &op.ovl, &n, FALSE, &flags));
    assert_int_equal(n, 6);
    assert_int_equal(flags, 0);
    assert_memory_equal(op.buf, "lowbit", 6);
    assert_no_packet(port, 300);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(ev));
    assert_true(CloseHandle(port));
}

/* P8: the same for an op that succeeds at once (data already there). */
static void test_p8_low_bit_event_immediate_success_queues_no_packet(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port = new_port();
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    (void)state;

    assert_non_null(ev);
    tcp_pair(&c, &s);
    associate(s, port, KEY_A);
    make_readable(c, s, "ready", 5);

    issue_recv(s, &op, (HANDLE)((ULONG_PTR)ev | 1));
    assert_int_equal(op.ret, 0);
    assert_int_equal(op.bytes, 5);
    assert_true(HasOverlappedIoCompleted(&op.ovl));
    assert_int_equal(WaitForSingleObject(ev, PACKET_WAIT_MS), WAIT_OBJECT_0);
    assert_memory_equal(op.buf, "ready", 5);
    assert_no_packet(port, 300);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(ev));
    assert_true(CloseHandle(port));
}

/* P9: a recv issued before the socket is associated still completes to the
 * port, with the key given at association (Wine: AcceptEx before
 * CreateIoCompletionPort). Its event is signalled as well. */
static void test_p9_association_after_pending_op_still_reaches_port(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port = new_port();
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    packet p;
    (void)state;

    assert_non_null(ev);
    tcp_pair(&c, &s);
    issue_recv(s, &op, ev);
    assert_recv_pending(op);
    associate(s, port, KEY_B);

    assert_int_equal(send(c, "late", 4, 0), 4);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 4, KEY_B, &op.ovl);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    assert_int_equal(op.ovl.InternalHigh, 4);
    assert_memory_equal(op.buf, "late", 4);

    assert_no_packet(port, QUIET_MS);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(ev));
    assert_true(CloseHandle(port));
}

/* A GQCS without a time limit returns only packets, however busy the port:
 * four threads drain packets posted a few more at a time than there are
 * threads, so that threads coming back race for the last ones, while a receive stays pending on an associated socket (the
 * engine then has work of its own to look at between packets). Each thread
 * ends on its own quit packet. */
#define BUSY_PACKETS 6000
#define BUSY_BURST 6
#define BUSY_THREADS 4
#define QUIT_KEY ((ULONG_PTR)0x9999)

typedef struct drainer {
    HANDLE port;
    volatile LONG packets;
    volatile LONG failures;
    volatile LONG last_error;
} drainer;

static DWORD WINAPI drainer_main(LPVOID arg)
{
    drainer *d = arg;
    for (;;) {
        DWORD bytes;
        ULONG_PTR key;
        LPOVERLAPPED ovl;
        if (!GetQueuedCompletionStatus(d->port, &bytes, &key, &ovl, INFINITE)) {
            InterlockedIncrement(&d->failures);
            InterlockedExchange(&d->last_error, (LONG)GetLastError());
            if (ovl == NULL)
                continue;
        }
        if (key == QUIT_KEY)
            return 0;
        InterlockedIncrement(&d->packets);
    }
}

static void test_infinite_wait_returns_only_packets_on_a_busy_port(void **state)
{
    static recv_op pending;
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, BUSY_THREADS);
    HANDLE threads[BUSY_THREADS];
    drainer *d = calloc(1, sizeof(*d));
    SOCKET s, peer;
    int i;
    (void)state;

    assert_non_null(port);
    assert_non_null(d);
    d->port = port;
    tcp_pair(&s, &peer);
    associate(s, port, KEY_B);
    issue_recv(s, &pending, NULL);
    assert_recv_pending(pending);
    for (i = 0; i < BUSY_THREADS; i++)
        threads[i] = start_thread(drainer_main, d);
    for (i = 0; i < BUSY_PACKETS; i += BUSY_BURST) {
        ULONGLONG deadline = GetTickCount64() + 10000;
        int j;
        for (j = 0; j < BUSY_BURST; j++)
            assert_true(PostQueuedCompletionStatus(port, 1, KEY_A, NULL));
        while (load32(&d->packets) + load32(&d->failures) < i + BUSY_BURST && GetTickCount64() < deadline)
            Sleep(0);
    }
    for (i = 0; i < BUSY_THREADS; i++)
        assert_true(PostQueuedCompletionStatus(port, 0, QUIT_KEY, NULL));
    for (i = 0; i < BUSY_THREADS; i++)
        join_thread_exit_zero(threads[i], 30000);
    assert_int_equal(load32(&d->failures), 0);
    assert_int_equal(load32(&d->packets), BUSY_PACKETS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
    free(d);
}

/* P10: associating a socket with an existing port returns that port, and the
 * socket's completions then carry the key given there. */
static void test_p10_associate_returns_existing_port(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port = new_port();
    packet p;
    (void)state;

    tcp_pair(&c, &s);
    assert_ptr_equal(CreateIoCompletionPort((HANDLE)s, port, KEY_B, 0), port);
    issue_recv(s, &op, NULL);
    assert_recv_pending(op);
    assert_int_equal(send(c, "x", 1, 0), 1);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 1, KEY_B, &op.ovl);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

/* P10: CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, n) makes a new,
 * independent port each time. */
static void test_p10_invalid_handle_creates_new_port(void **state)
{
    OVERLAPPED ov;
    HANDLE a = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 2);
    HANDLE b = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    packet p;
    (void)state;

    assert_non_null(a);
    assert_non_null(b);
    assert_true(a != INVALID_HANDLE_VALUE);
    assert_true(b != INVALID_HANDLE_VALUE);
    assert_ptr_not_equal(a, b);

    assert_true(PostQueuedCompletionStatus(a, 7, KEY_A, &ov));
    assert_no_packet(b, 100);
    p = get_packet(a, PACKET_WAIT_MS);
    assert_packet_ok(p, 7, KEY_A, &ov);

    assert_true(CloseHandle(a));
    assert_true(CloseHandle(b));
}

/* P10: a socket with a NULL existing port creates a port and associates the
 * socket with it in one call (Wine uses this form throughout). */
static void test_p10_socket_with_null_port_creates_and_associates(void **state)
{
    static recv_op op;
    SOCKET c, s;
    HANDLE port;
    packet p;
    (void)state;

    tcp_pair(&c, &s);
    port = CreateIoCompletionPort((HANDLE)s, NULL, KEY_A, 0);
    assert_non_null(port);
    assert_true(port != INVALID_HANDLE_VALUE);
    issue_recv(s, &op, NULL);
    assert_recv_pending(op);
    assert_int_equal(send(c, "yz", 2, 0), 2);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 2, KEY_A, &op.ovl);

    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    assert_true(CloseHandle(port));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_p1_timeout_leaves_outputs),
        cmocka_unit_test(test_p2_success_packet_fills_outputs),
        cmocka_unit_test(test_p3_reset_reports_netname_deleted),
        cmocka_unit_test(test_p3_cancel_reports_operation_aborted),
        cmocka_unit_test(test_p3_local_close_reports_connection_aborted),
        cmocka_unit_test(test_p4_close_port_wakes_all_waiters),
        cmocka_unit_test(test_p5_post_delivers_exact_values),
        cmocka_unit_test(test_p5_post_null_overlapped_zero_key),
        cmocka_unit_test(test_p6_packets_dequeued_fifo),
        cmocka_unit_test(test_p6_gqcsex_removes_up_to_count_in_order),
        cmocka_unit_test(test_p7_most_recent_waiter_woken_first),
        cmocka_unit_test(test_p7_concurrency_limit_holds_packet_for_running_thread),
        cmocka_unit_test(test_p7_zero_concurrency_is_number_of_processors),
        cmocka_unit_test(test_p7_blocked_thread_frees_its_concurrency_slot),
        cmocka_unit_test(test_p7_ended_thread_frees_its_concurrency_slot),
        cmocka_unit_test(test_p8_low_bit_event_pending_op_queues_no_packet),
        cmocka_unit_test(test_p8_low_bit_event_immediate_success_queues_no_packet),
        cmocka_unit_test(test_p9_association_after_pending_op_still_reaches_port),
        cmocka_unit_test(test_infinite_wait_returns_only_packets_on_a_busy_port),
        cmocka_unit_test(test_p10_associate_returns_existing_port),
        cmocka_unit_test(test_p10_invalid_handle_creates_new_port),
        cmocka_unit_test(test_p10_socket_with_null_port_creates_and_associates),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
