/*
 * Heaps over malloc. Each block carries a header with its heap and the size
 * asked for (HeapSize returns that, and HeapReAlloc with HEAP_ZERO_MEMORY
 * zeroes exactly the grown part). Blocks of a private heap are also linked
 * into the heap, so that HeapDestroy frees them all as Windows does; the
 * process heap cannot be destroyed and skips the list and its lock.
 */
#include "error.h"

#include <windows.h>

#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAP_MAGIC 0x48454150u   /* "HEAP" */

/* 32 bytes, so the caller's part keeps malloc's 16-byte alignment, which
 * Windows heaps also give on Win64. */
struct block {
    struct heap *heap;
    size_t size;
    struct block *prev, *next;
};

struct heap {
    uint32_t magic;
    DWORD flags;
    bool linked;               /* false for the process heap */
    size_t maximum;            /* 0: growable */
    size_t used;
    pthread_mutex_t lock;
    struct block blocks;       /* list head */
};

static struct heap process_heap = {
    .magic = HEAP_MAGIC,
    .linked = false,
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

static struct heap *heap_from(HANDLE h)
{
    struct heap *heap = (struct heap *)h;
    if (heap == NULL || heap->magic != HEAP_MAGIC) {
        error_set(ERROR_INVALID_HANDLE);
        return NULL;
    }
    return heap;
}

static struct block *block_of(LPCVOID mem) { return (struct block *)mem - 1; }

static void link_block(struct heap *heap, struct block *b)
{
    b->next = heap->blocks.next;
    b->prev = &heap->blocks;
    b->next->prev = b;
    heap->blocks.next = b;
}

static void unlink_block(struct block *b)
{
    b->prev->next = b->next;
    b->next->prev = b->prev;
}

static void lock(struct heap *heap)
{
    if (heap->linked)
        pthread_mutex_lock(&heap->lock);
}

static void unlock(struct heap *heap)
{
    if (heap->linked)
        pthread_mutex_unlock(&heap->lock);
}

/* Windows raises STATUS_NO_MEMORY under HEAP_GENERATE_EXCEPTIONS; without
 * structured exceptions the nearest thing is to stop with a clear message. */
static LPVOID out_of_memory(struct heap *heap, DWORD flags, SIZE_T bytes)
{
    if ((flags | heap->flags) & HEAP_GENERATE_EXCEPTIONS) {
        fprintf(stderr, "iocpcompat: heap allocation of %zu bytes failed under HEAP_GENERATE_EXCEPTIONS\n",
                (size_t)bytes);
        abort();
    }
    error_set(ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
}

HANDLE WINAPI GetProcessHeap(void) { return (HANDLE)&process_heap; }

HANDLE WINAPI HeapCreate(DWORD options, SIZE_T initial, SIZE_T maximum)
{
    if (maximum != 0 && initial > maximum) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    struct heap *heap = calloc(1, sizeof *heap);
    if (heap == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    heap->magic = HEAP_MAGIC;
    heap->flags = options & (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS);
    heap->linked = true;
    if (maximum != 0) {
        long page = sysconf(_SC_PAGESIZE);
        size_t p = page > 0 ? (size_t)page : 4096u;
        heap->maximum = (maximum + p - 1) / p * p;
    }
    /* HEAP_NO_SERIALIZE is honoured by locking anyway: cheap when
     * uncontended, and it keeps the heap's list sound. */
    pthread_mutex_init(&heap->lock, NULL);
    heap->blocks.next = heap->blocks.prev = &heap->blocks;
    return (HANDLE)heap;
}

BOOL WINAPI HeapDestroy(HANDLE h)
{
    struct heap *heap = heap_from(h);
    if (heap == NULL)
        return FALSE;
    if (!heap->linked) {   /* the process heap lives as long as the process */
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct block *b = heap->blocks.next;
    while (b != &heap->blocks) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    heap->magic = 0;
    pthread_mutex_destroy(&heap->lock);
    free(heap);
    return TRUE;
}

/* Accounts bytes against a fixed-size heap; false when it would not fit. */
static bool charge(struct heap *heap, size_t old_size, size_t new_size)
{
    if (heap->maximum == 0)
        return true;
    size_t used = heap->used - old_size;
    if (new_size > heap->maximum - used)
        return false;
    heap->used = used + new_size;
    return true;
}

LPVOID WINAPI HeapAlloc(HANDLE h, DWORD flags, SIZE_T bytes)
{
    struct heap *heap = heap_from(h);
    if (heap == NULL)
        return NULL;
    if (bytes > PTRDIFF_MAX - sizeof(struct block))
        return out_of_memory(heap, flags, bytes);
    size_t total = sizeof(struct block) + bytes;
    struct block *b = ((flags | heap->flags) & HEAP_ZERO_MEMORY) ? calloc(1, total) : malloc(total);
    if (b == NULL)
        return out_of_memory(heap, flags, bytes);
    b->heap = heap;
    b->size = bytes;
    lock(heap);
    bool fits = charge(heap, 0, bytes);
    if (fits && heap->linked)
        link_block(heap, b);
    unlock(heap);
    if (!fits) {
        free(b);
        return out_of_memory(heap, flags, bytes);
    }
    return b + 1;
}

/* The block of mem if it belongs to heap; sets the error otherwise. */
static struct block *owned_block(struct heap *heap, LPCVOID mem)
{
    struct block *b = block_of(mem);
    if (b->heap != heap) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return b;
}

BOOL WINAPI HeapFree(HANDLE h, DWORD flags, LPVOID mem)
{
    (void)flags;
    struct heap *heap = heap_from(h);
    if (heap == NULL)
        return FALSE;
    if (mem == NULL)
        return TRUE;
    struct block *b = owned_block(heap, mem);
    if (b == NULL)
        return FALSE;
    lock(heap);
    charge(heap, b->size, 0);
    if (heap->linked)
        unlink_block(b);
    unlock(heap);
    b->heap = NULL;   /* a second free is caught above instead of corrupting */
    free(b);
    return TRUE;
}

LPVOID WINAPI HeapReAlloc(HANDLE h, DWORD flags, LPVOID mem, SIZE_T bytes)
{
    struct heap *heap = heap_from(h);
    if (heap == NULL)
        return NULL;
    if (mem == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    struct block *b = owned_block(heap, mem);
    if (b == NULL)
        return NULL;
    if (bytes > PTRDIFF_MAX - sizeof(struct block))
        return out_of_memory(heap, flags, bytes);
    bool zero = ((flags | heap->flags) & HEAP_ZERO_MEMORY) != 0;

    lock(heap);
    size_t old = b->size;
    if (!charge(heap, old, bytes)) {
        unlock(heap);
        return out_of_memory(heap, flags, bytes);
    }
    struct block *nb = b;
    if (flags & HEAP_REALLOC_IN_PLACE_ONLY) {
        if (bytes > malloc_usable_size(b) - sizeof(struct block)) {
            charge(heap, bytes, old);
            unlock(heap);
            return out_of_memory(heap, flags & ~(DWORD)HEAP_GENERATE_EXCEPTIONS, bytes);
        }
    } else {
        if (heap->linked)
            unlink_block(b);
        nb = realloc(b, sizeof(struct block) + bytes);
        if (nb == NULL) {
            nb = b;
            if (heap->linked)
                link_block(heap, b);
            charge(heap, bytes, old);
            unlock(heap);
            return out_of_memory(heap, flags, bytes);
        }
        if (heap->linked)
            link_block(heap, nb);
    }
    nb->size = bytes;
    unlock(heap);
    if (zero && bytes > old)
        memset((char *)(nb + 1) + old, 0, bytes - old);
    return nb + 1;
}

SIZE_T WINAPI HeapSize(HANDLE h, DWORD flags, LPCVOID mem)
{
    (void)flags;
    struct heap *heap = heap_from(h);
    if (heap == NULL || mem == NULL)
        return (SIZE_T)-1;
    struct block *b = owned_block(heap, mem);
    return b != NULL ? b->size : (SIZE_T)-1;
}

HLOCAL WINAPI LocalAlloc(UINT flags, SIZE_T bytes)
{
    if ((flags & ~(UINT)LMEM_ZEROINIT) != LMEM_FIXED) {
        error_set(ERROR_INVALID_PARAMETER);   /* LMEM_MOVEABLE and friends */
        return NULL;
    }
    return HeapAlloc(GetProcessHeap(), (flags & LMEM_ZEROINIT) ? HEAP_ZERO_MEMORY : 0, bytes);
}

HLOCAL WINAPI LocalFree(HLOCAL mem)
{
    if (mem == NULL)
        return NULL;
    if (!HeapFree(GetProcessHeap(), 0, mem)) {
        error_set(ERROR_INVALID_HANDLE);
        return mem;
    }
    return NULL;
}

PVOID WINAPI SecureZeroMemory(PVOID ptr, SIZE_T cnt)
{
    explicit_bzero(ptr, cnt);
    return ptr;
}

/* The optimize-resources block of HeapOptimizeResources. */
#define OPTIMIZE_RESOURCES_VERSION 1

BOOL WINAPI HeapSetInformation(HANDLE h, HEAP_INFORMATION_CLASS cls, PVOID info, SIZE_T length)
{
    switch (cls) {
    case HeapEnableTerminationOnCorruption:
        return TRUE;   /* for every heap at once, a NULL handle included */
    case HeapCompatibilityInformation:
        if (heap_from(h) == NULL)
            return FALSE;
        if (info == NULL || length < sizeof(ULONG)) {
            error_set(ERROR_INSUFFICIENT_BUFFER);
            return FALSE;
        }
        /* 0 standard, 2 low-fragmentation; 1 (look-aside lists) is gone. */
        if (*(const ULONG *)info != 0 && *(const ULONG *)info != 2) {
            error_set(ERROR_GEN_FAILURE);
            return FALSE;
        }
        return TRUE;
    case HeapOptimizeResources:
        if (info == NULL || length < 2 * sizeof(DWORD)) {
            error_set(ERROR_INSUFFICIENT_BUFFER);
            return FALSE;
        }
        if (*(const DWORD *)info != OPTIMIZE_RESOURCES_VERSION) {
            error_set(ERROR_INVALID_PARAMETER);
            return FALSE;
        }
        return TRUE;
    default:
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
}

BOOL WINAPI HeapQueryInformation(HANDLE h, HEAP_INFORMATION_CLASS cls, PVOID info, SIZE_T length,
                                 PSIZE_T return_length)
{
    if (cls != HeapCompatibilityInformation) {
        error_set(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (heap_from(h) == NULL)
        return FALSE;
    if (return_length != NULL)
        *return_length = sizeof(ULONG);
    if (info == NULL || length < sizeof(ULONG)) {
        error_set(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    *(ULONG *)info = 2;   /* low-fragmentation, Windows' default since Vista */
    return TRUE;
}
