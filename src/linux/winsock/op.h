/*
 * One overlapped operation, from the Win32 call that starts it to the packet
 * that reports it. The record is the library's, pooled, and is what the
 * engine carries as its user data: completions are routed through it, never
 * through the file descriptor, whose number the kernel reuses.
 */
#ifndef IOCPCOMPAT_OP_H
#define IOCPCOMPAT_OP_H

#include "engine.h"
#include "port.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <winsock2.h>

struct sock;
struct engine;
struct file;
struct op_rio;

/* The extension function an op serves; its kernel work takes several steps
 * (accept, then maybe the first data; connect, then maybe a send). */
enum op_ext {
    EXT_NONE,
    EXT_ACCEPTEX,
    EXT_CONNECTEX,
    EXT_POSTED,     /* not an operation: a PostQueuedCompletionStatus packet */
    EXT_FILE,       /* ReadFile/WriteFile on a file: sock is NULL, file is set (file_io.c) */
    EXT_RIO,        /* a RIO request: a receive or send whose result goes to a RIO CQ (rio_rq.c) */
};

enum op_where {
    IN_NO_ENGINE,          /* only queued, or finished */
    IN_BACKGROUND_ENGINE,  /* submitted before its socket had a port */
    IN_PORT_ENGINE,
    IN_RIO_ENGINE,         /* a RIO request: its queue's reaping port's engine (rio_rq.c) */
};

enum op_cancel {
    CANCEL_NONE,
    CANCEL_USER,    /* CancelIo/CancelIoEx, or a close that aborts a wait: STATUS_CANCELLED */
    CANCEL_ABORT,   /* closesocket of a connection: STATUS_CONNECTION_ABORTED */
};

/* What a receive or send with several buffers, or with an address
 * (WSARecvFrom, WSASendTo), gives the kernel. */
struct op_msg {
    struct msghdr hdr;
    LPINT fromlen;            /* WSARecvFrom's address length, written at completion */
    LPWSAMSG wsamsg;          /* WSARecvMsg's message: lengths and flags written at completion */
    void *owned;              /* a send's: memory of the library's the buffers point into (TransmitFile), freed with the op */
    unsigned count;           /* iov's length (hdr moves on after a short send) */
    struct iovec iov[];
};

/* What AcceptEx and ConnectEx keep between their kernel steps. */
struct op_ext_state {
    union {
        struct {
            struct sock *target;   /* the caller's accept socket (a reference) */
            char *buffer;
            DWORD data_len, local_len, remote_len;
        } accept;
        struct {
            char *buffer;          /* sent once connected */
            DWORD len;
            socklen_t addrlen;
            struct sockaddr_in6 addr;  /* the target (IPv4 or IPv6) */
        } connect;
    };
};

/*
 * A pending receive is most of an idle connection's footprint, so the
 * record is kept small: one buffer and no address, the common case, is held
 * inline; anything more lives in a struct op_msg or struct op_ext of its own.
 */
struct op {
    struct packet packet;     /* what reaches the port; packet.ovl is the caller's OVERLAPPED */
    struct op *next;          /* in its socket's queue */
    struct sock *sock;
    uint32_t issuer;          /* thread that started it, for CancelIo */
    DWORD total;              /* bytes the caller asked for */
    DWORD done;               /* bytes already sent (a send resumes after a short write) */
    unsigned char cancel;
    unsigned char ext;
    /* Which engine it is in flight on (enum op_where): a byte rather than a
     * pointer, because a pending receive is most of an idle connection's
     * memory. A socket's engine changes once at most, from the background
     * thread's to its port's; RIO requests have their queue's (rio_rq.c). */
    unsigned char where;
    /* The kernel step under way: its kind, descriptor, flags and buffers
     * (req.buf is the one buffer, unless msg is set: then req.msg points
     * into it). */
    struct engine_request req;
    union {
        struct op_msg *msg;   /* ext == EXT_NONE: several buffers or an address, or NULL */
        struct op_ext_state *x;  /* EXT_ACCEPTEX, EXT_CONNECTEX */
        struct file *file;       /* EXT_FILE: a reference to the file */
        struct op_rio *rio;      /* EXT_RIO */
    };
};

static inline struct op *op_of(struct engine_request *req)
{
    return (struct op *)(void *)((char *)req - offsetof(struct op, req));
}

/* The engine op is in flight on, or NULL while it is only queued. Called
 * with op->sock locked. */
struct engine *op_engine(const struct op *op);

/* A record for sock, or NULL (WSAENOBUFS set). Takes a reference to sock. */
struct op *op_alloc(struct sock *sock, enum req_kind kind, LPOVERLAPPED ovl);
void op_free(struct op *op);

/* Copies the caller's WSABUFs and, for WSARecvFrom/WSASendTo, the address
 * (addr, addrlen, fromlen; NULL/0 otherwise); false (WSAENOBUFS/WSAEFAULT
 * set) on failure. */
bool op_set_buffers(struct op *op, const WSABUF *bufs, DWORD count, struct sockaddr *addr,
                    socklen_t addrlen, LPINT fromlen);

/* Gives op, a send, the memory its buffers point into (malloc'd), to be
 * freed with it; false (WSAENOBUFS set, owned not taken) when memory is
 * exhausted. After op_set_buffers. */
bool op_set_owned(struct op *op, void *owned);
/* The same for WSARecvMsg: msg's buffers, address and control buffer. */
bool op_set_message(struct op *op, LPWSAMSG msg);

/* Writes what a finished receive reports besides its bytes: WSARecvFrom's
 * address length, WSARecvMsg's lengths and flags. */
void op_report_message(struct op *op);

/* Makes op serve extension ext (AcceptEx, ConnectEx); false (WSAENOBUFS set)
 * when memory is exhausted. */
bool op_set_ext(struct op *op, enum op_ext ext);


/* Makes op serve a RIO request (op->rio, zeroed); false (WSAENOBUFS set)
 * when memory is exhausted. */
bool op_set_rio(struct op *op);

/* op, a finished RIO request, becomes a packet of 0 bytes with key and ovl
 * (its CQ's notification): what it held of its socket is let go. */
void op_become_notification(struct op *op, ULONG_PTR key, LPOVERLAPPED ovl);

/* A receive or send of the caller's buffers (WSARecv, RIOReceive...), not
 * an extension function's step. */
static inline bool op_is_transfer(const struct op *op)
{
    return op->ext == EXT_NONE || op->ext == EXT_RIO;
}

/* A packet for PostQueuedCompletionStatus, from the same pool; NULL when
 * memory is exhausted. */
struct packet *op_posted_packet(DWORD bytes, ULONG_PTR key, LPOVERLAPPED ovl);

/* Drops the first n bytes from a send's remaining buffers (after a short write). */
void op_skip_sent(struct op *op, size_t n);

/*
 * The engine reports op's kernel result. Resumes what is unfinished (the
 * rest of a short send; an operation the kernel cancelled because the
 * thread that issued it exited), else finishes op. Returns the port the
 * packet must be queued on (with a reference), or NULL when none is due, in
 * which case op is already freed or back in flight.
 */
struct port *op_complete(struct op *op, int res);

/*
 * Finishes op synchronously with status and bytes: fills the OVERLAPPED,
 * signals its event, and returns the port to queue the packet on (with a
 * reference) or NULL (op freed) when none is due. Called with sock locked.
 */
struct port *op_finish_locked(struct op *op, DWORD status, DWORD bytes, bool inline_success);

/* Translates a kernel result into what Windows reports: NTSTATUS and bytes. */
void op_outcome(struct op *op, int res, DWORD *status, DWORD *bytes);

/* Runs n engine reports through op_complete. The packets due on port
 * `here` are appended at *tail, in report order; the others are delivered
 * to their ports. */
void op_complete_reports(const struct engine_report *reports, int n, struct port *here,
                         struct packet ***tail);


/* The pending error of a socket (SO_ERROR), leaving errno alone. */
int op_socket_error(int fd);

/* Small id of the calling thread, as recorded in op->issuer. */
uint32_t op_thread_id(void);

/* op_finish_locked, and the packet (if due) queued on its port at once. */
void op_finish_now(struct op *op, DWORD status, DWORD bytes, bool inline_success);

/* CreateIoCompletionPort(file, port, key): returns a Win32 error code. */
DWORD op_associate(HANDLE file, struct port *port, ULONG_PTR key);

#endif
