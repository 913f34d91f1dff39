/*
 * Conformance tests for closing sockets with overlapped I/O outstanding:
 * spec rows C1, C2, C7, C8, plus the cheap WSARecv cases of C5/C6
 * (/work/shared/spec/iocp-semantics.md). Plain Win32: the same source
 * builds against iocpcompat on Linux and against the Windows SDK.
 */
#include "conformance.h"

#include <stdlib.h>

#define KEY             ((ULONG_PTR)0xc105e)
#define BIG_SEND        (8 << 20) /* more than a non-reading loopback peer takes */
#define MAX_SENDS       8

static char *new_big_buffer(void)
{
    char *b = malloc(BIG_SEND);
    int i;
    assert_non_null(b);
    for (i = 0; i < BIG_SEND; i++)
        b[i] = (char)(i * 31 + (i >> 12));
    return b;
}

/* C1, recv: closesocket with a WSARecv pending -> exactly one packet FALSE,
 * ERROR_CONNECTION_ABORTED, 0 bytes, the socket's key, and the OVERLAPPED
 * holds STATUS_CONNECTION_ABORTED (Wine's iocp_async_read_closesocket
 * records this for Windows since Vista). */
static void test_c1_close_fails_pending_recv_with_connection_aborted(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[16];
    DWORD bytes = SENTINEL;
    packet p;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = buf;
    wb.len = sizeof(buf);

    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_pending(ret, err);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_failed(p, ERROR_CONNECTION_ABORTED, 0, KEY, &ovl);
    assert_int_equal((DWORD)ovl.Internal, STATUS_CONNECTION_ABORTED);
    assert_int_equal(ovl.InternalHigh, 0);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* C1, send: the peer never reads, so a large WSASend stays pending; sends
 * that the stack took at once are drained first (each queues its packet).
 * closesocket then yields exactly one aborted packet for the pending send. */
static void test_c1_close_fails_pending_send_with_connection_aborted(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl[MAX_SENDS];
    static WSABUF wb[MAX_SENDS];
    char *big = new_big_buffer();
    int posted, pending = -1, i;
    packet p;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);

    for (posted = 0; posted < MAX_SENDS && pending < 0; posted++) {
        DWORD sent = SENTINEL;
        int ret, err;
        memset(&ovl[posted], 0, sizeof(ovl[posted]));
        wb[posted].buf = big;
        wb[posted].len = BIG_SEND;
        ret = post_send(s, &wb[posted], 1, &ovl[posted], &sent, &err);
        assert_send_started(ret, err, sent, BIG_SEND);
        if (ret != 0)
            pending = posted;
    }
    assert_true(pending >= 0);

    for (i = 0; i < pending; i++) {
        p = get_packet(port, PACKET_WAIT_MS);
        assert_packet_ok(p, BIG_SEND, KEY, &ovl[i]);
    }
    assert_no_packet(port, QUIET_MS);
    assert_false(HasOverlappedIoCompleted(&ovl[pending]));

    assert_int_equal(closesocket(s), 0);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_failed(p, ERROR_CONNECTION_ABORTED, 0, KEY, &ovl[pending]);
    assert_int_equal((DWORD)ovl[pending].Internal, STATUS_CONNECTION_ABORTED);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
    free(big);
}

/* C2: closing an associated socket with nothing pending queues nothing. */
static void test_c2_close_idle_socket_queues_no_packet(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    assert_int_equal(closesocket(s), 0);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* C2: an op that already completed (and was dequeued) is not reported again
 * when the socket closes. */
static void test_c2_close_after_completed_recv_queues_no_packet(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[16];
    DWORD bytes = SENTINEL;
    packet p;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = buf;
    wb.len = sizeof(buf);

    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_pending(ret, err);
    assert_int_equal(send_all(peer, "done", 4), 4);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 4, KEY, &ovl);
    assert_memory_equal(buf, "done", 4);

    assert_int_equal(closesocket(s), 0);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/*
 * C7: many rounds of closesocket racing the peer, on a socket with a WSARecv
 * and a large WSASend pending. Even rounds the peer resets, odd rounds it
 * sends data; a spin of varying length shifts who wins. Whatever wins, each
 * OVERLAPPED must complete exactly once: never lost (each round waits for
 * both packets), never doubled (counted across all rounds and a final drain).
 */
#define C7_ROUNDS   250
#define C7_DATA_LEN 16

typedef struct race_peer {
    SOCKET peer;
    HANDLE go;
    int reset;
    int setsockopt_ret;
    int close_ret;
    int send_ret;
} race_peer;

static const char c7_data[C7_DATA_LEN] = "race-data-16byte";
static OVERLAPPED c7_ovl[C7_ROUNDS * 2];    /* [2r] recv, [2r+1] send */
static char c7_rbuf[C7_ROUNDS][C7_DATA_LEN];
static int c7_count[C7_ROUNDS * 2];

static DWORD WINAPI race_peer_thread(LPVOID arg)
{
    race_peer *rp = arg;
    if (WaitForSingleObject(rp->go, 5000) != WAIT_OBJECT_0)
        return 1;
    if (rp->reset) {
        rp->setsockopt_ret = set_linger_zero(rp->peer);
        rp->close_ret = closesocket(rp->peer);
    } else {
        rp->send_ret = send(rp->peer, c7_data, C7_DATA_LEN, 0);
    }
    return 0;
}

static ULONG_PTR c7_key(int round)
{
    return (ULONG_PTR)0x70000 + (ULONG_PTR)round;
}

/* Checks one dequeued packet against what its op may legally report, and
 * counts it; a second packet for the same OVERLAPPED fails at once. */
static void c7_record(packet p)
{
    int i, round;
    assert_non_null(p.ovl); /* NULL: timed out, a completion was lost */
    for (i = 0; i < C7_ROUNDS * 2 && p.ovl != &c7_ovl[i]; i++)
        ;
    assert_true(i < C7_ROUNDS * 2);
    round = i / 2;
    assert_int_equal(p.key, c7_key(round));
    c7_count[i]++;
    assert_int_equal(c7_count[i], 1);

    if (i % 2 == 0) {
        /* recv: the data won, or the reset, or the local close */
        if (p.ok) {
            assert_int_equal(p.error, SENTINEL);
            assert_in_range(p.bytes, 1, C7_DATA_LEN);
            assert_memory_equal(c7_rbuf[round], c7_data, p.bytes);
        } else {
            assert_true(p.error == ERROR_NETNAME_DELETED || p.error == ERROR_CONNECTION_ABORTED);
            assert_int_equal(p.bytes, 0);
        }
    } else {
        /* send: the peer never reads, so it can only fail (reset or close),
         * unless the stack took it whole */
        if (p.ok) {
            assert_int_equal(p.error, SENTINEL);
            assert_int_equal(p.bytes, BIG_SEND);
        } else {
            assert_true(p.error == ERROR_NETNAME_DELETED || p.error == ERROR_CONNECTION_ABORTED);
        }
    }
}

static void test_c7_close_racing_peer_completes_each_op_exactly_once(void **state)
{
    HANDLE port = new_port();
    char *big = new_big_buffer();
    int r, i;
    packet p;
    (void)state;

    memset(c7_ovl, 0, sizeof(c7_ovl));
    memset(c7_count, 0, sizeof(c7_count));

    for (r = 0; r < C7_ROUNDS; r++) {
        SOCKET s, peer;
        WSABUF rwb, swb;
        DWORD bytes = SENTINEL;
        static race_peer rp; /* static: outlives this frame if an assert jumps out */
        HANDLE thread;
        volatile unsigned spin;
        int ret, err;

        tcp_pair(&s, &peer);
        associate(s, port, c7_key(r));
        rwb.buf = c7_rbuf[r];
        rwb.len = C7_DATA_LEN;
        swb.buf = big;
        swb.len = BIG_SEND;

        ret = post_recv(s, &rwb, 1, &c7_ovl[2 * r], &bytes, &err);
        assert_pending(ret, err);
        bytes = SENTINEL;
        ret = post_send(s, &swb, 1, &c7_ovl[2 * r + 1], &bytes, &err);
        assert_send_started(ret, err, bytes, BIG_SEND);

        memset(&rp, 0, sizeof(rp));
        rp.peer = peer;
        rp.reset = (r % 2 == 0);
        rp.go = CreateEventA(NULL, TRUE, FALSE, NULL);
        assert_non_null(rp.go);
        thread = start_thread(race_peer_thread, &rp);

        assert_true(SetEvent(rp.go));
        for (spin = 0; spin < (unsigned)(r % 9) * 4000u; spin++) {
        }
        assert_int_equal(closesocket(s), 0);

        join_thread_exit_zero(thread, 5000);
        assert_int_equal(CloseHandle(rp.go), TRUE);
        if (rp.reset) {
            assert_int_equal(rp.setsockopt_ret, 0);
            assert_int_equal(rp.close_ret, 0);
        } else {
            /* the data may reach a socket that is already gone */
            assert_true(rp.send_ret == C7_DATA_LEN || rp.send_ret == SOCKET_ERROR);
            assert_int_equal(closesocket(peer), 0);
        }

        while (c7_count[2 * r] == 0 || c7_count[2 * r + 1] == 0)
            c7_record(get_packet(port, PACKET_WAIT_MS));
    }

    /* Anything still queued is a second completion of some op. */
    for (;;) {
        p = get_packet(port, QUIET_MS);
        if (!p.ok && p.ovl == NULL) {
            assert_int_equal(p.error, WAIT_TIMEOUT);
            break;
        }
        c7_record(p);
    }
    for (i = 0; i < C7_ROUNDS * 2; i++)
        assert_int_equal(c7_count[i], 1);

    assert_int_equal(CloseHandle(port), TRUE);
    free(big);
}

/* C8: SO_LINGER {1,0} then closesocket is an abortive close: the peer's
 * next recv fails with WSAECONNRESET. */
static void test_c8_linger_zero_close_resets_peer(void **state)
{
    SOCKET s, peer;
    static char buf[8];
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    close_with_reset(s);

    assert_int_equal(wait_readable(peer, PACKET_WAIT_MS), 1);
    WSASetLastError((int)SENTINEL);
    ret = recv(peer, buf, (int)sizeof(buf), 0);
    err = WSAGetLastError();
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAECONNRESET);

    assert_int_equal(closesocket(peer), 0);
}

/* C5 (WSARecv only): CancelIoEx(s, ovl) cancels that op alone: FALSE,
 * ERROR_OPERATION_ABORTED, 0 bytes, Internal = STATUS_CANCELLED; the other
 * recv stays pending and later gets the data. */
static void test_c5_cancelioex_cancels_only_the_given_recv(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl1, ovl2;
    static WSABUF wb1, wb2;
    static char buf1[16], buf2[16];
    DWORD bytes = SENTINEL;
    packet p;
    BOOL ok;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl1, 0, sizeof(ovl1));
    memset(&ovl2, 0, sizeof(ovl2));
    wb1.buf = buf1;
    wb1.len = sizeof(buf1);
    wb2.buf = buf2;
    wb2.len = sizeof(buf2);

    ret = post_recv(s, &wb1, 1, &ovl1, &bytes, &err);
    assert_pending(ret, err);
    ret = post_recv(s, &wb2, 1, &ovl2, &bytes, &err);
    assert_pending(ret, err);

    ok = CancelIoEx((HANDLE)s, &ovl1);
    assert_true(ok);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_failed(p, ERROR_OPERATION_ABORTED, 0, KEY, &ovl1);
    assert_int_equal((DWORD)ovl1.Internal, STATUS_CANCELLED);
    assert_no_packet(port, QUIET_MS);
    assert_false(HasOverlappedIoCompleted(&ovl2));

    assert_int_equal(send_all(peer, "left", 4), 4);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 4, KEY, &ovl2);
    assert_memory_equal(buf2, "left", 4);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* C5 (WSARecv only): CancelIoEx(s, NULL) cancels every pending op, one
 * ERROR_OPERATION_ABORTED packet each. */
static void test_c5_cancelioex_null_cancels_all_recvs(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl[2];
    static WSABUF wb[2];
    static char buf[2][16];
    int seen[2] = {0, 0};
    DWORD bytes = SENTINEL;
    int ret, err, i, k;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    for (i = 0; i < 2; i++) {
        memset(&ovl[i], 0, sizeof(ovl[i]));
        wb[i].buf = buf[i];
        wb[i].len = sizeof(buf[i]);
        ret = post_recv(s, &wb[i], 1, &ovl[i], &bytes, &err);
        assert_pending(ret, err);
    }

    assert_true(CancelIoEx((HANDLE)s, NULL));
    for (i = 0; i < 2; i++) {
        packet p = get_packet(port, PACKET_WAIT_MS);
        assert_false(p.ok);
        assert_int_equal(p.error, ERROR_OPERATION_ABORTED);
        assert_int_equal(p.bytes, 0);
        assert_int_equal(p.key, KEY);
        k = p.ovl == &ovl[0] ? 0 : 1;
        assert_ptr_equal(p.ovl, &ovl[k]);
        assert_int_equal(seen[k], 0);
        seen[k] = 1;
        assert_int_equal((DWORD)ovl[k].Internal, STATUS_CANCELLED);
    }
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* C6: with nothing pending, CancelIoEx fails with ERROR_NOT_FOUND (for NULL
 * and for an OVERLAPPED never used) while CancelIo succeeds; no packet. */
static void test_c6_cancel_with_nothing_pending(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED unused;
    BOOL ok;
    DWORD err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&unused, 0, sizeof(unused));

    SetLastError(SENTINEL);
    ok = CancelIoEx((HANDLE)s, NULL);
    err = GetLastError();
    assert_false(ok);
    assert_int_equal(err, ERROR_NOT_FOUND);

    SetLastError(SENTINEL);
    ok = CancelIoEx((HANDLE)s, &unused);
    err = GetLastError();
    assert_false(ok);
    assert_int_equal(err, ERROR_NOT_FOUND);

    assert_true(CancelIo((HANDLE)s));
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c1_close_fails_pending_recv_with_connection_aborted),
        cmocka_unit_test(test_c1_close_fails_pending_send_with_connection_aborted),
        cmocka_unit_test(test_c2_close_idle_socket_queues_no_packet),
        cmocka_unit_test(test_c2_close_after_completed_recv_queues_no_packet),
        cmocka_unit_test(test_c7_close_racing_peer_completes_each_op_exactly_once),
        cmocka_unit_test(test_c8_linger_zero_close_resets_peer),
        cmocka_unit_test(test_c5_cancelioex_cancels_only_the_given_recv),
        cmocka_unit_test(test_c5_cancelioex_null_cancels_all_recvs),
        cmocka_unit_test(test_c6_cancel_with_nothing_pending),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
