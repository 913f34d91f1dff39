/*
 * Thread-local storage slots (TlsAlloc and friends). Each slot has a
 * generation, bumped by TlsFree; a thread's value counts only while it
 * carries the slot's current generation, so a freed and reallocated slot
 * reads NULL in every thread, as Windows makes it, without touching other
 * threads' memory. A thread's values are allocated on its first
 * TlsSetValue and freed when it ends.
 */
#include "error.h"
#include "platform.h"

#include <pthread.h>
#include <stdlib.h>

#define TLS_SLOTS (TLS_MINIMUM_AVAILABLE + 1024)

struct cell {
    LPVOID value;
    uint32_t gen;
};

static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static bool slot_used[TLS_SLOTS];
static uint32_t slot_gen[TLS_SLOTS];   /* atomic */

static _Thread_local struct cell *cells;

static void cells_free(void)
{
    free(cells);
    cells = NULL;
}
static struct os_thread_exit cells_exit = OS_THREAD_EXIT(cells_free);

DWORD WINAPI TlsAlloc(void)
{
    DWORD index = TLS_OUT_OF_INDEXES;
    pthread_mutex_lock(&slots_lock);
    for (DWORD i = 0; i < TLS_SLOTS; i++) {
        if (!slot_used[i]) {
            slot_used[i] = true;
            index = i;
            break;
        }
    }
    pthread_mutex_unlock(&slots_lock);
    if (index == TLS_OUT_OF_INDEXES)
        error_set(ERROR_NO_MORE_ITEMS);
    return index;
}

BOOL WINAPI TlsFree(DWORD index)
{
    bool ok = false;
    pthread_mutex_lock(&slots_lock);
    if (index < TLS_SLOTS && slot_used[index]) {
        slot_used[index] = false;
        __atomic_add_fetch(&slot_gen[index], 1, __ATOMIC_RELEASE);
        ok = true;
    }
    pthread_mutex_unlock(&slots_lock);
    if (!ok) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}

/* Windows reads and writes any slot in range, allocated or not. */
LPVOID WINAPI TlsGetValue(DWORD index)
{
    if (index >= TLS_SLOTS) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    /* Callers tell a stored NULL from a failure by the last error. */
    SetLastError(ERROR_SUCCESS);
    if (cells == NULL || cells[index].gen != __atomic_load_n(&slot_gen[index], __ATOMIC_ACQUIRE))
        return NULL;
    return cells[index].value;
}

BOOL WINAPI TlsSetValue(DWORD index, LPVOID value)
{
    if (index >= TLS_SLOTS) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (cells == NULL) {
        cells = calloc(TLS_SLOTS, sizeof *cells);
        if (cells == NULL) {
            error_set(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        os_at_thread_exit(&cells_exit);
    }
    cells[index].gen = __atomic_load_n(&slot_gen[index], __ATOMIC_ACQUIRE);
    cells[index].value = value;
    return TRUE;
}
