/* The part of the Win32 API that the Windows SDK declares in <synchapi.h>. */
#ifndef IOCPCOMPAT_SYNCHAPI_H
#define IOCPCOMPAT_SYNCHAPI_H

#include "windows.h"

#endif
