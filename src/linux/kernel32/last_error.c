#include "error.h"

#include <errno.h>

/*
 * Windows has one last-error slot per thread, read by both GetLastError and
 * WSAGetLastError. Native BSD calls (bind, connect, ...) report through errno
 * instead, so the slot is paired with errno: every error this library sets
 * clears errno, and a reader that finds errno set knows a native call failed
 * since and reports that failure as its Winsock code (spec row E4).
 */
static _Thread_local DWORD last_error;

void error_set(DWORD code)
{
    last_error = code;
    errno = 0;
}

static DWORD current(void)
{
    int err = errno;
    if (err != 0) {
        DWORD mapped = error_wsa_from_errno(err);
        if (mapped != 0)
            last_error = mapped;
        errno = 0;
    }
    return last_error;
}

DWORD WINAPI GetLastError(void) { return current(); }
void WINAPI SetLastError(DWORD code) { error_set(code); }
int WSAAPI WSAGetLastError(void) { return (int)current(); }
void WSAAPI WSASetLastError(int code) { error_set((DWORD)code); }

int error_socket_errno(int err)
{
    DWORD code = error_wsa_from_errno(err);
    error_set(code != 0 ? code : (DWORD)WSAEINVAL);
    return SOCKET_ERROR;
}

DWORD error_wsa_from_errno(int err)
{
    switch (err) {
    case EINTR:           return WSAEINTR;
    case EBADF:           return WSAENOTSOCK;
    case EACCES:
    case EPERM:           return WSAEACCES;
    case EFAULT:          return WSAEFAULT;
    case EINVAL:          return WSAEINVAL;
    case EMFILE:
    case ENFILE:          return WSAEMFILE;
    case EAGAIN:          return WSAEWOULDBLOCK;
    /* Linux's non-blocking connect() says EINPROGRESS where Windows says
     * WSAEWOULDBLOCK (WSAEINPROGRESS means something else there). */
    case EINPROGRESS:     return WSAEWOULDBLOCK;
    case EALREADY:        return WSAEALREADY;
    case ENOTSOCK:        return WSAENOTSOCK;
    case EDESTADDRREQ:    return WSAEDESTADDRREQ;
    case EMSGSIZE:        return WSAEMSGSIZE;
    case EPROTOTYPE:      return WSAEPROTOTYPE;
    case ENOPROTOOPT:     return WSAENOPROTOOPT;
    case EPROTONOSUPPORT: return WSAEPROTONOSUPPORT;
    case ESOCKTNOSUPPORT: return WSAESOCKTNOSUPPORT;
    case EOPNOTSUPP:      return WSAEOPNOTSUPP;
    case EPFNOSUPPORT:    return WSAEPFNOSUPPORT;
    case EAFNOSUPPORT:    return WSAEAFNOSUPPORT;
    case EADDRINUSE:      return WSAEADDRINUSE;
    case EADDRNOTAVAIL:   return WSAEADDRNOTAVAIL;
    case ENETDOWN:        return WSAENETDOWN;
    case ENETUNREACH:     return WSAENETUNREACH;
    case ENETRESET:       return WSAENETRESET;
    case ECONNABORTED:    return WSAECONNABORTED;
    case ECONNRESET:      return WSAECONNRESET;
    case ENOBUFS:         return WSAENOBUFS;
    case EISCONN:         return WSAEISCONN;
    case ENOTCONN:        return WSAENOTCONN;
    case EPIPE:
    case ESHUTDOWN:       return WSAESHUTDOWN;
    case ETOOMANYREFS:    return WSAETOOMANYREFS;
    case ETIMEDOUT:       return WSAETIMEDOUT;
    case ECONNREFUSED:    return WSAECONNREFUSED;
    case ELOOP:           return WSAELOOP;
    case ENAMETOOLONG:    return WSAENAMETOOLONG;
    case EHOSTDOWN:       return WSAEHOSTDOWN;
    case EHOSTUNREACH:    return WSAEHOSTUNREACH;
    case ENOMEM:          return WSA_NOT_ENOUGH_MEMORY;
    default:              return 0;
    }
}

DWORD error_status_from_errno(int err)
{
    switch (err) {
    case ECONNRESET:
    case EPIPE:        return STATUS_CONNECTION_RESET;
    case ECONNREFUSED: return STATUS_CONNECTION_REFUSED;
    case ECONNABORTED: return STATUS_CONNECTION_ABORTED;
    case ECANCELED:    return STATUS_CANCELLED;
    case ETIMEDOUT:    return STATUS_IO_TIMEOUT;
    case ENETUNREACH:
    case ENETDOWN:     return STATUS_NETWORK_UNREACHABLE;
    case EHOSTUNREACH:
    case EHOSTDOWN:    return STATUS_HOST_UNREACHABLE;
    case ENOTCONN:     return STATUS_INVALID_CONNECTION;
    case EMSGSIZE:     return STATUS_BUFFER_OVERFLOW;
    case EOVERFLOW:    return STATUS_BUFFER_TOO_SMALL;
    case ENOMEM:
    case ENOBUFS:      return STATUS_NO_MEMORY;
    default:           return STATUS_INVALID_PARAMETER;
    }
}

DWORD error_win32_from_status(DWORD status)
{
    switch (status) {
    case STATUS_SUCCESS:             return ERROR_SUCCESS;
    case STATUS_PENDING:             return ERROR_IO_PENDING;
    case STATUS_BUFFER_OVERFLOW:     return ERROR_MORE_DATA;
    case STATUS_BUFFER_TOO_SMALL:    return ERROR_INSUFFICIENT_BUFFER;
    case STATUS_CANCELLED:           return ERROR_OPERATION_ABORTED;
    case STATUS_CONNECTION_RESET:
    case STATUS_LOCAL_DISCONNECT:
    case STATUS_REMOTE_DISCONNECT:   return ERROR_NETNAME_DELETED;
    case STATUS_CONNECTION_ABORTED:  return ERROR_CONNECTION_ABORTED;
    case STATUS_CONNECTION_REFUSED:  return ERROR_CONNECTION_REFUSED;
    case STATUS_IO_TIMEOUT:          return ERROR_SEM_TIMEOUT;
    case STATUS_NETWORK_UNREACHABLE: return ERROR_NETWORK_UNREACHABLE;
    case STATUS_HOST_UNREACHABLE:    return ERROR_HOST_UNREACHABLE;
    case STATUS_INVALID_CONNECTION:  return ERROR_CONNECTION_INVALID;
    case STATUS_NO_MEMORY:           return ERROR_NOT_ENOUGH_MEMORY;
    default:                         return ERROR_INVALID_PARAMETER;
    }
}

DWORD error_wsa_from_status(DWORD status)
{
    switch (status) {
    case STATUS_SUCCESS:             return 0;
    case STATUS_PENDING:             return WSA_IO_INCOMPLETE;
    case STATUS_BUFFER_OVERFLOW:     return WSAEMSGSIZE;
    case STATUS_BUFFER_TOO_SMALL:    return WSAEFAULT;
    case STATUS_CANCELLED:           return WSA_OPERATION_ABORTED;
    case STATUS_CONNECTION_RESET:
    case STATUS_REMOTE_DISCONNECT:   return WSAECONNRESET;
    case STATUS_LOCAL_DISCONNECT:
    case STATUS_CONNECTION_ABORTED:  return WSAECONNABORTED;
    case STATUS_CONNECTION_REFUSED:  return WSAECONNREFUSED;
    case STATUS_IO_TIMEOUT:          return WSAETIMEDOUT;
    case STATUS_NETWORK_UNREACHABLE: return WSAENETUNREACH;
    case STATUS_HOST_UNREACHABLE:    return WSAEHOSTUNREACH;
    case STATUS_INVALID_CONNECTION:  return WSAENOTCONN;
    case STATUS_NO_MEMORY:           return WSAENOBUFS;
    default:                         return WSAEINVAL;
    }
}
