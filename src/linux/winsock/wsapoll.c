/*
 * WSAPoll over poll(2). Windows' flags differ from Linux's, and so does what
 * it accepts: only POLLRDNORM, POLLRDBAND and POLLWRNORM may be asked for
 * (anything else, POLLPRI included, fails with WSAEINVAL); an entry whose
 * fd is negative is skipped with revents 0; one that is not a socket gets
 * POLLNVAL; if no entry names a socket the call fails with WSAEINVAL.
 * A peer's FIN shows as POLLHUP (with POLLRDNORM), as on Windows, where
 * Linux says POLLRDHUP.
 */
#define IOCPCOMPAT_WINDOWS_POLL 1
#include "blocking.h"
#include "error.h"
#include "socket.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#define ASKABLE (POLLRDNORM | POLLRDBAND | POLLWRNORM)
#define STACK_FDS 64

static bool is_socket(int fd)
{
    int type;
    socklen_t len = sizeof(type);
    int saved = errno;
    bool yes = getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0;
    errno = saved;
    return yes;
}

static short linux_events(SHORT events)
{
    short e = LINUX_POLLRDHUP;
    if (events & POLLRDNORM)
        e |= LINUX_POLLIN;
    if (events & POLLRDBAND)
        e |= LINUX_POLLPRI;
    if (events & POLLWRNORM)
        e |= LINUX_POLLOUT;
    return e;
}

static SHORT windows_revents(short r, SHORT asked)
{
    SHORT w = 0;
    if ((r & LINUX_POLLIN) && (asked & POLLRDNORM))
        w |= POLLRDNORM;
    if ((r & LINUX_POLLPRI) && (asked & POLLRDBAND))
        w |= POLLRDBAND;
    if ((r & LINUX_POLLOUT) && (asked & POLLWRNORM) && !(r & LINUX_POLLHUP))
        w |= POLLWRNORM;
    if (r & LINUX_POLLERR)
        w |= POLLERR;
    if (r & (LINUX_POLLHUP | LINUX_POLLRDHUP))
        w |= POLLHUP;
    if (r & LINUX_POLLNVAL)
        w |= POLLNVAL;
    return w;
}

int WSAAPI WSAPoll(LPWSAPOLLFD fds, ULONG n, INT timeout)
{
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    if (fds == NULL && n != 0) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    for (ULONG i = 0; i < n; i++) {
        if (fds[i].events & ~ASKABLE) {
            error_set(WSAEINVAL);
            return SOCKET_ERROR;
        }
    }
    struct blocking_pollfd stack[STACK_FDS];
    struct blocking_pollfd *lfds = n <= STACK_FDS ? stack : calloc(n, sizeof(*lfds));
    if (lfds == NULL) {
        error_set(WSAENOBUFS);
        return SOCKET_ERROR;
    }
    unsigned valid = 0, invalid = 0;
    for (ULONG i = 0; i < n; i++) {
        fds[i].revents = 0;
        lfds[i].events = 0;
        lfds[i].revents = 0;
        lfds[i].fd = -1;   /* poll skips negative descriptors */
        if ((INT_PTR)fds[i].fd < 0)
            continue;
        if (fds[i].fd > (SOCKET)INT_MAX || !is_socket((int)fds[i].fd)) {
            fds[i].revents = POLLNVAL;
            invalid++;
            continue;
        }
        lfds[i].fd = (int)fds[i].fd;
        lfds[i].events = linux_events(fds[i].events);
        valid++;
    }
    int rc;
    if (valid == 0) {
        error_set(WSAEINVAL);
        rc = SOCKET_ERROR;
    } else {
        bool interrupted;
        int got = invalid > 0 ? 0 : timeout;   /* a POLLNVAL is an answer already */
        rc = blocking_poll(lfds, (unsigned)n, got < 0 ? -1 : got, &interrupted);
        if (rc < 0) {
            rc = error_socket_errno(errno);
        } else {
            rc = 0;
            for (ULONG i = 0; i < n; i++) {
                if (lfds[i].fd >= 0)
                    fds[i].revents = windows_revents(lfds[i].revents, fds[i].events);
                if (fds[i].revents != 0)
                    rc++;
            }
            error_set(0);
        }
    }
    if (lfds != stack)
        free(lfds);
    return rc;
}
