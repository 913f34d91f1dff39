/* System information, wall-clock time and the performance counter. */
#include <windows.h>

#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

/* Windows' allocation granularity; VirtualAlloc honours it (memory.c). */
#define ALLOCATION_GRANULARITY 65536u

/* 100-ns intervals between 1601-01-01 and 1970-01-01. */
#define EPOCH_DIFFERENCE_100NS 116444736000000000ULL

/* Windows 10 and later report 10 MHz, so code that hard-codes the tick
 * length keeps working; a constant frequency is what callers assume. */
#define PERFORMANCE_FREQUENCY 10000000LL

static void fill_system_info(LPSYSTEM_INFO si)
{
    memset(si, 0, sizeof *si);
#if defined(__x86_64__)
    si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
    si->dwProcessorType = PROCESSOR_AMD_X8664;
#elif defined(__aarch64__)
    si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM64;
    si->dwProcessorType = 0;
#elif defined(__i386__)
    si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_INTEL;
    si->dwProcessorType = PROCESSOR_INTEL_PENTIUM;
#else
    si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_UNKNOWN;
#endif
    long page = sysconf(_SC_PAGESIZE);
    si->dwPageSize = page > 0 ? (DWORD)page : 4096u;
    si->dwAllocationGranularity = ALLOCATION_GRANULARITY;
    /* Win64's bounds: the first and last 64 KiB are never handed out. */
    si->lpMinimumApplicationAddress = (LPVOID)(ULONG_PTR)0x10000;
    si->lpMaximumApplicationAddress = (LPVOID)(ULONG_PTR)0x7FFFFFFEFFFFULL;

    long online = sysconf(_SC_NPROCESSORS_ONLN);
    si->dwNumberOfProcessors = online > 0 ? (DWORD)online : 1u;
    /* The mask names the processors the process may run on, at most 64 as
     * in one Windows processor group. */
    cpu_set_t set;
    DWORD_PTR mask = 0;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        for (int cpu = 0; cpu < 64 && cpu < CPU_SETSIZE; cpu++)
            if (CPU_ISSET(cpu, &set))
                mask |= (DWORD_PTR)1 << cpu;
    }
    if (mask == 0)
        mask = si->dwNumberOfProcessors >= 64 ? ~(DWORD_PTR)0
                                              : ((DWORD_PTR)1 << si->dwNumberOfProcessors) - 1;
    si->dwActiveProcessorMask = mask;

#if defined(__x86_64__) || defined(__i386__)
    /* Level is the CPU family and revision model<<8 | stepping, as Windows
     * reports them for x86. */
    unsigned eax, ebx, ecx, edx;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        unsigned family = (eax >> 8) & 0xf, model = (eax >> 4) & 0xf, stepping = eax & 0xf;
        if (family == 0xf)
            family += (eax >> 20) & 0xff;
        if (family == 0x6 || family >= 0xf)
            model |= ((eax >> 16) & 0xf) << 4;
        si->wProcessorLevel = (WORD)family;
        si->wProcessorRevision = (WORD)((model << 8) | stepping);
    }
#endif
}

void WINAPI GetSystemInfo(LPSYSTEM_INFO si) { fill_system_info(si); }
void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO si) { fill_system_info(si); }

static void filetime_from(const struct timespec *ts, LPFILETIME ft)
{
    ULONGLONG t = (ULONGLONG)ts->tv_sec * 10000000ULL + (ULONGLONG)ts->tv_nsec / 100u +
                  EPOCH_DIFFERENCE_100NS;
    ft->dwLowDateTime = (DWORD)t;
    ft->dwHighDateTime = (DWORD)(t >> 32);
}

void WINAPI GetSystemTimeAsFileTime(LPFILETIME ft)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    filetime_from(&ts, ft);
}

void WINAPI GetSystemTimePreciseAsFileTime(LPFILETIME ft)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    filetime_from(&ts, ft);
}

static void systemtime_from(const struct tm *tm, long nsec, LPSYSTEMTIME st)
{
    st->wYear = (WORD)(tm->tm_year + 1900);
    st->wMonth = (WORD)(tm->tm_mon + 1);
    st->wDayOfWeek = (WORD)tm->tm_wday;
    st->wDay = (WORD)tm->tm_mday;
    st->wHour = (WORD)tm->tm_hour;
    st->wMinute = (WORD)tm->tm_min;
    /* Windows has no leap second 60. */
    st->wSecond = (WORD)(tm->tm_sec > 59 ? 59 : tm->tm_sec);
    st->wMilliseconds = (WORD)(nsec / 1000000L);
}

void WINAPI GetSystemTime(LPSYSTEMTIME st)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    systemtime_from(&tm, ts.tv_nsec, st);
}

void WINAPI GetLocalTime(LPSYSTEMTIME st)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    systemtime_from(&tm, ts.tv_nsec, st);
}

BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *count)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    count->QuadPart = (LONGLONG)ts.tv_sec * PERFORMANCE_FREQUENCY + ts.tv_nsec / 100;
    return TRUE;
}

BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *frequency)
{
    frequency->QuadPart = PERFORMANCE_FREQUENCY;
    return TRUE;
}

/* The program's own image: glibc's linker script marks where it starts, as
 * Windows' module handle is the image base. */
extern const char __executable_start[] __attribute__((weak));
static const char fallback_module;

HMODULE WINAPI GetModuleHandleA(LPCSTR name)
{
    if (name != NULL) {
        SetLastError(ERROR_MOD_NOT_FOUND);
        return NULL;
    }
    return (HMODULE)(__executable_start != NULL ? __executable_start : &fallback_module);
}

HMODULE WINAPI GetModuleHandleW(LPCWSTR name)
{
    return GetModuleHandleA(name != NULL ? "" : NULL);
}
