/*
 * The BSD calls whose Windows signatures differ (int lengths, char option
 * values, DWORD timeouts), ioctlsocket and WSAIoctl.
 */
#include "error.h"
#include "extension.h"
#include "netevents.h"
#include "op.h"
#include "protocols.h"
#include "socket.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mswsock.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <unistd.h>

/* Linux's own values of the codes, for code that also includes <sys/ioctl.h>. */
#define LINUX_FIONBIO  0x5421
#define LINUX_FIONREAD 0x541B
#define WIN_FIONBIO    0x8004667Eu
#define WIN_FIONREAD   0x4004667Fu
/* <sys/ioctl.h> redefines IOC_IN, IOC_OUT and IOC_INOUT, which these are made of. */
#define WIN_SIO_UDP_CONNRESET     0x9800000Cu
#define WIN_SIO_BASE_HANDLE       0x48000022u
#define WIN_SIO_BSP_HANDLE        0x4800001Bu
#define WIN_SIO_BSP_HANDLE_SELECT 0x4800001Cu
#define WIN_SIO_BSP_HANDLE_POLL   0x4800001Du

typedef int (*name_call)(int, struct sockaddr *, socklen_t *);

static int get_name(SOCKET s, struct sockaddr *name, int *namelen, name_call call)
{
    int fd;
    if (!sock_fd(s, &fd))
        return SOCKET_ERROR;
    if (name == NULL || namelen == NULL || *namelen < 0) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    socklen_t len = (socklen_t)*namelen;
    if (call(fd, name, &len) != 0)
        return error_socket_errno(errno);
    if (len > (socklen_t)*namelen) {
        error_set(WSAEFAULT);   /* Windows does not truncate addresses */
        return SOCKET_ERROR;
    }
    *namelen = (int)len;
    return 0;
}

/* Linux names an unbound socket 0.0.0.0:0; Windows says it has no name. */
static bool unbound(const struct sockaddr *name)
{
    if (name->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)name;
        return a->sin_port == 0 && a->sin_addr.s_addr == htonl(INADDR_ANY);
    }
    if (name->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)name;
        return a->sin6_port == 0 && IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr);
    }
    return false;
}

int WSAAPI iocpcompat_getsockname(SOCKET s, struct sockaddr *name, int *namelen)
{
    int rc = get_name(s, name, namelen, getsockname);
    if (rc == 0 && unbound(name)) {
        error_set(WSAEINVAL);
        return SOCKET_ERROR;
    }
    return rc;
}

int WSAAPI iocpcompat_getpeername(SOCKET s, struct sockaddr *name, int *namelen)
{
    return get_name(s, name, namelen, getpeername);
}

/* Options Windows takes as a DWORD of milliseconds and Linux as a timeval. */
static bool is_timeout_option(int level, int optname)
{
    return level == SOL_SOCKET && (optname == SO_RCVTIMEO || optname == SO_SNDTIMEO);
}

/*
 * What Winsock knows of a socket's protocol: its catalogue entry
 * (SO_PROTOCOL_INFOA, which AcceptEx code reads for address sizes), and
 * SO_MAX_MSG_SIZE, one figure for every socket (a UDP datagram's largest
 * payload over IPv4), as Windows' own TCP/IP provider reports it.
 */
static int get_protocol_option(int fd, int optname, char *optval, int *optlen)
{
    if (optname == SO_MAX_MSG_SIZE) {
        if (*optlen < (int)sizeof(DWORD)) {
            error_set(WSAEFAULT);
            return SOCKET_ERROR;
        }
        DWORD size = 65507;
        memcpy(optval, &size, sizeof(size));
        *optlen = (int)sizeof(size);
        return 0;
    }
    int family = AF_UNSPEC, type = 0;
    socklen_t len = sizeof(family);
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &len) != 0)
        return error_socket_errno(errno);
    len = sizeof(type);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
        return error_socket_errno(errno);
    WSAPROTOCOL_INFOA info;
    if (!protocols_describe(family, type, &info)) {
        error_set(WSAENOPROTOOPT);
        return SOCKET_ERROR;
    }
    if (*optlen < (int)sizeof(info)) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    memcpy(optval, &info, sizeof(info));
    *optlen = (int)sizeof(info);
    return 0;
}

int WSAAPI iocpcompat_getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
{
    int fd;
    if (!sock_fd(s, &fd))
        return SOCKET_ERROR;
    if (optval == NULL || optlen == NULL || *optlen < 0) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    if (level == SOL_SOCKET && optname == SO_DONTLINGER) {
        struct linger l;
        socklen_t len = sizeof(l);
        if (*optlen < (int)sizeof(BOOL)) {
            error_set(WSAEFAULT);
            return SOCKET_ERROR;
        }
        if (getsockopt(fd, SOL_SOCKET, SO_LINGER, &l, &len) != 0)
            return error_socket_errno(errno);
        BOOL dont = l.l_onoff == 0;
        memcpy(optval, &dont, sizeof(dont));
        *optlen = (int)sizeof(dont);
        return 0;
    }
    if (level == SOL_SOCKET && (optname == SO_PROTOCOL_INFOA || optname == SO_MAX_MSG_SIZE))
        return get_protocol_option(fd, optname, optval, optlen);
    if (level == SOL_SOCKET && optname == SO_EXCLUSIVEADDRUSE) {
        if (*optlen < (int)sizeof(BOOL)) {
            error_set(WSAEFAULT);
            return SOCKET_ERROR;
        }
        struct sock *rec = sock_get(s, true);
        if (rec == NULL)
            return SOCKET_ERROR;
        lock_acquire(&rec->lock);
        BOOL on = rec->exclusive;
        lock_release(&rec->lock);
        sock_release(rec);
        memcpy(optval, &on, sizeof(on));
        *optlen = (int)sizeof(on);
        return 0;
    }
    if (is_timeout_option(level, optname) && *optlen >= (int)sizeof(DWORD) &&
        *optlen < (int)sizeof(struct timeval)) {
        struct timeval tv;
        socklen_t len = sizeof(tv);
        if (getsockopt(fd, level, optname, &tv, &len) != 0)
            return error_socket_errno(errno);
        DWORD ms = (DWORD)(tv.tv_sec * 1000 + tv.tv_usec / 1000);
        memcpy(optval, &ms, sizeof(ms));
        *optlen = (int)sizeof(ms);
        return 0;
    }
    socklen_t len = (socklen_t)*optlen;
    if (getsockopt(fd, level, optname, optval, &len) != 0)
        return error_socket_errno(errno);
    *optlen = (int)len;
    return 0;
}

/*
 * Windows allows at most one of SO_REUSEADDR and SO_EXCLUSIVEADDRUSE on a
 * socket (setting the second fails with WSAEINVAL), and a port held by an
 * exclusive socket refuses every later bind with WSAEADDRINUSE. Linux
 * shares a port only when every socket on it has SO_REUSEADDR (or
 * SO_REUSEPORT), so an exclusive socket is one with both off, and the flag
 * is kept in the record so the pair rule can be enforced and reported.
 */
static int set_address_sharing(SOCKET so, int fd, int optname, const char *optval, int optlen)
{
    if (optval == NULL || optlen < 1) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    int on = 0;
    memcpy(&on, optval, optlen < (int)sizeof(on) ? (size_t)optlen : sizeof(on));
    struct sock *rec = sock_get(so, true);
    if (rec == NULL)
        return SOCKET_ERROR;
    int rc = 0;
    lock_acquire(&rec->lock);
    int reuse = 0;
    socklen_t len = sizeof(reuse);
    if (optname == SO_REUSEADDR) {
        if (on && rec->exclusive) {
            error_set(WSAEINVAL);
            rc = SOCKET_ERROR;
        } else if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0) {
            rc = error_socket_errno(errno);
        }
    } else if (getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, &len) != 0) {
        rc = error_socket_errno(errno);
    } else if (on && reuse) {
        error_set(WSAEINVAL);
        rc = SOCKET_ERROR;
    } else {
        int off = 0;
        if (on)
            (void)setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &off, sizeof(off));
        rec->exclusive = on != 0;
    }
    lock_release(&rec->lock);
    sock_release(rec);
    return rc;
}

int WSAAPI iocpcompat_setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)
{
    int fd;
    if (!sock_fd(s, &fd))
        return SOCKET_ERROR;
    if (level == SOL_SOCKET &&
        (optname == SO_UPDATE_ACCEPT_CONTEXT || optname == SO_UPDATE_CONNECT_CONTEXT)) {
        /* Sockets here are complete kernel sockets once connected; there is
         * no per-provider context to copy. */
        return 0;
    }
    if (optval == NULL && optlen > 0) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    if (level == SOL_SOCKET && optname == SO_DONTLINGER) {
        if (optval == NULL || optlen < 1) {
            error_set(WSAEFAULT);
            return SOCKET_ERROR;
        }
        /* Not lingering is SO_LINGER off; lingering again keeps the timeout
         * the socket has (0 would make its close abortive). */
        int dont = 0;
        memcpy(&dont, optval, optlen < (int)sizeof(dont) ? (size_t)optlen : sizeof(dont));
        struct linger l;
        socklen_t len = sizeof(l);
        if (getsockopt(fd, SOL_SOCKET, SO_LINGER, &l, &len) != 0)
            return error_socket_errno(errno);
        l.l_onoff = dont == 0;
        if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) != 0)
            return error_socket_errno(errno);
        return 0;
    }
    /* Windows asks for IPv6 packet information with IPV6_PKTINFO as a BOOL;
     * Linux's IPV6_PKTINFO sets the sending address instead. */
    if (level == IPPROTO_IPV6 && optname == IPV6_PKTINFO && optlen <= (int)sizeof(int))
        optname = IPV6_RECVPKTINFO;
    if (level == SOL_SOCKET && (optname == SO_EXCLUSIVEADDRUSE || optname == SO_REUSEADDR))
        return set_address_sharing(s, fd, optname, optval, optlen);
    if (is_timeout_option(level, optname) && optlen == (int)sizeof(DWORD)) {
        DWORD ms;
        memcpy(&ms, optval, sizeof(ms));
        struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000 };
        if (setsockopt(fd, level, optname, &tv, sizeof(tv)) != 0)
            return error_socket_errno(errno);
        return 0;
    }
    if (optlen > 0 && optlen < (int)sizeof(int)) {
        /* Windows takes a one-byte BOOL for boolean options; Linux wants an int. */
        int widened = 0;
        memcpy(&widened, optval, (size_t)optlen);
        if (setsockopt(fd, level, optname, &widened, sizeof(widened)) != 0)
            return error_socket_errno(errno);
        return 0;
    }
    if (setsockopt(fd, level, optname, optval, (socklen_t)optlen) != 0)
        return error_socket_errno(errno);
    return 0;
}

static bool is_fionbio(DWORD code) { return code == WIN_FIONBIO || code == LINUX_FIONBIO; }
static bool is_fionread(DWORD code) { return code == WIN_FIONREAD || code == LINUX_FIONREAD; }

static int set_nonblocking(int fd, bool on)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0)
        return error_socket_errno(errno);
    flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    if (fcntl(fd, F_SETFL, flags) != 0)
        return error_socket_errno(errno);
    return 0;
}

/* A socket under WSAEventSelect cannot be made blocking (WSAEINVAL). */
static int set_mode(int fd, bool nonblocking)
{
    if (!nonblocking && netevents_is_selected(fd)) {
        error_set(WSAEINVAL);
        return SOCKET_ERROR;
    }
    return set_nonblocking(fd, nonblocking);
}

static int bytes_readable(int fd, unsigned long *out)
{
    int n = 0;
    if (ioctl(fd, FIONREAD, &n) != 0)
        return error_socket_errno(errno);
    *out = (unsigned long)n;
    return 0;
}

int WSAAPI ioctlsocket(SOCKET s, long cmd, u_long *argp)
{
    int fd;
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    if (!sock_fd(s, &fd))
        return SOCKET_ERROR;
    if (argp == NULL) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    DWORD code = (DWORD)cmd;
    if (is_fionbio(code))
        return set_mode(fd, *argp != 0);
    if (is_fionread(code)) {
        unsigned long n = 0;
        if (bytes_readable(fd, &n) != 0)
            return SOCKET_ERROR;
        *argp = (u_long)n;
        return 0;
    }
    error_set(WSAEINVAL);
    return SOCKET_ERROR;
}

/* Writes a ULONG result the size the caller's buffer allows. */
static DWORD put_ulong(LPVOID out, DWORD size, unsigned long value)
{
    if (size >= sizeof(u_long)) {
        u_long v = (u_long)value;
        memcpy(out, &v, sizeof(v));
        return sizeof(v);
    }
    ULONG v = (ULONG)value;
    memcpy(out, &v, sizeof(v));
    return sizeof(v);
}

/* An ioctl that completed at once still completes its OVERLAPPED, and its
 * packet is queued as for any operation that succeeds immediately (E5). */
static int complete_overlapped(struct sock *s, LPWSAOVERLAPPED ovl, DWORD bytes)
{
    struct op *op = op_alloc(s, REQ_RECV, ovl);
    if (op == NULL)
        return SOCKET_ERROR;
    lock_acquire(&s->lock);
    op_finish_now(op, STATUS_SUCCESS, bytes, true);
    lock_release(&s->lock);
    return 0;
}

int WSAAPI WSAIoctl(SOCKET so, DWORD code, LPVOID in, DWORD in_size, LPVOID out, DWORD out_size,
                    LPDWORD returned, LPWSAOVERLAPPED ovl,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct sock *s = sock_for_call(so);
    if (s == NULL)
        return SOCKET_ERROR;
    int rc = SOCKET_ERROR;
    DWORD produced = 0;
    if (routine != NULL) {
        error_set(WSAEOPNOTSUPP);
    } else if (returned == NULL) {
        error_set(WSAEFAULT);
    } else if (is_fionbio(code)) {
        if (in == NULL || in_size < sizeof(ULONG)) {
            error_set(WSAEFAULT);
        } else {
            ULONG on;
            memcpy(&on, in, sizeof(on));
            rc = set_mode(s->fd, on != 0);
        }
    } else if (is_fionread(code)) {
        unsigned long n = 0;
        if (out == NULL || out_size < sizeof(ULONG))
            error_set(WSAEFAULT);
        else if (bytes_readable(s->fd, &n) == 0) {
            produced = put_ulong(out, out_size, n);
            rc = 0;
        }
    } else if (code == WIN_SIO_BASE_HANDLE || code == WIN_SIO_BSP_HANDLE ||
               code == WIN_SIO_BSP_HANDLE_SELECT || code == WIN_SIO_BSP_HANDLE_POLL) {
        /* No layered provider sits over the socket: its base is itself. */
        if (out == NULL || out_size < sizeof(SOCKET)) {
            error_set(WSAEFAULT);
        } else {
            memcpy(out, &so, sizeof(so));
            produced = sizeof(so);
            rc = 0;
        }
    } else if (code == WIN_SIO_UDP_CONNRESET) {
        BOOL on;
        if (in == NULL || in_size < sizeof(BOOL)) {
            error_set(WSAEFAULT);
        } else if (s->stream) {
            error_set(WSAEINVAL);
        } else {
            memcpy(&on, in, sizeof(on));
            sock_udp_connreset(s->fd, on != FALSE);
            lock_acquire(&s->lock);
            s->udp_connreset_off = on == FALSE;
            lock_release(&s->lock);
            rc = 0;
        }
    } else if (code == SIO_GET_EXTENSION_FUNCTION_POINTER) {
        void *fn = NULL;
        if (in == NULL || in_size < sizeof(GUID) || out == NULL || out_size < sizeof(fn)) {
            error_set(WSAEFAULT);
        } else if ((fn = extension_function((const GUID *)in)) == NULL) {
            error_set(WSAEINVAL);
        } else {
            memcpy(out, &fn, sizeof(fn));
            produced = sizeof(fn);
            rc = 0;
        }
    } else if (code == SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER) {
        static const GUID rio = WSAID_MULTIPLE_RIO;
        if (in == NULL || in_size < sizeof(GUID) || out == NULL) {
            error_set(WSAEFAULT);
        } else if (memcmp(in, &rio, sizeof(GUID)) != 0) {
            error_set(WSAEINVAL);
        } else if (!extension_function_table((const GUID *)in, out, out_size, &produced)) {
            error_set(WSAEFAULT);
        } else {
            rc = 0;
        }
    } else {
        error_set(WSAEOPNOTSUPP);
    }
    if (rc == 0) {
        *returned = produced;
        if (ovl != NULL)
            rc = complete_overlapped(s, ovl, 0);
        if (rc == 0)
            error_set(0);   /* as Windows does after a successful WSAIoctl */
    }
    sock_release(s);
    return rc;
}
