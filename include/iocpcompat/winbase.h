/* The part of the Win32 API that the Windows SDK declares in <winbase.h>. */
#ifndef IOCPCOMPAT_WINBASE_H
#define IOCPCOMPAT_WINBASE_H

#include "windows.h"

#endif
