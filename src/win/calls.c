/*
 * The calls iocpcompat_win.h renames, exported from iocpcompat.dll with the
 * SDK's prototypes. This file sees the SDK's names unrenamed: each export
 * hands its call to the SDK's function, which in iocp mode is the whole
 * cost (one forwarding call). The rio mode refuses completion ports until
 * it is served (mode.c), so nothing else here depends on the mode yet.
 */
#include "mode.h"

#include <winsock2.h>
#include <windows.h>

#define EXPORT __declspec(dllexport)

EXPORT int WSAAPI iocpcompat_WSARecv(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD received,
                                     LPDWORD flags, LPWSAOVERLAPPED ovl,
                                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return WSARecv(s, buffers, count, received, flags, ovl, routine);
}

EXPORT int WSAAPI iocpcompat_WSASend(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD sent,
                                     DWORD flags, LPWSAOVERLAPPED ovl,
                                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return WSASend(s, buffers, count, sent, flags, ovl, routine);
}

EXPORT int WSAAPI iocpcompat_WSARecvFrom(SOCKET s, LPWSABUF buffers, DWORD count,
                                         LPDWORD received, LPDWORD flags, struct sockaddr *from,
                                         LPINT fromlen, LPWSAOVERLAPPED ovl,
                                         LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return WSARecvFrom(s, buffers, count, received, flags, from, fromlen, ovl, routine);
}

EXPORT int WSAAPI iocpcompat_WSASendTo(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD sent,
                                       DWORD flags, const struct sockaddr *to, int tolen,
                                       LPWSAOVERLAPPED ovl,
                                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return WSASendTo(s, buffers, count, sent, flags, to, tolen, ovl, routine);
}

EXPORT BOOL WSAAPI iocpcompat_WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED ovl,
                                                     LPDWORD bytes, BOOL wait, LPDWORD flags)
{
    return WSAGetOverlappedResult(s, ovl, bytes, wait, flags);
}

EXPORT SOCKET WSAAPI iocpcompat_WSASocketA(int af, int type, int protocol,
                                           LPWSAPROTOCOL_INFOA info, GROUP group, DWORD flags)
{
    return WSASocketA(af, type, protocol, info, group, flags);
}

EXPORT SOCKET WSAAPI iocpcompat_WSASocketW(int af, int type, int protocol,
                                           LPWSAPROTOCOL_INFOW info, GROUP group, DWORD flags)
{
    return WSASocketW(af, type, protocol, info, group, flags);
}

EXPORT SOCKET WSAAPI iocpcompat_socket(int af, int type, int protocol)
{
    return socket(af, type, protocol);
}

EXPORT int WSAAPI iocpcompat_closesocket(SOCKET s)
{
    return closesocket(s);
}

EXPORT HANDLE WINAPI iocpcompat_CreateIoCompletionPort(HANDLE file, HANDLE existing,
                                                       ULONG_PTR key, DWORD concurrency)
{
    DWORD refusal = win_mode_port_refusal();
    if (refusal != 0) {
        SetLastError(refusal);
        return NULL;
    }
    return CreateIoCompletionPort(file, existing, key, concurrency);
}

EXPORT BOOL WINAPI iocpcompat_GetQueuedCompletionStatus(HANDLE port, LPDWORD bytes,
                                                        PULONG_PTR key, LPOVERLAPPED *ovl,
                                                        DWORD ms)
{
    return GetQueuedCompletionStatus(port, bytes, key, ovl, ms);
}

EXPORT BOOL WINAPI iocpcompat_GetQueuedCompletionStatusEx(HANDLE port,
                                                          LPOVERLAPPED_ENTRY entries, ULONG count,
                                                          PULONG removed, DWORD ms, BOOL alertable)
{
    return GetQueuedCompletionStatusEx(port, entries, count, removed, ms, alertable);
}

EXPORT BOOL WINAPI iocpcompat_CancelIo(HANDLE file)
{
    return CancelIo(file);
}

EXPORT BOOL WINAPI iocpcompat_CancelIoEx(HANDLE file, LPOVERLAPPED ovl)
{
    return CancelIoEx(file, ovl);
}
