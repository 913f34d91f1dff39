/* <strsafe.h>, WCHAR forms: as the char forms (strsafe.c), with the Cb sizes
 * in bytes turned into WCHARs (4 bytes each here), and the formats read
 * with MSVC's meaning of %s (iocpcompat_wide_crt.h). */
#include <windows.h>
#include <strsafe.h>

#include <stdbool.h>
#include <wchar.h>

static bool size_ok(STRSAFE_LPWSTR dest, size_t size)
{
    if (size == 0)
        return false;
    if (size > STRSAFE_MAX_CCH) {
        if (dest != NULL)
            dest[0] = 0;
        return false;
    }
    return dest != NULL;
}

static HRESULT copy_n(STRSAFE_LPWSTR dest, size_t size, STRSAFE_LPCWSTR src, size_t max)
{
    if (src == NULL)
        src = L"";
    size_t len = wcsnlen(src, max < size ? max : size);
    if (len >= size) {
        wmemcpy(dest, src, size - 1);
        dest[size - 1] = 0;
        return STRSAFE_E_INSUFFICIENT_BUFFER;
    }
    wmemcpy(dest, src, len);
    dest[len] = 0;
    return S_OK;
}

HRESULT StringCchCopyW(STRSAFE_LPWSTR dest, size_t size, STRSAFE_LPCWSTR src)
{
    if (!size_ok(dest, size))
        return STRSAFE_E_INVALID_PARAMETER;
    return copy_n(dest, size, src, STRSAFE_MAX_CCH);
}

HRESULT StringCbCopyW(STRSAFE_LPWSTR dest, size_t size, STRSAFE_LPCWSTR src)
{
    return StringCchCopyW(dest, size / sizeof(WCHAR), src);
}

HRESULT StringCchCopyNW(STRSAFE_LPWSTR dest, size_t size, STRSAFE_LPCWSTR src, size_t count)
{
    if (!size_ok(dest, size))
        return STRSAFE_E_INVALID_PARAMETER;
    if (count > STRSAFE_MAX_CCH) {
        dest[0] = 0;
        return STRSAFE_E_INVALID_PARAMETER;
    }
    return copy_n(dest, size, src, count);
}

HRESULT StringCbCopyNW(STRSAFE_LPWSTR dest, size_t size, STRSAFE_LPCWSTR src, size_t count)
{
    return StringCchCopyNW(dest, size / sizeof(WCHAR), src, count / sizeof(WCHAR));
}

HRESULT StringCchCatW(STRSAFE_LPWSTR dest, size_t size, STRSAFE_LPCWSTR src)
{
    if (!size_ok(dest, size))
        return STRSAFE_E_INVALID_PARAMETER;
    size_t have = wcsnlen(dest, size);
    if (have == size)
        return STRSAFE_E_INVALID_PARAMETER;
    return copy_n(dest + have, size - have, src, STRSAFE_MAX_CCH);
}

HRESULT StringCbCatW(STRSAFE_LPWSTR dest, size_t size, STRSAFE_LPCWSTR src)
{
    return StringCchCatW(dest, size / sizeof(WCHAR), src);
}

HRESULT StringCchVPrintfW(STRSAFE_LPWSTR dest, size_t size, STRSAFE_LPCWSTR format, va_list ap)
{
    if (!size_ok(dest, size))
        return STRSAFE_E_INVALID_PARAMETER;
    if (format == NULL) {
        dest[0] = 0;
        return STRSAFE_E_INVALID_PARAMETER;
    }
    /* What fits is written and terminated either way. */
    return iocpcompat_vswprintf(dest, size, format, ap) < 0 ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;
}

HRESULT StringCchPrintfW(STRSAFE_LPWSTR dest, size_t size, STRSAFE_LPCWSTR format, ...)
{
    va_list ap;
    va_start(ap, format);
    HRESULT hr = StringCchVPrintfW(dest, size, format, ap);
    va_end(ap);
    return hr;
}

HRESULT StringCbPrintfW(STRSAFE_LPWSTR dest, size_t size, STRSAFE_LPCWSTR format, ...)
{
    va_list ap;
    va_start(ap, format);
    HRESULT hr = StringCchVPrintfW(dest, size / sizeof(WCHAR), format, ap);
    va_end(ap);
    return hr;
}

HRESULT StringCchLengthW(STRSAFE_LPCWSTR s, size_t max, size_t *length)
{
    size_t len = 0;
    HRESULT hr = S_OK;
    if (s == NULL || max == 0 || max > STRSAFE_MAX_CCH) {
        hr = STRSAFE_E_INVALID_PARAMETER;
    } else {
        len = wcsnlen(s, max);
        if (len == max) {
            len = 0;
            hr = STRSAFE_E_INVALID_PARAMETER;
        }
    }
    if (length != NULL)
        *length = len;
    return hr;
}

HRESULT StringCbLengthW(STRSAFE_LPCWSTR s, size_t max, size_t *length)
{
    size_t chars = 0;
    HRESULT hr = StringCchLengthW(s, max / sizeof(WCHAR), &chars);
    if (length != NULL)
        *length = chars * sizeof(WCHAR);
    return hr;
}
