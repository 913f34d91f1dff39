/* A program with only wmain: the library's main converts argv (UTF-8) and
 * the environment to wide strings and returns wmain's status. */
#include <windows.h>

#include <stdio.h>
#include <wchar.h>

int wmain(int argc, wchar_t *argv[])
{
    static const wchar_t *const expected[] = {L"plain", L"two words", L"", L"\u00e9\u20ac\U0001F600",
                                              L"bad\uFFFDbyte"};
    int failures = argc != 6;
    for (int i = 1; i < argc && i <= 5; i++) {
        if (wcscmp(argv[i], expected[i - 1]) != 0) {
            fprintf(stderr, "argv[%d] is \"%ls\"\n", i, argv[i]);
            failures++;
        }
    }
    if (argv[argc] != NULL || wcsstr(argv[0], L"entry_wmain_c") == NULL)
        failures++;
    printf("wmain: %d failures\n", failures);
    return failures == 0 ? 7 : 1;
}
