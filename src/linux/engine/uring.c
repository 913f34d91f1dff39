/*
 * The io_uring engine. Any thread may submit; one thread at a time (the
 * port's poller) reaps. Submissions are made under a short lock that is held
 * across io_uring_enter only for submission, which never sleeps.
 *
 * Batching: the thread that reaped completions last is the one that will
 * wait for the next ones, so what it submits in between (the receives and
 * sends a worker posts while it handles a batch of packets) stays in the SQ
 * and goes to the kernel with its next wait, in the same system call, or
 * with its next look at the completions (the port looks every few packets
 * while its queue is busy). Every other submission, and every one made
 * while a thread sleeps in the wait, goes at once. If the reaper does not
 * come back, a thread about to block in one of the library's waits, or the
 * background thread within a few milliseconds (ready() counts held
 * entries), submits them.
 */
#include "engine.h"
#include "tsan.h"

#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* user_data values for the engine's own requests; requests are aligned, so never 1 or 2. */
#define UD_WAKE   ((uint64_t)1)
#define UD_CANCEL ((uint64_t)2)

/* SQ entries; the CQ gets CQ_PER_SQ times as many. IOCPCOMPAT_URING_ENTRIES
 * overrides the SQ size (a power of two from 2 to 32768). */
#define SQ_ENTRIES 256
#define CQ_PER_SQ 32
#define REAP_BATCH 64

struct uring {
    struct engine base;
    struct io_uring ring;
    pthread_mutex_t sq_lock;
    atomic_bool waiting;     /* a thread sleeps in io_uring_enter for completions (set under sq_lock) */
    bool poll_first;         /* the kernel takes IORING_RECVSEND_POLL_FIRST (5.19, as COOP_TASKRUN) */
    /* The thread that reaped completions last. Read unlocked, it may be a
     * moment stale: that only decides whether an entry waits for a wait. */
    _Atomic(const void *) reaper;
    atomic_uint held;        /* SQEs in the SQ not yet given to the kernel */
};

/* Its address tells the calling thread apart. */
static _Thread_local char this_thread;

static struct io_uring_sqe *get_sqe(struct uring *u)
{
    struct io_uring_sqe *sqe;
    /* A full SQ drains as soon as it is submitted; the kernel keeps CQEs that
     * do not fit (IORING_FEAT_NODROP), so nothing waits on the reaper here. */
    while ((sqe = io_uring_get_sqe(&u->ring)) == NULL)
        io_uring_submit(&u->ring);
    return sqe;
}

/* Recounts the entries still in the SQ. sq_lock held. */
static void count_held(struct uring *u)
{
    atomic_store_explicit(&u->held, io_uring_sq_ready(&u->ring), memory_order_relaxed);
}

static void flush(struct uring *u)
{
    int rc;
    /* -EBUSY/-EAGAIN: the kernel is short of room for CQEs; what stays in the
     * SQ goes out with the next submission or the reaper's next wait. */
    do {
        rc = io_uring_submit(&u->ring);
    } while (rc == -EINTR);
    count_held(u);
}

/* Makes the SQ's new entries visible to the kernel without a system call
 * (liburing's own first step of a submission); returns how many there are
 * for an io_uring_enter to take. sq_lock held. */
static unsigned publish(struct uring *u)
{
    struct io_uring_sq *sq = &u->ring.sq;
    unsigned tail = sq->sqe_tail;
    if (sq->sqe_head != tail) {
        sq->sqe_head = tail;
        io_uring_smp_store_release(sq->ktail, tail);
    }
    return tail - io_uring_smp_load_acquire(sq->khead);
}

static bool holds_for_this_thread(struct uring *u)
{
    return atomic_load_explicit(&u->reaper, memory_order_relaxed) == &this_thread &&
           !atomic_load_explicit(&u->waiting, memory_order_relaxed);
}

static enum engine_outlook uring_outlook(struct engine *e, const struct engine_request *req)
{
    (void)req;
    return holds_for_this_thread((struct uring *)e) ? ENGINE_HOLDS : ENGINE_AT_ONCE;
}

static int uring_submit(struct engine *e, struct engine_request *req)
{
    struct uring *u = (struct uring *)e;
    /* Arming the wait first spares the kernel an attempt that would fail. */
    bool poll_first = req->hint == REQ_HINT_NOT_READY && u->poll_first;
    req->hint = REQ_HINT_NONE;
    pthread_mutex_lock(&u->sq_lock);
    struct io_uring_sqe *sqe = get_sqe(u);
    switch (req->kind) {
    case REQ_RECV:
        if (req->msg != NULL)
            io_uring_prep_recvmsg(sqe, req->fd, req->msg, (unsigned)req->flags);
        else
            io_uring_prep_recv(sqe, req->fd, req->buf.iov_base, req->buf.iov_len, req->flags);
        break;
    case REQ_SEND:
        if (req->msg != NULL)
            io_uring_prep_sendmsg(sqe, req->fd, req->msg, (unsigned)req->flags);
        else
            io_uring_prep_send(sqe, req->fd, req->buf.iov_base, req->buf.iov_len, req->flags);
        break;
    case REQ_POLL_IN:
        io_uring_prep_poll_add(sqe, req->fd, POLLIN);
        break;
    case REQ_POLL_OUT:
        io_uring_prep_poll_add(sqe, req->fd, POLLOUT);
        break;
    case REQ_ACCEPT:
        io_uring_prep_accept(sqe, req->fd, NULL, NULL, SOCK_CLOEXEC);
        break;
    case REQ_CONNECT:
        io_uring_prep_connect(sqe, req->fd, req->to.addr, req->to.addrlen);
        break;
    case REQ_READ_AT:
        io_uring_prep_read(sqe, req->fd, req->buf.iov_base, (unsigned)req->buf.iov_len, req->off);
        break;
    case REQ_WRITE_AT:
        io_uring_prep_write(sqe, req->fd, req->buf.iov_base, (unsigned)req->buf.iov_len, req->off);
        sqe->rw_flags = req->flags;
        break;
    }
    if (poll_first && (req->kind == REQ_RECV || req->kind == REQ_SEND))
        sqe->ioprio |= IORING_RECVSEND_POLL_FIRST;
    io_uring_sqe_set_data(sqe, req);
    tsan_handoff_release(req);
    if (holds_for_this_thread(u))
        atomic_fetch_add_explicit(&u->held, 1, memory_order_relaxed);
    else
        flush(u);
    pthread_mutex_unlock(&u->sq_lock);
    return 0;
}

static void uring_thread_away(struct engine *e)
{
    struct uring *u = (struct uring *)e;
    if (atomic_load_explicit(&u->held, memory_order_relaxed) == 0)
        return;
    pthread_mutex_lock(&u->sq_lock);
    flush(u);
    pthread_mutex_unlock(&u->sq_lock);
}

static void uring_cancel(struct engine *e, struct engine_request *req)
{
    struct uring *u = (struct uring *)e;
    pthread_mutex_lock(&u->sq_lock);
    struct io_uring_sqe *sqe = get_sqe(u);
    io_uring_prep_cancel64(sqe, (uint64_t)(uintptr_t)req, 0);
    sqe->user_data = UD_CANCEL;
    flush(u);
    pthread_mutex_unlock(&u->sq_lock);
}

static void uring_wake(struct engine *e)
{
    struct uring *u = (struct uring *)e;
    pthread_mutex_lock(&u->sq_lock);
    struct io_uring_sqe *sqe = get_sqe(u);
    io_uring_prep_nop(sqe);
    sqe->user_data = UD_WAKE;
    flush(u);
    pthread_mutex_unlock(&u->sq_lock);
}

/* Moves ready CQEs to out; sets *woken when a wake request was among them. */
static int reap(struct uring *u, struct engine_report *out, int max, int *woken)
{
    struct io_uring_cqe *cqes[REAP_BATCH];
    int stored = 0;
    if (max > REAP_BATCH)
        max = REAP_BATCH;
    unsigned n = io_uring_peek_batch_cqe(&u->ring, cqes, (unsigned)max);
    for (unsigned i = 0; i < n; i++) {
        uint64_t ud = cqes[i]->user_data;
        if (ud == UD_WAKE)
            *woken = 1;
        else if (ud != UD_CANCEL) {
            out[stored].req = (struct engine_request *)(uintptr_t)ud;
            tsan_handoff_acquire(out[stored].req);
            out[stored].res = cqes[i]->res;
            stored++;
        }
    }
    io_uring_cq_advance(&u->ring, n);
    return stored;
}

/* This thread reaped n completions: it is the reaper now, and what it held
 * goes to the kernel (this may be a look between two packets, not a wait). */
static int reaped(struct uring *u, int n)
{
    if (n > 0) {
        if (atomic_load_explicit(&u->reaper, memory_order_relaxed) != &this_thread)
            atomic_store_explicit(&u->reaper, &this_thread, memory_order_relaxed);
        uring_thread_away(&u->base);
    }
    return n;
}

static int uring_wait(struct engine *e, int timeout_ms, struct engine_report *out, int max)
{
    struct uring *u = (struct uring *)e;
    int woken = 0;
    bool submit = true;
    for (;;) {
        int n = reaped(u, reap(u, out, max, &woken));
        if (n > 0 || woken)
            return n;
        /* The held entries go to the kernel with this wait; from here until
         * it ends, submissions go at once. */
        pthread_mutex_lock(&u->sq_lock);
        unsigned to_submit = submit ? publish(u) : 0;
        atomic_store_explicit(&u->waiting, true, memory_order_relaxed);
        pthread_mutex_unlock(&u->sq_lock);
        struct __kernel_timespec ts = {
            .tv_sec = timeout_ms / 1000,
            .tv_nsec = (long long)(timeout_ms % 1000) * 1000000LL,
        };
        struct io_uring_getevents_arg arg = {
            .sigmask = 0, .sigmask_sz = _NSIG / 8, .pad = 0,
            .ts = timeout_ms >= 0 ? (uint64_t)(uintptr_t)&ts : 0,
        };
        int rc = io_uring_enter2((unsigned)u->ring.ring_fd, to_submit, 1,
                                 IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
                                 (sigset_t *)&arg, sizeof(arg));
        pthread_mutex_lock(&u->sq_lock);
        atomic_store_explicit(&u->waiting, false, memory_order_relaxed);
        count_held(u);
        pthread_mutex_unlock(&u->sq_lock);
        /* After submitting, the kernel reports how many went in, not how the
         * wait ended: the caller, which keeps the deadline, waits again. */
        if (rc == -ETIME || (to_submit > 0 && rc >= 0))
            return reaped(u, reap(u, out, max, &woken));
        /* -EBUSY: the CQ overflowed; -EAGAIN: the kernel is short of memory
         * for requests. The wait itself can go on; the entries go later. */
        if (rc == -EBUSY || rc == -EAGAIN) {
            submit = false;
            continue;
        }
        /* -EINTR: a signal or task work. */
        if (rc < 0 && rc != -EINTR)
            return 0;
        if (rc == -EINTR && timeout_ms == 0)
            return reaped(u, reap(u, out, max, &woken));
    }
}

static int uring_ready(struct engine *e)
{
    struct uring *u = (struct uring *)e;
    /* Read as the reaper publishes them: khead with release, ktail by the kernel. */
    unsigned tail = __atomic_load_n(u->ring.cq.ktail, __ATOMIC_ACQUIRE);
    unsigned head = __atomic_load_n(u->ring.cq.khead, __ATOMIC_ACQUIRE);
    return tail != head ||
           (IO_URING_READ_ONCE(*u->ring.sq.kflags) & IORING_SQ_CQ_OVERFLOW) != 0 ||
           atomic_load_explicit(&u->held, memory_order_relaxed) != 0;
}

/* Requests in flight hold their own reference to the file; one still held
 * in the SQ names only the number, which is about to change hands. */
static void uring_fd_closing(struct engine *e, int fd)
{
    (void)fd;
    uring_thread_away(e);
}

static void uring_destroy(struct engine *e)
{
    struct uring *u = (struct uring *)e;
    io_uring_queue_exit(&u->ring);
    pthread_mutex_destroy(&u->sq_lock);
    free(u);
}

static const struct engine_vtable uring_vtable = {
    .name = "io_uring",
    .submit = uring_submit,
    .cancel = uring_cancel,
    .wait = uring_wait,
    .ready = uring_ready,
    .outlook = uring_outlook,
    .wake = uring_wake,
    .thread_away = uring_thread_away,
    .fd_closing = uring_fd_closing,
    .destroy = uring_destroy,
};

static unsigned sq_entries(void)
{
    const char *text = getenv("IOCPCOMPAT_URING_ENTRIES");
    if (text == NULL || *text == '\0')
        return SQ_ENTRIES;
    unsigned long n = strtoul(text, NULL, 10);
    if (n < 2 || n > 32768 || (n & (n - 1)) != 0)
        return SQ_ENTRIES;
    return (unsigned)n;
}

int engine_uring_create(struct engine **out)
{
    struct uring *u = calloc(1, sizeof(*u));
    if (u == NULL)
        return -ENOMEM;
    struct io_uring_params params;
    memset(&params, 0, sizeof(params));
    /* COOP_TASKRUN: a request that became ready (data arrived) is finished
     * by its issuing thread at its next entry into the kernel, or at once if
     * that thread sleeps, instead of by an interrupt that would also race the
     * sender for the socket lock. Kernels before 5.19 lack it. */
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN;
    unsigned entries = sq_entries();
    params.cq_entries = entries * CQ_PER_SQ;
    int rc = io_uring_queue_init_params(entries, &u->ring, &params);
    u->poll_first = true;
    if (rc == -EINVAL) {
        params.flags &= ~(unsigned)IORING_SETUP_COOP_TASKRUN;
        u->poll_first = false;
        rc = io_uring_queue_init_params(entries, &u->ring, &params);
    }
    if (rc < 0) {
        free(u);
        return rc;
    }
    if (!(params.features & IORING_FEAT_NODROP) || !(params.features & IORING_FEAT_EXT_ARG)) {
        io_uring_queue_exit(&u->ring);
        free(u);
        return -ENOSYS;
    }
    pthread_mutex_init(&u->sq_lock, NULL);
    u->base.vt = &uring_vtable;
    *out = &u->base;
    return 0;
}
