/*
 * RIORegisterBuffer and RIODeregisterBuffer: a buffer id is the (base,
 * length) each request is checked against; nothing is pinned.
 */
#include "rio.h"

#include <stdint.h>
#include <stdlib.h>

struct rio_buffer {
    struct rio_object obj;
    char *base;
    DWORD length;
};

static void buffer_destroy(struct rio_object *obj)
{
    free(obj);
}

RIO_BUFFERID PASCAL rio_register_buffer(PCHAR data, DWORD length)
{
    if (length == 0) {
        WSASetLastError(WSAEINVAL);
        return RIO_INVALID_BUFFERID;
    }
    if (data == NULL) {
        WSASetLastError(WSAEFAULT);
        return RIO_INVALID_BUFFERID;
    }
    struct rio_buffer *b = malloc(sizeof(*b));
    if (b == NULL) {
        WSASetLastError(WSAENOBUFS);
        return RIO_INVALID_BUFFERID;
    }
    rio_object_init(&b->obj, RIO_KIND_BUFFER, buffer_destroy);
    b->base = data;
    b->length = length;
    ULONG_PTR h = rio_handle_publish(&b->obj);
    if (h == 0) {
        WSASetLastError(WSAENOBUFS);
        return RIO_INVALID_BUFFERID;
    }
    return (RIO_BUFFERID)h;
}

VOID PASCAL rio_deregister_buffer(RIO_BUFFERID id)
{
    /* An id that names no buffer is ignored, as Windows does. */
    struct rio_object *obj = rio_handle_unpublish((ULONG_PTR)id, RIO_KIND_BUFFER);
    if (obj != NULL)
        rio_object_release(obj);
}

DWORD rio_buffer_span(const RIO_BUF *buf, char **base)
{
    struct rio_buffer *b = (struct rio_buffer *)rio_handle_find((ULONG_PTR)buf->BufferId,
                                                                RIO_KIND_BUFFER);
    if (b == NULL)
        return WSAEFAULT;
    DWORD code = 0;
    if ((uint64_t)buf->Offset + buf->Length > b->length)
        code = WSAEFAULT;
    else
        *base = b->base + buf->Offset;
    rio_object_release(&b->obj);
    return code;
}
