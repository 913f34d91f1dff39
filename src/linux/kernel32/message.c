/*
 * FormatMessageA. The system message table holds a short English text for
 * each Win32 and Winsock code of <winerror.h> (our own wording), ending in
 * "\r\n" as Windows' texts do. The formatting follows Windows: %n, %r, %t,
 * %0, %%, %1..%99 with an optional !printf-format!, the low byte of the
 * flags as line width (0xFF: line breaks of the text become spaces).
 */
#include "error.h"
#include "unicode.h"

#include <windows.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct message {
    DWORD code;
    const char *text;
};

static const struct message system_messages[] = {
    {ERROR_SUCCESS,                 "The operation succeeded."},
    {ERROR_INVALID_FUNCTION,        "The function is not valid here."},
    {ERROR_FILE_NOT_FOUND,          "The file does not exist."},
    {ERROR_ACCESS_DENIED,           "Access was denied."},
    {ERROR_INVALID_HANDLE,          "The handle is not valid."},
    {ERROR_NOT_ENOUGH_MEMORY,       "There is not enough memory to carry out the request."},
    {ERROR_OUTOFMEMORY,             "Out of memory: the operation could not be completed."},
    {ERROR_WRITE_FAULT,             "The device could not be written to."},
    {ERROR_NOT_SUPPORTED,           "The request is not supported."},
    {ERROR_NETNAME_DELETED,         "The network connection was lost."},
    {ERROR_INVALID_PARAMETER,       "A parameter is not valid."},
    {ERROR_DISK_FULL,               "There is no space left on the disk."},
    {ERROR_SEM_TIMEOUT,             "The operation timed out."},
    {ERROR_INSUFFICIENT_BUFFER,     "The buffer passed is too small."},
    {ERROR_MOD_NOT_FOUND,           "The module was not found."},
    {ERROR_ALREADY_EXISTS,          "The object already exists."},
    {ERROR_NO_DATA,                 "The pipe is being closed: nobody reads from it."},
    {ERROR_BUFFER_OVERFLOW,         "The file name is too long."},
    {ERROR_MORE_DATA,               "More data is available."},
    {WAIT_TIMEOUT,                  "The wait timed out."},
    {ERROR_NOT_OWNER,               "The caller does not own the object it tried to release."},
    {ERROR_TOO_MANY_POSTS,          "The object cannot be signalled any further."},
    {ERROR_MR_MID_NOT_FOUND,        "No message exists for number 0x%1 in the message file %2."},
    {ERROR_INVALID_ADDRESS,         "The address is not valid for this operation."},
    {ERROR_ABANDONED_WAIT_0,        "The wait ended because the object was abandoned."},
    {ERROR_OPERATION_ABORTED,       "The I/O operation was aborted by a thread exit or by a cancel request."},
    {ERROR_IO_INCOMPLETE,           "The overlapped I/O operation has not completed yet."},
    {ERROR_IO_PENDING,              "The overlapped I/O operation is under way."},
    {ERROR_NOACCESS,                "The memory at the address given cannot be accessed."},
    {ERROR_NOT_FOUND,               "The element was not found."},
    {ERROR_CONNECTION_REFUSED,      "The remote computer refused the connection."},
    {ERROR_GRACEFUL_DISCONNECT,     "The connection was closed gracefully."},
    {ERROR_CONNECTION_INVALID,      "There is no connection to act on."},
    {ERROR_NETWORK_UNREACHABLE,     "The network cannot be reached."},
    {ERROR_HOST_UNREACHABLE,        "The remote host cannot be reached."},
    {ERROR_PORT_UNREACHABLE,        "No service listens on the remote port."},
    {ERROR_CONNECTION_ABORTED,      "The local system aborted the connection."},
    {ERROR_TIMEOUT,                 "The operation ran out of time."},
    {ERROR_RESOURCE_TYPE_NOT_FOUND, "The module has no resource of that type."},
    {ERROR_RESOURCE_LANG_NOT_FOUND, "The resource is not available in the language asked for."},

    {WSAEINTR,                      "A blocking call was interrupted."},
    {WSAEBADF,                      "The file handle is not valid."},
    {WSAEACCES,                     "Access to the socket was denied."},
    {WSAEFAULT,                     "A pointer argument does not point to valid memory."},
    {WSAEINVAL,                     "An argument is not valid."},
    {WSAEMFILE,                     "Too many sockets are open."},
    {WSAEWOULDBLOCK,                "The non-blocking operation cannot complete at once."},
    {WSAEINPROGRESS,                "A blocking operation is already in progress."},
    {WSAEALREADY,                   "The operation is already in progress on this non-blocking socket."},
    {WSAENOTSOCK,                   "The handle is not a socket."},
    {WSAEDESTADDRREQ,               "The operation needs a destination address."},
    {WSAEMSGSIZE,                   "The message does not fit in the buffer or exceeds the limit."},
    {WSAEPROTOTYPE,                 "The protocol does not suit this socket type."},
    {WSAENOPROTOOPT,                "The option or level is unknown or not supported."},
    {WSAEPROTONOSUPPORT,            "The protocol is not supported."},
    {WSAESOCKTNOSUPPORT,            "The socket type is not supported in this address family."},
    {WSAEOPNOTSUPP,                 "The operation is not supported on this socket."},
    {WSAEPFNOSUPPORT,               "The protocol family is not supported."},
    {WSAEAFNOSUPPORT,               "The address family is not supported by the protocol."},
    {WSAEADDRINUSE,                 "The address is already in use."},
    {WSAEADDRNOTAVAIL,              "The address is not available on this computer."},
    {WSAENETDOWN,                   "The network is down."},
    {WSAENETUNREACH,                "The network cannot be reached."},
    {WSAENETRESET,                  "The connection was reset by the network."},
    {WSAECONNABORTED,               "The local system aborted the connection."},
    {WSAECONNRESET,                 "The remote host reset the connection."},
    {WSAENOBUFS,                    "No buffer space is left for the operation."},
    {WSAEISCONN,                    "The socket is already connected."},
    {WSAENOTCONN,                   "The socket is not connected."},
    {WSAESHUTDOWN,                  "The socket was shut down in that direction."},
    {WSAETOOMANYREFS,               "There are too many references to a kernel object."},
    {WSAETIMEDOUT,                  "The connection timed out: the remote host did not respond."},
    {WSAECONNREFUSED,               "The remote host refused the connection."},
    {WSAELOOP,                      "The name cannot be translated."},
    {WSAENAMETOOLONG,               "The name is too long."},
    {WSAEHOSTDOWN,                  "The remote host is down."},
    {WSAEHOSTUNREACH,               "There is no route to the remote host."},
    {WSASYSNOTREADY,                "The network subsystem is not ready."},
    {WSAVERNOTSUPPORTED,            "The Winsock version asked for is not supported."},
    {WSANOTINITIALISED,             "WSAStartup has not been called successfully."},
    {WSAEDISCON,                    "The remote side is closing the connection gracefully."},
    {WSAHOST_NOT_FOUND,             "The host is not known."},
    {WSATRY_AGAIN,                  "The host name lookup failed for now; try again later."},
    {WSANO_RECOVERY,                "The name lookup failed with an error that does not go away."},
    {WSANO_DATA,                    "The name is known but has no data of the type asked for."},
};

static const char *system_text(DWORD code)
{
    for (size_t i = 0; i < sizeof system_messages / sizeof system_messages[0]; i++)
        if (system_messages[i].code == code)
            return system_messages[i].text;
    return NULL;
}

/* A growing output string. */
struct out {
    char *data;
    size_t len, cap;
    bool failed;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 128;
        while (o->len + n + 1 > cap)
            cap *= 2;
        char *grown = realloc(o->data, cap);
        if (grown == NULL) {
            o->failed = true;
            return;
        }
        o->data = grown;
        o->cap = cap;
    }
    memcpy(o->data + o->len, s, n);
    o->len += n;
    o->data[o->len] = '\0';
}

static void put_str(struct out *o, const char *s) { put(o, s, strlen(s)); }

/* The arguments of the inserts, fetched once in order as Windows does
 * (every argument takes one pointer-sized slot on Win64). */
struct args {
    bool array;
    const DWORD_PTR *values;
    va_list *list;
    DWORD_PTR cache[100];
    int fetched;
    bool wide;   /* FormatMessageW: %s is a WCHAR string, %hs and %S a char one */
};

static DWORD_PTR arg(struct args *a, int index)
{
    if (a->array)
        return a->values[index - 1];
    while (a->fetched < index)
        a->cache[++a->fetched] = va_arg(*a->list, DWORD_PTR);
    return a->cache[index];
}

/* One %N!fmt! insert, fmt being a printf conversion (default "s"). */
static void put_insert(struct out *o, struct args *a, int index, const char *fmt, size_t fmt_len)
{
    char spec[40], buf[128];
    char conv = fmt_len ? fmt[fmt_len - 1] : 's';
    if (fmt_len == 0 || fmt_len + 2 > sizeof spec)
        fmt = "s", fmt_len = 1;
    spec[0] = '%';
    memcpy(spec + 1, fmt, fmt_len);
    spec[fmt_len + 1] = '\0';
    /* MSVC's I64 and I32 size prefixes mean ll and nothing here. */
    char *i64 = strstr(spec, "I64");
    if (i64 != NULL)
        memcpy(i64, "ll", 2), memmove(i64 + 2, i64 + 3, strlen(i64 + 3) + 1);
    char *i32 = strstr(spec, "I32");
    if (i32 != NULL)
        memmove(i32, i32 + 3, strlen(i32 + 3) + 1);
    DWORD_PTR v = arg(a, index);
    bool wide = strstr(spec, "ll") != NULL || strchr(spec, 'l') != NULL || strchr(spec, 'z') != NULL;
    switch (conv) {
    case 's': case 'S': {
        /* Which width a string argument has: MSVC's rule, the function's own
         * width for %s, the other one for %S, h and l forcing char and WCHAR. */
        bool wide_string = strchr(spec, 'h') != NULL ? false : wide ? true : (conv == 'S') != a->wide;
        char *text = NULL;
        const char *s = (const char *)v;
        if (wide_string && v != 0) {
            text = utf8_from_wide((const wchar_t *)v);
            if (text == NULL) {
                o->failed = true;
                return;
            }
            s = text;
        }
        /* The text is UTF-8 now: only the precision and width stay. */
        size_t keep = 1;
        while (keep < strlen(spec) && strchr("-+ #0123456789.*", spec[keep]) != NULL)
            keep++;
        spec[keep] = 's', spec[keep + 1] = '\0';
        int n = snprintf(NULL, 0, spec, s ? s : "(null)");
        char *tmp = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (tmp == NULL) {
            free(text);
            o->failed = true;
            return;
        }
        snprintf(tmp, (size_t)n + 1, spec, s ? s : "(null)");
        put(o, tmp, (size_t)n);
        free(tmp);
        free(text);
        return;
    }
    case 'c':
        snprintf(buf, sizeof buf, spec, (int)v);
        break;
    case 'p':
        snprintf(buf, sizeof buf, spec, (void *)v);
        break;
    case 'd': case 'i':
        if (wide)
            snprintf(buf, sizeof buf, spec, (long long)v);
        else
            snprintf(buf, sizeof buf, spec, (int)v);
        break;
    case 'u': case 'x': case 'X': case 'o':
        if (wide)
            snprintf(buf, sizeof buf, spec, (unsigned long long)v);
        else
            snprintf(buf, sizeof buf, spec, (unsigned)v);
        break;
    default:   /* floating point and the rest are not offered by Windows either */
        snprintf(buf, sizeof buf, "%s", "");
        break;
    }
    put_str(o, buf);
}

/* Expands the message text; returns false (with the error set) on a bad
 * insert. A "\r\n" of the text itself is a soft line break: kept, or turned
 * into a space when a width is given; %n is a hard one and always kept. */
static bool expand(struct out *o, const char *text, DWORD flags, struct args *a)
{
    bool ignore = (flags & FORMAT_MESSAGE_IGNORE_INSERTS) != 0;
    bool soft_as_space = (flags & FORMAT_MESSAGE_MAX_WIDTH_MASK) != 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\r' || *p == '\n') {
            if (*p == '\r' && p[1] == '\n')
                p++;
            put_str(o, soft_as_space ? " " : "\r\n");
            continue;
        }
        if (*p != '%' || p[1] == '\0') {
            put(o, p, 1);
            continue;
        }
        char c = *++p;
        if (c == 'n') {
            put_str(o, "\r\n");
        } else if (ignore) {
            put(o, p - 1, 2);   /* the rest passes through unchanged */
        } else if (c == '0') {
            break;
        } else if (c == 'r') {
            put_str(o, "\r");
        } else if (c == 't') {
            put_str(o, "\t");
        } else if (c >= '1' && c <= '9') {
            int index = c - '0';
            if (p[1] >= '0' && p[1] <= '9')
                index = index * 10 + (*++p - '0');
            const char *fmt = "";
            size_t fmt_len = 0;
            if (p[1] == '!') {
                const char *end = strchr(p + 2, '!');
                if (end != NULL) {
                    fmt = p + 2;
                    fmt_len = (size_t)(end - fmt);
                    p = end;
                }
            }
            if (a->values == NULL && a->list == NULL) {
                error_set(ERROR_INVALID_PARAMETER);
                return false;
            }
            put_insert(o, a, index, fmt, fmt_len);
        } else {
            put(o, p, 1);   /* %% %. %! and "% " give the character itself */
        }
    }
    return true;
}

/* Breaks lines longer than width, at the last space when there is one. */
static void wrap(struct out *o, unsigned width)
{
    struct out w = {0};
    size_t line_start = 0;
    for (size_t i = 0; i < o->len; i++) {
        if (o->data[i] == '\n') {
            put(&w, o->data + line_start, i + 1 - line_start);
            line_start = i + 1;
            continue;
        }
        if (i + 1 - line_start > width && o->data[i] != ' ') {
            size_t cut = i, resume = i;
            for (size_t j = i; j > line_start; j--) {
                if (o->data[j - 1] == ' ') {
                    cut = j - 1;
                    resume = j;
                    break;
                }
            }
            put(&w, o->data + line_start, cut - line_start);
            put_str(&w, "\r\n");
            line_start = resume;
        }
    }
    /* A space at a break is dropped, like the one at the end of a line. */
    put(&w, o->data + line_start, o->len - line_start);
    free(o->data);
    *o = w;
}

/* The message, expanded and wrapped, in UTF-8 (o->data, o->len); false with
 * the error set when there is none. `text` is the UTF-8 of FROM_STRING's
 * source; `wide` says whose inserts these are. */
static bool format_message(DWORD flags, const char *text, DWORD id, DWORD language, va_list *arguments,
                           bool wide, struct out *o)
{
    if (flags & FORMAT_MESSAGE_FROM_STRING) {
        if (text == NULL || (flags & (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_FROM_HMODULE))) {
            error_set(ERROR_INVALID_PARAMETER);
            return false;
        }
    } else if (flags & (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_FROM_HMODULE)) {
        /* Only the system table exists: a module holds no message table. */
        if ((flags & FORMAT_MESSAGE_FROM_HMODULE) && !(flags & FORMAT_MESSAGE_FROM_SYSTEM)) {
            error_set(ERROR_RESOURCE_TYPE_NOT_FOUND);
            return false;
        }
        WORD primary = PRIMARYLANGID(language);
        if (language != 0 && primary != LANG_NEUTRAL && primary != LANG_ENGLISH) {
            error_set(ERROR_RESOURCE_LANG_NOT_FOUND);
            return false;
        }
        text = system_text(id);
        if (text == NULL) {
            error_set(ERROR_MR_MID_NOT_FOUND);
            return false;
        }
    } else {
        error_set(ERROR_INVALID_PARAMETER);
        return false;
    }

    struct args a;
    memset(&a, 0, sizeof a);
    a.wide = wide;
    if (!(flags & FORMAT_MESSAGE_IGNORE_INSERTS) && arguments != NULL) {
        a.array = (flags & FORMAT_MESSAGE_ARGUMENT_ARRAY) != 0;
        if (a.array)
            a.values = (const DWORD_PTR *)(const void *)arguments;
        else
            a.list = arguments;
    }
    if (!expand(o, text, flags, &a)) {
        free(o->data);
        return false;
    }
    /* System texts end in a line break, which is a soft one. */
    if (flags & FORMAT_MESSAGE_FROM_SYSTEM && !(flags & FORMAT_MESSAGE_MAX_WIDTH_MASK))
        put_str(o, "\r\n");
    else if (flags & FORMAT_MESSAGE_FROM_SYSTEM)
        put_str(o, " ");
    unsigned width = flags & FORMAT_MESSAGE_MAX_WIDTH_MASK;
    if (width != 0 && width != FORMAT_MESSAGE_MAX_WIDTH_MASK && !o->failed)
        wrap(o, width);
    if (o->data == NULL)
        put(o, "", 0);
    if (o->failed) {
        free(o->data);
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return false;
    }
    return true;
}

/* Hands the result over as FormatMessage does: into the caller's buffer of
 * `size` characters, or into a LocalAlloc'd one of at least `size`. */
static DWORD deliver(DWORD flags, void *buffer, DWORD size, const void *result, size_t len, size_t unit)
{
    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        size_t alloc = len + 1 > size ? len + 1 : size;
        void *copy = LocalAlloc(LMEM_FIXED, alloc * unit);
        if (copy == NULL)
            return 0;
        memcpy(copy, result, (len + 1) * unit);
        *(void **)buffer = copy;
    } else {
        if (buffer == NULL || len + 1 > size) {
            error_set(ERROR_INSUFFICIENT_BUFFER);
            return 0;
        }
        memcpy(buffer, result, (len + 1) * unit);
    }
    return (DWORD)len;
}

static bool allocate_buffer_ok(DWORD flags, void *buffer)
{
    if (!(flags & FORMAT_MESSAGE_ALLOCATE_BUFFER))
        return true;
    if (buffer == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return false;
    }
    *(void **)buffer = NULL;
    return true;
}

DWORD WINAPI FormatMessageA(DWORD flags, LPCVOID source, DWORD id, DWORD language, LPSTR buffer,
                            DWORD size, va_list *arguments)
{
    if (!allocate_buffer_ok(flags, buffer))
        return 0;
    struct out o = {0};
    if (!format_message(flags, (const char *)source, id, language, arguments, false, &o))
        return 0;
    DWORD n = deliver(flags, buffer, size, o.data, o.len, 1);
    free(o.data);
    return n;
}

/* The same message in WCHARs: the source and the inserts are converted, and
 * nSize and the result count WCHARs. */
DWORD WINAPI FormatMessageW(DWORD flags, LPCVOID source, DWORD id, DWORD language, LPWSTR buffer,
                            DWORD size, va_list *arguments)
{
    if (!allocate_buffer_ok(flags, buffer))
        return 0;
    char *text = NULL;
    if ((flags & FORMAT_MESSAGE_FROM_STRING) && source != NULL) {
        text = utf8_from_wide((const wchar_t *)source);
        if (text == NULL) {
            error_set(ERROR_NOT_ENOUGH_MEMORY);
            return 0;
        }
    }
    struct out o = {0};
    bool ok = format_message(flags, text, id, language, arguments, true, &o);
    free(text);
    if (!ok)
        return 0;
    wchar_t *wide = wide_from_utf8(o.data);
    free(o.data);
    if (wide == NULL) {
        error_set(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD n = deliver(flags, buffer, size, wide, wcslen(wide), sizeof(WCHAR));
    free(wide);
    return n;
}
