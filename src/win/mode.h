/*
 * The Windows build's mode, from IOCPCOMPAT_BACKEND: iocp (the default, and
 * what auto gives) passes every call to the SDK; rio serves the program's
 * socket I/O with Registered I/O (spec rows M1-M3).
 */
#ifndef IOCPCOMPAT_WIN_MODE_H
#define IOCPCOMPAT_WIN_MODE_H

#include <winsock2.h>

enum win_mode {
    WIN_MODE_IOCP,
    WIN_MODE_RIO,
    WIN_MODE_REFUSED,   /* a value that names no Windows mode */
};

/* The mode, read once from the environment. */
enum win_mode win_mode(void);

/* Who serves the RIO function table, from IOCPCOMPAT_RIO_PROVIDER: the
 * system (native, the default), or iocpcompat's provider over overlapped
 * I/O (overlapped: RIO where the system has none, as under Wine). */
enum win_rio_provider {
    WIN_RIO_NATIVE,
    WIN_RIO_OVERLAPPED,
    WIN_RIO_REFUSED,    /* a value that names no provider: no table is given */
};

/* The provider, read once; a refused value is reported once on stderr. */
enum win_rio_provider win_rio_provider(void);

/* 0 when completion ports may be made in this mode; else the Win32 error
 * CreateIoCompletionPort fails with, after one line on stderr saying why
 * (once per process). */
DWORD win_mode_port_refusal(void);

#endif
