/* The part of the Win32 API that the Windows SDK declares in <sysinfoapi.h>. */
#ifndef IOCPCOMPAT_SYSINFOAPI_H
#define IOCPCOMPAT_SYSINFOAPI_H

#include "windows.h"

#endif
