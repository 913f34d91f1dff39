/*
 * Per-socket state kept by the front end: the port association, the
 * notification modes, what the connection has shown (reset, hints), and one
 * FIFO per direction. The head of each FIFO is the only one of its kind in
 * the kernel, which keeps several WSASends on the wire in posting order (a
 * short write is finished before the next send starts) and several WSARecvs
 * filled in posting order.
 */
#ifndef IOCPCOMPAT_SOCKET_H
#define IOCPCOMPAT_SOCKET_H

#include "lock.h"
#include "port.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <winsock2.h>

struct op;

struct opq {
    struct op *head;
    struct op *tail;
};

/* What the last receive on a stream showed of its receive queue, which
 * decides whether the next one is tried at once (recv_send.c). */
enum recv_seen {
    RECV_SEEN_NOTHING,
    RECV_SEEN_FILLED,   /* it filled its buffers: more is likely waiting */
    RECV_SEEN_SHORT,    /* it took less: the queue was drained */
};

/* Kept small, with the flags packed together: one lives per connection. */
struct sock {
    int fd;
    atomic_uint refs;
    struct lock lock;
    atomic_uint completions;    /* futex word: bumped when an op finishes and waiters > 0 */
    unsigned short waiters;     /* threads in WSAGetOverlappedResult(fWait) */
    unsigned char notify_modes; /* FILE_SKIP_* flags */
    unsigned char last_recv;    /* enum recv_seen */
    /* The inode of the socket being closed (0: not closing). Socket inodes
     * are numbered in 32 bits, from 1, by the kernel (get_next_ino). */
    atomic_uint closing_ino;
    bool stream;
    bool closed;                /* closesocket has begun: calls fail with WSAENOTSOCK */
    atomic_bool fd_closed;      /* ... and closed the descriptor: the number may be reused */
    bool reset;                 /* a reset was reported: later calls fail at once */
    bool accepted;              /* the connection came from accept/AcceptEx: the listening side */
    bool exclusive;             /* SO_EXCLUSIVEADDRUSE: SO_REUSEADDR may not be set */
    bool udp_connreset_off;     /* SIO_UDP_CONNRESET FALSE: port-unreachable reports are dropped */
    bool registered_io;         /* WSA_FLAG_REGISTERED_IO, or accepted from such a listener */
    struct port *port;          /* NULL until associated */
    ULONG_PTR key;
    struct opq recvq;
    struct opq sendq;
    struct opq otherq;          /* AcceptEx/ConnectEx: all in the kernel at once */
    struct op *accepting;       /* the AcceptEx that will fill this socket */
};

/* The descriptor SOCKET s names; false (WSAENOTSOCK set) when it cannot
 * name one. */
bool sock_fd(SOCKET s, int *fd);

/* The record for socket s, with a reference. With create, one is made for a
 * descriptor not seen before (e.g. from accept()). Sets WSAENOTSOCK and
 * returns NULL when s is not a socket. */
struct sock *sock_get(SOCKET s, bool create);
void sock_release(struct sock *sock);

/* The record of the socket a Winsock call was made on: NULL with
 * WSANOTINITIALISED before WSAStartup, or WSAENOTSOCK. */
struct sock *sock_for_call(SOCKET s);

/* The record of a socket passed as a HANDLE (CancelIoEx, ...): NULL with
 * ERROR_INVALID_HANDLE for anything else. */
struct sock *sock_from_handle(HANDLE h);

/* The engine that is to run op, one of sock's operations, and *where that
 * is (enum op_where); called with sock locked. */
struct engine *sock_engine(struct sock *sock, const struct op *op, unsigned char *where);

/* Starts the head of q in the kernel; one that cannot start finishes with
 * its error (and its packet is delivered), and the next is tried. sock locked. */
void sock_start_head(struct sock *sock, struct opq *q);

void opq_push(struct opq *q, struct op *op);
struct op *opq_pop(struct opq *q);
void opq_remove(struct opq *q, struct op *op);
bool opq_empty(const struct opq *q);

/* The queue op waits in. recvq and sendq are FIFOs whose head alone is in
 * the kernel; otherq's operations are all in the kernel at once. */
struct opq *sock_queue_of(struct sock *sock, struct op *op);

/* Puts op (back) in the kernel: the head of its FIFO, or op itself in
 * otherq; one that cannot start finishes with its error. sock locked. */
void sock_restart(struct sock *sock, struct op *op);

/* The descriptor is about to be closed or replaced: the engines that may
 * watch it let go of it. Its operations must be cancelled first. sock locked. */
void sock_forget_fd(struct sock *sock);

/* Cancels matching operations (see CancelIoEx); returns how many matched. sock locked. */
unsigned sock_cancel(struct sock *sock, LPOVERLAPPED ovl, bool only_mine, int why);

/* Waits until ovl, an operation of s, has finished (Internal is no longer
 * STATUS_PENDING); the thread's port slot is free meanwhile. */
void sock_wait_overlapped(struct sock *s, LPOVERLAPPED ovl);

/* The length Winsock gives for the address at sa: IPv4's and IPv6's by
 * family; any other family's is known, the length the kernel reported. */
int sockaddr_length(const struct sockaddr *sa, socklen_t known);

/* The TCP state of fd's connection (TCP_ESTABLISHED, ...), or -1 when fd
 * is not a TCP socket or cannot be asked; errno is left alone. */
int sock_tcp_state(int fd);

/* WSASend of bufs, which point into owned (malloc'd, or NULL): the memory
 * is freed when the send is over, whatever its outcome (recv_send.c). */
int send_owned(SOCKET s, WSABUF *bufs, DWORD count, LPWSAOVERLAPPED ovl, void *owned);

/* Starts op, a receive or send whose every outcome is a completion (a RIO
 * request), as an overlapped WSARecv/WSASend starts: tried at once where
 * that pays, else queued behind the earlier ones of its direction
 * (recv_send.c). s locked. */
void recv_send_start_locked(struct sock *s, struct op *op);

/* Whether ICMP port-unreachable reports reach an unconnected datagram
 * socket (SIO_UDP_CONNRESET; on by default, as on Windows). */
void sock_udp_connreset(int fd, bool on);

/* Empties fd's error queue, which would otherwise keep it polling as in
 * error after the failure it held was reported. */
void sock_drain_errors(int fd);

/* True once WSAStartup has been called (and not undone by WSACleanup). */
bool winsock_started(void);

#endif
