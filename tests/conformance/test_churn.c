/*
 * Connection churn acceptance test (spec rows A2, A4, A6, A7, X2, X4, X6, X7,
 * C2, C3, C7 under load): one listener with a pool of 64 AcceptEx always
 * posted; 10,000 client connections made with ConnectEx (each client socket
 * bound to 127.0.0.1:0 first, as ConnectEx requires), at most 48 at a time.
 * Every connection echoes one message:
 *   client WSASend -> server WSARecv -> server WSASend -> client WSARecv,
 * and the client checks every byte. The server then ends its side: every
 * other connection with DisconnectEx(TF_REUSE_SOCKET), after which the same
 * SOCKET value goes back to AcceptEx; the others with closesocket and a new
 * socket in the slot. The client closes after it saw the end of stream, so
 * the server is the side that closes first (no TIME_WAIT on the client's
 * ephemeral ports, which 10,000 connections would otherwise use up).
 * 4 worker threads run GetQueuedCompletionStatus with finite timeouts; all
 * posting after the start is done by the workers.
 *
 * Afterwards, on the test's thread: each operation completed exactly once
 * (one record per posted op, never reused, OVERLAPPED first), 10,000 echoes
 * verified, no packet failed except the 64 AcceptEx aborted by closing the
 * listener at the end (C3: ERROR_OPERATION_ABORTED with the listener's key),
 * every socket closed, and (Linux only) no fd leaked.
 *
 * Plain Win32 except the fd count, which reads /proc/self/fd on Linux.
 * Threading discipline as in test_stress_mt.c: cross-thread counters are
 * Interlocked; each client and each server slot is guarded by a spin lock made
 * from InterlockedCompareExchange; op records are handed to the completing
 * thread through the port; the test thread reads records and per-connection
 * state only after joining the workers.
 */
#include "conformance_stress.h"

#include <stdio.h>
#include <stdlib.h>

#define NUM_WORKERS        4
#define POOL_SIZE          64
#define NUM_CYCLES         10000
#define CLIENTS_IN_FLIGHT  48
/* A message: 4-byte length (of the whole message), 4-byte client index, then
 * a pattern that depends on both, so misrouted or mixed bytes show. */
#define MSG_HEADER         8
#define MAX_MSG            2048
/* The client asks for more than the message, so an extra byte would show. */
#define CLIENT_RECV_EXTRA  64
#define MAX_RECORDS        (NUM_CYCLES * 16 + 4096)
#define CHURN_KEY_LISTENER       ((ULONG_PTR)0x4C495354u)

enum op_kind {
    K_ACCEPT = 1, K_SRV_RECV, K_SRV_SEND, K_DISCONNECT, K_CONNECT, K_CLI_SEND, K_CLI_RECV, K_COUNT
};

static const char *churn_kind_name(int k)
{
    switch (k) {
    case K_ACCEPT: return "AcceptEx";
    case K_SRV_RECV: return "server WSARecv";
    case K_SRV_SEND: return "server WSASend";
    case K_DISCONNECT: return "DisconnectEx";
    case K_CONNECT: return "ConnectEx";
    case K_CLI_SEND: return "client WSASend";
    case K_CLI_RECV: return "client WSARecv";
    default: return "?";
    }
}

/* One record per posted operation, never reused: its completion count proves
 * exactly-once delivery (C7). The OVERLAPPED comes first so that the
 * LPOVERLAPPED in a packet is the record itself. */
typedef struct op_rec {
    OVERLAPPED ovl;
    LONG completions;      /* Interlocked: must end at 1 if posted, else 0 */
    LONG posted;           /* Interlocked: the call returned success or pending */
    int kind;
    DWORD index;           /* client index or slot index */
    ULONG_PTR key;         /* the completion key the packet must carry */
    DWORD len;             /* bytes asked */
    DWORD post_error;      /* error of a call that failed at once */
    DWORD packet_error;    /* GetLastError() of a failed packet */
} op_rec;

typedef struct client {
    LONG lock;
    SOCKET s;
    DWORD index;
    DWORD msg_len;
    DWORD got;
    int send_done, eof, verified, finished;
    char *sbuf, *rbuf;
} client;

typedef struct slot {
    LONG lock;
    SOCKET s;
    DWORD index;
    DWORD got, need;
    DWORD served;          /* connections this slot served */
    DWORD reused;          /* times DisconnectEx(TF_REUSE_SOCKET) recycled s */
    DWORD replaced;        /* times s was closed and replaced */
    int accept_pending;
    char abuf[2 * (sizeof(SOCKADDR_STORAGE) + 16)];
    char buf[MAX_MSG];
} slot;

static LPFN_ACCEPTEX pAcceptEx;
static LPFN_CONNECTEX pConnectEx;
static LPFN_DISCONNECTEX pDisconnectEx;
static LPFN_GETACCEPTEXSOCKADDRS pGetAcceptExSockaddrs;

/* Shared by the workers and the test thread; Interlocked access only, except
 * fields written before the workers start and read-only afterwards. */
static struct {
    HANDLE port;            /* read-only while workers run */
    HANDLE done_event;      /* read-only while workers run */
    SOCKET listener;        /* read-only while workers run */
    struct sockaddr_storage addr;   /* the listener's address; read-only */
    int addrlen;
    LONG stop;
    LONG failed;
    LONG shutting_down;     /* set before the listener is closed at the end */
    LONG records_used;
    LONG clients_started;
    LONG clients_finished;
    LONG server_served;     /* echo sends completed on the server */
    LONG server_rearmed;    /* AcceptEx posted again after a served connection */
    LONG expected_aborts;   /* AcceptEx aborted by the final listener close */
    LONG64 ops_posted;
    LONG64 packets;
    LONG64 failed_packets;  /* not counting the expected aborts */
    LONG64 post_failures;
    LONG64 double_completions;
    LONG64 wrong_key;
    LONG64 bad_internal;
    LONG64 data_errors;
    LONG64 stray_packets;
    LONG64 echoes_verified;
    LONG64 client_closes;   /* closesocket of a client socket returned 0 */
    LONG64 server_closes;   /* closesocket of a replaced accept socket returned 0 */
    LONG64 disconnects;     /* DisconnectEx packets TRUE, 0 bytes */
    LONG64 bad_addresses;   /* GetAcceptExSockaddrs or SO_UPDATE_*_CONTEXT wrong */
    LONG first_what;
    LONG first_code;
    LONG first_index;
    LONG first_kind;
} g;

static op_rec *g_recs;
static client *g_clients;
static slot *g_slots;

/* --------------------------------------------------------------- data ----- */

static DWORD churn_msg_len(DWORD client_index)
{
    return MSG_HEADER + stress_mix(client_index * 0x9E3779B1u + 17u) % (MAX_MSG - MSG_HEADER + 1);
}

static unsigned char churn_msg_byte(DWORD client_index, DWORD off)
{
    return (unsigned char)stress_mix(client_index * 0x27D4EB2Fu + off * 0xFD7046C5u + 0x165667B1u);
}

static void churn_put32(char *p, DWORD v)
{
    p[0] = (char)(v & 0xff);
    p[1] = (char)((v >> 8) & 0xff);
    p[2] = (char)((v >> 16) & 0xff);
    p[3] = (char)((v >> 24) & 0xff);
}

static DWORD churn_get32(const char *p)
{
    return (DWORD)(unsigned char)p[0] | (DWORD)(unsigned char)p[1] << 8 |
           (DWORD)(unsigned char)p[2] << 16 | (DWORD)(unsigned char)p[3] << 24;
}

/* ------------------------------------------------------------ helpers ----- */

enum {
    CHURN_WHAT_POST = 1, CHURN_WHAT_PACKET, CHURN_WHAT_DOUBLE, CHURN_WHAT_DATA, CHURN_WHAT_INTERNAL, CHURN_WHAT_KEY, CHURN_WHAT_STRAY,
    CHURN_WHAT_RECORDS, CHURN_WHAT_SOCKET, CHURN_WHAT_ADDRESS, CHURN_WHAT_CLOSE
};

static const char *churn_what_name(LONG what)
{
    switch (what) {
    case CHURN_WHAT_POST: return "call failed at once";
    case CHURN_WHAT_PACKET: return "failed packet";
    case CHURN_WHAT_DOUBLE: return "second packet for one operation";
    case CHURN_WHAT_DATA: return "wrong data or length";
    case CHURN_WHAT_INTERNAL: return "OVERLAPPED.Internal/InternalHigh wrong";
    case CHURN_WHAT_KEY: return "wrong completion key";
    case CHURN_WHAT_STRAY: return "unexpected packet without OVERLAPPED";
    case CHURN_WHAT_RECORDS: return "op record pool exhausted";
    case CHURN_WHAT_SOCKET: return "socket/bind/CreateIoCompletionPort failed";
    case CHURN_WHAT_ADDRESS: return "SO_UPDATE_*_CONTEXT or GetAcceptExSockaddrs wrong";
    case CHURN_WHAT_CLOSE: return "closesocket failed";
    default: return "none";
    }
}

/* Records the first problem for the failure message and wakes the test. */
static void churn_note_failure(LONG what, DWORD code, int kind, DWORD index)
{
    if (InterlockedCompareExchange(&g.first_what, what, 0) == 0) {
        InterlockedExchange(&g.first_code, (LONG)code);
        InterlockedExchange(&g.first_kind, kind);
        InterlockedExchange(&g.first_index, (LONG)index);
    }
    if (InterlockedExchange(&g.failed, 1) == 0)
        SetEvent(g.done_event);
}

static int churn_failed(void)
{
    return load32(&g.failed) != 0;
}

static op_rec *churn_new_record(int kind, DWORD index, ULONG_PTR key, DWORD len)
{
    LONG i = InterlockedIncrement(&g.records_used) - 1;
    op_rec *r;
    if (i >= MAX_RECORDS) {
        churn_note_failure(CHURN_WHAT_RECORDS, (DWORD)i, kind, index);
        return NULL;
    }
    r = &g_recs[i];
    memset(&r->ovl, 0, sizeof(r->ovl));
    r->kind = kind;
    r->index = index;
    r->key = key;
    r->len = len;
    /* Counted as posted before the call: a packet may beat the return. */
    InterlockedExchange(&r->posted, 1);
    InterlockedIncrement64(&g.ops_posted);
    return r;
}

/* After the call: started is TRUE when it returned success or pending. On an
 * immediate failure no packet may come, so the record is unposted. */
static int churn_post_result(op_rec *r, BOOL started, DWORD err)
{
    if (started)
        return 1;
    r->post_error = err;
    InterlockedExchange(&r->posted, 0);
    InterlockedDecrement64(&g.ops_posted);
    InterlockedIncrement64(&g.post_failures);
    churn_note_failure(CHURN_WHAT_POST, err, r->kind, r->index);
    return 0;
}

static void churn_check_done(void)
{
    if (load32(&g.clients_finished) == NUM_CYCLES && load32(&g.server_rearmed) == NUM_CYCLES)
        SetEvent(g.done_event);
}

/* ------------------------------------------------------------- server ----- */

/* Under the slot lock. */
static void churn_post_accept(slot *sl)
{
    op_rec *r = churn_new_record(K_ACCEPT, sl->index, CHURN_KEY_LISTENER, 0);
    DWORD bytes = 0;
    BOOL rc;
    if (r == NULL)
        return;
    sl->accept_pending = 1;
    rc = pAcceptEx(g.listener, sl->s, sl->abuf, 0, STRESS_ADDR_LEN, STRESS_ADDR_LEN, &bytes, &r->ovl);
    if (!churn_post_result(r, rc || WSAGetLastError() == ERROR_IO_PENDING, rc ? 0 : (DWORD)WSAGetLastError()))
        sl->accept_pending = 0;
}

/* Under the slot lock. */
static void churn_post_srv_recv(slot *sl)
{
    op_rec *r = churn_new_record(K_SRV_RECV, sl->index, (ULONG_PTR)sl, MAX_MSG - sl->got);
    WSABUF wb;
    DWORD n = 0, flags = 0;
    int rc;
    if (r == NULL)
        return;
    wb.buf = sl->buf + sl->got;
    wb.len = MAX_MSG - sl->got;
    rc = WSARecv(sl->s, &wb, 1, &n, &flags, &r->ovl, NULL);
    churn_post_result(r, rc == 0 || WSAGetLastError() == WSA_IO_PENDING, rc == 0 ? 0 : (DWORD)WSAGetLastError());
}

/* Under the slot lock. */
static void churn_post_srv_send(slot *sl)
{
    op_rec *r = churn_new_record(K_SRV_SEND, sl->index, (ULONG_PTR)sl, sl->need);
    WSABUF wb;
    DWORD n = 0;
    int rc;
    if (r == NULL)
        return;
    wb.buf = sl->buf;
    wb.len = sl->need;
    rc = WSASend(sl->s, &wb, 1, &n, 0, &r->ovl, NULL);
    churn_post_result(r, rc == 0 || WSAGetLastError() == WSA_IO_PENDING, rc == 0 ? 0 : (DWORD)WSAGetLastError());
}

/* Under the slot lock: the connection is served; end it and re-arm the slot.
 * Alternate connections reuse the socket or replace it, so exactly half of
 * the 10,000 go each way. */
static void churn_end_server_connection(slot *sl)
{
    LONG n = InterlockedIncrement(&g.server_served);
    sl->served++;
    if (n & 1) {
        op_rec *r = churn_new_record(K_DISCONNECT, sl->index, (ULONG_PTR)sl, 0);
        BOOL rc;
        if (r == NULL)
            return;
        rc = pDisconnectEx(sl->s, &r->ovl, TF_REUSE_SOCKET, 0);
        churn_post_result(r, rc || WSAGetLastError() == ERROR_IO_PENDING, rc ? 0 : (DWORD)WSAGetLastError());
        /* The AcceptEx follows the DisconnectEx packet. */
        return;
    }
    if (closesocket(sl->s) != 0) {
        churn_note_failure(CHURN_WHAT_CLOSE, (DWORD)WSAGetLastError(), K_SRV_SEND, sl->index);
        return;
    }
    InterlockedIncrement64(&g.server_closes);
    sl->replaced++;
    sl->s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (sl->s == INVALID_SOCKET) {
        churn_note_failure(CHURN_WHAT_SOCKET, (DWORD)WSAGetLastError(), K_ACCEPT, sl->index);
        return;
    }
    if (CreateIoCompletionPort((HANDLE)sl->s, g.port, (ULONG_PTR)sl, 0) != g.port) {
        churn_note_failure(CHURN_WHAT_SOCKET, GetLastError(), K_ACCEPT, sl->index);
        return;
    }
    churn_post_accept(sl);
    InterlockedIncrement(&g.server_rearmed);
    churn_check_done();
}

static void churn_on_accept(slot *sl, op_rec *r, BOOL ok, DWORD err, DWORD bytes)
{
    spin_lock(&sl->lock);
    sl->accept_pending = 0;
    if (!ok) {
        if (load32(&g.shutting_down) != 0 && err == ERROR_OPERATION_ABORTED) {
            InterlockedIncrement(&g.expected_aborts);   /* C3 */
        } else {
            InterlockedIncrement64(&g.failed_packets);
            churn_note_failure(CHURN_WHAT_PACKET, err, r->kind, r->index);
        }
        spin_unlock(&sl->lock);
        return;
    }
    if (bytes != 0) {
        InterlockedIncrement64(&g.data_errors);
        churn_note_failure(CHURN_WHAT_DATA, bytes, r->kind, r->index);
    }
    /* A6: the caller's SOCKET value is now the connected socket. */
    if (setsockopt(sl->s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&g.listener,
                   (int)sizeof(g.listener)) != 0) {
        InterlockedIncrement64(&g.bad_addresses);
        churn_note_failure(CHURN_WHAT_ADDRESS, (DWORD)WSAGetLastError(), r->kind, r->index);
    } else {
        struct sockaddr *local = NULL, *remote = NULL;
        int local_len = 0, remote_len = 0;
        pGetAcceptExSockaddrs(sl->abuf, 0, STRESS_ADDR_LEN, STRESS_ADDR_LEN, &local, &local_len, &remote, &remote_len);
        if (local == NULL || remote == NULL || local->sa_family != AF_INET || remote->sa_family != AF_INET ||
            local_len < (int)sizeof(struct sockaddr_in) || remote_len < (int)sizeof(struct sockaddr_in) ||
            ((struct sockaddr_in *)local)->sin_port != ((struct sockaddr_in *)&g.addr)->sin_port ||
            ((struct sockaddr_in *)remote)->sin_addr.s_addr != htonl(INADDR_LOOPBACK)) {
            InterlockedIncrement64(&g.bad_addresses);
            churn_note_failure(CHURN_WHAT_ADDRESS, 0, r->kind, r->index);
        }
    }
    sl->got = 0;
    sl->need = 0;
    if (!churn_failed())
        churn_post_srv_recv(sl);
    spin_unlock(&sl->lock);
}

static void churn_on_srv_recv(slot *sl, op_rec *r, BOOL ok, DWORD err, DWORD bytes)
{
    spin_lock(&sl->lock);
    if (!ok) {
        InterlockedIncrement64(&g.failed_packets);
        churn_note_failure(CHURN_WHAT_PACKET, err, r->kind, r->index);
    } else if (bytes == 0 || bytes > r->len) {
        /* The client closed before its whole message came, or too many bytes. */
        InterlockedIncrement64(&g.data_errors);
        churn_note_failure(CHURN_WHAT_DATA, bytes, r->kind, r->index);
    } else {
        sl->got += bytes;
        if (sl->got >= MSG_HEADER && sl->need == 0) {
            sl->need = churn_get32(sl->buf);
            if (sl->need < MSG_HEADER || sl->need > MAX_MSG) {
                InterlockedIncrement64(&g.data_errors);
                churn_note_failure(CHURN_WHAT_DATA, sl->need, r->kind, r->index);
                spin_unlock(&sl->lock);
                return;
            }
        }
        if (sl->need != 0 && sl->got > sl->need) {
            InterlockedIncrement64(&g.data_errors);
            churn_note_failure(CHURN_WHAT_DATA, sl->got, r->kind, r->index);
        } else if (sl->need != 0 && sl->got == sl->need) {
            DWORD ci = churn_get32(sl->buf + 4), i;
            int good = ci < NUM_CYCLES && churn_msg_len(ci) == sl->need;
            for (i = MSG_HEADER; good && i < sl->need; i++)
                good = (unsigned char)sl->buf[i] == churn_msg_byte(ci, i);
            if (!good) {
                InterlockedIncrement64(&g.data_errors);
                churn_note_failure(CHURN_WHAT_DATA, ci, r->kind, r->index);
            } else if (!churn_failed()) {
                churn_post_srv_send(sl);
            }
        } else if (!churn_failed()) {
            churn_post_srv_recv(sl);
        }
    }
    spin_unlock(&sl->lock);
}

static void churn_on_srv_send(slot *sl, op_rec *r, BOOL ok, DWORD err, DWORD bytes)
{
    spin_lock(&sl->lock);
    if (!ok) {
        InterlockedIncrement64(&g.failed_packets);
        churn_note_failure(CHURN_WHAT_PACKET, err, r->kind, r->index);
    } else if (bytes != r->len) {
        /* R8: a stream WSASend completes whole. */
        InterlockedIncrement64(&g.data_errors);
        churn_note_failure(CHURN_WHAT_DATA, bytes, r->kind, r->index);
    } else if (!churn_failed()) {
        churn_end_server_connection(sl);
    }
    spin_unlock(&sl->lock);
}

static void churn_on_disconnect(slot *sl, op_rec *r, BOOL ok, DWORD err, DWORD bytes)
{
    spin_lock(&sl->lock);
    if (!ok) {
        InterlockedIncrement64(&g.failed_packets);
        churn_note_failure(CHURN_WHAT_PACKET, err, r->kind, r->index);
    } else if (bytes != 0) {
        InterlockedIncrement64(&g.data_errors);
        churn_note_failure(CHURN_WHAT_DATA, bytes, r->kind, r->index);
    } else {
        InterlockedIncrement64(&g.disconnects);
        sl->reused++;
        if (!churn_failed()) {
            /* X7: the same SOCKET value goes straight back to AcceptEx. */
            churn_post_accept(sl);
            InterlockedIncrement(&g.server_rearmed);
            churn_check_done();
        }
    }
    spin_unlock(&sl->lock);
}

/* ------------------------------------------------------------- client ----- */

/* Under the client lock. */
static void churn_post_cli_recv(client *c)
{
    DWORD cap = c->msg_len + CLIENT_RECV_EXTRA;
    op_rec *r = churn_new_record(K_CLI_RECV, c->index, (ULONG_PTR)c, cap - c->got);
    WSABUF wb;
    DWORD n = 0, flags = 0;
    int rc;
    if (r == NULL)
        return;
    wb.buf = c->rbuf + c->got;
    wb.len = cap - c->got;
    rc = WSARecv(c->s, &wb, 1, &n, &flags, &r->ovl, NULL);
    churn_post_result(r, rc == 0 || WSAGetLastError() == WSA_IO_PENDING, rc == 0 ? 0 : (DWORD)WSAGetLastError());
}

/* Under the client lock. */
static void churn_post_cli_send(client *c)
{
    op_rec *r = churn_new_record(K_CLI_SEND, c->index, (ULONG_PTR)c, c->msg_len);
    WSABUF wb;
    DWORD n = 0;
    int rc;
    if (r == NULL)
        return;
    wb.buf = c->sbuf;
    wb.len = c->msg_len;
    rc = WSASend(c->s, &wb, 1, &n, 0, &r->ovl, NULL);
    churn_post_result(r, rc == 0 || WSAGetLastError() == WSA_IO_PENDING, rc == 0 ? 0 : (DWORD)WSAGetLastError());
}

/* Starts the next client connection, if any are left. */
static void churn_start_client(void)
{
    LONG i;
    client *c;
    struct sockaddr_in local;
    op_rec *r;
    DWORD sent = 0, k;
    BOOL rc;

    if (churn_failed() || load32(&g.clients_started) >= NUM_CYCLES)
        return;
    i = InterlockedIncrement(&g.clients_started) - 1;
    if (i >= NUM_CYCLES)
        return;
    c = &g_clients[i];
    spin_lock(&c->lock);
    c->index = (DWORD)i;
    c->msg_len = churn_msg_len((DWORD)i);
    c->sbuf = malloc(c->msg_len);
    c->rbuf = malloc(c->msg_len + CLIENT_RECV_EXTRA);
    if (c->sbuf == NULL || c->rbuf == NULL) {
        churn_note_failure(CHURN_WHAT_SOCKET, ERROR_NOT_ENOUGH_MEMORY, K_CONNECT, c->index);
        spin_unlock(&c->lock);
        return;
    }
    churn_put32(c->sbuf, c->msg_len);
    churn_put32(c->sbuf + 4, c->index);
    for (k = MSG_HEADER; k < c->msg_len; k++)
        c->sbuf[k] = (char)churn_msg_byte(c->index, k);

    c->s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (c->s == INVALID_SOCKET) {
        churn_note_failure(CHURN_WHAT_SOCKET, (DWORD)WSAGetLastError(), K_CONNECT, c->index);
        spin_unlock(&c->lock);
        return;
    }
    memset(&local, 0, sizeof(local));
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(c->s, (struct sockaddr *)&local, (int)sizeof(local)) != 0) {
        churn_note_failure(CHURN_WHAT_SOCKET, (DWORD)WSAGetLastError(), K_CONNECT, c->index);
        spin_unlock(&c->lock);
        return;
    }
    if (CreateIoCompletionPort((HANDLE)c->s, g.port, (ULONG_PTR)c, 0) != g.port) {
        churn_note_failure(CHURN_WHAT_SOCKET, GetLastError(), K_CONNECT, c->index);
        spin_unlock(&c->lock);
        return;
    }
    r = churn_new_record(K_CONNECT, c->index, (ULONG_PTR)c, 0);
    if (r != NULL) {
        rc = pConnectEx(c->s, (const struct sockaddr *)&g.addr, g.addrlen, NULL, 0, &sent, &r->ovl);
        churn_post_result(r, rc || WSAGetLastError() == ERROR_IO_PENDING, rc ? 0 : (DWORD)WSAGetLastError());
    }
    spin_unlock(&c->lock);
}

/* Under the client lock: both the echo and the end of stream are in. */
static int churn_client_try_finish(client *c)
{
    if (c->finished || !c->send_done || !c->eof)
        return 0;
    c->finished = 1;
    if (closesocket(c->s) != 0) {
        churn_note_failure(CHURN_WHAT_CLOSE, (DWORD)WSAGetLastError(), K_CLI_RECV, c->index);
        return 0;
    }
    InterlockedIncrement64(&g.client_closes);
    /* Nothing is pending on the socket any more: the buffers are free. */
    free(c->sbuf);
    free(c->rbuf);
    c->sbuf = c->rbuf = NULL;
    InterlockedIncrement(&g.clients_finished);
    return 1;
}

static void churn_on_connect(client *c, op_rec *r, BOOL ok, DWORD err, DWORD bytes)
{
    spin_lock(&c->lock);
    if (!ok) {
        InterlockedIncrement64(&g.failed_packets);
        churn_note_failure(CHURN_WHAT_PACKET, err, r->kind, r->index);
    } else if (bytes != 0) {
        InterlockedIncrement64(&g.data_errors);
        churn_note_failure(CHURN_WHAT_DATA, bytes, r->kind, r->index);
    } else {
        /* X4 */
        if (setsockopt(c->s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0) != 0) {
            InterlockedIncrement64(&g.bad_addresses);
            churn_note_failure(CHURN_WHAT_ADDRESS, (DWORD)WSAGetLastError(), r->kind, r->index);
        }
        if (!churn_failed()) {
            /* The recv first, so the echo always has a taker. */
            c->got = 0;
            churn_post_cli_recv(c);
            churn_post_cli_send(c);
        }
    }
    spin_unlock(&c->lock);
}

static void churn_on_cli_send(client *c, op_rec *r, BOOL ok, DWORD err, DWORD bytes)
{
    int finished = 0;
    spin_lock(&c->lock);
    if (!ok) {
        InterlockedIncrement64(&g.failed_packets);
        churn_note_failure(CHURN_WHAT_PACKET, err, r->kind, r->index);
    } else if (bytes != r->len) {
        InterlockedIncrement64(&g.data_errors);
        churn_note_failure(CHURN_WHAT_DATA, bytes, r->kind, r->index);
    } else {
        c->send_done = 1;
        finished = churn_client_try_finish(c);
    }
    spin_unlock(&c->lock);
    if (finished) {
        churn_start_client();
        churn_check_done();
    }
}

static void churn_on_cli_recv(client *c, op_rec *r, BOOL ok, DWORD err, DWORD bytes)
{
    int finished = 0;
    spin_lock(&c->lock);
    if (!ok) {
        InterlockedIncrement64(&g.failed_packets);
        churn_note_failure(CHURN_WHAT_PACKET, err, r->kind, r->index);
    } else if (bytes > r->len) {
        InterlockedIncrement64(&g.data_errors);
        churn_note_failure(CHURN_WHAT_DATA, bytes, r->kind, r->index);
    } else if (bytes == 0) {
        /* End of stream: the server ended its side after the echo. */
        c->eof = 1;
        if (!c->verified) {
            InterlockedIncrement64(&g.data_errors);
            churn_note_failure(CHURN_WHAT_DATA, c->got, r->kind, r->index);
        } else {
            finished = churn_client_try_finish(c);
        }
    } else {
        c->got += bytes;
        if (c->got > c->msg_len) {
            InterlockedIncrement64(&g.data_errors);
            churn_note_failure(CHURN_WHAT_DATA, c->got, r->kind, r->index);
        } else {
            if (c->got == c->msg_len) {
                if (memcmp(c->rbuf, c->sbuf, c->msg_len) == 0) {
                    c->verified = 1;
                    InterlockedIncrement64(&g.echoes_verified);
                } else {
                    InterlockedIncrement64(&g.data_errors);
                    churn_note_failure(CHURN_WHAT_DATA, c->got, r->kind, r->index);
                }
            }
            /* More of the echo, or (after all of it) the end of stream. */
            if (!churn_failed())
                churn_post_cli_recv(c);
        }
    }
    spin_unlock(&c->lock);
    if (finished) {
        churn_start_client();
        churn_check_done();
    }
}

/* ------------------------------------------------------------- worker ----- */

static DWORD WINAPI churn_worker(LPVOID arg)
{
    (void)arg;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED ovl = NULL;
        BOOL ok = GetQueuedCompletionStatus(g.port, &bytes, &key, &ovl, WORKER_WAIT_MS);
        DWORD err = ok ? 0 : GetLastError();
        op_rec *r;

        if (ovl == NULL) {
            if (ok && key == 0 && bytes == 0)
                return 0;                       /* the test's stop packet (P5) */
            if (!ok && err == WAIT_TIMEOUT) {
                if (load32(&g.stop) != 0)
                    return 0;
                continue;
            }
            InterlockedIncrement64(&g.stray_packets);
            churn_note_failure(CHURN_WHAT_STRAY, ok ? bytes : err, 0, 0);
            if (!ok)
                return 1;                       /* the port itself failed */
            continue;
        }

        InterlockedIncrement64(&g.packets);
        r = (op_rec *)ovl;
        if (InterlockedIncrement(&r->completions) != 1) {
            /* Its bookkeeping already consumed the first packet. */
            InterlockedIncrement64(&g.double_completions);
            churn_note_failure(CHURN_WHAT_DOUBLE, ok ? 0 : err, r->kind, r->index);
            continue;
        }
        if (!ok)
            r->packet_error = err;
        if (key != r->key) {
            InterlockedIncrement64(&g.wrong_key);
            churn_note_failure(CHURN_WHAT_KEY, (DWORD)key, r->kind, r->index);
        }
        if (ok && (ovl->Internal != 0 || ovl->InternalHigh != bytes)) {
            InterlockedIncrement64(&g.bad_internal);
            churn_note_failure(CHURN_WHAT_INTERNAL, (DWORD)ovl->Internal, r->kind, r->index);
        }
        switch (r->kind) {
        case K_ACCEPT: churn_on_accept(&g_slots[r->index], r, ok, err, bytes); break;
        case K_SRV_RECV: churn_on_srv_recv(&g_slots[r->index], r, ok, err, bytes); break;
        case K_SRV_SEND: churn_on_srv_send(&g_slots[r->index], r, ok, err, bytes); break;
        case K_DISCONNECT: churn_on_disconnect(&g_slots[r->index], r, ok, err, bytes); break;
        case K_CONNECT: churn_on_connect(&g_clients[r->index], r, ok, err, bytes); break;
        case K_CLI_SEND: churn_on_cli_send(&g_clients[r->index], r, ok, err, bytes); break;
        case K_CLI_RECV: churn_on_cli_recv(&g_clients[r->index], r, ok, err, bytes); break;
        default: break;
        }
    }
}

/* ------------------------------------------------------------- set-up ----- */

static void churn_expect_pending_bool(BOOL rc)
{
    if (!rc)
        assert_int_equal(WSAGetLastError(), ERROR_IO_PENDING);
}

static void churn_expect_pending_int(int rc)
{
    if (rc != 0)
        assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
}

/* Waits for the packet of ovl (others of this warm-up may come first). */
static void churn_expect_packets(HANDLE port, LPOVERLAPPED a, LPOVERLAPPED b)
{
    int seen_a = 0, seen_b = b == NULL;
    while (!seen_a || !seen_b) {
        packet p = get_packet(port, 10000);
        assert_true(p.ok);
        if (p.ovl == a && !seen_a)
            seen_a = 1;
        else if (p.ovl == b && !seen_b)
            seen_b = 1;
        else
            fail_msg("warm-up: unexpected packet %p", (void *)p.ovl);
    }
}

/* One cycle of everything the test uses, single-threaded, then everything
 * closed: the library creates whatever it keeps for the whole process (on
 * Linux a background io_uring ring) before the fd baseline is taken. A leak
 * per socket, op or port still shows: the test makes thousands of each. */
static void churn_warm_up(void)
{
    HANDLE port = new_port();
    struct sockaddr_storage addr;
    struct sockaddr_in local;
    int addrlen, round;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET a = new_tcp_socket(AF_INET);
    char abuf[2 * (sizeof(SOCKADDR_STORAGE) + 16)], out[8] = "warm-up", in[8];
    OVERLAPPED o1, o2;
    WSABUF wb;
    DWORD n = 0, flags = 0;

    associate(l, port, 1);
    associate(a, port, 2);
    /* Twice: the second AcceptEx reuses a after DisconnectEx(TF_REUSE_SOCKET). */
    for (round = 0; round < 2; round++) {
        SOCKET c = new_tcp_socket(AF_INET);
        memset(&local, 0, sizeof(local));
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        assert_int_equal(bind(c, (struct sockaddr *)&local, (int)sizeof(local)), 0);
        associate(c, port, 3);

        memset(&o1, 0, sizeof(o1));
        memset(&o2, 0, sizeof(o2));
        churn_expect_pending_bool(pAcceptEx(l, a, abuf, 0, STRESS_ADDR_LEN, STRESS_ADDR_LEN, &n, &o1));
        churn_expect_pending_bool(pConnectEx(c, (struct sockaddr *)&addr, addrlen, NULL, 0, &n, &o2));
        churn_expect_packets(port, &o1, &o2);
        assert_int_equal(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, (int)sizeof(l)), 0);
        assert_int_equal(setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);

        memset(&o1, 0, sizeof(o1));
        memset(&o2, 0, sizeof(o2));
        wb.buf = in;
        wb.len = sizeof(in);
        churn_expect_pending_int(WSARecv(a, &wb, 1, &n, &flags, &o1, NULL));
        wb.buf = out;
        wb.len = sizeof(out);
        churn_expect_pending_int(WSASend(c, &wb, 1, &n, 0, &o2, NULL));
        churn_expect_packets(port, &o1, &o2);
        assert_memory_equal(in, out, sizeof(out));

        memset(&o1, 0, sizeof(o1));
        churn_expect_pending_bool(pDisconnectEx(a, &o1, TF_REUSE_SOCKET, 0));
        churn_expect_packets(port, &o1, NULL);
        assert_int_equal(closesocket(c), 0);
    }
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(closesocket(l), 0);
    assert_true(CloseHandle(port));
}

/* ---------------------------------------------------------------- test ----- */

static void churn_describe_stuck(char *out, size_t outlen)
{
    LONG64 stuck[K_COUNT];
    LONG i, used = load32(&g.records_used);
    const op_rec *first = NULL;
    size_t off;
    int k;
    memset(stuck, 0, sizeof(stuck));
    if (used > MAX_RECORDS)
        used = MAX_RECORDS;
    for (i = 0; i < used; i++) {
        const op_rec *r = &g_recs[i];
        if (load32((LONG volatile *)&r->posted) && load32((LONG volatile *)&r->completions) == 0) {
            if (r->kind > 0 && r->kind < K_COUNT)
                stuck[r->kind]++;
            if (first == NULL)
                first = r;
        }
    }
    off = (size_t)snprintf(out, outlen, "ops without a packet:");
    for (k = 1; k < K_COUNT && off < outlen; k++)
        if (stuck[k] != 0)
            off += (size_t)snprintf(out + off, outlen - off, " %lld %s,", (long long)stuck[k], churn_kind_name(k));
    if (first != NULL && off < outlen)
        snprintf(out + off, outlen - off, " first: %s of %s %u", churn_kind_name(first->kind),
                 first->kind <= K_DISCONNECT ? "slot" : "client", (unsigned)first->index);
    else if (off < outlen)
        snprintf(out + off, outlen - off, " none");
}

static void churn(void **state)
{
    HANDLE threads[NUM_WORKERS];
    ULONGLONG start, elapsed;
    LONG64 zero = 0, multi = 0, unposted_completed = 0, posted_by_kind[K_COUNT];
    DWORD wait_rc;
    LONG i, used;
    int j;
    char first_bad[200] = "", stuck[400] = "";
    DWORD reused = 0, replaced = 0, served = 0;
#ifdef __linux__
    int fds_initial, fds_before;
#endif
    (void)state;

    load_extensions(&pAcceptEx, &pConnectEx, &pDisconnectEx, &pGetAcceptExSockaddrs);
#ifdef __linux__
    fds_initial = fd_count(0);
#endif
    churn_warm_up();
#ifdef __linux__
    fds_before = settled_fd_count();
    assert_true(fds_initial > 0 && fds_before > 0);
    if (fds_before != fds_initial)
        print_message("note: after the warm-up the process holds %d more fd(s) (%d before it, %d after)\n",
                      fds_before - fds_initial, fds_initial, fds_before);
#endif

    start = GetTickCount64();
    memset(&g, 0, sizeof(g));
    g_recs = calloc(MAX_RECORDS, sizeof(*g_recs));
    g_clients = calloc(NUM_CYCLES, sizeof(*g_clients));
    g_slots = calloc(POOL_SIZE, sizeof(*g_slots));
    assert_non_null(g_recs);
    assert_non_null(g_clients);
    assert_non_null(g_slots);
    g.port = new_port();
    g.done_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    assert_non_null(g.done_event);
    g.listener = new_listener(AF_INET, &g.addr, &g.addrlen);
    associate(g.listener, g.port, CHURN_KEY_LISTENER);

    /* The pool: 64 accept sockets, each associated before its first AcceptEx. */
    for (j = 0; j < POOL_SIZE; j++) {
        slot *sl = &g_slots[j];
        sl->index = (DWORD)j;
        sl->s = new_tcp_socket(AF_INET);
        associate(sl->s, g.port, (ULONG_PTR)sl);
        spin_lock(&sl->lock);
        churn_post_accept(sl);
        spin_unlock(&sl->lock);
    }
    assert_int_equal(load64(&g.post_failures), 0);

    for (j = 0; j < NUM_WORKERS; j++) {
        threads[j] = start_thread(churn_worker, NULL);
    }
    for (j = 0; j < CLIENTS_IN_FLIGHT; j++)
        churn_start_client();

    wait_rc = wait_done_or_stall(g.done_event, &g.packets, start, DEADLINE_MS, STALL_MS);
    if (wait_rc != WAIT_OBJECT_0 || churn_failed()) {
        /* Stop the workers and leak the rest on purpose: freeing memory the
         * library may still write into would turn a clear failure into a
         * sanitizer crash. */
        int stopped = stop_workers(g.port, &g.stop, threads, NUM_WORKERS);
        if (stopped)
            churn_describe_stuck(stuck, sizeof(stuck));
        fail_msg("%s after %.1f s: clients started %ld, finished %ld of %d; echoes verified %lld; "
                 "server served %ld, re-armed %ld; first problem: %s (code %ld, %s of %s %ld); "
                 "failed packets %lld, post failures %lld, data errors %lld, doubles %lld, wrong keys %lld; %s",
                 wait_rc != WAIT_OBJECT_0 ? (GetTickCount64() - start >= DEADLINE_MS
                                             ? "deadline of 120 s passed"
                                             : "no packet for 20 s")
                                          : "failure",
                 (double)(GetTickCount64() - start) / 1000.0,
                 (long)load32(&g.clients_started), (long)load32(&g.clients_finished), NUM_CYCLES,
                 (long long)load64(&g.echoes_verified), (long)load32(&g.server_served),
                 (long)load32(&g.server_rearmed), churn_what_name(load32(&g.first_what)),
                 (long)load32(&g.first_code), churn_kind_name(load32(&g.first_kind)),
                 load32(&g.first_kind) <= K_DISCONNECT ? "slot" : "client", (long)load32(&g.first_index),
                 (long long)load64(&g.failed_packets), (long long)load64(&g.post_failures),
                 (long long)load64(&g.data_errors), (long long)load64(&g.double_completions),
                 (long long)load64(&g.wrong_key), stopped ? stuck : "workers did not stop");
    }
    elapsed = GetTickCount64() - start;

    /* C3: closing the listener aborts the 64 AcceptEx still pending, each
     * with ERROR_OPERATION_ABORTED and the listener's key. */
    InterlockedExchange(&g.shutting_down, 1);
    assert_int_equal(closesocket(g.listener), 0);
    {
        ULONGLONG until = GetTickCount64() + 10000;
        while (load32(&g.expected_aborts) < POOL_SIZE && !churn_failed() && GetTickCount64() < until)
            Sleep(5);
    }
    if (load32(&g.expected_aborts) != POOL_SIZE || churn_failed()) {
        int stopped = stop_workers(g.port, &g.stop, threads, NUM_WORKERS);
        if (stopped)
            churn_describe_stuck(stuck, sizeof(stuck));
        fail_msg("after closing the listener, %ld of %d pending AcceptEx completed with "
                 "ERROR_OPERATION_ABORTED within 10 s; first problem: %s (code %ld, %s of %s %ld); %s",
                 (long)load32(&g.expected_aborts), POOL_SIZE, churn_what_name(load32(&g.first_what)),
                 (long)load32(&g.first_code), churn_kind_name(load32(&g.first_kind)),
                 load32(&g.first_kind) <= K_DISCONNECT ? "slot" : "client", (long)load32(&g.first_index),
                 stopped ? stuck : "workers did not stop");
    }
    /* Nothing is pending on the accept sockets: closing them queues no
     * packet (C2). The workers still run, so a late packet would be counted. */
    for (j = 0; j < POOL_SIZE; j++) {
        slot *sl = &g_slots[j];
        spin_lock(&sl->lock);
        assert_int_equal(closesocket(sl->s), 0);
        spin_unlock(&sl->lock);
    }
    Sleep(100);
    for (j = 0; j < NUM_WORKERS; j++)
        assert_true(PostQueuedCompletionStatus(g.port, 0, 0, NULL));
    for (j = 0; j < NUM_WORKERS; j++)
        join_thread_exit_zero(threads[j], 10000);
    /* The stop packets were the last ones: anything now is extra. */
    assert_no_packet(g.port, 50);

    /* Exactly once, per record. */
    memset(posted_by_kind, 0, sizeof(posted_by_kind));
    used = load32(&g.records_used);
    assert_true(used <= MAX_RECORDS);
    for (i = 0; i < used; i++) {
        op_rec *r = &g_recs[i];
        LONG n = load32(&r->completions);
        if (!load32(&r->posted)) {
            if (n != 0) {
                unposted_completed++;
                if (first_bad[0] == '\0')
                    snprintf(first_bad, sizeof(first_bad), "%s of %s %u failed at once (error %u) "
                             "but still queued %ld packet(s)", churn_kind_name(r->kind),
                             r->kind <= K_DISCONNECT ? "slot" : "client", (unsigned)r->index,
                             (unsigned)r->post_error, (long)n);
            }
            continue;
        }
        posted_by_kind[r->kind]++;
        if (n == 1)
            continue;
        if (n == 0)
            zero++;
        else
            multi++;
        if (first_bad[0] == '\0')
            snprintf(first_bad, sizeof(first_bad), "%s of %s %u completed %ld times", churn_kind_name(r->kind),
                     r->kind <= K_DISCONNECT ? "slot" : "client", (unsigned)r->index, (long)n);
    }
    if (zero != 0 || multi != 0 || unposted_completed != 0)
        fail_msg("%lld ops never completed, %lld completed more than once, %lld failed at once "
                 "but queued a packet; first: %s",
                 (long long)zero, (long long)multi, (long long)unposted_completed, first_bad);

    assert_int_equal(load64(&g.failed_packets), 0);
    assert_int_equal(load64(&g.post_failures), 0);
    assert_int_equal(load64(&g.double_completions), 0);
    assert_int_equal(load64(&g.wrong_key), 0);
    assert_int_equal(load64(&g.bad_internal), 0);
    assert_int_equal(load64(&g.data_errors), 0);
    assert_int_equal(load64(&g.stray_packets), 0);
    assert_int_equal(load64(&g.bad_addresses), 0);
    assert_int_equal(load32(&g.expected_aborts), POOL_SIZE);
    assert_int_equal(load64(&g.echoes_verified), NUM_CYCLES);
    assert_int_equal(load32(&g.clients_finished), NUM_CYCLES);
    assert_int_equal(load64(&g.client_closes), NUM_CYCLES);
    assert_int_equal(load32(&g.server_served), NUM_CYCLES);
    assert_int_equal(load32(&g.server_rearmed), NUM_CYCLES);
    /* Half recycled with DisconnectEx, half closed and replaced. */
    assert_int_equal(load64(&g.disconnects), NUM_CYCLES / 2);
    assert_int_equal(load64(&g.server_closes), NUM_CYCLES / 2);
    assert_int_equal(posted_by_kind[K_ACCEPT], NUM_CYCLES + POOL_SIZE);
    assert_int_equal(posted_by_kind[K_CONNECT], NUM_CYCLES);
    assert_int_equal(posted_by_kind[K_CLI_SEND], NUM_CYCLES);
    assert_int_equal(posted_by_kind[K_SRV_SEND], NUM_CYCLES);
    assert_int_equal(posted_by_kind[K_DISCONNECT], NUM_CYCLES / 2);
    /* At least the echo and the end of stream on each client. */
    assert_true(posted_by_kind[K_CLI_RECV] >= 2 * NUM_CYCLES);
    assert_true(posted_by_kind[K_SRV_RECV] >= NUM_CYCLES);
    /* One packet per posted op, and no other. */
    assert_int_equal(load64(&g.packets), load64(&g.ops_posted));

    for (j = 0; j < POOL_SIZE; j++) {
        slot *sl = &g_slots[j];
        spin_lock(&sl->lock);
        reused += sl->reused;
        replaced += sl->replaced;
        served += sl->served;
        assert_int_equal(sl->served, sl->reused + sl->replaced);
        spin_unlock(&sl->lock);
    }
    assert_int_equal(served, NUM_CYCLES);
    assert_int_equal(reused, NUM_CYCLES / 2);
    assert_int_equal(replaced, NUM_CYCLES / 2);
    for (i = 0; i < NUM_CYCLES; i++) {
        client *c = &g_clients[i];
        spin_lock(&c->lock);
        if (!c->finished || !c->verified || !c->eof || c->sbuf != NULL) {
            spin_unlock(&c->lock);
            fail_msg("client %ld did not finish cleanly", (long)i);
        }
        spin_unlock(&c->lock);
    }
    print_message("%d connections echoed in %.1f s (%ld ops; %u slots' sockets reused, %u replaced)\n",
                  NUM_CYCLES, (double)elapsed / 1000.0, (long)used, (unsigned)reused, (unsigned)replaced);

    assert_true(CloseHandle(g.done_event));
    assert_true(CloseHandle(g.port));
    free(g_recs);
    free(g_clients);
    free(g_slots);
    g_recs = NULL;
    g_clients = NULL;
    g_slots = NULL;

#ifdef __linux__
    assert_fd_count_back_to(fds_before);
#endif
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(churn, conformance_setup, conformance_teardown),
    };
    return conformance_main(argc, argv, tests, NULL, NULL);
}
