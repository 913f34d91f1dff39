/* Win32 events (CreateEvent, WSACreateEvent). */
#ifndef IOCPCOMPAT_EVENT_H
#define IOCPCOMPAT_EVENT_H

#include <windows.h>

/* Signals the event behind h; used when an overlapped operation completes.
 * A handle that is not an event is ignored, as Windows ignores it. */
void event_signal_handle(HANDLE h);

#endif
