/*
 * Load client for the echo server, in plain Win32 C (builds unchanged against
 * the Windows SDK and against iocpcompat on Linux).
 *
 *   echo_client [--host A.B.C.D] [--port N] [--connections N] [--messages N]
 *               [--size BYTES] [--threads N] [--timeout-seconds N]
 *
 * Closed loop: each connection has one message in flight. For message k it
 * posts a WSARecv for the echo and a WSASend of the message; when both have
 * finished (the send wholly sent, the echo wholly received and checked) it
 * starts message k+1. Every byte depends on (connection, message, offset), so
 * a lost, doubled, reordered or crossed byte is caught.
 *
 * Prints one result table; exits 0 only if every byte of every message came
 * back intact, 1 otherwise, 2 on bad arguments.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 64

enum op_kind { OP_SEND, OP_RECV };

struct conn;

/* OVERLAPPED first: a packet's LPOVERLAPPED is the op. */
typedef struct op {
    OVERLAPPED ovl;
    struct conn *c;
    enum op_kind kind;
} op;

/* The send and the recv of one message complete independently, possibly on
 * two workers at once: each half touches only its own fields, and the half
 * that finishes last (pending reaches 0) starts the next message. */
typedef struct conn {
    op send_op, recv_op;
    SOCKET s;
    DWORD index;
    DWORD msg;           /* message in flight; written only when pending == 0 */
    DWORD sent;          /* send half */
    DWORD rcvd;          /* recv half */
    LONG pending;        /* halves of the current message still running */
    LONG failed;
    char *sbuf, *rbuf;
} conn;

static struct {
    HANDLE port;
    HANDLE done_event;
    DWORD connections, messages, size;
    LONG finished;               /* connections that are done (ok or not) */
    LONG64 messages_ok;
    LONG64 bytes_verified;
    LONG64 errors;
    LONG first_error;            /* first Windows error code or 0 */
} g;

static unsigned char pattern(DWORD conn_index, DWORD msg, DWORD off)
{
    DWORD h = conn_index * 0x9E3779B1u + msg * 0x85EBCA77u + off * 0xC2B2AE3Du;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    h *= 0x297A2D39u;
    h ^= h >> 15;
    return (unsigned char)h;
}

static void note_error(conn *c, DWORD code)
{
    InterlockedExchange(&c->failed, 1);
    InterlockedIncrement64(&g.errors);
    InterlockedCompareExchange(&g.first_error, (LONG)code, 0);
}

static void connection_finished(void)
{
    if ((DWORD)InterlockedIncrement(&g.finished) == g.connections)
        SetEvent(g.done_event);
}

static void start_message(conn *c);

/* One half of the current message is over (done or failed). */
static void half_done(conn *c)
{
    if (InterlockedDecrement(&c->pending) != 0)
        return;
    /* Both halves are over: this thread now owns the connection. */
    if (InterlockedCompareExchange(&c->failed, 0, 0) != 0) {
        connection_finished();
        return;
    }
    InterlockedIncrement64(&g.messages_ok);
    c->msg++;
    start_message(c);
}

static void post_recv(conn *c)
{
    WSABUF wb;
    DWORD got = 0, flags = 0;
    memset(&c->recv_op.ovl, 0, sizeof(c->recv_op.ovl));
    wb.buf = c->rbuf + c->rcvd;
    wb.len = g.size - c->rcvd;
    if (WSARecv(c->s, &wb, 1, &got, &flags, &c->recv_op.ovl, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        note_error(c, (DWORD)WSAGetLastError());
        half_done(c);   /* no packet will come for it */
    }
}

static void post_send(conn *c)
{
    WSABUF wb;
    DWORD sent = 0;
    memset(&c->send_op.ovl, 0, sizeof(c->send_op.ovl));
    wb.buf = c->sbuf + c->sent;
    wb.len = g.size - c->sent;
    if (WSASend(c->s, &wb, 1, &sent, 0, &c->send_op.ovl, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        note_error(c, (DWORD)WSAGetLastError());
        half_done(c);
    }
}

static void start_message(conn *c)
{
    DWORD i;
    if (c->msg == g.messages) {
        connection_finished();
        return;
    }
    for (i = 0; i < g.size; i++)
        c->sbuf[i] = (char)pattern(c->index, c->msg, i);
    c->sent = 0;
    c->rcvd = 0;
    InterlockedExchange(&c->pending, 2);
    /* The recv goes first so the echo has a buffer waiting. After each post
     * the other half may already be running on another worker. */
    post_recv(c);
    post_send(c);
}

static void on_recv(conn *c, BOOL ok, DWORD bytes)
{
    DWORD i, bad = 0;
    if (!ok) {
        note_error(c, GetLastError());
        half_done(c);
        return;
    }
    if (bytes == 0 || bytes > g.size - c->rcvd) {
        note_error(c, 0);   /* the server closed, or sent more than asked */
        half_done(c);
        return;
    }
    for (i = 0; i < bytes; i++)
        if ((unsigned char)c->rbuf[c->rcvd + i] != pattern(c->index, c->msg, c->rcvd + i))
            bad++;
    if (bad != 0) {
        note_error(c, 0);
        half_done(c);
        return;
    }
    InterlockedExchangeAdd64(&g.bytes_verified, (LONG64)bytes);
    c->rcvd += bytes;
    if (c->rcvd < g.size)
        post_recv(c);       /* the rest of the echo is still coming */
    else
        half_done(c);
}

static void on_send(conn *c, BOOL ok, DWORD bytes)
{
    if (!ok) {
        note_error(c, GetLastError());
        half_done(c);
        return;
    }
    c->sent += bytes;
    if (c->sent < g.size)
        post_send(c);
    else
        half_done(c);
}

static DWORD WINAPI worker(LPVOID arg)
{
    (void)arg;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED ovl = NULL;
        BOOL ok = GetQueuedCompletionStatus(g.port, &bytes, &key, &ovl, INFINITE);
        op *o;
        if (ovl == NULL) {
            if (!ok)
                fprintf(stderr, "echo_client: GetQueuedCompletionStatus failed: %lu\n",
                        (unsigned long)GetLastError());
            return 0;
        }
        o = (op *)ovl;
        if (o->kind == OP_RECV)
            on_recv(o->c, ok, bytes);
        else
            on_send(o->c, ok, bytes);
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: echo_client [--host 127.0.0.1] [--port 5555] [--connections 64]"
                    " [--messages 1000] [--size 64] [--threads 2] [--timeout-seconds 60]\n");
}

static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;
    if (s == NULL || *s == '\0' || *s == '-')
        return 0;
    v = strtoul(s, &end, 10);
    if (*end != '\0' || v < min || v > max)
        return 0;
    *out = v;
    return 1;
}

int main(int argc, char **argv)
{
    unsigned long port = 5555, connections = 64, messages = 1000, size = 64, threads = 2, timeout = 60;
    const char *host = "127.0.0.1";
    HANDLE workers[MAX_THREADS];
    struct sockaddr_in addr;
    conn *conns;
    WSADATA wsa;
    ULONGLONG t0, t1;
    DWORD wait_rc, i;
    double secs;
    LONG64 expected;
    int pass, one = 1, stopped = 1;

    /* Every option takes one value. */
    for (i = 1; i < (DWORD)argc; i += 2) {
        const char *arg = argv[i], *val = i + 1 < (DWORD)argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--host") == 0 && val != NULL)
            host = val;
        else if (strcmp(arg, "--port") == 0 && parse_uint(val, 1, 65535, &port))
            ;
        else if (strcmp(arg, "--connections") == 0 && parse_uint(val, 1, 100000, &connections))
            ;
        else if (strcmp(arg, "--messages") == 0 && parse_uint(val, 1, 100000000, &messages))
            ;
        else if (strcmp(arg, "--size") == 0 && parse_uint(val, 1, 16u << 20, &size))
            ;
        else if (strcmp(arg, "--threads") == 0 && parse_uint(val, 1, MAX_THREADS, &threads))
            ;
        else if (strcmp(arg, "--timeout-seconds") == 0 && parse_uint(val, 1, 86400, &timeout))
            ;
        else {
            usage();
            return 2;
        }
    }
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "echo_client: --host must be an IPv4 address\n");
        return 2;
    }
    g.connections = (DWORD)connections;
    g.messages = (DWORD)messages;
    g.size = (DWORD)size;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "echo_client: WSAStartup failed\n");
        return 1;
    }
    g.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    g.done_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    conns = calloc(connections, sizeof(*conns));
    if (g.port == NULL || g.done_event == NULL || conns == NULL) {
        fprintf(stderr, "echo_client: setup failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }

    for (i = 0; i < g.connections; i++) {
        conn *c = &conns[i];
        c->index = i;
        c->send_op.c = c->recv_op.c = c;
        c->send_op.kind = OP_SEND;
        c->recv_op.kind = OP_RECV;
        c->sbuf = malloc(size);
        c->rbuf = malloc(size);
        c->s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
        if (c->sbuf == NULL || c->rbuf == NULL || c->s == INVALID_SOCKET) {
            fprintf(stderr, "echo_client: connection %lu: out of resources: %d\n",
                    (unsigned long)i, WSAGetLastError());
            return 1;
        }
        if (connect(c->s, (struct sockaddr *)&addr, (int)sizeof(addr)) == SOCKET_ERROR) {
            fprintf(stderr, "echo_client: connect to %s:%lu failed: %d\n", host, port, WSAGetLastError());
            return 1;
        }
        /* One small message in flight: do not let Nagle hold it back. */
        setsockopt(c->s, IPPROTO_TCP, TCP_NODELAY, (char *)&one, (int)sizeof(one));
        if (CreateIoCompletionPort((HANDLE)c->s, g.port, (ULONG_PTR)c, 0) != g.port) {
            fprintf(stderr, "echo_client: CreateIoCompletionPort(socket) failed: %lu\n",
                    (unsigned long)GetLastError());
            return 1;
        }
    }

    for (i = 0; i < threads; i++) {
        workers[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
        if (workers[i] == NULL) {
            fprintf(stderr, "echo_client: CreateThread failed: %lu\n", (unsigned long)GetLastError());
            return 1;
        }
    }

    t0 = GetTickCount64();
    for (i = 0; i < g.connections; i++)
        start_message(&conns[i]);
    wait_rc = WaitForSingleObject(g.done_event, (DWORD)(timeout * 1000));
    t1 = GetTickCount64();

    /* On success nothing is pending any more. On a timeout closing aborts
     * what is, and the workers see those packets before the stop packets. */
    for (i = 0; i < g.connections; i++)
        closesocket(conns[i].s);
    for (i = 0; i < threads; i++)
        PostQueuedCompletionStatus(g.port, 0, 0, NULL);
    for (i = 0; i < threads; i++) {
        if (WaitForSingleObject(workers[i], 10000) == WAIT_OBJECT_0)
            CloseHandle(workers[i]);
        else
            stopped = 0;
    }

    expected = (LONG64)connections * (LONG64)messages * (LONG64)size;
    secs = (double)(t1 - t0) / 1000.0;
    if (secs < 0.001)
        secs = 0.001;   /* GetTickCount64 has millisecond resolution */
    {
        LONG64 msgs = InterlockedExchangeAdd64(&g.messages_ok, 0);
        LONG64 bytes = InterlockedExchangeAdd64(&g.bytes_verified, 0);
        LONG64 errors = InterlockedExchangeAdd64(&g.errors, 0);
        if (wait_rc != WAIT_OBJECT_0)
            errors++;   /* the run did not finish in time */
        pass = wait_rc == WAIT_OBJECT_0 && errors == 0 && bytes == expected &&
               msgs == (LONG64)connections * (LONG64)messages;

        printf("%11s %10s %9s %14s %7s %9s %11s %9s\n", "connections", "messages", "msg_bytes",
               "bytes_verified", "errors", "elapsed_s", "messages/s", "MB/s");
        printf("%11lu %10lld %9lu %14lld %7lld %9.3f %11.0f %9.2f\n", connections, (long long)msgs, size,
               (long long)bytes, (long long)errors, secs, (double)msgs / secs,
               (double)bytes / secs / 1e6);
        if (pass)
            printf("RESULT: PASS (%lld of %lld echoed bytes verified)\n", (long long)bytes, (long long)expected);
        else
            printf("RESULT: FAIL (%lld of %lld echoed bytes verified, %lld errors%s, first error code %ld)\n",
                   (long long)bytes, (long long)expected, (long long)errors,
                   wait_rc != WAIT_OBJECT_0 ? ", timed out" : "",
                   (long)InterlockedCompareExchange(&g.first_error, 0, 0));
        fflush(stdout);
    }

    /* Free only when every worker is gone: a stuck one may still touch them. */
    if (stopped) {
        for (i = 0; i < g.connections; i++) {
            free(conns[i].sbuf);
            free(conns[i].rbuf);
        }
        free(conns);
        CloseHandle(g.done_event);
        CloseHandle(g.port);
        WSACleanup();
    }
    return pass ? 0 : 1;
}
