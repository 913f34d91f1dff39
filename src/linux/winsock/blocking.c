/*
 * The blocking Winsock calls, and how closesocket ends them (spec row B1);
 * a blocking send keeps its place among the socket's overlapped sends (B2).
 *
 * While a call may block in the kernel it is listed here, on its own stack.
 * closesocket interrupts the listed calls on the descriptor it closes with a
 * signal whose handler does nothing and is installed without SA_RESTART, so
 * the system call returns EINTR and the call reports WSAEINTR. The signal
 * can land just before the thread enters the kernel; closesocket therefore
 * repeats it until the call has left the list, and only then closes the
 * descriptor, whose number no late call may then reach. The kernel keeps
 * its own semantics meanwhile (blocking mode, SO_RCVTIMEO, MSG_WAITALL).
 */
#include <poll.h>   /* before the Winsock headers, which then leave its names alone */

#include "blocking.h"
#include "error.h"
#include "netevents.h"
#include "socket.h"

#include <errno.h>
#include <mswsock.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* How long closesocket keeps interrupting a call that does not leave (a
 * thread that blocks the signal): then the descriptor is closed anyway. */
#define INTERRUPT_ROUNDS   200
#define INTERRUPT_PAUSE_NS 500000L   /* between two rounds */

struct blocked_call {
    struct blocked_call *next, *prev;
    pthread_t thread;
    int fd;                   /* -1 for a poll, which watches a list */
    const struct blocking_pollfd *fds;
    unsigned nfds;
    bool interrupted;
};

static pthread_mutex_t calls_lock = PTHREAD_MUTEX_INITIALIZER;
static struct blocked_call *calls;
static atomic_int calls_listed;
static pthread_once_t signal_once = PTHREAD_ONCE_INIT;
static int interrupt_signal;   /* 0: none could be had, shutdown() wakes instead */

static void on_interrupt(int sig)
{
    (void)sig;
}

/* A real-time signal near the top of the range, which programs rarely
 * take; one the program handles itself is left to it. */
static void install_signal(void)
{
    int sig = SIGRTMAX - 2;
    struct sigaction sa;
    if (sigaction(sig, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL)
        return;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;   /* no SA_RESTART: the blocked system call must return */
    if (sigaction(sig, &sa, NULL) == 0)
        interrupt_signal = sig;
}

static void call_enter(struct blocked_call *c, int fd, const struct blocking_pollfd *fds,
                       unsigned nfds)
{
    int saved = errno;
    pthread_once(&signal_once, install_signal);
    c->thread = pthread_self();
    c->fd = fd;
    c->fds = fds;
    c->nfds = nfds;
    c->interrupted = false;
    c->prev = NULL;
    pthread_mutex_lock(&calls_lock);
    c->next = calls;
    if (calls != NULL)
        calls->prev = c;
    calls = c;
    atomic_fetch_add_explicit(&calls_listed, 1, memory_order_relaxed);
    pthread_mutex_unlock(&calls_lock);
    errno = saved;
}

/* Takes c off the list; true when closesocket interrupted it. */
static bool call_leave(struct blocked_call *c)
{
    int saved = errno;
    pthread_mutex_lock(&calls_lock);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        calls = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    atomic_fetch_sub_explicit(&calls_listed, 1, memory_order_relaxed);
    bool interrupted = c->interrupted;
    pthread_mutex_unlock(&calls_lock);
    errno = saved;
    return interrupted;
}

static bool watches(const struct blocked_call *c, int fd)
{
    if (c->fd >= 0)
        return c->fd == fd;
    for (unsigned i = 0; i < c->nfds; i++)
        if (c->fds[i].fd == fd)
            return true;
    return false;
}

void blocking_interrupt(int fd)
{
    if (atomic_load_explicit(&calls_listed, memory_order_relaxed) == 0)
        return;
    int saved = errno;
    for (int round = 0; round < INTERRUPT_ROUNDS; round++) {
        int left = 0;
        pthread_mutex_lock(&calls_lock);
        for (struct blocked_call *c = calls; c != NULL; c = c->next) {
            if (!watches(c, fd))
                continue;
            c->interrupted = true;
            left++;
            if (interrupt_signal != 0)
                pthread_kill(c->thread, interrupt_signal);
        }
        pthread_mutex_unlock(&calls_lock);
        if (left == 0)
            break;
        /* Without the signal (or where a thread blocks it), a shutdown of
         * the receiving side still wakes accept, recv and select. */
        if (interrupt_signal == 0 || round == 10)
            shutdown(fd, SHUT_RD);
        struct timespec pause = { 0, INTERRUPT_PAUSE_NS };
        nanosleep(&pause, NULL);
    }
    errno = saved;
}

/* The result of a blocking call: what the kernel returned, with the last
 * error cleared as Winsock clears it on success, or the Winsock error. A
 * call that closesocket ended fails with WSAEINTR, unless it got what it was
 * waiting for first (a result of at least `got`): a connection, data. A
 * shutdown that woke it makes recv return 0, select a count. */
static int finish(struct blocked_call *c, long n, int err, long got)
{
    bool interrupted = call_leave(c);
    if (interrupted && n < got)
        return error_socket_errno(EINTR);
    if (n < 0)
        return error_socket_errno(err);
    error_set(0);
    return (int)n;
}

SOCKET WSAAPI iocpcompat_accept(SOCKET s, struct sockaddr *addr, int *addrlen)
{
    int fd;
    if (!sock_fd(s, &fd))
        return INVALID_SOCKET;
    if (addr != NULL && (addrlen == NULL || *addrlen < (int)sizeof(struct sockaddr_in))) {
        error_set(WSAEFAULT);
        return INVALID_SOCKET;
    }
    socklen_t len = addrlen ? (socklen_t)*addrlen : 0;
    struct blocked_call c;
    call_enter(&c, fd, NULL, 0);
    int conn = accept4(fd, addr, addr ? &len : NULL, SOCK_CLOEXEC);
    int err = errno;
    if (netevents_any()) {
        if (conn >= 0)
            netevents_inherit(fd, conn);
        netevents_reenable(fd, FD_ACCEPT);
    }
    if (finish(&c, conn, err, 0) < 0)
        return INVALID_SOCKET;
    if (addr != NULL)
        *addrlen = (int)len;
    struct sock *listener = sock_get(s, false);
    bool registered_io = listener != NULL && listener->registered_io;
    if (listener != NULL)
        sock_release(listener);
    struct sock *rec = sock_get((SOCKET)conn, true);
    if (rec != NULL) {
        rec->accepted = true;   /* before anyone else can know the descriptor */
        rec->registered_io = registered_io;   /* a RIO listener's connections are RIO sockets */
        sock_release(rec);
    }
    return (SOCKET)conn;
}

/*
 * recvfrom failed with ECONNREFUSED. On a datagram socket that is an ICMP
 * port unreachable: Windows reports it as WSAECONNRESET, or, after
 * SIO_UDP_CONNRESET FALSE, not at all (the receive goes on). Returns the
 * receive's result, with *err its errno.
 */
static ssize_t datagram_unreachable(SOCKET so, int *err, int fd, char *buf, int len, int flags,
                                    struct sockaddr *from, socklen_t *alen)
{
    struct sock *s = sock_get(so, true);
    bool dgram = s != NULL && !s->stream;
    bool ignore = dgram && s->udp_connreset_off;
    if (s != NULL)
        sock_release(s);
    if (!dgram)
        return -1;
    ssize_t n = -1;
    do {
        sock_drain_errors(fd);
        *err = ECONNRESET;
        if (!ignore)
            return -1;
        n = recvfrom(fd, buf, (size_t)len, flags, from, from != NULL ? alen : NULL);
        *err = errno;
    } while (n < 0 && *err == ECONNREFUSED);
    return n;
}

int WSAAPI iocpcompat_recv(SOCKET s, char *buf, int len, int flags)
{
    int fd;
    if (!sock_fd(s, &fd))
        return SOCKET_ERROR;
    if (len < 0) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    struct blocked_call c;
    call_enter(&c, fd, NULL, 0);
    ssize_t n = recv(fd, buf, (size_t)len, flags);
    int err = errno;
    if (n < 0 && err == ECONNREFUSED)
        n = datagram_unreachable(s, &err, fd, buf, len, flags, NULL, NULL);
    netevents_after(fd, FD_READ | FD_OOB);
    return finish(&c, n, err, 1);
}

int WSAAPI iocpcompat_recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from,
                               int *fromlen)
{
    int fd;
    if (!sock_fd(s, &fd))
        return SOCKET_ERROR;
    if (len < 0 || (from != NULL && (fromlen == NULL || *fromlen < 0))) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    socklen_t alen = from != NULL ? (socklen_t)*fromlen : 0;
    struct blocked_call c;
    call_enter(&c, fd, NULL, 0);
    ssize_t n = recvfrom(fd, buf, (size_t)len, flags, from, from != NULL ? &alen : NULL);
    int err = errno;
    if (n < 0 && err == ECONNREFUSED)
        n = datagram_unreachable(s, &err, fd, buf, len, flags, from, &alen);
    netevents_after(fd, FD_READ | FD_OOB);
    int rc = finish(&c, n, err, 1);
    if (rc >= 0 && from != NULL) {
        if (alen > (socklen_t)*fromlen) {
            error_set(WSAEFAULT);   /* Windows does not truncate addresses */
            return SOCKET_ERROR;
        }
        *fromlen = (int)alen;
    }
    return rc;
}

/* A datagram longer than the buffer gives its first len bytes with
 * MSG_PARTIAL in *flags, where recv fails with WSAEMSGSIZE. */
int PASCAL WSARecvEx(SOCKET s, char *buf, int len, int *flags)
{
    int fd;
    if (!sock_fd(s, &fd))
        return SOCKET_ERROR;
    if (flags == NULL || len < 0) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    struct sock *rec = sock_get(s, true);
    if (rec == NULL)
        return SOCKET_ERROR;
    bool stream = rec->stream;
    sock_release(rec);
    int want = *flags & (MSG_OOB | MSG_PEEK);
    if (stream) {
        int n = iocpcompat_recv(s, buf, len, want);
        if (n >= 0)
            *flags = 0;
        return n;
    }
    struct blocked_call c;
    call_enter(&c, fd, NULL, 0);
    ssize_t n = recv(fd, buf, (size_t)len, want | MSG_TRUNC);
    int err = errno;
    netevents_after(fd, FD_READ | FD_OOB);
    int rc = finish(&c, n < 0 ? -1 : (n > len ? len : n), err, 1);
    if (rc >= 0)
        *flags = n > len ? MSG_PARTIAL : 0;
    return rc;
}

/* Whether a blocking send on s must queue behind its overlapped sends: s is
 * associated with a port (WSASends may be in flight) and in blocking mode. */
static bool send_queues(struct sock *s, int fd)
{
    lock_acquire(&s->lock);
    bool associated = s->port != NULL;
    lock_release(&s->lock);
    if (!associated)
        return false;
    int saved = errno;
    int fl = fcntl(fd, F_GETFL);
    errno = saved;
    return fl >= 0 && !(fl & O_NONBLOCK);
}

/*
 * Windows queues a blocking send behind the socket's overlapped sends, so
 * its bytes never land inside theirs (spec B2). On a socket whose WSASends
 * may be in flight the send therefore goes through the same FIFO, as an
 * overlapped send whose event handle has its low bit set (no packet, P8),
 * and waits; closesocket aborts it, and then the call fails with WSAEINTR.
 */
static int send_in_order(SOCKET so, struct sock *s, const char *buf, int len, int flags)
{
    OVERLAPPED ovl;
    memset(&ovl, 0, sizeof(ovl));
    ovl.hEvent = (HANDLE)(uintptr_t)1;
    WSABUF wb = { (ULONG)len, (char *)buf };
    DWORD sent = 0;
    if (WSASend(so, &wb, 1, &sent, (DWORD)flags, &ovl, NULL) == 0)
        return (int)sent;
    if (WSAGetLastError() != WSA_IO_PENDING)
        return SOCKET_ERROR;
    sock_wait_overlapped(s, &ovl);
    DWORD status = (DWORD)__atomic_load_n(&ovl.Internal, __ATOMIC_ACQUIRE);
    if (status == STATUS_SUCCESS) {
        error_set(0);   /* not WSASend's WSA_IO_PENDING */
        return (int)__atomic_load_n(&ovl.InternalHigh, __ATOMIC_RELAXED);
    }
    lock_acquire(&s->lock);
    bool closed = s->closed;
    lock_release(&s->lock);
    error_set(closed ? (DWORD)WSAEINTR : status_to_wsa(status));
    return SOCKET_ERROR;
}

int WSAAPI iocpcompat_send(SOCKET so, const char *buf, int len, int flags)
{
    int fd;
    if (!sock_fd(so, &fd))
        return SOCKET_ERROR;
    if (len < 0) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    /* A socket the library has no record of (made by socket()) is sent on
     * directly. */
    struct sock *s = sock_get(so, false);
    if (s != NULL && send_queues(s, fd)) {
        int rc = send_in_order(so, s, buf, len, flags);
        sock_release(s);
        return rc;
    }
    if (s != NULL)
        sock_release(s);
    struct blocked_call c;
    call_enter(&c, fd, NULL, 0);
    ssize_t n = send(fd, buf, (size_t)len, flags | MSG_NOSIGNAL);
    int err = errno;
    if (n < 0 && (err == EAGAIN || err == EWOULDBLOCK))
        netevents_after(fd, FD_WRITE);
    return finish(&c, n, err, 0);
}

int WSAAPI iocpcompat_connect(SOCKET s, const struct sockaddr *name, int namelen)
{
    int fd;
    if (!sock_fd(s, &fd))
        return SOCKET_ERROR;
    if (name == NULL || namelen < 0) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    struct blocked_call c;
    call_enter(&c, fd, NULL, 0);
    int rc = connect(fd, name, (socklen_t)namelen);
    int err = errno;
    if (netevents_any())
        netevents_kick(fd);
    return finish(&c, rc, err, 0);
}

/* TCP carries no connect data: data to send is refused as Windows' TCP
 * refuses it, none comes back, and QOS is not offered (ignored). */
int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller_data,
                      LPWSABUF callee_data, LPQOS sqos, LPQOS gqos)
{
    (void)sqos;
    (void)gqos;
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    if (caller_data != NULL && caller_data->len != 0) {
        error_set(WSAEOPNOTSUPP);
        return SOCKET_ERROR;
    }
    int rc = iocpcompat_connect(s, name, namelen);
    if (rc == 0 && callee_data != NULL)
        callee_data->len = 0;
    return rc;
}

_Static_assert(sizeof(struct blocking_pollfd) == sizeof(struct pollfd), "pollfd layout");
_Static_assert(offsetof(struct blocking_pollfd, revents) == offsetof(struct pollfd, revents),
               "pollfd layout");
_Static_assert(LINUX_POLLIN == POLLIN && LINUX_POLLPRI == POLLPRI && LINUX_POLLOUT == POLLOUT &&
                   LINUX_POLLERR == POLLERR && LINUX_POLLHUP == POLLHUP &&
                   LINUX_POLLNVAL == POLLNVAL && LINUX_POLLRDHUP == POLLRDHUP,
               "Linux poll flags");

int blocking_poll(struct blocking_pollfd *fds, unsigned n, int ms, bool *interrupted)
{
    struct blocked_call c;
    call_enter(&c, -1, fds, n);
    int rc = poll((struct pollfd *)fds, n, ms);
    int err = errno;
    *interrupted = call_leave(&c);
    errno = err;
    if (*interrupted) {   /* even if the poll saw something: the socket is gone */
        errno = EINTR;
        return -1;
    }
    return rc;
}
