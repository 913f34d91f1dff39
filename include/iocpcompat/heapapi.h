/* The part of the Win32 API that the Windows SDK declares in <heapapi.h>. */
#ifndef IOCPCOMPAT_HEAPAPI_H
#define IOCPCOMPAT_HEAPAPI_H

#include "windows.h"

#endif
