/*
 * What the files of the extension functions share: the steps and the
 * functions extension.c dispatches to and hands out, and the checks and
 * exits their calls have in common.
 */
#ifndef IOCPCOMPAT_EXTENSION_INTERNAL_H
#define IOCPCOMPAT_EXTENSION_INTERNAL_H

#include "completion.h"
#include "error.h"
#include "op.h"
#include "socket.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <winsock2.h>

/* The step after an AcceptEx's accept, and after a ConnectEx's connect or
 * send, as extension_next_step describes. Called with op->sock locked. */
bool acceptex_step(struct op *op, int *res);
bool connectex_step(struct op *op, int *res);

/* What WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) hands out for
 * WSAID_CONNECTEX and WSAID_DISCONNECTEX. */
BOOL PASCAL extension_connect_ex(SOCKET so, const struct sockaddr *name, int namelen,
                                 PVOID buffer, DWORD len, LPDWORD sent, LPOVERLAPPED ovl);
BOOL PASCAL extension_disconnect_ex(SOCKET so, LPOVERLAPPED ovl, DWORD flags, DWORD reserved);
/* DisconnectEx whose packet reports bytes (TransmitFile's, sent before). */
BOOL extension_disconnect(SOCKET so, LPOVERLAPPED ovl, DWORD flags, DWORD reserved, DWORD bytes);

typedef int (*name_call)(int, struct sockaddr *, socklen_t *);

/* Asks call (getsockname, getpeername) for fd's address, leaving errno alone. */
static inline bool has_name(int fd, name_call call, struct sockaddr_storage *name)
{
    socklen_t len = sizeof(*name);
    int saved = errno;
    int rc = call(fd, (struct sockaddr *)name, &len);
    errno = saved;
    return rc == 0;
}

/* Whether a socket has a local address (Linux names an unbound one 0.0.0.0:0). */
static inline bool is_bound(int fd)
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

static inline bool is_connected(int fd)
{
    struct sockaddr_storage name;
    return has_name(fd, getpeername, &name);
}

static inline bool is_listening(int fd)
{
    int on = 0;
    socklen_t len = sizeof(on);
    int saved = errno;
    int rc = getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len);
    errno = saved;
    return rc == 0 && on != 0;
}

/* Releases a and b (either may be NULL); the call fails with code. */
static inline BOOL fail(struct sock *a, struct sock *b, DWORD code)
{
    if (a != NULL)
        sock_release(a);
    if (b != NULL)
        sock_release(b);
    error_set(code);
    return FALSE;
}

/* Queues op on s's otherq and starts it; the call then reports pending. */
static inline BOOL start_pending(struct sock *s, struct op *op, LPOVERLAPPED ovl)
{
    completion_mark_pending(ovl);
    opq_push(&s->otherq, op);
    sock_restart(s, op);
    lock_release(&s->lock);
    sock_release(s);
    error_set(ERROR_IO_PENDING);
    return FALSE;
}

#endif
