/* Memory figures: GlobalMemoryStatusEx and GetLargePageMinimum. */
#include "error.h"

#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

/* 128 TiB less 64 KiB and a page: Win64's user space, and Linux x86-64's. */
#define USER_SPACE 0x7FFFFFFE0000ull

/* A "Name: value kB" line of a /proc file, in bytes; 0 when absent. */
static ULONGLONG proc_kb(const char *path, const char *name)
{
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return 0;
    char line[256];
    size_t n = strlen(name);
    ULONGLONG value = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long long kb;
        if (strncmp(line, name, n) == 0 && line[n] == ':' && sscanf(line + n + 1, "%llu", &kb) == 1) {
            value = kb * 1024u;
            break;
        }
    }
    fclose(f);
    return value;
}

BOOL WINAPI GlobalMemoryStatusEx(LPMEMORYSTATUSEX status)
{
    if (status == NULL || status->dwLength != sizeof(MEMORYSTATUSEX)) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct sysinfo si;
    if (sysinfo(&si) != 0) {
        error_set(ERROR_GEN_FAILURE);
        return FALSE;
    }
    ULONGLONG unit = si.mem_unit ? si.mem_unit : 1;
    ULONGLONG total = (ULONGLONG)si.totalram * unit;
    ULONGLONG avail = proc_kb("/proc/meminfo", "MemAvailable");
    if (avail == 0 || avail > total)
        avail = ((ULONGLONG)si.freeram + si.bufferram) * unit;
    ULONGLONG used_virtual = proc_kb("/proc/self/status", "VmSize");
    status->dwMemoryLoad = total ? (DWORD)((total - avail) * 100 / total) : 0;
    status->ullTotalPhys = total;
    status->ullAvailPhys = avail;
    status->ullTotalPageFile = total + (ULONGLONG)si.totalswap * unit;
    status->ullAvailPageFile = avail + (ULONGLONG)si.freeswap * unit;
    status->ullTotalVirtual = USER_SPACE;
    status->ullAvailVirtual = used_virtual < USER_SPACE ? USER_SPACE - used_virtual : 0;
    status->ullAvailExtendedVirtual = 0;
    return TRUE;
}

SIZE_T WINAPI GetLargePageMinimum(void)
{
    return (SIZE_T)proc_kb("/proc/meminfo", "Hugepagesize");
}
