/* Which branch cross-platform code takes: the Linux one by default, the
 * Windows one with DEFINE_WIN32. Our headers and the C library's must
 * compile either way. */
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <tchar.h>
#include <strsafe.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
#if defined(_WIN32) && defined(_WIN64)
    const char *branch = "_WIN32";
#elif !defined(_WIN32) && !defined(_WIN64)
    const char *branch = "Linux";
#else
    const char *branch = "mixed";
#endif
#ifdef _MSC_VER
    branch = "_MSC_VER";
#endif
    WSADATA wsa;
    int status = WSAStartup(MAKEWORD(2, 2), &wsa);
    printf("branch (C): %s, WSAStartup %d\n", branch, status);
    WSACleanup();
    return status;
}
