/*
 * Blocking Winsock calls (accept, recv, recvfrom, send, connect, select) that
 * closesocket on another thread ends, as Windows does: the blocked call
 * fails at once with WSAEINTR (spec row B1). Linux leaves a thread blocked
 * on a descriptor that another thread closes, so each such call says which
 * descriptors it blocks on, and closesocket interrupts it before it lets the
 * descriptor go.
 */
#ifndef IOCPCOMPAT_BLOCKING_H
#define IOCPCOMPAT_BLOCKING_H

#include <stdbool.h>

/* Ends the blocking calls of other threads on fd, which is about to be
 * closed; returns once none of them can still touch fd (or, if a thread
 * keeps the interrupting signal blocked, after a bounded wait). */
void blocking_interrupt(int fd);

/* Linux's struct pollfd and poll flags, for callers that see Windows'
 * (checked against <poll.h> in blocking.c). */
struct blocking_pollfd {
    int fd;
    short events;
    short revents;
};
#define LINUX_POLLIN    0x001
#define LINUX_POLLPRI   0x002
#define LINUX_POLLOUT   0x004
#define LINUX_POLLERR   0x008
#define LINUX_POLLHUP   0x010
#define LINUX_POLLNVAL  0x020
#define LINUX_POLLRDHUP 0x2000

/* poll(2) over fds as a blocking call that closesocket of one of them ends
 * (-1 with errno EINTR, as *interrupted says); ms < 0 waits for ever. */
int blocking_poll(struct blocking_pollfd *fds, unsigned n, int ms, bool *interrupted);

#endif
