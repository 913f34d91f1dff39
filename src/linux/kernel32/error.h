/* The per-thread last-error slot and the translations between errno,
 * NTSTATUS (what OVERLAPPED.Internal holds), Win32 and Winsock codes. */
#ifndef IOCPCOMPAT_ERROR_H
#define IOCPCOMPAT_ERROR_H

#include <winsock2.h>

/* Sets the caller's last error. Also clears errno, so that a later failure
 * of a native BSD call can be told apart (see GetLastError). */
void error_set(DWORD code);

/* Winsock code for a Linux errno; 0 when the errno has no socket meaning. */
DWORD error_wsa_from_errno(int err);

/* NTSTATUS for the result of a kernel operation that failed with -err. */
DWORD error_status_from_errno(int err);

/* What GetQueuedCompletionStatus/GetOverlappedResult report for a status. */
DWORD error_win32_from_status(DWORD status);

/* What WSAGetOverlappedResult reports for a status. */
DWORD error_wsa_from_status(DWORD status);

/* Sets last error to the Winsock code of err and returns SOCKET_ERROR. */
int error_socket_errno(int err);

#endif
