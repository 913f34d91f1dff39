#include "socket.h"
#include "background.h"
#include "blocking.h"
#include "extension.h"
#include "file.h"
#include "engine.h"
#include "error.h"
#include "netevents.h"
#include "object.h"
#include "op.h"
#include "rio.h"

#include <errno.h>
#include <pthread.h>
#include <limits.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Socket records indexed by descriptor: a two-level table, so lookups need
 * no hashing, with striped locks that make "look up and take a reference"
 * atomic against closesocket removing the record.
 */
#define CHUNK_BITS 12
#define CHUNK_SIZE (1u << CHUNK_BITS)
#define MAX_CHUNKS 1024   /* descriptors below 4M */
#define STRIPES 64

static struct sock **_Atomic chunks[MAX_CHUNKS];
static pthread_mutex_t chunk_alloc_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stripes[STRIPES];
static pthread_once_t stripes_once = PTHREAD_ONCE_INIT;

static void stripes_init(void)
{
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&stripes[i], NULL);
}

static struct sock **slot_of(int fd, bool grow)
{
    unsigned c = (unsigned)fd >> CHUNK_BITS;
    if (c >= MAX_CHUNKS)
        return NULL;
    struct sock **chunk = atomic_load_explicit(&chunks[c], memory_order_acquire);
    if (chunk == NULL && grow) {
        pthread_mutex_lock(&chunk_alloc_lock);
        chunk = atomic_load_explicit(&chunks[c], memory_order_acquire);
        if (chunk == NULL) {
            chunk = calloc(CHUNK_SIZE, sizeof(*chunk));
            if (chunk != NULL)
                atomic_store_explicit(&chunks[c], chunk, memory_order_release);
        }
        pthread_mutex_unlock(&chunk_alloc_lock);
    }
    return chunk ? &chunk[(unsigned)fd & (CHUNK_SIZE - 1)] : NULL;
}

static pthread_mutex_t *stripe_of(int fd)
{
    pthread_once(&stripes_once, stripes_init);
    return &stripes[(unsigned)fd % STRIPES];
}

static struct sock *sock_new(int fd, int type)
{
    struct sock *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->fd = fd;
    atomic_init(&s->refs, 1);
    atomic_init(&s->fd_closed, false);
    atomic_init(&s->closing_ino, 0);
    lock_init(&s->lock);
    atomic_init(&s->completions, 0);
    s->stream = type == SOCK_STREAM;
    if (type == SOCK_DGRAM)
        sock_udp_connreset(fd, true);
    return s;
}

/*
 * SIO_UDP_CONNRESET. Windows reports an ICMP port unreachable that answers
 * a datagram as WSAECONNRESET on the socket's next receive, connected or
 * not, unless the ioctl turned that off. Linux tells unconnected sockets
 * only with IP_RECVERR (IPV6_RECVERR), which this sets as asked; a
 * connected one is always told. The errno is read where the receive fails
 * (sock_udp_unreachable).
 */
void sock_udp_connreset(int fd, bool on)
{
    int saved = errno;
    int v = on ? 1 : 0;
    (void)setsockopt(fd, IPPROTO_IP, IP_RECVERR, &v, sizeof(v));
    (void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &v, sizeof(v));
    errno = saved;
}

void sock_drain_errors(int fd)
{
    int saved = errno;
    char data[64], control[256];
    for (int i = 0; i < 64; i++) {
        struct iovec iov = { data, sizeof(data) };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
                            .msg_control = control, .msg_controllen = sizeof(control) };
        if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
            break;
    }
    errno = saved;
}

void sock_release(struct sock *s)
{
    if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (s->port != NULL)
        port_release(s->port);
    free(s);
}

/*
 * A closing socket's record stays in the table until its descriptor is
 * closed, so that a call racing closesocket finds it closed (WSAENOTSOCK)
 * instead of making a new record, without the port, for the descriptor
 * about to go. Once the descriptor is closed its number may come back for a
 * new socket, even before the record is marked: the record belongs to the
 * descriptor only while the descriptor still names the file it was closing.
 */
static bool belongs(struct sock *s, int fd)
{
    if (s == NULL || atomic_load_explicit(&s->fd_closed, memory_order_acquire))
        return false;
    unsigned ino = atomic_load_explicit(&s->closing_ino, memory_order_acquire);
    if (ino == 0)
        return true;
    /* The descriptor may be closed, and its number reused, on another thread
     * right now: telling those apart is the point of asking. The raw system
     * call keeps ThreadSanitizer's model of descriptors, which would call
     * this a race, to the accesses the library orders by locks. */
    struct stat st;
    int saved = errno;
    bool same = syscall(SYS_fstat, fd, &st) == 0 && (unsigned)st.st_ino == ino;
    errno = saved;
    return same;
}

bool sock_fd(SOCKET s, int *fd)
{
    if (s > (SOCKET)INT_MAX) {
        error_set(WSAENOTSOCK);
        return false;
    }
    *fd = (int)s;
    return true;
}

int sockaddr_length(const struct sockaddr *sa, socklen_t known)
{
    switch (sa->sa_family) {
    case AF_INET:
        return (int)sizeof(struct sockaddr_in);
    case AF_INET6:
        return (int)sizeof(struct sockaddr_in6);
    default:
        return (int)known;
    }
}

int sock_tcp_state(int fd)
{
    struct tcp_info info;
    socklen_t len = sizeof(info);
    int saved = errno;
    int rc = getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len);
    errno = saved;
    return rc == 0 ? info.tcpi_state : -1;
}

struct sock *sock_get(SOCKET so, bool create)
{
    int fd;
    if (!sock_fd(so, &fd))
        return NULL;
    pthread_mutex_t *stripe = stripe_of(fd);
    pthread_mutex_lock(stripe);
    struct sock **slot = slot_of(fd, false);
    struct sock *s = slot ? *slot : NULL;
    if (belongs(s, fd))
        atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
    else
        s = NULL;
    pthread_mutex_unlock(stripe);
    if (s != NULL || !create) {
        if (s == NULL)
            error_set(WSAENOTSOCK);
        return s;
    }

    int type = 0;
    socklen_t len = sizeof(type);
    int saved = errno;
    int rc = getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
    errno = saved;
    if (rc != 0) {
        error_set(WSAENOTSOCK);
        return NULL;
    }
    struct sock *fresh = sock_new(fd, type);
    slot = slot_of(fd, true);
    if (fresh == NULL || slot == NULL) {
        free(fresh);
        error_set(WSAENOBUFS);
        return NULL;
    }
    struct sock *stale = NULL;
    pthread_mutex_lock(stripe);
    s = *slot;
    if (!belongs(s, fd)) {
        stale = s;        /* its descriptor was closed: drop the table's reference */
        *slot = fresh;    /* the table's reference */
        s = fresh;
        fresh = NULL;
    }
    atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(stripe);
    if (fresh != NULL)
        sock_release(fresh);
    if (stale != NULL)
        sock_release(stale);
    return s;
}

struct sock *sock_for_call(SOCKET so)
{
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return NULL;
    }
    return sock_get(so, true);
}

struct sock *sock_from_handle(HANDLE h)
{
    struct sock *s = NULL;
    if (!handle_is_object(h) && h != INVALID_HANDLE_VALUE)
        s = sock_get((SOCKET)(uintptr_t)h, true);
    if (s == NULL)
        error_set(ERROR_INVALID_HANDLE);
    return s;
}

/* Takes s out of the table if it is still there, with the table's reference. */
static void sock_unlist(struct sock *s)
{
    pthread_mutex_t *stripe = stripe_of(s->fd);
    pthread_mutex_lock(stripe);
    struct sock **slot = slot_of(s->fd, false);
    bool listed = slot != NULL && *slot == s;
    if (listed)
        *slot = NULL;
    pthread_mutex_unlock(stripe);
    if (listed)
        sock_release(s);
}

void opq_push(struct opq *q, struct op *op)
{
    op->next = NULL;
    if (q->tail != NULL)
        q->tail->next = op;
    else
        q->head = op;
    q->tail = op;
}

struct op *opq_pop(struct opq *q)
{
    struct op *op = q->head;
    if (op != NULL) {
        q->head = op->next;
        if (q->head == NULL)
            q->tail = NULL;
    }
    return op;
}

void opq_remove(struct opq *q, struct op *op)
{
    struct op *prev = NULL;
    for (struct op *it = q->head; it != NULL; prev = it, it = it->next) {
        if (it != op)
            continue;
        if (prev != NULL)
            prev->next = op->next;
        else
            q->head = op->next;
        if (q->tail == op)
            q->tail = prev;
        return;
    }
}

struct opq *sock_queue_of(struct sock *s, struct op *op)
{
    if (!op_is_transfer(op))
        return &s->otherq;
    switch (op->req.kind) {
    case REQ_SEND:
        return &s->sendq;
    case REQ_RECV:
    case REQ_POLL_IN:
        return &s->recvq;
    default:
        return &s->otherq;
    }
}

bool opq_empty(const struct opq *q)
{
    return q->head == NULL;
}

struct engine *sock_engine(struct sock *s, const struct op *op, unsigned char *where)
{
    if (op->ext == EXT_RIO) {
        struct engine *e = rio_request_engine(op);
        if (e != NULL) {
            *where = IN_RIO_ENGINE;
            return e;
        }
    }
    *where = s->port != NULL ? IN_PORT_ENGINE : IN_BACKGROUND_ENGINE;
    return s->port != NULL ? port_engine(s->port) : background_engine();
}

void sock_forget_fd(struct sock *s)
{
    struct engine *e = background_engine();
    if (e != NULL)
        e->vt->fd_closing(e, s->fd);
    if (s->port != NULL && port_engine(s->port) != e)
        port_engine(s->port)->vt->fd_closing(port_engine(s->port), s->fd);
    if (s->registered_io)
        rio_sock_forget_fd(s);
}

/* Starts op in the kernel; false (op finished with the error) if it cannot. */
static bool start(struct sock *s, struct opq *q, struct op *op)
{
    unsigned char where;
    struct engine *e = sock_engine(s, op, &where);
    int rc = e ? e->vt->submit(e, &op->req) : -ENOMEM;
    if (rc == 0) {
        op->where = where;
        return true;
    }
    opq_remove(q, op);
    DWORD status, bytes;
    op_outcome(op, rc, &status, &bytes);
    op_finish_now(op, status, bytes, false);
    return false;
}

void sock_start_head(struct sock *s, struct opq *q)
{
    while (q->head != NULL && !start(s, q, q->head))
        ;
}

void sock_restart(struct sock *s, struct op *op)
{
    struct opq *q = sock_queue_of(s, op);
    if (q == &s->otherq)
        start(s, q, op);
    else
        sock_start_head(s, q);
}

/* Ends the operations of q that match (all when ovl is NULL; only the
 * calling thread's with mine): the one in the kernel is asked to cancel,
 * those still queued behind it finish now. Returns how many matched. */
/* Closing a socket aborts its connection's transfers (STATUS_CONNECTION_ABORTED)
 * but cancels what only waits for a connection (STATUS_CANCELLED). */
static enum op_cancel reason_for(const struct op *op, enum op_cancel why)
{
    if (why == CANCEL_ABORT && (op->ext != EXT_NONE || op->req.kind >= REQ_POLL_OUT))
        return CANCEL_USER;
    return why;
}

static unsigned cancel_queue(struct opq *q, LPOVERLAPPED ovl, bool mine, enum op_cancel why)
{
    unsigned matched = 0;
    uint32_t me = op_thread_id();
    struct opq keep = { NULL, NULL };
    struct op *op;
    while ((op = opq_pop(q)) != NULL) {
        bool match = (ovl == NULL || op->packet.ovl == ovl) && (!mine || op->issuer == me);
        struct engine *e = op_engine(op);
        if (!match || e != NULL) {
            if (match && op->cancel == CANCEL_NONE) {
                op->cancel = (unsigned char)reason_for(op, why);
                e->vt->cancel(e, &op->req);
            }
            matched += match;
            opq_push(&keep, op);
            continue;
        }
        matched++;
        DWORD status = reason_for(op, why) == CANCEL_ABORT ? STATUS_CONNECTION_ABORTED : STATUS_CANCELLED;
        op_finish_now(op, status, 0, false);
    }
    *q = keep;
    return matched;
}

unsigned sock_cancel(struct sock *s, LPOVERLAPPED ovl, bool mine, int why)
{
    return cancel_queue(&s->recvq, ovl, mine, why) + cancel_queue(&s->sendq, ovl, mine, why) +
           cancel_queue(&s->otherq, ovl, mine, why);
}

static BOOL cancel_io(HANDLE h, LPOVERLAPPED ovl, bool mine)
{
    struct file *f = file_find(h);
    if (f != NULL) {
        /* A file's transfers take the device's time, not a peer's: they are
         * left to finish, and a cancel finds them done, as one that comes
         * late does on Windows. */
        file_release(f);
        if (!mine) {
            error_set(ERROR_NOT_FOUND);
            return FALSE;
        }
        return TRUE;
    }
    struct sock *s = sock_from_handle(h);
    if (s == NULL)
        return FALSE;
    lock_acquire(&s->lock);
    unsigned matched = sock_cancel(s, ovl, mine, CANCEL_USER);
    lock_release(&s->lock);
    sock_release(s);
    if (matched == 0 && !mine) {
        error_set(ERROR_NOT_FOUND);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI CancelIoEx(HANDLE h, LPOVERLAPPED ovl) { return cancel_io(h, ovl, false); }
BOOL WINAPI CancelIo(HANDLE h) { return cancel_io(h, NULL, true); }

static atomic_int startups;

bool winsock_started(void)
{
    return atomic_load_explicit(&startups, memory_order_relaxed) > 0;
}

int WSAAPI WSAStartup(WORD version, LPWSADATA data)
{
    if (data == NULL)
        return WSAEFAULT;
    if (LOBYTE(version) < 1 || (LOBYTE(version) == 1 && HIBYTE(version) < 1)) {
        return WSAVERNOTSUPPORTED;
    }
    memset(data, 0, sizeof(*data));
    data->wVersion = LOBYTE(version) > 2 ? MAKEWORD(2, 2) : version;
    data->wHighVersion = MAKEWORD(2, 2);
    strcpy(data->szDescription, "iocpcompat");
    strcpy(data->szSystemStatus, "Running");
    if (atomic_fetch_add(&startups, 1) == 0) {
        int saved = errno;
        /* Windows servers hold tens of thousands of sockets; so may this process. */
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
        }
        /* A send on a broken connection is an error code on Windows, never a
         * signal; the plain send() calls of Windows code must not kill the
         * process. A handler the program installed itself is left alone. */
        struct sigaction sa;
        if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL) {
            sa.sa_handler = SIG_IGN;
            sigaction(SIGPIPE, &sa, NULL);
        }
        errno = saved;
    }
    return 0;
}

int WSAAPI WSACleanup(void)
{
    int n = atomic_load(&startups);
    while (n > 0 && !atomic_compare_exchange_weak(&startups, &n, n - 1))
        ;
    if (n <= 0) {
        error_set(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    return 0;
}

static SOCKET socket_create(int af, int type, int protocol, DWORD flags)
{
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return INVALID_SOCKET;
    }
    int fd = socket(af, type | SOCK_CLOEXEC, protocol);
    if (fd < 0) {
        error_socket_errno(errno);
        return INVALID_SOCKET;
    }
    struct sock *s = sock_get((SOCKET)fd, true);
    if (s == NULL) {
        close(fd);
        error_set(WSAENOBUFS);
        return INVALID_SOCKET;
    }
    if (flags & WSA_FLAG_REGISTERED_IO)
        s->registered_io = true;
    sock_release(s);
    return (SOCKET)fd;
}

SOCKET WSAAPI WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA info, GROUP g,
                         DWORD flags)
{
    (void)g;   /* every socket here can do overlapped I/O, whatever the flags say */
    if (info != NULL) {
        af = info->iAddressFamily;
        type = info->iSocketType;
        protocol = info->iProtocol;
    }
    return socket_create(af, type, protocol, flags);
}

SOCKET WSAAPI WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g,
                         DWORD flags)
{
    (void)g;
    if (info != NULL) {
        af = info->iAddressFamily;
        type = info->iSocketType;
        protocol = info->iProtocol;
    }
    return socket_create(af, type, protocol, flags);
}

int WSAAPI closesocket(SOCKET so)
{
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    int fd;
    if (!sock_fd(so, &fd))
        return SOCKET_ERROR;
    struct sock *s = sock_get(so, false);
    if (s != NULL) {
        lock_acquire(&s->lock);
        if (s->closed) {
            /* Closed already: the descriptor may belong to another socket now. */
            lock_release(&s->lock);
            sock_release(s);
            error_set(WSAENOTSOCK);
            return SOCKET_ERROR;
        }
        struct stat st;
        if (fstat(fd, &st) == 0)
            atomic_store_explicit(&s->closing_ino, (unsigned)st.st_ino, memory_order_release);
        s->closed = true;
        sock_cancel(s, NULL, false, CANCEL_ABORT);
        if (s->registered_io)
            rio_sock_closing(s);
        struct op *accepting = s->accepting;
        struct sock *listener = accepting ? accepting->sock : NULL;
        if (listener != NULL)
            atomic_fetch_add_explicit(&listener->refs, 1, memory_order_relaxed);
        sock_forget_fd(s);
        lock_release(&s->lock);
        if (listener != NULL) {
            extension_cancel_accept(listener, accepting, s);
            sock_release(listener);
        }
    }
    /* Operations still in the kernel hold their own reference to the open
     * file, so the descriptor can go now; their completions are routed by
     * record, not by this number, which the kernel may hand out again.
     * Threads blocked on it in accept, recv, select... end first (B1). */
    blocking_interrupt(fd);
    if (netevents_any())
        netevents_forget(fd);
    int rc = close(fd);
    int err = errno;
    if (s != NULL) {
        atomic_store_explicit(&s->fd_closed, true, memory_order_release);
        sock_unlist(s);
        sock_release(s);
    }
    if (rc != 0) {
        error_set(status_socket_error(err));
        return SOCKET_ERROR;
    }
    errno = 0;
    return 0;
}

/* TCP carries no disconnect data, so the buffers are not read (Windows'
 * own TCP ignores them too): what is left is shutdown. No packet (X5). */
static int disconnect_side(SOCKET so, int how)
{
    struct sock *s = sock_for_call(so);
    if (s == NULL)
        return SOCKET_ERROR;
    int rc = shutdown(s->fd, how) == 0 ? 0 : error_socket_errno(errno);
    sock_release(s);
    return rc;
}

int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData)
{
    (void)lpOutboundDisconnectData;
    return disconnect_side(s, SHUT_WR);
}

int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData)
{
    (void)lpInboundDisconnectData;
    return disconnect_side(s, SHUT_RD);
}

BOOL WINAPI SetFileCompletionNotificationModes(HANDLE h, UCHAR flags)
{
    if (flags & ~(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE)) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct file *f = file_find(h);
    if (f != NULL) {
        bool ok = file_set_notify_modes(f, flags);
        file_release(f);
        if (!ok)
            error_set(ERROR_INVALID_PARAMETER);
        return ok;
    }
    struct sock *s = sock_from_handle(h);
    if (s == NULL)
        return FALSE;
    lock_acquire(&s->lock);
    s->notify_modes |= flags;   /* modes cannot be turned off again */
    lock_release(&s->lock);
    sock_release(s);
    return TRUE;
}
