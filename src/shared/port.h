/*
 * Completion ports. Packets queue FIFO; waiting threads stack LIFO and are
 * handed packets directly, so one completion wakes one thread. At most one
 * waiting thread at a time (the poller) sleeps inside the engine; the others
 * sleep on their own condition variable until handed a packet or the poller
 * role.
 */
#ifndef IOCPCOMPAT_PORT_H
#define IOCPCOMPAT_PORT_H

#include <windows.h>
#include <stdbool.h>

struct engine;

struct packet {
    struct packet *next;
    ULONG_PTR key;
    LPOVERLAPPED ovl;
    DWORD bytes;
    DWORD status;                            /* NTSTATUS */
};

/* Gives a packet's record back once it is dequeued or dropped. The front end
 * that made the packet provides it (a pending receive is most of an idle
 * connection's memory, so the packet carries no pointer for this). */
void packet_release(struct packet *packet);

struct port;

/* Takes a reference to the port behind h; ERROR_INVALID_HANDLE otherwise. */
struct port *port_get(HANDLE h);
void port_retain(struct port *port);
void port_release(struct port *port);
/* A reference unless the port is already being destroyed. */
bool port_try_retain(struct port *port);

/* Reaps the engine's ready completions if no thread is polling the port. */
void port_attend(struct port *port);

struct engine *port_engine(struct port *port);

/* Queues a packet from any thread (completions, posts). A closed port
 * drops it (packet_release). */
void port_deliver(struct port *port, struct packet *packet);

/* The calling thread stops counting as running on the port it last took a
 * packet from. Called on entry to GetQueuedCompletionStatus and when a thread
 * ends, before anybody waiting on the thread is told. */
void port_thread_leaving(void);

/* Around a blocking wait: the thread does not count as running meanwhile. */
void port_thread_blocking(void);
void port_thread_unblocked(void);

#endif
