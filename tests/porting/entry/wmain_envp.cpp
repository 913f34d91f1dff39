// wmain in C++ with the environment, and no declaration giving it C linkage.
#include <windows.h>

#include <cstdio>
#include <cwchar>

int wmain(int argc, wchar_t **argv, wchar_t **envp)
{
    int failures = argc != 2 || std::wcscmp(argv[1], L"\u00fc") != 0;
    bool seen = false;
    for (wchar_t **e = envp; *e != nullptr; e++)
        seen = seen || std::wcscmp(*e, L"IOCPCOMPAT_ENTRY_TEST=\u00e4") == 0;
    failures += !seen;
    std::printf("wmain (C++, envp): %d failures\n", failures);
    return failures == 0 ? 9 : 1;
}
