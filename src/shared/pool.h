/*
 * The pool the op records (and posted packets, and their side records) come
 * from, so that steady-state I/O does not allocate. Every record has the same
 * size, the op record's (as op.c asks for it).
 */
#ifndef IOCPCOMPAT_POOL_H
#define IOCPCOMPAT_POOL_H

#include <stddef.h>

/* A record of size bytes (always the same size), or NULL when memory is exhausted. */
void *pool_get(size_t size);
void pool_put(void *record);

/* Gives the calling thread's cached records back to the shared list. */
void pool_thread_leaving(void);

#endif
