/*
 * Close/cancel race acceptance test (spec rows C1, C3, C4, C5, C6, C7, P3, R5
 * under races): the test's thread is the racing thread; 3 worker threads run
 * GetQueuedCompletionStatus on one port and complete I/O on the very sockets
 * the racing thread cancels or closes (they post the next WSARecv whenever one
 * returns data). 3,000 rounds, each on fresh sockets:
 *
 * - pair rounds: a connected pair (a, b); on a, a WSARecv and a WSASend; on
 *   the peer b, a WSARecv and a WSASend, so data flows both ways while the
 *   race happens (sends are 1 byte .. 256 KiB, so some are still in progress
 *   when the race hits). After a random short pause the racing thread does
 *   one of CancelIoEx(a, one op), CancelIoEx(a, NULL) or closesocket(a);
 * - accept rounds (one in four): a fresh listener L with an AcceptEx pending
 *   into socket A (receive length 0 or 64) while a client C connects with
 *   ConnectEx (sending 0 or 32 bytes); the racing thread does one of
 *   CancelIoEx(L, the AcceptEx), CancelIoEx(L, NULL), closesocket(L) or
 *   closesocket(A).
 *
 * After another short pause the round closes whatever is still open, then
 * waits (with a timeout) until every op of the round has had its packet: no
 * packet may be lost. Records are never reused, so a packet that comes twice
 * is seen however late it comes (per OVERLAPPED across all rounds and a final
 * drain). Every failed packet must carry an allowed error:
 * ERROR_OPERATION_ABORTED, ERROR_CONNECTION_ABORTED or ERROR_NETNAME_DELETED,
 * and for a ConnectEx also ERROR_CONNECTION_REFUSED once the round had begun
 * to close its listener (X3). A WSARecv posted by a worker may fail at once
 * only with WSAECONNRESET/WSAECONNABORTED, or WSAENOTSOCK once the racing
 * thread has begun to close that socket (it then queues no packet).
 * CancelIoEx returns TRUE or FALSE with ERROR_NOT_FOUND (C6). And the process
 * must not crash (run it under ASan and TSan). Afterwards no fd may have
 * leaked (Linux only, /proc/self/fd, as in test_stress_mt.c).
 *
 * The seed is printed; set RACE_SEED to repeat a run's choices (the thread
 * interleaving of course differs).
 *
 * Threading discipline: counters are Interlocked; a round's "closing" flags
 * and its count of outstanding ops are guarded by a spin lock made from
 * InterlockedCompareExchange, so that no worker posts on a socket after the
 * racing thread has begun to close it (which could otherwise reach a reused
 * descriptor of a later round); records are handed over through the port.
 */
#include "conformance_stress.h"

#include <stdio.h>
#include <stdlib.h>

#define NUM_WORKERS      3
#define NUM_ROUNDS       3000
#define ACCEPT_ROUND_ONE_IN 4
#define MAX_SEND         (256 * 1024)
#define MIN_RECV         4096
#define MAX_RECV         65536
/* Records one round may use: reposted recvs stop there (then the sender is
 * left pending until the round closes, which is one more race). */
#define ROUND_OP_CAP     64
#define MAX_RECORDS      (NUM_ROUNDS * ROUND_OP_CAP)
#define ACCEPT_RECV_LEN  64
#define CONNECT_SEND_LEN 32
#define ROUND_WAIT_MS    10000u
/* This test's own deadline, twice the other stress tests' DEADLINE_MS: its
 * 3,000 rounds each open fresh sockets and wait for every packet of the
 * round (up to ROUND_WAIT_MS) before the next one starts. */
#define RACE_DEADLINE_MS 240000u

enum op_kind { O_RECV = 1, O_SEND, O_ACCEPT, O_CONNECT, O_KINDS };
enum round_kind { RK_PAIR = 1, RK_ACCEPT };
enum action {
    ACT_CANCEL_ONE = 0, ACT_CANCEL_ALL, ACT_CLOSE,              /* pair rounds, on a */
    ACT_CANCEL_ACCEPT, ACT_CANCEL_LISTENER, ACT_CLOSE_LISTENER,  /* accept rounds */
    ACT_CLOSE_ACCEPT, ACT_COUNT
};
enum outcome { OUT_OK = 0, OUT_ABORTED, OUT_CONN_ABORTED, OUT_NETNAME, OUT_REFUSED, OUT_COUNT };
/* Sides of a round: pair rounds use A_SIDE/B_SIDE, accept rounds all three. */
enum { SIDE_A = 0, SIDE_B = 1, SIDE_L = 0, SIDE_ACC = 1, SIDE_C = 2, NUM_SIDES = 3 };

static const char *race_kind_name(int k)
{
    switch (k) {
    case O_RECV: return "WSARecv";
    case O_SEND: return "WSASend";
    case O_ACCEPT: return "AcceptEx";
    case O_CONNECT: return "ConnectEx";
    default: return "?";
    }
}

static const char *race_action_name(int a)
{
    switch (a) {
    case ACT_CANCEL_ONE: return "CancelIoEx(a, op)";
    case ACT_CANCEL_ALL: return "CancelIoEx(a, NULL)";
    case ACT_CLOSE: return "closesocket(a)";
    case ACT_CANCEL_ACCEPT: return "CancelIoEx(listener, AcceptEx)";
    case ACT_CANCEL_LISTENER: return "CancelIoEx(listener, NULL)";
    case ACT_CLOSE_LISTENER: return "closesocket(listener)";
    case ACT_CLOSE_ACCEPT: return "closesocket(accept socket)";
    default: return "?";
    }
}

struct round_state;

/* One socket of a round; its address is the socket's completion key. */
typedef struct side {
    struct round_state *rd;
    SOCKET s;
    LONG closing;          /* under rd->lock: set before closesocket */
    int open;              /* racing thread only */
    int which;
} side;

typedef struct round_state {
    LONG lock;
    LONG outstanding;      /* ops posted (or being posted) without a packet yet */
    LONG ops;              /* records used by this round */
    DWORD index;
    int kind;
    int action;
    LONG first_rec;        /* racing thread only */
    DWORD accept_recv_len, connect_send_len;
    side sides[NUM_SIDES];
} round_state;

/* One record per posted operation, never reused; OVERLAPPED first. */
typedef struct op_rec {
    OVERLAPPED ovl;
    LONG completions;      /* Interlocked: 1 at the end if posted, else 0 */
    LONG posted;           /* Interlocked */
    int kind;
    DWORD round;
    side *sd;              /* the socket the op was issued on */
    ULONG_PTR key;         /* the key its packet must carry */
    DWORD len;
    char *buf;             /* recv/accept buffer, freed when the round ends */
    DWORD post_error;
    BOOL ok;               /* what the packet said (written by its worker) */
    DWORD bytes, error;
} op_rec;

static LPFN_ACCEPTEX pAcceptEx;
static LPFN_CONNECTEX pConnectEx;

static struct {
    HANDLE port;
    LONG stop;
    LONG failed;
    LONG records_used;
    LONG64 ops_posted;
    LONG64 packets;
    LONG64 double_completions;
    LONG64 wrong_key;
    LONG64 bad_internal;
    LONG64 bad_errors;          /* failed packets with an error not allowed */
    LONG64 bad_results;         /* short send, too many bytes, wrong accept data */
    LONG64 bad_post_errors;     /* immediate failures not allowed */
    LONG64 repost_failures;     /* allowed immediate failures of reposted recvs */
    LONG64 negative_outstanding;
    LONG64 stray_packets;
    LONG64 outcomes[O_KINDS][OUT_COUNT];
    LONG first_what;
    LONG first_code;
    LONG first_kind;
    LONG first_round;
    LONG first_len;             /* bytes the op asked for */
} g;

static op_rec *g_recs;
static round_state *g_rounds;
static char g_send_data[MAX_SEND];

/* ------------------------------------------------------------ helpers ----- */

enum {
    RACE_WHAT_DOUBLE = 1, RACE_WHAT_KEY, RACE_WHAT_INTERNAL, RACE_WHAT_ERROR, RACE_WHAT_RESULT, RACE_WHAT_POST, RACE_WHAT_NEGATIVE,
    RACE_WHAT_STRAY, RACE_WHAT_RECORDS, RACE_WHAT_CANCEL, RACE_WHAT_CLOSE, RACE_WHAT_SETUP
};

static const char *race_what_name(LONG what)
{
    switch (what) {
    case RACE_WHAT_DOUBLE: return "second packet for one operation";
    case RACE_WHAT_KEY: return "wrong completion key";
    case RACE_WHAT_INTERNAL: return "OVERLAPPED.Internal/InternalHigh wrong on a successful packet";
    case RACE_WHAT_ERROR: return "failed packet with an error not allowed";
    case RACE_WHAT_RESULT: return "wrong byte count or data on a successful packet (code = bytes)";
    case RACE_WHAT_POST: return "call failed at once with an error not allowed";
    case RACE_WHAT_NEGATIVE: return "more packets than ops in a round";
    case RACE_WHAT_STRAY: return "unexpected packet without OVERLAPPED";
    case RACE_WHAT_RECORDS: return "op record pool exhausted";
    case RACE_WHAT_CANCEL: return "CancelIoEx returned FALSE with an error other than ERROR_NOT_FOUND";
    case RACE_WHAT_CLOSE: return "closesocket failed";
    case RACE_WHAT_SETUP: return "setting up a round failed";
    default: return "none";
    }
}

static void race_note_failure(LONG what, DWORD code, int kind, DWORD round)
{
    if (InterlockedCompareExchange(&g.first_what, what, 0) == 0) {
        InterlockedExchange(&g.first_code, (LONG)code);
        InterlockedExchange(&g.first_kind, kind);
        InterlockedExchange(&g.first_round, (LONG)round);
    }
    InterlockedExchange(&g.failed, 1);
}

static int race_failed(void)
{
    return load32(&g.failed) != 0;
}

/* xorshift64*: the racing thread's choices. */
static uint64_t rng_state;

static uint32_t race_rnd(uint32_t n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32) % n;
}

/* A random short pause: none, a busy spin of up to ~20,000 iterations, a
 * yield, or (rarely) a millisecond, so the race hits every phase of the ops. */
static void race_random_pause(void)
{
    uint32_t r = race_rnd(32);
    if (r < 6)
        return;
    if (r < 26) {
        volatile uint32_t sink = 0;
        uint32_t i, n = race_rnd(20000);
        for (i = 0; i < n; i++)
            sink += i;
        (void)sink;
    } else if (r < 31) {
        Sleep(0);
    } else {
        Sleep(1);
    }
}

/* ----------------------------------------------------------- posting ----- */

/* Claims a slot for one more op on sd, unless the racing thread has begun to
 * close it. The op then counts as outstanding until race_end_op(). */
static int race_begin_op(round_state *rd, side *sd)
{
    int go;
    spin_lock(&rd->lock);
    go = !sd->closing && !race_failed() && rd->ops < ROUND_OP_CAP;
    if (go) {
        rd->ops++;
        rd->outstanding++;
    }
    spin_unlock(&rd->lock);
    return go;
}

static void race_end_op(round_state *rd)
{
    LONG left;
    spin_lock(&rd->lock);
    left = --rd->outstanding;
    spin_unlock(&rd->lock);
    if (left < 0) {
        InterlockedIncrement64(&g.negative_outstanding);
        race_note_failure(RACE_WHAT_NEGATIVE, (DWORD)left, 0, rd->index);
    }
}

static LONG race_round_outstanding(round_state *rd)
{
    LONG n;
    spin_lock(&rd->lock);
    n = rd->outstanding;
    spin_unlock(&rd->lock);
    return n;
}

static op_rec *race_new_record(round_state *rd, side *sd, int kind, ULONG_PTR key, DWORD len)
{
    LONG i = InterlockedIncrement(&g.records_used) - 1;
    op_rec *r;
    if (i >= MAX_RECORDS) {
        race_note_failure(RACE_WHAT_RECORDS, (DWORD)i, kind, rd->index);
        return NULL;
    }
    r = &g_recs[i];
    r->kind = kind;
    r->round = rd->index;
    r->sd = sd;
    r->key = key;
    r->len = len;
    InterlockedExchange(&r->posted, 1);
    InterlockedIncrement64(&g.ops_posted);
    return r;
}

/* The call failed at once: no packet may come. Returns whether that was
 * allowed. A repost (by a worker) may fail because the peer reset the
 * connection, or because the racing thread closed the socket meanwhile. */
static int race_post_failed(round_state *rd, side *sd, op_rec *r, DWORD err, int repost)
{
    int closing, allowed;
    r->post_error = err;
    InterlockedExchange(&r->posted, 0);
    InterlockedDecrement64(&g.ops_posted);
    spin_lock(&rd->lock);
    closing = sd->closing != 0;
    spin_unlock(&rd->lock);
    allowed = repost && (err == WSAECONNRESET || err == WSAECONNABORTED || (closing && err == WSAENOTSOCK));
    if (allowed) {
        InterlockedIncrement64(&g.repost_failures);
    } else {
        InterlockedIncrement64(&g.bad_post_errors);
        race_note_failure(RACE_WHAT_POST, err, r->kind, rd->index);
    }
    return allowed;
}

/* Returns the record (only its address may be used: the op is the
 * completing worker's now), so that the racing thread can cancel this op. */
static op_rec *race_post_recv(round_state *rd, side *sd, DWORD len, int repost)
{
    op_rec *r;
    WSABUF wb;
    DWORD n = 0, flags = 0;
    if (!race_begin_op(rd, sd))
        return NULL;
    r = race_new_record(rd, sd, O_RECV, (ULONG_PTR)sd, len);
    if (r == NULL) {
        race_end_op(rd);
        return NULL;
    }
    r->buf = malloc(len);
    if (r->buf == NULL) {
        InterlockedExchange(&r->posted, 0);
        InterlockedDecrement64(&g.ops_posted);
        race_note_failure(RACE_WHAT_SETUP, ERROR_NOT_ENOUGH_MEMORY, O_RECV, rd->index);
        race_end_op(rd);
        return NULL;
    }
    wb.buf = r->buf;
    wb.len = len;
    if (WSARecv(sd->s, &wb, 1, &n, &flags, &r->ovl, NULL) == 0 || WSAGetLastError() == WSA_IO_PENDING)
        return r;
    race_post_failed(rd, sd, r, (DWORD)WSAGetLastError(), repost);
    race_end_op(rd);
    return NULL;
}

/* Returns the record, as race_post_recv() does. */
static op_rec *race_post_send(round_state *rd, side *sd, DWORD len)
{
    op_rec *r;
    WSABUF wb;
    DWORD n = 0;
    if (!race_begin_op(rd, sd))
        return NULL;
    r = race_new_record(rd, sd, O_SEND, (ULONG_PTR)sd, len);
    if (r == NULL) {
        race_end_op(rd);
        return NULL;
    }
    wb.buf = g_send_data;
    wb.len = len;
    if (WSASend(sd->s, &wb, 1, &n, 0, &r->ovl, NULL) == 0 || WSAGetLastError() == WSA_IO_PENDING)
        return r;
    race_post_failed(rd, sd, r, (DWORD)WSAGetLastError(), 0);
    race_end_op(rd);
    return NULL;
}

/* ------------------------------------------------------------- worker ----- */

static int race_outcome_of(BOOL ok, DWORD err)
{
    if (ok)
        return OUT_OK;
    switch (err) {
    case ERROR_OPERATION_ABORTED: return OUT_ABORTED;
    case ERROR_CONNECTION_ABORTED: return OUT_CONN_ABORTED;
    case ERROR_NETNAME_DELETED: return OUT_NETNAME;
    case ERROR_CONNECTION_REFUSED: return OUT_REFUSED;
    default: return OUT_COUNT;
    }
}

static void race_on_packet(op_rec *r, BOOL ok, DWORD err, DWORD bytes, ULONG_PTR key)
{
    round_state *rd = &g_rounds[r->round];
    side *sd = r->sd;
    int out = race_outcome_of(ok, err);

    r->ok = ok;
    r->bytes = bytes;
    r->error = err;
    if (key != r->key) {
        InterlockedIncrement64(&g.wrong_key);
        race_note_failure(RACE_WHAT_KEY, (DWORD)r->kind, r->kind, r->round);
    }
    if (ok && (r->ovl.Internal != 0 || r->ovl.InternalHigh != bytes)) {
        InterlockedIncrement64(&g.bad_internal);
        race_note_failure(RACE_WHAT_INTERNAL, (DWORD)r->ovl.Internal, r->kind, r->round);
    }
    if (out == OUT_REFUSED) {
        /* X3: only a ConnectEx, and only once the listener was being closed. */
        int listener_closing;
        spin_lock(&rd->lock);
        listener_closing = rd->kind == RK_ACCEPT && rd->sides[SIDE_L].closing;
        spin_unlock(&rd->lock);
        if (r->kind != O_CONNECT || !listener_closing)
            out = OUT_COUNT;
    }
    if (out == OUT_COUNT) {
        InterlockedIncrement64(&g.bad_errors);
        race_note_failure(RACE_WHAT_ERROR, err, r->kind, r->round);
    } else {
        InterlockedIncrement64(&g.outcomes[r->kind][out]);
    }
    if (ok) {
        int good = 1;
        switch (r->kind) {
        case O_SEND: good = bytes == r->len; break;            /* R8: whole */
        case O_RECV: good = bytes <= r->len; break;
        case O_CONNECT: good = bytes == r->len; break;          /* X2 */
        case O_ACCEPT:                                          /* A2, A3 */
            good = bytes <= r->len && (bytes == 0 || (r->len > 0 && bytes <= CONNECT_SEND_LEN &&
                                                      memcmp(r->buf, g_send_data, bytes) == 0));
            break;
        default: break;
        }
        if (!good) {
            InterlockedIncrement64(&g.bad_results);
            if (InterlockedCompareExchange(&g.first_what, 0, 0) == 0)
                InterlockedExchange(&g.first_len, (LONG)r->len);
            race_note_failure(RACE_WHAT_RESULT, bytes, r->kind, r->round);
        }
    }
    /* Keep reading while the peer's data comes (a recv that got bytes). */
    if (ok && r->kind == O_RECV && bytes > 0)
        race_post_recv(rd, sd, MIN_RECV + (bytes * 7u + r->len) % (MAX_RECV - MIN_RECV), 1);
    race_end_op(rd);
}

static DWORD WINAPI race_worker(LPVOID arg)
{
    (void)arg;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED ovl = NULL;
        BOOL ok = GetQueuedCompletionStatus(g.port, &bytes, &key, &ovl, WORKER_WAIT_MS);
        DWORD err = ok ? 0 : GetLastError();
        op_rec *r;

        if (ovl == NULL) {
            if (ok && key == 0 && bytes == 0)
                return 0;                       /* the test's stop packet (P5) */
            if (!ok && err == WAIT_TIMEOUT) {
                if (load32(&g.stop) != 0)
                    return 0;
                continue;
            }
            InterlockedIncrement64(&g.stray_packets);
            race_note_failure(RACE_WHAT_STRAY, ok ? bytes : err, 0, 0);
            if (!ok)
                return 1;
            continue;
        }
        InterlockedIncrement64(&g.packets);
        r = (op_rec *)ovl;
        if (InterlockedIncrement(&r->completions) != 1) {
            /* Its round already counted the first one; touch nothing else. */
            InterlockedIncrement64(&g.double_completions);
            race_note_failure(RACE_WHAT_DOUBLE, ok ? 0 : err, r->kind, r->round);
            continue;
        }
        race_on_packet(r, ok, err, bytes, key);
    }
}

/* ------------------------------------------------------------- set-up ----- */

/* A cancel and a close of each kind, single-threaded, before the fd
 * baseline: whatever the library keeps for the whole process exists by then. */
static void race_warm_up(void)
{
    HANDLE port = new_port();
    struct sockaddr_storage addr;
    struct sockaddr_in local;
    int addrlen, i;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET a = new_tcp_socket(AF_INET), c = new_tcp_socket(AF_INET), x, y;
    char abuf[2 * (sizeof(SOCKADDR_STORAGE) + 16)], in[16];
    OVERLAPPED o1, o2, o3;
    WSABUF wb;
    DWORD n = 0, flags = 0;

    associate(l, port, 1);
    associate(a, port, 2);
    associate(c, port, 3);
    memset(&o1, 0, sizeof(o1));
    memset(&o2, 0, sizeof(o2));
    memset(&o3, 0, sizeof(o3));
    if (!pAcceptEx(l, a, abuf, 0, STRESS_ADDR_LEN, STRESS_ADDR_LEN, &n, &o1))
        assert_int_equal(WSAGetLastError(), ERROR_IO_PENDING);
    assert_true(CancelIoEx((HANDLE)l, &o1));
    memset(&local, 0, sizeof(local));
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(c, (struct sockaddr *)&local, (int)sizeof(local)), 0);
    if (!pConnectEx(c, (struct sockaddr *)&addr, addrlen, NULL, 0, &n, &o2))
        assert_int_equal(WSAGetLastError(), ERROR_IO_PENDING);
    for (i = 0; i < 2; i++) {
        packet p = get_packet(port, 10000);
        assert_true(p.ovl == &o1 || p.ovl == &o2);
        if (p.ovl == &o1) {
            assert_false(p.ok);
            assert_int_equal(p.error, ERROR_OPERATION_ABORTED);
        } else {
            assert_true(p.ok);
        }
    }
    x = accept(l, NULL, NULL);
    assert_true(x != INVALID_SOCKET);
    assert_int_equal(closesocket(x), 0);
    tcp_pair(&x, &y);
    associate(x, port, 4);
    wb.buf = in;
    wb.len = sizeof(in);
    memset(&o1, 0, sizeof(o1));
    assert_int_equal(WSARecv(x, &wb, 1, &n, &flags, &o1, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(closesocket(x), 0);
    {
        packet p = get_packet(port, 10000);
        assert_ptr_equal(p.ovl, &o1);
        assert_false(p.ok);
    }
    assert_int_equal(closesocket(y), 0);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* ------------------------------------------------------------- rounds ----- */

static void race_open_side(round_state *rd, int which, SOCKET s)
{
    side *sd = &rd->sides[which];
    sd->rd = rd;
    sd->s = s;
    sd->which = which;
    sd->open = 1;
    associate(s, g.port, (ULONG_PTR)sd);
}

/* Marks the side closing (no worker posts on it from now on), then closes. */
static void race_close_side(round_state *rd, int which)
{
    side *sd = &rd->sides[which];
    if (!sd->open)
        return;
    spin_lock(&rd->lock);
    sd->closing = 1;
    spin_unlock(&rd->lock);
    sd->open = 0;
    if (closesocket(sd->s) != 0)
        race_note_failure(RACE_WHAT_CLOSE, (DWORD)WSAGetLastError(), 0, rd->index);
}

static void race_cancel(round_state *rd, int which, op_rec *r, LONG64 *found, LONG64 *not_found)
{
    BOOL rc;
    SetLastError(0xdeadbeef);
    rc = CancelIoEx((HANDLE)rd->sides[which].s, r != NULL ? &r->ovl : NULL);
    if (rc) {
        (*found)++;
    } else if (GetLastError() == ERROR_NOT_FOUND) {
        (*not_found)++;
    } else {
        race_note_failure(RACE_WHAT_CANCEL, GetLastError(), r != NULL ? r->kind : 0, rd->index);
    }
}

static DWORD race_send_size(void)
{
    /* Half small, half large enough to be still in progress. */
    return race_rnd(2) ? 1 + race_rnd(4096) : 16384 + race_rnd(MAX_SEND - 16384 + 1);
}

static void race_pair_round(round_state *rd, SOCKET listener, const struct sockaddr_storage *addr, int addrlen,
                       LONG64 *found, LONG64 *not_found)
{
    SOCKET a, b;
    op_rec *a_send, *a_recv;
    connect_pair(listener, addr, addrlen, &a, &b);
    race_open_side(rd, SIDE_A, a);
    race_open_side(rd, SIDE_B, b);

    a_recv = race_post_recv(rd, &rd->sides[SIDE_A], MIN_RECV + race_rnd(MAX_RECV - MIN_RECV), 0);
    race_post_recv(rd, &rd->sides[SIDE_B], MIN_RECV + race_rnd(MAX_RECV - MIN_RECV), 0);
    race_post_send(rd, &rd->sides[SIDE_B], race_send_size());
    a_send = race_post_send(rd, &rd->sides[SIDE_A], race_send_size());

    race_random_pause();
    rd->action = (int)race_rnd(3);
    switch (rd->action) {
    case ACT_CANCEL_ONE:
        race_cancel(rd, SIDE_A, race_rnd(2) ? a_send : a_recv, found, not_found);
        break;
    case ACT_CANCEL_ALL:
        race_cancel(rd, SIDE_A, NULL, found, not_found);
        break;
    default:
        race_close_side(rd, SIDE_A);
        break;
    }
    race_random_pause();
    if (race_rnd(2)) {
        race_close_side(rd, SIDE_A);
        race_close_side(rd, SIDE_B);
    } else {
        race_close_side(rd, SIDE_B);
        race_close_side(rd, SIDE_A);
    }
}

static void race_accept_round(round_state *rd, LONG64 *found, LONG64 *not_found)
{
    struct sockaddr_storage addr;
    struct sockaddr_in local;
    int addrlen;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen), acc = new_tcp_socket(AF_INET);
    SOCKET c = new_tcp_socket(AF_INET);
    op_rec *ra = NULL, *rc = NULL;
    DWORD n = 0;
    BOOL ok;

    memset(&local, 0, sizeof(local));
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(c, (struct sockaddr *)&local, (int)sizeof(local)), 0);
    race_open_side(rd, SIDE_L, l);
    race_open_side(rd, SIDE_ACC, acc);
    race_open_side(rd, SIDE_C, c);
    rd->accept_recv_len = race_rnd(2) ? ACCEPT_RECV_LEN : 0;
    rd->connect_send_len = race_rnd(2) ? CONNECT_SEND_LEN : 0;

    /* AcceptEx: issued on the listener, the listener's key (A4). */
    if (race_begin_op(rd, &rd->sides[SIDE_L])) {
        ra = race_new_record(rd, &rd->sides[SIDE_L], O_ACCEPT, (ULONG_PTR)&rd->sides[SIDE_L], rd->accept_recv_len);
        if (ra != NULL) {
            ra->buf = malloc(rd->accept_recv_len + 2 * STRESS_ADDR_LEN);
            assert_non_null(ra->buf);
            ok = pAcceptEx(l, acc, ra->buf, rd->accept_recv_len, STRESS_ADDR_LEN, STRESS_ADDR_LEN, &n, &ra->ovl);
            if (!ok && WSAGetLastError() != ERROR_IO_PENDING) {
                race_post_failed(rd, &rd->sides[SIDE_L], ra, (DWORD)WSAGetLastError(), 0);
                ra = NULL;
                race_end_op(rd);
            }
        } else {
            race_end_op(rd);
        }
    }
    race_random_pause();
    if (race_begin_op(rd, &rd->sides[SIDE_C])) {
        rc = race_new_record(rd, &rd->sides[SIDE_C], O_CONNECT, (ULONG_PTR)&rd->sides[SIDE_C], rd->connect_send_len);
        if (rc != NULL) {
            ok = pConnectEx(c, (struct sockaddr *)&addr, addrlen, g_send_data, rd->connect_send_len, &n, &rc->ovl);
            if (!ok && WSAGetLastError() != ERROR_IO_PENDING) {
                race_post_failed(rd, &rd->sides[SIDE_C], rc, (DWORD)WSAGetLastError(), 0);
                race_end_op(rd);
            }
        } else {
            race_end_op(rd);
        }
    }

    race_random_pause();
    rd->action = ACT_CANCEL_ACCEPT + (int)race_rnd(4);
    switch (rd->action) {
    case ACT_CANCEL_ACCEPT:
        if (ra != NULL)
            race_cancel(rd, SIDE_L, ra, found, not_found);
        break;
    case ACT_CANCEL_LISTENER:
        race_cancel(rd, SIDE_L, NULL, found, not_found);
        break;
    case ACT_CLOSE_LISTENER:
        race_close_side(rd, SIDE_L);
        break;
    default:
        race_close_side(rd, SIDE_ACC);
        break;
    }
    race_random_pause();
    race_close_side(rd, SIDE_L);
    race_close_side(rd, SIDE_ACC);
    race_close_side(rd, SIDE_C);
}

/* Names the ops of a round that have had no packet. */
static void race_describe_round(round_state *rd, char *out, size_t outlen)
{
    LONG i, used = load32(&g.records_used);
    size_t off = (size_t)snprintf(out, outlen, "round %u (%s, action %s): without a packet:",
                                  (unsigned)rd->index, rd->kind == RK_PAIR ? "pair" : "accept",
                                  race_action_name(rd->action));
    int any = 0;
    if (used > MAX_RECORDS)
        used = MAX_RECORDS;
    for (i = rd->first_rec; i < used && off < outlen; i++) {
        op_rec *r = &g_recs[i];
        if (r->round != rd->index || !load32(&r->posted) || load32(&r->completions) != 0)
            continue;
        any = 1;
        /* Internal tells an op still pending from one that completed
         * without queuing its packet. */
        off += (size_t)snprintf(out + off, outlen - off, " %s on %s (%u bytes, Internal 0x%lx, InternalHigh %lu);",
                                race_kind_name(r->kind),
                                rd->kind == RK_PAIR ? (r->sd->which == SIDE_A ? "a" : "b")
                                                    : (r->sd->which == SIDE_L ? "listener" : "client"),
                                (unsigned)r->len, (unsigned long)overlapped_status(&r->ovl),
                                (unsigned long)InterlockedExchangeAdd64((LONG64 volatile *)&r->ovl.InternalHigh, 0));
    }
    if (!any && off < outlen)
        snprintf(out + off, outlen - off, " none (outstanding %ld)", (long)race_round_outstanding(rd));
}

static void race(void **state)
{
    HANDLE threads[NUM_WORKERS];
    struct sockaddr_storage addr;
    int addrlen, j, k;
    SOCKET listener;
    ULONGLONG start, elapsed;
    LONG64 found = 0, not_found = 0, zero = 0, multi = 0, unposted_completed = 0;
    LONG64 actions[ACT_COUNT];
    LONG i, used;
    DWORD r;
    char first_bad[200] = "", detail[600] = "";
    const char *seed_env = getenv("RACE_SEED");
    uint64_t seed;
#ifdef __linux__
    int fds_initial, fds_before;
#endif
    (void)state;

    load_extensions(&pAcceptEx, &pConnectEx, NULL, NULL);
#ifdef __linux__
    fds_initial = fd_count(0);
#endif
    race_warm_up();
#ifdef __linux__
    fds_before = settled_fd_count();
    assert_true(fds_initial > 0 && fds_before > 0);
    if (fds_before != fds_initial)
        print_message("note: after the warm-up the process holds %d more fd(s) (%d before it, %d after)\n",
                      fds_before - fds_initial, fds_initial, fds_before);
#endif

    seed = seed_env != NULL ? strtoull(seed_env, NULL, 0) : (uint64_t)GetTickCount64() * 0x9E3779B97F4A7C15ULL;
    if (seed == 0)
        seed = 1;
    rng_state = seed;
    print_message("RACE_SEED=%llu\n", (unsigned long long)seed);

    memset(&g, 0, sizeof(g));
    memset(actions, 0, sizeof(actions));
    for (j = 0; j < MAX_SEND; j++)
        g_send_data[j] = (char)(j * 131 + 7);
    g_recs = calloc(MAX_RECORDS, sizeof(*g_recs));
    g_rounds = calloc(NUM_ROUNDS, sizeof(*g_rounds));
    assert_non_null(g_recs);
    assert_non_null(g_rounds);
    g.port = new_port();
    listener = new_listener(AF_INET, &addr, &addrlen);

    for (j = 0; j < NUM_WORKERS; j++) {
        threads[j] = start_thread(race_worker, NULL);
    }

    start = GetTickCount64();
    for (r = 0; r < NUM_ROUNDS; r++) {
        round_state *rd = &g_rounds[r];
        ULONGLONG until;
        unsigned spins = 0;
        rd->index = r;
        rd->first_rec = load32(&g.records_used);
        rd->kind = race_rnd(ACCEPT_ROUND_ONE_IN) == 0 ? RK_ACCEPT : RK_PAIR;
        if (rd->kind == RK_PAIR)
            race_pair_round(rd, listener, &addr, addrlen, &found, &not_found);
        else
            race_accept_round(rd, &found, &not_found);
        actions[rd->action]++;

        /* Every op of the round must now come back: all its sockets are closed. */
        until = GetTickCount64() + ROUND_WAIT_MS;
        while (race_round_outstanding(rd) != 0 && !race_failed()) {
            if (GetTickCount64() >= until || GetTickCount64() - start >= RACE_DEADLINE_MS)
                break;
            if (++spins < 200)
                Sleep(0);
            else
                Sleep(1);
        }
        if (race_round_outstanding(rd) != 0 || race_failed()) {
            int lost = race_round_outstanding(rd) != 0 && !race_failed();
            int stopped = stop_workers(g.port, &g.stop, threads, NUM_WORKERS);
            if (stopped)
                race_describe_round(rd, detail, sizeof(detail));
            fail_msg("%s in round %u of %d after %.1f s; first problem: %s (code %ld, %s of %ld bytes, round %ld); %s",
                     lost ? (GetTickCount64() - start >= RACE_DEADLINE_MS ? "deadline of 240 s passed"
                                                                     : "lost packet: no packet for 10 s")
                          : "failure",
                     (unsigned)r, NUM_ROUNDS, (double)(GetTickCount64() - start) / 1000.0,
                     race_what_name(load32(&g.first_what)), (long)load32(&g.first_code),
                     race_kind_name(load32(&g.first_kind)), (long)load32(&g.first_len),
                     (long)load32(&g.first_round), stopped ? detail : "workers did not stop");
        }
        /* The round's buffers are free now (a late write would be a bug that
         * ASan reports). */
        used = load32(&g.records_used);
        for (i = rd->first_rec; i < used && i < MAX_RECORDS; i++) {
            if (g_recs[i].round == r) {
                free(g_recs[i].buf);
                g_recs[i].buf = NULL;
            }
        }
    }
    elapsed = GetTickCount64() - start;
    assert_int_equal(closesocket(listener), 0);

    /* Final drain: a late or doubled packet still gets counted. */
    Sleep(300);
    for (j = 0; j < NUM_WORKERS; j++)
        assert_true(PostQueuedCompletionStatus(g.port, 0, 0, NULL));
    for (j = 0; j < NUM_WORKERS; j++)
        join_thread_exit_zero(threads[j], 10000);
    assert_no_packet(g.port, 50);

    used = load32(&g.records_used);
    assert_true(used <= MAX_RECORDS);
    for (i = 0; i < used; i++) {
        op_rec *rec = &g_recs[i];
        LONG n = load32(&rec->completions);
        if (!load32(&rec->posted)) {
            if (n != 0) {
                unposted_completed++;
                if (first_bad[0] == '\0')
                    snprintf(first_bad, sizeof(first_bad), "%s of round %u failed at once (error %u) "
                             "but still queued %ld packet(s)", race_kind_name(rec->kind),
                             (unsigned)rec->round, (unsigned)rec->post_error, (long)n);
            }
            continue;
        }
        if (n == 1)
            continue;
        if (n == 0)
            zero++;
        else
            multi++;
        if (first_bad[0] == '\0')
            snprintf(first_bad, sizeof(first_bad), "%s of round %u (action %s) completed %ld times",
                     race_kind_name(rec->kind), (unsigned)rec->round,
                     race_action_name(g_rounds[rec->round].action), (long)n);
    }

    print_message("%d rounds in %.1f s, %ld ops, CancelIoEx found %lld / not found %lld, "
                  "reposts failed at once (allowed) %lld\n",
                  NUM_ROUNDS, (double)elapsed / 1000.0, (long)used, (long long)found,
                  (long long)not_found, (long long)load64(&g.repost_failures));
    for (k = 0; k < ACT_COUNT; k++)
        print_message("  %-32s %lld rounds\n", race_action_name(k), (long long)actions[k]);
    for (k = 1; k < O_KINDS; k++)
        print_message("  %-10s ok %lld, OPERATION_ABORTED %lld, CONNECTION_ABORTED %lld, "
                      "NETNAME_DELETED %lld, CONNECTION_REFUSED %lld\n", race_kind_name(k),
                      (long long)load64(&g.outcomes[k][OUT_OK]), (long long)load64(&g.outcomes[k][OUT_ABORTED]),
                      (long long)load64(&g.outcomes[k][OUT_CONN_ABORTED]),
                      (long long)load64(&g.outcomes[k][OUT_NETNAME]),
                      (long long)load64(&g.outcomes[k][OUT_REFUSED]));

    if (zero != 0 || multi != 0 || unposted_completed != 0)
        fail_msg("%lld ops never completed, %lld completed more than once, %lld failed at once "
                 "but queued a packet; first: %s",
                 (long long)zero, (long long)multi, (long long)unposted_completed, first_bad);
    assert_int_equal(load64(&g.double_completions), 0);
    assert_int_equal(load64(&g.negative_outstanding), 0);
    assert_int_equal(load64(&g.wrong_key), 0);
    assert_int_equal(load64(&g.bad_internal), 0);
    assert_int_equal(load64(&g.bad_errors), 0);
    assert_int_equal(load64(&g.bad_results), 0);
    assert_int_equal(load64(&g.bad_post_errors), 0);
    assert_int_equal(load64(&g.stray_packets), 0);
    assert_int_equal(load64(&g.packets), load64(&g.ops_posted));
    /* The races did happen: some ops were cancelled and some aborted by close. */
    assert_true(load64(&g.outcomes[O_RECV][OUT_ABORTED]) + load64(&g.outcomes[O_SEND][OUT_ABORTED]) > 0);
    assert_true(load64(&g.outcomes[O_RECV][OUT_CONN_ABORTED]) + load64(&g.outcomes[O_SEND][OUT_CONN_ABORTED]) > 0);
    assert_true(load64(&g.outcomes[O_ACCEPT][OUT_ABORTED]) > 0);

    assert_true(CloseHandle(g.port));
    for (i = 0; i < used; i++)
        free(g_recs[i].buf);
    free(g_recs);
    free(g_rounds);
    g_recs = NULL;
    g_rounds = NULL;

#ifdef __linux__
    assert_fd_count_back_to(fds_before);
#endif
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(race, conformance_setup, conformance_teardown),
    };
    return conformance_main(argc, argv, tests, NULL, NULL);
}
