/* A console server that starts at WinMain: lpCmdLine is the command line
 * after the program's name, quoted as Windows' parser expects. */
#include <windows.h>

#include <stdio.h>
#include <string.h>

int WINAPI WinMain(HINSTANCE hInstance, HINSTANCE hPrevInstance, LPSTR lpCmdLine, int nShowCmd)
{
    const char *expected = "-e:6001 \"two words\" \"\" \"say \\\"hi\\\"\" back\\slash \"end dir\\\\\"";
    int failures = 0;
    if (strcmp(lpCmdLine, expected) != 0) {
        fprintf(stderr, "lpCmdLine is [%s]\nexpected     [%s]\n", lpCmdLine, expected);
        failures++;
    }
    failures += hInstance == NULL || hInstance != GetModuleHandle(NULL);
    failures += hPrevInstance != NULL;
    failures += nShowCmd != 10; /* SW_SHOWDEFAULT */
    printf("WinMain: %d failures\n", failures);
    return failures == 0 ? 11 : 1;
}
