/*
 * The ring of results inside a RIO completion queue, shared by the Linux
 * front end and the Windows overlapped provider; each keeps its own lock,
 * handle and notification around it. Requests count against a ring until
 * their result is taken, and the outstanding counts of the request queues
 * on it never exceed its size (reserve), so a push always has room, as on
 * Windows, where a CQ cannot overflow either. Every call is made with the
 * owner's lock held.
 */
#ifndef IOCPCOMPAT_RIO_RING_H
#define IOCPCOMPAT_RIO_RING_H

#include <winsock2.h>
#include <mswsock.h>
#include <stdbool.h>

/* mingw-w64's SDK declares nothing of RIO but WSA_FLAG_REGISTERED_IO. */
#ifndef RIO_CORRUPT_CQ
#include "../../include/iocpcompat/iocpcompat_rio.h"
#endif

struct rio_rq;

struct rio_ring_entry {
    RIORESULT result;
    struct rio_rq *rq;      /* a reference: the request still counts against it */
    bool send;
};

struct rio_ring {
    struct rio_ring_entry *slots;
    ULONG size;
    ULONG head;             /* the oldest result */
    ULONG count;
    ULONG reserved;         /* outstanding counts of the request queues on it */
};

/* A CQ size RIOCreateCompletionQueue and RIOResizeCompletionQueue accept. */
bool rio_ring_size_ok(DWORD size);
/* false when memory is short. Untouched pages of a large ring cost nothing
 * until results fill them. */
bool rio_ring_init(struct rio_ring *ring, ULONG size);
void rio_ring_free(struct rio_ring *ring);
/* n more outstanding requests; false when they do not fit. */
bool rio_ring_reserve(struct rio_ring *ring, ULONG n);
void rio_ring_unreserve(struct rio_ring *ring, ULONG n);
void rio_ring_push(struct rio_ring *ring, const RIORESULT *result, struct rio_rq *rq, bool send);
/* The i-th oldest result (i < count). */
struct rio_ring_entry *rio_ring_at(struct rio_ring *ring, ULONG i);
/* Takes the oldest result into *out; false when there is none. */
bool rio_ring_pop(struct rio_ring *ring, struct rio_ring_entry *out);
/* RIOResizeCompletionQueue: 0, WSAETOOMANYREFS below what is reserved or
 * queued, or WSAENOBUFS; what is queued stays, in order. */
DWORD rio_ring_resize(struct rio_ring *ring, ULONG size);

#endif
