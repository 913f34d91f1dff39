/* <timeapi.h>: the SDK's declarations are in <mmsystem.h>, as here. */
#ifndef IOCPCOMPAT_TIMEAPI_H
#define IOCPCOMPAT_TIMEAPI_H

#include "mmsystem.h"

#endif
