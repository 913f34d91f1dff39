/*
 * <tchar.h>: the generic-text names. Without _UNICODE they are the char
 * forms; with _UNICODE the wchar_t ones (WCHAR is wchar_t here, see README
 * "UNICODE builds"), the printf family with MSVC's meaning of %s
 * (iocpcompat_wide_crt.h).
 */
#ifndef IOCPCOMPAT_TCHAR_H
#define IOCPCOMPAT_TCHAR_H

#include "windows.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#ifdef _UNICODE

typedef wchar_t _TCHAR;
typedef wchar_t _TSCHAR;
typedef wchar_t _TUCHAR;
typedef wint_t _TINT;
#define _TEOF WEOF

#define _T(x)     L##x
#define _TEXT(x)  L##x
#define __T(x)    L##x

#define _tmain    wmain
#define _tWinMain wWinMain

#define _tprintf    wprintf
#define _tprintf_s  wprintf_s
#define _ftprintf   fwprintf
#define _ftprintf_s fwprintf_s
#define _stprintf   _swprintf
#define _stprintf_s swprintf_s
#define _sntprintf  _snwprintf
#define _sntprintf_s _snwprintf_s
#define _vtprintf   vwprintf
#define _vftprintf  vfwprintf
#define _vstprintf  _vswprintf
#define _vsntprintf _vsnwprintf
#define _sctprintf  _scwprintf
#define _tscanf     wscanf
#define _stscanf    swscanf
#define _fgetts     fgetws
#define _fputts     fputws
#define _puttchar   putwchar
#define _gettchar   getwchar
#define _putts      _putws

#define _tcslen     wcslen
#define _tcsnlen    wcsnlen
#define _tcscpy     wcscpy
#define _tcscpy_s   wcscpy_s
#define _tcsncpy    wcsncpy
#define _tcsncpy_s  wcsncpy_s
#define _tcscat     wcscat
#define _tcscat_s   wcscat_s
#define _tcscmp     wcscmp
#define _tcsncmp    wcsncmp
#define _tcsicmp    _wcsicmp
#define _tcsnicmp   _wcsnicmp
#define _tcschr     wcschr
#define _tcsrchr    wcsrchr
#define _tcsstr     wcsstr
#define _tcsdup     _wcsdup
#define _tcstok     _wcstok
#define _tcsftime   wcsftime

#define _ttoi       _wtoi
#define _ttol       _wtol
#define _ttoi64     _wtoi64
#define _tstoi      _wtoi
#define _tstol      _wtol
#define _tcstol     wcstol
#define _tcstoul    wcstoul
#define _tcstod     wcstod
#define _itot_s     _itow_s

#define _tfopen     _wfopen
#define _tgetenv    _wgetenv
#define _tremove    _wremove

#define _istspace   iswspace
#define _istdigit   iswdigit
#define _istalpha   iswalpha
#define _istalnum   iswalnum
#define _totlower   towlower
#define _totupper   towupper

#else

typedef char _TCHAR;
typedef char _TSCHAR;
typedef unsigned char _TUCHAR;
typedef int _TINT;
#define _TEOF EOF

#define _T(x)     x
#define _TEXT(x)  x
#define __T(x)    x

#define _tmain    main
#define _tWinMain WinMain

#define _tprintf    printf
#define _tprintf_s  printf_s
#define _ftprintf   fprintf
#define _ftprintf_s fprintf_s
#define _stprintf   sprintf
#define _stprintf_s sprintf_s
#define _sntprintf  _snprintf
#define _sntprintf_s _snprintf_s
#define _vtprintf   vprintf
#define _vftprintf  vfprintf
#define _vstprintf  vsprintf
#define _vsntprintf _vsnprintf
#define _tscanf     scanf
#define _stscanf    sscanf
#define _fgetts     fgets
#define _fputts     fputs
#define _puttchar   putchar
#define _gettchar   getchar
#define _putts      puts

#define _tcslen     strlen
#define _tcsnlen    strnlen
#define _tcscpy     strcpy
#define _tcscpy_s   strcpy_s
#define _tcsncpy    strncpy
#define _tcsncpy_s  strncpy_s
#define _tcscat     strcat
#define _tcscat_s   strcat_s
#define _tcscmp     strcmp
#define _tcsncmp    strncmp
#define _tcsicmp    _stricmp
#define _tcsnicmp   _strnicmp
#define _tcschr     strchr
#define _tcsrchr    strrchr
#define _tcsstr     strstr
#define _tcsdup     _strdup
#define _tcstok     strtok
#define _tcsftime   strftime

#define _ttoi       atoi
#define _ttol       atol
#define _ttoi64     atoll
#define _tstoi      atoi
#define _tstol      atol
#define _tcstol     strtol
#define _tcstoul    strtoul
#define _tcstod     strtod
#define _itot_s     _itoa_s

#define _tfopen     fopen
#define _tgetenv    getenv
#define _tremove    remove

#define _istspace   isspace
#define _istdigit   isdigit
#define _istalpha   isalpha
#define _istalnum   isalnum
#define _totlower   tolower
#define _totupper   toupper

#endif

#endif
