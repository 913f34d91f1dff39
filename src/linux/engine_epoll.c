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
 */
#include "engine.h"
#include "op.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <uthash.h>

#define EVENT_BATCH 64

struct oplist {
    struct op *head;
    struct op *tail;
};

/* A descriptor registered with epoll, and what waits on it. */
struct watch {
    int fd;
    bool readable;   /* an edge was seen and no attempt has hit EAGAIN since */
    bool writable;
    struct oplist readers;   /* receives, zero-byte receives, accepts */
    struct oplist writers;   /* sends, connects */
    UT_hash_handle hh;
};

struct epoll_engine {
    struct engine base;
    int epfd;
    int wakefd;
    pthread_mutex_t lock;
    struct watch *watches;   /* by descriptor */
    struct oplist done;      /* results waiting to be reported */
    atomic_int outstanding;  /* submitted and not yet reported */
};

/* The engine's lists chain ops through packet.next, which is free while
 * an op is in flight (its packet is not on any port yet). */
static struct op *next_of(const struct op *op)
{
    return (struct op *)(void *)op->packet.next;
}

static void set_next(struct op *op, struct op *next)
{
    op->packet.next = &next->packet;
}

static void list_push(struct oplist *l, struct op *op)
{
    op->packet.next = NULL;
    if (l->tail != NULL)
        set_next(l->tail, op);
    else
        l->head = op;
    l->tail = op;
}

static struct op *list_pop(struct oplist *l)
{
    struct op *op = l->head;
    if (op != NULL) {
        l->head = next_of(op);
        if (l->head == NULL)
            l->tail = NULL;
    }
    return op;
}

static bool list_remove(struct oplist *l, struct op *op)
{
    struct op *prev = NULL;
    for (struct op *it = l->head; it != NULL; prev = it, it = next_of(it)) {
        if (it != op)
            continue;
        if (prev != NULL)
            prev->packet.next = op->packet.next;
        else
            l->head = next_of(op);
        if (l->tail == op)
            l->tail = prev;
        return true;
    }
    return false;
}

static bool waits_to_read(const struct op *op)
{
    return op->kind == OP_RECV || op->kind == OP_POLL_IN || op->kind == OP_ACCEPT;
}

static void finish(struct epoll_engine *ee, struct op *op, int res)
{
    op->engine_res = res;
    list_push(&ee->done, op);
}

/* Tries the operations waiting in one direction until one would block.
 * Returns whether any finished. Called with ee->lock held. */
static bool run(struct epoll_engine *ee, struct oplist *waiting, bool *ready)
{
    bool finished = false;
    while (*ready && waiting->head != NULL) {
        struct op *op = waiting->head;
        int res = op_attempt(op);
        if (res == -EAGAIN) {
            *ready = false;
            break;
        }
        list_pop(waiting);
        finish(ee, op, res);
        finished = true;
    }
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

static int epoll_submit(struct engine *e, struct op *op)
{
    struct epoll_engine *ee = (struct epoll_engine *)e;
    bool finished;
    pthread_mutex_lock(&ee->lock);
    struct watch *w;
    HASH_FIND_INT(ee->watches, &op->fd, w);
    if (w == NULL) {
        w = calloc(1, sizeof(*w));
        if (w == NULL) {
            pthread_mutex_unlock(&ee->lock);
            return -ENOMEM;
        }
        struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                                  .data.fd = op->fd };
        int saved = errno;
        if (epoll_ctl(ee->epfd, EPOLL_CTL_ADD, op->fd, &ev) != 0 && errno != EEXIST) {
            int err = errno;
            errno = saved;
            pthread_mutex_unlock(&ee->lock);
            free(w);
            return -err;
        }
        errno = saved;
        w->fd = op->fd;
        /* The state before registration is unknown: look once. */
        w->readable = true;
        w->writable = true;
        HASH_ADD_INT(ee->watches, fd, w);
    }
    atomic_fetch_add_explicit(&ee->outstanding, 1, memory_order_relaxed);
    if (waits_to_read(op)) {
        list_push(&w->readers, op);
        finished = run(ee, &w->readers, &w->readable);
    } else {
        list_push(&w->writers, op);
        finished = run(ee, &w->writers, &w->writable);
    }
    pthread_mutex_unlock(&ee->lock);
    if (finished)
        wake(ee);
    return 0;
}

static void epoll_cancel(struct engine *e, struct op *op)
{
    struct epoll_engine *ee = (struct epoll_engine *)e;
    bool found = false;
    pthread_mutex_lock(&ee->lock);
    struct watch *w;
    HASH_FIND_INT(ee->watches, &op->fd, w);
    if (w != NULL && (list_remove(&w->readers, op) || list_remove(&w->writers, op))) {
        finish(ee, op, -ECANCELED);
        found = true;
    }
    pthread_mutex_unlock(&ee->lock);
    if (found)
        wake(ee);
}

static int take_done(struct epoll_engine *ee, struct engine_completion *out, int max)
{
    int n = 0;
    while (n < max && ee->done.head != NULL) {
        struct op *op = list_pop(&ee->done);
        out[n].op = op;
        out[n].res = op->engine_res;
        n++;
    }
    atomic_fetch_sub_explicit(&ee->outstanding, n, memory_order_relaxed);
    return n;
}

static int epoll_wait_for(struct engine *e, int timeout_ms, struct engine_completion *out, int max)
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
        struct watch *w;
        HASH_FIND_INT(ee->watches, &fd, w);
        if (w == NULL)
            continue;   /* forgotten since epoll_wait returned */
        if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
            w->readable = true;
            run(ee, &w->readers, &w->readable);
        }
        if (ev & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
            w->writable = true;
            run(ee, &w->writers, &w->writable);
        }
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

/* Operations start in submit(): nothing is ever held back. */
static void epoll_flush(struct engine *e)
{
    (void)e;
}

static void epoll_forget(struct engine *e, int fd)
{
    struct epoll_engine *ee = (struct epoll_engine *)e;
    bool finished = false;
    pthread_mutex_lock(&ee->lock);
    struct watch *w;
    HASH_FIND_INT(ee->watches, &fd, w);
    if (w != NULL) {
        struct op *op;
        while ((op = list_pop(&w->readers)) != NULL || (op = list_pop(&w->writers)) != NULL) {
            finish(ee, op, -ECANCELED);
            finished = true;
        }
        int saved = errno;
        epoll_ctl(ee->epfd, EPOLL_CTL_DEL, fd, NULL);
        errno = saved;
        HASH_DEL(ee->watches, w);
        free(w);
    }
    pthread_mutex_unlock(&ee->lock);
    if (finished)
        wake(ee);
}

static void epoll_destroy(struct engine *e)
{
    struct epoll_engine *ee = (struct epoll_engine *)e;
    struct watch *w, *tmp;
    HASH_ITER(hh, ee->watches, w, tmp) {
        HASH_DEL(ee->watches, w);
        free(w);
    }
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
    .wake = epoll_wake,
    .flush = epoll_flush,
    .forget = epoll_forget,
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
