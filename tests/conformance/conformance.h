/*
 * Helpers shared by the conformance tests. Plain Win32 only: the same source
 * builds against iocpcompat on Linux and against the Windows SDK (mingw-w64).
 * cmocka asserts must run on the test's own thread, so helper threads record
 * what they saw and the test asserts afterwards.
 */
#ifndef CONFORMANCE_H
#define CONFORMANCE_H

/* The Windows version the suite is written for, stated before any SDK
 * header: Windows 7, for CancelIoEx, GetQueuedCompletionStatusEx,
 * GetTickCount64, SetFileCompletionNotificationModes, SRW locks, condition
 * variables, InitializeCriticalSectionEx and CreateEventExA. Without it the
 * suite would build only where the toolchain's default is new enough (older
 * mingw-w64 releases defaulted to Windows Server 2003, 0x0502, which
 * declares none of them). */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0601
#endif

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../cases.h"

/* NTSTATUS values the tests read from OVERLAPPED.Internal: on Windows they are
 * in ntstatus.h, which <windows.h> does not include. */
#ifndef STATUS_SUCCESS
#define STATUS_SUCCESS ((DWORD)0x00000000L)
#endif
#ifndef STATUS_END_OF_FILE
#define STATUS_END_OF_FILE ((DWORD)0xC0000011L)
#endif
#ifndef STATUS_PENDING
#define STATUS_PENDING ((DWORD)0x00000103L)
#endif
#ifndef STATUS_CANCELLED
#define STATUS_CANCELLED ((DWORD)0xC0000120L)
#endif
#ifndef STATUS_CONNECTION_RESET
#define STATUS_CONNECTION_RESET ((DWORD)0xC000020DL)
#endif
#ifndef STATUS_CONNECTION_ABORTED
#define STATUS_CONNECTION_ABORTED ((DWORD)0xC0000241L)
#endif

/* Put in outputs and the last error before a call, so that "left untouched"
 * can be asserted; get_packet() and post_recv()/post_send() use it. */
#define SENTINEL 0xdeadbeefu
/* The WSASetLastError() value issue_recv() (and test_results' issue_send())
 * put in before the call. */
#define WSA_SENTINEL 12345

/* How long the tests wait for a packet (or a readable socket, or any other
 * event) that must come. A working library delivers within milliseconds;
 * this only bounds how long a lost completion takes to fail, so it is
 * generous for slow CI machines and sanitizer builds. */
#define PACKET_WAIT_MS 5000
/* How long "no (further) packet" is watched before the tests conclude that
 * none was queued. */
#define QUIET_MS 200

/* One dequeued packet, with what GetQueuedCompletionStatus returned. */
typedef struct packet {
    BOOL ok;
    DWORD error;          /* GetLastError() after the call; meaningful when !ok */
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED ovl;
} packet;

static inline int conformance_setup(void **state)
{
    WSADATA wsa;
    (void)state;
    return WSAStartup(MAKEWORD(2, 2), &wsa) == 0 ? 0 : -1;
}

static inline int conformance_teardown(void **state)
{
    (void)state;
    return WSACleanup() == 0 ? 0 : -1;
}

/* ctest's SKIP_RETURN_CODE on the io_uring registrations. */
#define CONFORMANCE_SKIPPED 77

/* Asked to run on io_uring where the machine refuses it (no io_uring in the
 * kernel, a seccomp filter, kernel.io_uring_disabled, RLIMIT_MEMLOCK), every
 * case would fail for a reason that is not the library's: say so loudly and
 * skip, unless IOCPCOMPAT_REQUIRE_IO_URING=1 (CI) says the machine must have
 * it. The refusal is a port that cannot be made, ERROR_INVALID_PARAMETER;
 * the library has already printed why on stderr. */
static inline int conformance_check_engine(void)
{
    const char *backend = getenv("IOCPCOMPAT_BACKEND");
    const char *require = getenv("IOCPCOMPAT_REQUIRE_IO_URING");
    HANDLE port;
    if (backend == NULL || strcmp(backend, "io_uring") != 0)
        return 0;
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    if (port != NULL) {
        if (CloseHandle(port))
            return 0;
        fprintf(stderr, "FAILED: CloseHandle of a new io_uring port: error %lu\n",
                (unsigned long)GetLastError());
        return 1;
    }
    if (GetLastError() != ERROR_INVALID_PARAMETER)
        return 0;   /* not a refusal: the cases will fail on it and say more */
    if (require != NULL && strcmp(require, "1") == 0) {
        fprintf(stderr, "FAILED: io_uring is refused on this machine (see the line above), "
                        "and IOCPCOMPAT_REQUIRE_IO_URING=1 says it must not be\n");
        return 1;
    }
    fprintf(stderr, "SKIPPED: io_uring is refused on this machine (see the line above); "
                    "this engine was not tested\n");
    return CONFORMANCE_SKIPPED;
}

/* main() of every conformance program: all its cases, or the one named by
 * argv[1] (see tests/cases.h). */
#define conformance_main(argc, argv, tests, setup, teardown)                                    \
    run_case_groups((argc), (argv), (const case_group[]){CASE_GROUP(tests, setup, teardown)}, 1, \
                    conformance_check_engine)

/* The same for a program whose cases need different fixtures: an array of
 * CASE_GROUP(table, setup, teardown), run in order. */
#define conformance_main_groups(argc, argv, groups) \
    run_case_groups((argc), (argv), (groups), sizeof(groups) / sizeof((groups)[0]), \
                    conformance_check_engine)

static inline HANDLE new_port(void)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    assert_non_null(port);
    return port;
}

static inline SOCKET new_tcp_socket(int family)
{
    SOCKET s = WSASocketA(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    assert_true(s != INVALID_SOCKET);
    return s;
}

/* Fills ss with the loopback address of the family, port 0; returns its
 * length. Shared by every socket that binds to loopback. */
static inline int loopback_address(int family, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (family == AF_INET6) {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_addr = in6addr_loopback;
        return (int)sizeof(*a6);
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
        a4->sin_family = AF_INET;
        a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return (int)sizeof(*a4);
    }
}

/* A listening socket on the loopback address of the family, any port. */
static inline SOCKET new_listener(int family, struct sockaddr_storage *bound, int *boundlen)
{
    SOCKET l = new_tcp_socket(family);
    struct sockaddr_storage ss;
    int len = loopback_address(family, &ss);
    assert_int_equal(bind(l, (struct sockaddr *)&ss, len), 0);
    assert_int_equal(listen(l, 128), 0);
    *boundlen = (int)sizeof(*bound);
    assert_int_equal(getsockname(l, (struct sockaddr *)bound, boundlen), 0);
    return l;
}

/* An overlapped socket bound to the loopback address of the family, any
 * port, not listening: what ConnectEx needs ("an unconnected, previously
 * bound socket"), and also a port a connect to is refused on. With bound not
 * NULL, its address (getsockname) goes there and its length to *boundlen. */
static inline SOCKET new_bound_socket(int family, struct sockaddr_storage *bound, int *boundlen)
{
    SOCKET s = new_tcp_socket(family);
    struct sockaddr_storage ss;
    int len = loopback_address(family, &ss);
    assert_int_equal(bind(s, (struct sockaddr *)&ss, len), 0);
    if (bound != NULL) {
        *boundlen = (int)sizeof(*bound);
        assert_int_equal(getsockname(s, (struct sockaddr *)bound, boundlen), 0);
    }
    return s;
}

/* Same family, address and port (padding and flow info are not compared). */
static inline void assert_same_address(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    assert_int_equal(a->ss_family, b->ss_family);
    if (a->ss_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
        const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)b;
        assert_int_equal(x->sin6_port, y->sin6_port);
        assert_memory_equal(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
    } else {
        const struct sockaddr_in *x = (const struct sockaddr_in *)a;
        const struct sockaddr_in *y = (const struct sockaddr_in *)b;
        assert_int_equal(x->sin_port, y->sin_port);
        assert_int_equal(x->sin_addr.s_addr, y->sin_addr.s_addr);
    }
}

/* Connects a new overlapped socket to listener (bound at addr) and accepts
 * it: one connected pair. Tests that make many pairs share one listener. */
static inline void connect_pair(SOCKET listener, const struct sockaddr_storage *addr, int addrlen,
                                SOCKET *client, SOCKET *server)
{
    *client = new_tcp_socket(addr->ss_family);
    assert_int_equal(connect(*client, (const struct sockaddr *)addr, addrlen), 0);
    *server = accept(listener, NULL, NULL);
    assert_true(*server != INVALID_SOCKET);
}

/* A connected TCP pair over loopback; both ends are overlapped sockets. */
static inline void tcp_pair_family(int family, SOCKET *client, SOCKET *server)
{
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = new_listener(family, &addr, &addrlen);
    connect_pair(l, &addr, addrlen, client, server);
    assert_int_equal(closesocket(l), 0);
}

static inline void tcp_pair(SOCKET *client, SOCKET *server)
{
    tcp_pair_family(AF_INET, client, server);
}

static inline packet get_packet(HANDLE port, DWORD ms)
{
    packet p;
    memset(&p, 0, sizeof(p));
    p.bytes = SENTINEL;
    p.key = (ULONG_PTR)SENTINEL;
    p.ovl = (LPOVERLAPPED)(ULONG_PTR)SENTINEL;
    SetLastError(SENTINEL);
    p.ok = GetQueuedCompletionStatus(port, &p.bytes, &p.key, &p.ovl, ms);
    p.error = GetLastError();
    return p;
}

/* Asserts that no packet arrives within ms milliseconds. */
static inline void assert_no_packet(HANDLE port, DWORD ms)
{
    packet p = get_packet(port, ms);
    assert_false(p.ok);
    assert_int_equal(p.error, WAIT_TIMEOUT);
    assert_null(p.ovl);
}

/* A packet GQCS returned TRUE for: get_packet() set the last error to SENTINEL
 * and a successful dequeue must leave it (spec P2); every field exact. */
#define assert_packet_ok(p, n, k, o)                      \
    do {                                                  \
        assert_true((p).ok);                              \
        assert_int_equal((p).error, SENTINEL);            \
        assert_int_equal((p).bytes, (n));                 \
        assert_int_equal((p).key, (k));                   \
        assert_ptr_equal((p).ovl, (o));                   \
    } while (0)

/* A packet for a failed I/O: FALSE with every output filled (spec P3). */
#define assert_packet_failed(p, e, n, k, o)               \
    do {                                                  \
        assert_false((p).ok);                             \
        assert_int_equal((p).error, (e));                 \
        assert_int_equal((p).bytes, (n));                 \
        assert_int_equal((p).key, (k));                   \
        assert_ptr_equal((p).ovl, (o));                   \
    } while (0)

/* An overlapped call that pended: SOCKET_ERROR and WSA_IO_PENDING. */
#define assert_pending(ret, err)                          \
    do {                                                  \
        assert_int_equal((ret), SOCKET_ERROR);            \
        assert_int_equal((err), WSA_IO_PENDING);          \
    } while (0)

/* R3: an operation that could finish at once may pend instead, and either
 * way completes exactly once with n bytes. At once: 0, the count written,
 * the OVERLAPPED complete, and one packet unless skip (the socket's
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS). Pended: WSA_IO_PENDING, then one
 * packet with n bytes. Takes the packet it expects, no more. */
static inline void assert_done_once(HANDLE port, int ret, int err, DWORD reported, DWORD n,
                                    ULONG_PTR key, OVERLAPPED *ovl, BOOL skip)
{
    packet p;
    if (ret == 0) {
        assert_int_equal(err, 0);
        assert_int_equal(reported, n);
        assert_true(HasOverlappedIoCompleted(ovl));
        assert_int_equal(ovl->Internal, 0);
        assert_int_equal(ovl->InternalHigh, n);
        if (skip)
            return;
    } else {
        assert_pending(ret, err);
    }
    p = get_packet(port, PACKET_WAIT_MS);
    assert_packet_ok(p, n, key, ovl);
    assert_int_equal(ovl->Internal, 0);
    assert_int_equal(ovl->InternalHigh, n);
}

/* A send may finish at once (0, all bytes) or pend; both queue one packet. */
#define assert_send_started(ret, err, sent, n)            \
    do {                                                  \
        if ((ret) == 0) {                                 \
            assert_int_equal((err), 0);                   \
            assert_int_equal((sent), (n));                \
        } else {                                          \
            assert_pending((ret), (err));                 \
        }                                                 \
    } while (0)

/* An extension call (AcceptEx, ConnectEx, DisconnectEx) that must pend:
 * FALSE, ERROR_IO_PENDING. */
#define assert_ex_pending(ok, err)                        \
    do {                                                  \
        assert_false(ok);                                 \
        assert_int_equal((err), ERROR_IO_PENDING);        \
    } while (0)

/* An extension call rejected at once: FALSE with that error. */
#define assert_ex_failed(ok, err, e)                      \
    do {                                                  \
        assert_false(ok);                                 \
        assert_int_equal((err), (e));                     \
    } while (0)

/* Any extension function's pointer, as a generic function pointer. */
typedef void (*extension_fn)(void);

/* Gets the pointer of the extension function guid names the way Windows
 * servers do, through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) on s, into
 * *fn (a function pointer of fn_size bytes). The call must return 0, report
 * the size of a pointer (Wine test_connect checks it) and give a non-NULL
 * pointer. Returns WSAGetLastError() right after the call, which was set to
 * WSA_SENTINEL before it (test_acceptex asserts that a success clears it). */
static inline int load_extension(SOCKET s, GUID guid, void *fn, size_t fn_size)
{
    extension_fn p = NULL;
    DWORD bytes = SENTINEL;
    int ret, err;
    assert_int_equal(fn_size, sizeof(p));
    WSASetLastError(WSA_SENTINEL);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, (DWORD)sizeof(guid), &p,
                   (DWORD)sizeof(p), &bytes, NULL, NULL);
    err = WSAGetLastError();
    assert_int_equal(ret, 0);
    assert_int_equal(bytes, sizeof(p));
    assert_true(p != NULL);
    memcpy(fn, &p, sizeof(p));
    return err;
}

static inline LPFN_ACCEPTEX get_acceptex(SOCKET s)
{
    GUID guid = WSAID_ACCEPTEX;
    LPFN_ACCEPTEX fn = NULL;
    load_extension(s, guid, &fn, sizeof(fn));
    return fn;
}

static inline LPFN_CONNECTEX get_connectex(SOCKET s)
{
    GUID guid = WSAID_CONNECTEX;
    LPFN_CONNECTEX fn = NULL;
    load_extension(s, guid, &fn, sizeof(fn));
    return fn;
}

static inline LPFN_DISCONNECTEX get_disconnectex(SOCKET s)
{
    GUID guid = WSAID_DISCONNECTEX;
    LPFN_DISCONNECTEX fn = NULL;
    load_extension(s, guid, &fn, sizeof(fn));
    return fn;
}

static inline LPFN_GETACCEPTEXSOCKADDRS get_getacceptexsockaddrs(SOCKET s)
{
    GUID guid = WSAID_GETACCEPTEXSOCKADDRS;
    LPFN_GETACCEPTEXSOCKADDRS fn = NULL;
    load_extension(s, guid, &fn, sizeof(fn));
    return fn;
}

/* ConnectEx (through its extension pointer) to `to`, sending len bytes of
 * data (NULL, 0: none), with the last error set to SENTINEL first; *err is
 * WSAGetLastError() after (what matters when it returns FALSE).
 * lpdwBytesSent is static: only a synchronous success writes it, but nothing
 * of a pending op lives on the stack. */
static inline BOOL call_connectex(SOCKET s, const struct sockaddr_storage *to, int tolen, const char *data,
                                  DWORD len, OVERLAPPED *ovl, int *err)
{
    static DWORD sent;
    LPFN_CONNECTEX connectex = get_connectex(s);
    BOOL ok;
    sent = SENTINEL;
    WSASetLastError((int)SENTINEL);
    /* ConnectEx's send buffer is PVOID but is only read. */
    ok = connectex(s, (const struct sockaddr *)to, tolen, (PVOID)(uintptr_t)data, len, &sent, ovl);
    *err = WSAGetLastError();
    return ok;
}

/* The address blocks of call_acceptex(): room for the largest address. */
#define ACCEPTEX_ADDR_LEN ((DWORD)(sizeof(struct sockaddr_in6) + 16))
/* How many AcceptEx of call_acceptex() may be pending at once. */
#define ACCEPTEX_SLOTS 2

/* AcceptEx (through its extension pointer) with no receive data into
 * accept_socket, with the last error set to SENTINEL first; *err is
 * WSAGetLastError() after. Its addresses go into the static block of the
 * given slot (< ACCEPTEX_SLOTS): a pending AcceptEx writes into its buffer
 * and byte count, so neither lives on the stack, and two pending at once
 * need two slots. */
static inline BOOL call_acceptex(SOCKET listener, SOCKET accept_socket, int slot, OVERLAPPED *ovl, int *err)
{
    static char buf[ACCEPTEX_SLOTS][2 * ACCEPTEX_ADDR_LEN];
    static DWORD received[ACCEPTEX_SLOTS];
    LPFN_ACCEPTEX acceptex = get_acceptex(listener);
    BOOL ok;
    received[slot] = SENTINEL;
    WSASetLastError((int)SENTINEL);
    ok = acceptex(listener, accept_socket, buf[slot], 0, ACCEPTEX_ADDR_LEN, ACCEPTEX_ADDR_LEN,
                  &received[slot], ovl);
    *err = WSAGetLastError();
    return ok;
}

/* A byte pattern that differs per seed and does not repeat within 4 MiB. */
static inline void fill_pattern(char *buf, size_t len, unsigned seed)
{
    size_t i;
    for (i = 0; i < len; i++) {
        uint32_t x = (uint32_t)i * 2654435761u + seed * 40503u;
        x ^= x >> 15;
        x *= 2246822519u;
        x ^= x >> 13;
        buf[i] = (char)(x & 0xff);
    }
}

/* Associates s with port under key; the call must return the port itself. */
static inline void associate(SOCKET s, HANDLE port, ULONG_PTR key)
{
    assert_ptr_equal(CreateIoCompletionPort((HANDLE)s, port, key, 0), port);
}

/* WSARecv with the last error set to SENTINEL first; *err is
 * WSAGetLastError() after. The flags are static, like every OVERLAPPED and
 * buffer in these tests, so that an op wrongly left pending never writes
 * into a dead stack frame and crashes the tests after its own. */
static inline int post_recv(SOCKET s, WSABUF *bufs, DWORD count, OVERLAPPED *ovl, DWORD *bytes, int *err)
{
    static DWORD flags;
    int ret;
    flags = 0;
    WSASetLastError((int)SENTINEL);
    ret = WSARecv(s, bufs, count, bytes, &flags, ovl, NULL);
    *err = WSAGetLastError();
    return ret;
}

/* WSASend with the last error set to SENTINEL first; *err as post_recv(). */
static inline int post_send(SOCKET s, WSABUF *bufs, DWORD count, OVERLAPPED *ovl, DWORD *bytes, int *err)
{
    int ret;
    WSASetLastError((int)SENTINEL);
    ret = WSASend(s, bufs, count, bytes, 0, ovl, NULL);
    *err = WSAGetLastError();
    return ret;
}

/* One overlapped WSARecv into its own buffer and what the call returned; the
 * tests keep these static for the reason given at post_recv(). */
typedef struct recv_op {
    OVERLAPPED ovl;
    WSABUF wsabuf;
    DWORD bytes;
    DWORD flags;
    int ret;
    int err;
    char buf[64];
} recv_op;

/* Issues op as a fresh WSARecv on s (hEvent = event), bytes preset to
 * SENTINEL and the last error to WSA_SENTINEL. */
static inline void issue_recv(SOCKET s, recv_op *op, HANDLE event)
{
    memset(op, 0, sizeof(*op));
    op->ovl.hEvent = event;
    op->wsabuf.buf = op->buf;
    op->wsabuf.len = (ULONG)sizeof(op->buf);
    op->bytes = SENTINEL;
    WSASetLastError(WSA_SENTINEL);
    op->ret = WSARecv(s, &op->wsabuf, 1, &op->bytes, &op->flags, &op->ovl, NULL);
    op->err = WSAGetLastError();
}

/* An issue_recv() that pended, and its OVERLAPPED says so too. */
#define assert_recv_pending(op)                           \
    do {                                                  \
        assert_pending((op).ret, (op).err);               \
        assert_false(HasOverlappedIoCompleted(&(op).ovl)); \
    } while (0)

/* Reads OVERLAPPED.Internal atomically: the operation may be completing
 * on another thread right now. */
static inline DWORD overlapped_status(OVERLAPPED *ovl)
{
    return (DWORD)InterlockedExchangeAdd64((LONG64 volatile *)&ovl->Internal, 0);
}

/* Waits until s has data (or end of stream) to read, at most ms milliseconds. */
static inline int wait_readable(SOCKET s, long ms)
{
    fd_set rd;
    struct timeval tv;
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return select((int)s + 1, &rd, NULL, NULL, &tv);
}

/* Sends all of buf with blocking send(); returns bytes sent. */
static inline int send_all(SOCKET s, const char *buf, int len)
{
    int done = 0;
    while (done < len) {
        int n = send(s, buf + done, len - done, 0);
        if (n <= 0)
            break;
        done += n;
    }
    return done;
}

/* Receives exactly len bytes with blocking recv(); returns bytes received. */
static inline int recv_all(SOCKET s, char *buf, int len)
{
    int done = 0;
    while (done < len) {
        int n = recv(s, buf + done, len - done, 0);
        if (n <= 0)
            break;
        done += n;
    }
    return done;
}

/* Peer sends data and the test waits until s can read it. */
static inline void make_readable(SOCKET peer, SOCKET s, const char *data, int len)
{
    assert_int_equal(send(peer, data, len, 0), len);
    assert_int_equal(wait_readable(s, PACKET_WAIT_MS), 1);
}

/* SO_LINGER {1, 0}, so that closesocket resets; returns setsockopt's result
 * (no assert: helper threads call it too). */
static inline int set_linger_zero(SOCKET s)
{
    LINGER lg;
    lg.l_onoff = 1;
    lg.l_linger = 0;
    return setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&lg, (int)sizeof(lg));
}

/* Abortive close: the peer sees a reset. */
static inline void close_with_reset(SOCKET s)
{
    assert_int_equal(set_linger_zero(s), 0);
    assert_int_equal(closesocket(s), 0);
}

/* Starts a helper thread (which must not call cmocka asserts). */
static inline HANDLE start_thread(LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE t = CreateThread(NULL, 0, fn, arg, 0, NULL);
    assert_non_null(t);
    return t;
}

/* Joins a helper thread; 0 if it did not finish in time (then it is leaked,
 * with whatever it points to). */
static inline int join_thread(HANDLE thread, DWORD ms)
{
    if (WaitForSingleObject(thread, ms) != WAIT_OBJECT_0)
        return 0;
    return CloseHandle(thread) ? 1 : 0;
}

/* Joins a helper thread that must end within ms with exit code 0. */
static inline void join_thread_exit_zero(HANDLE thread, DWORD ms)
{
    DWORD code = SENTINEL;
    assert_int_equal(WaitForSingleObject(thread, ms), WAIT_OBJECT_0);
    assert_true(GetExitCodeThread(thread, &code));
    assert_int_equal(code, 0);
    assert_int_equal(CloseHandle(thread), TRUE);
}

/* Polls a flag set by another thread; only Sleep and Interlocked in between,
 * so the calling thread's last error is not disturbed. */
static inline int wait_flag(volatile LONG *flag, DWORD ms)
{
    DWORD t0 = GetTickCount();
    while (InterlockedCompareExchange(flag, 0, 0) == 0) {
        if (GetTickCount() - t0 > ms)
            return 0;
        Sleep(1);
    }
    return 1;
}

/* Atomic reads of counters that worker threads update. */
static inline LONG64 load64(LONG64 volatile *p)
{
    return InterlockedExchangeAdd64(p, 0);
}

static inline LONG load32(LONG volatile *p)
{
    return InterlockedCompareExchange(p, 0, 0);
}

#endif
