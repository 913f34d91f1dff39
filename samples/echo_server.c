/*
 * A classic IOCP echo server in plain Win32 C: it builds unchanged against the
 * Windows SDK and against iocpcompat on Linux.
 *
 *   echo_server [--port N] [--threads N] [--max-seconds N]
 *
 * Shape: one completion port, N worker threads in GetQueuedCompletionStatus,
 * a listener on 127.0.0.1 accepted with blocking accept() in the main thread
 * (AcceptEx comes later). Each connection has one operation in flight at a
 * time: WSARecv, then WSASend of what arrived (repeated until all of it is
 * sent), then the next WSARecv.
 *
 * It stops when a line is read from stdin, when stdin is closed, or after
 * --max-seconds; then it cancels what is still pending, posts one
 * PostQueuedCompletionStatus(port, 0, 0, NULL) per worker and prints a summary.
 * --port 0 picks a free port; the "listening on" line says which.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFFER_SIZE   16384
#define MAX_THREADS   64

enum op_kind { OP_RECV, OP_SEND };

/* One per connection. The OVERLAPPED comes first so that a packet's
 * LPOVERLAPPED is the connection itself; only one operation is in flight per
 * connection, so the worker that holds its packet owns it alone. */
typedef struct conn {
    OVERLAPPED ovl;
    SOCKET s;
    enum op_kind op;
    DWORD len;           /* bytes received, to echo */
    DWORD sent;          /* bytes of them sent so far */
    struct conn *prev, *next;
    char buf[BUFFER_SIZE];
} conn;

static HANDLE g_port;
static SOCKET g_listener = INVALID_SOCKET;
static struct sockaddr_in g_addr;
static LONG g_stop;
static LONG g_live;                 /* connections not yet freed */
static LONG64 g_connections;
static LONG64 g_bytes_echoed;
static DWORD g_max_seconds;

/* Live connections, so that shutdown can cancel what is pending. Guarded by a
 * spin lock built from InterlockedCompareExchange: it is held only for list
 * updates and CancelIoEx, neither of which blocks. */
static LONG g_list_lock;
static conn *g_list;

static void list_lock(void)
{
    while (InterlockedCompareExchange(&g_list_lock, 1, 0) != 0)
        Sleep(0);
}

static void list_unlock(void)
{
    InterlockedExchange(&g_list_lock, 0);
}

static int stopping(void)
{
    return InterlockedCompareExchange(&g_stop, 0, 0) != 0;
}

static void conn_close(conn *c)
{
    list_lock();
    if (c->prev)
        c->prev->next = c->next;
    else
        g_list = c->next;
    if (c->next)
        c->next->prev = c->prev;
    list_unlock();
    closesocket(c->s);
    free(c);
    InterlockedDecrement(&g_live);
}

/* Returns FALSE when the operation failed at once: then no packet will come,
 * and the caller closes the connection. */
static BOOL post_recv(conn *c)
{
    WSABUF wb;
    DWORD flags = 0, got = 0;
    c->op = OP_RECV;
    memset(&c->ovl, 0, sizeof(c->ovl));
    wb.buf = c->buf;
    wb.len = BUFFER_SIZE;
    /* Success (0) also queues a packet: the worker handles both the same way. */
    if (WSARecv(c->s, &wb, 1, &got, &flags, &c->ovl, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING)
        return FALSE;
    return TRUE;
}

static BOOL post_send(conn *c)
{
    WSABUF wb;
    DWORD sent = 0;
    c->op = OP_SEND;
    memset(&c->ovl, 0, sizeof(c->ovl));
    wb.buf = c->buf + c->sent;
    wb.len = c->len - c->sent;
    if (WSASend(c->s, &wb, 1, &sent, 0, &c->ovl, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING)
        return FALSE;
    return TRUE;
}

static DWORD WINAPI worker(LPVOID arg)
{
    (void)arg;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED ovl = NULL;
        BOOL ok = GetQueuedCompletionStatus(g_port, &bytes, &key, &ovl, INFINITE);
        conn *c;

        if (ovl == NULL) {
            if (!ok)
                fprintf(stderr, "echo_server: GetQueuedCompletionStatus failed: %lu\n",
                        (unsigned long)GetLastError());
            return 0;   /* our shutdown packet, or the port is gone */
        }
        c = (conn *)ovl;

        /* Failure (reset, abort, cancel at shutdown) or 0 bytes (the peer
         * closed) both end the connection. */
        if (!ok || (c->op == OP_RECV && bytes == 0)) {
            conn_close(c);
            continue;
        }
        if (c->op == OP_RECV) {
            c->len = bytes;
            c->sent = 0;
        } else {
            /* Windows completes a stream WSASend with every byte, but a
             * server must not rely on it: send whatever is left. */
            c->sent += bytes;
            InterlockedExchangeAdd64(&g_bytes_echoed, (LONG64)bytes);
        }
        if (stopping()) {
            conn_close(c);
        } else if (c->sent < c->len) {
            if (!post_send(c))
                conn_close(c);
        } else if (!post_recv(c)) {
            conn_close(c);
        }
    }
}

/* Wakes the main thread out of its blocking accept() by connecting to the
 * listener: portable, unlike closing a socket another thread is blocked on. */
static void request_stop(void)
{
    SOCKET s;
    if (InterlockedExchange(&g_stop, 1) != 0)
        return;
    s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET)
        return;
    connect(s, (struct sockaddr *)&g_addr, (int)sizeof(g_addr));
    closesocket(s);
}

static DWORD WINAPI stdin_watcher(LPVOID arg)
{
    char line[256];
    (void)arg;
    /* Any line or end of file means stop. */
    (void)fgets(line, (int)sizeof(line), stdin);
    request_stop();
    return 0;
}

static DWORD WINAPI timer(LPVOID arg)
{
    ULONGLONG until = GetTickCount64() + (ULONGLONG)g_max_seconds * 1000;
    (void)arg;
    while (!stopping() && GetTickCount64() < until)
        Sleep(100);
    request_stop();
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: echo_server [--port N (default 5555, 0 = any)] [--threads N (default 2)]"
                    " [--max-seconds N (default: no limit)]\n");
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;
    if (s == NULL || *s == '\0' || *s == '-')
        return 0;
    v = strtoul(s, &end, 10);
    if (*end != '\0' || v > max)
        return 0;
    *out = v;
    return 1;
}

int main(int argc, char **argv)
{
    unsigned long port = 5555, threads = 2, max_seconds = 0;
    HANDLE workers[MAX_THREADS], watcher, timer_thread = NULL;
    WSADATA wsa;
    int i, addrlen, one = 1;
    ULONGLONG started, until;
    conn *c;

    for (i = 1; i < argc; i++) {
        const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--port") == 0 && parse_uint(val, 65535, &port)) {
            i++;
        } else if (strcmp(arg, "--threads") == 0 && parse_uint(val, MAX_THREADS, &threads) && threads > 0) {
            i++;
        } else if (strcmp(arg, "--max-seconds") == 0 && parse_uint(val, 86400, &max_seconds)) {
            i++;
        } else {
            usage();
            return 2;
        }
    }
    g_max_seconds = (DWORD)max_seconds;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "echo_server: WSAStartup failed\n");
        return 1;
    }
    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    if (g_port == NULL) {
        fprintf(stderr, "echo_server: CreateIoCompletionPort failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }

    g_listener = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (g_listener == INVALID_SOCKET) {
        fprintf(stderr, "echo_server: socket failed: %d\n", WSAGetLastError());
        return 1;
    }
    setsockopt(g_listener, SOL_SOCKET, SO_REUSEADDR, (char *)&one, (int)sizeof(one));
    memset(&g_addr, 0, sizeof(g_addr));
    g_addr.sin_family = AF_INET;
    g_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_addr.sin_port = htons((unsigned short)port);
    addrlen = (int)sizeof(g_addr);
    if (bind(g_listener, (struct sockaddr *)&g_addr, addrlen) == SOCKET_ERROR ||
        listen(g_listener, SOMAXCONN) == SOCKET_ERROR ||
        getsockname(g_listener, (struct sockaddr *)&g_addr, &addrlen) == SOCKET_ERROR) {
        fprintf(stderr, "echo_server: cannot listen on 127.0.0.1:%lu: %d\n", port, WSAGetLastError());
        return 1;
    }

    for (i = 0; i < (int)threads; i++) {
        workers[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
        if (workers[i] == NULL) {
            fprintf(stderr, "echo_server: CreateThread failed: %lu\n", (unsigned long)GetLastError());
            return 1;
        }
    }
    /* Never waited for: it may stay blocked in fgets until the process
     * exits. Closing the handle at once says so (the thread keeps running). */
    watcher = CreateThread(NULL, 0, stdin_watcher, NULL, 0, NULL);
    if (watcher == NULL) {
        fprintf(stderr, "echo_server: CreateThread failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    CloseHandle(watcher);
    if (max_seconds > 0) {
        timer_thread = CreateThread(NULL, 0, timer, NULL, 0, NULL);
        if (timer_thread == NULL) {
            fprintf(stderr, "echo_server: CreateThread failed: %lu\n", (unsigned long)GetLastError());
            return 1;
        }
    }

    printf("echo_server: listening on 127.0.0.1:%u with %lu worker threads\n",
           (unsigned)ntohs(g_addr.sin_port), threads);
    fflush(stdout);
    started = GetTickCount64();

    for (;;) {
        SOCKET s = accept(g_listener, NULL, NULL);
        if (stopping()) {
            if (s != INVALID_SOCKET)
                closesocket(s);   /* the wake-up connection, or a late client */
            break;
        }
        if (s == INVALID_SOCKET) {
            /* Out of fds and the like: back off, do not spin. */
            fprintf(stderr, "echo_server: accept failed: %d\n", WSAGetLastError());
            Sleep(10);
            continue;
        }
        c = calloc(1, sizeof(*c));
        if (c == NULL) {
            closesocket(s);
            continue;
        }
        c->s = s;
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&one, (int)sizeof(one));
        if (CreateIoCompletionPort((HANDLE)s, g_port, (ULONG_PTR)c, 0) != g_port) {
            fprintf(stderr, "echo_server: CreateIoCompletionPort(socket) failed: %lu\n",
                    (unsigned long)GetLastError());
            closesocket(s);
            free(c);
            continue;
        }
        InterlockedIncrement64(&g_connections);
        InterlockedIncrement(&g_live);
        list_lock();
        c->next = g_list;
        if (g_list)
            g_list->prev = c;
        g_list = c;
        list_unlock();
        if (!post_recv(c))
            conn_close(c);
    }
    closesocket(g_listener);

    /* Cancel what is still pending; the workers close each connection when
     * its aborted packet arrives. A worker that saw the stop flag too late
     * may post once more, so repeat until every connection is gone. */
    until = GetTickCount64() + 5000;
    while (InterlockedCompareExchange(&g_live, 0, 0) > 0 && GetTickCount64() < until) {
        list_lock();
        for (c = g_list; c != NULL; c = c->next)
            CancelIoEx((HANDLE)c->s, NULL);
        list_unlock();
        Sleep(50);
    }

    for (i = 0; i < (int)threads; i++)
        PostQueuedCompletionStatus(g_port, 0, 0, NULL);
    for (i = 0; i < (int)threads; i++) {
        if (WaitForSingleObject(workers[i], 10000) != WAIT_OBJECT_0)
            fprintf(stderr, "echo_server: worker %d did not stop\n", i);
        else
            CloseHandle(workers[i]);
    }
    if (timer_thread != NULL && WaitForSingleObject(timer_thread, 1000) == WAIT_OBJECT_0)
        CloseHandle(timer_thread);

    printf("echo_server: summary: connections %lld, bytes echoed %lld, still open %ld, %.1f s\n",
           (long long)g_connections, (long long)InterlockedExchangeAdd64(&g_bytes_echoed, 0),
           (long)InterlockedCompareExchange(&g_live, 0, 0),
           (double)(GetTickCount64() - started) / 1000.0);
    fflush(stdout);
    CloseHandle(g_port);
    WSACleanup();
    return InterlockedCompareExchange(&g_live, 0, 0) == 0 ? 0 : 1;
}
