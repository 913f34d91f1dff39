/*
 * classic_echo: the second server shape bench/run measures, plain Win32 as
 * many older IOCP servers are written, and unlike samples/echo_server in the
 * ways that matter to the library:
 *   - every connection has two I/O contexts, one receive and one send, so
 *     the next WSARecv is posted as soon as the WSASend of what came in is,
 *     and the two are in flight together;
 *   - what arrives while a send is still in flight is appended to a backlog
 *     that is sent when that send completes (one WSASend at a time);
 *   - an AcceptEx pool re-posted from the worker, and one worker thread in
 *     GetQueuedCompletionStatus, with a reference count per connection.
 *
 *   classic_echo [--port N] [--accepts N] [--max-seconds N]
 *
 * Prints "classic_echo: listening on 127.0.0.1:PORT" and serves until a line
 * is read from stdin, stdin is closed, or --max-seconds pass.
 */
#include <winsock2.h>
#include <mswsock.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFFER_SIZE 16384
#define MAX_ACCEPTS 256
#define ADDR_LEN (sizeof(SOCKADDR_IN) + 16)

typedef enum { IO_ACCEPT, IO_RECV, IO_SEND } io_kind;

typedef struct io_ctx {
    OVERLAPPED ovl;   /* first: the OVERLAPPED a packet names is the context */
    io_kind kind;
} io_ctx;

typedef struct session {
    io_ctx recv_io;
    io_ctx send_io;
    SOCKET s;
    LONG refs;            /* one per operation in flight */
    BOOL peer_done;       /* the receive side ended */
    BOOL sending;
    DWORD send_len;       /* bytes of send_buf in the WSASend in flight */
    DWORD backlog_len;    /* bytes waiting in backlog for the next send */
    char recv_buf[BUFFER_SIZE];
    char send_buf[BUFFER_SIZE * 2];
    char backlog[BUFFER_SIZE * 2];
} session;

typedef struct acceptor {
    io_ctx io;
    SOCKET s;
    char addrs[2 * ADDR_LEN];
} acceptor;

static HANDLE g_port;
static SOCKET g_listener;
static LPFN_ACCEPTEX g_AcceptEx;
static volatile LONG g_stop;   /* set by main, read by the worker: Interlocked */

static BOOL stopping(void)
{
    return InterlockedCompareExchange(&g_stop, 0, 0) != 0;
}

static void session_release(session *ss)
{
    if (InterlockedDecrement(&ss->refs) == 0) {
        closesocket(ss->s);
        free(ss);
    }
}

static BOOL posted(int rc)
{
    return rc == 0 || WSAGetLastError() == WSA_IO_PENDING;
}

static void post_recv(session *ss)
{
    WSABUF wb = { BUFFER_SIZE, ss->recv_buf };
    DWORD flags = 0, n = 0;
    memset(&ss->recv_io.ovl, 0, sizeof(ss->recv_io.ovl));
    InterlockedIncrement(&ss->refs);
    if (!posted(WSARecv(ss->s, &wb, 1, &n, &flags, &ss->recv_io.ovl, NULL))) {
        ss->peer_done = TRUE;
        session_release(ss);
    }
}

/* Sends the backlog, if any and no send is in flight. */
static void post_send(session *ss)
{
    WSABUF wb;
    DWORD n = 0;
    if (ss->sending || ss->backlog_len == 0)
        return;
    memcpy(ss->send_buf, ss->backlog, ss->backlog_len);
    ss->send_len = ss->backlog_len;
    ss->backlog_len = 0;
    wb.len = ss->send_len;
    wb.buf = ss->send_buf;
    memset(&ss->send_io.ovl, 0, sizeof(ss->send_io.ovl));
    ss->sending = TRUE;
    InterlockedIncrement(&ss->refs);
    if (!posted(WSASend(ss->s, &wb, 1, &n, 0, &ss->send_io.ovl, NULL))) {
        ss->sending = FALSE;
        session_release(ss);
    }
}

static void on_recv(session *ss, BOOL ok, DWORD bytes)
{
    if (!ok || bytes == 0) {
        ss->peer_done = TRUE;
        shutdown(ss->s, SD_BOTH);
    } else {
        /* One receive at a time, and the backlog drains with each send, so
         * it holds at most one send's and one receive's worth. */
        memcpy(ss->backlog + ss->backlog_len, ss->recv_buf, bytes);
        ss->backlog_len += bytes;
        post_send(ss);
        if (ss->backlog_len <= BUFFER_SIZE)
            post_recv(ss);
    }
    session_release(ss);
}

static void on_send(session *ss, BOOL ok, DWORD bytes)
{
    BOOL was_full = ss->backlog_len > BUFFER_SIZE;
    ss->sending = FALSE;
    if (ok && bytes == ss->send_len && !ss->peer_done) {
        post_send(ss);
        if (was_full)
            post_recv(ss);   /* the receive waited for room */
    }
    session_release(ss);
}

static BOOL post_accept(acceptor *a)
{
    DWORD n = 0;
    a->s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (a->s == INVALID_SOCKET)
        return FALSE;
    memset(&a->io.ovl, 0, sizeof(a->io.ovl));
    if (g_AcceptEx(g_listener, a->s, a->addrs, 0, (DWORD)ADDR_LEN, (DWORD)ADDR_LEN, &n, &a->io.ovl) ||
        WSAGetLastError() == ERROR_IO_PENDING)
        return TRUE;
    closesocket(a->s);
    return FALSE;
}

static void on_accept(acceptor *a, BOOL ok)
{
    SOCKET s = a->s;
    session *ss;
    BOOL one = TRUE;
    if (!ok || stopping()) {
        closesocket(s);
        if (!stopping() && !post_accept(a))
            fprintf(stderr, "classic_echo: AcceptEx failed: %d\n", WSAGetLastError());
        return;
    }
    if (!post_accept(a))
        fprintf(stderr, "classic_echo: AcceptEx failed: %d\n", WSAGetLastError());
    setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&g_listener, sizeof(g_listener));
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&one, sizeof(one));
    ss = (session *)calloc(1, sizeof(*ss));
    if (ss == NULL || CreateIoCompletionPort((HANDLE)s, g_port, 0, 0) != g_port) {
        free(ss);
        closesocket(s);
        return;
    }
    ss->s = s;
    ss->recv_io.kind = IO_RECV;
    ss->send_io.kind = IO_SEND;
    ss->refs = 1;
    post_recv(ss);
    session_release(ss);
}

static DWORD WINAPI worker(LPVOID arg)
{
    (void)arg;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED ovl = NULL;
        BOOL ok = GetQueuedCompletionStatus(g_port, &bytes, &key, &ovl, INFINITE);
        io_ctx *io = (io_ctx *)ovl;
        if (io == NULL)
            return 0;
        switch (io->kind) {
        case IO_ACCEPT:
            on_accept((acceptor *)io, ok);
            break;
        case IO_RECV:
            on_recv(CONTAINING_RECORD(io, session, recv_io), ok, bytes);
            break;
        case IO_SEND:
            on_send(CONTAINING_RECORD(io, session, send_io), ok, bytes);
            break;
        }
    }
}

static DWORD WINAPI stdin_watcher(LPVOID arg)
{
    char line[64];
    (void)arg;
    (void)fgets(line, (int)sizeof(line), stdin);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned port = 0, accepts = 32, max_seconds = 0;
    WSADATA wsa;
    SOCKADDR_IN addr;
    int addrlen = (int)sizeof(addr);
    GUID guid = WSAID_ACCEPTEX;
    DWORD n = 0;
    HANDLE threads[2];
    acceptor *pool;
    int i;

    for (i = 1; i + 1 < argc; i += 2) {
        unsigned v = (unsigned)strtoul(argv[i + 1], NULL, 10);
        if (strcmp(argv[i], "--port") == 0)
            port = v;
        else if (strcmp(argv[i], "--accepts") == 0 && v > 0 && v <= MAX_ACCEPTS)
            accepts = v;
        else if (strcmp(argv[i], "--max-seconds") == 0)
            max_seconds = v;
        else {
            fprintf(stderr, "usage: classic_echo [--port N] [--accepts N] [--max-seconds N]\n");
            return 2;
        }
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    g_listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((u_short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (g_port == NULL || g_listener == INVALID_SOCKET ||
        bind(g_listener, (SOCKADDR *)&addr, sizeof(addr)) == SOCKET_ERROR ||
        listen(g_listener, SOMAXCONN) == SOCKET_ERROR ||
        getsockname(g_listener, (SOCKADDR *)&addr, &addrlen) == SOCKET_ERROR ||
        WSAIoctl(g_listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &g_AcceptEx,
                 sizeof(g_AcceptEx), &n, NULL, NULL) == SOCKET_ERROR ||
        CreateIoCompletionPort((HANDLE)g_listener, g_port, 0, 0) != g_port) {
        fprintf(stderr, "classic_echo: setting up the listener failed: %d\n", WSAGetLastError());
        return 1;
    }
    pool = (acceptor *)calloc(accepts, sizeof(*pool));
    for (i = 0; pool != NULL && i < (int)accepts; i++) {
        pool[i].io.kind = IO_ACCEPT;
        if (!post_accept(&pool[i])) {
            fprintf(stderr, "classic_echo: AcceptEx failed: %d\n", WSAGetLastError());
            return 1;
        }
    }
    threads[0] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    threads[1] = CreateThread(NULL, 0, stdin_watcher, NULL, 0, NULL);
    printf("classic_echo: listening on 127.0.0.1:%u, one worker, %u AcceptEx posted\n",
           (unsigned)ntohs(addr.sin_port), accepts);
    fflush(stdout);
    WaitForSingleObject(threads[1], max_seconds ? max_seconds * 1000 : INFINITE);
    /* Leaving without tearing down the sessions: the process ends here. */
    InterlockedExchange(&g_stop, 1);
    PostQueuedCompletionStatus(g_port, 0, 0, NULL);
    WaitForSingleObject(threads[0], 5000);
    closesocket(g_listener);
    CloseHandle(g_port);
    WSACleanup();
    return 0;
}
