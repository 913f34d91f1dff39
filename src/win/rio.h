/*
 * The overlapped RIO provider (IOCPCOMPAT_RIO_PROVIDER=overlapped): the
 * Registered I/O function table served over plain overlapped Winsock
 * calls, for systems without RIO (Wine, old Windows). It is an emulation,
 * named for what it is: each request is one overlapped WSARecv/WSASend,
 * no faster than the program's own, so that RIO code and rio mode can run
 * and be tested where the system offers no RIO.
 *
 * A request's OVERLAPPED carries its queue's event with the low bit set,
 * so its completion reaches no completion port the socket may be
 * associated with (the program's own overlapped calls on that socket are
 * untouched); a thread-pool wait on that event collects the finished
 * requests of the queue, in order, into their completion queues.
 *
 * rio_handle.c: the handles (buffer ids, CQs, RQs), checked, never trusted.
 * rio_buffer.c: RIORegisterBuffer and the check of a request's RIO_BUF.
 * rio_cq.c: completion queues, RIONotify, RIODequeueCompletion.
 * rio_rq.c: request queues and their requests.
 * rio_socket.c: which sockets are RIO sockets, and their queues.
 */
#ifndef IOCPCOMPAT_WIN_RIO_H
#define IOCPCOMPAT_WIN_RIO_H

#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>
#include <stdbool.h>

/* mingw-w64's SDK declares nothing of RIO but WSA_FLAG_REGISTERED_IO. */
#ifndef RIO_CORRUPT_CQ
#include "../../include/iocpcompat/iocpcompat_rio.h"
#endif

/* What a handle names. */
enum rio_kind { RIO_KIND_BUFFER = 1, RIO_KIND_CQ, RIO_KIND_RQ };

struct rio_object {
    volatile LONG refs;
    enum rio_kind kind;
    void (*destroy)(struct rio_object *obj);   /* the last reference went */
};

void rio_object_init(struct rio_object *obj, enum rio_kind kind,
                     void (*destroy)(struct rio_object *obj));
void rio_object_retain(struct rio_object *obj);
void rio_object_release(struct rio_object *obj);

/* Gives obj's caller reference to a new handle; 0 (the reference dropped)
 * when the table cannot grow. */
ULONG_PTR rio_handle_publish(struct rio_object *obj);
/* The object h names if it is of that kind, with a reference; else NULL. */
struct rio_object *rio_handle_find(ULONG_PTR h, enum rio_kind kind);
/* Removes h and returns the table's reference, or NULL. */
struct rio_object *rio_handle_unpublish(ULONG_PTR h, enum rio_kind kind);

/* The memory a request's RIO_BUF names, checked against its registration:
 * 0, or WSAEFAULT for an id that names nothing or a span outside it. */
DWORD rio_buffer_span(const RIO_BUF *buf, char **base);

struct rio_cq;
struct rio_rq;

struct rio_cq *rio_cq_find(RIO_CQ handle);
void rio_cq_release(struct rio_cq *cq);
/* n more outstanding requests against cq's size; false when they do not fit. */
bool rio_cq_reserve(struct rio_cq *cq, ULONG n);
void rio_cq_unreserve(struct rio_cq *cq, ULONG n);
/* Appends a result of a request of rq, which stays counted against rq
 * until dequeued; takes the caller's reference to rq. notify: it may fire
 * the armed notification. */
void rio_cq_push(struct rio_cq *cq, const RIORESULT *result, struct rio_rq *rq, bool send,
                 bool notify);

/* A dequeued result's request no longer counts; drops its reference. */
void rio_rq_credit(struct rio_rq *rq, bool send);
void rio_rq_retain(struct rio_rq *rq);
void rio_rq_release(struct rio_rq *rq);
/* closesocket(s) of the queue's socket is about to run: deferred requests
 * complete aborted. */
void rio_rq_closing(struct rio_rq *rq);
/* closesocket has run: the handle goes, and the cancelled requests are
 * collected. Takes the caller's reference. */
void rio_rq_closed(struct rio_rq *rq);

/* Which sockets are RIO sockets. A socket made by socket() or WSASocket
 * without WSA_FLAG_REGISTERED_IO is plain; one accepted by AcceptEx from a
 * listener that is not plain stops being plain; any other socket (accepted
 * by accept(), or made where iocpcompat did not see it) counts as a RIO
 * socket. Recorded only while the overlapped provider serves RIO. */
void rio_socket_made(SOCKET s, bool registered);
void rio_socket_accepted(SOCKET listener, SOCKET accepted);
bool rio_socket_is_registered(SOCKET s);
/* Gives s its queue (a reference of the map's); false when s has one. */
bool rio_socket_attach(SOCKET s, struct rio_rq *rq);
/* closesocket(s): forgets s; returns its queue with the map's reference, or NULL. */
struct rio_rq *rio_socket_forget(SOCKET s);

/* The table the provider hands out. */
void rio_overlapped_table(RIO_EXTENSION_FUNCTION_TABLE *t);

/* The functions of the table. */
BOOL PASCAL rio_receive(RIO_RQ rq, PRIO_BUF data, ULONG count, DWORD flags, PVOID context);
int PASCAL rio_receive_ex(RIO_RQ rq, PRIO_BUF data, ULONG count, PRIO_BUF local, PRIO_BUF remote,
                          PRIO_BUF control, PRIO_BUF flags_buf, DWORD flags, PVOID context);
BOOL PASCAL rio_send(RIO_RQ rq, PRIO_BUF data, ULONG count, DWORD flags, PVOID context);
BOOL PASCAL rio_send_ex(RIO_RQ rq, PRIO_BUF data, ULONG count, PRIO_BUF local, PRIO_BUF remote,
                        PRIO_BUF control, PRIO_BUF flags_buf, DWORD flags, PVOID context);
VOID PASCAL rio_close_completion_queue(RIO_CQ cq);
RIO_CQ PASCAL rio_create_completion_queue(DWORD size, PRIO_NOTIFICATION_COMPLETION notify);
RIO_RQ PASCAL rio_create_request_queue(SOCKET s, ULONG max_recv, ULONG max_recv_buffers,
                                       ULONG max_send, ULONG max_send_buffers, RIO_CQ recv_cq,
                                       RIO_CQ send_cq, PVOID context);
ULONG PASCAL rio_dequeue_completion(RIO_CQ cq, PRIORESULT out, ULONG n);
VOID PASCAL rio_deregister_buffer(RIO_BUFFERID id);
INT PASCAL rio_notify(RIO_CQ cq);
RIO_BUFFERID PASCAL rio_register_buffer(PCHAR data, DWORD length);
BOOL PASCAL rio_resize_completion_queue(RIO_CQ cq, DWORD size);
BOOL PASCAL rio_resize_request_queue(RIO_RQ rq, DWORD max_recv, DWORD max_send);

#endif
