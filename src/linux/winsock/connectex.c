#include "extension_internal.h"

#include <string.h>

/* The connection is made (or the wait for it ended): send ConnectEx's buffer. */
bool connectex_step(struct op *op, int *res)
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

BOOL PASCAL extension_connect_ex(SOCKET so, const struct sockaddr *name, int namelen, PVOID buffer,
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
