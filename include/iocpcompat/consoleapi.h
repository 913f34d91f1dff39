/* The part of the Win32 API that the Windows SDK declares in <consoleapi.h>. */
#ifndef IOCPCOMPAT_CONSOLEAPI_H
#define IOCPCOMPAT_CONSOLEAPI_H

#include "windows.h"

#endif
