/*
 * Kernel-object handles (ports, events, semaphores, mutexes, threads, the
 * standard handles, files). A HANDLE is an index plus a generation into one table,
 * so a stale or made-up handle is detected rather than dereferenced, and
 * object handles never collide with socket values (file descriptors), which
 * are small numbers.
 */
#ifndef IOCPCOMPAT_OBJECT_H
#define IOCPCOMPAT_OBJECT_H

#include <windows.h>
#include <stdatomic.h>
#include <stdbool.h>

enum object_type {
    OBJECT_PORT = 1, OBJECT_EVENT, OBJECT_THREAD, OBJECT_SEMAPHORE, OBJECT_MUTEX, OBJECT_STD_HANDLE,
    OBJECT_FILE,
    OBJECT_TIMER, OBJECT_TIMER_QUEUE, OBJECT_QUEUE_TIMER, OBJECT_REGISTERED_WAIT, OBJECT_FILE_MAPPING,
    /* Registered I/O's buffer ids and queues: in the table so that a stale
     * or made-up one is detected, but closed by their own functions, never
     * by CloseHandle. */
    OBJECT_RIO_BUFFER, OBJECT_RIO_CQ, OBJECT_RIO_RQ
};

struct object;
struct waitable;

struct object_ops {
    enum object_type type;
    /* The last handle was closed (the object may live on while referenced). */
    void (*close)(struct object *obj);
    /* The last reference is gone: free it. */
    void (*destroy)(struct object *obj);
    /* The state the wait functions wait for; NULL when the object cannot be
     * waited on. */
    struct waitable *(*wait)(struct object *obj);
};

struct object {
    const struct object_ops *ops;
    atomic_uint refs;
};

void object_init(struct object *obj, const struct object_ops *ops);
void object_retain(struct object *obj);
void object_release(struct object *obj);

/* Gives the caller's reference to a new handle; NULL (ERROR_NOT_ENOUGH_MEMORY) on failure,
 * in which case the reference is dropped. */
HANDLE object_publish(struct object *obj);

/* Takes a reference to the object behind h, if h names a live object of that
 * type (type 0: any). Sets ERROR_INVALID_HANDLE and returns NULL otherwise. */
struct object *object_get(HANDLE h, enum object_type type);
/* The same, leaving the last error alone. */
struct object *object_find(HANDLE h, enum object_type type);

/* Removes h from the table if it names a live object of that type (type 0:
 * any that CloseHandle closes) and returns the table's reference, or NULL. */
struct object *object_unpublish(HANDLE h, enum object_type type);

/* True when h has the shape of an object handle rather than a socket. */
bool handle_is_object(HANDLE h);

#endif
