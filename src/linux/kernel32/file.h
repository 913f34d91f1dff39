/*
 * File handles: a regular file opened by CreateFileA, an object of the
 * handle table around a descriptor. file.c has the handle and the calls
 * that finish before they return; file_io.c the overlapped transfers, which
 * go through an engine and the shared completion step as a socket's do.
 */
#ifndef IOCPCOMPAT_FILE_H
#define IOCPCOMPAT_FILE_H

#include "lock.h"
#include "object.h"

#include <windows.h>
#include <stdatomic.h>
#include <stdbool.h>

struct port;
struct op;

struct file {
    struct object obj;
    int fd;                     /* closed when the last reference goes */
    bool readable, writable;    /* what dwDesiredAccess granted */
    bool overlapped;            /* FILE_FLAG_OVERLAPPED: no file pointer is used */
    struct lock lock;           /* port, key, notify_modes, waiters */
    unsigned char notify_modes; /* FILE_SKIP_* flags */
    struct port *port;          /* NULL until associated */
    ULONG_PTR key;
    unsigned waiters;           /* threads in GetOverlappedResult(bWait) */
    atomic_uint completions;    /* futex word: bumped when an operation finishes and waiters > 0 */
};

/* The file behind h, with a reference; NULL (last error left alone) when h
 * is not a file handle. */
struct file *file_find(HANDLE h);
void file_release(struct file *f);

/* ReadFile/WriteFile with an OVERLAPPED on an overlapped handle (file_io.c).
 * The arguments have been checked. */
BOOL file_io_start(struct file *f, bool write, void *buf, DWORD len, LPOVERLAPPED ovl);

/* A transfer with an OVERLAPPED on a synchronous handle finished in the
 * call: the OVERLAPPED, its event and (when due) a packet, as Windows
 * completes it (file_io.c). */
void file_finished_at_once(struct file *f, LPOVERLAPPED ovl, DWORD status, DWORD bytes);

/* The engine reports op's result (file_io.c): the port the packet goes to
 * (with a reference), or NULL when none is due or op went back in flight. */
struct port *file_op_complete(struct op *op, int res);
/* Gives op's record and its reference to the file back. */
void file_op_free(struct op *op);

/* CreateIoCompletionPort on a file handle: a Win32 error code. */
DWORD file_associate(struct file *f, struct port *port, ULONG_PTR key);
/* SetFileCompletionNotificationModes on a file handle; false for a
 * synchronous one. */
bool file_set_notify_modes(struct file *f, UCHAR flags);
/* Waits until ovl, an operation of f, has finished. */
void file_wait_overlapped(struct file *f, LPOVERLAPPED ovl);

/* WriteFile on a standard handle (stdhandle.c); obj is the handle's, with
 * a reference that the call gives back. */
BOOL std_handle_write(struct object *obj, LPCVOID buf, DWORD len, LPDWORD written, LPOVERLAPPED ov);

#endif
