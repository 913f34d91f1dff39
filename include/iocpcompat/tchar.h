/*
 * <tchar.h>: the generic-text names, in their char (A) forms. TCHAR is char
 * unless _UNICODE/UNICODE; iocpcompat offers only the A forms, so the wide
 * mapping is refused here rather than compiled into wrong code (wchar_t is
 * 32 bits on Linux, WCHAR 16).
 */
#ifndef IOCPCOMPAT_TCHAR_H
#define IOCPCOMPAT_TCHAR_H

#if defined(_UNICODE) || defined(UNICODE)
#error "iocpcompat: <tchar.h> offers only the char (A) forms; build without UNICODE and _UNICODE"
#endif

#include "windows.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

#define _tcslen     strlen
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
