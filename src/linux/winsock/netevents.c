/*
 * WSAEventSelect and WSAEnumNetworkEvents.
 *
 * Served by one library thread over its own epoll set rather than by the
 * engines: a selection has no port and no operation (it must work on any
 * socket, while nobody waits in GetQueuedCompletionStatus), it is a level
 * of the socket rather than one request, and io_uring would need a poll
 * request re-armed per event, which the engines' one-shot operation model
 * does not offer. epoll is only the wake-up: every look at a socket (the
 * thread's, or a re-enabling call's in the caller's thread) asks poll()
 * for the socket's state at that moment, records the enabled events that
 * hold, and then arms epoll (EPOLLONESHOT) only for what does not hold
 * yet, so that a condition already true but not re-enabled (data nobody
 * has read) never spins the thread.
 *
 * Windows' rules: an event is recorded once and disabled until its
 * re-enabling call (FD_READ and FD_OOB: a receive; FD_ACCEPT: accept;
 * FD_WRITE: a send that failed with WSAEWOULDBLOCK; FD_CONNECT and FD_CLOSE
 * never come back); the call that re-enables it records it again at once
 * if the condition still holds. The socket is made non-blocking.
 *
 * A TCP socket that is neither listening nor connecting when selected can
 * start either later (listen is the C library's call); such sockets are
 * looked at again every IDLE_MS, and at once when connect is called here.
 */
#include "netevents.h"
#include "error.h"
#include "platform.h"
#include "socket.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define IDLE_MS 10
#define BUCKETS 256

enum sel_state {
    SEL_IDLE,        /* TCP, neither listening nor connecting (yet) */
    SEL_CONNECTING,
    SEL_LISTENING,
    SEL_CONNECTED,   /* a TCP connection, or any datagram socket */
    SEL_DONE,        /* connect failed: nothing more to report */
};

struct selection {
    struct selection *next;
    int fd;
    bool stream;
    enum sel_state state;
    WSAEVENT event;
    long mask;       /* the events asked for */
    long enabled;    /* not recorded since their re-enabling call */
    long recorded;   /* waiting for WSAEnumNetworkEvents */
    int errors[FD_MAX_EVENTS];
};

atomic_int netevents_selected_count;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct selection *buckets[BUCKETS];
static int idle_count;
static int epfd = -1, wakefd = -1;
static pthread_once_t start_once = PTHREAD_ONCE_INIT;

static struct selection **find(int fd)
{
    struct selection **p = &buckets[(unsigned)fd % BUCKETS];
    while (*p != NULL && (*p)->fd != fd)
        p = &(*p)->next;
    return p;
}

static void wake_thread(void)
{
    uint64_t one = 1;
    ssize_t n = write(wakefd, &one, sizeof(one));
    (void)n;
}

static void record(struct selection *sel, int bit, int error)
{
    long event = 1L << bit;
    sel->enabled &= ~event;
    if (!(sel->mask & event))
        return;
    sel->recorded |= event;
    sel->errors[bit] = error;
}

static int take_socket_error(int fd)
{
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        return 0;
    return err != 0 ? (int)status_socket_error(err) : 0;
}

static void set_idle(struct selection *sel, bool idle)
{
    if (idle == (sel->state == SEL_IDLE))
        return;
    idle_count += idle ? 1 : -1;
    if (idle)
        wake_thread();   /* its wait must now time out */
}

/* Moves the selection along the socket's TCP state. */
static void follow_tcp_state(struct selection *sel)
{
    int state = sock_tcp_state(sel->fd);
    enum sel_state next = sel->state;
    switch (state) {
    case TCP_LISTEN:
        next = SEL_LISTENING;
        break;
    case TCP_SYN_SENT:
        next = SEL_CONNECTING;
        break;
    case TCP_CLOSE:
        if (sel->state == SEL_CONNECTING) {
            int err = take_socket_error(sel->fd);
            record(sel, FD_CONNECT_BIT, err != 0 ? err : WSAECONNREFUSED);
            next = SEL_DONE;
        }
        break;
    case -1:
        break;
    default:   /* established, or past it */
        if (sel->state == SEL_IDLE || sel->state == SEL_CONNECTING) {
            record(sel, FD_CONNECT_BIT, 0);
            next = SEL_CONNECTED;
        }
        break;
    }
    set_idle(sel, next == SEL_IDLE);
    sel->state = next;
}

/* Looks at the socket now, records what holds, arms for what does not.
 * Called with the lock held. */
static void examine(struct selection *sel)
{
    long before = sel->recorded;
    if (sel->stream && sel->state != SEL_CONNECTED && sel->state != SEL_DONE)
        follow_tcp_state(sel);
    uint32_t arm = 0;
    struct pollfd p = { sel->fd, POLLIN | POLLOUT | POLLPRI | POLLRDHUP, 0 };
    if (sel->state != SEL_IDLE && sel->state != SEL_DONE && poll(&p, 1, 0) >= 0) {
        short r = p.revents;
        bool dead = (r & (POLLERR | POLLHUP | POLLNVAL)) != 0;
        if (sel->state == SEL_LISTENING) {
            if (r & POLLIN) {
                if (sel->enabled & FD_ACCEPT)
                    record(sel, FD_ACCEPT_BIT, 0);
            } else if (sel->enabled & FD_ACCEPT) {
                arm |= EPOLLIN;
            }
        } else if (sel->state == SEL_CONNECTING) {
            arm |= EPOLLOUT;
        } else {
            int pending = 0;
            if ((r & POLLIN) && ioctl(sel->fd, FIONREAD, &pending) != 0)
                pending = 0;
            bool readable = pending > 0 || (!sel->stream && (r & POLLIN));
            if (readable) {
                if (sel->enabled & FD_READ)
                    record(sel, FD_READ_BIT, 0);
            } else if (sel->enabled & FD_READ) {
                arm |= EPOLLIN;
            }
            if (r & POLLPRI) {
                if (sel->enabled & FD_OOB)
                    record(sel, FD_OOB_BIT, 0);
            } else if (sel->enabled & FD_OOB) {
                arm |= EPOLLPRI;
            }
            if (r & POLLOUT) {
                if (sel->enabled & FD_WRITE)
                    record(sel, FD_WRITE_BIT, 0);
            } else if (sel->enabled & FD_WRITE) {
                arm |= EPOLLOUT;
            }
            if (sel->stream && (sel->enabled & FD_CLOSE)) {
                if (r & (POLLRDHUP | POLLHUP)) {
                    /* A reset leaves TCP_CLOSE; a peer's FIN CLOSE_WAIT. The
                     * pending error is left for the receive to report. */
                    int state = sock_tcp_state(sel->fd);
                    record(sel, FD_CLOSE_BIT, state == TCP_CLOSE ? WSAECONNRESET : 0);
                } else {
                    arm |= EPOLLRDHUP;
                }
            }
        }
        if (dead)
            arm = 0;   /* would wake at once, for ever; the re-enabling calls look again */
    }
    if (arm != 0) {
        struct epoll_event ev = { .events = arm | EPOLLONESHOT, .data.fd = sel->fd };
        if (epoll_ctl(epfd, EPOLL_CTL_MOD, sel->fd, &ev) != 0 && errno == ENOENT)
            (void)epoll_ctl(epfd, EPOLL_CTL_ADD, sel->fd, &ev);
    }
    if (sel->recorded & ~before)
        SetEvent(sel->event);
}

static void *watch(void *arg)
{
    (void)arg;
    struct epoll_event evs[64];
    for (;;) {
        pthread_mutex_lock(&lock);
        int timeout = idle_count > 0 ? IDLE_MS : -1;
        pthread_mutex_unlock(&lock);
        int n = epoll_wait(epfd, evs, 64, timeout);
        pthread_mutex_lock(&lock);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == wakefd) {
                uint64_t v;
                ssize_t r = read(wakefd, &v, sizeof(v));
                (void)r;
                continue;
            }
            struct selection *sel = *find(fd);
            if (sel != NULL)
                examine(sel);
        }
        if (idle_count > 0)
            for (int b = 0; b < BUCKETS; b++)
                for (struct selection *sel = buckets[b]; sel != NULL; sel = sel->next)
                    if (sel->state == SEL_IDLE)
                        examine(sel);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static bool started;

static void start(void)
{
    epfd = epoll_create1(EPOLL_CLOEXEC);
    wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epfd < 0 || wakefd < 0)
        return;
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = wakefd };
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, wakefd, &ev) != 0)
        return;
    started = os_thread_start_detached(watch, NULL, NULL) == 0;
}

static void drop(struct selection **slot)
{
    struct selection *sel = *slot;
    *slot = sel->next;
    set_idle(sel, false);
    (void)epoll_ctl(epfd, EPOLL_CTL_DEL, sel->fd, NULL);
    free(sel);
    atomic_fetch_sub_explicit(&netevents_selected_count, 1, memory_order_relaxed);
}

static bool valid_event(WSAEVENT event)
{
    return event != NULL && WaitForSingleObject(event, 0) != WAIT_FAILED;
}

/* Makes or replaces fd's selection; lock held. */
static int select_locked(int fd, bool stream, WSAEVENT event, long mask)
{
    struct selection **slot = find(fd);
    struct selection *sel = *slot;
    if (sel == NULL) {
        sel = calloc(1, sizeof(*sel));
        if (sel == NULL) {
            error_set(WSAENOBUFS);
            return SOCKET_ERROR;
        }
        sel->fd = fd;
        sel->stream = stream;
        sel->state = stream ? SEL_IDLE : SEL_CONNECTED;
        if (stream) {
            int state = sock_tcp_state(fd);
            if (state == TCP_LISTEN)
                sel->state = SEL_LISTENING;
            else if (state == TCP_SYN_SENT)
                sel->state = SEL_CONNECTING;
            else if (state != TCP_CLOSE && state != -1)
                sel->state = SEL_CONNECTED;   /* connected before: no FD_CONNECT */
        }
        if (sel->state == SEL_IDLE)
            idle_count++;
        *slot = sel;
        atomic_fetch_add_explicit(&netevents_selected_count, 1, memory_order_relaxed);
        if (sel->state == SEL_IDLE)
            wake_thread();
    }
    sel->event = event;
    sel->mask = mask & FD_ALL_EVENTS;
    sel->enabled = FD_ALL_EVENTS;
    sel->recorded &= sel->mask;
    examine(sel);
    return 0;
}

int WSAAPI WSAEventSelect(SOCKET so, WSAEVENT event, long mask)
{
    struct sock *s = sock_for_call(so);
    if (s == NULL)
        return SOCKET_ERROR;
    int fd = s->fd;
    bool stream = s->stream;
    sock_release(s);
    if (mask != 0 && !valid_event(event)) {
        error_set(WSAEINVAL);
        return SOCKET_ERROR;
    }
    pthread_once(&start_once, start);
    if (!started) {
        error_set(WSAENOBUFS);
        return SOCKET_ERROR;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
        return error_socket_errno(errno);
    pthread_mutex_lock(&lock);
    int rc = 0;
    if (mask == 0) {
        struct selection **slot = find(fd);
        if (*slot != NULL)
            drop(slot);
    } else {
        rc = select_locked(fd, stream, event, mask);
    }
    pthread_mutex_unlock(&lock);
    if (rc == 0)
        error_set(0);
    return rc;
}

int WSAAPI WSAEnumNetworkEvents(SOCKET so, WSAEVENT event, LPWSANETWORKEVENTS out)
{
    struct sock *s = sock_for_call(so);
    if (s == NULL)
        return SOCKET_ERROR;
    int fd = s->fd;
    sock_release(s);
    if (out == NULL) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    if (event != NULL && !valid_event(event)) {
        error_set(WSAEINVAL);
        return SOCKET_ERROR;
    }
    memset(out, 0, sizeof(*out));
    pthread_mutex_lock(&lock);
    struct selection *sel = netevents_any() ? *find(fd) : NULL;
    if (sel != NULL) {
        out->lNetworkEvents = (LONG)sel->recorded;
        for (int bit = 0; bit < FD_MAX_EVENTS; bit++)
            if (sel->recorded & (1L << bit))
                out->iErrorCode[bit] = sel->errors[bit];
        sel->recorded = 0;
    }
    /* Reset under the lock, so an event recorded meanwhile sets it again. */
    if (event != NULL)
        ResetEvent(event);
    pthread_mutex_unlock(&lock);
    error_set(0);
    return 0;
}

void netevents_reenable(int fd, long mask)
{
    int saved = errno;   /* the caller's result is reported after this */
    pthread_mutex_lock(&lock);
    struct selection *sel = *find(fd);
    if (sel != NULL) {
        sel->enabled |= mask;
        examine(sel);
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
}

void netevents_kick(int fd)
{
    int saved = errno;   /* the caller's result is reported after this */
    pthread_mutex_lock(&lock);
    struct selection *sel = *find(fd);
    if (sel != NULL) {
        /* A refused connect may be over before anyone saw it start. */
        if (sel->stream && sel->state == SEL_IDLE) {
            set_idle(sel, false);
            sel->state = SEL_CONNECTING;
        }
        examine(sel);
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
}

void netevents_inherit(int listener, int fd)
{
    int saved = errno;   /* the caller's result is reported after this */
    pthread_mutex_lock(&lock);
    struct selection *sel = *find(listener);
    if (sel != NULL) {
        int flags = fcntl(fd, F_GETFL);
        if (flags >= 0)
            (void)fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        (void)select_locked(fd, true, sel->event, sel->mask);
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
}

void netevents_forget(int fd)
{
    int saved = errno;   /* the caller's result is reported after this */
    pthread_mutex_lock(&lock);
    struct selection **slot = find(fd);
    if (*slot != NULL)
        drop(slot);
    pthread_mutex_unlock(&lock);
    errno = saved;
}

bool netevents_is_selected(int fd)
{
    if (!netevents_any())
        return false;
    pthread_mutex_lock(&lock);
    bool selected = *find(fd) != NULL;
    pthread_mutex_unlock(&lock);
    return selected;
}
