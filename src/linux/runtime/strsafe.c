/* <strsafe.h>, char forms. Results that do not fit are truncated, always
 * terminated, and reported with STRSAFE_E_INSUFFICIENT_BUFFER. */
#include <windows.h>
#include <strsafe.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* A zero or oversized destination size is refused; an oversized one still
 * gets an empty string, as strsafe.h does. */
static bool size_ok(STRSAFE_LPSTR dest, size_t size)
{
    if (size == 0)
        return false;
    if (size > STRSAFE_MAX_CCH) {
        if (dest != NULL)
            dest[0] = '\0';
        return false;
    }
    return dest != NULL;
}

/* Copies at most max characters of src into dest (room for size - 1). */
static HRESULT copy_n(STRSAFE_LPSTR dest, size_t size, STRSAFE_LPCSTR src, size_t max)
{
    if (src == NULL)
        src = "";
    size_t len = strnlen(src, max < size ? max : size);
    if (len >= size) {
        memcpy(dest, src, size - 1);
        dest[size - 1] = '\0';
        return STRSAFE_E_INSUFFICIENT_BUFFER;
    }
    memcpy(dest, src, len);
    dest[len] = '\0';
    return S_OK;
}

HRESULT StringCchCopyA(STRSAFE_LPSTR dest, size_t size, STRSAFE_LPCSTR src)
{
    if (!size_ok(dest, size))
        return STRSAFE_E_INVALID_PARAMETER;
    return copy_n(dest, size, src, STRSAFE_MAX_CCH);
}

HRESULT StringCbCopyA(STRSAFE_LPSTR dest, size_t size, STRSAFE_LPCSTR src)
{
    return StringCchCopyA(dest, size, src);
}

HRESULT StringCchCopyNA(STRSAFE_LPSTR dest, size_t size, STRSAFE_LPCSTR src, size_t count)
{
    if (!size_ok(dest, size))
        return STRSAFE_E_INVALID_PARAMETER;
    if (count > STRSAFE_MAX_CCH) {
        dest[0] = '\0';
        return STRSAFE_E_INVALID_PARAMETER;
    }
    return copy_n(dest, size, src, count);
}

HRESULT StringCbCopyNA(STRSAFE_LPSTR dest, size_t size, STRSAFE_LPCSTR src, size_t count)
{
    return StringCchCopyNA(dest, size, src, count);
}

HRESULT StringCchCatA(STRSAFE_LPSTR dest, size_t size, STRSAFE_LPCSTR src)
{
    if (!size_ok(dest, size))
        return STRSAFE_E_INVALID_PARAMETER;
    size_t have = strnlen(dest, size);
    if (have == size)   /* not terminated within its size */
        return STRSAFE_E_INVALID_PARAMETER;
    return copy_n(dest + have, size - have, src, STRSAFE_MAX_CCH);
}

HRESULT StringCbCatA(STRSAFE_LPSTR dest, size_t size, STRSAFE_LPCSTR src)
{
    return StringCchCatA(dest, size, src);
}

HRESULT StringCchVPrintfA(STRSAFE_LPSTR dest, size_t size, STRSAFE_LPCSTR format, va_list ap)
{
    if (!size_ok(dest, size))
        return STRSAFE_E_INVALID_PARAMETER;
    if (format == NULL) {
        dest[0] = '\0';
        return STRSAFE_E_INVALID_PARAMETER;
    }
    int n = vsnprintf(dest, size, format, ap);
    if (n < 0) {
        dest[0] = '\0';
        return STRSAFE_E_INSUFFICIENT_BUFFER;
    }
    return (size_t)n >= size ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;
}

HRESULT StringCchPrintfA(STRSAFE_LPSTR dest, size_t size, STRSAFE_LPCSTR format, ...)
{
    va_list ap;
    va_start(ap, format);
    HRESULT hr = StringCchVPrintfA(dest, size, format, ap);
    va_end(ap);
    return hr;
}

HRESULT StringCbPrintfA(STRSAFE_LPSTR dest, size_t size, STRSAFE_LPCSTR format, ...)
{
    va_list ap;
    va_start(ap, format);
    HRESULT hr = StringCchVPrintfA(dest, size, format, ap);
    va_end(ap);
    return hr;
}

HRESULT StringCchLengthA(STRSAFE_LPCSTR s, size_t max, size_t *length)
{
    size_t len = 0;
    HRESULT hr = S_OK;
    if (s == NULL || max == 0 || max > STRSAFE_MAX_CCH) {
        hr = STRSAFE_E_INVALID_PARAMETER;
    } else {
        len = strnlen(s, max);
        if (len == max) {   /* longer than allowed */
            len = 0;
            hr = STRSAFE_E_INVALID_PARAMETER;
        }
    }
    if (length != NULL)
        *length = len;
    return hr;
}

HRESULT StringCbLengthA(STRSAFE_LPCSTR s, size_t max, size_t *length)
{
    return StringCchLengthA(s, max, length);
}
