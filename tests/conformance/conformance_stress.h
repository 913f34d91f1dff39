/*
 * Helpers shared by the multi-threaded stress tests (test_stress_mt.c,
 * test_churn.c, test_race.c) on top of conformance.h: their timing, their own
 * lock, waiting for the end of a run, stopping the workers, the extension
 * pointers, the data pattern's mixer and (Linux only) the fd count that
 * proves nothing leaked. Plain Win32 except the fd count.
 */
#ifndef CONFORMANCE_STRESS_H
#define CONFORMANCE_STRESS_H

#include "conformance.h"

/* The whole run must end within this (test_race.c, which has more to do,
 * has its own RACE_DEADLINE_MS)... */
#define DEADLINE_MS 120000u
/* ...and a lost completion shows as no packet at all for this long: fail
 * sooner than the deadline. */
#define STALL_MS 20000u
/* The workers' GetQueuedCompletionStatus timeout: finite, so that a worker
 * notices the stop flag even if no packet ever comes. */
#define WORKER_WAIT_MS 100u
/* An AcceptEx address block with room for any address. */
#define STRESS_ADDR_LEN ((DWORD)sizeof(SOCKADDR_STORAGE) + 16)

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

/* Sets *stop, wakes each of the count workers with an empty packet and waits
 * up to 5 s for each to end; 0 if one did not (then it is leaked). Does not
 * assert: it runs on the way to a failure message. */
static inline int stop_workers(HANDLE port, LONG volatile *stop, const HANDLE *threads, int count)
{
    int i, stopped = 1;
    InterlockedExchange(stop, 1);
    for (i = 0; i < count; i++)
        PostQueuedCompletionStatus(port, 0, 0, NULL);
    for (i = 0; i < count; i++)
        if (WaitForSingleObject(threads[i], 5000) != WAIT_OBJECT_0)
            stopped = 0;
    return stopped;
}

/* Loads the extension pointers asked for (NULL: not wanted) once, through a
 * socket of their own, before the workers start. */
static inline void load_extensions(LPFN_ACCEPTEX *acceptex, LPFN_CONNECTEX *connectex,
                                   LPFN_DISCONNECTEX *disconnectex, LPFN_GETACCEPTEXSOCKADDRS *sockaddrs)
{
    SOCKET s = new_tcp_socket(AF_INET);
    if (acceptex != NULL)
        *acceptex = get_acceptex(s);
    if (connectex != NULL)
        *connectex = get_connectex(s);
    if (disconnectex != NULL)
        *disconnectex = get_disconnectex(s);
    if (sockaddrs != NULL)
        *sockaddrs = get_getacceptexsockaddrs(s);
    assert_int_equal(closesocket(s), 0);
}

/* A 32-bit mixer (an integer hash): the tests' message sizes and bytes
 * depend on where they belong through it, so that misrouted bytes show. */
static inline uint32_t stress_mix(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    h *= 0x846ca68bu;
    h ^= h >> 16;
    return h;
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
