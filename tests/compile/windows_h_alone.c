/* Only <windows.h> (or, with WINSOCK2_ALONE, only <winsock2.h>): the C
 * library names that mingw-w64's headers bring with it must be there, as
 * Windows code calls them without including their own headers (this file
 * compiles with x86_64-w64-mingw32-gcc too). Built as C11 and, through
 * windows_h_alone.cpp, as C++17. */
#ifdef WINSOCK2_ALONE
#include <winsock2.h>
#else
#include <windows.h>
#endif

int main(void)
{
    char text[] = "Hello";
    char *copy = (char *)malloc(sizeof text);            /* stdlib.h */
    if (copy == NULL)
        return 1;
    memcpy(copy, text, strlen(text) + 1);                 /* string.h */
    for (char *c = copy; *c != '\0'; c++)
        *c = (char)tolower((unsigned char)*c);            /* ctype.h */
    int failures = strcmp(copy, "hello") != 0 || !isdigit('7') || toupper('a') != 'A';
    free(copy);
    errno = EINVAL;                                        /* errno.h */
    failures += errno != EINVAL || INT_MAX != 2147483647 || CHAR_BIT != 8;  /* limits.h */
    failures += offsetof(OVERLAPPED, hEvent) != 24 || atoi("42") != 42;     /* stddef.h */
    char *on_stack = (char *)alloca(16);                  /* malloc.h */
    on_stack[15] = 'x';
    failures += on_stack[15] != 'x';
    va_list *unused_list = NULL;                           /* stdarg.h */
    failures += unused_list != NULL;
    return failures != 0;
}
