/*
 * Helpers shared by the conformance tests. Plain Win32 only: the same source
 * builds against iocpcompat on Linux and against the Windows SDK (mingw-w64).
 * cmocka asserts must run on the test's own thread, so helper threads record
 * what they saw and the test asserts afterwards.
 */
#ifndef CONFORMANCE_H
#define CONFORMANCE_H

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
    assert_int_equal(wait_readable(s, 2000), 1);
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

/* The stress tests' own lock, from Interlocked alone: CRITICAL_SECTION
 * belongs to the library under test. */
static inline void spin_lock(LONG volatile *l)
{
    while (InterlockedCompareExchange(l, 1, 0) != 0)
        Sleep(0);
}

static inline void spin_unlock(LONG volatile *l)
{
    InterlockedExchange(l, 0);
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

/* Waits for done in slices, so that a run that stopped making progress (a
 * lost completion: *progress no longer moves) fails after stall_ms instead of
 * the whole deadline. Returns what WaitForSingleObject returned, or
 * WAIT_TIMEOUT for a stall or the deadline (counted from start). */
static inline DWORD wait_done_or_stall(HANDLE done, LONG64 volatile *progress, ULONGLONG start,
                                       DWORD deadline_ms, DWORD stall_ms)
{
    LONG64 last = -1;
    ULONGLONG last_progress = GetTickCount64();
    for (;;) {
        ULONGLONG now = GetTickCount64();
        LONG64 seen = load64(progress);
        DWORD rc;
        if (seen != last) {
            last = seen;
            last_progress = now;
        }
        if (now - start >= deadline_ms || now - last_progress >= stall_ms)
            return WAIT_TIMEOUT;
        rc = WaitForSingleObject(done, 1000);
        if (rc != WAIT_TIMEOUT)
            return rc;
    }
}

#ifdef __linux__
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

/*
 * The one Linux-specific check of the stress tests: how many descriptors the
 * process holds, to prove that closing every handle gave every descriptor
 * back. With print, the descriptors and what they point to are listed (at
 * most 40: a leak per round would print thousands), to name the leak.
 */
static inline int fd_count(int print)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    struct dirent *de;
    if (d == NULL)
        return -1;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        n++;
        if (print && n <= 40) {
            char path[300], target[256];
            ssize_t len;
            snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
            len = readlink(path, target, sizeof(target) - 1);
            target[len > 0 ? len : 0] = '\0';
            print_message("  fd %s -> %s\n", de->d_name, target);
        }
    }
    closedir(d);
    if (print && n > 40)
        print_message("  ... and %d more\n", n - 40);
    return n;
}

/* A baseline is the lowest count seen over half a second: the library may
 * hand a closed handle's descriptor back a little after the call returned. */
static inline int settled_fd_count(void)
{
    int i, low = fd_count(0);
    for (i = 0; i < 25; i++) {
        int n;
        Sleep(20);
        n = fd_count(0);
        if (n < low)
            low = n;
    }
    return low;
}

/* Fails unless the count comes back to before within two seconds. Fewer than
 * before fails too: a descriptor of the warm-up, whose handles were all
 * closed before the baseline, was released only later, so a closed handle
 * can hold a descriptor for an unbounded time, which the end count could not
 * tell from a leak. */
static inline void assert_fd_count_back_to(int before)
{
    int after = fd_count(0);
    ULONGLONG until = GetTickCount64() + 2000;
    while (after != before && GetTickCount64() < until) {
        Sleep(20);
        after = fd_count(0);
    }
    if (after != before) {
        fd_count(1);
        if (after > before)
            fail_msg("fd leak: %d fds before the test, %d after closing everything", before, after);
        fail_msg("fd count went down from %d (after the warm-up closed everything) to %d: "
                 "a closed handle kept its fd open long after CloseHandle/closesocket",
                 before, after);
    }
}
#endif

#endif
