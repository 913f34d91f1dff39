/* SEH cleanup patterns in C, built with iocpcompat_windows_sources(SEH). */
#include <windows.h>

#include "seh.inc"

int main(void)
{
    int failures = check_seh();
    printf("seh (C): %d failures\n", failures);
    return failures != 0;
}
