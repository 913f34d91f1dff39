/*
 * Overlapped ReadFile/WriteFile on a file: one engine request (a read or
 * write at the OVERLAPPED's offset) in the record every overlapped operation
 * uses (op.h), served by the file's port engine, or by the background
 * engine while the file has no port. The outcome goes through the shared
 * completion step (OVERLAPPED, event, low-bit rule, port), the same as a
 * socket operation's.
 */
#include "file.h"
#include "background.h"
#include "completion.h"
#include "engine.h"
#include "error.h"
#include "futex.h"
#include "op.h"
#include "pool.h"
#include "port.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>

static struct op *file_op_alloc(struct file *f, LPOVERLAPPED ovl)
{
    struct op *op = pool_get(sizeof(struct op));
    if (op == NULL)
        return NULL;
    memset(op, 0, sizeof(*op));
    op->packet.ovl = ovl;
    op->ext = EXT_FILE;
    op->file = f;
    object_retain(&f->obj);
    op->issuer = op_thread_id();
    op->req.fd = f->fd;
    return op;
}

void file_op_free(struct op *op)
{
    struct file *f = op->file;
    pool_put(op);
    file_release(f);
}

/* The engine that serves f now, and where that is, with a reference to the
 * port (*port) when it is the port's. */
static struct engine *engine_of(struct file *f, struct port **port, unsigned char *where)
{
    lock_acquire(&f->lock);
    *port = f->port;
    if (*port != NULL)
        port_retain(*port);
    lock_release(&f->lock);
    if (*port != NULL) {
        *where = IN_PORT_ENGINE;
        return port_engine(*port);
    }
    *where = IN_BACKGROUND_ENGINE;
    return background_engine();
}

/* Puts op's request in the engine it ran on (or f's, the first time):
 * 0, or -errno when it could not be started. */
static int submit(struct op *op)
{
    struct port *port = NULL;
    struct engine *e = engine_of(op->file, &port, &op->where);
    int rc = e != NULL ? e->vt->submit(e, &op->req) : -ENOMEM;
    if (port != NULL)
        port_release(port);
    return rc;
}

/* Tells threads in GetOverlappedResult(bWait) that an operation finished.
 * f->lock held. */
static void wake_waiters(struct file *f)
{
    if (f->waiters > 0) {
        atomic_fetch_add_explicit(&f->completions, 1, memory_order_relaxed);
        futex_wake(&f->completions, INT_MAX);
    }
}

/* Records the outcome; returns the port the packet goes to (with a
 * reference), or NULL (op freed) when none is due. */
static struct port *finish(struct op *op, DWORD status, DWORD bytes, bool inline_success)
{
    struct file *f = op->file;
    struct port *target = NULL;
    lock_acquire(&f->lock);
    op->packet.key = f->key;
    op->packet.bytes = bytes;
    op->packet.status = status;
    bool due = completion_record(op->packet.ovl, status, bytes, f->port != NULL,
                                 inline_success &&
                                     (f->notify_modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    wake_waiters(f);
    if (due) {
        target = f->port;
        port_retain(target);
    }
    lock_release(&f->lock);
    if (!due)
        file_op_free(op);
    return target;
}

static void deliver(struct op *op, struct port *target)
{
    if (target != NULL) {
        port_deliver(target, &op->packet);
        port_release(target);
    }
}

void file_finished_at_once(struct file *f, LPOVERLAPPED ovl, DWORD status, DWORD bytes)
{
    struct op *op = file_op_alloc(f, ovl);
    if (op == NULL) {
        /* No record for a packet: the OVERLAPPED and event still complete. */
        lock_acquire(&f->lock);
        completion_record(ovl, status, bytes, false, false);
        wake_waiters(f);
        lock_release(&f->lock);
        return;
    }
    deliver(op, finish(op, status, bytes, status == STATUS_SUCCESS));
}

BOOL file_io_start(struct file *f, bool write, void *buf, DWORD len, LPOVERLAPPED ovl)
{
    uint64_t off = ((uint64_t)ovl->OffsetHigh << 32) | ovl->Offset;
    bool append = write && ovl->Offset == 0xFFFFFFFFu && ovl->OffsetHigh == 0xFFFFFFFFu;
    if (append)
        off = 0;   /* RWF_APPEND writes at the end whatever the offset */
    else if (off > (uint64_t)INT64_MAX) {
        /* io_uring would take -1 for "the file pointer". */
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct op *op = file_op_alloc(f, ovl);
    if (op == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    op->req.kind = write ? REQ_WRITE_AT : REQ_READ_AT;
    op->req.buf.iov_base = buf;
    op->req.buf.iov_len = len;
    op->req.off = off;
    op->req.flags = append ? RWF_APPEND : 0;
    op->total = len;
    completion_mark_pending(ovl);
    int rc = submit(op);
    if (rc < 0) {
        /* Nothing started: the call fails at once, with no packet. */
        DWORD status = status_from_errno(-rc);
        __atomic_store_n(&ovl->Internal, (ULONG_PTR)status, __ATOMIC_RELEASE);
        file_op_free(op);
        error_set(status_to_win32(status));
        return FALSE;
    }
    error_set(ERROR_IO_PENDING);
    return FALSE;
}

/*
 * Whether op goes back to the engine instead of finishing with *res: a
 * request the kernel cancelled because the thread that submitted it exited
 * (Windows does not cancel, spec R15), and the rest of a short write.
 */
static bool resumes(struct op *op, int *res)
{
    if (*res == -ECANCELED || *res == -EINTR || *res == -EAGAIN)
        return true;
    if (op->req.kind == REQ_WRITE_AT && *res > 0 && op->done + (DWORD)*res < op->total) {
        op->done += (DWORD)*res;
        op->req.buf.iov_base = (char *)op->req.buf.iov_base + *res;
        op->req.buf.iov_len -= (size_t)*res;
        if (!(op->req.flags & RWF_APPEND))
            op->req.off += (uint64_t)*res;
        return true;
    }
    return false;
}

struct port *file_op_complete(struct op *op, int res)
{
    op->where = IN_NO_ENGINE;
    while (resumes(op, &res)) {
        int rc = submit(op);
        if (rc == 0)
            return NULL;
        res = rc;
        if (rc == -ECANCELED || rc == -EINTR || rc == -EAGAIN)
            res = -EIO;   /* never loop on a refusal */
    }
    DWORD status = STATUS_SUCCESS, bytes = op->done;
    if (res < 0) {
        status = status_from_errno(-res);
    } else if (op->req.kind == REQ_READ_AT && res == 0 && op->total > 0) {
        status = STATUS_END_OF_FILE;
    } else {
        bytes += (DWORD)res;
    }
    return finish(op, status, bytes, false);
}

DWORD file_associate(struct file *f, struct port *port, ULONG_PTR key)
{
    DWORD err = ERROR_SUCCESS;
    lock_acquire(&f->lock);
    /* A handle stays with the first port it is associated with, and only an
     * overlapped one can be: Windows refuses a synchronous handle. */
    if (f->port != NULL || !f->overlapped) {
        err = ERROR_INVALID_PARAMETER;
    } else {
        port_retain(port);
        f->port = port;
        f->key = key;
    }
    lock_release(&f->lock);
    return err;
}

bool file_set_notify_modes(struct file *f, UCHAR flags)
{
    /* Windows refuses the modes on a synchronous handle. */
    if (!f->overlapped)
        return false;
    lock_acquire(&f->lock);
    f->notify_modes |= flags;   /* modes cannot be turned off again */
    lock_release(&f->lock);
    return true;
}

void file_wait_overlapped(struct file *f, LPOVERLAPPED ovl)
{
    /* Operations finish under f->lock and then bump completions, so one
     * that finishes after the look below changes the word before the wait
     * can sleep on it. */
    port_thread_blocking();
    lock_acquire(&f->lock);
    f->waiters++;
    while ((DWORD)__atomic_load_n(&ovl->Internal, __ATOMIC_ACQUIRE) == STATUS_PENDING) {
        unsigned seen = atomic_load_explicit(&f->completions, memory_order_relaxed);
        lock_release(&f->lock);
        futex_wait(&f->completions, seen, NULL);
        lock_acquire(&f->lock);
    }
    f->waiters--;
    lock_release(&f->lock);
    port_thread_unblocked();
}
