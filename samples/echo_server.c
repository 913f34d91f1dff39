/*
 * A classic IOCP echo server in plain Win32 C: it builds unchanged against the
 * Windows SDK (MSVC or mingw-w64) and against iocpcompat on Linux.
 *
 *   echo_server [--port N] [--threads N] [--accepts N] [--max-seconds N]
 *
 * Shape, as in most IOCP servers of the last twenty years:
 *   - one completion port; worker threads in GetQueuedCompletionStatus, as
 *     many as GetSystemInfo's dwNumberOfProcessors * 2 unless --threads says;
 *   - a listener on 127.0.0.1 with a pool of --accepts AcceptEx calls
 *     (AcceptEx found through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)),
 *     each re-posted as soon as its connection arrives, the new socket given
 *     SO_UPDATE_ACCEPT_CONTEXT and associated with the port;
 *   - per connection one operation in flight: WSARecv, then WSASend of what
 *     arrived (re-posting the rest after a partial send), then WSARecv again.
 *
 * It stops on Ctrl-C (SetConsoleCtrlHandler; on Linux SIGINT/SIGTERM), when
 * a line is read from stdin or stdin is closed, or after --max-seconds. Then
 * it closes the listener (aborting the AcceptEx pool), cancels the I/O of
 * every live connection with CancelIoEx, waits for the aborted packets,
 * posts PostQueuedCompletionStatus(port, 0, 0, NULL) once per worker, and
 * prints one summary line. Exit status 0 when every connection and every
 * accept was accounted for and every worker ended, 1 otherwise, 2 on bad
 * arguments.
 * --port 0 picks a free port; the "listening on" line says which.
 *
 * Its text is TCHAR code, as Visual Studio projects write it: built with
 * UNICODE and _UNICODE (the target echo_server_unicode) it is a wide
 * program, _tmain being wmain and _tprintf wprintf.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tchar.h>

#define BUFFER_SIZE     16384
#define MAX_THREADS     256
#define MAX_ACCEPTS     1024
/* AcceptEx wants room for each address plus 16 bytes. */
#define ACCEPT_ADDR_LEN (sizeof(struct sockaddr_in) + 16)

enum op_kind { OP_ACCEPT, OP_RECV, OP_SEND };

/* Every OVERLAPPED this server posts is the first member of one of these, so
 * a packet's LPOVERLAPPED says which kind of operation finished. */
typedef struct io_ctx {
    OVERLAPPED ovl;
    enum op_kind op;
} io_ctx;

/* One outstanding AcceptEx of the pool. */
typedef struct acceptor {
    io_ctx io;
    SOCKET s;                                  /* pre-created accept socket */
    char addrs[2 * ACCEPT_ADDR_LEN];
} acceptor;

/* One per connection. Only one operation is in flight per connection, so
 * the worker holding its packet owns the buffer and counters alone; the lock
 * only orders "post the next operation" against shutdown's "cancel
 * everything": without it, shutdown could cancel between a worker's check of
 * the stop flag and its post, and that post would then wait forever. */
typedef struct conn {
    io_ctx io;
    SOCKET s;
    CRITICAL_SECTION lock;
    BOOL closing;                              /* under lock */
    DWORD len;                                 /* bytes received, to echo */
    DWORD sent;                                /* bytes of them sent so far */
    struct conn *prev, *next;                  /* under g_list_lock */
    char buf[BUFFER_SIZE];
} conn;

static HANDLE g_port;
static HANDLE g_stop_event;                    /* set by every stop trigger */
static SOCKET g_listener = INVALID_SOCKET;
static LPFN_ACCEPTEX g_AcceptEx;
static volatile LONG g_stop;
/* What stopped the server, for the summary: 0 time limit, 1 stdin, 2 Ctrl-C. */
static volatile LONG g_stop_reason;

/* Guards re-posting AcceptEx against closing the listener at shutdown. */
static CRITICAL_SECTION g_accept_lock;
static volatile LONG g_accepts_pending;

/* Live connections, so that shutdown can cancel what is pending. */
static CRITICAL_SECTION g_list_lock;
static conn *g_list;
static volatile LONG g_live;

static volatile LONG64 g_connections;
static volatile LONG64 g_bytes_echoed;

static BOOL stopping(void)
{
    return InterlockedCompareExchange(&g_stop, 0, 0) != 0;
}

static void request_stop(LONG reason)
{
    /* The first trigger wins; the others find the event already set. */
    InterlockedCompareExchange(&g_stop_reason, reason, 0);
    SetEvent(g_stop_event);
}

/* Windows runs this on a thread of its own; it only wakes the main thread,
 * which does the actual shutdown. */
static BOOL WINAPI console_handler(DWORD type)
{
    switch (type) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
        request_stop(2);
        return TRUE;
    default:
        return FALSE;
    }
}

static DWORD WINAPI stdin_watcher(LPVOID arg)
{
    char line[256];
    (void)arg;
    /* Any line or end of file means stop. */
    (void)fgets(line, (int)sizeof(line), stdin);
    request_stop(1);
    return 0;
}

static void conn_free(conn *c)
{
    EnterCriticalSection(&g_list_lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        g_list = c->next;
    if (c->next)
        c->next->prev = c->prev;
    LeaveCriticalSection(&g_list_lock);
    /* The thread that posted the operation just completed may still be
     * inside conn_post_next: wait until it has left before the lock goes. */
    EnterCriticalSection(&c->lock);
    LeaveCriticalSection(&c->lock);
    closesocket(c->s);
    DeleteCriticalSection(&c->lock);
    free(c);
    InterlockedDecrement(&g_live);
}

/* Posts the next operation of a connection: the rest of the echo if some is
 * left, else a receive. Returns FALSE when nothing was posted (shutdown, or
 * the call failed at once and so no packet will come): the caller frees. */
static BOOL conn_post_next(conn *c)
{
    WSABUF wb;
    DWORD flags = 0, n = 0;
    int rc;
    BOOL posted = FALSE;

    EnterCriticalSection(&c->lock);
    if (!c->closing) {
        memset(&c->io.ovl, 0, sizeof(c->io.ovl));
        if (c->sent < c->len) {
            c->io.op = OP_SEND;
            wb.buf = c->buf + c->sent;
            wb.len = c->len - c->sent;
            rc = WSASend(c->s, &wb, 1, &n, 0, &c->io.ovl, NULL);
        } else {
            c->io.op = OP_RECV;
            wb.buf = c->buf;
            wb.len = BUFFER_SIZE;
            rc = WSARecv(c->s, &wb, 1, &n, &flags, &c->io.ovl, NULL);
        }
        /* Success (0) also queues a packet: the worker handles both alike. */
        posted = rc == 0 || WSAGetLastError() == WSA_IO_PENDING;
    }
    LeaveCriticalSection(&c->lock);
    return posted;
}

/* Posts one AcceptEx of the pool with a fresh accept socket. Under the
 * accept lock so that it never races with shutdown closing the listener. */
static BOOL post_accept(acceptor *a)
{
    DWORD n = 0;
    BOOL posted = FALSE;

    EnterCriticalSection(&g_accept_lock);
    if (!stopping()) {
        a->s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
        if (a->s != INVALID_SOCKET) {
            memset(&a->io.ovl, 0, sizeof(a->io.ovl));
            a->io.op = OP_ACCEPT;
            if (g_AcceptEx(g_listener, a->s, a->addrs, 0, (DWORD)ACCEPT_ADDR_LEN,
                           (DWORD)ACCEPT_ADDR_LEN, &n, &a->io.ovl) ||
                WSAGetLastError() == ERROR_IO_PENDING) {
                posted = TRUE;
            } else {
                _ftprintf(stderr, _T("echo_server: AcceptEx failed: %d\n"), WSAGetLastError());
                closesocket(a->s);
                a->s = INVALID_SOCKET;
            }
        } else {
            _ftprintf(stderr, _T("echo_server: socket failed: %d\n"), WSAGetLastError());
        }
    }
    LeaveCriticalSection(&g_accept_lock);
    return posted;
}

/* Turns a finished AcceptEx into a connection and starts its first receive. */
static void start_connection(SOCKET s)
{
    conn *c;
    int one = 1;

    /* Without this the accepted socket does not inherit the listener's
     * properties, and getpeername/shutdown fail on Windows. */
    if (setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&g_listener,
                   (int)sizeof(g_listener)) == SOCKET_ERROR) {
        _ftprintf(stderr, _T("echo_server: SO_UPDATE_ACCEPT_CONTEXT failed: %d\n"), WSAGetLastError());
        closesocket(s);
        return;
    }
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&one, (int)sizeof(one));

    c = (conn *)calloc(1, sizeof(*c));
    if (c == NULL) {
        closesocket(s);
        return;
    }
    c->s = s;
    InitializeCriticalSection(&c->lock);
    if (CreateIoCompletionPort((HANDLE)s, g_port, (ULONG_PTR)c, 0) != g_port) {
        _ftprintf(stderr, _T("echo_server: CreateIoCompletionPort(socket) failed: %lu\n"),
                (unsigned long)GetLastError());
        DeleteCriticalSection(&c->lock);
        free(c);
        closesocket(s);
        return;
    }
    InterlockedIncrement64(&g_connections);
    InterlockedIncrement(&g_live);
    EnterCriticalSection(&g_list_lock);
    /* Listed before the first post: from now on shutdown can cancel it. */
    c->closing = stopping();
    c->next = g_list;
    if (g_list)
        g_list->prev = c;
    g_list = c;
    LeaveCriticalSection(&g_list_lock);
    if (!conn_post_next(c))
        conn_free(c);
}

static void on_accept(acceptor *a, BOOL ok)
{
    SOCKET s = a->s;
    BOOL reposted;
    a->s = INVALID_SOCKET;
    /* Keep the pool full first: the next client should not wait on the
     * setup of this one. A failed accept (the listener closed at shutdown,
     * or a client that reset before being accepted) is re-posted the same
     * way unless the server is stopping. */
    reposted = post_accept(a);
    if (ok)
        start_connection(s);
    else
        closesocket(s);
    /* Counted down only now, so that shutdown, which waits for this count
     * and for the live connections, cannot see both at 0 in between. */
    if (!reposted) {
        InterlockedDecrement(&g_accepts_pending);
        free(a);
    }
}

static void on_io(conn *c, BOOL ok, DWORD bytes)
{
    /* Failure (reset, abort, cancel at shutdown) or 0 bytes received (the
     * peer closed) both end the connection. */
    if (!ok || (c->io.op == OP_RECV && bytes == 0)) {
        conn_free(c);
        return;
    }
    if (c->io.op == OP_RECV) {
        c->len = bytes;
        c->sent = 0;
    } else {
        /* Windows completes a stream WSASend with every byte, but a server
         * must not rely on it: conn_post_next sends whatever is left. */
        c->sent += bytes;
        InterlockedExchangeAdd64(&g_bytes_echoed, (LONG64)bytes);
    }
    if (!conn_post_next(c))
        conn_free(c);
}

static DWORD WINAPI worker(LPVOID arg)
{
    (void)arg;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED ovl = NULL;
        BOOL ok = GetQueuedCompletionStatus(g_port, &bytes, &key, &ovl, INFINITE);
        io_ctx *io;

        if (ovl == NULL) {
            if (!ok)
                _ftprintf(stderr, _T("echo_server: GetQueuedCompletionStatus failed: %lu\n"),
                        (unsigned long)GetLastError());
            return 0;   /* our shutdown packet, or the port is gone */
        }
        io = (io_ctx *)ovl;
        if (io->op == OP_ACCEPT)
            on_accept((acceptor *)io, ok);
        else
            on_io((conn *)io, ok, bytes);
    }
}

static void usage(void)
{
    _ftprintf(stderr, _T("usage: echo_server [--port N (default 5555, 0 = any)]")
                    _T(" [--threads N (default: 2 per processor)] [--accepts N (default 32)]")
                    _T(" [--max-seconds N (default: no limit)]\n"));
}

static int parse_uint(const _TCHAR *s, unsigned long max, unsigned long *out)
{
    _TCHAR *end;
    unsigned long v;
    if (s == NULL || *s == _T('\0') || *s == _T('-'))
        return 0;
    v = _tcstoul(s, &end, 10);
    if (*end != _T('\0') || v > max)
        return 0;
    *out = v;
    return 1;
}

static int fail(const _TCHAR *what, unsigned long code)
{
    _ftprintf(stderr, _T("echo_server: %s failed: %lu\n"), what, code);
    return 1;
}

int _tmain(int argc, _TCHAR **argv)
{
    unsigned long port = 5555, threads = 0, accepts = 32, max_seconds = 0;
    static HANDLE workers[MAX_THREADS];
    SYSTEM_INFO si;
    WSADATA wsa;
    struct sockaddr_in addr;
    GUID guid_acceptex = WSAID_ACCEPTEX;
    DWORD n = 0, wait_ms;
    HANDLE watcher;
    int i, addrlen, one = 1;
    ULONGLONG started, until;
    LONG live, accepts_left;
    int stuck = 0;
    conn *c;
    static const _TCHAR *const reasons[] = { _T("time limit"), _T("stdin"), _T("ctrl-c") };

    for (i = 1; i < argc; i++) {
        const _TCHAR *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (_tcscmp(arg, _T("--port")) == 0 && parse_uint(val, 65535, &port)) {
            i++;
        } else if (_tcscmp(arg, _T("--threads")) == 0 && parse_uint(val, MAX_THREADS, &threads) && threads > 0) {
            i++;
        } else if (_tcscmp(arg, _T("--accepts")) == 0 && parse_uint(val, MAX_ACCEPTS, &accepts) && accepts > 0) {
            i++;
        } else if (_tcscmp(arg, _T("--max-seconds")) == 0 && parse_uint(val, 86400, &max_seconds)) {
            i++;
        } else {
            usage();
            return 2;
        }
    }
    if (threads == 0) {
        /* The usual rule of thumb: two workers per processor, so that one
         * blocked worker does not leave a processor idle. */
        GetSystemInfo(&si);
        threads = si.dwNumberOfProcessors * 2;
        if (threads == 0)
            threads = 2;
        if (threads > MAX_THREADS)
            threads = MAX_THREADS;
    }

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        _ftprintf(stderr, _T("echo_server: WSAStartup failed\n"));
        return 1;
    }
    InitializeCriticalSection(&g_accept_lock);
    InitializeCriticalSection(&g_list_lock);
    g_stop_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (g_stop_event == NULL)
        return fail(_T("CreateEvent"), GetLastError());
    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    if (g_port == NULL)
        return fail(_T("CreateIoCompletionPort"), GetLastError());

    g_listener = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (g_listener == INVALID_SOCKET)
        return fail(_T("socket"), (unsigned long)WSAGetLastError());
    setsockopt(g_listener, SOL_SOCKET, SO_REUSEADDR, (char *)&one, (int)sizeof(one));
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((unsigned short)port);
    addrlen = (int)sizeof(addr);
    if (bind(g_listener, (struct sockaddr *)&addr, addrlen) == SOCKET_ERROR ||
        listen(g_listener, SOMAXCONN) == SOCKET_ERROR ||
        getsockname(g_listener, (struct sockaddr *)&addr, &addrlen) == SOCKET_ERROR) {
        _ftprintf(stderr, _T("echo_server: cannot listen on 127.0.0.1:%lu: %d\n"), port, WSAGetLastError());
        return 1;
    }
    if (WSAIoctl(g_listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid_acceptex, sizeof(guid_acceptex),
                 &g_AcceptEx, sizeof(g_AcceptEx), &n, NULL, NULL) == SOCKET_ERROR)
        return fail(_T("WSAIoctl(AcceptEx)"), (unsigned long)WSAGetLastError());
    /* The listener's packets are the AcceptEx completions; the key is unused
     * because each OVERLAPPED says what it is. */
    if (CreateIoCompletionPort((HANDLE)g_listener, g_port, 0, 0) != g_port)
        return fail(_T("CreateIoCompletionPort(listener)"), GetLastError());

    for (i = 0; i < (int)threads; i++) {
        workers[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
        if (workers[i] == NULL)
            return fail(_T("CreateThread"), GetLastError());
    }
    for (i = 0; i < (int)accepts; i++) {
        acceptor *a = (acceptor *)calloc(1, sizeof(*a));
        if (a == NULL)
            return fail(_T("calloc"), 0);
        a->s = INVALID_SOCKET;
        InterlockedIncrement(&g_accepts_pending);
        if (!post_accept(a)) {
            InterlockedDecrement(&g_accepts_pending);
            free(a);
            return 1;
        }
    }

    if (!SetConsoleCtrlHandler(console_handler, TRUE))
        return fail(_T("SetConsoleCtrlHandler"), GetLastError());
    /* Never waited for: it may stay blocked in fgets until the process
     * exits. Closing the handle at once says so (the thread keeps running). */
    watcher = CreateThread(NULL, 0, stdin_watcher, NULL, 0, NULL);
    if (watcher == NULL)
        return fail(_T("CreateThread"), GetLastError());
    CloseHandle(watcher);

    _tprintf(_T("echo_server: listening on 127.0.0.1:%u with %lu worker threads, %lu AcceptEx posted\n"),
           (unsigned)ntohs(addr.sin_port), threads, accepts);
    fflush(stdout);
    started = GetTickCount64();

    wait_ms = max_seconds > 0 ? (DWORD)(max_seconds * 1000) : INFINITE;
    WaitForSingleObject(g_stop_event, wait_ms);

    /* Shutdown. Under the accept lock: no AcceptEx is re-posted after this,
     * and closing the listener aborts the ones pending. */
    EnterCriticalSection(&g_accept_lock);
    InterlockedExchange(&g_stop, 1);
    closesocket(g_listener);
    LeaveCriticalSection(&g_accept_lock);

    /* Cancel the I/O of every live connection; each worker frees its
     * connection when the aborted packet arrives. Marked closing under the
     * connection's lock, so no worker posts anything new afterwards. */
    EnterCriticalSection(&g_list_lock);
    for (c = g_list; c != NULL; c = c->next) {
        EnterCriticalSection(&c->lock);
        c->closing = TRUE;
        CancelIoEx((HANDLE)c->s, NULL);
        LeaveCriticalSection(&c->lock);
    }
    LeaveCriticalSection(&g_list_lock);

    /* Wait (bounded) for those packets before telling the workers to go:
     * stop packets queued behind them would otherwise end the workers
     * while connections are still to be freed. */
    until = GetTickCount64() + 10000;
    while ((InterlockedCompareExchange(&g_live, 0, 0) > 0 ||
            InterlockedCompareExchange(&g_accepts_pending, 0, 0) > 0) &&
           GetTickCount64() < until)
        Sleep(10);

    for (i = 0; i < (int)threads; i++)
        PostQueuedCompletionStatus(g_port, 0, 0, NULL);
    for (i = 0; i < (int)threads; i++) {
        if (WaitForSingleObject(workers[i], 10000) == WAIT_OBJECT_0) {
            CloseHandle(workers[i]);
        } else {
            _ftprintf(stderr, _T("echo_server: worker %d did not stop\n"), i);
            stuck++;
        }
    }

    live = InterlockedCompareExchange(&g_live, 0, 0);
    accepts_left = InterlockedCompareExchange(&g_accepts_pending, 0, 0);
    _tprintf(_T("echo_server: summary: connections %lld, bytes echoed %lld, still open %ld,")
           _T(" accepts pending %ld, %.1f s, stopped by %s\n"),
           (long long)InterlockedExchangeAdd64(&g_connections, 0),
           (long long)InterlockedExchangeAdd64(&g_bytes_echoed, 0), (long)live, (long)accepts_left,
           (double)(GetTickCount64() - started) / 1000.0,
           reasons[InterlockedCompareExchange(&g_stop_reason, 0, 0)]);
    fflush(stdout);
    SetConsoleCtrlHandler(console_handler, FALSE);
    CloseHandle(g_port);
    CloseHandle(g_stop_event);
    WSACleanup();
    return live == 0 && accepts_left == 0 && stuck == 0 ? 0 : 1;
}
