/* The part of the Win32 API that the Windows SDK declares in <processthreadsapi.h>. */
#ifndef IOCPCOMPAT_PROCESSTHREADSAPI_H
#define IOCPCOMPAT_PROCESSTHREADSAPI_H

#include "windows.h"

#endif
