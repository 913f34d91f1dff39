/*
 * File mappings: backed by memory (CreateFileMapping with
 * INVALID_HANDLE_VALUE: a memfd of the mapping's size) or by a file opened
 * with CreateFile (a duplicate of its descriptor), which every view maps
 * shared, so views and ReadFile/WriteFile see the same bytes. The views are regions of memory.c, so VirtualQuery and
 * VirtualProtect know them. Each handle is an object of its own, with the
 * access it was opened with (a FILE_MAP_READ handle maps no writable view,
 * as on Windows), referring to the mapping; a view refers to the mapping
 * too, so the memory outlives the handles. The name lasts as long as a
 * handle does, as on Windows: with only views left, OpenFileMapping fails
 * and CreateFileMapping of the name makes a new mapping. Names are known
 * within the process only.
 */
#include "error.h"
#include "file.h"
#include "unicode.h"
#include "memory_view.h"
#include "object.h"

#include <stdatomic.h>

#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GRANULARITY 65536u

struct mapping {
    atomic_uint refs;     /* handles and views */
    unsigned handles;     /* under names_lock */
    int fd;
    ULONGLONG size;
    DWORD protect;        /* PAGE_* of CreateFileMapping */
    char *name;           /* UTF-8, or NULL */
    struct mapping *next; /* in the name list */
};

struct mapping_handle {
    struct object obj;
    struct mapping *m;
    DWORD access;         /* SECTION_* rights of this handle */
};

static pthread_mutex_t names_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mapping *named;

static void mapping_release(struct mapping *m)
{
    if (atomic_fetch_sub(&m->refs, 1) == 1) {
        close(m->fd);
        free(m->name);
        free(m);
    }
}

/* The last handle is gone: the name goes with it, as on Windows. */
static void handle_destroy(struct object *obj)
{
    struct mapping_handle *h = (struct mapping_handle *)obj;
    struct mapping *m = h->m;
    pthread_mutex_lock(&names_lock);
    if (--m->handles == 0 && m->name != NULL) {
        for (struct mapping **p = &named; *p != NULL; p = &(*p)->next) {
            if (*p == m) {
                *p = m->next;
                break;
            }
        }
    }
    pthread_mutex_unlock(&names_lock);
    mapping_release(m);
    free(h);
}

static const struct object_ops mapping_ops = {
    .type = OBJECT_FILE_MAPPING, .close = NULL, .destroy = handle_destroy, .wait = NULL,
};

/* A new handle with the given rights, taking a reference to m (handles
 * counted already, under names_lock, by the caller). */
static HANDLE handle_new(struct mapping *m, DWORD access)
{
    struct mapping_handle *h = calloc(1, sizeof *h);
    if (h == NULL) {
        pthread_mutex_lock(&names_lock);
        m->handles--;
        pthread_mutex_unlock(&names_lock);
        mapping_release(m);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    object_init(&h->obj, &mapping_ops);
    h->m = m;
    h->access = access;
    return object_publish(&h->obj);
}

/* The mapping called name, counted as one more handle. names_lock held. */
static struct mapping *find_named(const char *name)
{
    for (struct mapping *m = named; m != NULL; m = m->next) {
        if (strcmp(m->name, name) == 0) {
            m->handles++;
            atomic_fetch_add(&m->refs, 1);
            return m;
        }
    }
    return NULL;
}

static bool protect_valid(DWORD protect)
{
    switch (protect & 0xff) {
    case PAGE_READONLY: case PAGE_READWRITE: case PAGE_WRITECOPY:
    case PAGE_EXECUTE_READ: case PAGE_EXECUTE_READWRITE: case PAGE_EXECUTE_WRITECOPY:
        break;
    default:
        return false;
    }
    DWORD sec = protect & ~(DWORD)0xff;
    return (sec & ~(DWORD)(SEC_COMMIT | SEC_RESERVE | SEC_LARGE_PAGES | SEC_NOCACHE)) == 0 &&
           (sec & (SEC_COMMIT | SEC_RESERVE)) != (SEC_COMMIT | SEC_RESERVE);
}

/* The descriptor behind a mapping of a file opened by CreateFile: its own
 * duplicate, as the mapping keeps the file open after the handle closes.
 * The protection must be one the handle's access allows, a size of 0 means
 * the file's size (which must not be 0), and a larger size extends the
 * file first, as Windows does. -1 with the error set. */
static int file_backing(HANDLE file, DWORD protect, ULONGLONG *size)
{
    struct file *f = file_find(file);
    if (f == NULL) {
        error_set(ERROR_INVALID_HANDLE);
        return -1;
    }
    DWORD page = protect & 0xff;
    bool writes = page == PAGE_READWRITE || page == PAGE_EXECUTE_READWRITE;
    int fd = -1;
    struct stat st;
    if (!f->readable || (writes && !f->writable)) {
        error_set(ERROR_ACCESS_DENIED);
    } else if (fstat(f->fd, &st) != 0) {
        error_set(ERROR_INVALID_HANDLE);
    } else if (*size == 0 && st.st_size == 0) {
        error_set(ERROR_FILE_INVALID);
    } else if (*size > (ULONGLONG)st.st_size && !writes) {
        error_set(ERROR_ACCESS_DENIED);   /* it cannot grow through this handle */
    } else if (*size > (ULONGLONG)st.st_size && ftruncate(f->fd, (off_t)*size) != 0) {
        error_set(errno == ENOSPC || errno == EFBIG ? ERROR_DISK_FULL : ERROR_ACCESS_DENIED);
    } else if ((fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0)) < 0) {
        error_set(ERROR_TOO_MANY_OPEN_FILES);
    } else if (*size == 0) {
        *size = (ULONGLONG)st.st_size;
    }
    file_release(f);
    return fd;
}

static HANDLE mapping_create(HANDLE file, DWORD protect, ULONGLONG size, const char *name)
{
    if (!protect_valid(protect) || (size == 0 && file == INVALID_HANDLE_VALUE)) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    int fd;
    if (file != INVALID_HANDLE_VALUE) {
        fd = file_backing(file, protect, &size);
        if (fd < 0)
            return NULL;
    } else {
        fd = memfd_create("iocpcompat-mapping", MFD_CLOEXEC);
        if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
            if (fd >= 0)
                close(fd);
            error_set(errno == EMFILE || errno == ENFILE ? ERROR_TOO_MANY_OPEN_FILES : ERROR_NOT_ENOUGH_MEMORY);
            return NULL;
        }
    }
    struct mapping *m = calloc(1, sizeof *m);
    char *copy = name != NULL ? strdup(name) : NULL;
    if (m == NULL || (name != NULL && copy == NULL)) {
        free(m);
        free(copy);
        close(fd);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    atomic_init(&m->refs, 1);
    m->handles = 1;
    m->fd = fd;
    m->size = size;
    m->protect = protect & 0xff;
    m->name = copy;
    if (copy != NULL) {
        pthread_mutex_lock(&names_lock);
        /* A name in use gives the existing mapping (its size and protection). */
        struct mapping *existing = find_named(copy);
        if (existing == NULL) {
            m->next = named;
            named = m;
        }
        pthread_mutex_unlock(&names_lock);
        if (existing != NULL) {
            mapping_release(m);
            HANDLE h = handle_new(existing, SECTION_ALL_ACCESS);
            if (h != NULL)
                SetLastError(ERROR_ALREADY_EXISTS);
            return h;
        }
    }
    HANDLE h = handle_new(m, SECTION_ALL_ACCESS);
    if (h != NULL)
        SetLastError(ERROR_SUCCESS);
    return h;
}


HANDLE WINAPI CreateFileMappingA(HANDLE file, LPSECURITY_ATTRIBUTES sa, DWORD protect, DWORD size_high,
                                 DWORD size_low, LPCSTR name)
{
    (void)sa;
    return mapping_create(file, protect, ((ULONGLONG)size_high << 32) | size_low, name);
}

HANDLE WINAPI CreateFileMappingW(HANDLE file, LPSECURITY_ATTRIBUTES sa, DWORD protect, DWORD size_high,
                                 DWORD size_low, LPCWSTR name)
{
    (void)sa;
    char *utf8 = name != NULL ? utf8_from_wide(name) : NULL;
    if (name != NULL && utf8 == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    HANDLE h = mapping_create(file, protect, ((ULONGLONG)size_high << 32) | size_low, utf8);
    free(utf8);
    return h;
}

HANDLE WINAPI OpenFileMappingA(DWORD access, BOOL inherit, LPCSTR name)
{
    (void)inherit;
    if (name == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    pthread_mutex_lock(&names_lock);
    struct mapping *m = find_named(name);
    pthread_mutex_unlock(&names_lock);
    if (m == NULL) {
        error_set(ERROR_FILE_NOT_FOUND);
        return NULL;
    }
    /* FILE_MAP_ALL_ACCESS is SECTION_ALL_ACCESS; FILE_MAP_COPY reads. */
    DWORD rights = access & SECTION_ALL_ACCESS;
    if (access & FILE_MAP_COPY)
        rights |= SECTION_MAP_READ;
    if (access & FILE_MAP_EXECUTE)
        rights |= SECTION_MAP_EXECUTE;
    return handle_new(m, rights);
}

HANDLE WINAPI OpenFileMappingW(DWORD access, BOOL inherit, LPCWSTR name)
{
    if (name == NULL)
        return OpenFileMappingA(access, inherit, NULL);
    char *utf8 = utf8_from_wide(name);
    if (utf8 == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    HANDLE h = OpenFileMappingA(access, inherit, utf8);
    free(utf8);
    return h;
}

static bool writable(DWORD protect)
{
    return protect == PAGE_READWRITE || protect == PAGE_EXECUTE_READWRITE;
}

LPVOID WINAPI MapViewOfFile(HANDLE handle, DWORD access, DWORD offset_high, DWORD offset_low, SIZE_T bytes)
{
    struct mapping_handle *h = (struct mapping_handle *)object_get(handle, OBJECT_FILE_MAPPING);
    if (h == NULL)
        return NULL;
    struct mapping *m = h->m;
    ULONGLONG offset = ((ULONGLONG)offset_high << 32) | offset_low;
    bool copy = (access & FILE_MAP_COPY) && !(access & FILE_MAP_WRITE);
    bool write = (access & FILE_MAP_WRITE) != 0;
    bool read = (access & FILE_MAP_READ) || copy;
    bool exec = (access & FILE_MAP_EXECUTE) != 0;
    /* What the handle was opened with bounds what a view may do; access 0
     * asks for a view without access, which still needs read rights. */
    DWORD needed = (write ? SECTION_MAP_WRITE : 0) | (read || !write ? SECTION_MAP_READ : 0) |
                   (exec ? SECTION_MAP_EXECUTE : 0);
    DWORD error = 0;
    if ((h->access & needed) != needed)
        error = ERROR_ACCESS_DENIED;
    else if (offset % GRANULARITY != 0)
        error = ERROR_MAPPED_ALIGNMENT;
    else if (offset >= m->size || (bytes != 0 && bytes > m->size - offset))
        error = ERROR_ACCESS_DENIED;   /* the view would run past the mapping */
    else if (write && !writable(m->protect))
        error = ERROR_ACCESS_DENIED;
    else if (exec && !(m->protect & (PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)))
        error = ERROR_ACCESS_DENIED;
    if (error != 0) {
        object_release(&h->obj);
        error_set(error);
        return NULL;
    }
    size_t length = bytes != 0 ? bytes : (size_t)(m->size - offset);
    int prot = (read || write ? PROT_READ : 0) | (write || copy ? PROT_WRITE : 0) | (exec ? PROT_EXEC : 0);
    DWORD protect = copy ? (exec ? PAGE_EXECUTE_WRITECOPY : PAGE_WRITECOPY)
                  : write ? (exec ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE)
                  : read ? (exec ? PAGE_EXECUTE_READ : PAGE_READONLY)
                         : (exec ? PAGE_EXECUTE : PAGE_NOACCESS);
    atomic_fetch_add(&m->refs, 1);   /* the view's */
    object_release(&h->obj);
    void *p = memory_map_view(m->fd, (off_t)offset, length, prot, copy, protect, m);
    if (p == NULL)
        mapping_release(m);
    return p;
}

BOOL WINAPI UnmapViewOfFile(LPCVOID base)
{
    void *owner = NULL;
    if (!memory_unmap_view((void *)base, &owner))
        return FALSE;
    mapping_release(owner);
    return TRUE;
}

BOOL WINAPI FlushViewOfFile(LPCVOID base, SIZE_T bytes)
{
    void *view;
    size_t length;
    if (!memory_find_view(base, &view, &length)) {
        error_set(ERROR_INVALID_ADDRESS);
        return FALSE;
    }
    uintptr_t start = (uintptr_t)base & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1);
    size_t left = (size_t)((uintptr_t)view + length - start);
    if (bytes == 0 || bytes > left)
        bytes = left;
    /* Memory-backed: nothing to write back, but msync checks the range. */
    if (msync((void *)start, bytes, MS_SYNC) != 0) {
        error_set(ERROR_INVALID_ADDRESS);
        return FALSE;
    }
    return TRUE;
}
