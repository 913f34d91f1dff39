/* What the other thread functions need of a thread handle. */
#ifndef IOCPCOMPAT_THREAD_H
#define IOCPCOMPAT_THREAD_H

#include <windows.h>
#include <stdbool.h>

struct object;

/* The thread h names (a thread handle or GetCurrentThread()): its Linux
 * thread id and where its priority is kept, with a reference in *ref to
 * drop (object_release) when *ref is not NULL. False with
 * ERROR_INVALID_HANDLE when h is neither. */
bool thread_lookup(HANDLE h, DWORD *tid, int **priority, struct object **ref);

#endif
