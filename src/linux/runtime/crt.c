/*
 * The MSVC "secure" CRT functions glibc lacks. A constraint violation (null
 * pointer, destination too small) empties the destination where there is
 * one and then does what MSVC's default invalid-parameter handler does: end
 * the process on the spot. Code written against these functions relies on
 * that instead of checking for overflow, so carrying on would be worse.
 */
#include <windows.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crt_internal.h"


void crt_invalid_parameter(const char *function, const char *what)
{
    fprintf(stderr, "iocpcompat: %s: %s; ending the process as MSVC's CRT does\n", function, what);
    fflush(stderr);
    abort();
}

int printf_s(const char *format, ...)
{
    if (format == NULL)
        crt_invalid_parameter("printf_s", "format is NULL");
    va_list ap;
    va_start(ap, format);
    int n = vprintf(format, ap);
    va_end(ap);
    return n;
}

int fprintf_s(FILE *stream, const char *format, ...)
{
    if (stream == NULL || format == NULL)
        crt_invalid_parameter("fprintf_s", "stream or format is NULL");
    va_list ap;
    va_start(ap, format);
    int n = vfprintf(stream, format, ap);
    va_end(ap);
    return n;
}

int vsprintf_s(char *buffer, size_t size, const char *format, va_list ap)
{
    if (buffer == NULL || size == 0 || format == NULL)
        crt_invalid_parameter("sprintf_s", "buffer or format is NULL, or the size is 0");
    int n = vsnprintf(buffer, size, format, ap);
    if (n < 0 || (size_t)n >= size) {
        buffer[0] = '\0';
        crt_invalid_parameter("sprintf_s", "the buffer is too small");
    }
    return n;
}

int sprintf_s(char *buffer, size_t size, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsprintf_s(buffer, size, format, ap);
    va_end(ap);
    return n;
}

int _vsnprintf(char *buffer, size_t count, const char *format, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(buffer, count, format, ap);
    if (n < 0 || (size_t)n < count) {
        va_end(again);
        return n;
    }
    /* MSVC fills all count characters without a terminator: format in full
     * elsewhere and copy the first count. */
    char *full = malloc((size_t)n + 1);
    if (full != NULL) {
        vsnprintf(full, (size_t)n + 1, format, again);
        memcpy(buffer, full, count);
        free(full);
    }
    va_end(again);
    return (size_t)n == count ? n : -1;
}

int _snprintf(char *buffer, size_t count, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vsnprintf(buffer, count, format, ap);
    va_end(ap);
    return n;
}

int _vsnprintf_s(char *buffer, size_t size, size_t count, const char *format, va_list ap)
{
    if (buffer == NULL || size == 0 || format == NULL)
        crt_invalid_parameter("_snprintf_s", "buffer or format is NULL, or the size is 0");
    /* At most count characters (or all that fit, for _TRUNCATE); cutting
     * there is not an error, overflowing the buffer is. */
    bool may_truncate = count == _TRUNCATE || count < size;
    size_t limit = count == _TRUNCATE || count >= size ? size - 1 : count;
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, format, ap);
    if (n < 0) {
        va_end(again);
        buffer[0] = '\0';
        return -1;
    }
    if ((size_t)n > limit && !may_truncate) {
        va_end(again);
        buffer[0] = '\0';
        crt_invalid_parameter("_snprintf_s", "the buffer is too small");
    }
    if ((size_t)n <= limit) {
        vsnprintf(buffer, limit + 1, format, again);
        va_end(again);
        return n;
    }
    char *full = malloc((size_t)n + 1);
    if (full == NULL) {
        va_end(again);
        buffer[0] = '\0';
        return -1;
    }
    vsnprintf(full, (size_t)n + 1, format, again);
    va_end(again);
    memcpy(buffer, full, limit);
    buffer[limit] = '\0';
    free(full);
    return -1;
}

int _snprintf_s(char *buffer, size_t size, size_t count, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vsnprintf_s(buffer, size, count, format, ap);
    va_end(ap);
    return n;
}

errno_t strcpy_s(char *dest, size_t size, const char *src)
{
    if (dest == NULL || size == 0)
        crt_invalid_parameter("strcpy_s", "the destination is NULL or its size 0");
    if (src == NULL) {
        dest[0] = '\0';
        crt_invalid_parameter("strcpy_s", "the source is NULL");
    }
    size_t len = strnlen(src, size);
    if (len >= size) {
        dest[0] = '\0';
        crt_invalid_parameter("strcpy_s", "the destination is too small");
    }
    memcpy(dest, src, len + 1);
    return 0;
}

errno_t strncpy_s(char *dest, size_t size, const char *src, size_t count)
{
    if (count == 0 && dest == NULL && size == 0)
        return 0;
    if (dest == NULL || size == 0)
        crt_invalid_parameter("strncpy_s", "the destination is NULL or its size 0");
    if (count == 0) {
        dest[0] = '\0';
        return 0;
    }
    if (src == NULL) {
        dest[0] = '\0';
        crt_invalid_parameter("strncpy_s", "the source is NULL");
    }
    if (count == _TRUNCATE) {
        size_t len = strnlen(src, size);
        if (len >= size) {
            memcpy(dest, src, size - 1);
            dest[size - 1] = '\0';
            return STRUNCATE;
        }
        memcpy(dest, src, len + 1);
        return 0;
    }
    size_t len = strnlen(src, count);
    if (len >= size) {
        dest[0] = '\0';
        crt_invalid_parameter("strncpy_s", "the destination is too small");
    }
    memcpy(dest, src, len);
    dest[len] = '\0';
    return 0;
}

errno_t strcat_s(char *dest, size_t size, const char *src)
{
    if (dest == NULL || size == 0)
        crt_invalid_parameter("strcat_s", "the destination is NULL or its size 0");
    if (src == NULL) {
        dest[0] = '\0';
        crt_invalid_parameter("strcat_s", "the source is NULL");
    }
    size_t have = strnlen(dest, size);
    if (have == size) {
        dest[0] = '\0';
        crt_invalid_parameter("strcat_s", "the destination is not terminated within its size");
    }
    size_t add = strnlen(src, size - have);
    if (add >= size - have) {
        dest[0] = '\0';
        crt_invalid_parameter("strcat_s", "the destination is too small");
    }
    memcpy(dest + have, src, add + 1);
    return 0;
}

errno_t memcpy_s(void *dest, size_t size, const void *src, size_t count)
{
    if (count == 0)
        return 0;
    if (dest == NULL)
        crt_invalid_parameter("memcpy_s", "the destination is NULL");
    if (src == NULL || size < count) {
        memset(dest, 0, size);
        crt_invalid_parameter("memcpy_s", src == NULL ? "the source is NULL" : "the destination is too small");
    }
    memcpy(dest, src, count);
    return 0;
}

errno_t memmove_s(void *dest, size_t size, const void *src, size_t count)
{
    if (count == 0)
        return 0;
    if (dest == NULL || src == NULL)
        crt_invalid_parameter("memmove_s", "the source or destination is NULL");
    if (size < count)
        crt_invalid_parameter("memmove_s", "the destination is too small");
    memmove(dest, src, count);
    return 0;
}

errno_t _itoa_s(int value, char *buffer, size_t size, int radix)
{
    if (buffer == NULL || size == 0)
        crt_invalid_parameter("_itoa_s", "the buffer is NULL or its size 0");
    if (radix < 2 || radix > 36) {
        buffer[0] = '\0';
        crt_invalid_parameter("_itoa_s", "the radix is not between 2 and 36");
    }
    /* Only base 10 has a sign; other bases show the two's complement. */
    bool negative = radix == 10 && value < 0;
    unsigned v = negative ? 0u - (unsigned)value : (unsigned)value;
    char digits[40];
    size_t n = 0;
    do {
        unsigned d = v % (unsigned)radix;
        digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= (unsigned)radix;
    } while (v != 0);
    if (negative)
        digits[n++] = '-';
    if (n + 1 > size) {
        buffer[0] = '\0';
        crt_invalid_parameter("_itoa_s", "the buffer is too small");
    }
    for (size_t i = 0; i < n; i++)
        buffer[i] = digits[n - 1 - i];
    buffer[n] = '\0';
    return 0;
}
