/*
 * select over Windows' fd_set (a count and an array of sockets), served by
 * poll(2), so that descriptors above 1023 work too. As on Windows: nfds is
 * ignored, the timeout is never written, no socket in any set fails with
 * WSAEINVAL, a set member that is no socket with WSAENOTSOCK, and on return
 * each set holds only its ready sockets, in their order; the result counts
 * a socket once per set it is ready in.
 *
 * Readable: data, a connection to accept, the peer's FIN or a reset.
 * Writable: a connection made, room to send. Except: out-of-band data, or a
 * connect that failed (Windows reports that there, not as writable).
 */
#include "blocking.h"
#include "error.h"
#include "socket.h"

#include <errno.h>
#include <limits.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>

#define STACK_FDS 192

static bool is_socket(int fd)
{
    int type;
    socklen_t len = sizeof(type);
    return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0;
}

static const short wanted[3] = {
    LINUX_POLLIN | LINUX_POLLRDHUP,
    LINUX_POLLOUT,
    LINUX_POLLPRI,
};

/* A stream socket whose connect failed: an error and no connection. */
static bool failed_connect(int fd, short r)
{
    if (!(r & (LINUX_POLLERR | LINUX_POLLHUP)))
        return false;
    return sock_tcp_state(fd) == TCP_CLOSE;
}

static bool ready(int which, int fd, short r)
{
    switch (which) {
    case 0:
        return (r & (LINUX_POLLIN | LINUX_POLLRDHUP | LINUX_POLLHUP | LINUX_POLLERR)) != 0;
    case 1:
        return (r & LINUX_POLLOUT) && !failed_connect(fd, r);
    default:
        return (r & LINUX_POLLPRI) || ((r & LINUX_POLLERR) && failed_connect(fd, r));
    }
}

static int timeout_ms(const struct timeval *tv)
{
    if (tv == NULL)
        return -1;
    long long ms = (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

int WSAAPI iocpcompat_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                             const struct timeval *timeout)
{
    (void)nfds;
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    fd_set *sets[3] = { readfds, writefds, exceptfds };
    size_t total = 0;
    for (int i = 0; i < 3; i++)
        if (sets[i] != NULL)
            total += sets[i]->fd_count;
    if (total == 0 || (timeout != NULL && (timeout->tv_sec < 0 || timeout->tv_usec < 0))) {
        error_set(WSAEINVAL);
        return SOCKET_ERROR;
    }
    struct blocking_pollfd stack[STACK_FDS];
    struct blocking_pollfd *fds = total <= STACK_FDS ? stack : calloc(total, sizeof(*fds));
    if (fds == NULL) {
        error_set(WSAENOBUFS);
        return SOCKET_ERROR;
    }
    int rc = 0;
    size_t n = 0;
    for (int i = 0; i < 3 && rc == 0; i++) {
        for (u_int j = 0; sets[i] != NULL && j < sets[i]->fd_count; j++, n++) {
            SOCKET s = sets[i]->fd_array[j];
            if (s > (SOCKET)INT_MAX || !is_socket((int)s)) {
                error_set(WSAENOTSOCK);
                rc = SOCKET_ERROR;
                break;
            }
            fds[n].fd = (int)s;
            fds[n].events = wanted[i];
            fds[n].revents = 0;
        }
    }
    if (rc == 0) {
        bool interrupted;
        int got = blocking_poll(fds, (unsigned)n, timeout_ms(timeout), &interrupted);
        if (got < 0) {
            rc = error_socket_errno(errno);
        } else {
            n = 0;
            for (int i = 0; i < 3; i++) {
                if (sets[i] == NULL)
                    continue;
                u_int kept = 0;
                for (u_int j = 0; j < sets[i]->fd_count; j++, n++)
                    if (got > 0 && ready(i, fds[n].fd, fds[n].revents))
                        sets[i]->fd_array[kept++] = sets[i]->fd_array[j];
                sets[i]->fd_count = kept;
                rc += (int)kept;
            }
            error_set(0);
        }
    }
    if (fds != stack)
        free(fds);
    return rc;
}

int WSAAPI __WSAFDIsSet(SOCKET fd, fd_set *set)
{
    if (set == NULL)
        return 0;
    for (u_int i = 0; i < set->fd_count; i++)
        if (set->fd_array[i] == fd)
            return 1;
    return 0;
}
