/* wWinMain gets the command line as WCHARs (wchar_t, UTF-32 here). */
#include <windows.h>

#include <stdio.h>

int WINAPI wWinMain(HINSTANCE hInstance, HINSTANCE hPrevInstance, LPWSTR lpCmdLine, int nShowCmd)
{
    static const WCHAR expected[] = L"\u00e9 \"a b\" \U0001F600";
    int failures = hInstance == NULL || hPrevInstance != NULL || nShowCmd != 10;
    size_t i = 0;
    while (lpCmdLine[i] != 0 && lpCmdLine[i] == expected[i])
        i++;
    failures += lpCmdLine[i] != 0 || expected[i] != 0;
    printf("wWinMain: %d failures\n", failures);
    return failures == 0 ? 13 : 1;
}
