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
#include <string.h>

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

/* The rest of <ws2tcpip.h> and <ws2ipdef.h>. The AI_* flags that only
 * Windows has are accepted by GetAddrInfoA and ignored (AI_FQDN asks for
 * the canonical name). Windows-only IP_* and IPV6_* options are left
 * undeclared (tests/coverage/absent-winsock.txt says why). */
#define AI_DISABLE_IDN_ENCODING              0x80000
#define AI_FILESERVER                        0x40000
#define AI_FQDN                              0x20000
#define AI_NON_AUTHORITATIVE                 0x4000
#define AI_RETURN_PREFERRED_NAMES            0x10000
#define AI_SECURE                            0x8000

#define SIO_GET_INTERFACE_LIST               0x4004747F
#define SIO_GET_INTERFACE_LIST_EX            0x4004747E
#define SIO_GET_MULTICAST_FILTER             0x8004747CU
#define SIO_SET_MULTICAST_FILTER             0x8004747DU
#define IPV6_ADDRESS_BITS                    128

#define IP_UNSPECIFIED_HOP_LIMIT             (-1)
#define IP_UNSPECIFIED_TYPE_OF_SERVICE       (-1)

#define SS_PORT(ssp) (((struct sockaddr_in *)(ssp))->sin_port)

/* Multicast requests: the C library's structures, read by the same
 * member names. MULTICAST_MODE_TYPE takes the C library's MCAST_INCLUDE
 * and MCAST_EXCLUDE, which its setsockopt understands. */
typedef struct ip_mreq IP_MREQ, *PIP_MREQ;
typedef struct ipv6_mreq IPV6_MREQ;
typedef struct ip_mreq_source IP_MREQ_SOURCE, *PIP_MREQ_SOURCE;
typedef struct ip_msfilter *PIP_MSFILTER;
typedef struct group_req GROUP_REQ, *PGROUP_REQ;
typedef struct group_source_req GROUP_SOURCE_REQ, *PGROUP_SOURCE_REQ;
typedef struct group_filter GROUP_FILTER, *PGROUP_FILTER;
typedef int MULTICAST_MODE_TYPE;

typedef union _SOCKADDR_INET {
    SOCKADDR_IN    Ipv4;
    SOCKADDR_IN6   Ipv6;
    ADDRESS_FAMILY si_family;
} SOCKADDR_INET, *PSOCKADDR_INET;

typedef struct _sockaddr_in6_pair {
    PSOCKADDR_IN6 SourceAddress;
    PSOCKADDR_IN6 DestinationAddress;
} SOCKADDR_IN6_PAIR, *PSOCKADDR_IN6_PAIR;

struct sockaddr_in6_old {
    SHORT    sin6_family;
    USHORT   sin6_port;
    ULONG    sin6_flowinfo;
    IN6_ADDR sin6_addr;
};

typedef union sockaddr_gen {
    struct sockaddr         Address;
    struct sockaddr_in      AddressIn;
    struct sockaddr_in6_old AddressIn6;
} sockaddr_gen;

/* SIO_GET_INTERFACE_LIST's entries (the ioctl is not offered: WSAEOPNOTSUPP). */
typedef struct _INTERFACE_INFO {
    ULONG        iiFlags;
    sockaddr_gen iiAddress;
    sockaddr_gen iiBroadcastAddress;
    sockaddr_gen iiNetmask;
} INTERFACE_INFO, *LPINTERFACE_INFO;

typedef struct _INTERFACE_INFO_EX {
    ULONG          iiFlags;
    SOCKET_ADDRESS iiAddress;
    SOCKET_ADDRESS iiBroadcastAddress;
    SOCKET_ADDRESS iiNetmask;
} INTERFACE_INFO_EX, *LPINTERFACE_INFO_EX;
IOCPCOMPAT_STATIC_ASSERT(sizeof(sockaddr_gen) == 24, "sockaddr_gen is 24 bytes");
IOCPCOMPAT_STATIC_ASSERT(sizeof(INTERFACE_INFO) == 76, "INTERFACE_INFO is 76 bytes");

static inline BOOLEAN IN6_ADDR_EQUAL(const IN6_ADDR *x, const IN6_ADDR *y)
{
    return memcmp(x, y, sizeof(IN6_ADDR)) == 0;
}
static inline void IN6_SET_ADDR_UNSPECIFIED(IN6_ADDR *a) { memset(a, 0, sizeof(*a)); }
static inline void IN6_SET_ADDR_LOOPBACK(IN6_ADDR *a)
{
    memset(a, 0, sizeof(*a));
    a->s6_addr[15] = 1;
}
static inline BOOLEAN IN6ADDR_ISANY(const SOCKADDR_IN6 *a)
{
    return a->sin6_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr);
}
static inline BOOLEAN IN6ADDR_ISLOOPBACK(const SOCKADDR_IN6 *a)
{
    return a->sin6_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
}
static inline void IN6ADDR_SETANY(SOCKADDR_IN6 *a)
{
    memset(a, 0, sizeof(*a));
    a->sin6_family = AF_INET6;
}
static inline void IN6ADDR_SETLOOPBACK(SOCKADDR_IN6 *a)
{
    IN6ADDR_SETANY(a);
    IN6_SET_ADDR_LOOPBACK(&a->sin6_addr);
}

/* GetAddrInfoExA's results: Windows' own layout (its blob and provider
 * members), filled from the C library's lookup. */
typedef struct addrinfoExA {
    int                 ai_flags;
    int                 ai_family;
    int                 ai_socktype;
    int                 ai_protocol;
    size_t              ai_addrlen;
    char               *ai_canonname;
    struct sockaddr    *ai_addr;
    void               *ai_blob;
    size_t              ai_bloblen;
    LPGUID              ai_provider;
    struct addrinfoExA *ai_next;
} ADDRINFOEXA, *PADDRINFOEXA;
IOCPCOMPAT_STATIC_ASSERT(sizeof(ADDRINFOEXA) == 72, "ADDRINFOEXA is 72 bytes on Win64");
#define addrinfoEx  addrinfoExA
typedef ADDRINFOEXA *PADDRINFOEX;
/* The wide lookup's result, in Windows' layout (canonical name before the
 * address, as in Windows' ADDRINFOA). */
typedef struct addrinfoW {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    size_t ai_addrlen;
    PWSTR ai_canonname;
    struct sockaddr *ai_addr;
    struct addrinfoW *ai_next;
} ADDRINFOW, *PADDRINFOW;
IOCPCOMPAT_STATIC_ASSERT(sizeof(ADDRINFOW) == 48, "ADDRINFOW is 48 bytes on Win64");
#ifdef UNICODE
typedef ADDRINFOW ADDRINFOT, *PADDRINFOT;
#else
typedef ADDRINFOA ADDRINFOT, *PADDRINFOT;
#endif

typedef void (CALLBACK *LPLOOKUPSERVICE_COMPLETION_ROUTINE)(DWORD dwError, DWORD dwBytes,
                                                             LPWSAOVERLAPPED lpOverlapped);

IOCPCOMPAT_EXTERN_C_BEGIN
/* Synchronous only: an OVERLAPPED or completion routine (Windows 8's
 * asynchronous form) fails with WSAEOPNOTSUPP, and only NS_ALL and NS_DNS
 * name spaces are asked. */
IOCPCOMPAT_API int WSAAPI GetAddrInfoExA(PCSTR pName, PCSTR pServiceName, DWORD dwNameSpace,
                                         LPGUID lpNspId, const ADDRINFOEXA *hints,
                                         PADDRINFOEXA *ppResult, struct timeval *timeout,
                                         LPOVERLAPPED lpOverlapped,
                                         LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine,
                                         LPHANDLE lpNameHandle);
IOCPCOMPAT_API void WSAAPI FreeAddrInfoEx(PADDRINFOEXA pAddrInfo);
/* Registering a name with a name space: not offered (WSAEOPNOTSUPP). */
IOCPCOMPAT_API int WSAAPI SetAddrInfoExA(PCSTR pName, PCSTR pServiceName, SOCKET_ADDRESS *pAddresses,
                                         DWORD dwAddressCount, LPBLOB lpBlob, DWORD dwFlags,
                                         DWORD dwNameSpace, LPGUID lpNspId, struct timeval *timeout,
                                         LPOVERLAPPED lpOverlapped,
                                         LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine,
                                         LPHANDLE lpNameHandle);
IOCPCOMPAT_API INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf);
IOCPCOMPAT_API PCWSTR WSAAPI InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf,
                                       size_t StringBufSize);
IOCPCOMPAT_EXTERN_C_END
#define FreeAddrInfoExA FreeAddrInfoEx
#define GetAddrInfoEx   GetAddrInfoExA
#define SetAddrInfoEx   SetAddrInfoExA

/* The wide forms: the names in WCHARs, converted to and from UTF-8 around
 * the ANSI ones (README, "UNICODE builds"). */
IOCPCOMPAT_EXTERN_C_BEGIN
IOCPCOMPAT_API INT WSAAPI GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName, const ADDRINFOW *pHints,
                                       PADDRINFOW *ppResult);
IOCPCOMPAT_API VOID WSAAPI FreeAddrInfoW(PADDRINFOW pAddrInfo);
IOCPCOMPAT_API INT WSAAPI GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength,
                                       PWCHAR pNodeBuffer, DWORD NodeBufferSize,
                                       PWCHAR pServiceBuffer, DWORD ServiceBufferSize, INT Flags);
IOCPCOMPAT_API INT WSAAPI GetHostNameW(PWSTR name, INT namelen);
IOCPCOMPAT_EXTERN_C_END

#ifdef UNICODE
#define GetAddrInfo  GetAddrInfoW
#define FreeAddrInfo FreeAddrInfoW
#define GetNameInfo  GetNameInfoW
#define InetPton     InetPtonW
#define InetNtop     InetNtopW
#else
#define GetAddrInfo  GetAddrInfoA
#define FreeAddrInfo FreeAddrInfoA
#define GetNameInfo  GetNameInfoA
#define InetPton     InetPtonA
#define InetNtop     InetNtopA
#endif

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
#define EAI_NODATA      WSANO_DATA   /* mingw-w64's value; the SDK makes it EAI_NONAME */
#endif

#endif
