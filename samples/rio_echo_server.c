/*
 * An echo server on Registered I/O (RIO), in plain Windows C: it builds
 * against the Windows SDK (MSVC; with mingw-w64, whose headers lack RIO,
 * iocpcompat_rio.h supplies the declarations) and against iocpcompat on
 * Linux.
 *
 *   rio_echo_server [--port N] [--udp] [--connections N] [--max-seconds N]
 *
 * Shape, as RIO servers are written:
 *   - one thread runs everything through one completion port: the
 *     listener's AcceptEx calls and one RIO completion queue whose
 *     notification (RIONotify) is a packet on that same port;
 *   - one registered buffer holds every connection's slice (a RIO request
 *     names a buffer id, an offset and a length, never a pointer);
 *   - TCP: each accepted socket (a RIO socket, since the listener is one)
 *     gets a request queue; a receive, then a send of what arrived from the
 *     same slice, then a receive again;
 *   - UDP (--udp): one socket, --connections receives in flight, each
 *     echoing its datagram to the address RIOReceiveEx reported;
 *   - the results of one dequeue are answered with RIO_MSG_DEFER and one
 *     commit, so that a burst costs one submission.
 *
 * It stops on Ctrl-C, a line on stdin or its end, or after --max-seconds,
 * and prints one summary line. Exit status 0 on a clean stop, 1 on an
 * error, 2 on bad arguments. --port 0 picks a free port; the "listening on"
 * line says which.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#ifndef RIO_CORRUPT_CQ
#include "iocpcompat_rio.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#pragma comment(lib, "mswsock.lib")
#endif

#define SLICE 65536            /* one connection's (or one datagram's) buffer */
#define ADDR_SLOT 64           /* room for a SOCKADDR_INET, per UDP slot */
#define RESULT_BATCH 256
#define ACCEPTS 16
#define ADDR_LEN (sizeof(SOCKADDR_IN6) + 16)

enum { KEY_ACCEPT = 1, KEY_CQ, KEY_STOP };

typedef struct slot {
    SOCKET s;
    RIO_RQ rq;
    ULONG index;
    BOOL sending;
} slot;

typedef struct accept_op {
    OVERLAPPED ov;
    SOCKET s;
    char addrs[2 * ADDR_LEN];
} accept_op;

static RIO_EXTENSION_FUNCTION_TABLE rio;
static LPFN_ACCEPTEX accept_ex;
static HANDLE g_port;
static RIO_CQ g_cq;
static RIO_BUFFERID g_data, g_addrs;
static char *g_mem, *g_addr_mem;
static slot *g_slots;
static ULONG g_max, g_used;
static ULONG *g_free;          /* a stack of free slot indexes */
static ULONG g_free_count;
static SOCKET g_listener;
static BOOL g_udp;
static LONGLONG g_connections, g_bytes;
static volatile LONG g_stop_reason;   /* 0 time limit, 1 stdin, 2 ctrl-c */

static void request_stop(LONG reason)
{
    InterlockedCompareExchange(&g_stop_reason, reason, 0);
    PostQueuedCompletionStatus(g_port, 0, KEY_STOP, NULL);
}

static BOOL WINAPI console_handler(DWORD type)
{
    if (type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT || type == CTRL_CLOSE_EVENT) {
        request_stop(2);
        return TRUE;
    }
    return FALSE;
}

static DWORD WINAPI stdin_watcher(LPVOID arg)
{
    char line[64];
    (void)arg;
    (void)fgets(line, (int)sizeof(line), stdin);
    request_stop(1);
    return 0;
}

static RIO_BUF data_of(ULONG index, ULONG length)
{
    RIO_BUF b;
    b.BufferId = g_data;
    b.Offset = index * SLICE;
    b.Length = length;
    return b;
}

static RIO_BUF addr_of(ULONG index)
{
    RIO_BUF b;
    b.BufferId = g_addrs;
    b.Offset = index * ADDR_SLOT;
    b.Length = sizeof(SOCKADDR_INET);
    return b;
}

static BOOL post_receive(slot *c, DWORD flags)
{
    RIO_BUF b = data_of(c->index, SLICE);
    c->sending = FALSE;
    if (g_udp) {
        RIO_BUF from = addr_of(c->index);
        return rio.RIOReceiveEx(c->rq, &b, 1, NULL, &from, NULL, NULL, flags, c);
    }
    return rio.RIOReceive(c->rq, &b, 1, flags, c);
}

static BOOL post_send(slot *c, ULONG length, DWORD flags)
{
    RIO_BUF b = data_of(c->index, length);
    c->sending = TRUE;
    if (g_udp) {
        RIO_BUF to = addr_of(c->index);
        return rio.RIOSendEx(c->rq, &b, 1, NULL, &to, NULL, NULL, flags, c);
    }
    return rio.RIOSend(c->rq, &b, 1, flags, c);
}

static void slot_close(slot *c)
{
    closesocket(c->s);   /* its request queue goes with it */
    c->s = INVALID_SOCKET;
    c->rq = RIO_INVALID_RQ;
    g_free[g_free_count++] = c->index;
    g_used--;
}

static BOOL post_accept(accept_op *a)
{
    a->s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                      WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO);
    if (a->s == INVALID_SOCKET)
        return FALSE;
    memset(&a->ov, 0, sizeof(a->ov));
    DWORD got = 0;
    if (!accept_ex(g_listener, a->s, a->addrs, 0, ADDR_LEN, ADDR_LEN, &got, &a->ov) &&
        WSAGetLastError() != ERROR_IO_PENDING) {
        closesocket(a->s);
        return FALSE;
    }
    return TRUE;
}

/* An AcceptEx finished: the connection gets a slot and a request queue. */
static BOOL accepted(accept_op *a, BOOL ok)
{
    if (!ok) {
        closesocket(a->s);
        return post_accept(a);
    }
    setsockopt(a->s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (const char *)&g_listener,
               sizeof(g_listener));
    if (g_free_count == 0) {
        closesocket(a->s);   /* full: the client sees the connection close */
        return post_accept(a);
    }
    slot *c = &g_slots[g_free[--g_free_count]];
    g_used++;
    c->s = a->s;
    c->rq = rio.RIOCreateRequestQueue(c->s, 1, 1, 1, 1, g_cq, g_cq, c);
    if (c->rq == RIO_INVALID_RQ || !post_receive(c, 0)) {
        fprintf(stderr, "rio_echo_server: request queue: %d\n", WSAGetLastError());
        slot_close(c);
    } else {
        g_connections++;
    }
    return post_accept(a);
}

/*
 * Answers one dequeued batch. On UDP every slot shares the socket's request
 * queue, so the answers are queued with RIO_MSG_DEFER and leave with one
 * commit per direction; a TCP connection has a queue of its own and one
 * request at a time, which there is nothing to batch with.
 */
static void serve(const RIORESULT *results, ULONG n)
{
    DWORD defer = g_udp ? RIO_MSG_DEFER : 0;
    BOOL sent = FALSE, received = FALSE;
    for (ULONG i = 0; i < n; i++) {
        slot *c = (slot *)(ULONG_PTR)results[i].RequestContext;
        const RIORESULT *r = &results[i];
        BOOL ok = r->Status == 0;
        if (ok && !c->sending && r->BytesTransferred == 0 && !g_udp)
            ok = FALSE;   /* the peer closed */
        if (ok && !c->sending) {
            g_bytes += r->BytesTransferred;
            ok = post_send(c, r->BytesTransferred, defer);
            sent = TRUE;
        } else if (ok || g_udp) {
            /* A send done, or on UDP anything that failed: listen again. */
            ok = post_receive(c, defer);
            received = TRUE;
        }
        if (!ok && !g_udp)
            slot_close(c);
    }
    if (g_udp && sent)
        rio.RIOSend(g_slots[0].rq, NULL, 0, RIO_MSG_COMMIT_ONLY, NULL);
    if (g_udp && received)
        rio.RIOReceive(g_slots[0].rq, NULL, 0, RIO_MSG_COMMIT_ONLY, NULL);
}

static int usage(void)
{
    fprintf(stderr, "usage: rio_echo_server [--port N (default 5556, 0 = any)] [--udp]"
                    " [--connections N (default 1024)] [--max-seconds N]\n");
    return 2;
}

static int fail(const char *what, int code)
{
    fprintf(stderr, "rio_echo_server: %s failed: %d\n", what, code);
    return 1;
}

static BOOL setup_buffers(void)
{
    g_mem = (char *)VirtualAlloc(NULL, (SIZE_T)g_max * SLICE, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    g_addr_mem = (char *)calloc(g_max, ADDR_SLOT);
    g_slots = (slot *)calloc(g_max, sizeof(slot));
    g_free = (ULONG *)calloc(g_max, sizeof(ULONG));
    if (g_mem == NULL || g_addr_mem == NULL || g_slots == NULL || g_free == NULL)
        return FALSE;
    for (ULONG i = 0; i < g_max; i++) {
        g_slots[i].index = i;
        g_slots[i].s = INVALID_SOCKET;
        g_free[g_free_count++] = g_max - 1 - i;
    }
    g_data = rio.RIORegisterBuffer(g_mem, g_max * SLICE);
    g_addrs = rio.RIORegisterBuffer(g_addr_mem, g_max * ADDR_SLOT);
    return g_data != RIO_INVALID_BUFFERID && g_addrs != RIO_INVALID_BUFFERID;
}

int main(int argc, char **argv)
{
    unsigned long port = 5556, max_seconds = 0;
    g_max = 1024;
    for (int i = 1; i < argc; i++) {
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--udp") == 0) {
            g_udp = TRUE;
        } else if (strcmp(argv[i], "--port") == 0 && val) {
            port = strtoul(val, NULL, 10);
            i++;
        } else if (strcmp(argv[i], "--connections") == 0 && val) {
            g_max = (ULONG)strtoul(val, NULL, 10);
            i++;
        } else if (strcmp(argv[i], "--max-seconds") == 0 && val) {
            max_seconds = strtoul(val, NULL, 10);
            i++;
        } else {
            return usage();
        }
    }
    if (port > 65535 || g_max == 0 || g_max > 65536)
        return usage();

    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return fail("WSAStartup", 0);
    int type = g_udp ? SOCK_DGRAM : SOCK_STREAM;
    g_listener = WSASocketA(AF_INET, type, g_udp ? IPPROTO_UDP : IPPROTO_TCP, NULL, 0,
                            WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO);
    if (g_listener == INVALID_SOCKET)
        return fail("WSASocket", WSAGetLastError());
    GUID rio_id = WSAID_MULTIPLE_RIO, accept_id = WSAID_ACCEPTEX;
    DWORD got = 0;
    if (WSAIoctl(g_listener, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &rio_id, sizeof(rio_id),
                 &rio, sizeof(rio), &got, NULL, NULL) != 0)
        return fail("WSAIoctl(WSAID_MULTIPLE_RIO)", WSAGetLastError());
    if (!g_udp && WSAIoctl(g_listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept_id,
                           sizeof(accept_id), &accept_ex, sizeof(accept_ex), &got, NULL, NULL) != 0)
        return fail("WSAIoctl(WSAID_ACCEPTEX)", WSAGetLastError());

    SOCKADDR_IN addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((u_short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof(addr);
    if (bind(g_listener, (SOCKADDR *)&addr, sizeof(addr)) != 0 ||
        (!g_udp && listen(g_listener, SOMAXCONN) != 0) ||
        getsockname(g_listener, (SOCKADDR *)&addr, &len) != 0)
        return fail("bind/listen", WSAGetLastError());

    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    if (g_port == NULL || !setup_buffers())
        return fail("setup", (int)GetLastError());
    RIO_NOTIFICATION_COMPLETION how;
    memset(&how, 0, sizeof(how));
    how.Type = RIO_IOCP_COMPLETION;
    how.Iocp.IocpHandle = g_port;
    how.Iocp.CompletionKey = (PVOID)(ULONG_PTR)KEY_CQ;
    static OVERLAPPED cq_ov;
    how.Iocp.Overlapped = &cq_ov;
    /* A receive and a send outstanding per connection (or datagram slot). */
    g_cq = rio.RIOCreateCompletionQueue(2 * g_max, &how);
    if (g_cq == RIO_INVALID_CQ)
        return fail("RIOCreateCompletionQueue", WSAGetLastError());

    static accept_op accepts[ACCEPTS];
    if (g_udp) {
        RIO_RQ rq = rio.RIOCreateRequestQueue(g_listener, g_max, 1, g_max, 1, g_cq, g_cq, NULL);
        if (rq == RIO_INVALID_RQ)
            return fail("RIOCreateRequestQueue", WSAGetLastError());
        for (ULONG i = 0; i < g_max; i++) {
            g_slots[i].s = g_listener;
            g_slots[i].rq = rq;
            if (!post_receive(&g_slots[i], 0))
                return fail("RIOReceiveEx", WSAGetLastError());
        }
        g_free_count = 0;
    } else {
        if (CreateIoCompletionPort((HANDLE)g_listener, g_port, KEY_ACCEPT, 0) == NULL)
            return fail("CreateIoCompletionPort", (int)GetLastError());
        for (int i = 0; i < ACCEPTS; i++)
            if (!post_accept(&accepts[i]))
                return fail("AcceptEx", WSAGetLastError());
    }
    if (rio.RIONotify(g_cq) != 0)
        return fail("RIONotify", 0);

    SetConsoleCtrlHandler(console_handler, TRUE);
    HANDLE watcher = CreateThread(NULL, 0, stdin_watcher, NULL, 0, NULL);
    if (watcher != NULL)
        CloseHandle(watcher);
    printf("rio_echo_server: listening on 127.0.0.1:%u (%s), %lu slots\n", ntohs(addr.sin_port),
           g_udp ? "udp" : "tcp", (unsigned long)g_max);
    fflush(stdout);

    DWORD deadline = max_seconds ? GetTickCount() + (DWORD)max_seconds * 1000 : 0;
    static RIORESULT results[RESULT_BATCH];
    int status = 0;
    for (;;) {
        DWORD wait = INFINITE;
        if (deadline) {
            DWORD now = GetTickCount();
            wait = (LONG)(deadline - now) > 0 ? deadline - now : 0;
        }
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *ov;
        BOOL ok = GetQueuedCompletionStatus(g_port, &bytes, &key, &ov, wait);
        if (!ok && ov == NULL) {
            if (GetLastError() == WAIT_TIMEOUT)
                break;   /* --max-seconds */
            status = fail("GetQueuedCompletionStatus", (int)GetLastError());
            break;
        }
        if (key == KEY_STOP)
            break;
        if (key == KEY_ACCEPT) {
            if (!accepted((accept_op *)ov, ok))
                fprintf(stderr, "rio_echo_server: AcceptEx failed: %d\n", WSAGetLastError());
            continue;
        }
        ULONG n;
        while ((n = rio.RIODequeueCompletion(g_cq, results, RESULT_BATCH)) > 0) {
            if (n == RIO_CORRUPT_CQ) {
                status = fail("RIODequeueCompletion", 0);
                break;
            }
            serve(results, n);
        }
        if (status != 0 || rio.RIONotify(g_cq) != 0)
            break;
    }

    long open = (long)g_used;
    for (ULONG i = 0; !g_udp && i < g_max; i++)
        if (g_slots[i].s != INVALID_SOCKET)
            slot_close(&g_slots[i]);
    closesocket(g_listener);
    static const char *const reasons[] = { "time limit", "stdin", "ctrl-c" };
    printf("rio_echo_server: summary: connections %lld, bytes echoed %lld, still open %ld,"
           " stopped by %s\n", (long long)g_connections, (long long)g_bytes, open,
           reasons[InterlockedCompareExchange(&g_stop_reason, 0, 0)]);
    rio.RIOCloseCompletionQueue(g_cq);
    rio.RIODeregisterBuffer(g_data);
    rio.RIODeregisterBuffer(g_addrs);
    CloseHandle(g_port);
    VirtualFree(g_mem, 0, MEM_RELEASE);
    free(g_addr_mem);
    free(g_slots);
    free(g_free);
    WSACleanup();
    return status;
}
