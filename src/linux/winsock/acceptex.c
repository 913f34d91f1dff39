#include "extension.h"
#include "extension_internal.h"
#include "engine.h"

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

/* The kernel accepted conn: it becomes the caller's accept socket, under
 * the SOCKET value the caller created. */
bool acceptex_step(struct op *op, int *res)
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
    t->registered_io |= op->sock->registered_io;   /* a RIO listener's connections are RIO sockets */
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
        struct engine *e = op_engine(it);
        if (e != NULL && it->cancel == CANCEL_NONE) {
            it->cancel = it->req.kind == REQ_ACCEPT ? CANCEL_USER : CANCEL_ABORT;
            e->vt->cancel(e, &it->req);
        }
        break;
    }
    lock_release(&listener->lock);
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
