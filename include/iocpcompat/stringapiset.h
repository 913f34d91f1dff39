/*
 * <stringapiset.h>: conversion between code pages and WCHAR. Linux text is
 * UTF-8, so CP_ACP, CP_OEMCP and CP_THREAD_ACP are UTF-8 here, as on a
 * Windows system set to the UTF-8 code page; WCHAR is wchar_t, and a count
 * of WCHARs is a count of characters (UTF-32), not of UTF-16 units.
 */
#ifndef IOCPCOMPAT_STRINGAPISET_H
#define IOCPCOMPAT_STRINGAPISET_H

#include "windows.h"

#define CP_ACP        0
#define CP_OEMCP      1
#define CP_MACCP      2
#define CP_THREAD_ACP 3
#define CP_SYMBOL     42
#define CP_UTF7       65000
#define CP_UTF8       65001

#define MB_PRECOMPOSED       0x00000001
#define MB_COMPOSITE         0x00000002
#define MB_USEGLYPHCHARS     0x00000004
#define MB_ERR_INVALID_CHARS 0x00000008

#define WC_COMPOSITECHECK    0x00000200
#define WC_DISCARDNS         0x00000010
#define WC_SEPCHARS          0x00000020
#define WC_DEFAULTCHAR       0x00000040
#define WC_ERR_INVALID_CHARS 0x00000080
#define WC_NO_BEST_FIT_CHARS 0x00000400

typedef const CHAR *LPCCH, *PCCH;
typedef const WCHAR *LPCWCH, *PCWCH;

IOCPCOMPAT_EXTERN_C_BEGIN

IOCPCOMPAT_API int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCCH lpMultiByteStr,
                                              int cbMultiByte, LPWSTR lpWideCharStr, int cchWideChar);
IOCPCOMPAT_API int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWCH lpWideCharStr,
                                              int cchWideChar, LPSTR lpMultiByteStr, int cbMultiByte,
                                              LPCCH lpDefaultChar, LPBOOL lpUsedDefaultChar);

IOCPCOMPAT_EXTERN_C_END

#endif
