/*
 * Conformance tests for WSARecv / WSASend / WSASendTo / WSARecvFrom on a
 * socket associated with a completion port: spec rows R1..R16
 * (/work/shared/spec/iocp-semantics.md). Plain Win32: the same source builds
 * against iocpcompat on Linux and against the Windows SDK.
 */
#include "conformance.h"

#include <stdlib.h>

#define KEY             ((ULONG_PTR)0x5eed1234)

/* Reads len bytes, pausing now and then (a slow peer); never blocks longer
 * than 5 s per read, so a lost byte fails the test instead of hanging it. */
static int recv_slowly(SOCKET s, char *buf, int len, int chunk, int pause_every)
{
    int done = 0, reads = 0;
    while (done < len) {
        int want = len - done < chunk ? len - done : chunk;
        int n;
        if (wait_readable(s, 5000) != 1)
            break;
        n = recv(s, buf + done, want, 0);
        if (n <= 0)
            break;
        done += n;
        if (pause_every > 0 && ++reads % pause_every == 0)
            Sleep(1);
    }
    return done;
}

/* R1: no data yet -> SOCKET_ERROR + WSA_IO_PENDING, Internal = STATUS_PENDING,
 * byte count untouched, and no packet while nothing arrives. */
static void test_r1_recv_without_data_pends(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[16];
    DWORD bytes = SENTINEL;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = buf;
    wb.len = sizeof(buf);

    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_pending(ret, err);
    assert_int_equal(bytes, SENTINEL);
    assert_int_equal(overlapped_status(&ovl), STATUS_PENDING);
    assert_false(HasOverlappedIoCompleted(&ovl));
    assert_no_packet(port, QUIET_MS);
    assert_false(HasOverlappedIoCompleted(&ovl));

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R2 (+ P2): a pending recv completes when data arrives: TRUE, bytes = n,
 * Internal = 0, InternalHigh = n, data intact. */
static void test_r2_pending_recv_completes_with_data(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[64];
    static const char msg[] = "hello, completion port";
    DWORD bytes = SENTINEL;
    packet p;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);

    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_pending(ret, err);

    assert_int_equal(send_all(peer, msg, (int)sizeof(msg)), (int)sizeof(msg));
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, sizeof(msg), KEY, &ovl);
    assert_int_equal((DWORD)ovl.Internal, 0);
    assert_int_equal(ovl.InternalHigh, sizeof(msg));
    assert_memory_equal(buf, msg, sizeof(msg));
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R3: data already queued -> WSARecv returns 0 with the count at once, and
 * (no skip-on-success mode) a packet is queued all the same. */
static void test_r3_immediate_recv_still_queues_packet(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[64];
    static const char msg[] = "already here";
    DWORD bytes = SENTINEL;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);

    assert_int_equal(send_all(peer, msg, (int)sizeof(msg)), (int)sizeof(msg));
    assert_int_equal(wait_readable(s, PACKET_WAIT_MS), 1);

    /* At once (Windows' usual way) or pending: one packet either way. */
    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_done_once(port, ret, err, bytes, sizeof(msg), KEY, &ovl, FALSE);
    assert_memory_equal(buf, msg, sizeof(msg));
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R4, the end already there: the peer closed gracefully -> WSARecv returns
 * 0 with 0 bytes and a TRUE/0 packet is queued, or pends and completes
 * TRUE/0 (R3). */
static void test_r4_recv_after_graceful_close_returns_zero_bytes(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[16];
    DWORD bytes = SENTINEL;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = buf;
    wb.len = sizeof(buf);

    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(wait_readable(s, PACKET_WAIT_MS), 1);

    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_done_once(port, ret, err, bytes, 0, KEY, &ovl, FALSE);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R4 after a short receive: the end of stream that follows the last bytes
 * is still reported, whether it came with them (before the receives) or
 * after the first receive pended and took the bytes alone. */
static void test_r4_end_after_short_receive_is_reported(void **state)
{
    static OVERLAPPED ovl[2];
    static WSABUF wb[2];
    static char buf[2][64];
    SOCKET s, peer;
    HANDLE port;
    DWORD bytes;
    int round, i, ret, err;
    (void)state;

    for (round = 0; round < 2; round++) {
        port = new_port();
        tcp_pair(&s, &peer);
        associate(s, port, KEY);
        memset(ovl, 0, sizeof(ovl));
        for (i = 0; i < 2; i++) {
            wb[i].buf = buf[i];
            wb[i].len = sizeof(buf[i]);
        }
        if (round == 0) {
            assert_int_equal(send_all(peer, "x", 1), 1);
            assert_int_equal(shutdown(peer, SD_SEND), 0);
            assert_int_equal(wait_readable(s, PACKET_WAIT_MS), 1);
        }
        for (i = 0; i < 2; i++) {
            bytes = SENTINEL;
            ret = post_recv(s, &wb[i], 1, &ovl[i], &bytes, &err);
            if (round == 1 && i == 0) {
                assert_pending(ret, err);
                assert_int_equal(send_all(peer, "x", 1), 1);
            }
            if (round == 1 && i == 1)
                assert_int_equal(shutdown(peer, SD_SEND), 0);
            assert_done_once(port, ret, err, bytes, i == 0 ? 1 : 0, KEY, &ovl[i], FALSE);
        }
        assert_int_equal(buf[0][0], 'x');
        assert_no_packet(port, QUIET_MS);
        assert_int_equal(closesocket(s), 0);
        assert_int_equal(closesocket(peer), 0);
        assert_int_equal(CloseHandle(port), TRUE);
    }
}

/* R4, pending variant: a pending recv completes TRUE/0 when the peer closes. */
static void test_r4_pending_recv_completes_on_graceful_close(void **state)
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
    assert_int_equal(closesocket(peer), 0);

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY, &ovl);
    assert_int_equal((DWORD)ovl.Internal, 0);
    assert_int_equal(ovl.InternalHigh, 0);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R5: peer RST fails the pending recv (FALSE, ERROR_NETNAME_DELETED, 0 bytes,
 * Internal = STATUS_CONNECTION_RESET as Wine's test_tcp_reset records for
 * Windows); afterwards WSARecv and WSASend fail at once with WSAECONNRESET
 * and queue nothing. */
static void test_r5_reset_fails_pending_recv_then_ops_fail_at_once(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl, ovl2, ovl3;
    static WSABUF wb;
    static char buf[16];
    DWORD bytes = SENTINEL;
    packet p;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    memset(&ovl2, 0, sizeof(ovl2));
    memset(&ovl3, 0, sizeof(ovl3));
    wb.buf = buf;
    wb.len = sizeof(buf);

    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_pending(ret, err);
    close_with_reset(peer);

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_failed(p, ERROR_NETNAME_DELETED, 0, KEY, &ovl);
    assert_int_equal((DWORD)ovl.Internal, STATUS_CONNECTION_RESET);
    assert_int_equal(ovl.InternalHigh, 0);

    bytes = SENTINEL;
    ret = post_recv(s, &wb, 1, &ovl2, &bytes, &err);
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAECONNRESET);
    assert_int_equal(bytes, SENTINEL);

    bytes = SENTINEL;
    ret = post_send(s, &wb, 1, &ovl3, &bytes, &err);
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAECONNRESET);
    assert_int_equal(bytes, SENTINEL);

    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R6: WSARecv on a TCP socket that never connected -> WSAENOTCONN, no packet. */
static void test_r6_recv_on_unconnected_socket_fails(void **state)
{
    SOCKET s = new_tcp_socket(AF_INET);
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[16];
    DWORD bytes = SENTINEL;
    int ret, err;
    (void)state;

    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = buf;
    wb.len = sizeof(buf);

    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAENOTCONN);
    assert_int_equal(bytes, SENTINEL);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R7: three recvs pending on one socket are filled in posting order: one
 * 48-byte send fills recv 0 with bytes 0..15, recv 1 with 16..31, recv 2
 * with 32..47. Packets are matched by OVERLAPPED, whatever their order. */
#define R7_OPS    3
#define R7_STRIDE 16
static void test_r7_pending_recvs_filled_in_posting_order(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl[R7_OPS];
    static WSABUF wb[R7_OPS];
    static char buf[R7_OPS][R7_STRIDE];
    static char msg[R7_OPS * R7_STRIDE];
    int seen[R7_OPS] = {0};
    int i, k;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    fill_pattern(msg, sizeof(msg), 7);
    memset(buf, 0, sizeof(buf));

    for (i = 0; i < R7_OPS; i++) {
        DWORD bytes = SENTINEL;
        int ret, err;
        memset(&ovl[i], 0, sizeof(ovl[i]));
        wb[i].buf = buf[i];
        wb[i].len = R7_STRIDE;
        ret = post_recv(s, &wb[i], 1, &ovl[i], &bytes, &err);
        assert_pending(ret, err);
    }

    assert_int_equal(send_all(peer, msg, (int)sizeof(msg)), (int)sizeof(msg));

    for (i = 0; i < R7_OPS; i++) {
        packet p = get_packet(port, PACKET_WAIT_MS);
        assert_true(p.ok);
        assert_int_equal(p.error, SENTINEL);
        assert_int_equal(p.key, KEY);
        for (k = 0; k < R7_OPS && p.ovl != &ovl[k]; k++)
            ;
        assert_true(k < R7_OPS);
        assert_int_equal(seen[k], 0);
        seen[k] = 1;
        assert_int_equal(p.bytes, R7_STRIDE);
    }
    for (k = 0; k < R7_OPS; k++)
        assert_memory_equal(buf[k], msg + k * R7_STRIDE, R7_STRIDE);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R8: four 4 MiB WSASends outstanding at once, distinct patterns, a peer that
 * starts late and reads slowly (so the kernel takes each send in pieces):
 * every send packet reports its whole length and the peer gets the four
 * buffers back to back in posting order, byte for byte. */
#define R8_SENDS 4
#define R8_SIZE  (4 << 20)
static void test_r8_outstanding_sends_complete_whole_in_posting_order(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl[R8_SENDS];
    static WSABUF wb[R8_SENDS];
    char *out[R8_SENDS];
    char *in;
    int seen[R8_SENDS] = {0};
    int i, k;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    in = malloc((size_t)R8_SENDS * R8_SIZE);
    assert_non_null(in);
    for (i = 0; i < R8_SENDS; i++) {
        out[i] = malloc(R8_SIZE);
        assert_non_null(out[i]);
        fill_pattern(out[i], R8_SIZE, 100u + (unsigned)i);
    }

    for (i = 0; i < R8_SENDS; i++) {
        DWORD sent = SENTINEL;
        int ret, err;
        memset(&ovl[i], 0, sizeof(ovl[i]));
        wb[i].buf = out[i];
        wb[i].len = R8_SIZE;
        ret = post_send(s, &wb[i], 1, &ovl[i], &sent, &err);
        assert_send_started(ret, err, sent, R8_SIZE);
    }

    Sleep(100); /* let the sends hit a full peer window before reading */
    assert_int_equal(recv_slowly(peer, in, R8_SENDS * R8_SIZE, 32 * 1024, 32),
                     R8_SENDS * R8_SIZE);
    for (i = 0; i < R8_SENDS; i++)
        assert_memory_equal(in + (size_t)i * R8_SIZE, out[i], R8_SIZE);

    for (i = 0; i < R8_SENDS; i++) {
        packet p = get_packet(port, PACKET_WAIT_MS);
        assert_true(p.ok);
        assert_int_equal(p.error, SENTINEL);
        assert_int_equal(p.key, KEY);
        for (k = 0; k < R8_SENDS && p.ovl != &ovl[k]; k++)
            ;
        assert_true(k < R8_SENDS);
        assert_int_equal(seen[k], 0);
        seen[k] = 1;
        assert_int_equal(p.bytes, R8_SIZE);
        assert_int_equal((DWORD)ovl[k].Internal, 0);
        assert_int_equal(ovl[k].InternalHigh, R8_SIZE);
    }
    assert_no_packet(port, QUIET_MS);

    for (i = 0; i < R8_SENDS; i++)
        free(out[i]);
    free(in);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R9: dwBufferCount = 0 (with and without a buffer pointer) -> WSAEINVAL at
 * once, no packet (Wine's test_empty_recv records this for Windows). */
static void test_r9_zero_buffer_count_is_einval(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[4];
    DWORD bytes = SENTINEL;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = buf;
    wb.len = 0;

    ret = post_recv(s, &wb, 0, &ovl, &bytes, &err);
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);

    ret = post_recv(s, NULL, 0, &ovl, &bytes, &err);
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);

    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* MSG_PEEK leaves the bytes where they are: a peek, at once or pending,
 * then a plain receive, get the same bytes, and nothing more comes. The
 * second time the peek pends and is finished by the data's arrival. */
static void test_peek_then_receive_gets_the_same_bytes(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl[4];
    static WSABUF wb[4];
    static char buf[4][64];
    static const char msg[] = "peek";
    DWORD bytes, flags;
    int i, ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(ovl, 0, sizeof(ovl));
    for (i = 0; i < 4; i++) {
        wb[i].buf = buf[i];
        wb[i].len = sizeof(buf[i]);
    }
    for (i = 0; i < 4; i += 2) {
        if (i == 0) {
            assert_int_equal(send_all(peer, msg, (int)sizeof(msg)), (int)sizeof(msg));
            assert_int_equal(wait_readable(s, PACKET_WAIT_MS), 1);
        }
        flags = MSG_PEEK;
        bytes = SENTINEL;
        WSASetLastError(WSA_SENTINEL);
        ret = WSARecv(s, &wb[i], 1, &bytes, &flags, &ovl[i], NULL);
        err = ret == 0 ? 0 : WSAGetLastError();
        if (i == 2) {
            /* Nothing to peek at yet: the peek pends until data comes. */
            assert_pending(ret, err);
            assert_no_packet(port, QUIET_MS);
            assert_int_equal(send_all(peer, msg, (int)sizeof(msg)), (int)sizeof(msg));
        }
        assert_done_once(port, ret, err, bytes, sizeof(msg), KEY, &ovl[i], FALSE);
        assert_memory_equal(buf[i], msg, sizeof(msg));

        flags = 0;
        bytes = SENTINEL;
        WSASetLastError(WSA_SENTINEL);
        ret = WSARecv(s, &wb[i + 1], 1, &bytes, &flags, &ovl[i + 1], NULL);
        err = ret == 0 ? 0 : WSAGetLastError();
        assert_done_once(port, ret, err, bytes, sizeof(msg), KEY, &ovl[i + 1], FALSE);
        assert_memory_equal(buf[i + 1], msg, sizeof(msg));
        assert_no_packet(port, QUIET_MS);
    }

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R10: one zero-length buffer pends until data arrives, completes TRUE with
 * 0 bytes, and leaves the data for the next recv. */
static void test_r10_zero_byte_recv_waits_and_does_not_consume(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl, ovl2;
    static WSABUF zero, wb;
    static char zbuf[1];
    static char buf[16];
    static const char msg[] = "data";
    DWORD bytes = SENTINEL;
    packet p;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    memset(&ovl2, 0, sizeof(ovl2));
    zero.buf = zbuf;
    zero.len = 0;

    ret = post_recv(s, &zero, 1, &ovl, &bytes, &err);
    assert_pending(ret, err);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(send_all(peer, msg, (int)sizeof(msg)), (int)sizeof(msg));
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY, &ovl);
    assert_int_equal((DWORD)ovl.Internal, 0);

    /* The bytes are still there: a real recv gets them, at once or
     * pending (R3), with the data the zero-byte receive left. */
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);
    assert_int_equal(wait_readable(s, PACKET_WAIT_MS), 1);
    bytes = SENTINEL;
    ret = post_recv(s, &wb, 1, &ovl2, &bytes, &err);
    assert_done_once(port, ret, err, bytes, sizeof(msg), KEY, &ovl2, FALSE);
    assert_memory_equal(buf, msg, sizeof(msg));
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R11, scatter: a pending recv over three buffers fills them in order and
 * reports the total. */
static void test_r11_recv_scatters_over_buffers_in_order(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb[3];
    static char a[3], b[5], c[8];
    static char msg[16];
    DWORD bytes = SENTINEL;
    packet p;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    fill_pattern(msg, sizeof(msg), 11);
    wb[0].buf = a; wb[0].len = sizeof(a);
    wb[1].buf = b; wb[1].len = sizeof(b);
    wb[2].buf = c; wb[2].len = sizeof(c);

    ret = post_recv(s, wb, 3, &ovl, &bytes, &err);
    assert_pending(ret, err);
    assert_int_equal(send_all(peer, msg, (int)sizeof(msg)), (int)sizeof(msg));

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, sizeof(msg), KEY, &ovl);
    assert_memory_equal(a, msg, sizeof(a));
    assert_memory_equal(b, msg + sizeof(a), sizeof(b));
    assert_memory_equal(c, msg + sizeof(a) + sizeof(b), sizeof(c));
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R11, gather: a send over three buffers puts them on the wire in order and
 * its packet reports the total. */
static void test_r11_send_gathers_buffers_in_order(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb[3];
    static char a[] = "abc", b[] = "defgh", c[] = "ij";
    static const char expect[] = "abcdefghij";
    static char got[10];
    DWORD sent = SENTINEL;
    packet p;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    wb[0].buf = a; wb[0].len = 3;
    wb[1].buf = b; wb[1].len = 5;
    wb[2].buf = c; wb[2].len = 2;

    ret = post_send(s, wb, 3, &ovl, &sent, &err);
    assert_send_started(ret, err, sent, 10);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 10, KEY, &ovl);

    assert_int_equal(recv_slowly(peer, got, 10, 10, 0), 10);
    assert_memory_equal(got, expect, 10);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

static volatile LONG r12_routine_calls;

static void CALLBACK r12_routine(DWORD error, DWORD transferred, LPWSAOVERLAPPED ovl, DWORD flags)
{
    (void)error;
    (void)transferred;
    (void)ovl;
    (void)flags;
    InterlockedIncrement(&r12_routine_calls);
}

/* R12: a completion routine on a port-associated socket -> SOCKET_ERROR,
 * WSAEINVAL; nothing is started, so later data neither calls the routine
 * nor queues a packet. */
static void test_r12_completion_routine_on_port_socket_is_einval(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[16];
    static DWORD flags;
    DWORD bytes = SENTINEL;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = buf;
    wb.len = sizeof(buf);
    InterlockedExchange(&r12_routine_calls, 0);

    flags = 0;
    WSASetLastError((int)SENTINEL);
    ret = WSARecv(s, &wb, 1, &bytes, &flags, &ovl, r12_routine);
    err = WSAGetLastError();
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);

    assert_int_equal(send_all(peer, "x", 1), 1);
    assert_no_packet(port, QUIET_MS);
    assert_int_equal(InterlockedExchange(&r12_routine_calls, 0), 0);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R13: FIONBIO=1 does not turn an overlapped recv into WSAEWOULDBLOCK: it
 * pends, then completes with the data. */
static void test_r13_nonblocking_socket_overlapped_recv_pends(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[16];
    static const char msg[] = "nb";
    u_long on = 1;
    DWORD bytes = SENTINEL;
    packet p;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    assert_int_equal(ioctlsocket(s, FIONBIO, &on), 0);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = buf;
    wb.len = sizeof(buf);

    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_pending(ret, err);
    assert_int_equal(overlapped_status(&ovl), STATUS_PENDING);

    assert_int_equal(send_all(peer, msg, (int)sizeof(msg)), (int)sizeof(msg));
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, sizeof(msg), KEY, &ovl);
    assert_memory_equal(buf, msg, sizeof(msg));
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R14, first half: after shutdown(SD_RECEIVE) a new WSARecv fails at once
 * with WSAESHUTDOWN and queues nothing. */
static void test_r14_recv_after_shutdown_receive_is_eshutdown(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char buf[16];
    DWORD bytes = SENTINEL;
    int ret, err;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = buf;
    wb.len = sizeof(buf);

    assert_int_equal(shutdown(s, SD_RECEIVE), 0);
    ret = post_recv(s, &wb, 1, &ovl, &bytes, &err);
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAESHUTDOWN);
    assert_int_equal(bytes, SENTINEL);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R14, second half: the peer's shutdown(SD_SEND) completes a pending recv
 * TRUE with 0 bytes. */
static void test_r14_peer_shutdown_send_completes_pending_recv(void **state)
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
    assert_int_equal(shutdown(peer, SD_SEND), 0);

    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, KEY, &ovl);
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

typedef struct r15_job {
    SOCKET s;
    WSABUF wb;
    OVERLAPPED ovl;
    char buf[32];
    DWORD bytes;
    int ret;
    int err;
} r15_job;

static DWORD WINAPI r15_post_and_exit(LPVOID arg)
{
    r15_job *job = arg;
    job->ret = post_recv(job->s, &job->wb, 1, &job->ovl, &job->bytes, &job->err);
    return 0;
}

/* R15: a WSARecv posted by a thread that has since exited is not cancelled:
 * no packet while the thread dies, then it completes with the data. */
static void test_r15_recv_survives_issuing_thread_exit(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    HANDLE thread;
    static r15_job job;
    static const char msg[] = "after the thread is gone";
    packet p;
    (void)state;

    tcp_pair(&s, &peer);
    associate(s, port, KEY);
    memset(&job, 0, sizeof(job));
    job.s = s;
    job.wb.buf = job.buf;
    job.wb.len = sizeof(job.buf);
    job.bytes = SENTINEL;

    thread = start_thread(r15_post_and_exit, &job);
    join_thread_exit_zero(thread, 5000);
    assert_pending(job.ret, job.err);

    assert_no_packet(port, QUIET_MS);
    assert_false(HasOverlappedIoCompleted(&job.ovl));

    assert_int_equal(send_all(peer, msg, (int)sizeof(msg)), (int)sizeof(msg));
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, sizeof(msg), KEY, &job.ovl);
    assert_memory_equal(job.buf, msg, sizeof(msg));
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R16 over TCP/IPv6 (::1): the R2 path works on an AF_INET6 pair. */
static void test_r16_ipv6_tcp_recv_and_send(void **state)
{
    SOCKET s, peer;
    HANDLE port = new_port();
    static OVERLAPPED rovl, sovl;
    static WSABUF rwb, swb;
    static char buf[32];
    static char out[] = "over ::1";
    static char got[sizeof(out)];
    DWORD bytes = SENTINEL, sent = SENTINEL;
    packet p;
    int ret, err;
    (void)state;

    tcp_pair_family(AF_INET6, &s, &peer);
    associate(s, port, KEY);
    memset(&rovl, 0, sizeof(rovl));
    memset(&sovl, 0, sizeof(sovl));
    rwb.buf = buf;
    rwb.len = sizeof(buf);
    swb.buf = out;
    swb.len = sizeof(out);

    ret = post_recv(s, &rwb, 1, &rovl, &bytes, &err);
    assert_pending(ret, err);
    assert_int_equal(send_all(peer, "v6 data", 7), 7);
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, 7, KEY, &rovl);
    assert_memory_equal(buf, "v6 data", 7);

    ret = post_send(s, &swb, 1, &sovl, &sent, &err);
    assert_send_started(ret, err, sent, sizeof(out));
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, sizeof(out), KEY, &sovl);
    assert_int_equal(recv_slowly(peer, got, (int)sizeof(got), (int)sizeof(got), 0), (int)sizeof(got));
    assert_memory_equal(got, out, sizeof(out));
    assert_no_packet(port, QUIET_MS);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(peer), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

static SOCKET new_udp_socket(int family)
{
    SOCKET s = WSASocketA(family, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    assert_true(s != INVALID_SOCKET);
    return s;
}

/* A UDP socket bound to the loopback address of the family, any port. */
static SOCKET new_udp_receiver(int family, struct sockaddr_storage *bound, int *boundlen)
{
    SOCKET s = new_udp_socket(family);
    struct sockaddr_storage ss;
    int len = loopback_address(family, &ss);
    assert_int_equal(bind(s, (struct sockaddr *)&ss, len), 0);
    *boundlen = (int)sizeof(*bound);
    assert_int_equal(getsockname(s, (struct sockaddr *)bound, boundlen), 0);
    assert_int_equal(*boundlen, len);
    return s;
}

/* R16 body for one family: WSARecvFrom pends on the receiver; WSASendTo from
 * an unbound sender binds it implicitly (getsockname then gives a port) and
 * the receive reports the datagram, the sender's address and its length. */
static void udp_sendto_recvfrom(int family)
{
    HANDLE port = new_port();
    static struct sockaddr_storage to, from, sender;
    static int fromlen; /* written when the receive completes */
    static DWORD flags; /* likewise */
    int tolen, senderlen;
    SOCKET rx = new_udp_receiver(family, &to, &tolen);
    SOCKET tx = new_udp_socket(family);
    static OVERLAPPED rovl, sovl;
    static WSABUF rwb, swb;
    static char buf[64];
    static char msg[] = "one datagram";
    DWORD bytes = SENTINEL, sent = SENTINEL;
    int got_send = 0, got_recv = 0;
    int ret, err, i;
    const ULONG_PTR rkey = 0x1111, skey = 0x2222;

    associate(rx, port, rkey);
    associate(tx, port, skey);
    memset(&rovl, 0, sizeof(rovl));
    memset(&sovl, 0, sizeof(sovl));
    memset(&from, 0xcc, sizeof(from));
    memset(buf, 0, sizeof(buf));
    fromlen = (int)sizeof(from);
    rwb.buf = buf;
    rwb.len = sizeof(buf);
    swb.buf = msg;
    swb.len = sizeof(msg);

    flags = 0;
    WSASetLastError((int)SENTINEL);
    ret = WSARecvFrom(rx, &rwb, 1, &bytes, &flags, (struct sockaddr *)&from, &fromlen, &rovl, NULL);
    err = WSAGetLastError();
    assert_pending(ret, err);

    WSASetLastError((int)SENTINEL);
    ret = WSASendTo(tx, &swb, 1, &sent, 0, (const struct sockaddr *)&to, tolen, &sovl, NULL);
    err = WSAGetLastError();
    assert_send_started(ret, err, sent, sizeof(msg));

    for (i = 0; i < 2; i++) {
        packet p = get_packet(port, PACKET_WAIT_MS);
        assert_true(p.ok);
        assert_int_equal(p.error, SENTINEL);
        assert_int_equal(p.bytes, sizeof(msg));
        if (p.ovl == &sovl) {
            assert_int_equal(got_send, 0);
            assert_int_equal(p.key, skey);
            got_send = 1;
        } else {
            assert_ptr_equal(p.ovl, &rovl);
            assert_int_equal(got_recv, 0);
            assert_int_equal(p.key, rkey);
            got_recv = 1;
        }
    }
    assert_no_packet(port, QUIET_MS);
    assert_memory_equal(buf, msg, sizeof(msg));

    senderlen = (int)sizeof(sender);
    assert_int_equal(getsockname(tx, (struct sockaddr *)&sender, &senderlen), 0);
    if (family == AF_INET6) {
        const struct sockaddr_in6 *f6 = (const struct sockaddr_in6 *)&from;
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&sender;
        assert_int_equal(senderlen, sizeof(struct sockaddr_in6));
        assert_int_equal(s6->sin6_family, AF_INET6);
        assert_int_not_equal(s6->sin6_port, 0);
        assert_int_equal(fromlen, sizeof(struct sockaddr_in6));
        assert_int_equal(f6->sin6_family, AF_INET6);
        assert_int_equal(f6->sin6_port, s6->sin6_port);
        assert_memory_equal(&f6->sin6_addr, &in6addr_loopback, sizeof(f6->sin6_addr));
    } else {
        const struct sockaddr_in *f4 = (const struct sockaddr_in *)&from;
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)&sender;
        assert_int_equal(senderlen, sizeof(struct sockaddr_in));
        assert_int_equal(s4->sin_family, AF_INET);
        assert_int_not_equal(s4->sin_port, 0);
        assert_int_equal(fromlen, sizeof(struct sockaddr_in));
        assert_int_equal(f4->sin_family, AF_INET);
        assert_int_equal(f4->sin_port, s4->sin_port);
        assert_int_equal(f4->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    }

    assert_int_equal(closesocket(tx), 0);
    assert_int_equal(closesocket(rx), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

/* R16 over IPv4. */
static void test_r16_udp_sendto_binds_and_recvfrom_fills_source(void **state)
{
    (void)state;
    udp_sendto_recvfrom(AF_INET);
}

/* R16 over IPv6 (::1). */
static void test_r16_udp_ipv6_sendto_binds_and_recvfrom_fills_source(void **state)
{
    (void)state;
    udp_sendto_recvfrom(AF_INET6);
}

/* R16 precondition, Windows behaviour (Wine's test_WSASendTo records it): a
 * UDP socket that was never bound has no name, getsockname -> WSAEINVAL;
 * after WSASendTo it has one. Kept separate: Linux itself answers 0.0.0.0:0. */
static void test_r16_unbound_udp_has_no_name_until_sendto(void **state)
{
    HANDLE port = new_port();
    static struct sockaddr_storage to, name;
    int tolen, namelen;
    SOCKET rx = new_udp_receiver(AF_INET, &to, &tolen);
    SOCKET tx = new_udp_socket(AF_INET);
    static OVERLAPPED ovl;
    static WSABUF wb;
    static char msg[] = "bind me";
    DWORD sent = SENTINEL;
    packet p;
    int ret, err;
    (void)state;

    associate(tx, port, KEY);
    memset(&ovl, 0, sizeof(ovl));
    wb.buf = msg;
    wb.len = sizeof(msg);

    namelen = (int)sizeof(name);
    WSASetLastError((int)SENTINEL);
    ret = getsockname(tx, (struct sockaddr *)&name, &namelen);
    err = WSAGetLastError();
    assert_int_equal(ret, SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);

    WSASetLastError((int)SENTINEL);
    ret = WSASendTo(tx, &wb, 1, &sent, 0, (const struct sockaddr *)&to, tolen, &ovl, NULL);
    err = WSAGetLastError();
    assert_send_started(ret, err, sent, sizeof(msg));
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, sizeof(msg), KEY, &ovl);

    namelen = (int)sizeof(name);
    assert_int_equal(getsockname(tx, (struct sockaddr *)&name, &namelen), 0);
    assert_int_equal(namelen, sizeof(struct sockaddr_in));
    assert_int_equal(((struct sockaddr_in *)&name)->sin_family, AF_INET);
    assert_int_not_equal(((struct sockaddr_in *)&name)->sin_port, 0);

    assert_int_equal(closesocket(tx), 0);
    assert_int_equal(closesocket(rx), 0);
    assert_int_equal(CloseHandle(port), TRUE);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r1_recv_without_data_pends),
        cmocka_unit_test(test_r2_pending_recv_completes_with_data),
        cmocka_unit_test(test_r3_immediate_recv_still_queues_packet),
        cmocka_unit_test(test_r4_recv_after_graceful_close_returns_zero_bytes),
        cmocka_unit_test(test_r4_pending_recv_completes_on_graceful_close),
        cmocka_unit_test(test_r4_end_after_short_receive_is_reported),
        cmocka_unit_test(test_r5_reset_fails_pending_recv_then_ops_fail_at_once),
        cmocka_unit_test(test_r6_recv_on_unconnected_socket_fails),
        cmocka_unit_test(test_r7_pending_recvs_filled_in_posting_order),
        cmocka_unit_test(test_r8_outstanding_sends_complete_whole_in_posting_order),
        cmocka_unit_test(test_r9_zero_buffer_count_is_einval),
        cmocka_unit_test(test_r10_zero_byte_recv_waits_and_does_not_consume),
        cmocka_unit_test(test_peek_then_receive_gets_the_same_bytes),
        cmocka_unit_test(test_r11_recv_scatters_over_buffers_in_order),
        cmocka_unit_test(test_r11_send_gathers_buffers_in_order),
        cmocka_unit_test(test_r12_completion_routine_on_port_socket_is_einval),
        cmocka_unit_test(test_r13_nonblocking_socket_overlapped_recv_pends),
        cmocka_unit_test(test_r14_recv_after_shutdown_receive_is_eshutdown),
        cmocka_unit_test(test_r14_peer_shutdown_send_completes_pending_recv),
        cmocka_unit_test(test_r15_recv_survives_issuing_thread_exit),
        cmocka_unit_test(test_r16_ipv6_tcp_recv_and_send),
        cmocka_unit_test(test_r16_udp_sendto_binds_and_recvfrom_fills_source),
        cmocka_unit_test(test_r16_udp_ipv6_sendto_binds_and_recvfrom_fills_source),
        cmocka_unit_test(test_r16_unbound_udp_has_no_name_until_sendto),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
