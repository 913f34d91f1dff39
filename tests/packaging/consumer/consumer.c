/* Unchanged-Windows-style program that uses an installed iocpcompat. */
#if !defined(_DEFAULT_SOURCE)
#error "the package must define _DEFAULT_SOURCE for its users"
#endif

#include <winsock2.h>
#include <mswsock.h>
#include <windows.h>
#include <iocpcompat.h>

#include <stdio.h>
#include <string.h>

#ifndef IOCPCOMPAT_WINDOWS_H
#error "<windows.h> did not resolve to iocpcompat's header"
#endif

int main(int argc, char **argv)
{
    const char *expected_version = argc > 1 ? argv[1] : NULL;
    WSADATA wsa;
    u_long nonblocking = 1; /* a BSD name: needs _DEFAULT_SOURCE under -std=c11 */
    OVERLAPPED ov;
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED done = NULL;

    if (expected_version && strcmp(iocpcompat_version(), expected_version) != 0) {
        fprintf(stderr, "consumer: linked version %s, expected %s\n", iocpcompat_version(),
                expected_version);
        return 1;
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "consumer: WSAStartup failed: %d\n", WSAGetLastError());
        return 1;
    }
    SOCKET s = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET || ioctlsocket(s, FIONBIO, &nonblocking) != 0) {
        fprintf(stderr, "consumer: socket set-up failed: %d\n", WSAGetLastError());
        return 1;
    }
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    if (port == NULL) {
        fprintf(stderr, "consumer: CreateIoCompletionPort failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    memset(&ov, 0, sizeof ov);
    if (!PostQueuedCompletionStatus(port, 42, 7, &ov) ||
        !GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000) ||
        bytes != 42 || key != 7 || done != &ov) {
        fprintf(stderr, "consumer: completion round trip failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    const char *engine = iocpcompat_port_engine(port);
    printf("consumer: iocpcompat %s, engine %s: OK\n", iocpcompat_version(), engine ? engine : "?");
    closesocket(s);
    CloseHandle(port);
    WSACleanup();
    return 0;
}
