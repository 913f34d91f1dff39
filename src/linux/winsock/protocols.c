/*
 * WSAEnumProtocolsA: the catalogue of what WSASocket can make here, TCP and
 * UDP over IPv4 and IPv6, described with the service flags, address sizes
 * and message sizes Windows' own TCP/IP provider reports for them. The
 * provider is this library (its own GUID and names), one base protocol
 * per entry.
 */
#include "protocols.h"
#include "error.h"
#include "socket.h"

#include <string.h>

#define STREAM_FLAGS (XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | \
                      XP1_EXPEDITED_DATA | XP1_IFS_HANDLES)
#define DGRAM_FLAGS (XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST | \
                     XP1_SUPPORT_MULTIPOINT | XP1_IFS_HANDLES)

static const GUID provider = { 0x5d1f8a3e, 0x6c2b, 0x4e8f, { 0x9a, 0x41, 0x1c, 0x0e, 0x7b, 0x52, 0xd3, 0x6a } };

struct entry {
    int family, type, protocol;
    DWORD flags, message_size;
    const char *name;
};

static const struct entry entries[] = {
    { AF_INET, SOCK_STREAM, IPPROTO_TCP, STREAM_FLAGS, 0, "iocpcompat [TCP/IP]" },
    { AF_INET, SOCK_DGRAM, IPPROTO_UDP, DGRAM_FLAGS, 0xffbb, "iocpcompat [UDP/IP]" },
    { AF_INET6, SOCK_STREAM, IPPROTO_TCP, STREAM_FLAGS, 0, "iocpcompat [TCP/IPv6]" },
    { AF_INET6, SOCK_DGRAM, IPPROTO_UDP, DGRAM_FLAGS, 0xffbb, "iocpcompat [UDP/IPv6]" },
};
#define ENTRIES (sizeof(entries) / sizeof(entries[0]))

static bool wanted(const INT *protocols, int protocol)
{
    if (protocols == NULL)
        return true;
    for (; *protocols != 0; protocols++)
        if (*protocols == protocol)
            return true;
    return false;
}

static void describe(const struct entry *e, unsigned index, WSAPROTOCOL_INFOA *info)
{
    memset(info, 0, sizeof(*info));
    info->dwServiceFlags1 = e->flags;
    info->dwProviderFlags = PFL_MATCHES_PROTOCOL_ZERO;
    info->ProviderId = provider;
    info->dwCatalogEntryId = 1001 + index;
    info->ProtocolChain.ChainLen = BASE_PROTOCOL;
    info->iVersion = 2;
    info->iAddressFamily = e->family;
    info->iMaxSockAddr = e->family == AF_INET ? (int)sizeof(struct sockaddr_in)
                                              : (int)sizeof(struct sockaddr_in6);
    info->iMinSockAddr = info->iMaxSockAddr;
    info->iSocketType = e->type;
    info->iProtocol = e->protocol;
    info->iNetworkByteOrder = BIGENDIAN;
    info->iSecurityScheme = SECURITY_PROTOCOL_NONE;
    info->dwMessageSize = e->message_size;
    strncpy(info->szProtocol, e->name, WSAPROTOCOL_LEN);
}

int WSAAPI WSAEnumProtocolsA(LPINT protocols, LPWSAPROTOCOL_INFOA buffer, LPDWORD length)
{
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    if (length == NULL) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    unsigned count = 0;
    for (unsigned i = 0; i < ENTRIES; i++)
        if (wanted(protocols, entries[i].protocol))
            count++;
    DWORD needed = (DWORD)(count * sizeof(WSAPROTOCOL_INFOA));
    if (buffer == NULL || *length < needed) {
        *length = needed;
        error_set(WSAENOBUFS);
        return SOCKET_ERROR;
    }
    unsigned n = 0;
    for (unsigned i = 0; i < ENTRIES; i++)
        if (wanted(protocols, entries[i].protocol))
            describe(&entries[i], i, &buffer[n++]);
    *length = needed;
    error_set(0);
    return (int)n;
}

bool protocols_describe(int family, int type, WSAPROTOCOL_INFOA *info)
{
    for (unsigned i = 0; i < ENTRIES; i++) {
        if (entries[i].family == family && entries[i].type == type) {
            describe(&entries[i], i, info);
            return true;
        }
    }
    return false;
}
