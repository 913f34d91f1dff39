/*
 * <strsafe.h>: bounded string copies and formatting returning HRESULT, in
 * their char (A) and WCHAR (W) forms. As on Windows, a result that does not fit is
 * truncated and always terminated, and STRSAFE_E_INSUFFICIENT_BUFFER says so;
 * a zero or larger than STRSAFE_MAX_CCH destination size is
 * STRSAFE_E_INVALID_PARAMETER.
 */
#ifndef IOCPCOMPAT_STRSAFE_H
#define IOCPCOMPAT_STRSAFE_H

#include "windows.h"

#include <stdarg.h>

#define STRSAFE_MAX_CCH               2147483647
#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007AL)
#define STRSAFE_E_INVALID_PARAMETER   ((HRESULT)0x80070057L)
#define STRSAFE_E_END_OF_FILE         ((HRESULT)0x80070026L)

typedef char *STRSAFE_LPSTR;
typedef const char *STRSAFE_LPCSTR;
typedef wchar_t *STRSAFE_LPWSTR;
typedef const wchar_t *STRSAFE_LPCWSTR;

IOCPCOMPAT_EXTERN_C_BEGIN

/* Cch: sizes in characters; Cb: in bytes (the same for char). */
IOCPCOMPAT_API HRESULT StringCchCopyA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc);
IOCPCOMPAT_API HRESULT StringCbCopyA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc);
IOCPCOMPAT_API HRESULT StringCchCopyNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc,
                                       size_t cchToCopy);
IOCPCOMPAT_API HRESULT StringCbCopyNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc,
                                      size_t cbToCopy);
IOCPCOMPAT_API HRESULT StringCchCatA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc);
IOCPCOMPAT_API HRESULT StringCbCatA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc);
IOCPCOMPAT_API HRESULT StringCchPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszFormat, ...);
IOCPCOMPAT_API HRESULT StringCbPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat, ...);
IOCPCOMPAT_API HRESULT StringCchVPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszFormat,
                                         va_list argList);
IOCPCOMPAT_API HRESULT StringCchLengthA(STRSAFE_LPCSTR psz, size_t cchMax, size_t *pcchLength);
IOCPCOMPAT_API HRESULT StringCbLengthA(STRSAFE_LPCSTR psz, size_t cbMax, size_t *pcbLength);

/* Cb sizes are bytes, sizeof(WCHAR) (4 here) to a character. */
IOCPCOMPAT_API HRESULT StringCchCopyW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc);
IOCPCOMPAT_API HRESULT StringCbCopyW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc);
IOCPCOMPAT_API HRESULT StringCchCopyNW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc,
                                       size_t cchToCopy);
IOCPCOMPAT_API HRESULT StringCbCopyNW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc,
                                      size_t cbToCopy);
IOCPCOMPAT_API HRESULT StringCchCatW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszSrc);
IOCPCOMPAT_API HRESULT StringCbCatW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszSrc);
IOCPCOMPAT_API HRESULT StringCchPrintfW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszFormat, ...);
IOCPCOMPAT_API HRESULT StringCbPrintfW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszFormat, ...);
IOCPCOMPAT_API HRESULT StringCchVPrintfW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszFormat,
                                         va_list argList);
IOCPCOMPAT_API HRESULT StringCchLengthW(STRSAFE_LPCWSTR psz, size_t cchMax, size_t *pcchLength);
IOCPCOMPAT_API HRESULT StringCbLengthW(STRSAFE_LPCWSTR psz, size_t cbMax, size_t *pcbLength);

IOCPCOMPAT_EXTERN_C_END

/* The generic names follow UNICODE. */
#ifdef UNICODE
#define StringCchCopy    StringCchCopyW
#define StringCbCopy     StringCbCopyW
#define StringCchCopyN   StringCchCopyNW
#define StringCbCopyN    StringCbCopyNW
#define StringCchCat     StringCchCatW
#define StringCbCat      StringCbCatW
#define StringCchPrintf  StringCchPrintfW
#define StringCbPrintf   StringCbPrintfW
#define StringCchVPrintf StringCchVPrintfW
#define StringCchLength  StringCchLengthW
#define StringCbLength   StringCbLengthW
#else
#define StringCchCopy    StringCchCopyA
#define StringCbCopy     StringCbCopyA
#define StringCchCopyN   StringCchCopyNA
#define StringCbCopyN    StringCbCopyNA
#define StringCchCat     StringCchCatA
#define StringCbCat      StringCbCatA
#define StringCchPrintf  StringCchPrintfA
#define StringCbPrintf   StringCbPrintfA
#define StringCchVPrintf StringCchVPrintfA
#define StringCchLength  StringCchLengthA
#define StringCbLength   StringCbLengthA
#endif

#endif
