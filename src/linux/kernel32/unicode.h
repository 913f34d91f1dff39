/*
 * Text between the W API and Linux. WCHAR is wchar_t here, one UTF-32 code
 * unit per character; Linux names, paths and terminals speak UTF-8.
 */
#ifndef IOCPCOMPAT_UNICODE_H
#define IOCPCOMPAT_UNICODE_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* Decodes the UTF-8 sequence at s (s[0] != 0, the string NUL-terminated or
 * at least `avail` bytes long) into *cp and returns its length. A sequence
 * that is not UTF-8 (truncated, overlong, a surrogate, past U+10FFFF) gives
 * one byte and *cp = UTF8_INVALID. */
#define UTF8_INVALID 0xFFFFFFFFu
size_t utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp);

/* Encodes cp (a scalar value) into out (4 bytes at least); returns the length. */
size_t utf8_encode(uint32_t cp, unsigned char *out);

/* New NUL-terminated copies in the other encoding, malloc'd; NULL when out of
 * memory. Bytes that are not UTF-8 become U+FFFD, as do wide values that
 * are not scalar values. */
wchar_t *wide_from_utf8(const char *s);
char *utf8_from_wide(const wchar_t *w);

#endif
