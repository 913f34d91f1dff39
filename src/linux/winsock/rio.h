/*
 * Registered I/O (RIO) over the front end's own operations. A request
 * queue is a socket's: its RIOReceive and RIOSend become ops in the
 * socket's receive and send queues, started and completed by the engine as
 * WSARecv and WSASend are, in order with them. What differs is where an op
 * ends: its result goes into a completion queue of the library's instead of
 * a port, and a CQ armed by RIONotify then posts one packet (or sets one
 * event). Buffer ids, CQs and request queues are handles of the object
 * table, so that a stale or made-up one is refused, never dereferenced.
 *
 * rio_buffer.c: RIORegisterBuffer and the check of a request's RIO_BUF.
 * rio_cq.c: completion queues, RIONotify, RIODequeueCompletion.
 * rio_rq.c: request queues and their requests.
 */
#ifndef IOCPCOMPAT_RIO_INTERNAL_H
#define IOCPCOMPAT_RIO_INTERNAL_H

#include <mswsock.h>
#include <stdbool.h>
#include <sys/socket.h>

struct op;
struct port;
struct sock;
struct rio_cq;
struct rio_rq;

struct rio_gather;

/* An op's side record while it serves a RIO request (op->ext EXT_RIO). */
struct op_rio {
    struct rio_rq *rq;          /* a reference, handed to the CQ with the result */
    ULONGLONG context;          /* the request's RequestContext */
    bool notify;                /* not sent with RIO_MSG_DONT_NOTIFY */
    struct msghdr hdr;          /* RIOReceiveEx/RIOSendEx: the buffer with the remote address */
    struct rio_gather *gather;  /* stream sends carried by this op besides its own, or NULL */
};

/* The engine that runs a RIO request: that of its queue's reaping port
 * (the socket's port, or else the port a CQ of the queue notifies), so the
 * threads that wait on that port reap the results without a hand-off from
 * the background thread; NULL when the queue has none (the background
 * engine's). */
struct engine *rio_request_engine(const struct op *op);

/* s, a RIO socket, is about to lose its descriptor (AcceptEx, DisconnectEx
 * reuse): the reaping port's engine forgets it too. s locked. */
void rio_sock_forget_fd(struct sock *s);

/* What an op of RIO requests holds that the op's free must let go. */
void rio_op_release(struct op_rio *r);

/* The memory a request's RIO_BUF names, checked against its registration:
 * 0, or WSAEFAULT for a buffer id that names nothing or a span outside it. */
DWORD rio_buffer_span(const RIO_BUF *buf, char **base);

/* The CQ a handle names, with a reference; NULL when it names none. */
struct rio_cq *rio_cq_find(RIO_CQ handle);
void rio_cq_release(struct rio_cq *cq);
/* Sets n more outstanding requests against cq's size (RIOCreateRequestQueue,
 * RIOResizeRequestQueue); false when they would not fit. */
bool rio_cq_reserve(struct rio_cq *cq, ULONG n);
void rio_cq_unreserve(struct rio_cq *cq, ULONG n);
/* A queue's results are reaped by its port's waiters: a CQ found empty
 * gives the port a look (RIODequeueCompletion). */
void rio_cq_attend_port(struct rio_cq *cq, struct port *port);
/* The port an RIO_IOCP_COMPLETION CQ notifies, or NULL. */
struct port *rio_cq_notify_port(const struct rio_cq *cq);
/* Appends n results of requests of rq, each of which stays counted
 * against rq (send or receive side) until dequeued; takes the caller's n
 * references to rq. notify: one of them may fire the notification. Returns
 * the port a notification packet is due on (with a reference), with *key
 * and *ovl its contents, or NULL. */
struct port *rio_cq_push(struct rio_cq *cq, const RIORESULT *results, unsigned n,
                         struct rio_rq *rq, bool send, bool notify, ULONG_PTR *key,
                         LPOVERLAPPED *ovl);

/* A dequeued result's request no longer counts against rq; drops the
 * reference the result held. */
void rio_rq_credit(struct rio_rq *rq, bool send);
void rio_rq_release(struct rio_rq *rq);

/* op, a RIO request, finished with status and bytes: its result goes into
 * its CQ. Returns the port a notification is due on, with op turned into
 * that packet, or NULL with op freed. Called with op->sock locked. */
struct port *rio_request_finished(struct op *op, DWORD status, DWORD bytes);

/* closesocket(s) has cancelled s's operations: its deferred requests
 * complete aborted and its request queue handle goes. s locked. */
void rio_sock_closing(struct sock *s);

/* The functions of RIO_EXTENSION_FUNCTION_TABLE (extension.c hands them out). */
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
