/*
 * The completion step every platform shares: what the OVERLAPPED, its event
 * and the completion port see when an overlapped operation starts and ends.
 */
#ifndef IOCPCOMPAT_COMPLETION_H
#define IOCPCOMPAT_COMPLETION_H

#include <windows.h>
#include <stdbool.h>

/* The operation is under way: Internal = STATUS_PENDING, InternalHigh = 0,
 * published before the call returns ERROR_IO_PENDING. */
void completion_mark_pending(LPOVERLAPPED ovl);

/* What AcceptEx and ConnectEx do on entry, before they look at their other
 * arguments: Internal = STATUS_PENDING, InternalHigh left as it was (a
 * call that then fails leaves it so). */
void completion_mark_entered(LPOVERLAPPED ovl);

/*
 * The operation ended with status and bytes: fills the OVERLAPPED, signals
 * its event, and says whether a packet is due. None is due when the handle
 * has no port, when the event handle has its low bit set, or when
 * skip_on_success applies (the call itself returned success and the handle
 * has FILE_SKIP_COMPLETION_PORT_ON_SUCCESS).
 */
bool completion_record(LPOVERLAPPED ovl, DWORD status, DWORD bytes, bool associated,
                       bool skip_on_success);

/* Signals the event behind h, leaving the last error alone; a handle that is
 * not an event is ignored, as Windows ignores it. Each platform has one. */
void event_signal_handle(HANDLE h);

#endif
