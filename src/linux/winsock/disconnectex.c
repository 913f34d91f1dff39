#include "extension_internal.h"

#include <fcntl.h>
#include <mswsock.h>
#include <unistd.h>

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

BOOL PASCAL extension_disconnect_ex(SOCKET so, LPOVERLAPPED ovl, DWORD flags, DWORD reserved)
{
    return extension_disconnect(so, ovl, flags, reserved, 0);
}

BOOL extension_disconnect(SOCKET so, LPOVERLAPPED ovl, DWORD flags, DWORD reserved, DWORD bytes)
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
    op_finish_now(op, STATUS_SUCCESS, bytes, false);
    lock_release(&s->lock);
    sock_release(s);
    error_set(ERROR_IO_PENDING);
    return FALSE;
}
