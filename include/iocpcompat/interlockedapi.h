/*
 * The interlocked singly linked lists of <interlockedapi.h> (SLIST_HEADER
 * and SLIST_ENTRY are in windows.h, as <winnt.h> has them), and the
 * Interlocked forms beyond synchapi.h's that <winnt.h> offers as
 * intrinsics: 8-, 16- and 64-bit And/Or/Xor, 16-bit counters, bit tests,
 * the 128-bit compare-exchange and the Acquire/Release/NoFence spellings
 * (full barriers here, which is what the weaker forms promise at least).
 */
#ifndef IOCPCOMPAT_INTERLOCKEDAPI_H
#define IOCPCOMPAT_INTERLOCKEDAPI_H

#include "windows.h"

IOCPCOMPAT_EXTERN_C_BEGIN

/* Lock-free (one 128-bit compare-exchange per push or pop), safe for any
 * number of pushing and popping threads. An entry must be 16-aligned and
 * stay readable while another thread may still pop it, as on Windows,
 * which catches the fault of a pop that read a freed entry (no such rescue
 * here: keep entries in memory that stays mapped, such as a pool). */
IOCPCOMPAT_API void WINAPI InitializeSListHead(PSLIST_HEADER ListHead);
IOCPCOMPAT_API PSLIST_ENTRY WINAPI InterlockedPopEntrySList(PSLIST_HEADER ListHead);
IOCPCOMPAT_API PSLIST_ENTRY WINAPI InterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry);
IOCPCOMPAT_API PSLIST_ENTRY WINAPI InterlockedPushListSListEx(PSLIST_HEADER ListHead, PSLIST_ENTRY List,
                                                             PSLIST_ENTRY ListEnd, ULONG Count);
IOCPCOMPAT_API PSLIST_ENTRY WINAPI InterlockedFlushSList(PSLIST_HEADER ListHead);
IOCPCOMPAT_API USHORT WINAPI QueryDepthSList(PSLIST_HEADER ListHead);
IOCPCOMPAT_API PSLIST_ENTRY WINAPI RtlFirstEntrySList(const SLIST_HEADER *ListHead);

IOCPCOMPAT_EXTERN_C_END

#define InterlockedPushListSList InterlockedPushListSListEx

/* A spin-wait hint (PAUSE on x86-64). */
#if defined(__x86_64__) || defined(__i386__)
#define YieldProcessor() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define YieldProcessor() __asm__ __volatile__("yield" ::: "memory")
#else
#define YieldProcessor() ((void)0)
#endif

#define IOCPCOMPAT_INTERLOCKED_BITS(name, type, op)                               \
    static inline type name(type volatile *p, type v) { return op(p, v, __ATOMIC_SEQ_CST); }
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedAnd8, CHAR, __atomic_fetch_and)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedOr8, CHAR, __atomic_fetch_or)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedXor8, CHAR, __atomic_fetch_xor)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedAnd16, SHORT, __atomic_fetch_and)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedOr16, SHORT, __atomic_fetch_or)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedXor16, SHORT, __atomic_fetch_xor)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedAnd64, LONG64, __atomic_fetch_and)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedOr64, LONG64, __atomic_fetch_or)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedXor64, LONG64, __atomic_fetch_xor)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedExchange8, CHAR, __atomic_exchange_n)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedExchange16, SHORT, __atomic_exchange_n)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedExchangeAdd8, CHAR, __atomic_fetch_add)
IOCPCOMPAT_INTERLOCKED_BITS(InterlockedExchangeAdd16, SHORT, __atomic_fetch_add)
#undef IOCPCOMPAT_INTERLOCKED_BITS

static inline SHORT InterlockedIncrement16(SHORT volatile *p) { return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST); }
static inline SHORT InterlockedDecrement16(SHORT volatile *p) { return __atomic_sub_fetch(p, 1, __ATOMIC_SEQ_CST); }
static inline SHORT InterlockedCompareExchange16(SHORT volatile *p, SHORT exchange, SHORT comparand)
{
    __atomic_compare_exchange_n(p, &comparand, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return comparand;
}

/* The bit's previous value, 0 or 1. */
static inline BOOLEAN InterlockedBitTestAndSet(LONG volatile *p, LONG bit)
{
    return (BOOLEAN)((__atomic_fetch_or(p, (LONG)(1u << (bit & 31)), __ATOMIC_SEQ_CST) >> (bit & 31)) & 1);
}
static inline BOOLEAN InterlockedBitTestAndReset(LONG volatile *p, LONG bit)
{
    return (BOOLEAN)((__atomic_fetch_and(p, (LONG)~(1u << (bit & 31)), __ATOMIC_SEQ_CST) >> (bit & 31)) & 1);
}
static inline BOOLEAN InterlockedBitTestAndComplement(LONG volatile *p, LONG bit)
{
    return (BOOLEAN)((__atomic_fetch_xor(p, (LONG)(1u << (bit & 31)), __ATOMIC_SEQ_CST) >> (bit & 31)) & 1);
}
static inline BOOLEAN InterlockedBitTestAndSet64(LONG64 volatile *p, LONG64 bit)
{
    return (BOOLEAN)((__atomic_fetch_or(p, (LONG64)(1ull << (bit & 63)), __ATOMIC_SEQ_CST) >> (bit & 63)) & 1);
}
static inline BOOLEAN InterlockedBitTestAndReset64(LONG64 volatile *p, LONG64 bit)
{
    return (BOOLEAN)((__atomic_fetch_and(p, (LONG64)~(1ull << (bit & 63)), __ATOMIC_SEQ_CST) >> (bit & 63)) & 1);
}
static inline BOOLEAN InterlockedBitTestAndComplement64(LONG64 volatile *p, LONG64 bit)
{
    return (BOOLEAN)((__atomic_fetch_xor(p, (LONG64)(1ull << (bit & 63)), __ATOMIC_SEQ_CST) >> (bit & 63)) & 1);
}

/*
 * Compares the 16-byte-aligned Destination[0..1] with ComparandResult[0..1]
 * (low quadword first) and, when equal, stores ExchangeLow/ExchangeHigh;
 * 1 if it stored. ComparandResult always gets the value that was there.
 */
static inline BOOLEAN InterlockedCompareExchange128(LONG64 volatile *Destination, LONG64 ExchangeHigh,
                                                    LONG64 ExchangeLow, LONG64 *ComparandResult)
{
#if defined(__x86_64__)
    BOOLEAN ok;
    __asm__ __volatile__("lock cmpxchg16b %1\n\tsete %0"
                         : "=q"(ok), "+m"(*Destination), "+a"(ComparandResult[0]), "+d"(ComparandResult[1])
                         : "b"(ExchangeLow), "c"(ExchangeHigh)
                         : "memory", "cc");
    return ok;
#else
    unsigned __int128 expected = ((unsigned __int128)(ULONG64)ComparandResult[1] << 64) | (ULONG64)ComparandResult[0];
    unsigned __int128 desired = ((unsigned __int128)(ULONG64)ExchangeHigh << 64) | (ULONG64)ExchangeLow;
    BOOLEAN ok = __atomic_compare_exchange_n((unsigned __int128 volatile *)Destination, &expected, desired, 0,
                                             __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    ComparandResult[0] = (LONG64)(ULONG64)expected;
    ComparandResult[1] = (LONG64)(ULONG64)(expected >> 64);
    return ok;
#endif
}

/* The ordering variants: full barriers, a correct strengthening of each. */
#define InterlockedIncrementAcquire               InterlockedIncrement
#define InterlockedIncrementRelease               InterlockedIncrement
#define InterlockedIncrementNoFence               InterlockedIncrement
#define InterlockedDecrementAcquire               InterlockedDecrement
#define InterlockedDecrementRelease               InterlockedDecrement
#define InterlockedDecrementNoFence               InterlockedDecrement
#define InterlockedCompareExchangeAcquire         InterlockedCompareExchange
#define InterlockedCompareExchangeRelease         InterlockedCompareExchange
#define InterlockedCompareExchangeNoFence         InterlockedCompareExchange
#define InterlockedCompareExchangeAcquire64       InterlockedCompareExchange64
#define InterlockedCompareExchangeRelease64       InterlockedCompareExchange64
#define InterlockedCompareExchangeNoFence64       InterlockedCompareExchange64
#define InterlockedCompareExchangePointerAcquire  InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerRelease  InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerNoFence  InterlockedCompareExchangePointer
#define InterlockedExchangeAcquire64              InterlockedExchange64
#define InterlockedExchangePointerAcquire         InterlockedExchangePointer
#define InterlockedExchangePointerNoFence         InterlockedExchangePointer
#define InterlockedIncrementSizeT(p)  ((SIZE_T)InterlockedIncrement64((LONG64 volatile *)(p)))
#define InterlockedDecrementSizeT(p)  ((SIZE_T)InterlockedDecrement64((LONG64 volatile *)(p)))
#define InterlockedExchangeAddSizeT(p, v) \
    ((SIZE_T)InterlockedExchangeAdd64((LONG64 volatile *)(p), (LONG64)(v)))

#endif
