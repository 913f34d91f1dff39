/*
 * Winsock 2 TCP/IP extras. getaddrinfo and getnameinfo are Windows' here
 * (GetAddrInfoA, GetNameInfoA): they return Winsock codes, which Windows'
 * EAI_* are, and set WSAGetLastError. The result structure is the C
 * library's struct addrinfo (the same member names, in its own layout), and
 * the AI_* and NI_* flags keep the C library's values.
 */
#ifndef IOCPCOMPAT_WS2TCPIP_H
#define IOCPCOMPAT_WS2TCPIP_H

#include "winsock2.h"
#include <netdb.h>

typedef struct addrinfo ADDRINFOA, *PADDRINFOA;
typedef ADDRINFOA ADDRINFO, *LPADDRINFO;

#define GAI_STRERROR_BUFFER_SIZE 1024

/* IP_PKTINFO's data: the C library's structures (see WSACMSGHDR). */
typedef struct in_pktinfo IN_PKTINFO, *PIN_PKTINFO;
#ifndef __USE_GNU
struct in6_pktinfo {
    struct in6_addr ipi6_addr;
    unsigned int ipi6_ifindex;
};
#endif
typedef struct in6_pktinfo IN6_PKTINFO, *PIN6_PKTINFO;
IOCPCOMPAT_STATIC_ASSERT(sizeof(IN6_PKTINFO) == 20, "IN6_PKTINFO is 20 bytes");

IOCPCOMPAT_EXTERN_C_BEGIN
IOCPCOMPAT_API INT WSAAPI GetAddrInfoA(PCSTR pNodeName, PCSTR pServiceName,
                                       const ADDRINFOA *pHints, PADDRINFOA *ppResult);
IOCPCOMPAT_API VOID WSAAPI FreeAddrInfoA(PADDRINFOA pAddrInfo);
IOCPCOMPAT_API INT WSAAPI GetNameInfoA(const SOCKADDR *pSockaddr, socklen_t SockaddrLength,
                                       PCHAR pNodeBuffer, DWORD NodeBufferSize,
                                       PCHAR pServiceBuffer, DWORD ServiceBufferSize, INT Flags);
IOCPCOMPAT_API char *WSAAPI gai_strerrorA(int ecode);
IOCPCOMPAT_API INT WSAAPI InetPtonA(INT Family, PCSTR pszAddrString, PVOID pAddrBuf);
IOCPCOMPAT_API PCSTR WSAAPI InetNtopA(INT Family, const VOID *pAddr, PSTR pStringBuf,
                                      size_t StringBufSize);
IOCPCOMPAT_EXTERN_C_END

/* The ANSI forms; the wide ones are not offered (see README). */
#define GetAddrInfo  GetAddrInfoA
#define FreeAddrInfo FreeAddrInfoA
#define GetNameInfo  GetNameInfoA
#define InetPton     InetPtonA
#define InetNtop     InetNtopA

#ifndef IOCPCOMPAT_BUILDING
#define getaddrinfo  GetAddrInfoA
#define getnameinfo  GetNameInfoA
#undef gai_strerror
#define gai_strerror gai_strerrorA
#undef EAI_AGAIN
#undef EAI_BADFLAGS
#undef EAI_FAIL
#undef EAI_FAMILY
#undef EAI_MEMORY
#undef EAI_NONAME
#undef EAI_SERVICE
#undef EAI_SOCKTYPE
#undef EAI_NODATA
#define EAI_AGAIN       WSATRY_AGAIN
#define EAI_BADFLAGS    WSAEINVAL
#define EAI_FAIL        WSANO_RECOVERY
#define EAI_FAMILY      WSAEAFNOSUPPORT
#define EAI_MEMORY      WSA_NOT_ENOUGH_MEMORY
#define EAI_NONAME      WSAHOST_NOT_FOUND
#define EAI_SERVICE     WSATYPE_NOT_FOUND
#define EAI_SOCKTYPE    WSAESOCKTNOSUPPORT
#define EAI_NODATA      EAI_NONAME
#endif

#endif
