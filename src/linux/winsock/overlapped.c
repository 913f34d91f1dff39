/* GetOverlappedResult and WSAGetOverlappedResult: the same reading of the
 * OVERLAPPED, reported in Win32 or in Winsock codes, for a socket's
 * operations or a file's. */
#include "error.h"
#include "file.h"
#include "object.h"
#include "port.h"
#include "socket.h"

void sock_wait_overlapped(struct sock *s, LPOVERLAPPED ovl)
{
    /* Operations finish under the socket's lock and then bump completions,
     * so one that finishes after the look below changes the word before the
     * wait can sleep on it. */
    port_thread_blocking();
    lock_acquire(&s->lock);
    s->waiters++;
    while ((DWORD)__atomic_load_n(&ovl->Internal, __ATOMIC_ACQUIRE) == STATUS_PENDING) {
        unsigned seen = atomic_load_explicit(&s->completions, memory_order_relaxed);
        lock_release(&s->lock);
        futex_wait(&s->completions, seen, NULL);
        lock_acquire(&s->lock);
    }
    s->waiters--;
    lock_release(&s->lock);
    port_thread_unblocked();
}

static BOOL overlapped_result(HANDLE h, LPOVERLAPPED ovl, LPDWORD bytes, BOOL wait, bool wsa)
{
    if (ovl == NULL || bytes == NULL) {
        error_set(wsa ? (DWORD)WSAEFAULT : ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    DWORD status = (DWORD)__atomic_load_n(&ovl->Internal, __ATOMIC_ACQUIRE);
    if (status == STATUS_PENDING) {
        if (!wait) {
            error_set(wsa ? (DWORD)WSA_IO_INCOMPLETE : ERROR_IO_INCOMPLETE);
            return FALSE;
        }
        struct file *f = handle_is_object(h) ? file_find(h) : NULL;
        if (f != NULL) {
            file_wait_overlapped(f, ovl);
            file_release(f);
            status = (DWORD)__atomic_load_n(&ovl->Internal, __ATOMIC_ACQUIRE);
            goto done;
        }
        struct sock *s = handle_is_object(h) ? NULL : sock_get((SOCKET)(uintptr_t)h, false);
        if (s == NULL) {
            error_set(wsa ? (DWORD)WSAENOTSOCK : ERROR_INVALID_HANDLE);
            return FALSE;
        }
        sock_wait_overlapped(s, ovl);
        sock_release(s);
        status = (DWORD)__atomic_load_n(&ovl->Internal, __ATOMIC_ACQUIRE);
    }
done:
    *bytes = (DWORD)__atomic_load_n(&ovl->InternalHigh, __ATOMIC_RELAXED);
    if (status == STATUS_SUCCESS)
        return TRUE;
    error_set(wsa ? status_to_wsa(status) : status_to_win32(status));
    return FALSE;
}

BOOL WINAPI GetOverlappedResult(HANDLE h, LPOVERLAPPED ovl, LPDWORD bytes, BOOL wait)
{
    return overlapped_result(h, ovl, bytes, wait, false);
}

BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED ovl, LPDWORD bytes, BOOL wait,
                                   LPDWORD flags)
{
    BOOL ok = overlapped_result((HANDLE)(uintptr_t)s, ovl, bytes, wait, true);
    if (flags != NULL)
        *flags = 0;
    return ok;
}
