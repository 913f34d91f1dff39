/*
 * An operation a worker thread posts makes progress on its own: it
 * completes whether or not that thread comes back to
 * GetQueuedCompletionStatus. On Windows the kernel owns the I/O from the
 * moment the call returns; a library that batches its submissions must keep
 * that true when the worker blocks in another wait, or spins without any
 * system call at all.
 *
 * Each test first has its thread dequeue a receive's packet (so that it is
 * the thread that reaped the port last, and the one whose next submissions
 * a batching engine would hold), then posts a second receive that pends,
 * makes data arrive for it, and waits for it without the port.
 */
#include "conformance.h"

#define KEY ((ULONG_PTR)0x77)

/* Sets up s (associated with port) and peer, and has this thread dequeue
 * one receive's packet. */
static void worker_after_one_packet(HANDLE port, SOCKET *s, SOCKET *peer)
{
    static recv_op first;
    packet p;

    tcp_pair(s, peer);
    associate(*s, port, KEY);
    issue_recv(*s, &first, NULL);
    assert_recv_pending(first);
    assert_int_equal(send_all(*peer, "a", 1), 1);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 1, KEY, &first.ovl);
    assert_int_equal(first.buf[0], 'a');
}

/* op, a receive on s, completed with the one byte expected, and its packet
 * reached port. */
static void assert_recv_got_one_byte(SOCKET s, HANDLE port, recv_op *op, char expected)
{
    DWORD bytes = SENTINEL, flags = 0;
    packet p;

    assert_true(WSAGetOverlappedResult(s, &op->ovl, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 1);
    assert_int_equal(op->buf[0], expected);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 1, KEY, &op->ovl);
}

/* The worker then blocks in WaitForSingleObject on the receive's event. */
static void test_posted_recv_completes_while_worker_waits_on_its_event(void **state)
{
    static recv_op second;
    HANDLE port = new_port();
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    SOCKET s, peer;
    (void)state;

    assert_non_null(event);
    worker_after_one_packet(port, &s, &peer);
    issue_recv(s, &second, event);
    assert_recv_pending(second);
    assert_int_equal(send_all(peer, "b", 1), 1);

    assert_int_equal(WaitForSingleObject(event, PACKET_WAIT_MS), WAIT_OBJECT_0);
    assert_recv_got_one_byte(s, port, &second, 'b');

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(event), TRUE);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* The worker then spins on the OVERLAPPED's status, making no system call
 * (GetTickCount64 reads the clock in user mode). */
static void test_posted_recv_completes_while_worker_spins(void **state)
{
    static recv_op second;
    HANDLE port = new_port();
    SOCKET s, peer;
    ULONGLONG deadline;
    (void)state;

    worker_after_one_packet(port, &s, &peer);
    issue_recv(s, &second, NULL);
    assert_recv_pending(second);
    assert_int_equal(send_all(peer, "c", 1), 1);

    deadline = GetTickCount64() + PACKET_WAIT_MS;
    while (overlapped_status(&second.ovl) == STATUS_PENDING && GetTickCount64() < deadline)
        ;
    assert_int_equal(overlapped_status(&second.ovl), 0);
    assert_recv_got_one_byte(s, port, &second, 'c');

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* The worker's next wait, with a time limit and nothing to come, ends on
 * time: handing over what it posted does not restart the wait. */
static void test_timed_wait_after_posting_ends_on_time(void **state)
{
    static recv_op second;
    HANDLE port = new_port();
    SOCKET s, peer;
    ULONGLONG t0, waited;
    packet p;
    (void)state;

    worker_after_one_packet(port, &s, &peer);
    issue_recv(s, &second, NULL);
    assert_recv_pending(second);

    t0 = GetTickCount64();
    p = get_packet(port, 500);
    waited = GetTickCount64() - t0;
    assert_false(p.ok);
    assert_int_equal(p.error, WAIT_TIMEOUT);
    assert_null(p.ovl);
    assert_true(waited >= 450);
    assert_true(waited < 900);

    /* The receive was handed over all the same. */
    assert_int_equal(send_all(peer, "d", 1), 1);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 1, KEY, &second.ovl);
    assert_int_equal(second.buf[0], 'd');

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_posted_recv_completes_while_worker_waits_on_its_event),
        cmocka_unit_test(test_posted_recv_completes_while_worker_spins),
        cmocka_unit_test(test_timed_wait_after_posting_ends_on_time),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
