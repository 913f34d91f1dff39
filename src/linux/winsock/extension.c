#include "extension.h"
#include "completion.h"
#include "engine.h"
#include "error.h"
#include "op.h"
#include "socket.h"

#include <errno.h>
#include <fcntl.h>
#include <mswsock.h>
#include <string.h>
#include <unistd.h>

/*
 * AcceptEx's address blocks follow the received data: the local block, then
 * the remote block. Only GetAcceptExSockaddrs reads them, so the layout is
 * ours: each holds the sockaddr at its first 4-byte aligned byte (the
 * family tells its length). A block of sizeof(SOCKADDR_IN) + 16 bytes, the
 * least Windows fills, then still holds an IPv6 address. Windows takes
 * smaller blocks too: the AcceptEx pends and, when a connection comes,
 * fails with ERROR_INSUFFICIENT_BUFFER, leaving the connection queued. A
 * local block of 0 bytes is allowed: the local address is then not given.
 */
#define MIN_ADDRESS_BLOCK (sizeof(struct sockaddr_in) + 16)

/* A block keeps the address alone, not the length the kernel reported: an
 * address of another family than IPv4 or IPv6 (or none, family 0) is given
 * sockaddr_in's size. */
#define UNKNOWN_BLOCK_LENGTH ((socklen_t)sizeof(struct sockaddr_in))

static struct sockaddr *block_address(char *block)
{
    return (struct sockaddr *)(((uintptr_t)block + 3) & ~(uintptr_t)3);
}

typedef int (*name_call)(int, struct sockaddr *, socklen_t *);

/* Writes the address alone, never the rest of the block: programs state
 * blocks larger than their buffer, which Windows tolerates because it too
 * writes only the address (spec A5). */
static void write_block(char *block, DWORD size, int fd, name_call call)
{
    struct sockaddr *sa = block_address(block);
    socklen_t room = (socklen_t)(size - (DWORD)((char *)sa - block));
    struct sockaddr_storage name;
    socklen_t len = sizeof(name);
    if (call(fd, (struct sockaddr *)&name, &len) != 0) {
        memset(&name, 0, sizeof(struct sockaddr_in));   /* no address: family 0 */
        len = sizeof(struct sockaddr_in);
    }
    memcpy(sa, &name, len < room ? len : room);
}

/* Asks call (getsockname, getpeername) for fd's address, leaving errno alone. */
static bool has_name(int fd, name_call call, struct sockaddr_storage *name)
{
    socklen_t len = sizeof(*name);
    int saved = errno;
    int rc = call(fd, (struct sockaddr *)name, &len);
    errno = saved;
    return rc == 0;
}

/* Whether a socket has a local address (Linux names an unbound one 0.0.0.0:0). */
static bool is_bound(int fd)
{
    struct sockaddr_storage name;
    if (!has_name(fd, getsockname, &name))
        return false;
    if (name.ss_family == AF_INET)
        return ((struct sockaddr_in *)&name)->sin_port != 0;
    if (name.ss_family == AF_INET6)
        return ((struct sockaddr_in6 *)&name)->sin6_port != 0;
    return true;
}

static bool is_connected(int fd)
{
    struct sockaddr_storage name;
    return has_name(fd, getpeername, &name);
}

static bool is_listening(int fd)
{
    int on = 0;
    socklen_t len = sizeof(on);
    int saved = errno;
    int rc = getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len);
    errno = saved;
    return rc == 0 && on != 0;
}

/* The kernel accepted conn: it becomes the caller's accept socket, under
 * the SOCKET value the caller created. */
static bool accept_step(struct op *op, int *res)
{
    int conn = *res;
    struct sock *t = op->x->accept.target;
    lock_acquire(&t->lock);
    if (t->closed) {
        lock_release(&t->lock);
        close(conn);
        op->cancel = CANCEL_USER;
        *res = -ECANCELED;
        return false;
    }
    int saved = errno;
    sock_forget_fd(t);
    if (dup3(conn, t->fd, O_CLOEXEC) < 0) {
        int err = errno;
        errno = saved;
        lock_release(&t->lock);
        close(conn);
        *res = -err;
        return false;
    }
    close(conn);
    errno = saved;
    t->stream = true;
    t->reset = false;
    t->accepted = true;
    char *local = op->x->accept.buffer + op->x->accept.data_len;
    char *remote = local + op->x->accept.local_len;
    if (op->x->accept.local_len > 0)
        write_block(local, op->x->accept.local_len, t->fd, getsockname);
    write_block(remote, op->x->accept.remote_len, t->fd, getpeername);
    lock_release(&t->lock);

    if (op->x->accept.data_len == 0) {
        *res = 0;
        return false;
    }
    /* AcceptEx with a receive buffer completes with the first data. */
    op->req.kind = REQ_RECV;
    op->req.fd = t->fd;
    op->req.buf.iov_base = op->x->accept.buffer;
    op->req.buf.iov_len = op->x->accept.data_len;
    op->total = op->x->accept.data_len;
    op->req.flags = 0;
    return true;
}

/* The connection is made (or the wait for it ended): send ConnectEx's buffer. */
static bool connect_step(struct op *op, int *res)
{
    if (op->req.kind == REQ_SEND)
        return false;   /* the buffer went out whole */
    if (op->req.kind == REQ_POLL_OUT) {
        int err = op_socket_error(op->req.fd);
        if (err != 0) {
            *res = -err;
            return false;
        }
    }
    if (op->x->connect.len == 0) {
        *res = 0;
        return false;
    }
    op->req.kind = REQ_SEND;
    op->req.buf.iov_base = op->x->connect.buffer;
    op->req.buf.iov_len = op->x->connect.len;
    op->total = op->x->connect.len;
    op->done = 0;
    op->req.flags = MSG_NOSIGNAL | MSG_WAITALL;
    return true;
}

bool extension_next_step(struct op *op, int *res)
{
    switch (op->ext) {
    case EXT_ACCEPTEX:
        if (op->req.kind == REQ_POLL_IN) {
            *res = -EOVERFLOW;   /* a connection came for blocks too small to take it */
            return false;
        }
        return op->req.kind == REQ_ACCEPT && accept_step(op, res);
    case EXT_CONNECTEX:
        return connect_step(op, res);
    default:
        return false;
    }
}

void extension_accept_finished(struct op *op)
{
    struct sock *t = op->x->accept.target;
    lock_acquire(&t->lock);
    if (t->accepting == op)
        t->accepting = NULL;
    lock_release(&t->lock);
}

void extension_cancel_accept(struct sock *listener, struct op *op, struct sock *target)
{
    lock_acquire(&listener->lock);
    for (struct op *it = listener->otherq.head; it != NULL; it = it->next) {
        if (it != op || it->x->accept.target != target)
            continue;
        /* Before the connection arrives the wait is cancelled; after it, the
         * close aborts the connection the AcceptEx was filling. */
        if (it->engine != NULL && it->cancel == CANCEL_NONE) {
            it->cancel = it->req.kind == REQ_ACCEPT ? CANCEL_USER : CANCEL_ABORT;
            it->engine->vt->cancel(it->engine, &it->req);
        }
        break;
    }
    lock_release(&listener->lock);
}

static BOOL fail(struct sock *a, struct sock *b, DWORD code)
{
    if (a != NULL)
        sock_release(a);
    if (b != NULL)
        sock_release(b);
    error_set(code);
    return FALSE;
}

/* Queues op on s's otherq and starts it; the call then reports pending. */
static BOOL start_pending(struct sock *s, struct op *op, LPOVERLAPPED ovl)
{
    completion_mark_pending(ovl);
    opq_push(&s->otherq, op);
    sock_restart(s, op);
    lock_release(&s->lock);
    sock_release(s);
    error_set(ERROR_IO_PENDING);
    return FALSE;
}

BOOL PASCAL AcceptEx(SOCKET listen_socket, SOCKET accept_socket, PVOID buffer, DWORD data_len,
                     DWORD local_len, DWORD remote_len, LPDWORD bytes, LPOVERLAPPED ovl)
{
    (void)bytes;   /* AcceptEx always pends here; the count arrives in the packet */
    /* Windows marks the OVERLAPPED pending before it looks at anything else. */
    if (ovl != NULL)
        completion_mark_entered(ovl);
    struct sock *l = sock_for_call(listen_socket);
    if (l == NULL)
        return FALSE;
    struct sock *t = sock_get(accept_socket, true);
    if (t == NULL)
        return fail(l, NULL, WSAENOTSOCK);
    if (ovl == NULL)
        return fail(l, t, ERROR_INVALID_PARAMETER);
    if (buffer == NULL || remote_len == 0)
        return fail(l, t, WSAEFAULT);
    if (!l->stream || !is_listening(l->fd))
        return fail(l, t, WSAEINVAL);
    if (!t->stream || is_bound(t->fd) || is_connected(t->fd))
        return fail(l, t, WSAEINVAL);

    bool blocks_fit = (local_len == 0 || local_len >= MIN_ADDRESS_BLOCK) && remote_len >= MIN_ADDRESS_BLOCK;
    struct op *op = op_alloc(l, blocks_fit ? REQ_ACCEPT : REQ_POLL_IN, ovl);
    if (op == NULL)
        return fail(l, t, WSAENOBUFS);
    if (!op_set_ext(op, EXT_ACCEPTEX)) {
        op_free(op);
        return fail(l, t, WSAENOBUFS);
    }
    op->x->accept.target = t;   /* the op keeps this reference */
    op->x->accept.buffer = buffer;
    op->x->accept.data_len = data_len;
    op->x->accept.local_len = local_len;
    op->x->accept.remote_len = remote_len;

    lock_acquire(&l->lock);
    lock_acquire(&t->lock);
    bool taken = t->accepting != NULL || t->closed;
    if (!taken)
        t->accepting = op;
    lock_release(&t->lock);
    if (taken || l->closed) {
        lock_release(&l->lock);
        op_free(op);
        return fail(l, NULL, WSAEINVAL);
    }
    return start_pending(l, op, ovl);
}

void PASCAL GetAcceptExSockaddrs(PVOID buffer, DWORD data_len, DWORD local_len, DWORD remote_len,
                                 struct sockaddr **local, LPINT local_size,
                                 struct sockaddr **remote, LPINT remote_size)
{
    char *local_block = (char *)buffer + data_len;
    char *remote_block = local_block + local_len;
    (void)remote_len;
    if (local != NULL && local_len > 0) {
        *local = block_address(local_block);
        if (local_size != NULL)
            *local_size = sockaddr_length(*local, UNKNOWN_BLOCK_LENGTH);
    }
    if (remote != NULL) {
        *remote = block_address(remote_block);
        if (remote_size != NULL)
            *remote_size = sockaddr_length(*remote, UNKNOWN_BLOCK_LENGTH);
    }
}

static BOOL PASCAL connect_ex(SOCKET so, const struct sockaddr *name, int namelen, PVOID buffer,
                              DWORD len, LPDWORD sent, LPOVERLAPPED ovl)
{
    (void)sent;   /* ConnectEx always pends here; the count arrives in the packet */
    struct sock *s = sock_for_call(so);
    if (s == NULL)
        return FALSE;
    if (ovl == NULL)
        return fail(s, NULL, ERROR_INVALID_PARAMETER);
    /* Windows marks the OVERLAPPED pending before it looks at the rest. */
    completion_mark_entered(ovl);
    if (name == NULL || namelen < (int)sizeof(struct sockaddr_in) ||
        (len > 0 && buffer == NULL))
        return fail(s, NULL, WSAEFAULT);
    if (!s->stream || is_listening(s->fd))
        return fail(s, NULL, WSAEINVAL);
    if (is_connected(s->fd))
        return fail(s, NULL, WSAEISCONN);
    if (!is_bound(s->fd))
        return fail(s, NULL, WSAEINVAL);   /* ConnectEx needs a bound socket */

    struct op *op = op_alloc(s, REQ_CONNECT, ovl);
    if (op == NULL)
        return fail(s, NULL, WSAENOBUFS);
    if (!op_set_ext(op, EXT_CONNECTEX)) {
        op_free(op);
        return fail(s, NULL, WSAENOBUFS);
    }
    socklen_t addrlen = (socklen_t)namelen;
    if (addrlen > sizeof(op->x->connect.addr))
        addrlen = sizeof(op->x->connect.addr);
    memcpy(&op->x->connect.addr, name, addrlen);
    op->x->connect.addrlen = addrlen;
    op->req.to.addr = (const struct sockaddr *)&op->x->connect.addr;
    op->req.to.addrlen = addrlen;
    op->x->connect.buffer = buffer;
    op->x->connect.len = len;

    lock_acquire(&s->lock);
    for (struct op *it = s->otherq.head; it != NULL; it = it->next) {
        if (it->ext == EXT_CONNECTEX) {
            lock_release(&s->lock);
            op_free(op);
            return fail(s, NULL, WSAEALREADY);
        }
    }
    return start_pending(s, op, ovl);
}

/*
 * TF_REUSE_SOCKET: a fresh socket like s's goes under s's descriptor. An
 * accepted socket comes back unbound, ready for AcceptEx; a connecting one
 * stays bound to its address, ready for ConnectEx, as Windows leaves it.
 * Binding the address the old connection still holds while it closes needs
 * SO_REUSEADDR on both.
 */
static int renew(struct sock *s)
{
    struct sockaddr_storage name;
    socklen_t len = sizeof(name);
    int protocol = 0, on = 1;
    socklen_t optlen = sizeof(protocol);
    if (getsockname(s->fd, (struct sockaddr *)&name, &len) != 0 ||
        getsockopt(s->fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &optlen) != 0)
        return errno;
    if (!s->accepted)
        setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    int fresh = socket(name.ss_family, SOCK_STREAM | SOCK_CLOEXEC, protocol);
    if (fresh < 0)
        return errno;
    if (!s->accepted &&
        (setsockopt(fresh, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
         bind(fresh, (struct sockaddr *)&name, len) != 0)) {
        int err = errno;
        close(fresh);
        return err;
    }
    int err = dup3(fresh, s->fd, O_CLOEXEC) < 0 ? errno : 0;
    close(fresh);
    s->accepted = false;
    return err;
}

static BOOL PASCAL disconnect_ex(SOCKET so, LPOVERLAPPED ovl, DWORD flags, DWORD reserved)
{
    struct sock *s = sock_for_call(so);
    if (s == NULL)
        return FALSE;
    if (reserved != 0 || (flags & ~(DWORD)TF_REUSE_SOCKET) != 0)
        return fail(s, NULL, WSAEINVAL);
    if (!is_connected(s->fd))
        return fail(s, NULL, WSAENOTCONN);

    lock_acquire(&s->lock);
    int saved = errno;
    if ((flags & TF_REUSE_SOCKET) && !s->accepted) {
        int on = 1;
        setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    }
    int err = shutdown(s->fd, SHUT_WR) != 0 ? errno : 0;
    if (err == 0 && (flags & TF_REUSE_SOCKET)) {
        /* Whatever is still pending belongs to the old connection. */
        sock_cancel(s, NULL, false, CANCEL_ABORT);
        sock_forget_fd(s);
        err = renew(s);
        s->reset = false;
    }
    errno = saved;
    if (err != 0) {
        lock_release(&s->lock);
        return fail(s, NULL, status_socket_error(err));
    }
    if (ovl == NULL) {
        lock_release(&s->lock);
        sock_release(s);
        error_set(0);
        return TRUE;
    }
    struct op *op = op_alloc(s, REQ_SEND, ovl);
    if (op == NULL) {
        lock_release(&s->lock);
        return fail(s, NULL, WSAENOBUFS);
    }
    /* Reported as pending, so the packet is queued even with skip-on-success. */
    op_finish_now(op, STATUS_SUCCESS, 0, false);
    lock_release(&s->lock);
    sock_release(s);
    error_set(ERROR_IO_PENDING);
    return FALSE;
}

SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC condition,
                        DWORD_PTR data)
{
    struct sockaddr_storage peer;
    int peerlen = (int)sizeof(peer);
    if (addr != NULL && (addrlen == NULL || *addrlen < (int)sizeof(struct sockaddr_in))) {
        error_set(WSAEFAULT);
        return INVALID_SOCKET;
    }
    SOCKET conn = iocpcompat_accept(s, (struct sockaddr *)&peer, &peerlen);
    if (conn == INVALID_SOCKET)
        return INVALID_SOCKET;
    if (condition != NULL) {
        WSABUF caller = { (ULONG)peerlen, (char *)&peer };
        WSABUF callee = { 0, NULL };
        GROUP group = 0;
        int verdict = condition(&caller, NULL, NULL, NULL, &callee, NULL, &group, data);
        if (verdict != CF_ACCEPT) {
            close((int)conn);
            error_set(verdict == CF_DEFER ? (DWORD)WSATRY_AGAIN : (DWORD)WSAECONNREFUSED);
            return INVALID_SOCKET;
        }
    }
    if (addr != NULL) {
        if (*addrlen < peerlen) {
            close((int)conn);
            error_set(WSAEFAULT);
            return INVALID_SOCKET;
        }
        memcpy(addr, &peer, (size_t)peerlen);
        *addrlen = peerlen;
    }
    return conn;
}

void *extension_function(const GUID *guid)
{
    static const GUID acceptex = WSAID_ACCEPTEX;
    static const GUID sockaddrs = WSAID_GETACCEPTEXSOCKADDRS;
    static const GUID connectex = WSAID_CONNECTEX;
    static const GUID disconnectex = WSAID_DISCONNECTEX;
    if (memcmp(guid, &acceptex, sizeof(GUID)) == 0)
        return (void *)(LPFN_ACCEPTEX)AcceptEx;
    if (memcmp(guid, &sockaddrs, sizeof(GUID)) == 0)
        return (void *)(LPFN_GETACCEPTEXSOCKADDRS)GetAcceptExSockaddrs;
    if (memcmp(guid, &connectex, sizeof(GUID)) == 0)
        return (void *)(LPFN_CONNECTEX)connect_ex;
    if (memcmp(guid, &disconnectex, sizeof(GUID)) == 0)
        return (void *)(LPFN_DISCONNECTEX)disconnect_ex;
    return NULL;
}
