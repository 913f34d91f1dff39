/*
 * The WCHAR string, number, file and environment functions of the MSVC CRT
 * (iocpcompat_wide_crt.h). The _s forms treat a constraint violation as
 * their char twins in crt.c do.
 */
#include <windows.h>

#include "crt_internal.h"
#include "unicode.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

errno_t wcscpy_s(wchar_t *dest, size_t size, const wchar_t *src)
{
    if (dest == NULL || size == 0)
        crt_invalid_parameter("wcscpy_s", "the destination is NULL or its size 0");
    if (src == NULL) {
        dest[0] = 0;
        crt_invalid_parameter("wcscpy_s", "the source is NULL");
    }
    size_t len = wcsnlen(src, size);
    if (len >= size) {
        dest[0] = 0;
        crt_invalid_parameter("wcscpy_s", "the destination is too small");
    }
    wmemcpy(dest, src, len + 1);
    return 0;
}

errno_t wcsncpy_s(wchar_t *dest, size_t size, const wchar_t *src, size_t count)
{
    if (count == 0 && dest == NULL && size == 0)
        return 0;
    if (dest == NULL || size == 0)
        crt_invalid_parameter("wcsncpy_s", "the destination is NULL or its size 0");
    if (count == 0) {
        dest[0] = 0;
        return 0;
    }
    if (src == NULL) {
        dest[0] = 0;
        crt_invalid_parameter("wcsncpy_s", "the source is NULL");
    }
    if (count == _TRUNCATE) {
        size_t len = wcsnlen(src, size);
        if (len >= size) {
            wmemcpy(dest, src, size - 1);
            dest[size - 1] = 0;
            return STRUNCATE;
        }
        wmemcpy(dest, src, len + 1);
        return 0;
    }
    size_t len = wcsnlen(src, count);
    if (len >= size) {
        dest[0] = 0;
        crt_invalid_parameter("wcsncpy_s", "the destination is too small");
    }
    wmemcpy(dest, src, len);
    dest[len] = 0;
    return 0;
}

errno_t wcscat_s(wchar_t *dest, size_t size, const wchar_t *src)
{
    if (dest == NULL || size == 0)
        crt_invalid_parameter("wcscat_s", "the destination is NULL or its size 0");
    if (src == NULL) {
        dest[0] = 0;
        crt_invalid_parameter("wcscat_s", "the source is NULL");
    }
    size_t have = wcsnlen(dest, size);
    if (have == size) {
        dest[0] = 0;
        crt_invalid_parameter("wcscat_s", "the destination is not terminated within its size");
    }
    size_t add = wcsnlen(src, size - have);
    if (add >= size - have) {
        dest[0] = 0;
        crt_invalid_parameter("wcscat_s", "the destination is too small");
    }
    wmemcpy(dest + have, src, add + 1);
    return 0;
}

errno_t _itow_s(int value, wchar_t *buffer, size_t size, int radix)
{
    if (buffer == NULL || size == 0)
        crt_invalid_parameter("_itow_s", "the buffer is NULL or its size 0");
    char digits[40];
    /* The char form checks the radix and the room the same way. */
    if (radix < 2 || radix > 36) {
        buffer[0] = 0;
        crt_invalid_parameter("_itow_s", "the radix is not between 2 and 36");
    }
    _itoa_s(value, digits, sizeof digits, radix);
    size_t n = strlen(digits);
    if (n + 1 > size) {
        buffer[0] = 0;
        crt_invalid_parameter("_itow_s", "the buffer is too small");
    }
    for (size_t i = 0; i <= n; i++)
        buffer[i] = (wchar_t)(unsigned char)digits[i];
    return 0;
}

/* MSVC folds to lowercase before comparing, so '_' sorts after letters. */
int _wcsnicmp(const wchar_t *a, const wchar_t *b, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        wint_t x = towlower((wint_t)a[i]), y = towlower((wint_t)b[i]);
        if (x != y)
            return x < y ? -1 : 1;
        if (x == 0)
            break;
    }
    return 0;
}

int _wcsicmp(const wchar_t *a, const wchar_t *b)
{
    return _wcsnicmp(a, b, (size_t)-1);
}

wchar_t *_wcsdup(const wchar_t *s)
{
    if (s == NULL)
        return NULL;
    size_t n = wcslen(s) + 1;
    wchar_t *copy = malloc(n * sizeof *copy);
    return copy != NULL ? wmemcpy(copy, s, n) : NULL;
}

wchar_t *_wcstok(wchar_t *s, const wchar_t *delimiters)
{
    static __thread wchar_t *place;
    return wcstok(s, delimiters, &place);
}

int _wtoi(const wchar_t *s) { return (int)wcstol(s, NULL, 10); }
long _wtol(const wchar_t *s) { return wcstol(s, NULL, 10); }
long long _wtoi64(const wchar_t *s) { return wcstoll(s, NULL, 10); }

FILE *_wfopen(const wchar_t *path, const wchar_t *mode)
{
    if (path == NULL || mode == NULL) {
        errno = EINVAL;
        return NULL;
    }
    char *p = utf8_from_wide(path), *m = utf8_from_wide(mode);
    FILE *f = p != NULL && m != NULL ? fopen(p, m) : NULL;
    if (p == NULL || m == NULL)
        errno = ENOMEM;
    free(p);
    free(m);
    return f;
}

int _wremove(const wchar_t *path)
{
    if (path == NULL) {
        errno = EINVAL;
        return -1;
    }
    char *p = utf8_from_wide(path);
    if (p == NULL) {
        errno = ENOMEM;
        return -1;
    }
    int r = remove(p);
    free(p);
    return r;
}

/* One converted value per variable name, kept while the value stays the
 * same: a pointer _wgetenv returned stays valid as MSVC's does until the
 * variable changes. */
struct wide_variable {
    struct wide_variable *next;
    char *name;
    char *value;      /* the UTF-8 the wide value was made from */
    wchar_t *wide;
};

static struct wide_variable *variables;
static pthread_mutex_t variables_lock = PTHREAD_MUTEX_INITIALIZER;

wchar_t *_wgetenv(const wchar_t *name)
{
    if (name == NULL) {
        errno = EINVAL;
        return NULL;
    }
    char *key = utf8_from_wide(name);
    if (key == NULL)
        return NULL;
    const char *value = getenv(key);
    wchar_t *result = NULL;
    pthread_mutex_lock(&variables_lock);
    struct wide_variable *v = variables;
    while (v != NULL && strcmp(v->name, key) != 0)
        v = v->next;
    if (value != NULL && v != NULL && strcmp(v->value, value) == 0) {
        result = v->wide;
    } else if (value != NULL) {
        struct wide_variable *fresh = calloc(1, sizeof *fresh);
        if (fresh != NULL && (fresh->value = strdup(value)) != NULL &&
            (fresh->wide = wide_from_utf8(value)) != NULL) {
            /* The old value's copy stays: a caller may still hold it. */
            fresh->name = key;
            key = NULL;
            fresh->next = variables;
            variables = fresh;
            result = fresh->wide;
        } else if (fresh != NULL) {
            free(fresh->value);
            free(fresh);
        }
    }
    pthread_mutex_unlock(&variables_lock);
    free(key);
    return result;
}
