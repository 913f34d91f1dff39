/*
 * Time and system information as Windows reports them: GetSystemInfo,
 * the performance counter, wall-clock time as FILETIME and SYSTEMTIME,
 * GetModuleHandle. Plain Win32.
 */
#include "conformance.h"

#include <time.h>

/* FILETIME as one 64-bit count of 100 ns since 1601. */
static ULONGLONG filetime_value(const FILETIME *ft)
{
    return ((ULONGLONG)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
}

/* Seconds since 1970 for a FILETIME. */
static long long filetime_unix_seconds(const FILETIME *ft)
{
    return (long long)(filetime_value(ft) / 10000000ULL) - 11644473600LL;
}

static void test_system_info_values(void **state)
{
    (void)state;
    SYSTEM_INFO si;
    memset(&si, 0xCC, sizeof si);
    GetSystemInfo(&si);
    assert_true(si.dwNumberOfProcessors >= 1);
    assert_true(si.dwNumberOfProcessors <= 4096);
    assert_int_equal(si.dwAllocationGranularity, 65536);
    /* A power of two of at least 4 KiB. */
    assert_true(si.dwPageSize >= 4096);
    assert_int_equal(si.dwPageSize & (si.dwPageSize - 1), 0);
    assert_true(si.dwAllocationGranularity % si.dwPageSize == 0);
    assert_true((ULONG_PTR)si.lpMinimumApplicationAddress < (ULONG_PTR)si.lpMaximumApplicationAddress);
    assert_true((ULONG_PTR)si.lpMinimumApplicationAddress >= 0x10000);
    assert_true(si.dwActiveProcessorMask != 0);
#if defined(__x86_64__) || defined(_M_X64)
    assert_int_equal(si.wProcessorArchitecture, PROCESSOR_ARCHITECTURE_AMD64);
    assert_int_equal(si.dwProcessorType, PROCESSOR_AMD_X8664);
#elif defined(__aarch64__) || defined(_M_ARM64)
    assert_int_equal(si.wProcessorArchitecture, PROCESSOR_ARCHITECTURE_ARM64);
#endif
    assert_int_equal(si.wReserved, 0);
}

static void test_native_system_info_matches(void **state)
{
    (void)state;
    SYSTEM_INFO si, native;
    GetSystemInfo(&si);
    GetNativeSystemInfo(&native);
    assert_int_equal(si.dwNumberOfProcessors, native.dwNumberOfProcessors);
    assert_int_equal(si.dwPageSize, native.dwPageSize);
    assert_int_equal(si.dwAllocationGranularity, native.dwAllocationGranularity);
    assert_int_equal(si.wProcessorArchitecture, native.wProcessorArchitecture);
}

/* The active mask never names more processors than there are. */
static void test_processor_mask_within_count(void **state)
{
    (void)state;
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    unsigned bits = 0;
    for (DWORD_PTR m = si.dwActiveProcessorMask; m != 0; m &= m - 1)
        bits++;
    assert_true(bits >= 1);
    assert_true(bits <= si.dwNumberOfProcessors);
}

static void test_performance_frequency_constant(void **state)
{
    (void)state;
    LARGE_INTEGER f1, f2;
    f1.QuadPart = f2.QuadPart = 0;
    assert_true(QueryPerformanceFrequency(&f1));
    assert_true(f1.QuadPart > 0);
    Sleep(5);
    assert_true(QueryPerformanceFrequency(&f2));
    assert_true(f1.QuadPart == f2.QuadPart);
}

static void test_performance_counter_monotonic(void **state)
{
    (void)state;
    LARGE_INTEGER prev, now;
    assert_true(QueryPerformanceCounter(&prev));
    for (int i = 0; i < 10000; i++) {
        assert_true(QueryPerformanceCounter(&now));
        assert_true(now.QuadPart >= prev.QuadPart);
        prev = now;
    }
}

/* Counter ticks divided by the frequency are seconds: a 100 ms sleep is at
 * least about 100 ms of ticks (only a lower bound: machines are slow). */
static void test_performance_counter_measures_sleep(void **state)
{
    (void)state;
    LARGE_INTEGER freq, start, end;
    assert_true(QueryPerformanceFrequency(&freq));
    assert_true(QueryPerformanceCounter(&start));
    Sleep(100);
    assert_true(QueryPerformanceCounter(&end));
    long long ms = (end.QuadPart - start.QuadPart) * 1000 / freq.QuadPart;
    assert_true(ms >= 90);
}

/* FILETIME counts from 1601: its seconds agree with the C library's clock. */
static void test_system_time_as_filetime_epoch(void **state)
{
    (void)state;
    FILETIME ft, precise;
    long long before = (long long)time(NULL);
    GetSystemTimeAsFileTime(&ft);
    GetSystemTimePreciseAsFileTime(&precise);
    long long after = (long long)time(NULL);
    assert_true(filetime_unix_seconds(&ft) >= before - 2);
    assert_true(filetime_unix_seconds(&ft) <= after + 2);
    assert_true(filetime_unix_seconds(&precise) >= before - 2);
    assert_true(filetime_unix_seconds(&precise) <= after + 2);
}

static void test_system_time_as_filetime_advances(void **state)
{
    (void)state;
    FILETIME a, b;
    GetSystemTimePreciseAsFileTime(&a);
    Sleep(50);
    GetSystemTimePreciseAsFileTime(&b);
    /* At least 40 ms later, in 100 ns units. */
    assert_true(filetime_value(&b) >= filetime_value(&a) + 400000);
}

static void assert_systemtime_sane(const SYSTEMTIME *st)
{
    assert_true(st->wYear >= 2024 && st->wYear < 3000);
    assert_true(st->wMonth >= 1 && st->wMonth <= 12);
    assert_true(st->wDay >= 1 && st->wDay <= 31);
    assert_true(st->wDayOfWeek <= 6);
    assert_true(st->wHour <= 23);
    assert_true(st->wMinute <= 59);
    assert_true(st->wSecond <= 59);
    assert_true(st->wMilliseconds <= 999);
}

/* GetSystemTime is UTC: it names the same calendar second as gmtime. */
static void test_get_system_time_is_utc(void **state)
{
    (void)state;
    for (int attempt = 0; attempt < 5; attempt++) {
        time_t before = time(NULL);
        SYSTEMTIME st;
        GetSystemTime(&st);
        time_t after = time(NULL);
        assert_systemtime_sane(&st);
        if (before != after)
            continue;   /* a second ticked over in between: try again */
        struct tm *tm = gmtime(&before);
        assert_int_equal(st.wYear, tm->tm_year + 1900);
        assert_int_equal(st.wMonth, tm->tm_mon + 1);
        assert_int_equal(st.wDay, tm->tm_mday);
        assert_int_equal(st.wDayOfWeek, tm->tm_wday);
        assert_int_equal(st.wHour, tm->tm_hour);
        assert_int_equal(st.wMinute, tm->tm_min);
        assert_int_equal(st.wSecond, tm->tm_sec);
        return;
    }
    fail_msg("the clock kept ticking over between time() calls");
}

/* GetLocalTime is the local calendar time (same minute as localtime). */
static void test_get_local_time_is_local(void **state)
{
    (void)state;
    for (int attempt = 0; attempt < 5; attempt++) {
        time_t before = time(NULL);
        SYSTEMTIME st;
        GetLocalTime(&st);
        time_t after = time(NULL);
        assert_systemtime_sane(&st);
        if (before != after)
            continue;
        struct tm *tm = localtime(&before);
        assert_int_equal(st.wYear, tm->tm_year + 1900);
        assert_int_equal(st.wMonth, tm->tm_mon + 1);
        assert_int_equal(st.wDay, tm->tm_mday);
        assert_int_equal(st.wHour, tm->tm_hour);
        assert_int_equal(st.wMinute, tm->tm_min);
        assert_int_equal(st.wSecond, tm->tm_sec);
        return;
    }
    fail_msg("the clock kept ticking over between time() calls");
}

static void test_tick_count_advances(void **state)
{
    (void)state;
    ULONGLONG start64 = GetTickCount64();
    DWORD start = GetTickCount();
    Sleep(50);
    assert_true(GetTickCount64() - start64 >= 40);
    assert_true(GetTickCount() - start >= 40);
}

static void test_module_handle(void **state)
{
    (void)state;
    assert_non_null(GetModuleHandleA(NULL));
    SetLastError(0);
    assert_null(GetModuleHandleA("iocpcompat_no_such_module.dll"));
    assert_int_equal(GetLastError(), ERROR_MOD_NOT_FOUND);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_system_info_values),
        cmocka_unit_test(test_native_system_info_matches),
        cmocka_unit_test(test_processor_mask_within_count),
        cmocka_unit_test(test_performance_frequency_constant),
        cmocka_unit_test(test_performance_counter_monotonic),
        cmocka_unit_test(test_performance_counter_measures_sleep),
        cmocka_unit_test(test_system_time_as_filetime_epoch),
        cmocka_unit_test(test_system_time_as_filetime_advances),
        cmocka_unit_test(test_get_system_time_is_utc),
        cmocka_unit_test(test_get_local_time_is_local),
        cmocka_unit_test(test_tick_count_advances),
        cmocka_unit_test(test_module_handle),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
