/*
 * The epoll engine, for machines where io_uring is not allowed: readiness,
 * then the system call, then the result. Each descriptor with something to
 * wait for is registered once, edge-triggered, for both directions; when a
 * direction becomes ready the reaper (one thread at a time) tries the
 * operations waiting on it, oldest first, until one would block.
 *
 * Every result, whoever produced it (the reaper, a submitter that found the
 * descriptor ready, a cancellation), goes through one list that wait()
 * drains, so each operation is reported exactly once.
 *
 * What the engine keeps per descriptor is all that an idle connection costs
 * here beyond what it costs the io_uring engine, so it is one word in a
 * table indexed by descriptor: no allocation, no hashing.
 */
#include "engine.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define EVENT_BATCH 64

/*
 * Descriptors are small dense integers, so the table is two-level: chunks
 * of CHUNK_SLOTS slots, allocated on first use and kept until the engine is
 * destroyed, so a slot never moves. The bound is the socket table's
 * (socket.c): no socket has a larger descriptor. Everything here is under
 * ee->lock.
 */
#define CHUNK_BITS 10
#define CHUNK_SLOTS (1u << CHUNK_BITS)
#define MAX_CHUNKS 4096   /* descriptors below 4M */

/*
 * A descriptor's state is one word: the last of the operations waiting on
 * it, in one circular list for both directions (so the first is the last's
 * next, and one pointer serves to append and to pop), with the flags below
 * in the low bits, which a request's alignment leaves zero. The directions
 * share a list because a descriptor rarely has more than one operation per
 * direction in the engine (sockets start only the head of their receive and
 * send queues); the long lists are a listener's AcceptEx, which all wait to
 * read. Zero is a descriptor never seen, or
 * forgotten: a reused number starts fresh.
 */
#define REGISTERED ((uintptr_t)1)   /* added to epoll */
#define READABLE   ((uintptr_t)2)   /* an edge was seen and no attempt has hit EAGAIN since */
#define WRITABLE   ((uintptr_t)4)
#define FLAGS      (REGISTERED | READABLE | WRITABLE)

_Static_assert(_Alignof(struct engine_request) > FLAGS, "the flags must fit below a request's alignment");

typedef _Atomic(uintptr_t) slot_t;

static uintptr_t slot_get(slot_t *slot)
{
    return atomic_load_explicit(slot, memory_order_relaxed);
}

static void slot_set(slot_t *slot, uintptr_t word)
{
    atomic_store_explicit(slot, word, memory_order_relaxed);
}

struct epoll_engine {
    struct engine base;
    int epfd;
    int wakefd;
    pthread_mutex_t lock;
    struct engine_request *done;         /* results waiting to be reported: the last, circular as above */
    atomic_int outstanding;  /* submitted and not yet reported */
    /* Each descriptor's word, see above. Atomic so that outlook() can read
     * a word without the lock; everything else is under it. */
    _Atomic(slot_t *) chunks[MAX_CHUNKS];
};

/* The slot of fd; NULL when it has none yet (grow, under the lock: when memory is
 * exhausted) or fd is beyond the table. */
static slot_t *slot_of(struct epoll_engine *ee, int fd, bool grow)
{
    unsigned c = (unsigned)fd >> CHUNK_BITS;
    if (c >= MAX_CHUNKS)
        return NULL;
    slot_t *chunk = atomic_load_explicit(&ee->chunks[c], memory_order_acquire);
    if (chunk == NULL && grow) {
        chunk = calloc(CHUNK_SLOTS, sizeof(slot_t));
        atomic_store_explicit(&ee->chunks[c], chunk, memory_order_release);
    }
    return chunk != NULL ? &chunk[(unsigned)fd & (CHUNK_SLOTS - 1)] : NULL;
}

static struct engine_request *last_of(uintptr_t word)
{
    return (struct engine_request *)(word & ~FLAGS);
}

static void set_last(uintptr_t *word, struct engine_request *last)
{
    *word = (uintptr_t)last | (*word & FLAGS);
}

static struct engine_request *next_of(const struct engine_request *req)
{
    return req->link;
}

static void set_next(struct engine_request *req, struct engine_request *next)
{
    req->link = next;
}

static void list_push(struct engine_request **last, struct engine_request *req)
{
    if (*last != NULL) {
        set_next(req, next_of(*last));
        set_next(*last, req);
    } else {
        set_next(req, req);
    }
    *last = req;
}

/* Takes req, which follows prev, out of the list. */
static void list_unlink(struct engine_request **last, struct engine_request *prev, struct engine_request *req)
{
    if (prev == req) {
        *last = NULL;
        return;
    }
    set_next(prev, next_of(req));
    if (*last == req)
        *last = prev;
}

static struct engine_request *list_pop(struct engine_request **last)
{
    if (*last == NULL)
        return NULL;
    struct engine_request *first = next_of(*last);
    list_unlink(last, *last, first);
    return first;
}

static bool list_remove(struct engine_request **last, struct engine_request *req)
{
    if (*last == NULL)
        return false;
    struct engine_request *prev = *last;
    do {
        if (next_of(prev) == req) {
            list_unlink(last, prev, req);
            return true;
        }
        prev = next_of(prev);
    } while (prev != *last);
    return false;
}

static bool waits_to_read(const struct engine_request *req)
{
    return req->kind == REQ_RECV || req->kind == REQ_POLL_IN || req->kind == REQ_ACCEPT;
}

static void finish(struct epoll_engine *ee, struct engine_request *req, int res)
{
    req->res = res;
    list_push(&ee->done, req);
}

/* A stream receive that took less than it had room for left no data
 * behind (a peek leaves what it saw). */
static bool took_all_data(const struct engine_request *req, int res)
{
    if (req->kind != REQ_RECV || !req->stream || res <= 0 || (req->flags & (MSG_PEEK | MSG_OOB)))
        return false;
    size_t room = req->buf.iov_len;
    if (req->msg != NULL) {
        room = 0;
        for (size_t i = 0; i < req->msg->msg_iovlen; i++)
            room += req->msg->msg_iov[i].iov_len;
    }
    return (size_t)res < room;
}

/*
 * Tries the operations waiting in one direction, oldest first, until one
 * would block. Returns whether any finished. Called with ee->lock held.
 *
 * data_edge: called for an edge that reported data alone (no end of stream
 * or error). Then a stream receive that comes back short ends the run and
 * marks the direction not ready, sparing the next receive an attempt that
 * would meet EAGAIN: data arriving after the read raises a new edge, which
 * is handled after this under the same lock. An edge that also reported an
 * end or an error does not allow it: the end stays readable after the data
 * is read, and no new edge comes for it.
 */
static bool run(struct epoll_engine *ee, uintptr_t *word, bool reading, bool data_edge)
{
    uintptr_t ready = reading ? READABLE : WRITABLE;
    struct engine_request *last = last_of(*word);
    if (last == NULL || !(*word & ready))
        return false;
    bool finished = false;
    struct engine_request *end = last, *prev = last, *req;
    do {
        req = next_of(prev);
        if (waits_to_read(req) != reading) {
            prev = req;
            continue;
        }
        int res = request_try(req);
        if (res == -EAGAIN) {
            *word &= ~ready;
            break;
        }
        list_unlink(&last, prev, req);
        finish(ee, req, res);
        finished = true;
        if (data_edge && took_all_data(req, res)) {
            *word &= ~ready;
            break;
        }
    } while (req != end);
    set_last(word, last);
    return finished;
}

static void wake(struct epoll_engine *ee)
{
    uint64_t one = 1;
    int saved = errno;
    ssize_t rc = write(ee->wakefd, &one, sizeof(one));
    (void)rc;   /* a full counter already means "wake up" */
    errno = saved;
}

/*
 * A regular file cannot be added to epoll (EPERM) and is never "not
 * ready": its transfer is made here, by the submitter, and reported through
 * the done list like any other result, so the front end sees the same
 * pending operation and single report as on io_uring. A worker thread
 * (as the background engine is) would add a thread hop and a second
 * ordering of results for no gain: with the page cache the call takes
 * microseconds, and a write to a slow device takes the submitting thread's
 * time instead of a worker's, as a buffered write does on Windows.
 */
static void transfer_now(struct epoll_engine *ee, struct engine_request *req)
{
    int res = request_try(req);
    pthread_mutex_lock(&ee->lock);
    atomic_fetch_add_explicit(&ee->outstanding, 1, memory_order_relaxed);
    finish(ee, req, res);
    pthread_mutex_unlock(&ee->lock);
    wake(ee);
}

static int epoll_submit(struct engine *e, struct engine_request *req)
{
    struct epoll_engine *ee = (struct epoll_engine *)e;
    if (req->kind == REQ_READ_AT || req->kind == REQ_WRITE_AT) {
        transfer_now(ee, req);
        return 0;
    }
    pthread_mutex_lock(&ee->lock);
    slot_t *slot = slot_of(ee, req->fd, true);
    if (slot == NULL) {
        pthread_mutex_unlock(&ee->lock);
        return -ENOMEM;
    }
    uintptr_t word = slot_get(slot);
    if (!(word & REGISTERED)) {
        struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                                  .data.fd = req->fd };
        int saved = errno;
        if (epoll_ctl(ee->epfd, EPOLL_CTL_ADD, req->fd, &ev) != 0 && errno != EEXIST) {
            int err = errno;
            errno = saved;
            pthread_mutex_unlock(&ee->lock);
            return -err;
        }
        errno = saved;
        /* The state before registration is unknown: look once. */
        word = REGISTERED | READABLE | WRITABLE;
    }
    /* A hint of "not ready" is not taken: an edge reaped between the
     * submitter's look and this call has set the flag already, and clearing
     * it would leave the request waiting for an edge that came. */
    req->hint = REQ_HINT_NONE;
    atomic_fetch_add_explicit(&ee->outstanding, 1, memory_order_relaxed);
    struct engine_request *last = last_of(word);
    list_push(&last, req);
    set_last(&word, last);
    bool finished = run(ee, &word, waits_to_read(req), false);
    slot_set(slot, word);
    pthread_mutex_unlock(&ee->lock);
    if (finished)
        wake(ee);
    return 0;
}

static void epoll_cancel(struct engine *e, struct engine_request *req)
{
    struct epoll_engine *ee = (struct epoll_engine *)e;
    bool found = false;
    pthread_mutex_lock(&ee->lock);
    slot_t *slot = slot_of(ee, req->fd, false);
    if (slot != NULL) {
        uintptr_t word = slot_get(slot);
        struct engine_request *last = last_of(word);
        found = list_remove(&last, req);
        set_last(&word, last);
        slot_set(slot, word);
    }
    if (found)
        finish(ee, req, -ECANCELED);
    pthread_mutex_unlock(&ee->lock);
    if (found)
        wake(ee);
}

static int take_done(struct epoll_engine *ee, struct engine_report *out, int max)
{
    int n = 0;
    struct engine_request *req;
    while (n < max && (req = list_pop(&ee->done)) != NULL) {
        out[n].req = req;
        out[n].res = req->res;
        n++;
    }
    atomic_fetch_sub_explicit(&ee->outstanding, n, memory_order_relaxed);
    return n;
}

static int epoll_wait_for(struct engine *e, int timeout_ms, struct engine_report *out, int max)
{
    struct epoll_engine *ee = (struct epoll_engine *)e;
    struct epoll_event events[EVENT_BATCH];
    pthread_mutex_lock(&ee->lock);
    int n = take_done(ee, out, max);
    pthread_mutex_unlock(&ee->lock);
    if (n > 0)
        return n;

    int saved = errno;
    int got = epoll_wait(ee->epfd, events, EVENT_BATCH, timeout_ms);
    errno = saved;
    pthread_mutex_lock(&ee->lock);
    for (int i = 0; i < got; i++) {
        int fd = events[i].data.fd;
        uint32_t ev = events[i].events;
        if (fd == ee->wakefd) {
            uint64_t count;
            ssize_t rc = read(ee->wakefd, &count, sizeof(count));
            (void)rc;
            continue;
        }
        slot_t *slot = slot_of(ee, fd, false);
        uintptr_t word = slot != NULL ? slot_get(slot) : 0;
        if (!(word & REGISTERED))
            continue;   /* forgotten since epoll_wait returned */
        if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
            word |= READABLE;
            run(ee, &word, true, !(ev & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)));
        }
        if (ev & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
            word |= WRITABLE;
            run(ee, &word, false, false);
        }
        slot_set(slot, word);
    }
    n = take_done(ee, out, max);
    pthread_mutex_unlock(&ee->lock);
    errno = saved;
    return n;
}

static int epoll_ready(struct engine *e)
{
    /* Readiness cannot be read without a system call; say yes while anything
     * is outstanding and let the caller's wait(0) find out. */
    struct epoll_engine *ee = (struct epoll_engine *)e;
    return atomic_load_explicit(&ee->outstanding, memory_order_relaxed) > 0;
}

static void epoll_wake(struct engine *e)
{
    wake((struct epoll_engine *)e);
}

/* Operations start in submit(): nothing is ever held back, but a direction
 * that last met EAGAIN, or whose last data a short read took (see run), is
 * known not ready until its next edge. */
static enum engine_outlook epoll_outlook(struct engine *e, const struct engine_request *req)
{
    struct epoll_engine *ee = (struct epoll_engine *)e;
    if (req->kind != REQ_RECV && req->kind != REQ_SEND)
        return ENGINE_AT_ONCE;
    /* Read without the lock: a stale "not ready" only means that submit(),
     * under the lock, makes the attempt instead. */
    slot_t *slot = slot_of(ee, req->fd, false);
    uintptr_t word = slot != NULL ? slot_get(slot) : 0;
    uintptr_t ready = waits_to_read(req) ? READABLE : WRITABLE;
    return (word & REGISTERED) && !(word & ready) ? ENGINE_NOT_READY : ENGINE_AT_ONCE;
}

static void epoll_thread_away(struct engine *e)
{
    (void)e;
}

static void epoll_fd_closing(struct engine *e, int fd)
{
    struct epoll_engine *ee = (struct epoll_engine *)e;
    bool finished = false;
    pthread_mutex_lock(&ee->lock);
    slot_t *slot = slot_of(ee, fd, false);
    if (slot != NULL && (slot_get(slot) & REGISTERED)) {
        struct engine_request *last = last_of(slot_get(slot));
        struct engine_request *req;
        while ((req = list_pop(&last)) != NULL) {
            finish(ee, req, -ECANCELED);
            finished = true;
        }
        int saved = errno;
        epoll_ctl(ee->epfd, EPOLL_CTL_DEL, fd, NULL);
        errno = saved;
        slot_set(slot, 0);
    }
    pthread_mutex_unlock(&ee->lock);
    if (finished)
        wake(ee);
}

static void epoll_destroy(struct engine *e)
{
    struct epoll_engine *ee = (struct epoll_engine *)e;
    for (unsigned c = 0; c < MAX_CHUNKS; c++)
        free(atomic_load_explicit(&ee->chunks[c], memory_order_relaxed));
    close(ee->epfd);
    close(ee->wakefd);
    pthread_mutex_destroy(&ee->lock);
    free(ee);
}

static const struct engine_vtable epoll_vtable = {
    .name = "epoll",
    .submit = epoll_submit,
    .cancel = epoll_cancel,
    .wait = epoll_wait_for,
    .ready = epoll_ready,
    .outlook = epoll_outlook,
    .wake = epoll_wake,
    .thread_away = epoll_thread_away,
    .fd_closing = epoll_fd_closing,
    .destroy = epoll_destroy,
};

int engine_epoll_create(struct engine **out)
{
    struct epoll_engine *ee = calloc(1, sizeof(*ee));
    if (ee == NULL)
        return -ENOMEM;
    int saved = errno;
    ee->epfd = epoll_create1(EPOLL_CLOEXEC);
    ee->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = ee->wakefd };
    if (ee->epfd < 0 || ee->wakefd < 0 || epoll_ctl(ee->epfd, EPOLL_CTL_ADD, ee->wakefd, &ev) != 0) {
        int err = errno;
        if (ee->epfd >= 0)
            close(ee->epfd);
        if (ee->wakefd >= 0)
            close(ee->wakefd);
        free(ee);
        errno = saved;
        return -err;
    }
    errno = saved;
    pthread_mutex_init(&ee->lock, NULL);
    atomic_init(&ee->outstanding, 0);
    ee->base.vt = &epoll_vtable;
    *out = &ee->base;
    return 0;
}
