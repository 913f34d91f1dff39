/*
 * The timer part of <mmsystem.h> (winmm), which <timeapi.h> brings in:
 * timeGetTime and the timer-resolution calls servers make at start-up.
 * Linux timers need no raised resolution, so timeBeginPeriod and
 * timeEndPeriod only check their argument.
 */
#ifndef IOCPCOMPAT_MMSYSTEM_H
#define IOCPCOMPAT_MMSYSTEM_H

#include "windows.h"

typedef UINT MMRESULT;

#define MMSYSERR_NOERROR 0
#define TIMERR_BASE      96
#define TIMERR_NOERROR   (0)
#define TIMERR_NOCANDO   (TIMERR_BASE + 1)
#define TIMERR_STRUCT    (TIMERR_BASE + 33)

typedef struct timecaps_tag {
    UINT wPeriodMin;
    UINT wPeriodMax;
} TIMECAPS, *PTIMECAPS, *NPTIMECAPS, *LPTIMECAPS;

IOCPCOMPAT_EXTERN_C_BEGIN

/* Milliseconds since the machine started (sleep included); wraps at 2^32. */
IOCPCOMPAT_API DWORD WINAPI timeGetTime(void);
/* uPeriod outside wPeriodMin..wPeriodMax (1..1000000) is TIMERR_NOCANDO. */
IOCPCOMPAT_API MMRESULT WINAPI timeBeginPeriod(UINT uPeriod);
IOCPCOMPAT_API MMRESULT WINAPI timeEndPeriod(UINT uPeriod);
IOCPCOMPAT_API MMRESULT WINAPI timeGetDevCaps(LPTIMECAPS ptc, UINT cbtc);

IOCPCOMPAT_EXTERN_C_END

#endif
