/* The part of the Win32 API that the Windows SDK declares in <memoryapi.h>. */
#ifndef IOCPCOMPAT_MEMORYAPI_H
#define IOCPCOMPAT_MEMORYAPI_H

#include "windows.h"

#endif
