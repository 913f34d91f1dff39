/*
 * WSAEventSelect's bookkeeping, as the other Winsock calls see it: the
 * calls that re-enable a network event (recv for FD_READ, accept for
 * FD_ACCEPT, a send that would block for FD_WRITE) say so, connect says a
 * connection may be starting, closesocket says the selection ends. Each
 * costs one relaxed load while no socket of the process is selected.
 */
#ifndef IOCPCOMPAT_NETEVENTS_H
#define IOCPCOMPAT_NETEVENTS_H

#include <stdatomic.h>
#include <stdbool.h>

extern atomic_int netevents_selected_count;

static inline bool netevents_any(void)
{
    return atomic_load_explicit(&netevents_selected_count, memory_order_relaxed) != 0;
}

/* The call that re-enables the events of mask (FD_* bits) was made on fd. */
void netevents_reenable(int fd, long mask);
/* fd may have started connecting: look at it again now. */
void netevents_kick(int fd);
/* fd came from accepting on listener: it gets the listener's selection. */
void netevents_inherit(int listener, int fd);
/* fd is being closed: its selection ends. */
void netevents_forget(int fd);
/* Whether fd has a selection (then it cannot be made blocking). */
bool netevents_is_selected(int fd);

static inline void netevents_after(int fd, long mask)
{
    if (netevents_any())
        netevents_reenable(fd, mask);
}

#endif
