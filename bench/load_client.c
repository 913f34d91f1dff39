/*
 * load_client: a load generator for TCP echo servers on Linux.
 *
 * Native epoll, not iocpcompat: it drives the library's servers and the
 * baselines alike, so it must not measure the library a second time on the
 * client side. Every echoed byte is checked against what was sent.
 *
 *   load_client --port N [--host A.B.C.D] [--mode rr|stream|churn|idle]
 *               [--connections N] [--depth D] [--size S] [--bytes B]
 *               [--threads T] [--duration SEC] [--messages N]
 *               [--timeout SEC] [--json FILE] [--label TEXT]
 *
 * Modes:
 *   rr      closed loop: each connection keeps D requests of S bytes in
 *           flight; a reply completes the oldest request (TCP keeps order).
 *   stream  each connection pushes bytes as fast as the socket takes them and
 *           reads the echo at the same time; --bytes per connection, or until
 *           --duration.
 *   churn   each of N loops: connect, one S-byte echo, close, repeat.
 *   idle    open N connections, one S-byte echo on each (so that the server
 *           has accepted it and re-posted its receive), print
 *           "load_client: idle: N connections ready", then hold them open
 *           until a line (or end of file) on stdin or --duration; used to
 *           measure the server's memory per idle connection.
 *
 * Content: byte k of request `seq` on connection `id` is a byte of
 * splitmix64(seed(id, seq) + k/8), so a byte echoed to the wrong connection,
 * out of order, duplicated or lost is detected. In stream mode the whole
 * stream is one message with k = the byte offset.
 *
 * Output: a table on stdout ending in "RESULT: PASS" or "RESULT: FAIL", and
 * the same figures as JSON with --json. On a terminal, a progress line each
 * second. Exit status: 0 when every byte verified and nothing failed, 1 on
 * any verification, connection or timeout error, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum mode { M_RR, M_STREAM, M_CHURN, M_IDLE };
static const char *const mode_names[] = { "rr", "stream", "churn", "idle" };

static struct {
    enum mode mode;
    const char *host;
    unsigned port;
    unsigned conns, depth, size, threads;
    uint64_t bytes;          /* stream: per connection, 0 = until --duration */
    double duration;         /* 0 = until --messages / --bytes */
    uint64_t messages;       /* rr/churn: total, 0 = until --duration */
    double timeout;          /* hard limit on the whole run */
    const char *json, *label;
} opt = { M_RR, "127.0.0.1", 0, 1, 1, 64, 1, 0, 0, 0, 60, NULL, NULL };

/* ---- time ---------------------------------------------------------------- */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- log-linear histogram ------------------------------------------------
 * HdrHistogram's layout with 2 significant binary digits of 7 bits: values
 * below 128 ns have a bucket each; above, every power of two is split into 64
 * buckets, so a bucket's width is under 1.6% of its value. 3,776 buckets
 * cover the whole uint64 range: no configuration and no overflow case. */
#define H_SUB_BITS 7
#define H_SUB      (1u << H_SUB_BITS)
#define H_HALF     (H_SUB / 2)
#define H_BUCKETS  (H_SUB + (64 - H_SUB_BITS + 1) * H_HALF)

typedef struct hist {
    uint64_t count[H_BUCKETS];
    uint64_t total, max;
} hist;

static unsigned h_index(uint64_t v)
{
    if (v < H_SUB)
        return (unsigned)v;
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);
    unsigned shift = msb - (H_SUB_BITS - 1);           /* v >> shift in [64, 128) */
    return H_SUB + (shift - 1) * H_HALF + (unsigned)((v >> shift) - H_HALF);
}

/* The highest value that lands in bucket i (what HdrHistogram reports). */
static uint64_t h_high(unsigned i)
{
    if (i < H_SUB)
        return i;
    unsigned k = i - H_SUB, shift = k / H_HALF + 1;
    uint64_t sub = k % H_HALF + H_HALF;
    return ((sub + 1) << shift) - 1;
}

static void h_record(hist *h, uint64_t v)
{
    h->count[h_index(v)]++;
    h->total++;
    if (v > h->max)
        h->max = v;
}

static void h_merge(hist *into, const hist *from)
{
    for (unsigned i = 0; i < H_BUCKETS; i++)
        into->count[i] += from->count[i];
    into->total += from->total;
    if (from->max > into->max)
        into->max = from->max;
}

static uint64_t h_percentile(const hist *h, double p)
{
    if (h->total == 0)
        return 0;
    uint64_t want = (uint64_t)(p / 100.0 * (double)h->total + 0.999999), seen = 0;
    if (want == 0)
        want = 1;
    for (unsigned i = 0; i < H_BUCKETS; i++) {
        seen += h->count[i];
        if (seen >= want) {
            uint64_t v = h_high(i);
            return v < h->max ? v : h->max;
        }
    }
    return h->max;
}

/* ---- payload --------------------------------------------------------------- */

static inline uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static inline uint64_t msg_seed(uint32_t id, uint64_t seq)
{
    return mix64(((uint64_t)id << 40) ^ seq ^ 0x5bd1e995ull);
}

/* Bytes [k0, k0+n) of the message with this seed. Eight bytes per mix64 call
 * so that generating and checking stays well below the cost of the syscalls
 * it is measuring (streams run at GB/s). */
static void gen(uint8_t *dst, uint64_t seed, uint64_t k0, size_t n)
{
    size_t i = 0;
    while (i < n && ((k0 + i) & 7)) {
        uint64_t k = k0 + i;
        dst[i++] = (uint8_t)(mix64(seed + (k >> 3)) >> ((k & 7) * 8));
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t w = mix64(seed + ((k0 + i) >> 3));
        memcpy(dst + i, &w, 8);             /* little-endian: byte j = bits 8j */
    }
    while (i < n) {
        uint64_t k = k0 + i;
        dst[i++] = (uint8_t)(mix64(seed + (k >> 3)) >> ((k & 7) * 8));
    }
}

/* ---- connections and threads ------------------------------------------------ */

enum cstate { C_IDLE_SLOT, C_CONNECTING, C_OPEN, C_DONE };

typedef struct conn {
    int fd;
    uint32_t id;
    enum cstate state;
    bool want_out;           /* EPOLLOUT registered */
    bool held;               /* idle mode: echoed once, now held open */
    /* rr / churn / idle: requests */
    uint64_t send_seq, recv_seq, quota;
    uint32_t r_off;          /* bytes of message recv_seq already checked */
    uint32_t inflight;
    uint64_t *ts;            /* ring of `depth` issue times, by seq */
    uint8_t *sbuf;           /* bytes issued but not yet written */
    uint32_t s_off, s_len;
    uint64_t t_cycle;        /* churn: when this cycle's connect began */
    /* stream */
    uint64_t st_sent, st_recv, st_target, st_seed;
} conn;

typedef struct worker {
    pthread_t tid;
    int ep;
    conn *conns;
    unsigned nconns, next_connect, connecting, active, held;
    uint8_t *rbuf, *xbuf;    /* read buffer, expected-bytes scratch */
    hist h;
    /* Published counters: written by this thread only (relaxed stores, plain
     * moves on x86), read by the main thread for progress and totals. */
    _Atomic uint64_t msgs, bytes_ok, bytes_sent, errors, verify_errors, timeouts;
    /* idle mode: connections echoed once and held, plus those that ended
     * (failed): when it reaches nconns this thread has nothing more to do
     * before the release. */
    _Atomic unsigned settled_pub;
    _Atomic int finished;
} worker;

#define RBUF_SIZE (256 * 1024)
/* Connects outstanding at once per thread: thousands of simultaneous SYNs
 * would overflow the server's accept backlog and cost 1 s SYN retries. */
#define MAX_CONNECTING 64

static struct sockaddr_in g_addr;
static _Atomic int g_stop;           /* stop issuing new work; drain */
static _Atomic int g_release;        /* idle mode: close the held connections */
static uint64_t g_hard_deadline;     /* ns: give up, count what is left as timeouts */

static void bump(_Atomic uint64_t *c, uint64_t n)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
                          memory_order_relaxed);
}

static uint64_t rd(_Atomic uint64_t *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

static void set_events(worker *w, conn *c, bool out)
{
    if (c->want_out == out)
        return;
    struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c };
    epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &ev);
    c->want_out = out;
}

static void conn_close(worker *w, conn *c, bool next_cycle);

static void conn_error(worker *w, conn *c, const char *what, int err)
{
    /* Only the first few are worth a line; the counters carry the rest. */
    if (rd(&w->errors) + rd(&w->verify_errors) < 5)
        fprintf(stderr, "load_client: connection %u: %s%s%s\n", c->id, what,
                err ? ": " : "", err ? strerror(err) : "");
    bump(&w->errors, 1);
    conn_close(w, c, false);
}

static void start_connect(worker *w, conn *c)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    if (fd < 0) {
        conn_error(w, c, "socket", errno);
        return;
    }
    /* Each message is one write; Nagle would hold back the ones issued while
     * earlier ones are unacknowledged. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    c->fd = fd;
    c->state = C_CONNECTING;
    c->want_out = true;
    c->t_cycle = now_ns();
    w->connecting++;
    if (connect(fd, (struct sockaddr *)&g_addr, sizeof(g_addr)) < 0 && errno != EINPROGRESS) {
        conn_error(w, c, "connect", errno);
        return;
    }
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
    epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev);
}

static void pump_connects(worker *w)
{
    while (w->next_connect < w->nconns && w->connecting < MAX_CONNECTING &&
           !atomic_load_explicit(&g_stop, memory_order_relaxed))
        start_connect(w, &w->conns[w->next_connect++]);
    /* Slots never started because of a stop are done too. */
    if (atomic_load_explicit(&g_stop, memory_order_relaxed)) {
        while (w->next_connect < w->nconns) {
            w->conns[w->next_connect++].state = C_DONE;
            w->active--;
        }
    }
}

/* Writes what is pending; false when the connection failed. */
static bool flush_out(worker *w, conn *c)
{
    while (c->s_off < c->s_len) {
        ssize_t n = send(c->fd, c->sbuf + c->s_off, c->s_len - c->s_off, MSG_NOSIGNAL);
        if (n > 0) {
            c->s_off += (uint32_t)n;
            bump(&w->bytes_sent, (uint64_t)n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            set_events(w, c, true);
            return true;
        } else {
            conn_error(w, c, "send", n < 0 ? errno : 0);
            return false;
        }
    }
    c->s_off = c->s_len = 0;
    set_events(w, c, false);
    return true;
}

/* rr/churn/idle: issue requests up to the depth (1 for churn and idle). */
static bool issue(worker *w, conn *c)
{
    bool stop = atomic_load_explicit(&g_stop, memory_order_relaxed);
    unsigned depth = opt.mode == M_RR ? opt.depth : 1;
    /* Compact the unsent tail to the front so that new requests fit. */
    if (c->s_off > 0) {
        memmove(c->sbuf, c->sbuf + c->s_off, c->s_len - c->s_off);
        c->s_len -= c->s_off;
        c->s_off = 0;
    }
    uint64_t t = 0;
    while (c->inflight < depth && c->quota > 0 && (!stop || opt.mode == M_IDLE)) {
        if (t == 0)
            t = now_ns();
        gen(c->sbuf + c->s_len, msg_seed(c->id, c->send_seq), 0, opt.size);
        c->s_len += opt.size;
        c->ts[c->send_seq % depth] = t;
        c->send_seq++;
        c->inflight++;
        if (c->quota != UINT64_MAX)
            c->quota--;
    }
    return flush_out(w, c);
}

/* stream: write until the socket is full or the target is reached. */
static bool stream_push(worker *w, conn *c)
{
    bool stop = atomic_load_explicit(&g_stop, memory_order_relaxed);
    while (!stop && c->st_sent < c->st_target) {
        uint64_t left = c->st_target - c->st_sent;
        size_t n = left < 65536 ? (size_t)left : 65536;
        gen(w->xbuf, c->st_seed, c->st_sent, n);
        ssize_t r = send(c->fd, w->xbuf, n, MSG_NOSIGNAL);
        if (r > 0) {
            /* What was not taken is generated again next time: the content
             * is a function of the offset. */
            c->st_sent += (uint64_t)r;
            bump(&w->bytes_sent, (uint64_t)r);
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else if (r < 0 && errno == EAGAIN) {
            set_events(w, c, true);
            return true;
        } else {
            conn_error(w, c, "send", r < 0 ? errno : 0);
            return false;
        }
    }
    set_events(w, c, false);
    return true;
}

static bool conn_finished(conn *c)
{
    bool stop = atomic_load_explicit(&g_stop, memory_order_relaxed);
    switch (opt.mode) {
    case M_STREAM:
        return c->st_recv == c->st_sent && (stop || c->st_sent == c->st_target);
    case M_IDLE:
        return false;        /* released explicitly */
    default:
        return c->inflight == 0 && (stop || c->quota == 0);
    }
}

static void conn_close(worker *w, conn *c, bool next_cycle)
{
    if (c->state == C_CONNECTING)
        w->connecting--;
    if (c->fd >= 0)
        close(c->fd);        /* also leaves the epoll set */
    c->fd = -1;
    c->inflight = 0;
    c->r_off = 0;
    c->s_off = c->s_len = 0;
    c->want_out = false;
    if (c->held) {
        c->held = false;
        w->held--;
    }
    if (next_cycle && !atomic_load_explicit(&g_stop, memory_order_relaxed) && c->quota > 0) {
        start_connect(w, c);
        return;
    }
    c->state = C_DONE;
    w->active--;
    atomic_store_explicit(&w->settled_pub, w->held + (w->nconns - w->active), memory_order_relaxed);
}

static void on_open(worker *w, conn *c)
{
    if (opt.mode == M_STREAM) {
        if (!stream_push(w, c))
            return;
    } else if (!issue(w, c)) {
        return;
    }
    if (conn_finished(c))
        conn_close(w, c, false);
}

/* Checks received bytes; false when the connection was closed. */
static bool on_data(worker *w, conn *c, const uint8_t *p, size_t n, uint64_t t)
{
    if (opt.mode == M_STREAM) {
        if (c->st_recv + n > c->st_sent) {
            bump(&w->verify_errors, 1);
            conn_error(w, c, "more bytes echoed than sent", 0);
            return false;
        }
        gen(w->xbuf, c->st_seed, c->st_recv, n);
        if (memcmp(w->xbuf, p, n) != 0) {
            bump(&w->verify_errors, 1);
            conn_error(w, c, "stream: echoed bytes differ from those sent", 0);
            return false;
        }
        c->st_recv += n;
        bump(&w->bytes_ok, n);
        return true;
    }
    while (n > 0) {
        if (c->inflight == 0) {
            bump(&w->verify_errors, 1);
            conn_error(w, c, "bytes echoed that were never sent", 0);
            return false;
        }
        size_t m = opt.size - c->r_off;
        if (m > n)
            m = n;
        gen(w->xbuf, msg_seed(c->id, c->recv_seq), c->r_off, m);
        if (memcmp(w->xbuf, p, m) != 0) {
            bump(&w->verify_errors, 1);
            conn_error(w, c, "echoed bytes differ from those sent", 0);
            return false;
        }
        bump(&w->bytes_ok, m);
        p += m;
        n -= m;
        c->r_off += (uint32_t)m;
        if (c->r_off == opt.size) {
            unsigned depth = opt.mode == M_RR ? opt.depth : 1;
            uint64_t t0 = opt.mode == M_CHURN ? c->t_cycle : c->ts[c->recv_seq % depth];
            h_record(&w->h, t - t0);
            c->r_off = 0;
            c->recv_seq++;
            c->inflight--;
            bump(&w->msgs, 1);
        }
    }
    return true;
}

static void on_event(worker *w, conn *c, uint32_t ev)
{
    if (c->state == C_CONNECTING) {
        if (!(ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
            return;
        int err = 0;
        socklen_t len = sizeof(err);
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        w->connecting--;
        c->state = C_OPEN;
        if (err) {
            conn_error(w, c, "connect", err);
            pump_connects(w);
            return;
        }
        c->want_out = true;
        set_events(w, c, false);
        on_open(w, c);
        pump_connects(w);
        return;
    }
    if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        for (;;) {
            ssize_t n = recv(c->fd, w->rbuf, RBUF_SIZE, 0);
            if (n > 0) {
                if (!on_data(w, c, w->rbuf, (size_t)n, now_ns()))
                    return;
                if ((size_t)n < RBUF_SIZE)
                    break;   /* level-triggered: anything left comes back */
            } else if (n == 0) {
                conn_error(w, c, "server closed the connection", 0);
                return;
            } else if (errno == EINTR) {
                continue;
            } else if (errno == EAGAIN) {
                break;
            } else {
                conn_error(w, c, "recv", errno);
                return;
            }
        }
    }
    if (c->state != C_OPEN)
        return;
    if (opt.mode == M_STREAM) {
        if ((ev & EPOLLOUT) || !c->want_out) {
            if (!stream_push(w, c))
                return;
        }
    } else {
        if (c->want_out && (ev & EPOLLOUT) && !flush_out(w, c))
            return;
        if (opt.mode == M_IDLE && c->inflight == 0 && !c->held && c->send_seq > 0) {
            c->held = true;
            w->held++;
            atomic_store_explicit(&w->settled_pub, w->held + (w->nconns - w->active),
                                  memory_order_relaxed);
            return;
        }
        if (opt.mode == M_CHURN && c->inflight == 0 && c->send_seq > 0) {
            conn_close(w, c, true);
            return;
        }
        if (!issue(w, c))
            return;
    }
    if (conn_finished(c))
        conn_close(w, c, false);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    struct epoll_event evs[256];
    bool drained = false;

    pump_connects(w);
    while (w->active > 0) {
        int n = epoll_wait(w->ep, evs, 256, 20);
        for (int i = 0; i < n; i++)
            on_event(w, evs[i].data.ptr, evs[i].events);
        if (opt.mode == M_CHURN)
            pump_connects(w);
        /* A stop (time is up) finishes the connections that have nothing in
         * flight; the others finish as their replies arrive. */
        if (!drained && atomic_load_explicit(&g_stop, memory_order_relaxed)) {
            drained = true;
            pump_connects(w);
            for (unsigned i = 0; i < w->nconns; i++) {
                conn *c = &w->conns[i];
                if (c->state == C_OPEN && conn_finished(c))
                    conn_close(w, c, false);
            }
        }
        /* Every round, not once: a connection still connecting at the release
         * is held only later. */
        if (opt.mode == M_IDLE && atomic_load_explicit(&g_release, memory_order_relaxed)) {
            for (unsigned i = 0; i < w->nconns; i++) {
                conn *c = &w->conns[i];
                if (c->state == C_OPEN && c->held) {
                    /* Reset, not FIN: thousands of client TIME_WAIT ports
                     * would otherwise linger into the next workload (whose
                     * connects may then reuse them and stall). */
                    struct linger lg = { .l_onoff = 1, .l_linger = 0 };
                    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
                    conn_close(w, c, false);
                }
            }
        }
        if (now_ns() > g_hard_deadline)
            break;
    }
    /* Whatever is still open at the hard deadline never got its echo. */
    for (unsigned i = 0; i < w->nconns; i++) {
        conn *c = &w->conns[i];
        if (c->state == C_OPEN || c->state == C_CONNECTING) {
            bump(&w->timeouts, 1);
            conn_close(w, c, false);
        }
    }
    atomic_store(&w->finished, 1);
    return NULL;
}

/* ---- options ------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr,
        "usage: load_client --port N [--host 127.0.0.1] [--mode rr|stream|churn|idle]\n"
        "         [--connections N (1)] [--depth D (1, rr)] [--size S (64)]\n"
        "         [--bytes B (stream: per connection)] [--threads T (1)]\n"
        "         [--duration SEC] [--messages N] [--timeout SEC (60)]\n"
        "         [--json FILE] [--label TEXT]\n");
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    if (s == NULL || *s < '0' || *s > '9')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    /* Sizes may carry a binary suffix: 64K, 16M, 1G. */
    if (*end == 'K' || *end == 'k') { v <<= 10; end++; }
    else if (*end == 'M' || *end == 'm') { v <<= 20; end++; }
    else if (*end == 'G' || *end == 'g') { v <<= 30; end++; }
    if (errno || *end != '\0' || v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_sec(const char *s, double *out)
{
    char *end;
    if (s == NULL || *s == '\0')
        return false;
    double v = strtod(s, &end);
    if (*end != '\0' || !(v >= 0) || v > 86400)
        return false;
    *out = v;
    return true;
}

static bool parse_args(int argc, char **argv)
{
    bool bytes_given = false;
    /* Every option takes a value: step over pairs. */
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t u;
        bool ok = true;
        if (!strcmp(a, "--mode")) {
            ok = false;
            for (int m = 0; m < 4 && v; m++)
                if (!strcmp(v, mode_names[m])) { opt.mode = (enum mode)m; ok = true; }
        } else if (!strcmp(a, "--host")) {
            ok = v != NULL && inet_pton(AF_INET, v, &g_addr.sin_addr) == 1;
            opt.host = v;
        } else if (!strcmp(a, "--port")) {
            ok = parse_u64(v, 65535, &u) && u > 0; opt.port = (unsigned)u;
        } else if (!strcmp(a, "--connections")) {
            ok = parse_u64(v, 1000000, &u) && u > 0; opt.conns = (unsigned)u;
        } else if (!strcmp(a, "--depth")) {
            ok = parse_u64(v, 4096, &u) && u > 0; opt.depth = (unsigned)u;
        } else if (!strcmp(a, "--size")) {
            ok = parse_u64(v, 1 << 20, &u) && u > 0; opt.size = (unsigned)u;
        } else if (!strcmp(a, "--bytes")) {
            ok = parse_u64(v, UINT64_MAX / 2, &u) && u > 0; opt.bytes = u; bytes_given = true;
        } else if (!strcmp(a, "--threads")) {
            ok = parse_u64(v, 256, &u) && u > 0; opt.threads = (unsigned)u;
        } else if (!strcmp(a, "--messages")) {
            ok = parse_u64(v, UINT64_MAX / 2, &u) && u > 0; opt.messages = u;
        } else if (!strcmp(a, "--duration")) {
            ok = parse_sec(v, &opt.duration) && opt.duration > 0;
        } else if (!strcmp(a, "--timeout")) {
            ok = parse_sec(v, &opt.timeout) && opt.timeout > 0;
        } else if (!strcmp(a, "--json")) {
            ok = v != NULL; opt.json = v;
        } else if (!strcmp(a, "--label")) {
            ok = v != NULL; opt.label = v;
        } else {
            ok = false;
            v = NULL;
        }
        if (!ok) {
            fprintf(stderr, "load_client: bad or missing value for %s\n", a);
            return false;
        }
    }
    if (opt.port == 0) {
        fprintf(stderr, "load_client: --port is required\n");
        return false;
    }
    if ((opt.mode == M_RR || opt.mode == M_CHURN) && opt.duration == 0 && opt.messages == 0) {
        fprintf(stderr, "load_client: %s needs --duration or --messages\n", mode_names[opt.mode]);
        return false;
    }
    if (opt.mode == M_STREAM && opt.duration == 0 && !bytes_given) {
        fprintf(stderr, "load_client: stream needs --duration or --bytes\n");
        return false;
    }
    if (opt.threads > opt.conns)
        opt.threads = opt.conns;
    return true;
}

/* ---- reporting ------------------------------------------------------------ */

typedef struct totals {
    uint64_t msgs, bytes_ok, bytes_sent, errors, verify_errors, timeouts;
} totals;

static totals sum(worker *ws)
{
    totals t = { 0, 0, 0, 0, 0, 0 };
    for (unsigned i = 0; i < opt.threads; i++) {
        t.msgs += rd(&ws[i].msgs);
        t.bytes_ok += rd(&ws[i].bytes_ok);
        t.bytes_sent += rd(&ws[i].bytes_sent);
        t.errors += rd(&ws[i].errors);
        t.verify_errors += rd(&ws[i].verify_errors);
        t.timeouts += rd(&ws[i].timeouts);
    }
    return t;
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

/* Frees what main set up, so leak checkers see a clean exit. */
static void release(worker *ws, unsigned nthreads, conn *all, unsigned nconns)
{
    for (unsigned i = 0; i < nconns; i++) {
        free(all[i].ts);
        free(all[i].sbuf);
    }
    for (unsigned i = 0; i < nthreads; i++) {
        if (ws[i].ep >= 0)
            close(ws[i].ep);
        free(ws[i].rbuf);
        free(ws[i].xbuf);
    }
    free(all);
    free(ws);
}

int main(int argc, char **argv)
{
    g_addr.sin_family = AF_INET;
    g_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!parse_args(argc, argv)) {
        usage();
        return 2;
    }
    g_addr.sin_port = htons((uint16_t)opt.port);

    /* Thousands of connections need as many descriptors as the hard limit
     * allows. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    worker *ws = calloc(opt.threads, sizeof(*ws));
    conn *all = calloc(opt.conns, sizeof(*all));
    if (!ws || !all) {
        fprintf(stderr, "load_client: out of memory\n");
        return 1;
    }
    /* Messages per connection when a total is asked for: shared out evenly,
     * the remainder to the first connections. */
    for (unsigned i = 0; i < opt.conns; i++) {
        conn *c = &all[i];
        c->fd = -1;
        c->id = i;
        c->state = C_IDLE_SLOT;
        c->quota = opt.messages ? opt.messages / opt.conns + (i < opt.messages % opt.conns) : UINT64_MAX;
        if (opt.mode == M_IDLE)
            c->quota = 1;
        if (opt.mode == M_STREAM) {
            c->st_target = opt.bytes ? opt.bytes : UINT64_MAX / 2;
            c->st_seed = msg_seed(i, 0xffffffffffull);
            c->quota = 1;
        } else {
            unsigned depth = opt.mode == M_RR ? opt.depth : 1;
            c->ts = calloc(depth, sizeof(uint64_t));
            c->sbuf = malloc((size_t)depth * opt.size);
            if (!c->ts || !c->sbuf) {
                fprintf(stderr, "load_client: out of memory\n");
                return 1;
            }
        }
    }
    if (opt.mode != M_STREAM && opt.messages && opt.messages < opt.conns) {
        fprintf(stderr, "load_client: --messages must be at least --connections\n");
        return 2;
    }

    uint64_t t0 = now_ns();
    g_hard_deadline = t0 + (uint64_t)(opt.timeout * 1e9);
    unsigned per = opt.conns / opt.threads, extra = opt.conns % opt.threads, at = 0;
    for (unsigned i = 0; i < opt.threads; i++) {
        worker *w = &ws[i];
        w->nconns = per + (i < extra);
        w->conns = all + at;
        at += w->nconns;
        w->active = w->nconns;
        w->ep = epoll_create1(EPOLL_CLOEXEC);
        w->rbuf = malloc(RBUF_SIZE);
        w->xbuf = malloc(RBUF_SIZE > opt.size ? RBUF_SIZE : opt.size);
        if (w->ep < 0 || !w->rbuf || !w->xbuf) {
            fprintf(stderr, "load_client: setup failed\n");
            return 1;
        }
    }
    for (unsigned i = 0; i < opt.threads; i++) {
        if (pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) != 0) {
            fprintf(stderr, "load_client: pthread_create failed\n");
            return 1;
        }
    }

    bool tty = isatty(STDOUT_FILENO);
    uint64_t stop_at = opt.duration > 0 ? t0 + (uint64_t)(opt.duration * 1e9) : UINT64_MAX;
    uint64_t last_print = t0, last_msgs = 0, last_bytes = 0;
    bool ready_said = false, stdin_open = true;
    for (;;) {
        unsigned done = 0, held = 0;
        for (unsigned i = 0; i < opt.threads; i++) {
            done += atomic_load(&ws[i].finished) != 0;
            held += atomic_load_explicit(&ws[i].settled_pub, memory_order_relaxed);
        }
        if (done == opt.threads)
            break;
        uint64_t t = now_ns();
        if (t >= stop_at && !atomic_load(&g_stop)) {
            atomic_store(&g_stop, 1);
            atomic_store(&g_release, 1);
        }
        if (opt.mode == M_IDLE && !ready_said && held == opt.conns) {
            /* The harness measures the server's memory after this line and
             * then releases us through stdin. */
            printf("load_client: idle: %u connections ready\n", opt.conns);
            fflush(stdout);
            ready_said = true;
        }
        if (opt.mode == M_IDLE && ready_said && stdin_open) {
            struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
            if (poll(&p, 1, 0) > 0) {
                char line[256];
                if (read(STDIN_FILENO, line, sizeof(line)) >= 0) {
                    stdin_open = false;
                    atomic_store(&g_stop, 1);
                    atomic_store(&g_release, 1);
                }
            }
        }
        if (tty && t - last_print >= 1000000000ull) {
            totals s = sum(ws);
            double dt = (double)(t - last_print) / 1e9;
            printf("\r[%5.1f s] %10.0f msg/s %9.2f MB/s  verified %llu B  errors %llu   ",
                   (double)(t - t0) / 1e9, (double)(s.msgs - last_msgs) / dt,
                   (double)(s.bytes_ok - last_bytes) / dt / 1e6,
                   (unsigned long long)s.bytes_ok,
                   (unsigned long long)(s.errors + s.verify_errors + s.timeouts));
            fflush(stdout);
            last_print = t;
            last_msgs = s.msgs;
            last_bytes = s.bytes_ok;
        }
        usleep(10000);
    }
    uint64_t t1 = now_ns();
    for (unsigned i = 0; i < opt.threads; i++)
        pthread_join(ws[i].tid, NULL);
    if (tty && t1 - t0 >= 1000000000ull)
        printf("\n");

    totals s = sum(ws);
    static hist h;
    for (unsigned i = 0; i < opt.threads; i++)
        h_merge(&h, &ws[i].h);
    double secs = (double)(t1 - t0) / 1e9;
    double mps = (double)s.msgs / secs, mbs = (double)s.bytes_ok / secs / 1e6;
    static const double pcts[] = { 50, 90, 99, 99.9 };
    static const char *const pnames[] = { "p50", "p90", "p99", "p99.9" };
    double lat[5];
    for (int i = 0; i < 4; i++)
        lat[i] = (double)h_percentile(&h, pcts[i]) / 1e3;
    lat[4] = (double)h.max / 1e3;
    uint64_t errors = s.errors + s.timeouts;   /* verify errors are also in s.errors */
    /* A stream that verified nothing, or a run with no message, is a failure
     * too: an echo server that answers nothing must not pass. */
    bool pass = errors == 0 && s.verify_errors == 0 && s.bytes_ok > 0 &&
                (opt.mode != M_STREAM || !opt.bytes || opt.duration > 0 ||
                 s.bytes_ok == (uint64_t)opt.conns * opt.bytes);

    printf("load_client: %s%s%s%s to %s:%u, %u", opt.label ? "[" : "",
           opt.label ? opt.label : "", opt.label ? "] " : "", mode_names[opt.mode],
           opt.host, opt.port, opt.conns);
    printf(" connection%s", opt.conns == 1 ? "" : "s");
    if (opt.mode == M_RR)
        printf(" x depth %u", opt.depth);
    if (opt.mode == M_STREAM && opt.bytes)
        printf(", up to %llu bytes each", (unsigned long long)opt.bytes);
    else if (opt.mode != M_STREAM)
        printf(" x %u bytes", opt.size);
    printf(", %u thread%s, %.2f s\n", opt.threads, opt.threads > 1 ? "s" : "", secs);
    if (opt.mode != M_STREAM)
        printf("  %-16s %llu (%.0f/s)\n", opt.mode == M_CHURN ? "connect+echo" : "messages",
               (unsigned long long)s.msgs, mps);
    printf("  %-16s %.2f MB/s echoed and verified\n", "throughput", mbs);
    if (h.total) {
        printf("  %-16s", "latency (us)");
        for (int i = 0; i < 4; i++)
            printf(" %s %.1f ", pnames[i], lat[i]);
        printf(" max %.1f\n", lat[4]);
    }
    printf("  %-16s %llu of %llu sent\n", "bytes verified", (unsigned long long)s.bytes_ok,
           (unsigned long long)s.bytes_sent);
    printf("  %-16s %llu (verification %llu, timeouts %llu)\n", "errors",
           (unsigned long long)errors, (unsigned long long)s.verify_errors,
           (unsigned long long)s.timeouts);
    printf("RESULT: %s\n", pass ? "PASS" : "FAIL");
    fflush(stdout);

    if (opt.json) {
        FILE *f = fopen(opt.json, "w");
        if (!f) {
            fprintf(stderr, "load_client: cannot write %s: %s\n", opt.json, strerror(errno));
            return 1;
        }
        fprintf(f, "{\"label\":");
        json_str(f, opt.label ? opt.label : "");
        fprintf(f, ",\"mode\":\"%s\",\"connections\":%u,\"depth\":%u,\"size\":%u,"
                   "\"bytes_per_connection\":%llu,\"threads\":%u,\"seconds\":%.3f,"
                   "\"messages\":%llu,\"messages_per_s\":%.1f,\"mb_per_s\":%.3f,"
                   "\"latency_us\":{\"p50\":%.2f,\"p90\":%.2f,\"p99\":%.2f,\"p99_9\":%.2f,\"max\":%.2f},"
                   "\"bytes_sent\":%llu,\"bytes_verified\":%llu,\"errors\":%llu,"
                   "\"verify_errors\":%llu,\"timeouts\":%llu,\"pass\":%s}\n",
                mode_names[opt.mode], opt.conns, opt.mode == M_RR ? opt.depth : 1, opt.size,
                (unsigned long long)opt.bytes, opt.threads, secs, (unsigned long long)s.msgs,
                mps, mbs, lat[0], lat[1], lat[2], lat[3], lat[4],
                (unsigned long long)s.bytes_sent, (unsigned long long)s.bytes_ok,
                (unsigned long long)errors, (unsigned long long)s.verify_errors,
                (unsigned long long)s.timeouts, pass ? "true" : "false");
        fclose(f);
    }
    release(ws, opt.threads, all, opt.conns);
    return pass ? 0 : 1;
}
