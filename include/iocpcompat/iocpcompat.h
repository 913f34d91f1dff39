/* The library's own API: which version, and which engine serves a port. */
#ifndef IOCPCOMPAT_H
#define IOCPCOMPAT_H

#include "windows.h"

#define IOCPCOMPAT_VERSION_MAJOR 0
#define IOCPCOMPAT_VERSION_MINOR 1
#define IOCPCOMPAT_VERSION_PATCH 0

IOCPCOMPAT_EXTERN_C_BEGIN

/* "major.minor.patch" of the library that is linked. */
IOCPCOMPAT_API const char *iocpcompat_version(void);

/* Name of the engine that serves the completion port ("io_uring"), or NULL
 * with ERROR_INVALID_HANDLE when the handle is not a completion port. */
IOCPCOMPAT_API const char *iocpcompat_port_engine(HANDLE completion_port);

IOCPCOMPAT_EXTERN_C_END

#endif
