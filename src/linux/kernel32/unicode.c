/*
 * MultiByteToWideChar and WideCharToMultiByte, and the UTF-8 <-> wchar_t
 * steps every W function takes (unicode.h). Every code page a server names
 * for its own text (CP_ACP, CP_OEMCP, CP_THREAD_ACP, CP_UTF8) is UTF-8
 * here; the others are refused with ERROR_INVALID_PARAMETER, as Windows
 * refuses a code page it has not installed.
 */
#include <windows.h>

#include "error.h"
#include "unicode.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT 0xFFFDu

size_t utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp)
{
    static const uint32_t min_of_length[] = {0, 0, 0x80, 0x800, 0x10000};
    size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 1) {
        *cp = s[0];
        return 1;
    }
    if (len == 0 || len > avail) {
        *cp = UTF8_INVALID;
        return 1;
    }
    uint32_t c = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = UTF8_INVALID;
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min_of_length[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = UTF8_INVALID;
        return 1;
    }
    *cp = c;
    return len;
}

size_t utf8_encode(uint32_t cp, unsigned char *out)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static bool is_scalar(uint32_t cp)
{
    return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

wchar_t *wide_from_utf8(const char *s)
{
    size_t n = strlen(s);
    wchar_t *w = malloc((n + 1) * sizeof *w), *o = w;
    if (w == NULL)
        return NULL;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        uint32_t cp;
        p += utf8_decode(p, (size_t)(end - p), &cp);
        *o++ = (wchar_t)(cp == UTF8_INVALID ? REPLACEMENT : cp);
    }
    *o = 0;
    return w;
}

char *utf8_from_wide(const wchar_t *w)
{
    size_t n = wcslen(w);
    char *s = malloc(4 * n + 1), *o = s;
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = (uint32_t)w[i];
        o += utf8_encode(is_scalar(cp) ? cp : REPLACEMENT, (unsigned char *)o);
    }
    *o = 0;
    return s;
}

static bool is_utf8_page(UINT page)
{
    return page == CP_ACP || page == CP_OEMCP || page == CP_THREAD_ACP || page == CP_UTF8;
}

int WINAPI MultiByteToWideChar(UINT page, DWORD flags, LPCCH in, int in_len, LPWSTR out, int out_len)
{
    if (in == NULL || in_len == 0 || in_len < -1 || out_len < 0 || (out_len > 0 && out == NULL) ||
        (out != NULL && (const void *)in == (const void *)out) || !is_utf8_page(page)) {
        error_set(ERROR_INVALID_PARAMETER);
        return 0;
    }
    /* CP_UTF8 takes no flag but MB_ERR_INVALID_CHARS; the system code pages
     * also take the composition flags, which change nothing for UTF-8. */
    DWORD allowed = MB_ERR_INVALID_CHARS;
    if (page != CP_UTF8)
        allowed |= MB_PRECOMPOSED | MB_COMPOSITE | MB_USEGLYPHCHARS;
    if ((flags & ~allowed) != 0) {
        error_set(ERROR_INVALID_FLAGS);
        return 0;
    }
    /* -1 counts the terminator too, as the caller's buffer must hold it. */
    size_t n = in_len == -1 ? strlen(in) + 1 : (size_t)in_len;
    const unsigned char *p = (const unsigned char *)in, *end = p + n;
    size_t written = 0;
    while (p < end) {
        uint32_t cp;
        p += utf8_decode(p, (size_t)(end - p), &cp);
        if (cp == UTF8_INVALID) {
            if (flags & MB_ERR_INVALID_CHARS) {
                error_set(ERROR_NO_UNICODE_TRANSLATION);
                return 0;
            }
            cp = REPLACEMENT;
        }
        if (out_len != 0) {
            if (written == (size_t)out_len) {
                error_set(ERROR_INSUFFICIENT_BUFFER);
                return 0;
            }
            out[written] = (WCHAR)cp;
        }
        written++;
    }
    return (int)written;
}

int WINAPI WideCharToMultiByte(UINT page, DWORD flags, LPCWCH in, int in_len, LPSTR out, int out_len,
                               LPCCH default_char, LPBOOL used_default)
{
    if (in == NULL || in_len == 0 || in_len < -1 || out_len < 0 || (out_len > 0 && out == NULL) ||
        (out != NULL && (const void *)in == (const void *)out) || !is_utf8_page(page)) {
        error_set(ERROR_INVALID_PARAMETER);
        return 0;
    }
    /* CP_UTF8 has no default character, and Windows refuses one being asked
     * for; the system code pages take one (for what is not a character). */
    if (page == CP_UTF8 && (default_char != NULL || used_default != NULL)) {
        error_set(ERROR_INVALID_PARAMETER);
        return 0;
    }
    DWORD allowed = page == CP_UTF8 ? WC_ERR_INVALID_CHARS
                  : WC_COMPOSITECHECK | WC_DISCARDNS | WC_SEPCHARS | WC_DEFAULTCHAR | WC_NO_BEST_FIT_CHARS;
    if ((flags & ~allowed) != 0) {
        error_set(ERROR_INVALID_FLAGS);
        return 0;
    }
    if (used_default != NULL)
        *used_default = FALSE;
    size_t n = in_len == -1 ? wcslen(in) + 1 : (size_t)in_len;
    size_t written = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = (uint32_t)in[i];
        unsigned char bytes[4];
        size_t len;
        if (is_scalar(cp)) {
            len = utf8_encode(cp, bytes);
        } else if (flags & WC_ERR_INVALID_CHARS) {
            error_set(ERROR_NO_UNICODE_TRANSLATION);
            return 0;
        } else if (default_char != NULL) {
            bytes[0] = (unsigned char)*default_char;
            len = 1;
            if (used_default != NULL)
                *used_default = TRUE;
        } else {
            len = utf8_encode(REPLACEMENT, bytes);
            if (used_default != NULL)
                *used_default = TRUE;
        }
        if (out_len != 0) {
            if (written + len > (size_t)out_len) {
                error_set(ERROR_INSUFFICIENT_BUFFER);
                return 0;
            }
            memcpy(out + written, bytes, len);
        }
        written += len;
    }
    return (int)written;
}
