/*
 * The futex calls the library's own waits are built on. Both keep errno,
 * which GetLastError reads.
 */
#ifndef IOCPCOMPAT_FUTEX_H
#define IOCPCOMPAT_FUTEX_H

#include <errno.h>
#include <linux/futex.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Sleeps while *word == expected, at most rel (NULL: no limit); false only
 * when the time ran out. */
static inline bool futex_wait(void *word, uint32_t expected, const struct timespec *rel)
{
    int saved = errno;
    long r = syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, rel, NULL, 0);
    bool timed_out = r != 0 && errno == ETIMEDOUT;
    errno = saved;
    return !timed_out;
}

static inline void futex_wake(void *word, int n)
{
    int saved = errno;
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
    errno = saved;
}

#endif
