/*
 * VirtualAlloc/VirtualFree over mmap. A reservation is a PROT_NONE mapping,
 * committing is mprotect, decommitting maps fresh PROT_NONE pages over the
 * range (so a later commit reads zeros, as on Windows). Reservations start on
 * 64 KiB boundaries, Windows' allocation granularity, and are kept in a
 * sorted table so that MEM_RELEASE can insist on the reservation's base and
 * free all of it, and so that commits outside any reservation fail with
 * ERROR_INVALID_ADDRESS as on Windows. Each region keeps one byte per page,
 * the page's PAGE_* protection or 0 while only reserved, for VirtualQuery
 * and VirtualProtect (the array is calloc'd, so the kernel backs only the
 * parts that are written). File-mapping views are regions too, committed
 * from the start.
 */
#include "error.h"
#include "memory_view.h"

#include <windows.h>

#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
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
    uint8_t *pages;          /* per page: its PAGE_* value, 0 = reserved */
    DWORD alloc_protect;     /* what VirtualAlloc or the view was given */
    void *view_owner;        /* a file-mapping view's owner, else NULL */
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

static bool insert_region(uintptr_t base, size_t size, DWORD alloc_protect, DWORD committed, void *owner)
{
    uint8_t *pages = calloc(size / page_size(), 1);
    if (pages == NULL)
        return false;
    if (committed != 0)
        memset(pages, (int)committed, size / page_size());
    if (region_count == region_capacity) {
        size_t capacity = region_capacity ? region_capacity * 2 : 64;
        struct region *grown = realloc(regions, capacity * sizeof *grown);
        if (grown == NULL) {
            free(pages);
            return false;
        }
        regions = grown;
        region_capacity = capacity;
    }
    size_t i = upper_bound(base);
    memmove(&regions[i + 1], &regions[i], (region_count - i) * sizeof *regions);
    regions[i].base = base;
    regions[i].size = size;
    regions[i].pages = pages;
    regions[i].alloc_protect = alloc_protect;
    regions[i].view_owner = owner;
    region_count++;
    return true;
}

static void remove_region(struct region *r)
{
    size_t i = (size_t)(r - regions);
    free(r->pages);
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

static LPVOID reserve(uintptr_t addr, SIZE_T size, bool commit, int prot, DWORD protect)
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
    if (p != NULL && !insert_region((uintptr_t)p, length, protect, commit ? protect : 0, NULL)) {
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
static LPVOID within_region(uintptr_t addr, SIZE_T size, int prot, DWORD protect, bool decommit)
{
    uintptr_t page = page_size();
    uintptr_t start = round_down(addr, page);
    DWORD outside = decommit ? ERROR_INVALID_PARAMETER : ERROR_INVALID_ADDRESS;
    LPVOID result = NULL;

    pthread_mutex_lock(&regions_lock);
    struct region *r = containing(addr);
    uintptr_t end;
    if (r == NULL || r->view_owner != NULL) {
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
    memset(r->pages + (start - r->base) / page, decommit ? 0 : (int)protect, (end - start) / page);
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
        LPVOID p = reserve(addr, size, (type & MEM_COMMIT) != 0, prot, protect & 0xff);
        if (p != NULL && (type & MEM_LARGE_PAGES))
            madvise(p, size, MADV_HUGEPAGE);
        return p;
    }
    return within_region(addr, size, prot, protect & 0xff, false);
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
        if (r == NULL || r->view_owner != NULL)
            error = ERROR_INVALID_PARAMETER;   /* not reserved (any more), or a view */
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
        return within_region(addr, size, PROT_NONE, 0, true) != NULL;
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

void *memory_map_view(int fd, off_t offset, size_t length, int prot, bool copy_on_write, DWORD protect,
                      void *owner)
{
    uintptr_t page = page_size();
    length = (size_t)round_down(length + page - 1, page);
    pthread_mutex_lock(&regions_lock);
    /* A reservation first, for the 64 KiB alignment; the view replaces it. */
    void *p = map_reservation(0, length, PROT_NONE);
    if (p != NULL &&
        mmap(p, length, prot, (copy_on_write ? MAP_PRIVATE : MAP_SHARED) | MAP_FIXED, fd, offset) == MAP_FAILED) {
        munmap(p, length);
        p = NULL;
    }
    if (p != NULL && !insert_region((uintptr_t)p, length, protect, protect, owner)) {
        munmap(p, length);
        p = NULL;
    }
    pthread_mutex_unlock(&regions_lock);
    if (p == NULL)
        error_set(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

bool memory_unmap_view(void *base, void **owner)
{
    pthread_mutex_lock(&regions_lock);
    struct region *r = containing((uintptr_t)base);
    bool ok = r != NULL && r->view_owner != NULL && r->base == (uintptr_t)base;
    if (ok) {
        *owner = r->view_owner;
        munmap((void *)r->base, r->size);
        remove_region(r);
    }
    pthread_mutex_unlock(&regions_lock);
    if (!ok)
        error_set(ERROR_INVALID_ADDRESS);
    return ok;
}

bool memory_find_view(const void *addr, void **base, size_t *length)
{
    pthread_mutex_lock(&regions_lock);
    struct region *r = containing((uintptr_t)addr);
    bool ok = r != NULL && r->view_owner != NULL;
    if (ok) {
        *base = (void *)r->base;
        *length = r->size;
    }
    pthread_mutex_unlock(&regions_lock);
    return ok;
}

/* Memory the library did not allocate (stacks, the C heap, the program's
 * image): /proc/self/maps says what is mapped. The mapping holding addr,
 * or the gap before the next one; false above the last mapping. */
struct mapping {
    uintptr_t start, end;
    bool mapped;
    char perms[5];
    bool file;
};

static bool find_mapping(uintptr_t addr, struct mapping *m)
{
    FILE *f = fopen("/proc/self/maps", "re");
    if (f == NULL)
        return false;
    char line[512];
    uintptr_t previous_end = 0;
    bool found = false;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long start, end, inode = 0;
        char perms[5] = "";
        if (sscanf(line, "%lx-%lx %4s %*s %*s %lu", &start, &end, perms, &inode) < 3)
            continue;
        if (addr < start) {
            m->start = previous_end;
            m->end = start;
            m->mapped = false;
            found = true;
            break;
        }
        if (addr < end) {
            m->start = start;
            m->end = end;
            m->mapped = true;
            memcpy(m->perms, perms, sizeof m->perms);
            m->file = inode != 0;
            found = true;
            break;
        }
        previous_end = end;
    }
    fclose(f);
    return found;
}

static DWORD page_from_perms(const char *perms)
{
    bool r = perms[0] == 'r', w = perms[1] == 'w', x = perms[2] == 'x';
    if (x)
        return w ? PAGE_EXECUTE_READWRITE : r ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
    return w ? PAGE_READWRITE : r ? PAGE_READONLY : PAGE_NOACCESS;
}

BOOL WINAPI VirtualProtect(LPVOID address, SIZE_T size, DWORD protect, PDWORD old_protect)
{
    if (old_protect == NULL) {
        error_set(ERROR_NOACCESS);
        return FALSE;
    }
    int prot;
    if (protect & PAGE_GUARD) {
        error_set(ERROR_NOT_SUPPORTED);
        return FALSE;
    }
    if (!prot_from_page(protect, &prot)) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    uintptr_t page = page_size();
    uintptr_t addr = (uintptr_t)address, start = round_down(addr, page);
    if (size == 0 || size > UINTPTR_MAX - addr - page) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    uintptr_t end = round_down(addr + size + page - 1, page);
    DWORD error = 0;
    pthread_mutex_lock(&regions_lock);
    struct region *r = containing(addr);
    if (r != NULL) {
        /* Within one allocation, every page committed, as Windows demands. */
        size_t first = (start - r->base) / page, count = (end - start) / page;
        if (end > r->base + r->size)
            error = ERROR_INVALID_ADDRESS;
        for (size_t i = 0; error == 0 && i < count; i++)
            if (r->pages[first + i] == 0)
                error = ERROR_INVALID_ADDRESS;
        if (error == 0 && r->view_owner != NULL && (prot & PROT_WRITE) && !(r->alloc_protect & (PAGE_READWRITE | PAGE_EXECUTE_READWRITE | PAGE_WRITECOPY)))
            error = ERROR_INVALID_PARAMETER;   /* a read-only view stays read-only */
        if (error == 0 && mprotect((void *)start, end - start, prot) != 0)
            error = ERROR_INVALID_ADDRESS;
        if (error == 0) {
            *old_protect = r->pages[first];
            memset(r->pages + first, (int)(protect & 0xff), count);
        }
    }
    pthread_mutex_unlock(&regions_lock);
    if (r == NULL) {
        struct mapping m;
        if (!find_mapping(addr, &m) || !m.mapped || end > m.end)
            error = ERROR_INVALID_ADDRESS;
        else if (mprotect((void *)start, end - start, prot) != 0)
            error = ERROR_INVALID_ADDRESS;
        else
            *old_protect = page_from_perms(m.perms);
    }
    if (error != 0) {
        error_set(error);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI VirtualProtectEx(HANDLE process, LPVOID address, SIZE_T size, DWORD protect, PDWORD old_protect)
{
    return is_current_process(process) ? VirtualProtect(address, size, protect, old_protect) : FALSE;
}

/* The top of the user address space on x86-64 Linux (47 bits), less a page. */
#define USER_TOP ((uintptr_t)0x00007ffffffff000ull)

SIZE_T WINAPI VirtualQuery(LPCVOID address, PMEMORY_BASIC_INFORMATION info, SIZE_T length)
{
    if (length < sizeof(MEMORY_BASIC_INFORMATION)) {
        error_set(ERROR_BAD_LENGTH);
        return 0;
    }
    if (info == NULL) {
        error_set(ERROR_NOACCESS);
        return 0;
    }
    uintptr_t page = page_size();
    uintptr_t addr = round_down((uintptr_t)address, page);
    if (addr >= USER_TOP) {
        error_set(ERROR_INVALID_PARAMETER);
        return 0;
    }
    memset(info, 0, sizeof *info);
    info->BaseAddress = (PVOID)addr;
    pthread_mutex_lock(&regions_lock);
    struct region *r = containing(addr);
    if (r != NULL) {
        /* The run of pages from addr that share state and protection. */
        size_t first = (addr - r->base) / page, total = r->size / page, n = 1;
        while (first + n < total && r->pages[first + n] == r->pages[first])
            n++;
        info->AllocationBase = (PVOID)r->base;
        info->AllocationProtect = r->alloc_protect;
        info->RegionSize = n * page;
        info->State = r->pages[first] != 0 ? MEM_COMMIT : MEM_RESERVE;
        info->Protect = r->pages[first];
        info->Type = r->view_owner != NULL ? MEM_MAPPED : MEM_PRIVATE;
        pthread_mutex_unlock(&regions_lock);
        return sizeof *info;
    }
    /* A free range ends where the next region of ours starts. */
    size_t next = upper_bound(addr);
    uintptr_t next_region = next < region_count ? regions[next].base : USER_TOP;
    pthread_mutex_unlock(&regions_lock);
    struct mapping m;
    if (!find_mapping(addr, &m)) {
        m.start = addr;
        m.end = USER_TOP;
        m.mapped = false;
    }
    if (m.mapped) {
        info->AllocationBase = (PVOID)m.start;
        info->AllocationProtect = page_from_perms(m.perms);
        info->RegionSize = m.end - addr;
        info->State = MEM_COMMIT;
        info->Protect = page_from_perms(m.perms);
        info->Type = m.file ? MEM_IMAGE : MEM_PRIVATE;
    } else {
        uintptr_t end = m.end < next_region ? m.end : next_region;
        info->RegionSize = end - addr;
        info->State = MEM_FREE;
        info->Protect = PAGE_NOACCESS;
    }
    return sizeof *info;
}

SIZE_T WINAPI VirtualQueryEx(HANDLE process, LPCVOID address, PMEMORY_BASIC_INFORMATION info, SIZE_T length)
{
    return is_current_process(process) ? VirtualQuery(address, info, length) : 0;
}
