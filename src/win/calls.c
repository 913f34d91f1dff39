/*
 * The calls iocpcompat_win.h renames, exported from iocpcompat.dll with the
 * SDK's prototypes. This file sees the SDK's names unrenamed: each export
 * hands its call to the SDK's function, which in iocp mode is the whole
 * cost (one forwarding call). The rio mode refuses completion ports until
 * it is served (mode.c). The overlapped RIO provider (rio.h) is told of the
 * sockets made and closed.
 */
#include "mode.h"
#include "rio.h"

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

/* A socket the program made, which the overlapped provider records as a
 * RIO socket or a plain one; the system never sees WSA_FLAG_REGISTERED_IO
 * then, as one without RIO may refuse it. */
static DWORD socket_flags(DWORD flags)
{
    if (win_rio_provider() == WIN_RIO_OVERLAPPED)
        flags &= ~(DWORD)WSA_FLAG_REGISTERED_IO;
    return flags;
}

static SOCKET made(SOCKET s, DWORD flags)
{
    if (s != INVALID_SOCKET && win_rio_provider() == WIN_RIO_OVERLAPPED)
        rio_socket_made(s, (flags & WSA_FLAG_REGISTERED_IO) != 0);
    return s;
}

EXPORT SOCKET WSAAPI iocpcompat_WSASocketA(int af, int type, int protocol,
                                           LPWSAPROTOCOL_INFOA info, GROUP group, DWORD flags)
{
    return made(WSASocketA(af, type, protocol, info, group, socket_flags(flags)), flags);
}

EXPORT SOCKET WSAAPI iocpcompat_WSASocketW(int af, int type, int protocol,
                                           LPWSAPROTOCOL_INFOW info, GROUP group, DWORD flags)
{
    return made(WSASocketW(af, type, protocol, info, group, socket_flags(flags)), flags);
}

EXPORT SOCKET WSAAPI iocpcompat_socket(int af, int type, int protocol)
{
    return made(socket(af, type, protocol), 0);
}

EXPORT int WSAAPI iocpcompat_closesocket(SOCKET s)
{
    if (win_rio_provider() != WIN_RIO_OVERLAPPED)
        return closesocket(s);
    struct rio_rq *rq = rio_socket_forget(s);
    if (rq != NULL)
        rio_rq_closing(rq);
    int rc = closesocket(s);
    int code = WSAGetLastError();
    if (rq != NULL)
        rio_rq_closed(rq);
    WSASetLastError(code);
    return rc;
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
