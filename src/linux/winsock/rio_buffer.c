/*
 * RIORegisterBuffer and RIODeregisterBuffer. A buffer id is the (base,
 * length) every request is checked against. Nothing is pinned or handed to
 * the kernel: programs register hundreds of MiB, which Windows accepts and
 * RLIMIT_MEMLOCK would not, and a copy-free request needs nothing more than
 * the pointer.
 */
#include "rio.h"
#include "error.h"
#include "object.h"

#include <stdint.h>
#include <stdlib.h>

struct rio_buffer {
    struct object obj;
    char *base;
    DWORD length;
};

static void buffer_destroy(struct object *obj)
{
    free(obj);
}

static const struct object_ops buffer_ops = {
    .type = OBJECT_RIO_BUFFER, .close = NULL, .destroy = buffer_destroy, .wait = NULL,
};

RIO_BUFFERID PASCAL rio_register_buffer(PCHAR data, DWORD length)
{
    if (length == 0) {
        error_set(WSAEINVAL);
        return RIO_INVALID_BUFFERID;
    }
    if (data == NULL) {
        error_set(WSAEFAULT);
        return RIO_INVALID_BUFFERID;
    }
    struct rio_buffer *b = malloc(sizeof(*b));
    if (b == NULL) {
        error_set(WSAENOBUFS);
        return RIO_INVALID_BUFFERID;
    }
    object_init(&b->obj, &buffer_ops);
    b->base = data;
    b->length = length;
    HANDLE h = object_publish(&b->obj);
    if (h == NULL) {
        error_set(WSAENOBUFS);
        return RIO_INVALID_BUFFERID;
    }
    return (RIO_BUFFERID)h;
}

VOID PASCAL rio_deregister_buffer(RIO_BUFFERID id)
{
    /* An id that names no buffer is ignored, as Windows does. */
    struct object *obj = object_unpublish((HANDLE)id, OBJECT_RIO_BUFFER);
    if (obj != NULL)
        object_release(obj);
}

DWORD rio_buffer_span(const RIO_BUF *buf, char **base)
{
    struct rio_buffer *b = (struct rio_buffer *)object_find((HANDLE)buf->BufferId, OBJECT_RIO_BUFFER);
    if (b == NULL)
        return WSAEFAULT;
    DWORD code = 0;
    if ((uint64_t)buf->Offset + buf->Length > b->length)
        code = WSAEFAULT;
    else
        *base = b->base + buf->Offset;
    object_release(&b->obj);
    return code;
}
