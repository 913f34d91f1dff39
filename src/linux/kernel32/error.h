/* The per-thread last-error slot. The translations between errno, NTSTATUS,
 * Win32 and Winsock codes are in status.h. */
#ifndef IOCPCOMPAT_ERROR_H
#define IOCPCOMPAT_ERROR_H

#include "status.h"

#include <winsock2.h>

/* Sets the caller's last error. Also clears errno, so that a later failure
 * of a native BSD call can be told apart (see GetLastError). */
void error_set(DWORD code);

/* Sets last error to the Winsock code of err and returns SOCKET_ERROR. */
int error_socket_errno(int err);

#endif
