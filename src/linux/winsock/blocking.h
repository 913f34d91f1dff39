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

/* Ends the blocking calls of other threads on fd, which is about to be
 * closed; returns once none of them can still touch fd (or, if a thread
 * keeps the interrupting signal blocked, after a bounded wait). */
void blocking_interrupt(int fd);

#endif
