/*
 * The internal interface between the Win32 front end and an I/O engine.
 * An engine starts kernel operations, cancels them and reports their raw
 * results (bytes, or -errno). It knows nothing of Win32 error codes, ports
 * or packets: that is the front end's job, written once for all engines.
 */
#ifndef IOCPCOMPAT_ENGINE_H
#define IOCPCOMPAT_ENGINE_H

struct op;
struct engine;

struct engine_completion {
    struct op *op;
    int res;            /* bytes transferred (or poll mask), or -errno */
};

struct engine_vtable {
    const char *name;
    /* Starts op in the kernel. 0, or -errno when it could not be started. */
    int (*submit)(struct engine *e, struct op *op);
    /* Asks the kernel to stop op; its completion still arrives, exactly once. */
    void (*cancel)(struct engine *e, struct op *op);
    /* Waits up to timeout_ms (-1: forever) for completions. Returns how many
     * were stored in out (0 on timeout or wake). One thread at a time. */
    int (*wait)(struct engine *e, int timeout_ms, struct engine_completion *out, int max);
    /* True when completions wait to be reaped. Cheap (no system call). Any thread. */
    int (*ready)(struct engine *e);
    /* Makes a concurrent or the next wait return early. Any thread. */
    void (*wake)(struct engine *e);
    /* Gives the kernel what submit() held back for the next wait (see
     * engine_uring.c); the calling thread is about to block elsewhere. Any
     * thread. */
    void (*flush)(struct engine *e);
    /* The descriptor is about to be closed or replaced (dup3); nothing of
     * its is pending here any more. Any thread. */
    void (*forget)(struct engine *e, int fd);
    void (*destroy)(struct engine *e);
};

struct engine {
    const struct engine_vtable *vt;
};

/* Creates the engine IOCPCOMPAT_BACKEND selects. Returns 0 or a Win32 error
 * code (ERROR_INVALID_PARAMETER for an unknown or unusable choice). */
unsigned engine_create(struct engine **out);

int engine_uring_create(struct engine **out);   /* 0 or -errno */
int engine_epoll_create(struct engine **out);   /* 0 or -errno */

#endif
