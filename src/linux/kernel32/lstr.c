/*
 * The kernel32 string functions (lstrlen, lstrcpy, lstrcpyn, lstrcat,
 * lstrcmp, lstrcmpi), char forms. Windows runs them under an exception
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
#include <string.h>

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

/* The sort weight of a byte, case left out. */
static int weight(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        return 0x200 + c;
    if (c >= 'A' && c <= 'Z')
        return 0x200 + c + ('a' - 'A');
    if (c >= '0' && c <= '9')
        return 0x100 + c;
    if (c >= 0x80)
        return 0x300 + c;
    return c;
}

static int compare(LPCSTR a, LPCSTR b, bool ignore_case)
{
    /* NULL sorts before every string, as on Windows. */
    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    size_t i = 0;
    for (; x[i] != '\0' && y[i] != '\0'; i++) {
        int wx = weight(x[i]), wy = weight(y[i]);
        if (wx != wy)
            return wx < wy ? -1 : 1;
    }
    if (x[i] != y[i])
        return x[i] == '\0' ? -1 : 1;   /* the shorter one first */
    if (ignore_case)
        return 0;
    /* Equal but for case: the first difference decides, lowercase first. */
    for (i = 0; x[i] != '\0'; i++)
        if (x[i] != y[i])
            return x[i] >= 'a' ? -1 : 1;
    return 0;
}

int WINAPI lstrcmpA(LPCSTR a, LPCSTR b) { return compare(a, b, false); }
int WINAPI lstrcmpiA(LPCSTR a, LPCSTR b) { return compare(a, b, true); }
