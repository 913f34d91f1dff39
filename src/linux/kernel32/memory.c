/*
 * VirtualAlloc/VirtualFree over mmap. A reservation is a PROT_NONE mapping,
 * committing is mprotect, decommitting maps fresh PROT_NONE pages over the
 * range (so a later commit reads zeros, as on Windows). Reservations start on
 * 64 KiB boundaries, Windows' allocation granularity, and are kept in a
 * sorted table so that MEM_RELEASE can insist on the reservation's base and
 * free all of it, and so that commits outside any reservation fail with
 * ERROR_INVALID_ADDRESS as on Windows.
 */
#include "error.h"

#include <windows.h>

#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GRANULARITY ((uintptr_t)65536)

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

struct region {
    uintptr_t base;
    size_t size;
};

static pthread_mutex_t regions_lock = PTHREAD_MUTEX_INITIALIZER;
static struct region *regions;   /* sorted by base, never overlapping */
static size_t region_count, region_capacity;

static uintptr_t page_size(void)
{
    static uintptr_t cached;
    uintptr_t page = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (page == 0) {
        long p = sysconf(_SC_PAGESIZE);
        page = p > 0 ? (uintptr_t)p : 4096u;
        __atomic_store_n(&cached, page, __ATOMIC_RELAXED);
    }
    return page;
}

static uintptr_t round_down(uintptr_t v, uintptr_t to) { return v & ~(to - 1); }

/* Index of the first region whose base is above addr. Lock held. */
static size_t upper_bound(uintptr_t addr)
{
    size_t lo = 0, hi = region_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (regions[mid].base <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The region holding addr, or NULL. Lock held. */
static struct region *containing(uintptr_t addr)
{
    size_t i = upper_bound(addr);
    if (i == 0)
        return NULL;
    struct region *r = &regions[i - 1];
    return addr - r->base < r->size ? r : NULL;
}

static bool insert_region(uintptr_t base, size_t size)
{
    if (region_count == region_capacity) {
        size_t capacity = region_capacity ? region_capacity * 2 : 64;
        struct region *grown = realloc(regions, capacity * sizeof *grown);
        if (grown == NULL)
            return false;
        regions = grown;
        region_capacity = capacity;
    }
    size_t i = upper_bound(base);
    memmove(&regions[i + 1], &regions[i], (region_count - i) * sizeof *regions);
    regions[i].base = base;
    regions[i].size = size;
    region_count++;
    return true;
}

static void remove_region(struct region *r)
{
    size_t i = (size_t)(r - regions);
    memmove(&regions[i], &regions[i + 1], (region_count - i - 1) * sizeof *regions);
    region_count--;
}

/* PROT_* for a PAGE_* value; false when VirtualAlloc would refuse it. */
static bool prot_from_page(DWORD protect, int *prot)
{
    DWORD modifiers = protect & (PAGE_NOCACHE | PAGE_WRITECOMBINE | PAGE_GUARD);
    if (modifiers == (PAGE_NOCACHE | PAGE_WRITECOMBINE))
        return false;
    switch (protect & ~modifiers) {
    case PAGE_NOACCESS:          *prot = PROT_NONE; break;
    case PAGE_READONLY:          *prot = PROT_READ; break;
    case PAGE_READWRITE:         *prot = PROT_READ | PROT_WRITE; break;
    case PAGE_EXECUTE:           *prot = PROT_EXEC; break;
    case PAGE_EXECUTE_READ:      *prot = PROT_READ | PROT_EXEC; break;
    case PAGE_EXECUTE_READWRITE: *prot = PROT_READ | PROT_WRITE | PROT_EXEC; break;
    default:                     return false;   /* 0, several, or WRITECOPY */
    }
    /* Caching attributes mean nothing to ordinary memory; a modifier on
     * NOACCESS is refused by Windows. */
    return !(modifiers != 0 && (protect & ~modifiers) == PAGE_NOACCESS);
}

/* A new reservation of size bytes at base (0: anywhere, 64 KiB aligned). */
static void *map_reservation(uintptr_t base, size_t size, int prot)
{
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    if (base != 0) {
        void *p = mmap((void *)base, size, prot, flags | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == MAP_FAILED)
            return NULL;
        if ((uintptr_t)p != base) {   /* a kernel older than 4.17 took it as a hint */
            munmap(p, size);
            errno = EEXIST;
            return NULL;
        }
        return p;
    }
    /* Over-allocate and trim, so that the start lands on the granularity. */
    size_t span = size + GRANULARITY - page_size();
    void *p = mmap(NULL, span, prot, flags, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    uintptr_t start = (uintptr_t)p, aligned = (start + GRANULARITY - 1) & ~(GRANULARITY - 1);
    if (aligned > start)
        munmap(p, aligned - start);
    if (start + span > aligned + size)
        munmap((void *)(aligned + size), start + span - (aligned + size));
    return (void *)aligned;
}

static LPVOID reserve(uintptr_t addr, SIZE_T size, bool commit, int prot)
{
    uintptr_t page = page_size();
    uintptr_t base = round_down(addr, GRANULARITY);
    if (size > SIZE_MAX - (addr - base) - page) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    size_t length = (size_t)round_down(addr - base + size + page - 1, page);

    pthread_mutex_lock(&regions_lock);
    void *p = map_reservation(base, length, commit ? prot : PROT_NONE);
    int err = errno;
    if (p != NULL && !insert_region((uintptr_t)p, length)) {
        munmap(p, length);
        p = NULL;
        err = ENOMEM;
    }
    pthread_mutex_unlock(&regions_lock);
    if (p == NULL) {
        /* A fixed address that is taken (or outside the user range) is an
         * address error on Windows; anything else is lack of memory. */
        error_set(base != 0 && err != ENOMEM ? ERROR_INVALID_ADDRESS : ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    return p;
}

/* Commits (mprotect to prot) or decommits the pages covering
 * [addr, addr + size) of one reservation; a decommit of size 0 at the base
 * takes the whole reservation. The errors are Windows': an address outside
 * any reservation is ERROR_INVALID_ADDRESS to a commit but
 * ERROR_INVALID_PARAMETER to a decommit, and so is a decommit running past
 * the reservation's end. */
static LPVOID within_region(uintptr_t addr, SIZE_T size, int prot, bool decommit)
{
    uintptr_t page = page_size();
    uintptr_t start = round_down(addr, page);
    DWORD outside = decommit ? ERROR_INVALID_PARAMETER : ERROR_INVALID_ADDRESS;
    LPVOID result = NULL;

    pthread_mutex_lock(&regions_lock);
    struct region *r = containing(addr);
    uintptr_t end;
    if (r == NULL) {
        error_set(outside);
        goto out;
    }
    if (size == 0) {
        if (addr != r->base) {
            error_set(ERROR_INVALID_ADDRESS);
            goto out;
        }
        end = r->base + r->size;
    } else {
        if (size > r->base + r->size - addr) {
            error_set(outside);
            goto out;
        }
        end = round_down(addr + size + page - 1, page);
    }
    int rc;
    if (decommit)
        rc = mmap((void *)start, end - start, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED ? -1 : 0;
    else
        rc = mprotect((void *)start, end - start, prot);
    if (rc != 0) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        goto out;
    }
    result = (LPVOID)start;
out:
    pthread_mutex_unlock(&regions_lock);
    return result;
}

static LPVOID reset(uintptr_t addr, SIZE_T size, bool undo)
{
    uintptr_t page = page_size();
    uintptr_t start = round_down(addr, page);
    LPVOID result = NULL;
    pthread_mutex_lock(&regions_lock);
    struct region *r = containing(addr);
    if (r == NULL || size > r->base + r->size - addr) {
        error_set(ERROR_INVALID_ADDRESS);
    } else {
        /* The contents are no longer wanted, the pages stay committed. */
        uintptr_t end = round_down(addr + size + page - 1, page);
        /* MEM_RESET_UNDO: MADV_FREE pages not yet reclaimed kept their
         * contents; reclaimed ones read as zeros, which MEM_RESET allowed. */
        if (!undo)
            madvise((void *)start, end - start, MADV_FREE);
        result = (LPVOID)start;
    }
    pthread_mutex_unlock(&regions_lock);
    return result;
}

LPVOID WINAPI VirtualAlloc(LPVOID address, SIZE_T size, DWORD type, DWORD protect)
{
    const DWORD known = MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO | MEM_TOP_DOWN |
                        MEM_LARGE_PAGES;
    int prot = PROT_NONE;
    uintptr_t addr = (uintptr_t)address;

    if (size == 0 || (type & ~known) != 0 ||
        (type & (MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO)) == 0) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (type & (MEM_RESET | MEM_RESET_UNDO)) {
        /* Each stands alone, and needs committed memory to act on. */
        if ((type & ~(DWORD)MEM_TOP_DOWN) != MEM_RESET && (type & ~(DWORD)MEM_TOP_DOWN) != MEM_RESET_UNDO) {
            error_set(ERROR_INVALID_PARAMETER);
            return NULL;
        }
        if (address == NULL) {
            error_set(ERROR_INVALID_ADDRESS);
            return NULL;
        }
        return reset(addr, size, (type & MEM_RESET_UNDO) != 0);
    }
    if (protect & PAGE_GUARD) {
        /* A guard page raises a one-shot exception that only SEH can catch;
         * there is no faithful equivalent. */
        error_set(ERROR_NOT_SUPPORTED);
        return NULL;
    }
    if (!prot_from_page(protect, &prot)) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    /* Large pages, when Linux has them to spare, come through transparent
     * huge pages; MEM_TOP_DOWN is only a placement hint. */
    if ((type & MEM_RESERVE) || address == NULL) {
        LPVOID p = reserve(addr, size, (type & MEM_COMMIT) != 0, prot);
        if (p != NULL && (type & MEM_LARGE_PAGES))
            madvise(p, size, MADV_HUGEPAGE);
        return p;
    }
    return within_region(addr, size, prot, false);
}

BOOL WINAPI VirtualFree(LPVOID address, SIZE_T size, DWORD type)
{
    uintptr_t addr = (uintptr_t)address;
    if (type == MEM_RELEASE) {
        if (size != 0) {
            error_set(ERROR_INVALID_PARAMETER);
            return FALSE;
        }
        pthread_mutex_lock(&regions_lock);
        struct region *r = containing(addr);
        DWORD error = 0;
        if (r == NULL)
            error = ERROR_INVALID_PARAMETER;   /* not reserved (any more) */
        else if (r->base != addr)
            error = ERROR_INVALID_ADDRESS;     /* only the base releases */
        else {
            munmap((void *)r->base, r->size);
            remove_region(r);
        }
        pthread_mutex_unlock(&regions_lock);
        if (error != 0) {
            error_set(error);
            return FALSE;
        }
        return TRUE;
    }
    if (type == MEM_DECOMMIT) {
        if (address == NULL) {
            error_set(ERROR_INVALID_PARAMETER);
            return FALSE;
        }
        return within_region(addr, size, PROT_NONE, true) != NULL;
    }
    error_set(ERROR_INVALID_PARAMETER);
    return FALSE;
}

/* Only the calling process: GetCurrentProcess()'s pseudo handle, -1. */
static bool is_current_process(HANDLE process)
{
    if (process == (HANDLE)(LONG_PTR)-1)
        return true;
    error_set(ERROR_INVALID_HANDLE);
    return false;
}

LPVOID WINAPI VirtualAllocEx(HANDLE process, LPVOID address, SIZE_T size, DWORD type, DWORD protect)
{
    return is_current_process(process) ? VirtualAlloc(address, size, type, protect) : NULL;
}

BOOL WINAPI VirtualFreeEx(HANDLE process, LPVOID address, SIZE_T size, DWORD type)
{
    return is_current_process(process) ? VirtualFree(address, size, type) : FALSE;
}
