/*
 * Winsock 2 for Linux builds. SOCKET is the Linux file descriptor widened to
 * UINT_PTR, so BSD calls (bind, listen, setsockopt, ...) work on it directly
 * and structures keep their Win64 sizes. On Windows the SDK header is used.
 */
#ifndef IOCPCOMPAT_WINSOCK2_H
#define IOCPCOMPAT_WINSOCK2_H

#include "windows.h"

#include <sys/types.h>
#include <sys/socket.h>

/*
 * Windows code reaches an IPv4 address through the unions of its in_addr
 * (S_un.S_addr, S_un.S_un_b.s_b1, ...), where glibc's has one member,
 * s_addr. Both are the same four bytes, so glibc's definition is read with
 * the Windows body: its member becomes an unnamed zero-width bit-field and
 * the union. Then s_addr and the other short spellings name the union's
 * fields, as in the SDK. If <netinet/in.h> came first, glibc's in_addr stays
 * as it is (s_addr alone works).
 */
#ifndef _NETINET_IN_H
#define s_addr                                                               \
    : 0;                                                                     \
    union {                                                                  \
        struct { unsigned char s_b1, s_b2, s_b3, s_b4; } S_un_b;             \
        struct { unsigned short s_w1, s_w2; } S_un_w;                        \
        uint32_t S_addr;                                                     \
    } S_un
#include <netinet/in.h>
#undef s_addr
#define s_addr  S_un.S_addr
#define s_host  S_un.S_un_b.s_b2
#define s_net   S_un.S_un_b.s_b1
#define s_imp   S_un.S_un_w.s_w2
#define s_impno S_un.S_un_b.s_b4
#define s_lh    S_un.S_un_b.s_b3
#endif
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <unistd.h>   /* gethostname, before the macro below renames it */
#include <sys/time.h>
#ifdef __cplusplus
#include <type_traits>
#endif

typedef UINT_PTR SOCKET;
#define INVALID_SOCKET  ((SOCKET)(~0))
#define SOCKET_ERROR    (-1)

/*
 * Windows' fd_set: a count and an array of sockets, FD_SETSIZE long (64
 * unless the program defined it first), not the C library's bitmap. The C
 * library's fd_set was declared by <windows.h> under its own name, so the
 * name is taken over by a macro: `fd_set` and `struct fd_set` both mean
 * Windows' here, whatever came first. The macros behave as Windows' do (a
 * socket is added once, and not beyond FD_SETSIZE; select compacts the
 * sets to the ready sockets), evaluating their arguments more than once.
 */
#ifndef FD_SETSIZE
#define FD_SETSIZE 64
#endif
typedef struct iocpcompat_fd_set {
    u_int  fd_count;
    SOCKET fd_array[FD_SETSIZE];
} iocpcompat_fd_set;
#define fd_set iocpcompat_fd_set
typedef fd_set *PFD_SET, *LPFD_SET;

#define FD_CLR(fd, set)                                                          \
    do {                                                                         \
        u_int iocpcompat_i_;                                                     \
        for (iocpcompat_i_ = 0; iocpcompat_i_ < ((fd_set *)(set))->fd_count;     \
             iocpcompat_i_++) {                                                  \
            if (((fd_set *)(set))->fd_array[iocpcompat_i_] == (SOCKET)(fd)) {    \
                while (iocpcompat_i_ + 1 < ((fd_set *)(set))->fd_count) {        \
                    ((fd_set *)(set))->fd_array[iocpcompat_i_] =                 \
                        ((fd_set *)(set))->fd_array[iocpcompat_i_ + 1];          \
                    iocpcompat_i_++;                                             \
                }                                                                \
                ((fd_set *)(set))->fd_count--;                                   \
                break;                                                           \
            }                                                                    \
        }                                                                        \
    } while (0)
#define FD_SET(fd, set)                                                          \
    do {                                                                         \
        u_int iocpcompat_i_;                                                     \
        for (iocpcompat_i_ = 0; iocpcompat_i_ < ((fd_set *)(set))->fd_count;     \
             iocpcompat_i_++)                                                    \
            if (((fd_set *)(set))->fd_array[iocpcompat_i_] == (SOCKET)(fd))      \
                break;                                                           \
        if (iocpcompat_i_ == ((fd_set *)(set))->fd_count &&                      \
            ((fd_set *)(set))->fd_count < (u_int)FD_SETSIZE) {                   \
            ((fd_set *)(set))->fd_array[iocpcompat_i_] = (SOCKET)(fd);           \
            ((fd_set *)(set))->fd_count++;                                       \
        }                                                                        \
    } while (0)
#define FD_ZERO(set) (((fd_set *)(set))->fd_count = 0)
#define FD_ISSET(fd, set) __WSAFDIsSet((SOCKET)(fd), (fd_set *)(set))

/* Windows' name for the C library's struct timeval (long seconds and
 * microseconds, which select reads by name). */
typedef struct timeval TIMEVAL, *PTIMEVAL, *LPTIMEVAL;

typedef unsigned int GROUP;
typedef HANDLE       WSAEVENT;
typedef WSAEVENT    *LPWSAEVENT;
#define WSA_INVALID_EVENT ((WSAEVENT)NULL)

typedef struct sockaddr          SOCKADDR, *PSOCKADDR, *LPSOCKADDR;
typedef struct sockaddr_in       SOCKADDR_IN, *PSOCKADDR_IN, *LPSOCKADDR_IN;
typedef struct sockaddr_in6      SOCKADDR_IN6, *PSOCKADDR_IN6, *LPSOCKADDR_IN6;
typedef struct sockaddr_storage  SOCKADDR_STORAGE, *PSOCKADDR_STORAGE, *LPSOCKADDR_STORAGE;
typedef struct in_addr           IN_ADDR, *PIN_ADDR, *LPIN_ADDR;
typedef struct in6_addr          IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;
typedef struct linger            LINGER, *PLINGER, *LPLINGER;
typedef unsigned short           ADDRESS_FAMILY;

/* The Winsock 1 lookups' results. These are the C library's structures:
 * the same members (h_name, h_addr_list, h_addr, s_port in network order,
 * ...), in its layout rather than Win64's, which code reads by name. */
typedef struct hostent           HOSTENT, *PHOSTENT, *LPHOSTENT;
typedef struct servent           SERVENT, *PSERVENT, *LPSERVENT;
typedef struct protoent          PROTOENT, *PPROTOENT, *LPPROTOENT;

typedef struct _WSABUF {
    ULONG len;
    CHAR *buf;
} WSABUF, *LPWSABUF;

IOCPCOMPAT_STATIC_ASSERT(sizeof(WSABUF) == 16, "WSABUF is 16 bytes on Win64");
IOCPCOMPAT_STATIC_ASSERT(offsetof(WSABUF, buf) == 8, "WSABUF.buf");
IOCPCOMPAT_STATIC_ASSERT(sizeof(SOCKET) == 8, "SOCKET is pointer-sized");
IOCPCOMPAT_STATIC_ASSERT(sizeof(IN_ADDR) == 4, "in_addr is 4 bytes");

typedef struct _OVERLAPPED  WSAOVERLAPPED, *LPWSAOVERLAPPED;

typedef void (CALLBACK *LPWSAOVERLAPPED_COMPLETION_ROUTINE)(DWORD dwError, DWORD cbTransferred,
                                                            LPWSAOVERLAPPED lpOverlapped,
                                                            DWORD dwFlags);

#define WSADESCRIPTION_LEN 256
#define WSASYS_STATUS_LEN  128

/* Win64 member order. */
typedef struct WSAData {
    WORD            wVersion;
    WORD            wHighVersion;
    unsigned short  iMaxSockets;
    unsigned short  iMaxUdpDg;
    char           *lpVendorInfo;
    char            szDescription[WSADESCRIPTION_LEN + 1];
    char            szSystemStatus[WSASYS_STATUS_LEN + 1];
} WSADATA, *LPWSADATA;

#define WSAPROTOCOL_LEN  255
#define MAX_PROTOCOL_CHAIN 7

typedef struct _WSAPROTOCOLCHAIN {
    int   ChainLen;
    DWORD ChainEntries[MAX_PROTOCOL_CHAIN];
} WSAPROTOCOLCHAIN, *LPWSAPROTOCOLCHAIN;

typedef struct _WSAPROTOCOL_INFOA {
    DWORD            dwServiceFlags1;
    DWORD            dwServiceFlags2;
    DWORD            dwServiceFlags3;
    DWORD            dwServiceFlags4;
    DWORD            dwProviderFlags;
    GUID             ProviderId;
    DWORD            dwCatalogEntryId;
    WSAPROTOCOLCHAIN ProtocolChain;
    int              iVersion;
    int              iAddressFamily;
    int              iMaxSockAddr;
    int              iMinSockAddr;
    int              iSocketType;
    int              iProtocol;
    int              iProtocolMaxOffset;
    int              iNetworkByteOrder;
    int              iSecurityScheme;
    DWORD            dwMessageSize;
    DWORD            dwProviderReserved;
    CHAR             szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOA, *LPWSAPROTOCOL_INFOA;

typedef struct _WSAPROTOCOL_INFOW {
    DWORD            dwServiceFlags1;
    DWORD            dwServiceFlags2;
    DWORD            dwServiceFlags3;
    DWORD            dwServiceFlags4;
    DWORD            dwProviderFlags;
    GUID             ProviderId;
    DWORD            dwCatalogEntryId;
    WSAPROTOCOLCHAIN ProtocolChain;
    int              iVersion;
    int              iAddressFamily;
    int              iMaxSockAddr;
    int              iMinSockAddr;
    int              iSocketType;
    int              iProtocol;
    int              iProtocolMaxOffset;
    int              iNetworkByteOrder;
    int              iSecurityScheme;
    DWORD            dwMessageSize;
    DWORD            dwProviderReserved;
    WCHAR            szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOW, *LPWSAPROTOCOL_INFOW;

typedef ULONG SERVICETYPE;

typedef struct _flowspec {
    ULONG       TokenRate;
    ULONG       TokenBucketSize;
    ULONG       PeakBandwidth;
    ULONG       Latency;
    ULONG       DelayVariation;
    SERVICETYPE ServiceType;
    ULONG       MaxSduSize;
    ULONG       MinimumPolicedSize;
} FLOWSPEC, *PFLOWSPEC, *LPFLOWSPEC;

typedef struct _QualityOfService {
    FLOWSPEC SendingFlowspec;
    FLOWSPEC ReceivingFlowspec;
    WSABUF   ProviderSpecific;
} QOS, *LPQOS;

/* WSAAccept's condition function and its verdicts. */
typedef int (CALLBACK *LPCONDITIONPROC)(LPWSABUF lpCallerId, LPWSABUF lpCallerData, LPQOS lpSQOS,
                                        LPQOS lpGQOS, LPWSABUF lpCalleeId, LPWSABUF lpCalleeData,
                                        GROUP *g, DWORD_PTR dwCallbackData);
#define CF_ACCEPT 0x0000
#define CF_REJECT 0x0001
#define CF_DEFER  0x0002

#define WSA_FLAG_OVERLAPPED         0x01
#define WSA_FLAG_NO_HANDLE_INHERIT  0x80

#define SD_RECEIVE 0
#define SD_SEND    1
#define SD_BOTH    2

#ifndef MSG_PARTIAL
#define MSG_PARTIAL 0x8000
#endif

/* Windows' "not SO_LINGER", which setsockopt and getsockopt translate. */
#define SO_DONTLINGER ((int)(~SO_LINGER))
/* Windows' exclusive claim on a port (at most one of it and SO_REUSEADDR). */
#define SO_EXCLUSIVEADDRUSE ((int)(~SO_REUSEADDR))

/* The 64-bit byte-order forms of Windows 8's winsock2.h. */
static inline unsigned long long htonll(unsigned long long value)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return __builtin_bswap64(value);
#else
    return value;
#endif
}
static inline unsigned long long ntohll(unsigned long long value) { return htonll(value); }

/* Windows ioctl codes; ioctlsocket also accepts the Linux FIONBIO/FIONREAD. */
#define IOCPARM_MASK 0x7f
#define IOC_VOID     0x20000000
#define IOC_OUT      0x40000000
#define IOC_IN       0x80000000
#define IOC_INOUT    (IOC_IN | IOC_OUT)
#define IOC_WS2      0x08000000
#define IOC_PROTOCOL 0x10000000
#define IOC_VENDOR   0x18000000
#define IOC_UNIX     0x00000000
#define _WSAIO(x, y)    (IOC_VOID | (x) | (y))
#define _WSAIOR(x, y)   (IOC_OUT | (x) | (y))
#define _WSAIOW(x, y)   (IOC_IN | (x) | (y))
#define _WSAIORW(x, y)  (IOC_INOUT | (x) | (y))
#ifndef FIONBIO
#define FIONBIO   ((long)0x8004667EL)
#endif
#ifndef FIONREAD
#define FIONREAD  ((long)0x4004667FL)
#endif
#define SIO_GET_EXTENSION_FUNCTION_POINTER  _WSAIORW(IOC_WS2, 6)

#define WSA_INFINITE    INFINITE
#define WSA_WAIT_FAILED WAIT_FAILED
#define WSA_WAIT_EVENT_0 WAIT_OBJECT_0
#define WSA_WAIT_TIMEOUT WAIT_TIMEOUT

/*
 * WSARecvMsg's message and its control data (ws2def.h). WSACMSGHDR is laid
 * out as Linux's struct cmsghdr on x86-64 (a size_t length, two ints, data
 * aligned to 8), so the kernel's control messages are handed over as they
 * are; their levels and types are the C library's (IP_PKTINFO, ...), as
 * the option names that ask for them are, and IN_PKTINFO is its struct
 * in_pktinfo, read by the same member names (ipi_addr, ipi_ifindex).
 */
typedef struct _WSAMSG {
    LPSOCKADDR name;
    INT        namelen;
    LPWSABUF   lpBuffers;
    ULONG      dwBufferCount;
    WSABUF     Control;
    ULONG      dwFlags;
} WSAMSG, *PWSAMSG, *LPWSAMSG;
IOCPCOMPAT_STATIC_ASSERT(sizeof(WSAMSG) == 56, "WSAMSG is 56 bytes on Win64");

typedef struct _WSACMSGHDR {
    SIZE_T cmsg_len;
    INT    cmsg_level;
    INT    cmsg_type;
} WSACMSGHDR, *PWSACMSGHDR, *LPWSACMSGHDR;
IOCPCOMPAT_STATIC_ASSERT(sizeof(WSACMSGHDR) == 16, "WSACMSGHDR is 16 bytes on Win64");

#define WSA_CMSGHDR_ALIGN(length) (((length) + 7) & ~(SIZE_T)7)
#define WSA_CMSGDATA_ALIGN(length) (((length) + 7) & ~(SIZE_T)7)
#define WSA_CMSG_FIRSTHDR(msg) \
    (((msg)->Control.len >= sizeof(WSACMSGHDR)) ? (LPWSACMSGHDR)(msg)->Control.buf : (LPWSACMSGHDR)NULL)
#define WSA_CMSG_NXTHDR(msg, cmsg)                                                               \
    (!(cmsg) ? WSA_CMSG_FIRSTHDR(msg)                                                            \
             : ((((unsigned char *)(cmsg) + WSA_CMSGHDR_ALIGN((cmsg)->cmsg_len) +                \
                  sizeof(WSACMSGHDR)) > (unsigned char *)((msg)->Control.buf) + (msg)->Control.len) \
                    ? (LPWSACMSGHDR)NULL                                                         \
                    : (LPWSACMSGHDR)((unsigned char *)(cmsg) + WSA_CMSGHDR_ALIGN((cmsg)->cmsg_len))))
#define WSA_CMSG_DATA(cmsg) ((unsigned char *)(cmsg) + WSA_CMSGDATA_ALIGN(sizeof(WSACMSGHDR)))
#define WSA_CMSG_SPACE(length) (WSA_CMSGDATA_ALIGN(sizeof(WSACMSGHDR) + WSA_CMSGHDR_ALIGN(length)))
#define WSA_CMSG_LEN(length) (WSA_CMSGDATA_ALIGN(sizeof(WSACMSGHDR)) + (length))

/* Windows-only receive flags (Linux never reports these two). */
#define MSG_BCAST 0x0400
#define MSG_MCAST 0x0800

/* WSAEventSelect's network events: bit numbers and masks. */
#define FD_READ_BIT                      0
#define FD_READ                          (1 << FD_READ_BIT)
#define FD_WRITE_BIT                     1
#define FD_WRITE                         (1 << FD_WRITE_BIT)
#define FD_OOB_BIT                       2
#define FD_OOB                           (1 << FD_OOB_BIT)
#define FD_ACCEPT_BIT                    3
#define FD_ACCEPT                        (1 << FD_ACCEPT_BIT)
#define FD_CONNECT_BIT                   4
#define FD_CONNECT                       (1 << FD_CONNECT_BIT)
#define FD_CLOSE_BIT                     5
#define FD_CLOSE                         (1 << FD_CLOSE_BIT)
#define FD_QOS_BIT                       6
#define FD_QOS                           (1 << FD_QOS_BIT)
#define FD_GROUP_QOS_BIT                 7
#define FD_GROUP_QOS                     (1 << FD_GROUP_QOS_BIT)
#define FD_ROUTING_INTERFACE_CHANGE_BIT  8
#define FD_ROUTING_INTERFACE_CHANGE      (1 << FD_ROUTING_INTERFACE_CHANGE_BIT)
#define FD_ADDRESS_LIST_CHANGE_BIT       9
#define FD_ADDRESS_LIST_CHANGE           (1 << FD_ADDRESS_LIST_CHANGE_BIT)
#define FD_MAX_EVENTS                    10
#define FD_ALL_EVENTS                    ((1 << FD_MAX_EVENTS) - 1)

/* LONG, not long: the Win64 layout (44 bytes). */
typedef struct _WSANETWORKEVENTS {
    LONG lNetworkEvents;
    int  iErrorCode[FD_MAX_EVENTS];
} WSANETWORKEVENTS, *PWSANETWORKEVENTS, *LPWSANETWORKEVENTS;
IOCPCOMPAT_STATIC_ASSERT(sizeof(WSANETWORKEVENTS) == 44, "WSANETWORKEVENTS is 44 bytes on Win64");

/*
 * WSAPoll's structure and flags, at Windows' values, which are not Linux's.
 * When <poll.h> came first, its POLL* names give way to Windows' and
 * WSAPOLLFD gets a tag of its own (glibc's struct pollfd has an int fd);
 * otherwise struct pollfd is Windows' and <poll.h> included later adds
 * nothing (a Windows program has no poll()). The library's own sources use
 * Linux's poll and get none of this unless they ask.
 */
#if !defined(IOCPCOMPAT_BUILDING) || defined(IOCPCOMPAT_WINDOWS_POLL)
#ifdef _SYS_POLL_H
#define IOCPCOMPAT_POLLFD_TAG iocpcompat_pollfd
#undef POLLRDNORM
#undef POLLRDBAND
#undef POLLIN
#undef POLLPRI
#undef POLLWRNORM
#undef POLLOUT
#undef POLLWRBAND
#undef POLLERR
#undef POLLHUP
#undef POLLNVAL
#else
#define IOCPCOMPAT_POLLFD_TAG pollfd
#define _SYS_POLL_H 1
#endif
#define POLLRDNORM 0x0100
#define POLLRDBAND 0x0200
#define POLLIN     (POLLRDNORM | POLLRDBAND)
#define POLLPRI    0x0400
#define POLLWRNORM 0x0010
#define POLLOUT    (POLLWRNORM)
#define POLLWRBAND 0x0020
#define POLLERR    0x0001
#define POLLHUP    0x0002
#define POLLNVAL   0x0004
typedef struct IOCPCOMPAT_POLLFD_TAG {
    SOCKET fd;
    SHORT  events;
    SHORT  revents;
} WSAPOLLFD, *PWSAPOLLFD, *LPWSAPOLLFD;
IOCPCOMPAT_STATIC_ASSERT(sizeof(WSAPOLLFD) == 16, "WSAPOLLFD is 16 bytes on Win64");
IOCPCOMPAT_EXTERN_C_BEGIN
IOCPCOMPAT_API int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout);
IOCPCOMPAT_EXTERN_C_END
#endif

IOCPCOMPAT_EXTERN_C_BEGIN

IOCPCOMPAT_API int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData);
IOCPCOMPAT_API int WSAAPI WSACleanup(void);
IOCPCOMPAT_API int WSAAPI WSAGetLastError(void);
IOCPCOMPAT_API void WSAAPI WSASetLastError(int iError);

IOCPCOMPAT_API SOCKET WSAAPI WSASocketA(int af, int type, int protocol,
                                        LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g,
                                        DWORD dwFlags);
IOCPCOMPAT_API SOCKET WSAAPI WSASocketW(int af, int type, int protocol,
                                        LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                                        DWORD dwFlags);
IOCPCOMPAT_API int WSAAPI closesocket(SOCKET s);
IOCPCOMPAT_API SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
                                       LPCONDITIONPROC lpfnCondition, DWORD_PTR dwCallbackData);
IOCPCOMPAT_API int WSAAPI ioctlsocket(SOCKET s, long cmd, u_long *argp);
IOCPCOMPAT_API int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer,
                                   DWORD cbInBuffer, LPVOID lpvOutBuffer, DWORD cbOutBuffer,
                                   LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

IOCPCOMPAT_API int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                  LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                                  LPWSAOVERLAPPED lpOverlapped,
                                  LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
IOCPCOMPAT_API int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                  LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                                  LPWSAOVERLAPPED lpOverlapped,
                                  LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
IOCPCOMPAT_API int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                      LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                                      struct sockaddr *lpFrom, LPINT lpFromlen,
                                      LPWSAOVERLAPPED lpOverlapped,
                                      LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
IOCPCOMPAT_API int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                    LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                                    const struct sockaddr *lpTo, int iTolen,
                                    LPWSAOVERLAPPED lpOverlapped,
                                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
IOCPCOMPAT_API int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen,
                                     LPWSABUF lpCallerData, LPWSABUF lpCalleeData, LPQOS lpSQOS,
                                     LPQOS lpGQOS);
IOCPCOMPAT_API int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData);
IOCPCOMPAT_API int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData);
IOCPCOMPAT_API BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped,
                                                  LPDWORD lpcbTransfer, BOOL fWait,
                                                  LPDWORD lpdwFlags);

IOCPCOMPAT_API WSAEVENT WSAAPI WSACreateEvent(void);
IOCPCOMPAT_API BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent);
IOCPCOMPAT_API BOOL WSAAPI WSASetEvent(WSAEVENT hEvent);
IOCPCOMPAT_API BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent);
#define WSA_MAXIMUM_WAIT_EVENTS MAXIMUM_WAIT_OBJECTS
IOCPCOMPAT_API DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll,
                                                     DWORD dwTimeout, BOOL fAlertable);

IOCPCOMPAT_API int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, long lNetworkEvents);
IOCPCOMPAT_API int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
                                               LPWSANETWORKEVENTS lpNetworkEvents);

/* The Winsock 1 lookups (used through the names below): per-thread results
 * and Winsock error codes, as on Windows. */
IOCPCOMPAT_API struct hostent *WSAAPI iocpcompat_gethostbyname(const char *name);
IOCPCOMPAT_API struct hostent *WSAAPI iocpcompat_gethostbyaddr(const char *addr, int len, int type);
IOCPCOMPAT_API int WSAAPI iocpcompat_gethostname(char *name, int namelen);
IOCPCOMPAT_API struct servent *WSAAPI iocpcompat_getservbyname(const char *name, const char *proto);
IOCPCOMPAT_API struct servent *WSAAPI iocpcompat_getservbyport(int port, const char *proto);
IOCPCOMPAT_API struct protoent *WSAAPI iocpcompat_getprotobyname(const char *name);
IOCPCOMPAT_API struct protoent *WSAAPI iocpcompat_getprotobynumber(int number);

/* Windows signatures that take int lengths and char option values. */
IOCPCOMPAT_API int WSAAPI iocpcompat_getsockname(SOCKET s, struct sockaddr *name, int *namelen);
IOCPCOMPAT_API int WSAAPI iocpcompat_getpeername(SOCKET s, struct sockaddr *name, int *namelen);
IOCPCOMPAT_API SOCKET WSAAPI iocpcompat_accept(SOCKET s, struct sockaddr *addr, int *addrlen);
/* The blocking calls closesocket on another thread must end (WSAEINTR);
 * send also keeps its place behind the socket's overlapped sends. */
IOCPCOMPAT_API int WSAAPI iocpcompat_recv(SOCKET s, char *buf, int len, int flags);
IOCPCOMPAT_API int WSAAPI iocpcompat_recvfrom(SOCKET s, char *buf, int len, int flags,
                                              struct sockaddr *from, int *fromlen);
IOCPCOMPAT_API int WSAAPI iocpcompat_send(SOCKET s, const char *buf, int len, int flags);
IOCPCOMPAT_API int WSAAPI iocpcompat_connect(SOCKET s, const struct sockaddr *name, int namelen);
IOCPCOMPAT_API int WSAAPI iocpcompat_select(int nfds, fd_set *readfds, fd_set *writefds,
                                            fd_set *exceptfds, const struct timeval *timeout);
IOCPCOMPAT_API int WSAAPI __WSAFDIsSet(SOCKET fd, fd_set *set);
IOCPCOMPAT_API int WSAAPI iocpcompat_getsockopt(SOCKET s, int level, int optname, char *optval,
                                                int *optlen);
IOCPCOMPAT_API int WSAAPI iocpcompat_setsockopt(SOCKET s, int level, int optname,
                                                const char *optval, int optlen);

IOCPCOMPAT_EXTERN_C_END

/*
 * C has no overloading, so the Windows-signature forms are reached through
 * function-like macros (which leave other uses of the names alone). C++ gets
 * overloads instead, so that std::bind and member functions are untouched.
 */
#ifdef __cplusplus
inline int getsockname(SOCKET s, struct sockaddr *name, int *namelen)
{ return iocpcompat_getsockname(s, name, namelen); }
inline int getpeername(SOCKET s, struct sockaddr *name, int *namelen)
{ return iocpcompat_getpeername(s, name, namelen); }
inline SOCKET accept(SOCKET s, struct sockaddr *addr, int *addrlen)
{ return iocpcompat_accept(s, addr, addrlen); }
inline int getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
{ return iocpcompat_getsockopt(s, level, optname, optval, optlen); }
inline int setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)
{ return iocpcompat_setsockopt(s, level, optname, optval, optlen); }
/* The Windows forms of these differ from the BSD ones only in integer
 * widths, so plain overloads would be ambiguous: templates over the integer
 * arguments match a Windows-shaped call exactly and win, while a call that
 * matches the BSD declaration exactly still reaches it. */
template <class S, class L, class F,
          typename std::enable_if<std::is_integral<S>::value && std::is_integral<L>::value &&
                                  std::is_integral<F>::value, int>::type = 0>
inline int recv(S s, char *buf, L len, F flags)
{ return iocpcompat_recv((SOCKET)s, buf, (int)len, (int)flags); }
template <class S, class L, class F,
          typename std::enable_if<std::is_integral<S>::value && std::is_integral<L>::value &&
                                  std::is_integral<F>::value, int>::type = 0>
inline int send(S s, const char *buf, L len, F flags)
{ return iocpcompat_send((SOCKET)s, buf, (int)len, (int)flags); }
template <class S, class L, class F,
          typename std::enable_if<std::is_integral<S>::value && std::is_integral<L>::value &&
                                  std::is_integral<F>::value, int>::type = 0>
inline int recvfrom(S s, char *buf, L len, F flags, struct sockaddr *from, int *fromlen)
{ return iocpcompat_recvfrom((SOCKET)s, buf, (int)len, (int)flags, from, fromlen); }
template <class S, class L,
          typename std::enable_if<std::is_integral<S>::value && std::is_integral<L>::value, int>::type = 0>
inline int connect(S s, const struct sockaddr *name, L namelen)
{ return iocpcompat_connect((SOCKET)s, name, (int)namelen); }
/* select's sets and timeout are pointers that a BSD-shaped call matches
 * exactly too, so select is a macro, taken only with five arguments: a
 * select() member of another arity is left alone. */
#define IOCPCOMPAT_SELECT_PICK(a1, a2, a3, a4, a5, a6, a7, a8, name, ...) name
#define select(...) IOCPCOMPAT_SELECT_PICK(__VA_ARGS__, select, select, select, iocpcompat_select, \
                                           select, select, select, select, select)(__VA_ARGS__)
#elif !defined(IOCPCOMPAT_BUILDING)
#define getsockname(s, name, namelen)  iocpcompat_getsockname((s), (name), (namelen))
#define getpeername(s, name, namelen)  iocpcompat_getpeername((s), (name), (namelen))
#define accept(s, addr, addrlen)       iocpcompat_accept((s), (addr), (addrlen))
#define getsockopt(s, l, o, v, n)      iocpcompat_getsockopt((s), (l), (o), (v), (n))
#define setsockopt(s, l, o, v, n)      iocpcompat_setsockopt((s), (l), (o), (const char *)(v), (n))
#define recv(s, b, l, f)               iocpcompat_recv((s), (b), (l), (f))
#define send(s, b, l, f)               iocpcompat_send((s), (b), (l), (f))
#define recvfrom(s, b, l, f, a, n)     iocpcompat_recvfrom((s), (b), (l), (f), (a), (n))
#define connect(s, a, l)               iocpcompat_connect((s), (a), (l))
#define select(n, r, w, e, t)          iocpcompat_select((n), (r), (w), (e), (t))
#endif

/*
 * The lookups by their Windows names, in C and C++ alike: gethostbyname's
 * Windows and C library signatures are the same, so an overload could not
 * pick ours. The names are renamed whole, so a class's own member called
 * gethostname is declared and called under the new name consistently, and
 * no standard C++ name is touched. h_errno and its codes are Winsock's, as
 * <winsock2.h> has them.
 */
#ifndef IOCPCOMPAT_BUILDING
#define gethostbyname    iocpcompat_gethostbyname
#define gethostbyaddr    iocpcompat_gethostbyaddr
#define gethostname      iocpcompat_gethostname
#define getservbyname    iocpcompat_getservbyname
#define getservbyport    iocpcompat_getservbyport
#define getprotobyname   iocpcompat_getprotobyname
#define getprotobynumber iocpcompat_getprotobynumber
#undef h_errno
#undef HOST_NOT_FOUND
#undef TRY_AGAIN
#undef NO_RECOVERY
#undef NO_DATA
#undef NO_ADDRESS
#define h_errno        WSAGetLastError()
#define HOST_NOT_FOUND WSAHOST_NOT_FOUND
#define TRY_AGAIN      WSATRY_AGAIN
#define NO_RECOVERY    WSANO_RECOVERY
#define NO_DATA        WSANO_DATA
#define NO_ADDRESS     WSANO_ADDRESS
#endif
#define WSANO_ADDRESS  WSANO_DATA

#ifdef UNICODE
#define WSASocket WSASocketW
#else
#define WSASocket WSASocketA
#endif

#endif
