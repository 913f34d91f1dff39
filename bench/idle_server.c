/*
 * idle_server: measures the memory iocpcompat itself spends per idle
 * connection, i.e. per accepted socket associated with a completion port and
 * keeping one WSARecv pending. Plain Win32 C: it builds against iocpcompat on
 * Linux and, unchanged, with mingw-w64 against the real Windows headers.
 *
 *   idle_server --port P [--connections N] [--max-seconds S]
 *
 * bench/run reads its VmRSS when it starts listening and again once
 * load_client --mode idle holds N connections, each echoed once and then
 * left with its receive re-posted. An ordinary server (samples/echo_server)
 * allocates its own per-connection struct and buffer as connections arrive,
 * so its growth mixes the application's memory with the library's. Here
 * everything per connection that the program owns (OVERLAPPED, WSABUF, a
 * 64-byte buffer, the SOCKET, the slot state) lives in one array of N slots
 * allocated and written before listening, and nothing else of the program's
 * grows afterwards, so the growth is the library's alone (together with the
 * C library's malloc overhead on the library's own allocations, which is part
 * of what the library costs). Constant costs (threads, first-use setup)
 * are small against N and are counted too.
 *
 * Shape: one completion port; accept() in a loop on a thread of its own, each
 * accepted socket associated with the port (key = slot index) and given one
 * WSARecv; one worker thread in GetQueuedCompletionStatus echoes what arrives
 * with plain send() and posts the WSARecv again, which then stays pending
 * (the idle state measured); 0 bytes or a failure closes the connection and
 * frees its slot. Connections beyond N are closed at once.
 *
 * Prints "idle_server: listening on 127.0.0.1:PORT" when ready (--port 0
 * picks a free port); stops on a line "stop" or end of file on stdin, or
 * after --max-seconds, then prints one summary line. Exit status 0 on a
 * clean stop, 1 on a failure to start or to stop, 2 on bad arguments.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_BUFFER      64
#define MAX_CONNECTIONS  1000000
/* Failures are counted and the first few printed: a client going away with
 * a reset on thousands of connections must not flood stderr. */
#define MAX_REPORTS      20

enum { SLOT_FREE, SLOT_BUSY };

typedef struct slot {
    OVERLAPPED ovl;              /* first: a packet's LPOVERLAPPED is its slot */
    WSABUF wb;
    SOCKET s;
    volatile LONG state;         /* SLOT_FREE or SLOT_BUSY */
    char buf[SLOT_BUFFER];
} slot;

static slot *g_slots;
static unsigned long g_nslots;
static HANDLE g_port;
static HANDLE g_stop_event;
static SOCKET g_listener = INVALID_SOCKET;
static volatile LONG g_stop;
static volatile LONG g_accepted, g_refused, g_open, g_resets, g_failures;
/* Allocated and written before listening like the slots: the first fgets
 * would otherwise allocate the stream's buffer during the measurement. */
static char g_stdin_buf[4096];

static void report(const char *what, unsigned long code)
{
    if (InterlockedIncrement(&g_failures) <= MAX_REPORTS)
        fprintf(stderr, "idle_server: %s failed: %lu\n", what, code);
}

/* load_client resets its connections when it lets them go (no TIME_WAIT
 * ports left behind): that is how a connection normally ends here, not a
 * failure. Windows reports it under any of these codes. */
static BOOL peer_went_away(DWORD err)
{
    return err == ERROR_NETNAME_DELETED || err == ERROR_CONNECTION_ABORTED ||
           err == WSAECONNRESET || err == WSAECONNABORTED;
}

static BOOL stopping(void)
{
    return InterlockedCompareExchange(&g_stop, 0, 0) != 0;
}

/* Only this slot's owner (the thread that holds its packet, or the acceptor
 * before anything is posted) calls this; the slot is reusable afterwards. */
static void slot_close(slot *sl)
{
    if (closesocket(sl->s) == SOCKET_ERROR)
        report("closesocket", (unsigned long)WSAGetLastError());
    sl->s = INVALID_SOCKET;
    InterlockedDecrement(&g_open);
    InterlockedExchange(&sl->state, SLOT_FREE);
}

/* Returns FALSE when nothing is pending (so no packet will come and the
 * caller still owns the slot). A completion at once (0) also queues a
 * packet, handled by the worker like any other. */
static BOOL post_recv(slot *sl)
{
    DWORD flags = 0, n = 0;

    memset(&sl->ovl, 0, sizeof(sl->ovl));
    sl->wb.buf = sl->buf;
    sl->wb.len = SLOT_BUFFER;
    if (WSARecv(sl->s, &sl->wb, 1, &n, &flags, &sl->ovl, NULL) == 0 ||
        WSAGetLastError() == WSA_IO_PENDING)
        return TRUE;
    report("WSARecv", (unsigned long)WSAGetLastError());
    return FALSE;
}

static BOOL send_all(slot *sl, DWORD len)
{
    DWORD off = 0;
    int n;

    while (off < len) {
        n = send(sl->s, sl->buf + off, (int)(len - off), 0);
        if (n == SOCKET_ERROR) {
            report("send", (unsigned long)WSAGetLastError());
            return FALSE;
        }
        off += (DWORD)n;
    }
    return TRUE;
}

/* The acceptor is the only thread that claims slots; the cursor makes the
 * usual claim O(1) and a full scan happens only when all N are in use. */
static long claim_slot(void)
{
    static unsigned long cursor;
    unsigned long k, i;

    for (k = 0; k < g_nslots; k++) {
        i = (cursor + k) % g_nslots;
        if (InterlockedCompareExchange(&g_slots[i].state, SLOT_BUSY, SLOT_FREE) == SLOT_FREE) {
            cursor = (i + 1) % g_nslots;
            return (long)i;
        }
    }
    return -1;
}

static DWORD WINAPI acceptor(LPVOID arg)
{
    SOCKET s;
    long i;
    slot *sl;

    (void)arg;
    for (;;) {
        s = accept(g_listener, NULL, NULL);
        if (stopping()) {
            /* Most likely the connection main makes to wake this thread. */
            if (s != INVALID_SOCKET && closesocket(s) == SOCKET_ERROR)
                report("closesocket", (unsigned long)WSAGetLastError());
            return 0;
        }
        if (s == INVALID_SOCKET) {
            report("accept", (unsigned long)WSAGetLastError());
            /* Out of descriptors, say: give closes a chance instead of
             * spinning on the same failure. */
            Sleep(100);
            continue;
        }
        i = claim_slot();
        if (i < 0) {
            InterlockedIncrement(&g_refused);
            if (closesocket(s) == SOCKET_ERROR)
                report("closesocket", (unsigned long)WSAGetLastError());
            continue;
        }
        sl = &g_slots[i];
        sl->s = s;
        /* Counted before the post: the worker may close it before WSARecv
         * even returns here. */
        InterlockedIncrement(&g_accepted);
        InterlockedIncrement(&g_open);
        if (CreateIoCompletionPort((HANDLE)s, g_port, (ULONG_PTR)i, 0) != g_port) {
            report("CreateIoCompletionPort(connection)", GetLastError());
            slot_close(sl);
            continue;
        }
        if (!post_recv(sl))
            slot_close(sl);
    }
}

static DWORD WINAPI worker(LPVOID arg)
{
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *ovl;
    BOOL ok;
    slot *sl;

    (void)arg;
    for (;;) {
        bytes = 0;
        key = 0;
        ovl = NULL;
        ok = GetQueuedCompletionStatus(g_port, &bytes, &key, &ovl, INFINITE);
        if (ovl == NULL) {
            /* main's stop packet, or the port itself failed */
            if (!ok) {
                report("GetQueuedCompletionStatus", GetLastError());
                return 1;
            }
            return 0;
        }
        if (key >= g_nslots || ovl != &g_slots[key].ovl) {
            report("GetQueuedCompletionStatus (packet of no slot)", (unsigned long)key);
            continue;
        }
        sl = &g_slots[key];
        if (!ok || bytes == 0) {
            /* The peer's end of stream, or a failed receive. */
            if (!ok) {
                DWORD err = GetLastError();
                if (peer_went_away(err))
                    InterlockedIncrement(&g_resets);
                else
                    report("WSARecv (completion)", err);
            }
            slot_close(sl);
            continue;
        }
        if (!send_all(sl, bytes) || !post_recv(sl))
            slot_close(sl);
    }
}

static DWORD WINAPI stdin_watcher(LPVOID arg)
{
    char line[256];

    (void)arg;
    while (fgets(line, (int)sizeof(line), stdin) != NULL) {
        if (strncmp(line, "stop", 4) == 0)
            break;
    }
    if (!SetEvent(g_stop_event))
        report("SetEvent", GetLastError());
    return 0;
}

/* accept() blocks; closing the listener does not wake it on every system
 * (not on Linux), a connection of our own does. */
static void wake_acceptor(const struct sockaddr_in *addr)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    if (s == INVALID_SOCKET) {
        report("socket (waking the acceptor)", (unsigned long)WSAGetLastError());
        return;
    }
    if (connect(s, (const struct sockaddr *)addr, (int)sizeof(*addr)) == SOCKET_ERROR)
        report("connect (waking the acceptor)", (unsigned long)WSAGetLastError());
    if (closesocket(s) == SOCKET_ERROR)
        report("closesocket", (unsigned long)WSAGetLastError());
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

static int fail(const char *what, unsigned long code)
{
    fprintf(stderr, "idle_server: %s failed: %lu\n", what, code);
    return 1;
}

int main(int argc, char **argv)
{
    unsigned long port = 0, max_seconds = 0, i;
    WSADATA wsa;
    struct sockaddr_in addr;
    int a, addrlen, rc;
    HANDLE threads[3];
    int stuck = 0;

    g_nslots = 10000;
    for (a = 1; a < argc; a++) {
        const char *arg = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        if (strcmp(arg, "--port") == 0 && parse_uint(val, 65535, &port)) {
            a++;
        } else if (strcmp(arg, "--connections") == 0 &&
                   parse_uint(val, MAX_CONNECTIONS, &g_nslots) && g_nslots > 0) {
            a++;
        } else if (strcmp(arg, "--max-seconds") == 0 && parse_uint(val, 86400, &max_seconds)) {
            a++;
        } else {
            fprintf(stderr, "usage: idle_server --port P [--connections N (default 10000)]"
                            " [--max-seconds S]\n");
            return 2;
        }
    }

    /* malloc alone would leave the pages untouched, and they would then be
     * counted as the connections arrive: written here, they are in the
     * VmRSS read at "listening". */
    g_slots = (slot *)malloc(g_nslots * sizeof(slot));
    if (g_slots == NULL)
        return fail("malloc (slots)", 0);
    memset(g_slots, 0, g_nslots * sizeof(slot));
    for (i = 0; i < g_nslots; i++) {
        g_slots[i].s = INVALID_SOCKET;
        g_slots[i].state = SLOT_FREE;
    }
    memset(g_stdin_buf, 0, sizeof(g_stdin_buf));
    if (setvbuf(stdin, g_stdin_buf, _IOLBF, sizeof(g_stdin_buf)) != 0)
        return fail("setvbuf (stdin)", 0);

    rc = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (rc != 0)
        return fail("WSAStartup", (unsigned long)rc);
    g_stop_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (g_stop_event == NULL)
        return fail("CreateEvent", GetLastError());
    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    if (g_port == NULL)
        return fail("CreateIoCompletionPort", GetLastError());

    g_listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (g_listener == INVALID_SOCKET)
        return fail("socket", (unsigned long)WSAGetLastError());
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((unsigned short)port);
    addrlen = (int)sizeof(addr);
    if (bind(g_listener, (struct sockaddr *)&addr, addrlen) == SOCKET_ERROR ||
        listen(g_listener, SOMAXCONN) == SOCKET_ERROR ||
        getsockname(g_listener, (struct sockaddr *)&addr, &addrlen) == SOCKET_ERROR) {
        fprintf(stderr, "idle_server: cannot listen on 127.0.0.1:%lu: %d\n", port, WSAGetLastError());
        return 1;
    }

    threads[0] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    if (threads[0] == NULL)
        return fail("CreateThread (worker)", GetLastError());
    threads[1] = CreateThread(NULL, 0, acceptor, NULL, 0, NULL);
    if (threads[1] == NULL)
        return fail("CreateThread (acceptor)", GetLastError());
    /* Never waited for: it may stay blocked in fgets until the process
     * exits. */
    threads[2] = CreateThread(NULL, 0, stdin_watcher, NULL, 0, NULL);
    if (threads[2] == NULL)
        return fail("CreateThread (stdin)", GetLastError());
    if (!CloseHandle(threads[2]))
        report("CloseHandle (stdin thread)", GetLastError());

    printf("idle_server: listening on 127.0.0.1:%u, %lu connection slots of %u bytes preallocated\n",
           (unsigned)ntohs(addr.sin_port), g_nslots, (unsigned)sizeof(slot));
    fflush(stdout);

    if (WaitForSingleObject(g_stop_event, max_seconds > 0 ? (DWORD)(max_seconds * 1000) : INFINITE) ==
        WAIT_FAILED)
        report("WaitForSingleObject (stop)", GetLastError());

    /* The acceptor first, so that no slot is claimed or posted while the
     * worker goes away and the slots are closed. */
    InterlockedExchange(&g_stop, 1);
    wake_acceptor(&addr);
    if (WaitForSingleObject(threads[1], 10000) == WAIT_OBJECT_0) {
        if (!CloseHandle(threads[1]))
            report("CloseHandle (acceptor)", GetLastError());
    } else {
        fprintf(stderr, "idle_server: the accept thread did not stop\n");
        stuck++;
    }
    if (closesocket(g_listener) == SOCKET_ERROR)
        report("closesocket (listener)", (unsigned long)WSAGetLastError());

    if (!PostQueuedCompletionStatus(g_port, 0, 0, NULL))
        report("PostQueuedCompletionStatus", GetLastError());
    if (WaitForSingleObject(threads[0], 10000) == WAIT_OBJECT_0) {
        if (!CloseHandle(threads[0]))
            report("CloseHandle (worker)", GetLastError());
    } else {
        fprintf(stderr, "idle_server: the worker thread did not stop\n");
        stuck++;
    }

    printf("idle_server: summary: connections %ld, refused (no free slot) %ld, reset by the peer %ld,"
           " open at stop %ld, failures %ld\n",
           (long)InterlockedCompareExchange(&g_accepted, 0, 0),
           (long)InterlockedCompareExchange(&g_refused, 0, 0),
           (long)InterlockedCompareExchange(&g_resets, 0, 0),
           (long)InterlockedCompareExchange(&g_open, 0, 0),
           (long)InterlockedCompareExchange(&g_failures, 0, 0));
    fflush(stdout);
    if (stuck > 0)
        return 1;   /* a thread may still use the slots and the port */

    /* Closing a socket cancels its pending WSARecv; nobody dequeues the
     * aborted packets, which go with the port. */
    for (i = 0; i < g_nslots; i++) {
        if (g_slots[i].state == SLOT_BUSY)
            slot_close(&g_slots[i]);
    }
    if (!CloseHandle(g_port))
        report("CloseHandle (port)", GetLastError());
    if (!CloseHandle(g_stop_event))
        report("CloseHandle (stop event)", GetLastError());
    if (WSACleanup() == SOCKET_ERROR)
        report("WSACleanup", (unsigned long)WSAGetLastError());
    free(g_slots);
    return 0;
}
