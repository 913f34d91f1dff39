/* winmm's timer calls (mmsystem.h). */
#include "error.h"

#include <mmsystem.h>
#include <time.h>

#define PERIOD_MIN 1u
#define PERIOD_MAX 1000000u

DWORD WINAPI timeGetTime(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return (DWORD)((ULONGLONG)ts.tv_sec * 1000u + (ULONGLONG)ts.tv_nsec / 1000000u);
}

MMRESULT WINAPI timeBeginPeriod(UINT period)
{
    return period >= PERIOD_MIN && period <= PERIOD_MAX ? TIMERR_NOERROR : TIMERR_NOCANDO;
}

MMRESULT WINAPI timeEndPeriod(UINT period)
{
    return period >= PERIOD_MIN && period <= PERIOD_MAX ? TIMERR_NOERROR : TIMERR_NOCANDO;
}

MMRESULT WINAPI timeGetDevCaps(LPTIMECAPS caps, UINT size)
{
    if (caps == NULL || size < sizeof(TIMECAPS))
        return TIMERR_NOCANDO;
    caps->wPeriodMin = PERIOD_MIN;
    caps->wPeriodMax = PERIOD_MAX;
    return TIMERR_NOERROR;
}
