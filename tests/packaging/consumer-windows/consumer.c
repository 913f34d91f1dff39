/* A plain Windows IOCP program built against an installed iocpcompat.
 * Its calls must reach iocpcompat.dll: with IOCPCOMPAT_BACKEND naming no
 * mode, CreateIoCompletionPort fails (row M3), which the SDK's own never
 * would. */
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <string.h>

#ifndef IOCPCOMPAT_WIN_H
#error "the package did not force-include iocpcompat_win.h"
#endif

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "iocp";
    if (!SetEnvironmentVariableA("IOCPCOMPAT_BACKEND", mode))
        return 1;
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    if (strcmp(mode, "iocp") != 0) {
        if (port != NULL || GetLastError() != ERROR_INVALID_PARAMETER) {
            fprintf(stderr, "consumer: IOCPCOMPAT_BACKEND=%s did not refuse the port\n", mode);
            return 1;
        }
        printf("consumer: refused, as iocpcompat.dll does\n");
        return 0;
    }
    OVERLAPPED ov;
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED done = NULL;
    memset(&ov, 0, sizeof ov);
    if (port == NULL || !PostQueuedCompletionStatus(port, 42, 7, &ov) ||
        !GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000) || bytes != 42 || key != 7 ||
        done != &ov) {
        fprintf(stderr, "consumer: the packet did not go through the port\n");
        return 1;
    }
    CloseHandle(port);
    printf("consumer: OK\n");
    return 0;
}
