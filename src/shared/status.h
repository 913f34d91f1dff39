/*
 * One table of what each failure is called at each level: the kernel's
 * errno, the NTSTATUS an OVERLAPPED holds (Internal), the Win32 code
 * GetQueuedCompletionStatus and GetOverlappedResult report, and the Winsock
 * codes of a call that fails at once and of WSAGetOverlappedResult.
 */
#ifndef IOCPCOMPAT_STATUS_H
#define IOCPCOMPAT_STATUS_H

#include <winsock2.h>

/* NTSTATUS for a kernel operation that failed with errno err. */
DWORD status_from_errno(int err);

/* What GetQueuedCompletionStatus/GetOverlappedResult report for a status. */
DWORD status_to_win32(DWORD status);

/* What WSAGetOverlappedResult reports for a status. */
DWORD status_to_wsa(DWORD status);

/* The Winsock code of a call that fails at once with errno err; 0 when err
 * has no socket meaning. */
DWORD status_wsa_from_errno(int err);

/* The same, WSAEINVAL when err has no socket meaning. */
DWORD status_socket_error(int err);

/* The ways a name lookup (getaddrinfo, getnameinfo) fails, as the platform
 * reports them, and their Winsock codes (what Windows' EAI_* are). */
enum lookup_failure {
    LOOKUP_NO_NAME,        /* the name is unknown */
    LOOKUP_NO_DATA,        /* known, but no address of the kind asked */
    LOOKUP_TRY_AGAIN,      /* a temporary failure of the resolver */
    LOOKUP_FAILED,         /* a permanent failure of the resolver */
    LOOKUP_NO_MEMORY,
    LOOKUP_BAD_FAMILY,
    LOOKUP_BAD_SERVICE,    /* the service is unknown for that socket type */
    LOOKUP_BAD_SOCKTYPE,
    LOOKUP_BAD_FLAGS,
    LOOKUP_BUFFER_TOO_SMALL,
};
DWORD status_wsa_from_lookup(enum lookup_failure failure);

#endif
