/*
 * The WCHAR side of the MSVC CRT, as Windows code uses it (WCHAR is wchar_t
 * here, see README "UNICODE builds").
 *
 * The wide printf family follows MSVC, not ISO C: in a wide format %s and
 * %c take a WCHAR string or character and %S, %hs, %C, %hc a char one
 * (ISO C reads %s as char), and %I64d, %I32d, %Id are MSVC's sizes. Output
 * to a FILE is written as UTF-8 bytes, so that wprintf and printf can share
 * stdout as they do with MSVC (glibc's own wprintf would fix stdout's
 * orientation to wide, and its conversion fails in the "C" locale a program
 * starts in). wprintf, fwprintf, vwprintf, vfwprintf, swprintf, vswprintf,
 * fputws, fputwc, putwc and putwchar name iocpcompat's versions from here
 * on, in C and (through std::) in C++.
 */
#ifndef IOCPCOMPAT_WIDE_CRT_H
#define IOCPCOMPAT_WIDE_CRT_H

#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>
#include <wctype.h>
#ifdef __cplusplus
/* Now, before the names below become macros: <cwchar> #undefs them. */
#include <cwchar>
#endif

IOCPCOMPAT_EXTERN_C_BEGIN

IOCPCOMPAT_API int iocpcompat_wprintf(const wchar_t *format, ...);
IOCPCOMPAT_API int iocpcompat_fwprintf(FILE *stream, const wchar_t *format, ...);
IOCPCOMPAT_API int iocpcompat_vwprintf(const wchar_t *format, va_list argptr);
IOCPCOMPAT_API int iocpcompat_vfwprintf(FILE *stream, const wchar_t *format, va_list argptr);
/* ISO's bounded form (count includes the terminator): -1 when it does not fit. */
IOCPCOMPAT_API int iocpcompat_swprintf(wchar_t *buffer, size_t count, const wchar_t *format, ...);
IOCPCOMPAT_API int iocpcompat_vswprintf(wchar_t *buffer, size_t count, const wchar_t *format, va_list argptr);
IOCPCOMPAT_API int iocpcompat_fputws(const wchar_t *text, FILE *stream);
IOCPCOMPAT_API wint_t iocpcompat_fputwc(wchar_t c, FILE *stream);
IOCPCOMPAT_API wint_t iocpcompat_putwchar(wchar_t c);

IOCPCOMPAT_API int wprintf_s(const wchar_t *format, ...);
IOCPCOMPAT_API int fwprintf_s(FILE *stream, const wchar_t *format, ...);
IOCPCOMPAT_API int swprintf_s(wchar_t *buffer, size_t sizeOfBuffer, const wchar_t *format, ...);
IOCPCOMPAT_API int vswprintf_s(wchar_t *buffer, size_t sizeOfBuffer, const wchar_t *format, va_list argptr);
/* MSVC's unbounded legacy forms (tchar.h's _stprintf under _UNICODE). */
IOCPCOMPAT_API int _swprintf(wchar_t *buffer, const wchar_t *format, ...);
IOCPCOMPAT_API int _vswprintf(wchar_t *buffer, const wchar_t *format, va_list argptr);
/* As _snprintf: no terminator when the text fills count exactly, -1 when cut. */
IOCPCOMPAT_API int _snwprintf(wchar_t *buffer, size_t count, const wchar_t *format, ...);
IOCPCOMPAT_API int _vsnwprintf(wchar_t *buffer, size_t count, const wchar_t *format, va_list argptr);
IOCPCOMPAT_API int _snwprintf_s(wchar_t *buffer, size_t sizeOfBuffer, size_t count, const wchar_t *format, ...);
IOCPCOMPAT_API int _vsnwprintf_s(wchar_t *buffer, size_t sizeOfBuffer, size_t count, const wchar_t *format,
                                 va_list argptr);
IOCPCOMPAT_API int _scwprintf(const wchar_t *format, ...);
IOCPCOMPAT_API int _putws(const wchar_t *text);

IOCPCOMPAT_API errno_t wcscpy_s(wchar_t *dest, size_t destsz, const wchar_t *src);
IOCPCOMPAT_API errno_t wcsncpy_s(wchar_t *dest, size_t destsz, const wchar_t *src, size_t count);
IOCPCOMPAT_API errno_t wcscat_s(wchar_t *dest, size_t destsz, const wchar_t *src);
IOCPCOMPAT_API errno_t _itow_s(int value, wchar_t *buffer, size_t size, int radix);
IOCPCOMPAT_API int _wcsicmp(const wchar_t *a, const wchar_t *b);
IOCPCOMPAT_API int _wcsnicmp(const wchar_t *a, const wchar_t *b, size_t count);
IOCPCOMPAT_API wchar_t *_wcsdup(const wchar_t *s);
/* MSVC's two-argument wcstok, which keeps its place per thread. */
IOCPCOMPAT_API wchar_t *_wcstok(wchar_t *s, const wchar_t *delimiters);
IOCPCOMPAT_API int _wtoi(const wchar_t *s);
IOCPCOMPAT_API long _wtol(const wchar_t *s);
IOCPCOMPAT_API long long _wtoi64(const wchar_t *s);
IOCPCOMPAT_API FILE *_wfopen(const wchar_t *path, const wchar_t *mode);
IOCPCOMPAT_API int _wremove(const wchar_t *path);
/* The value stays valid until the variable changes, as MSVC's. */
IOCPCOMPAT_API wchar_t *_wgetenv(const wchar_t *name);

IOCPCOMPAT_EXTERN_C_END

#ifdef __cplusplus
namespace std {
using ::iocpcompat_wprintf;
using ::iocpcompat_fwprintf;
using ::iocpcompat_vwprintf;
using ::iocpcompat_vfwprintf;
using ::iocpcompat_swprintf;
using ::iocpcompat_vswprintf;
using ::iocpcompat_fputws;
using ::iocpcompat_fputwc;
using ::iocpcompat_putwchar;
}
template <size_t N>
inline int swprintf_s(wchar_t (&buffer)[N], const wchar_t *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vswprintf_s(buffer, N, format, ap);
    va_end(ap);
    return n;
}
template <size_t N>
inline int _snwprintf_s(wchar_t (&buffer)[N], size_t count, const wchar_t *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vsnwprintf_s(buffer, N, count, format, ap);
    va_end(ap);
    return n;
}
template <size_t N>
inline errno_t wcscpy_s(wchar_t (&dest)[N], const wchar_t *src) { return wcscpy_s(dest, N, src); }
template <size_t N>
inline errno_t wcsncpy_s(wchar_t (&dest)[N], const wchar_t *src, size_t count) { return wcsncpy_s(dest, N, src, count); }
template <size_t N>
inline errno_t wcscat_s(wchar_t (&dest)[N], const wchar_t *src) { return wcscat_s(dest, N, src); }
template <size_t N>
inline errno_t _itow_s(int value, wchar_t (&buffer)[N], int radix) { return _itow_s(value, buffer, N, radix); }
#endif

/* After the declarations above, so that <cwchar>'s `using ::wprintf` (when
 * it comes later) names iocpcompat's function too. */
#ifndef IOCPCOMPAT_BUILDING
#define wprintf   iocpcompat_wprintf
#define fwprintf  iocpcompat_fwprintf
#define vwprintf  iocpcompat_vwprintf
#define vfwprintf iocpcompat_vfwprintf
#define swprintf  iocpcompat_swprintf
#define vswprintf iocpcompat_vswprintf
#define fputws    iocpcompat_fputws
#define fputwc    iocpcompat_fputwc
#define putwc     iocpcompat_fputwc
#define putwchar  iocpcompat_putwchar
#endif

#endif
