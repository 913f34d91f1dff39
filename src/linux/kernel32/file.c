/*
 * File handles and the file calls that finish before they return:
 * CreateFileA, DeleteFileA, GetFileSizeEx, SetFilePointerEx,
 * FlushFileBuffers, and ReadFile/WriteFile, which hand overlapped
 * transfers on an overlapped handle to file_io.c. A non-overlapped handle's
 * file pointer is the descriptor's own offset.
 */
#include "file.h"
#include "completion.h"
#include "error.h"
#include "unicode.h"
#include "port.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static void file_close(struct object *obj)
{
    (void)obj;   /* the descriptor lives while an operation still holds the file */
}

static void file_destroy(struct object *obj)
{
    struct file *f = (struct file *)obj;
    int saved = errno;
    close(f->fd);
    errno = saved;
    if (f->port != NULL)
        port_release(f->port);
    free(f);
}

static const struct object_ops file_ops = {
    .type = OBJECT_FILE,
    .close = file_close,
    .destroy = file_destroy,
    .wait = NULL,
};

struct file *file_find(HANDLE h)
{
    return (struct file *)object_find(h, OBJECT_FILE);
}

void file_release(struct file *f)
{
    object_release(&f->obj);
}

/* The file behind h for a call on it: ERROR_INVALID_HANDLE otherwise. */
static struct file *file_get(HANDLE h)
{
    struct file *f = file_find(h);
    if (f == NULL)
        error_set(ERROR_INVALID_HANDLE);
    return f;
}

/* What Windows says for a path that open() or unlink() refused with err. */
static DWORD path_error(int err, const char *path)
{
    switch (err) {
    case ENOENT: {
        /* Windows tells a missing file from a missing directory on the way. */
        const char *slash = strrchr(path, '/');
        if (slash == NULL || slash == path)
            return ERROR_FILE_NOT_FOUND;
        size_t n = (size_t)(slash - path);
        char *dir = malloc(n + 1);
        if (dir == NULL)
            return ERROR_FILE_NOT_FOUND;
        memcpy(dir, path, n);
        dir[n] = '\0';
        struct stat st;
        bool dir_exists = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
        free(dir);
        return dir_exists ? ERROR_FILE_NOT_FOUND : ERROR_PATH_NOT_FOUND;
    }
    case ENOTDIR:
    case ELOOP:
        return ERROR_PATH_NOT_FOUND;
    case EEXIST:
        return ERROR_FILE_EXISTS;
    case EACCES:
    case EPERM:
    case EROFS:
    case EISDIR:
    case ETXTBSY:
        return ERROR_ACCESS_DENIED;
    case EMFILE:
    case ENFILE:
        return ERROR_TOO_MANY_OPEN_FILES;
    case ENAMETOOLONG:
        return ERROR_FILENAME_EXCED_RANGE;
    case ENOSPC:
    case EDQUOT:
        return ERROR_DISK_FULL;
    case ENOMEM:
        return ERROR_NOT_ENOUGH_MEMORY;
    default:
        return ERROR_INVALID_PARAMETER;
    }
}

/* What Windows says for a transfer the kernel refused with err. */
static DWORD transfer_error(int err)
{
    return status_to_win32(status_from_errno(err));
}

/* The name with Windows' separators made Linux's; NULL when memory ran out. */
static char *linux_path(const char *name)
{
    char *path = strdup(name);
    if (path != NULL) {
        for (char *c = path; *c; c++) {
            if (*c == '\\')
                *c = '/';
        }
    }
    return path;
}

#define SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)

/*
 * Opens path as disposition asks. *existed says whether the file was
 * already there (CREATE_ALWAYS and OPEN_ALWAYS report it). Returns the
 * descriptor or -errno.
 */
static int open_as(const char *path, int oflags, DWORD disposition, mode_t mode, bool *existed)
{
    *existed = true;
    for (;;) {
        int fd;
        switch (disposition) {
        case CREATE_NEW:
            fd = open(path, oflags | O_CREAT | O_EXCL, mode);
            *existed = false;
            return fd >= 0 ? fd : -errno;
        case OPEN_EXISTING:
            fd = open(path, oflags);
            return fd >= 0 ? fd : -errno;
        case TRUNCATE_EXISTING:
            fd = open(path, oflags | O_TRUNC);
            return fd >= 0 ? fd : -errno;
        default:   /* CREATE_ALWAYS, OPEN_ALWAYS: create, or open what is there */
            fd = open(path, oflags | O_CREAT | O_EXCL, mode);
            if (fd >= 0) {
                *existed = false;
                return fd;
            }
            if (errno != EEXIST)
                return -errno;
            fd = open(path, oflags | (disposition == CREATE_ALWAYS ? O_TRUNC : 0));
            if (fd >= 0)
                return fd;
            if (errno != ENOENT)
                return -errno;
            break;   /* deleted in between: try again */
        }
    }
}

HANDLE WINAPI CreateFileA(LPCSTR name, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
                          DWORD disposition, DWORD flags, HANDLE template_file)
{
    (void)sa;
    (void)template_file;
    if (name == NULL || name[0] == '\0') {
        error_set(ERROR_PATH_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    if (disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING || (share & ~SHARE_ALL) != 0) {
        error_set(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    bool readable = (access & (GENERIC_READ | GENERIC_ALL)) != 0;
    bool writable = (access & (GENERIC_WRITE | GENERIC_ALL)) != 0;
    if (disposition == TRUNCATE_EXISTING && !writable) {
        error_set(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    int oflags = O_CLOEXEC | (writable ? (readable ? O_RDWR : O_WRONLY) : O_RDONLY);
    if (flags & FILE_FLAG_WRITE_THROUGH)
        oflags |= O_DSYNC;
    mode_t mode = (flags & FILE_ATTRIBUTE_READONLY) ? 0444 : 0666;
    char *path = linux_path(name);
    if (path == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return INVALID_HANDLE_VALUE;
    }
    bool existed;
    int fd = open_as(path, oflags, disposition, mode, &existed);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* A directory opens only with FILE_FLAG_BACKUP_SEMANTICS on Windows. */
        close(fd);
        fd = -EACCES;
    }
    if (fd < 0) {
        DWORD err = path_error(-fd, path);
        free(path);
        error_set(err);
        return INVALID_HANDLE_VALUE;
    }
    free(path);
    if (flags & FILE_FLAG_SEQUENTIAL_SCAN)
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    else if (flags & FILE_FLAG_RANDOM_ACCESS)
        posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);

    struct file *f = calloc(1, sizeof(*f));
    if (f == NULL) {
        close(fd);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return INVALID_HANDLE_VALUE;
    }
    object_init(&f->obj, &file_ops);
    f->fd = fd;
    f->readable = readable;
    f->writable = writable;
    f->overlapped = (flags & FILE_FLAG_OVERLAPPED) != 0;
    lock_init(&f->lock);
    atomic_init(&f->completions, 0);
    HANDLE h = object_publish(&f->obj);
    if (h == NULL)
        return INVALID_HANDLE_VALUE;   /* the file is gone with its reference */
    bool reports = disposition == CREATE_ALWAYS || disposition == OPEN_ALWAYS;
    error_set(reports && existed ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return h;
}

BOOL WINAPI DeleteFileA(LPCSTR name)
{
    if (name == NULL || name[0] == '\0') {
        error_set(ERROR_PATH_NOT_FOUND);
        return FALSE;
    }
    char *path = linux_path(name);
    if (path == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    BOOL ok = unlink(path) == 0;
    if (!ok)
        error_set(path_error(errno, path));
    free(path);
    return ok;
}

BOOL WINAPI GetFileSizeEx(HANDLE h, PLARGE_INTEGER size)
{
    struct file *f = file_get(h);
    if (f == NULL)
        return FALSE;
    struct stat st;
    BOOL ok = FALSE;
    if (size == NULL)
        error_set(ERROR_NOACCESS);
    else if (fstat(f->fd, &st) != 0)
        error_set(transfer_error(errno));
    else {
        size->QuadPart = st.st_size;
        ok = TRUE;
    }
    file_release(f);
    return ok;
}

BOOL WINAPI SetFilePointerEx(HANDLE h, LARGE_INTEGER distance, PLARGE_INTEGER new_pointer, DWORD method)
{
    struct file *f = file_get(h);
    if (f == NULL)
        return FALSE;
    BOOL ok = FALSE;
    struct stat st;
    int64_t base = 0;
    if (method == FILE_CURRENT) {
        off_t at = lseek(f->fd, 0, SEEK_CUR);
        base = at >= 0 ? at : 0;
    } else if (method == FILE_END) {
        base = fstat(f->fd, &st) == 0 ? st.st_size : 0;
    }
    int64_t to;
    if (method > FILE_END)
        error_set(ERROR_INVALID_PARAMETER);
    else if (__builtin_add_overflow(base, distance.QuadPart, &to))
        error_set(ERROR_INVALID_PARAMETER);
    else if (to < 0)
        error_set(ERROR_NEGATIVE_SEEK);
    else if (lseek(f->fd, (off_t)to, SEEK_SET) < 0)
        error_set(transfer_error(errno));
    else {
        if (new_pointer != NULL)
            new_pointer->QuadPart = to;
        ok = TRUE;
    }
    file_release(f);
    return ok;
}

BOOL WINAPI FlushFileBuffers(HANDLE h)
{
    struct file *f = file_get(h);
    if (f == NULL)
        return FALSE;
    BOOL ok = FALSE;
    if (!f->writable)
        error_set(ERROR_ACCESS_DENIED);
    else if (fsync(f->fd) != 0)
        error_set(transfer_error(errno));
    else
        ok = TRUE;
    file_release(f);
    return ok;
}

/* The OVERLAPPED's offset asks for the end of the file (writes only). */
static bool at_end(const OVERLAPPED *ovl)
{
    return ovl->Offset == 0xFFFFFFFFu && ovl->OffsetHigh == 0xFFFFFFFFu;
}

/*
 * One transfer on a synchronous handle, at the file pointer or (ovl) at the
 * OVERLAPPED's offset: a read takes what there is, a write goes on until
 * every byte is written. Returns the bytes, or -errno.
 */
static int64_t transfer_sync(struct file *f, bool write, void *buf, DWORD len, LPOVERLAPPED ovl)
{
    bool append = write && ovl != NULL && at_end(ovl);
    off_t off = ovl != NULL ? (off_t)(((uint64_t)ovl->OffsetHigh << 32) | ovl->Offset) : 0;
    if (ovl != NULL && !append && off < 0)
        return -EINVAL;
    DWORD done = 0;
    do {
        struct iovec v = { (char *)buf + done, len - done };
        ssize_t n;
        if (ovl == NULL)
            n = write ? writev(f->fd, &v, 1) : readv(f->fd, &v, 1);
        else if (write)
            n = pwritev2(f->fd, &v, 1, append ? 0 : off + done, append ? RWF_APPEND : 0);
        else
            n = preadv(f->fd, &v, 1, off + done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (done > 0)
                break;
            return -errno;
        }
        done += (DWORD)n;
        if (!write || n == 0)
            break;
    } while (done < len);
    /* Windows moves the file pointer past what an OVERLAPPED transfer on a
     * synchronous handle moved. */
    if (ovl != NULL)
        lseek(f->fd, append ? 0 : off + done, append ? SEEK_END : SEEK_SET);
    return done;
}

/* ReadFile/WriteFile on a synchronous file handle. */
static BOOL file_sync(struct file *f, bool write, void *buf, DWORD len, LPDWORD count, LPOVERLAPPED ovl)
{
    int saved = errno;
    int64_t n = transfer_sync(f, write, buf, len, ovl);
    errno = saved;
    DWORD status = n >= 0 ? STATUS_SUCCESS : status_from_errno((int)-n);
    DWORD bytes = n >= 0 ? (DWORD)n : 0;
    /* With an OVERLAPPED, an end of file is a failure, as in GetOverlappedResult. */
    if (ovl != NULL && !write && n == 0 && len > 0)
        status = STATUS_END_OF_FILE;
    if (count != NULL)
        *count = bytes;
    if (ovl != NULL)
        file_finished_at_once(f, ovl, status, bytes);
    if (status != STATUS_SUCCESS) {
        error_set(status_to_win32(status));
        return FALSE;
    }
    return TRUE;
}

/* What ReadFile and WriteFile check before anything moves. */
static BOOL transfer(HANDLE h, bool write, void *buf, DWORD len, LPDWORD count, LPOVERLAPPED ovl)
{
    if (count != NULL)
        *count = 0;   /* before any check, as on Windows */
    struct object *obj = object_find(h, 0);
    if (obj == NULL) {
        error_set(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (obj->ops->type == OBJECT_STD_HANDLE && write)
        return std_handle_write(obj, buf, len, count, ovl);
    if (obj->ops->type != OBJECT_FILE) {
        object_release(obj);
        error_set(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    struct file *f = (struct file *)obj;
    BOOL ok = FALSE;
    if (write ? !f->writable : !f->readable)
        error_set(ERROR_ACCESS_DENIED);
    else if (buf == NULL && len > 0)
        error_set(ERROR_NOACCESS);
    else if (f->overlapped && ovl == NULL)
        error_set(ERROR_INVALID_PARAMETER);   /* an overlapped handle has no file pointer to use */
    else if (f->overlapped)
        ok = file_io_start(f, write, buf, len, ovl);
    else
        ok = file_sync(f, write, buf, len, count, ovl);
    file_release(f);
    return ok;
}

BOOL WINAPI ReadFile(HANDLE h, LPVOID buf, DWORD len, LPDWORD read, LPOVERLAPPED ovl)
{
    return transfer(h, false, buf, len, read, ovl);
}

BOOL WINAPI WriteFile(HANDLE h, LPCVOID buf, DWORD len, LPDWORD written, LPOVERLAPPED ovl)
{
    return transfer(h, true, (void *)buf, len, written, ovl);
}

/* The W forms: the name converted once, the rest as the A forms do. */
static char *file_name_from_wide(LPCWSTR name)
{
    if (name == NULL)
        return NULL;
    char *utf8 = utf8_from_wide(name);
    if (utf8 == NULL)
        error_set(ERROR_NOT_ENOUGH_MEMORY);
    return utf8;
}

HANDLE WINAPI CreateFileW(LPCWSTR name, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
                          DWORD disposition, DWORD flags, HANDLE template_file)
{
    char *utf8 = file_name_from_wide(name);
    if (name != NULL && utf8 == NULL)
        return INVALID_HANDLE_VALUE;
    HANDLE h = CreateFileA(utf8, access, share, sa, disposition, flags, template_file);
    free(utf8);
    return h;
}

BOOL WINAPI DeleteFileW(LPCWSTR name)
{
    char *utf8 = file_name_from_wide(name);
    if (name != NULL && utf8 == NULL)
        return FALSE;
    BOOL ok = DeleteFileA(utf8);
    free(utf8);
    return ok;
}
