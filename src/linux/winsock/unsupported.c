/*
 * The Winsock calls Linux has nothing to serve with, each failing as
 * Windows does when it cannot: Winsock 1.1's blocking hooks (removed in
 * Winsock 2, where they fail with WSAEOPNOTSUPP too), another process's
 * socket, multipoint sessions, QOS templates, provider change notices, and
 * the registration and resolution name spaces (Linux has no name-space
 * providers: none is listed, no lookup finds anything, nothing can be
 * registered).
 */
#include "error.h"
#include "socket.h"

#include <ws2tcpip.h>

static bool started(void)
{
    if (winsock_started())
        return true;
    error_set(WSANOTINITIALISED);
    return false;
}

static int fail(DWORD code)
{
    error_set(code);
    return SOCKET_ERROR;
}

BOOL WSAAPI WSAIsBlocking(void) { return FALSE; }

int WSAAPI WSACancelBlockingCall(void) { return fail(started() ? WSAEOPNOTSUPP : WSANOTINITIALISED); }

FARPROC WSAAPI WSASetBlockingHook(FARPROC hook)
{
    (void)hook;
    error_set(started() ? WSAEOPNOTSUPP : WSANOTINITIALISED);
    return NULL;
}

int WSAAPI WSAUnhookBlockingHook(void) { return fail(started() ? WSAEOPNOTSUPP : WSANOTINITIALISED); }

int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOA info)
{
    (void)pid;
    struct sock *rec = sock_for_call(s);
    if (rec == NULL)
        return SOCKET_ERROR;
    sock_release(rec);
    return fail(info == NULL ? WSAEFAULT : WSAEOPNOTSUPP);
}

SOCKET WSAAPI WSAJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller,
                          LPWSABUF callee, LPQOS sqos, LPQOS gqos, DWORD flags)
{
    (void)name, (void)namelen, (void)caller, (void)callee, (void)sqos, (void)gqos, (void)flags;
    struct sock *rec = sock_for_call(s);
    if (rec != NULL) {
        sock_release(rec);
        error_set(WSAEOPNOTSUPP);
    }
    return INVALID_SOCKET;
}

BOOL WSAAPI WSAGetQOSByName(SOCKET s, LPWSABUF name, LPQOS qos)
{
    (void)name, (void)qos;
    struct sock *rec = sock_for_call(s);
    if (rec != NULL) {
        sock_release(rec);
        error_set(WSAEOPNOTSUPP);
    }
    return FALSE;
}

int WSAAPI WSAProviderConfigChange(LPHANDLE handle, LPWSAOVERLAPPED ovl,
                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    (void)ovl, (void)routine;
    if (!started())
        return SOCKET_ERROR;
    return fail(handle == NULL ? WSAEFAULT : WSAEOPNOTSUPP);
}

static INT no_providers(LPDWORD length)
{
    if (!started())
        return SOCKET_ERROR;
    if (length == NULL)
        return fail(WSAEFAULT);
    error_set(0);
    return 0;   /* the number of providers */
}

INT WSAAPI WSAEnumNameSpaceProvidersA(LPDWORD length, LPWSANAMESPACE_INFOA buffer)
{
    (void)buffer;
    return no_providers(length);
}

INT WSAAPI WSAEnumNameSpaceProvidersExA(LPDWORD length, LPWSANAMESPACE_INFOEXA buffer)
{
    (void)buffer;
    return no_providers(length);
}

INT WSAAPI WSALookupServiceBeginA(LPWSAQUERYSETA restrictions, DWORD flags, LPHANDLE lookup)
{
    (void)flags;
    if (!started())
        return SOCKET_ERROR;
    if (restrictions == NULL || lookup == NULL)
        return fail(WSAEFAULT);
    if (restrictions->dwSize < sizeof(WSAQUERYSETA))
        return fail(WSAEFAULT);
    return fail(WSASERVICE_NOT_FOUND);
}

INT WSAAPI WSALookupServiceNextA(HANDLE lookup, DWORD flags, LPDWORD length, LPWSAQUERYSETA results)
{
    (void)lookup, (void)flags, (void)length, (void)results;
    return started() ? fail(WSA_INVALID_HANDLE) : SOCKET_ERROR;
}

INT WSAAPI WSALookupServiceEnd(HANDLE lookup)
{
    (void)lookup;
    return started() ? fail(WSA_INVALID_HANDLE) : SOCKET_ERROR;
}

INT WSAAPI WSANSPIoctl(HANDLE lookup, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
                       DWORD out_size, LPDWORD returned, LPWSACOMPLETION completion)
{
    (void)lookup, (void)code, (void)in, (void)in_size, (void)out, (void)out_size;
    (void)returned, (void)completion;
    return started() ? fail(WSA_INVALID_HANDLE) : SOCKET_ERROR;
}

INT WSAAPI WSASetServiceA(LPWSAQUERYSETA info, WSAESETSERVICEOP op, DWORD flags)
{
    (void)op, (void)flags;
    if (!started())
        return SOCKET_ERROR;
    return fail(info == NULL ? WSAEFAULT : WSAEOPNOTSUPP);
}

INT WSAAPI WSAInstallServiceClassA(LPWSASERVICECLASSINFOA info)
{
    if (!started())
        return SOCKET_ERROR;
    return fail(info == NULL ? WSAEFAULT : WSAEOPNOTSUPP);
}

INT WSAAPI WSARemoveServiceClass(LPGUID id)
{
    if (!started())
        return SOCKET_ERROR;
    return fail(id == NULL ? WSAEFAULT : WSATYPE_NOT_FOUND);
}

INT WSAAPI WSAGetServiceClassInfoA(LPGUID provider, LPGUID id, LPDWORD size,
                                   LPWSASERVICECLASSINFOA info)
{
    (void)provider, (void)info;
    if (!started())
        return SOCKET_ERROR;
    return fail(id == NULL || size == NULL ? WSAEFAULT : WSATYPE_NOT_FOUND);
}

INT WSAAPI WSAGetServiceClassNameByClassIdA(LPGUID id, LPSTR name, LPDWORD length)
{
    (void)name;
    if (!started())
        return SOCKET_ERROR;
    return fail(id == NULL || length == NULL ? WSAEFAULT : WSATYPE_NOT_FOUND);
}

int WSAAPI SetAddrInfoExA(PCSTR name, PCSTR service, SOCKET_ADDRESS *addresses, DWORD count,
                          LPBLOB blob, DWORD flags, DWORD name_space, LPGUID nsp,
                          struct timeval *timeout, LPOVERLAPPED ovl,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE routine, LPHANDLE handle)
{
    (void)name, (void)service, (void)addresses, (void)count, (void)blob, (void)flags;
    (void)name_space, (void)nsp, (void)timeout, (void)ovl, (void)routine, (void)handle;
    if (!started())
        return WSANOTINITIALISED;
    error_set(WSAEOPNOTSUPP);
    return WSAEOPNOTSUPP;
}
