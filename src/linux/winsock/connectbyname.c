/*
 * WSAConnectByNameA and WSAConnectByList: connect a stream socket to the
 * first address that answers, within the timeout (NULL: as long as it
 * takes), and say which local and remote addresses were used. The socket
 * keeps its blocking mode; the connect itself runs non-blocking so that the
 * timeout can be kept.
 */
#include "error.h"
#include "socket.h"

#include <ws2tcpip.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <time.h>

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One attempt; 0, or the errno. deadline < 0: none. */
static int try_connect(int fd, const struct sockaddr *sa, socklen_t len, long long deadline)
{
    if (connect(fd, sa, len) == 0)
        return 0;
    if (errno != EINPROGRESS)
        return errno;
    for (;;) {
        int wait = -1;
        if (deadline >= 0) {
            long long left = deadline - now_ms();
            if (left <= 0)
                return ETIMEDOUT;
            wait = left > INT_MAX ? INT_MAX : (int)left;
        }
        struct pollfd p = { fd, POLLOUT, 0 };
        int n = poll(&p, 1, wait);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            return ETIMEDOUT;
        int err = 0;
        socklen_t elen = sizeof(err);
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0)
            return errno;
        return err;
    }
}

static bool copy_out(LPDWORD len, LPSOCKADDR out, const struct sockaddr_storage *ss, socklen_t n)
{
    if (len == NULL)
        return true;
    if (out == NULL || *len < (DWORD)n) {
        error_set(WSAEFAULT);
        return false;
    }
    memcpy(out, ss, n);
    *len = (DWORD)n;
    return true;
}

/* Connects fd to one of the n addresses; TRUE with the addresses written. */
static BOOL connect_any(int fd, const struct sockaddr *const *addrs, const socklen_t *lens,
                        size_t n, LPDWORD local_len, LPSOCKADDR local, LPDWORD remote_len,
                        LPSOCKADDR remote, const struct timeval *timeout)
{
    long long deadline = -1;
    if (timeout != NULL)
        deadline = now_ms() + (long long)timeout->tv_sec * 1000 + timeout->tv_usec / 1000;
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        error_set(WSAENOTSOCK);
        return FALSE;
    }
    int err = ECONNREFUSED;
    size_t i;
    for (i = 0; i < n; i++) {
        err = try_connect(fd, addrs[i], lens[i], deadline);
        if (err == 0 || err == ETIMEDOUT || err == EISCONN || err == EBADF || err == ENOTSOCK)
            break;
    }
    (void)fcntl(fd, F_SETFL, flags);
    if (err != 0) {
        error_set(status_socket_error(err));
        return FALSE;
    }
    struct sockaddr_storage ss;
    socklen_t slen = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &slen) != 0 || !copy_out(local_len, local, &ss, slen))
        return FALSE;
    if (!copy_out(remote_len, remote, (const struct sockaddr_storage *)(const void *)addrs[i], lens[i]))
        return FALSE;
    error_set(0);
    return TRUE;
}

static int socket_family(int fd)
{
    int family = AF_UNSPEC;
    socklen_t len = sizeof(family);
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &len) != 0)
        return AF_UNSPEC;
    return family;
}

BOOL WSAAPI WSAConnectByNameA(SOCKET s, LPCSTR node, LPCSTR service, LPDWORD local_len,
                              LPSOCKADDR local, LPDWORD remote_len, LPSOCKADDR remote,
                              const struct timeval *timeout, LPWSAOVERLAPPED reserved)
{
    struct sock *rec = sock_for_call(s);
    if (rec == NULL)
        return FALSE;
    int fd = rec->fd;
    bool stream = rec->stream;
    sock_release(rec);
    if (reserved != NULL || node == NULL || service == NULL || !stream) {
        error_set(WSAEINVAL);
        return FALSE;
    }
    ADDRINFOA hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = socket_family(fd);
    hints.ai_socktype = SOCK_STREAM;
    if (hints.ai_family == AF_INET6)
        hints.ai_flags = AI_V4MAPPED | AI_ALL;
    if (GetAddrInfoA(node, service, &hints, &res) != 0)
        return FALSE;
    size_t n = 0;
    for (ADDRINFOA *ai = res; ai != NULL; ai = ai->ai_next)
        n++;
    const struct sockaddr *addrs[n > 0 ? n : 1];
    socklen_t lens[n > 0 ? n : 1];
    n = 0;
    for (ADDRINFOA *ai = res; ai != NULL; ai = ai->ai_next, n++) {
        addrs[n] = ai->ai_addr;
        lens[n] = ai->ai_addrlen;
    }
    BOOL ok = connect_any(fd, addrs, lens, n, local_len, local, remote_len, remote, timeout);
    DWORD err = (DWORD)WSAGetLastError();
    FreeAddrInfoA(res);
    error_set(err);
    return ok;
}

BOOL WSAAPI WSAConnectByList(SOCKET s, PSOCKET_ADDRESS_LIST list, LPDWORD local_len,
                             LPSOCKADDR local, LPDWORD remote_len, LPSOCKADDR remote,
                             const struct timeval *timeout, LPWSAOVERLAPPED reserved)
{
    struct sock *rec = sock_for_call(s);
    if (rec == NULL)
        return FALSE;
    int fd = rec->fd;
    bool stream = rec->stream;
    sock_release(rec);
    if (reserved != NULL || !stream) {
        error_set(WSAEINVAL);
        return FALSE;
    }
    if (list == NULL || list->iAddressCount <= 0) {
        error_set(list == NULL ? WSAEFAULT : WSAEINVAL);
        return FALSE;
    }
    size_t n = (size_t)list->iAddressCount;
    const struct sockaddr *addrs[n];
    socklen_t lens[n];
    for (size_t i = 0; i < n; i++) {
        if (list->Address[i].lpSockaddr == NULL || list->Address[i].iSockaddrLength <= 0) {
            error_set(WSAEFAULT);
            return FALSE;
        }
        addrs[i] = list->Address[i].lpSockaddr;
        lens[i] = (socklen_t)list->Address[i].iSockaddrLength;
    }
    return connect_any(fd, addrs, lens, n, local_len, local, remote_len, remote, timeout);
}
