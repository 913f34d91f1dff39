#include "error.h"

#include <string.h>
#include <unistd.h>
#include <winsock2.h>

SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC condition,
                        DWORD_PTR data)
{
    struct sockaddr_storage peer;
    int peerlen = (int)sizeof(peer);
    if (addr != NULL && (addrlen == NULL || *addrlen < (int)sizeof(struct sockaddr_in))) {
        error_set(WSAEFAULT);
        return INVALID_SOCKET;
    }
    SOCKET conn = iocpcompat_accept(s, (struct sockaddr *)&peer, &peerlen);
    if (conn == INVALID_SOCKET)
        return INVALID_SOCKET;
    if (condition != NULL) {
        WSABUF caller = { (ULONG)peerlen, (char *)&peer };
        WSABUF callee = { 0, NULL };
        GROUP group = 0;
        int verdict = condition(&caller, NULL, NULL, NULL, &callee, NULL, &group, data);
        if (verdict != CF_ACCEPT) {
            close((int)conn);
            error_set(verdict == CF_DEFER ? (DWORD)WSATRY_AGAIN : (DWORD)WSAECONNREFUSED);
            return INVALID_SOCKET;
        }
    }
    if (addr != NULL) {
        if (*addrlen < peerlen) {
            close((int)conn);
            error_set(WSAEFAULT);
            return INVALID_SOCKET;
        }
        memcpy(addr, &peer, (size_t)peerlen);
        *addrlen = peerlen;
    }
    return conn;
}
