#include <debugapi.h>

#include "unicode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void WINAPI OutputDebugStringA(LPCSTR text)
{
    const char *wanted = getenv("IOCPCOMPAT_DEBUG_OUTPUT");
    if (text == NULL || wanted == NULL || *wanted == '\0' || strcmp(wanted, "0") == 0)
        return;
    int saved = errno;
    fputs(text, stderr);
    errno = saved;
}

void WINAPI OutputDebugStringW(LPCWSTR text)
{
    if (text == NULL)
        return;
    int saved = errno;
    char *utf8 = utf8_from_wide(text);
    if (utf8 != NULL)
        OutputDebugStringA(utf8);
    free(utf8);
    errno = saved;
}

/* The kernel names the tracing process in /proc/self/status. */
BOOL WINAPI IsDebuggerPresent(void)
{
    int saved = errno;
    FILE *f = fopen("/proc/self/status", "re");
    long tracer = 0;
    if (f != NULL) {
        char line[256];
        while (fgets(line, sizeof(line), f) != NULL)
            if (strncmp(line, "TracerPid:", 10) == 0) {
                tracer = strtol(line + 10, NULL, 10);
                break;
            }
        fclose(f);
    }
    errno = saved;
    return tracer != 0;
}
