/* The thread functions of the Microsoft C runtime's <process.h>. */
#ifndef IOCPCOMPAT_PROCESS_H
#define IOCPCOMPAT_PROCESS_H

#include "windows.h"

IOCPCOMPAT_EXTERN_C_BEGIN

/* CreateThread under the CRT's signature: the result is the thread HANDLE as
 * an integer (for WaitForSingleObject and CloseHandle), or 0 with errno set. */
IOCPCOMPAT_API uintptr_t __cdecl _beginthreadex(void *security, unsigned stack_size,
                                                unsigned (__stdcall *start_address)(void *),
                                                void *arglist, unsigned initflag, unsigned *thrdaddr);
IOCPCOMPAT_API void __cdecl _endthreadex(unsigned retval) __attribute__((noreturn));

IOCPCOMPAT_EXTERN_C_END

#endif
