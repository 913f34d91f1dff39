#include "error.h"

#include "status.h"

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
        DWORD mapped = status_wsa_from_errno(err);
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
    error_set(status_socket_error(err));
    return SOCKET_ERROR;
}
