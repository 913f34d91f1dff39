/*
 * The library's background thread. It serves the engine of sockets that
 * have no completion port yet, and attends every port that no thread is
 * polling, so that operations complete (OVERLAPPED, event) without anybody
 * in GetQueuedCompletionStatus, as they do on Windows.
 */
#ifndef IOCPCOMPAT_BACKGROUND_H
#define IOCPCOMPAT_BACKGROUND_H

#include <stdbool.h>

struct engine;
struct port;

/* The engine for sockets without a port; NULL if none could be made. */
struct engine *background_engine(void);

/* Adds a port to (or removes it from) the ports attended. */
bool background_watch(struct port *port);
void background_unwatch(struct port *port);

#endif
