/*
 * The MSVC compiler and CRT spellings Windows code uses with <windows.h>:
 * __int64, __declspec(...), __forceinline, _countof, min/max, and the
 * "secure" CRT (sprintf_s, strcpy_s, memcpy_s, ...), which glibc lacks.
 *
 * The _s functions behave as MSVC's with its default invalid-parameter
 * handler: a constraint violation (a destination too small, a null
 * pointer) empties the destination and ends the process, since code
 * written against them never checks for the overflow itself.
 */
#ifndef IOCPCOMPAT_CRT_H
#define IOCPCOMPAT_CRT_H

#include "windows.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* `#pragma comment(lib, "ws2_32.lib")` and `#pragma warning(...)` are how
 * Windows code links libraries and silences MSVC; gcc and clang call them
 * unknown under -Wall. The exported target and iocpcompat.pc pass
 * -Wno-unknown-pragmas for the pragmas that come before this header; this
 * covers the ones after it even when a later -Wall on the command line
 * turned the warning back on. */
#pragma GCC diagnostic ignored "-Wunknown-pragmas"

/* Integer keywords of MSVC. */
#ifndef __int64
#define __int64 long long
#endif
#ifndef __int32
#define __int32 int
#endif
#ifndef __int16
#define __int16 short
#endif
#ifndef __int8
#define __int8 char
#endif

#ifndef __forceinline
#define __forceinline inline __attribute__((always_inline))
#endif
#ifndef __inline
#define __inline inline
#endif
#ifndef __fastcall
#define __fastcall
#endif
#ifndef __thiscall
#define __thiscall
#endif

/* Code-analysis hints of MSVC's sal.h: nothing to a compiler that does not
 * analyse, as MSVC's own build without /analyze sees them. */
#ifndef __analysis_assume
#define __analysis_assume(expr)
#endif
#ifndef _Analysis_assume_
#define _Analysis_assume_(expr)
#endif

/* __declspec(x) becomes the GCC attribute meaning the same. An unknown x is
 * a compile error naming IOCPCOMPAT_DECLSPEC_x, so nothing is dropped silently. */
#ifndef __declspec
#define __declspec(x) IOCPCOMPAT_DECLSPEC_##x
#endif
#define IOCPCOMPAT_DECLSPEC_thread     __thread
#define IOCPCOMPAT_DECLSPEC_dllexport  __attribute__((visibility("default")))
#define IOCPCOMPAT_DECLSPEC_dllimport
#define IOCPCOMPAT_DECLSPEC_noinline   __attribute__((noinline))
#define IOCPCOMPAT_DECLSPEC_noreturn   __attribute__((noreturn))
#define IOCPCOMPAT_DECLSPEC_align(n)   __attribute__((aligned(n)))
#define IOCPCOMPAT_DECLSPEC_selectany  __attribute__((weak))
#define IOCPCOMPAT_DECLSPEC_deprecated __attribute__((deprecated))
#define IOCPCOMPAT_DECLSPEC_novtable
#define IOCPCOMPAT_DECLSPEC_nothrow    __attribute__((nothrow))

/* _countof: the number of elements of an array. In C++ a pointer does not
 * compile, as with MSVC's template version. */
#ifdef __cplusplus
template <typename T> struct iocpcompat_countof_of;
template <typename T, size_t N> struct iocpcompat_countof_of<T[N]> { static constexpr size_t value = N; };
template <typename T> struct iocpcompat_countof_of<T &> : iocpcompat_countof_of<T> {};
#define _countof(array) (iocpcompat_countof_of<decltype(array)>::value)
#else
#define _countof(array) (sizeof(array) / sizeof((array)[0]))
#endif

/*
 * min/max. In C, <windef.h>'s macros (unless NOMINMAX). In C++ a macro would
 * break std::min and every standard header included later, so the global
 * namespace gets function templates instead: mixed argument types work as
 * with the macro (usual arithmetic conversions), std::min stays itself, and
 * with `using namespace std` an unqualified min(1, 2) picks std::min, whose
 * (const T&, const T&) form is the more specialised one.
 */
#ifndef NOMINMAX
#ifdef __cplusplus
namespace iocpcompat_minmax {
/* The type of `cond ? a : b`, what the macro yields: the usual arithmetic
 * conversions for numbers, a const reference for two objects of one class.
 * Both sides are converted first, so mixed signedness compares as the macro
 * does without a -Wsign-compare warning from inside this header. */
template <class A, class B>
constexpr auto min(const A &a, const B &b) -> decltype(true ? a : b)
{
    typedef decltype(true ? a : b) C;
    return static_cast<C>(b) < static_cast<C>(a) ? static_cast<C>(b) : static_cast<C>(a);
}
template <class A, class B>
constexpr auto max(const A &a, const B &b) -> decltype(true ? a : b)
{
    typedef decltype(true ? a : b) C;
    return static_cast<C>(a) < static_cast<C>(b) ? static_cast<C>(b) : static_cast<C>(a);
}
} // namespace iocpcompat_minmax
using iocpcompat_minmax::min;
using iocpcompat_minmax::max;
#else
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#endif
#endif

typedef int errno_t;
/* strncpy_s/_snprintf_s count meaning "as much as fits". */
#define _TRUNCATE ((size_t)-1)
/* What they return when they truncated. */
#define STRUNCATE 80

/* Names MSVC prefixes with an underscore. */
#define _stricmp  strcasecmp
#define _strnicmp strncasecmp
#define _strdup   strdup

IOCPCOMPAT_EXTERN_C_BEGIN

IOCPCOMPAT_API int printf_s(const char *format, ...);
IOCPCOMPAT_API int fprintf_s(FILE *stream, const char *format, ...);
/* Returns the length written; a too small buffer is a constraint violation. */
IOCPCOMPAT_API int sprintf_s(char *buffer, size_t sizeOfBuffer, const char *format, ...);
IOCPCOMPAT_API int vsprintf_s(char *buffer, size_t sizeOfBuffer, const char *format, va_list argptr);
/* MSVC's _snprintf: no terminator when the output fills the buffer exactly,
 * and -1 (with count characters written) when it does not fit. */
IOCPCOMPAT_API int _snprintf(char *buffer, size_t count, const char *format, ...);
IOCPCOMPAT_API int _vsnprintf(char *buffer, size_t count, const char *format, va_list argptr);
/* count is at most count characters, or _TRUNCATE: -1 when truncated. */
IOCPCOMPAT_API int _snprintf_s(char *buffer, size_t sizeOfBuffer, size_t count, const char *format, ...);
IOCPCOMPAT_API int _vsnprintf_s(char *buffer, size_t sizeOfBuffer, size_t count, const char *format,
                                va_list argptr);
IOCPCOMPAT_API errno_t strcpy_s(char *dest, size_t destsz, const char *src);
/* count may be _TRUNCATE: copy what fits, terminate, return STRUNCATE. */
IOCPCOMPAT_API errno_t strncpy_s(char *dest, size_t destsz, const char *src, size_t count);
IOCPCOMPAT_API errno_t strcat_s(char *dest, size_t destsz, const char *src);
IOCPCOMPAT_API errno_t memcpy_s(void *dest, size_t destsz, const void *src, size_t count);
IOCPCOMPAT_API errno_t memmove_s(void *dest, size_t destsz, const void *src, size_t count);
IOCPCOMPAT_API errno_t _itoa_s(int value, char *buffer, size_t size, int radix);

IOCPCOMPAT_EXTERN_C_END

#ifdef __cplusplus
/* MSVC's array overloads: the size comes from the array's type. */
template <size_t N>
inline int sprintf_s(char (&buffer)[N], const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsprintf_s(buffer, N, format, ap);
    va_end(ap);
    return n;
}
template <size_t N>
inline int _snprintf_s(char (&buffer)[N], size_t count, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vsnprintf_s(buffer, N, count, format, ap);
    va_end(ap);
    return n;
}
template <size_t N>
inline errno_t strcpy_s(char (&dest)[N], const char *src) { return strcpy_s(dest, N, src); }
template <size_t N>
inline errno_t strncpy_s(char (&dest)[N], const char *src, size_t count) { return strncpy_s(dest, N, src, count); }
template <size_t N>
inline errno_t strcat_s(char (&dest)[N], const char *src) { return strcat_s(dest, N, src); }
template <size_t N>
inline errno_t _itoa_s(int value, char (&buffer)[N], int radix) { return _itoa_s(value, buffer, N, radix); }
#endif

#include "iocpcompat_wide_crt.h"

#endif
