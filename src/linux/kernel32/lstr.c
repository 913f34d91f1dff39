/*
 * The kernel32 string functions (lstrlen, lstrcpy, lstrcpyn, lstrcat,
 * lstrcmp, lstrcmpi), char and WCHAR forms. Windows runs them under an exception
 * handler: a bad pointer makes lstrlen return 0 and the copies return NULL
 * with ERROR_INVALID_PARAMETER. Here the pointer that can be checked, NULL,
 * gets that answer.
 *
 * The comparisons follow CompareString's order for ASCII in the default
 * (English) user locale: symbols and punctuation before digits before
 * letters, letters alphabetically whatever their case, and for lstrcmp,
 * among strings equal but for case, the first lowercase letter sorts
 * before its uppercase twin. Not reproduced: the word sort's special
 * weight of '-' and '\'', and the ANSI code page's order of bytes above
 * 0x7F, which compare by value after all letters.
 */
#include "error.h"

#include <windows.h>

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

int WINAPI lstrlenA(LPCSTR s)
{
    return s != NULL ? (int)strlen(s) : 0;
}

LPSTR WINAPI lstrcpyA(LPSTR dst, LPCSTR src)
{
    if (dst == NULL || src == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    /* memmove: overlapping strings copy as on Windows. */
    return memmove(dst, src, strlen(src) + 1);
}

/* Copies at most n - 1 characters and always terminates (n > 0). A negative
 * n is taken as unsigned, so it copies the whole string, as on Windows. */
LPSTR WINAPI lstrcpynA(LPSTR dst, LPCSTR src, int n)
{
    if (dst == NULL || src == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    UINT room = (UINT)n;
    if (room == 0)
        return dst;
    LPSTR d = dst;
    while (room > 1 && *src != '\0') {
        *d++ = *src++;
        room--;
    }
    *d = '\0';
    return dst;
}

LPSTR WINAPI lstrcatA(LPSTR dst, LPCSTR src)
{
    if (dst == NULL || src == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    strcat(dst, src);
    return dst;
}

int WINAPI lstrlenW(LPCWSTR s)
{
    return s != NULL ? (int)wcslen(s) : 0;
}

LPWSTR WINAPI lstrcpyW(LPWSTR dst, LPCWSTR src)
{
    if (dst == NULL || src == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return wmemmove(dst, src, wcslen(src) + 1);
}

LPWSTR WINAPI lstrcpynW(LPWSTR dst, LPCWSTR src, int n)
{
    if (dst == NULL || src == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    UINT room = (UINT)n;
    if (room == 0)
        return dst;
    LPWSTR d = dst;
    while (room > 1 && *src != 0) {
        *d++ = *src++;
        room--;
    }
    *d = 0;
    return dst;
}

LPWSTR WINAPI lstrcatW(LPWSTR dst, LPCWSTR src)
{
    if (dst == NULL || src == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    wcscat(dst, src);
    return dst;
}

/* The sort weight of a character, case left out. */
static int32_t weight(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return 0x200 + (int32_t)c;
    if (c >= 'A' && c <= 'Z')
        return 0x200 + (int32_t)c + ('a' - 'A');
    if (c >= '0' && c <= '9')
        return 0x100 + (int32_t)c;
    if (c >= 0x80)
        return 0x300 + (int32_t)c;
    return (int32_t)c;
}

/* One comparison for both forms: a string is read one unit at a time. */
struct text {
    const void *s;
    bool wide;
};

static uint32_t unit(struct text t, size_t i)
{
    return t.wide ? (uint32_t)((const wchar_t *)t.s)[i] : ((const unsigned char *)t.s)[i];
}

static int compare(struct text x, struct text y, bool ignore_case)
{
    /* NULL sorts before every string, as on Windows. */
    if (x.s == NULL || y.s == NULL)
        return (x.s != NULL) - (y.s != NULL);
    size_t i = 0;
    for (; unit(x, i) != 0 && unit(y, i) != 0; i++) {
        int32_t wx = weight(unit(x, i)), wy = weight(unit(y, i));
        if (wx != wy)
            return wx < wy ? -1 : 1;
    }
    if (unit(x, i) != unit(y, i))
        return unit(x, i) == 0 ? -1 : 1;   /* the shorter one first */
    if (ignore_case)
        return 0;
    /* Equal but for case: the first difference decides, lowercase first. */
    for (i = 0; unit(x, i) != 0; i++)
        if (unit(x, i) != unit(y, i))
            return unit(x, i) >= 'a' ? -1 : 1;
    return 0;
}

#define NARROW(p) ((struct text){(p), false})
#define WIDE(p)   ((struct text){(p), true})

int WINAPI lstrcmpA(LPCSTR a, LPCSTR b) { return compare(NARROW(a), NARROW(b), false); }
int WINAPI lstrcmpiA(LPCSTR a, LPCSTR b) { return compare(NARROW(a), NARROW(b), true); }
int WINAPI lstrcmpW(LPCWSTR a, LPCWSTR b) { return compare(WIDE(a), WIDE(b), false); }
int WINAPI lstrcmpiW(LPCWSTR a, LPCWSTR b) { return compare(WIDE(a), WIDE(b), true); }
