/*
 * The wide printf family with MSVC's meaning (iocpcompat_wide_crt.h): the
 * format is rewritten into ISO C's, formatted by the C library in a UTF-8
 * locale (so that a char string argument may hold any UTF-8), and what
 * goes to a FILE goes as UTF-8 bytes, leaving the stream byte-oriented.
 */
#include <windows.h>

#include "crt_internal.h"
#include "unicode.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The rewritten format: at most two more characters per conversion. */
static wchar_t *iso_format(const wchar_t *f)
{
    size_t n = wcslen(f);
    wchar_t *out = malloc((2 * n + 1) * sizeof *out), *o = out;
    if (out == NULL)
        return NULL;
    while (*f != 0) {
        if (*f != L'%') {
            *o++ = *f++;
            continue;
        }
        *o++ = *f++;
        if (*f == L'%') {
            *o++ = *f++;
            continue;
        }
        while (*f != 0 && wcschr(L"-+ #0123456789.*", *f) != NULL)
            *o++ = *f++;
        /* The size: MSVC's h, l, w and I forms; ISO's others pass. */
        enum { NONE, SHORT, LONG } size = NONE;
        if (*f == L'h' && f[1] != L'h') {
            size = SHORT, f++;
        } else if (*f == L'w' || (*f == L'l' && f[1] != L'l')) {
            size = LONG, f++;
        } else if (*f == L'I' && f[1] == L'6' && f[2] == L'4') {
            *o++ = L'l', *o++ = L'l', f += 3;
        } else if (*f == L'I' && f[1] == L'3' && f[2] == L'2') {
            f += 3;
        } else if (*f == L'I') {
            *o++ = L'z', f++;
        } else {
            while (*f != 0 && wcschr(L"hlLjzt", *f) != NULL)
                *o++ = *f++;
        }
        wchar_t conv = *f;
        if (conv == 0)
            break;
        f++;
        bool text = conv == L's' || conv == L'c' || conv == L'S' || conv == L'C';
        if (text) {
            /* %s is the function's own width (WCHAR here), %S the other. */
            bool wide = size == LONG || (size == NONE && (conv == L's' || conv == L'c'));
            if (wide)
                *o++ = L'l';
            *o++ = conv == L'S' ? L's' : conv == L'C' ? L'c' : conv;
        } else {
            if (size == SHORT)
                *o++ = L'h';
            else if (size == LONG)
                *o++ = L'l';
            *o++ = conv;
        }
    }
    *o = 0;
    return out;
}

static locale_t utf8_locale;
static pthread_once_t utf8_locale_once = PTHREAD_ONCE_INIT;

static void make_utf8_locale(void)
{
    utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* Formats into a new buffer; returns the length, or -1 (errno set). */
static int format_new(wchar_t **result, const wchar_t *format, va_list ap)
{
    *result = NULL;
    if (format == NULL) {
        errno = EINVAL;
        return -1;
    }
    wchar_t *iso = iso_format(format);
    if (iso == NULL)
        return -1;
    pthread_once(&utf8_locale_once, make_utf8_locale);
    locale_t previous = utf8_locale != (locale_t)0 ? uselocale(utf8_locale) : (locale_t)0;
    /* vswprintf says only "did not fit": grow until it does. */
    size_t room = 256;
    int n = -1;
    for (;;) {
        wchar_t *buf = malloc(room * sizeof *buf);
        if (buf == NULL)
            break;
        va_list again;
        va_copy(again, ap);
        errno = 0;
        n = vswprintf(buf, room, iso, again);
        va_end(again);
        if (n >= 0) {
            *result = buf;
            break;
        }
        free(buf);
        /* A failure that is not the size (a bad character) stays one. */
        if (errno == EILSEQ || room > (size_t)INT32_MAX / sizeof(wchar_t) / 2)
            break;
        room *= 2;
    }
    if (previous != (locale_t)0)
        uselocale(previous);
    free(iso);
    return n;
}

static int write_wide(FILE *stream, const wchar_t *text, size_t len)
{
    char *utf8 = utf8_from_wide(text);
    if (utf8 == NULL)
        return -1;
    size_t bytes = strlen(utf8);
    size_t done = fwrite(utf8, 1, bytes, stream);
    free(utf8);
    return done == bytes ? (int)len : -1;
}

int iocpcompat_vfwprintf(FILE *stream, const wchar_t *format, va_list ap)
{
    wchar_t *text;
    int n = format_new(&text, format, ap);
    if (n < 0)
        return -1;
    int written = write_wide(stream, text, (size_t)n);
    free(text);
    return written;
}

int iocpcompat_fwprintf(FILE *stream, const wchar_t *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = iocpcompat_vfwprintf(stream, format, ap);
    va_end(ap);
    return n;
}

int iocpcompat_vwprintf(const wchar_t *format, va_list ap)
{
    return iocpcompat_vfwprintf(stdout, format, ap);
}

int iocpcompat_wprintf(const wchar_t *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = iocpcompat_vfwprintf(stdout, format, ap);
    va_end(ap);
    return n;
}

int wprintf_s(const wchar_t *format, ...)
{
    if (format == NULL)
        crt_invalid_parameter("wprintf_s", "format is NULL");
    va_list ap;
    va_start(ap, format);
    int n = iocpcompat_vfwprintf(stdout, format, ap);
    va_end(ap);
    return n;
}

int fwprintf_s(FILE *stream, const wchar_t *format, ...)
{
    if (stream == NULL || format == NULL)
        crt_invalid_parameter("fwprintf_s", "stream or format is NULL");
    va_list ap;
    va_start(ap, format);
    int n = iocpcompat_vfwprintf(stream, format, ap);
    va_end(ap);
    return n;
}

int _scwprintf(const wchar_t *format, ...)
{
    va_list ap;
    va_start(ap, format);
    wchar_t *text;
    int n = format_new(&text, format, ap);
    va_end(ap);
    free(text);
    return n;
}

/* ISO: the text and its terminator fit in count, or -1 (the part that fits
 * written and terminated). */
int iocpcompat_vswprintf(wchar_t *buffer, size_t count, const wchar_t *format, va_list ap)
{
    wchar_t *text;
    int n = format_new(&text, format, ap);
    if (n < 0) {
        if (count > 0)
            buffer[0] = 0;
        return -1;
    }
    if (count == 0) {
        free(text);
        return -1;
    }
    size_t copy = (size_t)n < count ? (size_t)n : count - 1;
    wmemcpy(buffer, text, copy);
    buffer[copy] = 0;
    free(text);
    return (size_t)n < count ? n : -1;
}

int iocpcompat_swprintf(wchar_t *buffer, size_t count, const wchar_t *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = iocpcompat_vswprintf(buffer, count, format, ap);
    va_end(ap);
    return n;
}

int vswprintf_s(wchar_t *buffer, size_t size, const wchar_t *format, va_list ap)
{
    if (buffer == NULL || size == 0 || format == NULL)
        crt_invalid_parameter("swprintf_s", "buffer or format is NULL, or the size is 0");
    wchar_t *text;
    int n = format_new(&text, format, ap);
    if (n < 0 || (size_t)n >= size) {
        free(text);
        buffer[0] = 0;
        if (n < 0)
            return -1;
        crt_invalid_parameter("swprintf_s", "the buffer is too small");
    }
    wmemcpy(buffer, text, (size_t)n + 1);
    free(text);
    return n;
}

int swprintf_s(wchar_t *buffer, size_t size, const wchar_t *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vswprintf_s(buffer, size, format, ap);
    va_end(ap);
    return n;
}

int _vswprintf(wchar_t *buffer, const wchar_t *format, va_list ap)
{
    wchar_t *text;
    int n = format_new(&text, format, ap);
    if (n >= 0)
        wmemcpy(buffer, text, (size_t)n + 1);
    free(text);
    return n;
}

int _swprintf(wchar_t *buffer, const wchar_t *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vswprintf(buffer, format, ap);
    va_end(ap);
    return n;
}

int _vsnwprintf(wchar_t *buffer, size_t count, const wchar_t *format, va_list ap)
{
    wchar_t *text;
    int n = format_new(&text, format, ap);
    if (n < 0)
        return -1;
    /* All of it with its terminator if that fits; else count characters
     * and no terminator. */
    if ((size_t)n < count) {
        wmemcpy(buffer, text, (size_t)n + 1);
    } else {
        wmemcpy(buffer, text, count);
        n = (size_t)n == count ? n : -1;
    }
    free(text);
    return n;
}

int _snwprintf(wchar_t *buffer, size_t count, const wchar_t *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vsnwprintf(buffer, count, format, ap);
    va_end(ap);
    return n;
}

int _vsnwprintf_s(wchar_t *buffer, size_t size, size_t count, const wchar_t *format, va_list ap)
{
    if (buffer == NULL || size == 0 || format == NULL)
        crt_invalid_parameter("_snwprintf_s", "buffer or format is NULL, or the size is 0");
    bool may_truncate = count == _TRUNCATE || count < size;
    size_t limit = count == _TRUNCATE || count >= size ? size - 1 : count;
    wchar_t *text;
    int n = format_new(&text, format, ap);
    if (n < 0) {
        buffer[0] = 0;
        return -1;
    }
    if ((size_t)n > limit && !may_truncate) {
        free(text);
        buffer[0] = 0;
        crt_invalid_parameter("_snwprintf_s", "the buffer is too small");
    }
    size_t copy = (size_t)n <= limit ? (size_t)n : limit;
    wmemcpy(buffer, text, copy);
    buffer[copy] = 0;
    free(text);
    return (size_t)n <= limit ? n : -1;
}

int _snwprintf_s(wchar_t *buffer, size_t size, size_t count, const wchar_t *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vsnwprintf_s(buffer, size, count, format, ap);
    va_end(ap);
    return n;
}

int iocpcompat_fputws(const wchar_t *text, FILE *stream)
{
    return write_wide(stream, text, wcslen(text)) < 0 ? -1 : 0;
}

wint_t iocpcompat_fputwc(wchar_t c, FILE *stream)
{
    wchar_t one[2] = {c, 0};
    return write_wide(stream, one, 1) < 0 ? WEOF : (wint_t)c;
}

wint_t iocpcompat_putwchar(wchar_t c)
{
    return iocpcompat_fputwc(c, stdout);
}

/* As puts: the text and a line break. */
int _putws(const wchar_t *text)
{
    if (iocpcompat_fputws(text, stdout) < 0 || fputc('\n', stdout) == EOF)
        return WEOF;
    return 0;
}
