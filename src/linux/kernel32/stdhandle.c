/*
 * The standard handles and what is written through them: GetStdHandle,
 * WriteFile, WriteConsoleA, SetConsoleTextAttribute, the console modes. A
 * standard handle is an object of the handle table that names descriptor
 * 0, 1 or 2; it is a console handle when that is a terminal, which is when
 * Windows' console calls work (on a redirected handle they fail).
 */
#include "error.h"
#include "file.h"
#include "object.h"
#include "unicode.h"

#include <windows.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct std_handle {
    struct object obj;
    int fd;
    atomic_uint mode;   /* what GetConsoleMode reports */
};

/* The modes a new console reports: Windows 10's for input; for output the
 * legacy one, which programs extend with ENABLE_VIRTUAL_TERMINAL_PROCESSING. */
#define INPUT_MODE_DEFAULT  (ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | \
                             ENABLE_MOUSE_INPUT | ENABLE_INSERT_MODE | ENABLE_QUICK_EDIT_MODE | \
                             ENABLE_EXTENDED_FLAGS | ENABLE_AUTO_POSITION)
#define OUTPUT_MODE_DEFAULT (ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT)
#define INPUT_MODE_VALID    0x3FFu
#define OUTPUT_MODE_VALID   0x1Fu

static void std_handle_destroy(struct object *obj) { free(obj); }

/* Closing the handle leaves the descriptor open: stdio still writes to it. */
static const struct object_ops std_handle_ops = {
    .type = OBJECT_STD_HANDLE,
    .destroy = std_handle_destroy,
};

static pthread_mutex_t std_lock = PTHREAD_MUTEX_INITIALIZER;
static HANDLE std_handles[3];   /* published once; stale once closed, as on Windows */

HANDLE WINAPI GetStdHandle(DWORD which)
{
    if (which != STD_INPUT_HANDLE && which != STD_OUTPUT_HANDLE && which != STD_ERROR_HANDLE) {
        error_set(ERROR_INVALID_HANDLE);
        return INVALID_HANDLE_VALUE;
    }
    int fd = (int)(STD_INPUT_HANDLE - which);   /* -10, -11, -12 -> 0, 1, 2 */
    pthread_mutex_lock(&std_lock);
    HANDLE h = std_handles[fd];
    if (h == NULL && fcntl(fd, F_GETFD) != -1) {
        struct std_handle *s = malloc(sizeof *s);
        if (s == NULL) {
            error_set(ERROR_NOT_ENOUGH_MEMORY);
        } else {
            object_init(&s->obj, &std_handle_ops);
            s->fd = fd;
            atomic_init(&s->mode, fd == 0 ? INPUT_MODE_DEFAULT : OUTPUT_MODE_DEFAULT);
            h = std_handles[fd] = object_publish(&s->obj);
        }
    }
    pthread_mutex_unlock(&std_lock);
    return h;
}

static DWORD win32_from_write_errno(int fd, int err)
{
    switch (err) {
    case EPIPE:  return ERROR_NO_DATA;
    case ENOSPC:
    case EDQUOT: return ERROR_DISK_FULL;
    case EFAULT: return ERROR_NOACCESS;
    case EBADF:  return fcntl(fd, F_GETFD) != -1 ? ERROR_ACCESS_DENIED : ERROR_INVALID_HANDLE;
    default:     return ERROR_WRITE_FAULT;
    }
}

/* Writes all of buf to fd after what stdio still holds for it, so that
 * printf and WriteFile output stay in order. SIGPIPE is kept away, as
 * Windows has none. Returns 0 or the Win32 error; *done is what was written. */
static DWORD write_all(int fd, const char *buf, size_t len, size_t *done)
{
    if (fd == 1)
        fflush(stdout);
    else if (fd == 2)
        fflush(stderr);
    sigset_t pipe_set, old, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigpending(&pending);
    bool pipe_was_pending = sigismember(&pending, SIGPIPE) == 1;

    DWORD error = 0;
    *done = 0;
    while (*done < len && error == 0) {
        ssize_t n = write(fd, buf + *done, len - *done);
        if (n >= 0) {
            *done += (size_t)n;
        } else if (errno == EAGAIN) {
            /* A non-blocking descriptor: Windows' handle would block. */
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            poll(&p, 1, -1);
        } else if (errno != EINTR) {
            error = win32_from_write_errno(fd, errno);
        }
    }
    if (error == ERROR_NO_DATA && !pipe_was_pending) {
        struct timespec no_wait = {0, 0};
        sigtimedwait(&pipe_set, NULL, &no_wait);   /* the SIGPIPE this write raised */
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return error;
}

/* Writes len bytes of buf to s's descriptor and lets go of s: FALSE with the
 * last error set on failure; *written (if given) and *done get what went out. */
static BOOL write_and_release(struct std_handle *s, LPCVOID buf, DWORD len, LPDWORD written,
                              size_t *done)
{
    *done = 0;
    if (buf == NULL && len > 0) {
        object_release(&s->obj);
        error_set(ERROR_NOACCESS);
        return FALSE;
    }
    DWORD error = write_all(s->fd, buf, len, done);
    object_release(&s->obj);
    if (written != NULL)
        *written = (DWORD)*done;
    if (error != 0) {
        error_set(error);
        return FALSE;
    }
    return TRUE;
}

BOOL std_handle_write(struct object *obj, LPCVOID buf, DWORD len, LPDWORD written, LPOVERLAPPED ov)
{
    struct std_handle *s = (struct std_handle *)obj;
    size_t done;
    if (!write_and_release(s, buf, len, written, &done))
        return FALSE;
    /* A synchronous handle: the OVERLAPPED holds the result at once. */
    if (ov != NULL) {
        ov->Internal = STATUS_SUCCESS;
        ov->InternalHigh = done;
        if (ov->hEvent != NULL)
            SetEvent((HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1));
    }
    return TRUE;
}

/* The standard handle h when it is a console (a terminal), with a
 * reference; NULL with ERROR_INVALID_HANDLE otherwise. */
static struct std_handle *console(HANDLE h)
{
    struct std_handle *s = (struct std_handle *)object_get(h, OBJECT_STD_HANDLE);
    if (s != NULL && !isatty(s->fd)) {
        object_release(&s->obj);
        error_set(ERROR_INVALID_HANDLE);
        s = NULL;
    }
    return s;
}

/* The same for an output handle (descriptor 1 or 2). */
static struct std_handle *console_output(HANDLE h)
{
    struct std_handle *s = console(h);
    if (s != NULL && s->fd == 0) {
        object_release(&s->obj);
        error_set(ERROR_INVALID_HANDLE);
        s = NULL;
    }
    return s;
}

BOOL WINAPI GetConsoleMode(HANDLE h, LPDWORD mode)
{
    struct std_handle *s = console(h);
    if (s == NULL)
        return FALSE;
    if (mode == NULL) {
        object_release(&s->obj);
        error_set(ERROR_NOACCESS);
        return FALSE;
    }
    *mode = atomic_load(&s->mode);
    object_release(&s->obj);
    return TRUE;
}

/* The mode is kept and reported; the terminal's own echo and line editing
 * stay as they are, and escape sequences are always interpreted. */
BOOL WINAPI SetConsoleMode(HANDLE h, DWORD mode)
{
    struct std_handle *s = console(h);
    if (s == NULL)
        return FALSE;
    BOOL ok = (mode & ~(s->fd == 0 ? INPUT_MODE_VALID : OUTPUT_MODE_VALID)) == 0;
    if (ok)
        atomic_store(&s->mode, mode);
    object_release(&s->obj);
    if (!ok)
        error_set(ERROR_INVALID_PARAMETER);
    return ok;
}

BOOL WINAPI WriteConsoleA(HANDLE h, CONST VOID *buf, DWORD len, LPDWORD written, LPVOID reserved)
{
    (void)reserved;
    struct std_handle *s = console_output(h);
    if (s == NULL)
        return FALSE;
    size_t done;
    return write_and_release(s, buf, len, written, &done);
}

/* The terminal takes UTF-8; *written counts the WCHARs whose bytes all went. */
BOOL WINAPI WriteConsoleW(HANDLE h, CONST VOID *buf, DWORD len, LPDWORD written, LPVOID reserved)
{
    (void)reserved;
    if (written != NULL)
        *written = 0;
    struct std_handle *s = console_output(h);
    if (s == NULL)
        return FALSE;
    if (buf == NULL && len > 0) {
        object_release(&s->obj);
        error_set(ERROR_NOACCESS);
        return FALSE;
    }
    const WCHAR *w = buf;
    unsigned char *text = malloc((size_t)len * 4 + 1);
    size_t *ends = malloc(((size_t)len + 1) * sizeof *ends);
    if (text == NULL || ends == NULL) {
        free(text);
        free(ends);
        object_release(&s->obj);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    size_t n = 0;
    for (DWORD i = 0; i < len; i++) {
        uint32_t cp = (uint32_t)w[i];
        n += utf8_encode(cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF) ? cp : 0xFFFD, text + n);
        ends[i] = n;
    }
    size_t done;
    BOOL ok = write_and_release(s, text, (DWORD)n, NULL, &done);
    if (written != NULL) {
        DWORD chars = 0;
        while (chars < len && ends[chars] <= done)
            chars++;
        *written = chars;
    }
    free(text);
    free(ends);
    return ok;
}

/* Windows' colour bits are blue, green, red; the terminal's red, green, blue. */
static int terminal_colour(WORD bgr) { return (bgr & 4 ? 1 : 0) | (bgr & 2) | (bgr & 1 ? 4 : 0); }

BOOL WINAPI SetConsoleTextAttribute(HANDLE h, WORD attributes)
{
    struct std_handle *s = console_output(h);
    if (s == NULL)
        return FALSE;
    /* Grey on black, the console's default, is the terminal's default. */
    char seq[32];
    int n = snprintf(seq, sizeof seq, "\033[0");
    WORD fg = attributes & 0x0F, bg = (attributes >> 4) & 0x0F;
    if (fg != (FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE))
        n += snprintf(seq + n, sizeof seq - (size_t)n, ";%d", (fg & 8 ? 90 : 30) + terminal_colour(fg));
    if (bg != 0)
        n += snprintf(seq + n, sizeof seq - (size_t)n, ";%d", (bg & 8 ? 100 : 40) + terminal_colour(bg));
    n += snprintf(seq + n, sizeof seq - (size_t)n, "m");
    size_t done;
    DWORD error = write_all(s->fd, seq, (size_t)n, &done);
    object_release(&s->obj);
    if (error != 0) {
        error_set(error);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI SetConsoleTitleA(LPCSTR title)
{
    (void)title;
    return TRUE;
}

BOOL WINAPI SetConsoleTitleW(LPCWSTR title)
{
    (void)title;
    return TRUE;
}

HWND WINAPI GetConsoleWindow(void) { return NULL; }
