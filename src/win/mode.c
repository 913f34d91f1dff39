#include "mode.h"

#include <mswsock.h>
#include <stdio.h>
#include <string.h>

/* mingw-w64's SDK declares nothing of RIO but WSA_FLAG_REGISTERED_IO. */
#ifndef RIO_CORRUPT_CQ
#include "../../include/iocpcompat/iocpcompat_rio.h"
#endif

static INIT_ONCE mode_once = INIT_ONCE_STATIC_INIT;
static enum win_mode mode;
static char mode_text[32];

static BOOL CALLBACK read_mode(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    DWORD n = GetEnvironmentVariableA("IOCPCOMPAT_BACKEND", mode_text, sizeof(mode_text));
    if (n >= sizeof(mode_text)) {
        mode_text[0] = '\0';
        mode = WIN_MODE_REFUSED;
    } else if (n == 0 || strcmp(mode_text, "iocp") == 0 || strcmp(mode_text, "auto") == 0) {
        mode = WIN_MODE_IOCP;
    } else if (strcmp(mode_text, "rio") == 0) {
        mode = WIN_MODE_RIO;
    } else {
        mode = WIN_MODE_REFUSED;
    }
    return TRUE;
}

enum win_mode win_mode(void)
{
    InitOnceExecuteOnce(&mode_once, read_mode, NULL, NULL);
    return mode;
}

static INIT_ONCE provider_once = INIT_ONCE_STATIC_INIT;
static enum win_rio_provider provider;

static BOOL CALLBACK read_provider(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    char text[32];
    DWORD n = GetEnvironmentVariableA("IOCPCOMPAT_RIO_PROVIDER", text, sizeof(text));
    if (n == 0 || (n < sizeof(text) && strcmp(text, "native") == 0)) {
        provider = WIN_RIO_NATIVE;
    } else if (n < sizeof(text) && strcmp(text, "overlapped") == 0) {
        provider = WIN_RIO_OVERLAPPED;
    } else {
        provider = WIN_RIO_REFUSED;
        fprintf(stderr, "iocpcompat: IOCPCOMPAT_RIO_PROVIDER=%s names no RIO provider (native or"
                        " overlapped): the RIO function table is refused\n",
                n < sizeof(text) ? text : "(too long)");
        fflush(stderr);
    }
    return TRUE;
}

enum win_rio_provider win_rio_provider(void)
{
    InitOnceExecuteOnce(&provider_once, read_provider, NULL, NULL);
    return provider;
}

/* Whether the system offers Registered I/O: its function table, asked of a
 * WSA_FLAG_REGISTERED_IO socket (Wine: WSAEOPNOTSUPP). */
static BOOL rio_present(int *error)
{
    WSADATA data;
    *error = WSAStartup(MAKEWORD(2, 2), &data);
    if (*error != 0)
        return FALSE;
    BOOL present = FALSE;
    SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                          WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO);
    if (s == INVALID_SOCKET) {
        *error = WSAGetLastError();
    } else {
        GUID id = WSAID_MULTIPLE_RIO;
        RIO_EXTENSION_FUNCTION_TABLE table;
        DWORD bytes = 0;
        memset(&table, 0, sizeof(table));
        table.cbSize = sizeof(table);
        present = WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &id, sizeof(id),
                           &table, sizeof(table), &bytes, NULL, NULL) == 0;
        *error = present ? 0 : WSAGetLastError();
        closesocket(s);
    }
    WSACleanup();
    return present;
}

static INIT_ONCE refusal_once = INIT_ONCE_STATIC_INIT;
static DWORD refusal;

static BOOL CALLBACK decide_refusal(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    int error = 0;
    switch (win_mode()) {
    case WIN_MODE_IOCP:
        refusal = 0;
        break;
    case WIN_MODE_REFUSED:
        fprintf(stderr, "iocpcompat: IOCPCOMPAT_BACKEND=%s names no Windows mode (iocp, rio or auto):"
                        " CreateIoCompletionPort fails\n", mode_text);
        refusal = ERROR_INVALID_PARAMETER;
        break;
    case WIN_MODE_RIO:
        if (!rio_present(&error))
            fprintf(stderr, "iocpcompat: IOCPCOMPAT_BACKEND=rio, but this system has no Registered"
                            " I/O (error %d): CreateIoCompletionPort fails\n", error);
        else
            fprintf(stderr, "iocpcompat: IOCPCOMPAT_BACKEND=rio is not served by this build yet:"
                            " CreateIoCompletionPort fails\n");
        refusal = ERROR_INVALID_PARAMETER;
        break;
    }
    fflush(stderr);
    return TRUE;
}

DWORD win_mode_port_refusal(void)
{
    InitOnceExecuteOnce(&refusal_once, decide_refusal, NULL, NULL);
    return refusal;
}
