/*
 * The program's main when it has none of its own: it calls the entry point
 * the program does define, wmain, WinMain or wWinMain, as the MSVC runtime
 * would. This object defines main and nothing else, so the linker takes it
 * from the static library only when no object of the program defines main;
 * the entry points are weak references, so whichever is missing is NULL.
 *
 * The arguments are decoded as UTF-8 whatever the locale: that is what
 * Linux command lines carry, and the program still starts in the "C"
 * locale, as on Windows. A byte that is not UTF-8 becomes U+FFFD.
 */
#include <windows.h>

#include "unicode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

extern char **environ;

/* In C, whatever parameters the program gave its wmain: like main, the
 * x86-64 and AArch64 calling conventions let a caller pass more arguments
 * than the callee reads. C++ has no declaration of wmain to give it C
 * linkage (the SDK declares none), so its two forms are found by their
 * mangled names. */
extern int wmain(int argc, wchar_t **argv, wchar_t **envp) __attribute__((weak));
extern int cxx_wmain(int argc, wchar_t **argv) __asm__("_Z5wmainiPPw") __attribute__((weak));
extern int cxx_wmain_envp(int argc, wchar_t **argv, wchar_t **envp)
    __asm__("_Z5wmainiPPwS0_") __attribute__((weak));
/* <winbase.h> declares these with C linkage, as the SDK does. */
extern int WINAPI WinMain(HINSTANCE, HINSTANCE, LPSTR, int) __attribute__((weak));
extern int WINAPI wWinMain(HINSTANCE, HINSTANCE, LPWSTR, int) __attribute__((weak));
/* `void main` renamed by -Dmain=iocpcompat_void_main (README, "Porting a
 * server"): a plain function in C, a mangled one in C++. */
extern void iocpcompat_void_main(int argc, char **argv, char **envp) __attribute__((weak));
extern void cxx_void_main(void) __asm__("_Z20iocpcompat_void_mainv") __attribute__((weak));
extern void cxx_void_main_args(int argc, char **argv)
    __asm__("_Z20iocpcompat_void_mainiPPc") __attribute__((weak));
extern void cxx_void_main_envp(int argc, char **argv, char **envp)
    __asm__("_Z20iocpcompat_void_mainiPPcS0_") __attribute__((weak));

/* WinMain's nShowCmd for a program started without a window to show. */
#define SHOW_DEFAULT 10

static void *checked(void *p)
{
    if (p == NULL) {
        fputs("iocpcompat: out of memory converting the command line\n", stderr);
        exit(EXIT_FAILURE);
    }
    return p;
}

static wchar_t *to_wide(const char *s)
{
    return checked(wide_from_utf8(s));
}

static wchar_t **to_wide_vector(char **v)
{
    size_t n = 0;
    while (v[n] != NULL)
        n++;
    wchar_t **w = checked(calloc(n + 1, sizeof *w));
    for (size_t i = 0; i < n; i++)
        w[i] = to_wide(v[i]);
    return w;
}

static void free_vector(wchar_t **w)
{
    for (size_t i = 0; w[i] != NULL; i++)
        free(w[i]);
    free(w);
}

/* WinMain gets the command line after the program's name. Linux passes
 * the arguments already split, so they are joined back with the quoting
 * the MSVC runtime's parser undoes: an argument with a space, a tab or a
 * quote (or an empty one) goes in quotes, a quote inside gets a
 * backslash, and backslashes are doubled where they precede a quote. */
static char *command_line(int argc, char **argv)
{
    size_t size = 1;
    for (int i = 1; i < argc; i++)
        size += 2 * strlen(argv[i]) + 3;
    char *line = checked(malloc(size)), *o = line;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i > 1)
            *o++ = ' ';
        if (*a != 0 && strpbrk(a, " \t\n\v\"") == NULL) {
            o = stpcpy(o, a);
            continue;
        }
        *o++ = '"';
        for (;; a++) {
            size_t backslashes = 0;
            while (*a == '\\') {
                backslashes++;
                a++;
            }
            size_t copies = *a == '"' || *a == 0 ? 2 * backslashes : backslashes;
            memset(o, '\\', copies);
            o += copies;
            if (*a == 0)
                break;
            if (*a == '"')
                *o++ = '\\';
            *o++ = *a;
        }
        *o++ = '"';
    }
    *o = 0;
    return line;
}

__attribute__((visibility("default"))) int main(int argc, char **argv)
{
    if (wmain != NULL || cxx_wmain != NULL || cxx_wmain_envp != NULL) {
        wchar_t **wargv = to_wide_vector(argv), **wenvp = to_wide_vector(environ);
        int status = wmain != NULL ? wmain(argc, wargv, wenvp)
                   : cxx_wmain != NULL ? cxx_wmain(argc, wargv)
                   : cxx_wmain_envp(argc, wargv, wenvp);
        free_vector(wargv);
        free_vector(wenvp);
        return status;
    }
    if (WinMain != NULL || wWinMain != NULL) {
        char *line = command_line(argc, argv);
        HINSTANCE self = GetModuleHandleA(NULL);
        int status;
        if (WinMain != NULL) {
            status = WinMain(self, NULL, line, SHOW_DEFAULT);
        } else {
            WCHAR *wline = to_wide(line);
            status = wWinMain(self, NULL, wline, SHOW_DEFAULT);
            free(wline);
        }
        free(line);
        return status;
    }
    /* A void main returns 0 to the system, as with MSVC. */
    if (iocpcompat_void_main != NULL)
        iocpcompat_void_main(argc, argv, environ);
    else if (cxx_void_main != NULL)
        cxx_void_main();
    else if (cxx_void_main_args != NULL)
        cxx_void_main_args(argc, argv);
    else if (cxx_void_main_envp != NULL)
        cxx_void_main_envp(argc, argv, environ);
    else {
        fputs("iocpcompat: the program defines no entry point (main, wmain, WinMain or wWinMain)\n",
              stderr);
        return EXIT_FAILURE;
    }
    return 0;
}
