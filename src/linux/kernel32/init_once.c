/*
 * One-time initialisation (InitOnceExecuteOnce and its two-step form). The
 * INIT_ONCE pointer holds the state in its low two bits, as on Windows:
 * 0 not run, 1 running, 2 done with the context in the other bits.
 * Threads that find it running sleep on a futex on its low 32 bits.
 */
#include "error.h"
#include "futex.h"

#include <stdint.h>

#define ONCE_RUNNING 1u
#define ONCE_DONE    2u
#define ONCE_STATE   3u

static uintptr_t *word(PINIT_ONCE once)
{
    return (uintptr_t *)&once->Ptr;
}

/* The futex word is the pointer's low half (little-endian x86-64 and arm64). */
static void wait_while_running(PINIT_ONCE once)
{
    while (__atomic_load_n(word(once), __ATOMIC_ACQUIRE) == ONCE_RUNNING)
        futex_wait(word(once), ONCE_RUNNING, NULL);
}

static void finish(PINIT_ONCE once, uintptr_t value)
{
    __atomic_store_n(word(once), value, __ATOMIC_RELEASE);
    futex_wake(word(once), INT32_MAX);
}

void WINAPI InitOnceInitialize(PINIT_ONCE once)
{
    once->Ptr = NULL;
}

/* Done: true with the context; not run: claims it and returns false with
 * *claimed set; running: waits. */
static bool done_or_claim(PINIT_ONCE once, LPVOID *context, bool *claimed)
{
    *claimed = false;
    for (;;) {
        uintptr_t v = __atomic_load_n(word(once), __ATOMIC_ACQUIRE);
        if ((v & ONCE_STATE) == ONCE_DONE) {
            if (context != NULL)
                *context = (LPVOID)(v & ~(uintptr_t)ONCE_STATE);
            return true;
        }
        if (v == 0 && __atomic_compare_exchange_n(word(once), &v, ONCE_RUNNING, false, __ATOMIC_ACQUIRE,
                                                  __ATOMIC_RELAXED)) {
            *claimed = true;
            return false;
        }
        wait_while_running(once);
    }
}

BOOL WINAPI InitOnceExecuteOnce(PINIT_ONCE once, PINIT_ONCE_FN fn, PVOID parameter, LPVOID *context)
{
    bool claimed;
    if (done_or_claim(once, context, &claimed))
        return TRUE;
    PVOID made = NULL;
    if (!fn(once, parameter, &made)) {
        finish(once, 0);
        return FALSE;   /* with the callback's last error, as on Windows */
    }
    uintptr_t ctx = (uintptr_t)made & ~(uintptr_t)ONCE_STATE;
    finish(once, ctx | ONCE_DONE);
    if (context != NULL)
        *context = (LPVOID)ctx;
    return TRUE;
}

BOOL WINAPI InitOnceBeginInitialize(LPINIT_ONCE once, DWORD flags, PBOOL pending, LPVOID *context)
{
    if ((flags & ~(INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC)) != 0 ||
        flags == (INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC)) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (flags & INIT_ONCE_ASYNC) {
        error_set(ERROR_NOT_SUPPORTED);
        return FALSE;
    }
    if (flags & INIT_ONCE_CHECK_ONLY) {
        uintptr_t v = __atomic_load_n(word(once), __ATOMIC_ACQUIRE);
        if ((v & ONCE_STATE) != ONCE_DONE) {
            error_set(ERROR_GEN_FAILURE);
            return FALSE;
        }
        *pending = FALSE;
        if (context != NULL)
            *context = (LPVOID)(v & ~(uintptr_t)ONCE_STATE);
        return TRUE;
    }
    bool claimed;
    bool done = done_or_claim(once, context, &claimed);
    *pending = done ? FALSE : TRUE;
    return TRUE;
}

BOOL WINAPI InitOnceComplete(LPINIT_ONCE once, DWORD flags, LPVOID context)
{
    if ((flags & ~(INIT_ONCE_ASYNC | INIT_ONCE_INIT_FAILED)) != 0 ||
        ((flags & INIT_ONCE_INIT_FAILED) && context != NULL) ||
        ((uintptr_t)context & ONCE_STATE) != 0) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (flags & INIT_ONCE_ASYNC) {
        error_set(ERROR_NOT_SUPPORTED);
        return FALSE;
    }
    if (__atomic_load_n(word(once), __ATOMIC_ACQUIRE) != ONCE_RUNNING) {
        error_set(ERROR_GEN_FAILURE);
        return FALSE;
    }
    finish(once, (flags & INIT_ONCE_INIT_FAILED) ? 0 : ((uintptr_t)context | ONCE_DONE));
    return TRUE;
}
