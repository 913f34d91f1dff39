/*
 * uring_echo: the hand-written io_uring echo server the library is measured
 * against. One thread, one ring, and the current best practice of its kind:
 *
 *   - multishot accept: one SQE accepts every connection;
 *   - multishot recv from a provided-buffer ring: one SQE per connection
 *     receives everything, and no memory is tied to an idle connection;
 *   - the echo is sent straight from the provided buffer (no copy), the
 *     buffer going back to the ring when its send completes;
 *   - IORING_SETUP_DEFER_TASKRUN | SINGLE_ISSUER (completion work runs only
 *     when this thread waits: no interrupts of the task), falling back to
 *     COOP_TASKRUN, then to no flag, on older kernels;
 *   - short sends handled: the rest is resubmitted, and a connection has one
 *     send in flight at a time so its bytes leave in the order they came.
 *
 *   uring_echo [--port N (0 = any)] [--max-seconds N]
 *
 * Prints "uring_echo: listening on 127.0.0.1:PORT" and, at the end, a summary
 * line. Stops on a line or end of file on stdin, or after --max-seconds.
 *
 * Written against liburing 2.3 (Debian 12): io_uring_setup_buf_ring() came in
 * 2.4, so the buffer ring is mapped and registered by hand.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BGID     7
#define NBUFS    1024u       /* power of two, as the ring requires */
#define BUFSZ    16384u      /* as the sample's per-connection buffer */
#define NONE     0xffffu

/* user_data: small constants for the singletons, else a conn pointer with
 * the operation in its low bit (conns are 8-byte aligned). */
enum { UD_ACCEPT = 1, UD_STDIN = 2, UD_TIMER = 3 };
#define OP_RECV 0u
#define OP_SEND 1u

typedef struct conn {
    int fd;
    bool recv_armed;         /* the multishot recv has not ended yet */
    bool send_inflight;
    bool closing;            /* EOF or error: close once nothing is in flight */
    bool starved;            /* recv ended with ENOBUFS: re-arm on buffer return */
    uint16_t qhead, qtail;   /* buffers received, not yet fully sent (FIFO) */
    uint32_t qoff;           /* bytes of qhead already sent */
    struct conn *next_starved;
} conn;

static struct io_uring ring;
static struct io_uring_buf_ring *br;
static uint8_t *bufs;
static uint16_t bnext[NBUFS];
static uint32_t blen[NBUFS];
static conn *starved;
static int listen_fd;
static bool stop;
static unsigned long long n_conns, n_bytes;
static char stdin_buf[256];
static struct __kernel_timespec limit_ts;

static struct io_uring_sqe *sqe_get(void)
{
    struct io_uring_sqe *s;
    /* A full SQ is submitted to make room; nothing is ever dropped. */
    while ((s = io_uring_get_sqe(&ring)) == NULL)
        io_uring_submit(&ring);
    return s;
}

static void arm_accept(void)
{
    struct io_uring_sqe *s = sqe_get();
    io_uring_prep_multishot_accept(s, listen_fd, NULL, NULL, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(s, UD_ACCEPT);
}

static void arm_recv(conn *c)
{
    struct io_uring_sqe *s = sqe_get();
    io_uring_prep_recv_multishot(s, c->fd, NULL, 0, 0);
    s->flags |= IOSQE_BUFFER_SELECT;
    s->buf_group = BGID;
    io_uring_sqe_set_data64(s, (uint64_t)(uintptr_t)c | OP_RECV);
    c->recv_armed = true;
}

static void submit_send(conn *c)
{
    uint16_t b = c->qhead;
    struct io_uring_sqe *s = sqe_get();
    io_uring_prep_send(s, c->fd, bufs + (size_t)b * BUFSZ + c->qoff, blen[b] - c->qoff,
                       MSG_NOSIGNAL);
    io_uring_sqe_set_data64(s, (uint64_t)(uintptr_t)c | OP_SEND);
    c->send_inflight = true;
}

static void buf_return(uint16_t b)
{
    io_uring_buf_ring_add(br, bufs + (size_t)b * BUFSZ, BUFSZ, b,
                          io_uring_buf_ring_mask(NBUFS), 0);
    io_uring_buf_ring_advance(br, 1);
}

static void maybe_close(conn *c);

/* Buffers came back: connections whose recv ran dry can go on. */
static void rearm_starved(void)
{
    while (starved) {
        conn *c = starved;
        starved = c->next_starved;
        c->starved = false;
        if (!c->closing)
            arm_recv(c);
        else
            maybe_close(c);
    }
}

static void drop_queue(conn *c)
{
    while (c->qhead != NONE) {
        uint16_t b = c->qhead;
        c->qhead = bnext[b];
        buf_return(b);
    }
    c->qtail = NONE;
    c->qoff = 0;
}

static void maybe_close(conn *c)
{
    if (!c->closing || c->recv_armed || c->send_inflight || c->qhead != NONE || c->starved)
        return;
    close(c->fd);
    free(c);
}

/* Ends a connection on error: shutdown() makes its multishot recv finish, so
 * that the conn is freed only when the kernel no longer refers to it. */
static void fail_conn(conn *c)
{
    c->closing = true;
    /* Off the starved list first, so that rearm_starved below cannot free it
     * under us (rare: a walk is fine). */
    if (c->starved) {
        conn **pp = &starved;
        while (*pp != c)
            pp = &(*pp)->next_starved;
        *pp = c->next_starved;
        c->starved = false;
    }
    drop_queue(c);
    if (c->recv_armed)
        shutdown(c->fd, SHUT_RDWR);
    rearm_starved();
    maybe_close(c);
}

static void on_recv(conn *c, struct io_uring_cqe *cqe)
{
    if (!(cqe->flags & IORING_CQE_F_MORE))
        c->recv_armed = false;
    if (cqe->res > 0) {
        uint16_t b = (uint16_t)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        blen[b] = (uint32_t)cqe->res;
        bnext[b] = NONE;
        if (c->closing) {
            buf_return(b);
            rearm_starved();
        } else {
            if (c->qtail == NONE)
                c->qhead = b;
            else
                bnext[c->qtail] = b;
            c->qtail = b;
            if (!c->send_inflight)
                submit_send(c);
        }
        /* The kernel may end a multishot recv at any time (a full CQ, for
         * one): arm it again. */
        if (!c->recv_armed && !c->closing)
            arm_recv(c);
    } else if (cqe->res == -ENOBUFS) {
        /* Every buffer is waiting for a send; resume once one returns. */
        if (!c->starved && !c->closing) {
            c->starved = true;
            c->next_starved = starved;
            starved = c;
        }
    } else if (!c->recv_armed) {
        /* 0 = the peer closed; < 0 = error. Echo what is queued, then close. */
        c->closing = true;
        if (cqe->res < 0)
            drop_queue(c);
    }
    maybe_close(c);
}

static void on_send(conn *c, int res)
{
    c->send_inflight = false;
    if (res < 0) {
        fail_conn(c);
        return;
    }
    n_bytes += (unsigned)res;
    c->qoff += (uint32_t)res;
    uint16_t b = c->qhead;
    if (c->qoff == blen[b]) {
        c->qhead = bnext[b];
        if (c->qhead == NONE)
            c->qtail = NONE;
        c->qoff = 0;
        buf_return(b);
        rearm_starved();
    }
    /* A short send leaves qoff inside the buffer: the rest goes next. */
    if (c->qhead != NONE)
        submit_send(c);
    maybe_close(c);
}

static void on_accept(struct io_uring_cqe *cqe)
{
    if (!(cqe->flags & IORING_CQE_F_MORE) && !stop)
        arm_accept();
    if (cqe->res < 0) {
        if (cqe->res != -ECANCELED)
            fprintf(stderr, "uring_echo: accept: %s\n", strerror(-cqe->res));
        return;
    }
    int one = 1;
    /* Each echo is one send; Nagle would hold it behind unacknowledged data. */
    setsockopt(cqe->res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    conn *c = calloc(1, sizeof(*c));
    if (!c) {
        close(cqe->res);
        return;
    }
    c->fd = cqe->res;
    c->qhead = c->qtail = NONE;
    n_conns++;
    arm_recv(c);
}

static int setup_ring(const char **flags_used)
{
    static const struct { unsigned flags; const char *name; } tries[] = {
        { IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER, "DEFER_TASKRUN|SINGLE_ISSUER" },
        { IORING_SETUP_COOP_TASKRUN, "COOP_TASKRUN" },
        { 0, "none" },
    };
    for (unsigned i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
        struct io_uring_params p;
        memset(&p, 0, sizeof(p));
        /* A CQ far larger than the SQ: multishot ops post many CQEs each. */
        p.flags = tries[i].flags | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_CQSIZE;
        p.cq_entries = 65536;
        int rc = io_uring_queue_init_params(4096, &ring, &p);
        if (rc == 0) {
            *flags_used = tries[i].name;
            return 0;
        }
        if (rc != -EINVAL)
            return rc;
    }
    return -EINVAL;
}

static int setup_buffers(void)
{
    size_t ring_bytes = NBUFS * sizeof(struct io_uring_buf);
    br = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (br == MAP_FAILED)
        return -errno;
    struct io_uring_buf_reg reg;
    memset(&reg, 0, sizeof(reg));
    reg.ring_addr = (uintptr_t)br;
    reg.ring_entries = NBUFS;
    reg.bgid = BGID;
    int rc = io_uring_register_buf_ring(&ring, &reg, 0);
    if (rc)
        return rc;
    /* Touched now, so the pool is in the RSS before any connection: the
     * memory-per-connection figure then shows what a connection costs. */
    bufs = aligned_alloc(4096, (size_t)NBUFS * BUFSZ);
    if (!bufs)
        return -ENOMEM;
    memset(bufs, 0, (size_t)NBUFS * BUFSZ);
    io_uring_buf_ring_init(br);
    for (unsigned i = 0; i < NBUFS; i++)
        io_uring_buf_ring_add(br, bufs + (size_t)i * BUFSZ, BUFSZ, (unsigned short)i,
                              io_uring_buf_ring_mask(NBUFS), (int)i);
    io_uring_buf_ring_advance(br, NBUFS);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long port = 0, max_seconds = 0;
    for (int i = 1; i < argc; i += 2) {
        char *end = NULL;
        unsigned long v = i + 1 < argc ? strtoul(argv[i + 1], &end, 10) : 0;
        bool ok = end && *end == '\0' && end != argv[i + 1];
        if (ok && !strcmp(argv[i], "--port") && v <= 65535)
            port = v;
        else if (ok && !strcmp(argv[i], "--max-seconds") && v <= 86400)
            max_seconds = v;
        else {
            fprintf(stderr, "usage: uring_echo [--port N (0 = any)] [--max-seconds N]\n");
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    const char *flags = NULL;
    int rc = setup_ring(&flags);
    if (rc) {
        fprintf(stderr, "uring_echo: io_uring_queue_init: %s\n", strerror(-rc));
        return 1;
    }
    rc = setup_buffers();
    if (rc) {
        fprintf(stderr, "uring_echo: buffer ring: %s\n", strerror(-rc));
        return 1;
    }

    listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((uint16_t)port);
    socklen_t alen = sizeof(a);
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        listen(listen_fd, 4096) < 0 || getsockname(listen_fd, (struct sockaddr *)&a, &alen) < 0) {
        fprintf(stderr, "uring_echo: cannot listen on 127.0.0.1:%lu: %s\n", port, strerror(errno));
        return 1;
    }

    arm_accept();
    struct io_uring_sqe *s = sqe_get();
    io_uring_prep_read(s, STDIN_FILENO, stdin_buf, sizeof(stdin_buf), 0);
    io_uring_sqe_set_data64(s, UD_STDIN);
    if (max_seconds) {
        limit_ts.tv_sec = (long long)max_seconds;
        s = sqe_get();
        io_uring_prep_timeout(s, &limit_ts, 0, 0);
        io_uring_sqe_set_data64(s, UD_TIMER);
    }
    printf("uring_echo: listening on 127.0.0.1:%u, one thread, ring flags %s, %u x %u B provided buffers\n",
           (unsigned)ntohs(a.sin_port), flags, NBUFS, BUFSZ);
    fflush(stdout);

    while (!stop) {
        rc = io_uring_submit_and_wait(&ring, 1);
        if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
            fprintf(stderr, "uring_echo: io_uring_submit_and_wait: %s\n", strerror(-rc));
            return 1;
        }
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            uint64_t ud = cqe->user_data;
            seen++;
            if (ud == UD_ACCEPT)
                on_accept(cqe);
            else if (ud == UD_STDIN || ud == UD_TIMER)
                stop = true;
            else if ((ud & 1u) == OP_SEND)
                on_send((conn *)(uintptr_t)(ud & ~(uint64_t)1), cqe->res);
            else
                on_recv((conn *)(uintptr_t)(ud & ~(uint64_t)1), cqe);
        }
        io_uring_cq_advance(&ring, seen);
    }
    /* The process ends here: the kernel closes the sockets and tears down
     * the ring with whatever is still in flight. */
    printf("uring_echo: summary: connections %llu, bytes echoed %llu\n", n_conns, n_bytes);
    fflush(stdout);
    return 0;
}
