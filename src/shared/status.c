#include "status.h"

#include <errno.h>
#include <stddef.h>

/*
 * One row per failure. A row without an errno is a status only the front
 * end produces; a row without a status is a failure that never reaches an
 * OVERLAPPED. Several errnos may share a status; then their rows agree on
 * the two right-hand columns (tests/unit/test_status.c checks it).
 */
struct status_row {
    int err;            /* errno, or 0 */
    DWORD wsa_at_once;  /* Winsock code when a call fails at once with err */
    DWORD status;       /* NTSTATUS of an operation that failed with err, or 0 */
    DWORD win32;        /* GetQueuedCompletionStatus, GetOverlappedResult */
    DWORD wsa;          /* WSAGetOverlappedResult */
};

#define NONE 0
static const struct status_row rows[] = {
    /* errno          at once               NTSTATUS                    Win32                      Winsock */
    { NONE,           0,                    STATUS_PENDING,             ERROR_IO_PENDING,          WSA_IO_INCOMPLETE },
    { ECONNRESET,     WSAECONNRESET,        STATUS_CONNECTION_RESET,    ERROR_NETNAME_DELETED,     WSAECONNRESET },
    /* A send after the peer's reset; before any reset it is this side's shutdown (recv_send.c). */
    { EPIPE,          WSAESHUTDOWN,         STATUS_CONNECTION_RESET,    ERROR_NETNAME_DELETED,     WSAECONNRESET },
    { NONE,           0,                    STATUS_REMOTE_DISCONNECT,   ERROR_NETNAME_DELETED,     WSAECONNRESET },
    { NONE,           0,                    STATUS_LOCAL_DISCONNECT,    ERROR_NETNAME_DELETED,     WSAECONNABORTED },
    /* An ICMP port unreachable that answered a datagram (op.c, recv_send.c). */
    { NONE,           0,                    STATUS_PORT_UNREACHABLE,    ERROR_PORT_UNREACHABLE,    WSAECONNRESET },
    { ECONNREFUSED,   WSAECONNREFUSED,      STATUS_CONNECTION_REFUSED,  ERROR_CONNECTION_REFUSED,  WSAECONNREFUSED },
    { ECONNABORTED,   WSAECONNABORTED,      STATUS_CONNECTION_ABORTED,  ERROR_CONNECTION_ABORTED,  WSAECONNABORTED },
    { ECANCELED,      0,                    STATUS_CANCELLED,           ERROR_OPERATION_ABORTED,   WSA_OPERATION_ABORTED },
    { ETIMEDOUT,      WSAETIMEDOUT,         STATUS_IO_TIMEOUT,          ERROR_SEM_TIMEOUT,         WSAETIMEDOUT },
    { ENETUNREACH,    WSAENETUNREACH,       STATUS_NETWORK_UNREACHABLE, ERROR_NETWORK_UNREACHABLE, WSAENETUNREACH },
    { ENETDOWN,       WSAENETDOWN,          STATUS_NETWORK_UNREACHABLE, ERROR_NETWORK_UNREACHABLE, WSAENETUNREACH },
    { EHOSTUNREACH,   WSAEHOSTUNREACH,      STATUS_HOST_UNREACHABLE,    ERROR_HOST_UNREACHABLE,    WSAEHOSTUNREACH },
    { EHOSTDOWN,      WSAEHOSTDOWN,         STATUS_HOST_UNREACHABLE,    ERROR_HOST_UNREACHABLE,    WSAEHOSTUNREACH },
    { ENOTCONN,       WSAENOTCONN,          STATUS_INVALID_CONNECTION,  ERROR_CONNECTION_INVALID,  WSAENOTCONN },
    /* A datagram larger than the buffer. */
    { EMSGSIZE,       WSAEMSGSIZE,          STATUS_BUFFER_OVERFLOW,     ERROR_MORE_DATA,           WSAEMSGSIZE },
    /* AcceptEx address blocks too small for the connection that came (extension.c). */
    { EOVERFLOW,      0,                    STATUS_BUFFER_TOO_SMALL,    ERROR_INSUFFICIENT_BUFFER, WSAEFAULT },
    { ENOMEM,         WSA_NOT_ENOUGH_MEMORY, STATUS_NO_MEMORY,          ERROR_NOT_ENOUGH_MEMORY,   WSAENOBUFS },
    { ENOBUFS,        WSAENOBUFS,           STATUS_NO_MEMORY,           ERROR_NOT_ENOUGH_MEMORY,   WSAENOBUFS },
    { EINVAL,         WSAEINVAL,            STATUS_INVALID_PARAMETER,   ERROR_INVALID_PARAMETER,   WSAEINVAL },
    /* Files (file_io.c). A read at or past the end of a file; Winsock has
     * no word for these, and WSAGetOverlappedResult reports the Win32 code. */
    { NONE,           0,                    STATUS_END_OF_FILE,         ERROR_HANDLE_EOF,          ERROR_HANDLE_EOF },
    { ENOSPC,         WSAENOBUFS,           STATUS_DISK_FULL,           ERROR_DISK_FULL,           ERROR_DISK_FULL },
    { EFBIG,          0,                    STATUS_DISK_FULL,           ERROR_DISK_FULL,           ERROR_DISK_FULL },
    { EDQUOT,         0,                    STATUS_DISK_FULL,           ERROR_DISK_FULL,           ERROR_DISK_FULL },
    { EINTR,          WSAEINTR,             NONE, 0, 0 },
    { EBADF,          WSAENOTSOCK,          NONE, 0, 0 },
    { ENOTSOCK,       WSAENOTSOCK,          NONE, 0, 0 },
    { EACCES,         WSAEACCES,            NONE, 0, 0 },
    { EPERM,          WSAEACCES,            NONE, 0, 0 },
    { EFAULT,         WSAEFAULT,            NONE, 0, 0 },
    { EMFILE,         WSAEMFILE,            NONE, 0, 0 },
    { ENFILE,         WSAEMFILE,            NONE, 0, 0 },
    { EAGAIN,         WSAEWOULDBLOCK,       NONE, 0, 0 },
    /* Linux's non-blocking connect() says EINPROGRESS where Windows says
     * WSAEWOULDBLOCK (WSAEINPROGRESS means something else there). */
    { EINPROGRESS,    WSAEWOULDBLOCK,       NONE, 0, 0 },
    { EALREADY,       WSAEALREADY,          NONE, 0, 0 },
    { EDESTADDRREQ,   WSAEDESTADDRREQ,      NONE, 0, 0 },
    { EPROTOTYPE,     WSAEPROTOTYPE,        NONE, 0, 0 },
    { ENOPROTOOPT,    WSAENOPROTOOPT,       NONE, 0, 0 },
    { EPROTONOSUPPORT, WSAEPROTONOSUPPORT,  NONE, 0, 0 },
    { ESOCKTNOSUPPORT, WSAESOCKTNOSUPPORT,  NONE, 0, 0 },
    { EOPNOTSUPP,     WSAEOPNOTSUPP,        NONE, 0, 0 },
    { EPFNOSUPPORT,   WSAEPFNOSUPPORT,      NONE, 0, 0 },
    { EAFNOSUPPORT,   WSAEAFNOSUPPORT,      NONE, 0, 0 },
    { EADDRINUSE,     WSAEADDRINUSE,        NONE, 0, 0 },
    { EADDRNOTAVAIL,  WSAEADDRNOTAVAIL,     NONE, 0, 0 },
    { ENETRESET,      WSAENETRESET,         NONE, 0, 0 },
    { EISCONN,        WSAEISCONN,           NONE, 0, 0 },
    { ESHUTDOWN,      WSAESHUTDOWN,         NONE, 0, 0 },
    { ETOOMANYREFS,   WSAETOOMANYREFS,      NONE, 0, 0 },
    { ELOOP,          WSAELOOP,             NONE, 0, 0 },
    { ENAMETOOLONG,   WSAENAMETOOLONG,      NONE, 0, 0 },
};
#undef NONE

/* What an errno or a status without a row becomes: an invalid parameter. */
static const struct status_row unknown_row = {
    EINVAL, 0, STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, WSAEINVAL,
};
static const struct status_row *const unknown = &unknown_row;

static const struct status_row *row_of_errno(int err)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (rows[i].err == err)
            return &rows[i];
    }
    return NULL;
}

static const struct status_row *row_of_status(DWORD status)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (rows[i].status == status && status != 0)
            return &rows[i];
    }
    return unknown;
}

DWORD status_from_errno(int err)
{
    const struct status_row *row = row_of_errno(err);
    return row != NULL && row->status != 0 ? row->status : unknown->status;
}

DWORD status_to_win32(DWORD status)
{
    return status == STATUS_SUCCESS ? ERROR_SUCCESS : row_of_status(status)->win32;
}

DWORD status_to_wsa(DWORD status)
{
    return status == STATUS_SUCCESS ? 0 : row_of_status(status)->wsa;
}

DWORD status_wsa_from_errno(int err)
{
    const struct status_row *row = row_of_errno(err);
    return row != NULL ? row->wsa_at_once : 0;
}

DWORD status_socket_error(int err)
{
    DWORD code = status_wsa_from_errno(err);
    return code != 0 ? code : (DWORD)WSAEINVAL;
}

/* Windows' getaddrinfo returns these (ws2tcpip.h's EAI_* are these codes). */
static const DWORD lookup_codes[] = {
    [LOOKUP_NO_NAME] = WSAHOST_NOT_FOUND,
    [LOOKUP_NO_DATA] = WSANO_DATA,
    [LOOKUP_TRY_AGAIN] = WSATRY_AGAIN,
    [LOOKUP_FAILED] = WSANO_RECOVERY,
    [LOOKUP_NO_MEMORY] = WSA_NOT_ENOUGH_MEMORY,
    [LOOKUP_BAD_FAMILY] = WSAEAFNOSUPPORT,
    [LOOKUP_BAD_SERVICE] = WSATYPE_NOT_FOUND,
    [LOOKUP_BAD_SOCKTYPE] = WSAESOCKTNOSUPPORT,
    [LOOKUP_BAD_FLAGS] = WSAEINVAL,
    [LOOKUP_BUFFER_TOO_SMALL] = WSAEFAULT,
};

DWORD status_wsa_from_lookup(enum lookup_failure failure)
{
    if ((size_t)failure >= sizeof(lookup_codes) / sizeof(lookup_codes[0]))
        return WSANO_RECOVERY;
    return lookup_codes[failure];
}

#ifdef IOCPCOMPAT_STATUS_TABLE_CHECK
/* For the unit test: rows that share a status agree on what it reports, and
 * no errno has two rows. Returns the index of the first bad row, or -1. */
int status_table_check(void);
int status_table_check(void)
{
    size_t n = sizeof(rows) / sizeof(rows[0]);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (rows[i].err != 0 && rows[i].err == rows[j].err)
                return (int)i;
            if (rows[i].status != 0 && rows[i].status == rows[j].status &&
                (rows[i].win32 != rows[j].win32 || rows[i].wsa != rows[j].wsa))
                return (int)i;
        }
    }
    return -1;
}
#endif
