/*
 * MSVC's structured exception handling, as far as cleanup code needs it:
 * __try { } __except (filter) { }, __try { } __finally { } and __leave.
 * Opt-in: include it first (gcc/clang -include iocpcompat_seh.h, or the SEH
 * option of iocpcompat_windows_sources()), since the names are the
 * compiler's own on Windows and libstdc++ uses __try itself.
 *
 * What runs as on Windows: the __try block; the __finally block after it
 * when it completes or is left by __leave (which goes to its end); nothing
 * of the __except block unless something is thrown. There are no hardware
 * exceptions to catch: a crash in a __try block is a crash. In C++ the
 * __except block catches C++ exceptions, as MSVC's EXCEPTION_EXECUTE_HANDLER
 * does (the filter is not evaluated). Unlike Windows, return, break,
 * continue or goto out of a __try block skip its __finally block.
 */
#ifndef IOCPCOMPAT_SEH_H
#define IOCPCOMPAT_SEH_H

/* The filter values of <excpt.h>. */
#ifndef EXCEPTION_EXECUTE_HANDLER
#define EXCEPTION_EXECUTE_HANDLER     1
#define EXCEPTION_CONTINUE_SEARCH     0
#define EXCEPTION_CONTINUE_EXECUTION  (-1)
#endif

/* A __finally block runs only on normal termination here. */
#define AbnormalTermination()  0
#define _abnormal_termination() 0

#ifdef __cplusplus
/* libstdc++ defines __try as try (or if (true) without exceptions), and its
 * headers use __try with its __catch: keep its definition, whichever header
 * comes first, and build __except and __finally on it. */
#include <exception>
#ifndef __try
#ifdef __cpp_exceptions
#define __try try
#else
#define __try if (true)
#endif
#endif
#ifdef __cpp_exceptions
struct iocpcompat_seh_leave {};
#define __leave throw iocpcompat_seh_leave()
#define __except(filter) \
    catch (const iocpcompat_seh_leave &) { (void)sizeof(filter); } catch (...)
#define __finally catch (const iocpcompat_seh_leave &) { }
#else
#define __leave static_assert(false, "iocpcompat: __leave needs C++ exceptions (or C)")
#define __except(filter) else if ((void)sizeof(filter), false)
#define __finally
#endif

#else
/* A block with a label of its own at the end, which __leave jumps to; the
 * __except block after it never runs, the __finally block always does. */
#define __try { __label__ iocpcompat_seh_leave;
#define __leave goto iocpcompat_seh_leave
#define __except(filter) iocpcompat_seh_leave: __attribute__((unused)); } if ((void)sizeof(filter), 0)
#define __finally iocpcompat_seh_leave: __attribute__((unused)); }
#endif

#endif
