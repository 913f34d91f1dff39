/* What the CRT files share. */
#ifndef IOCPCOMPAT_CRT_INTERNAL_H
#define IOCPCOMPAT_CRT_INTERNAL_H

/* MSVC's default invalid-parameter handler: says what was wrong, ends the
 * process. */
__attribute__((noreturn)) void crt_invalid_parameter(const char *function, const char *what);

#endif
