#include "completion.h"

#include <stdint.h>

void completion_mark_entered(LPOVERLAPPED ovl)
{
    __atomic_store_n(&ovl->Internal, (ULONG_PTR)STATUS_PENDING, __ATOMIC_RELEASE);
}

void completion_mark_pending(LPOVERLAPPED ovl)
{
    __atomic_store_n(&ovl->InternalHigh, 0, __ATOMIC_RELAXED);
    completion_mark_entered(ovl);
}

bool completion_record(LPOVERLAPPED ovl, DWORD status, DWORD bytes, bool associated,
                       bool skip_on_success)
{
    /* Read before Internal is written: once it is, the OVERLAPPED is the
     * program's again and may already be reused. */
    HANDLE event = ovl->hEvent;
    __atomic_store_n(&ovl->InternalHigh, (ULONG_PTR)bytes, __ATOMIC_RELAXED);
    __atomic_store_n(&ovl->Internal, (ULONG_PTR)status, __ATOMIC_RELEASE);
    /* An event handle with its low bit set asks for no packet. */
    bool no_packet = ((uintptr_t)event & 1) != 0;
    if (event != NULL)
        event_signal_handle((HANDLE)((uintptr_t)event & ~(uintptr_t)1));
    return associated && !no_packet && !skip_on_success;
}
