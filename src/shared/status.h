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

#endif
