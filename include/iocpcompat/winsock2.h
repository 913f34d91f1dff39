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
#define WSA_FLAG_REGISTERED_IO      0x100   /* a socket for Registered I/O (<mswsock.h>) */

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
 * The rest of <winsock2.h> and <ws2def.h>, at Windows' values: protocol
 * catalogue flags (XP1_*, PFL_*), name-space and lookup flags (NS_*, LUP_*,
 * RES_*), ioctl codes (SIO_*), options that only Windows has (at numbers
 * Linux's setsockopt does not use, so they fail with WSAENOPROTOOPT rather
 * than set another option). Names left out on purpose are in
 * tests/coverage/absent-winsock.txt with the reason.
 */
#define ADDR_ANY                             INADDR_ANY

#define BASE_PROTOCOL                        1

#define BIGENDIAN                            0

#ifndef FIOASYNC
#define FIOASYNC                             0x8004667DU   /* ioctlsocket refuses it (WSAEINVAL) */
#endif

#define FROM_PROTOCOL_INFO                   (-1)

#define IMPLINK_HIGHEXPER                    158
#define IMPLINK_IP                           155
#define IMPLINK_LOWEXPER                     156

#define IN_CLASSD_HOST                       268435455
#define IN_CLASSD_NET                        0xF0000000U
#define IN_CLASSD_NSHIFT                     28

#define IPPROTO_CBT                          7
#define IPPROTO_GGP                          3
#define IPPROTO_ICLFXBM                      78
#define IPPROTO_IGP                          9
#define IPPROTO_IPV4                         4
#define IPPROTO_L2TP                         115
#define IPPROTO_ND                           77
#define IPPROTO_PGM                          113
#define IPPROTO_RDP                          27
#define IPPROTO_ST                           5

#define JL_BOTH                              4
#define JL_RECEIVER_ONLY                     2
#define JL_SENDER_ONLY                       1

#define LAYERED_PROTOCOL                     0

#define LITTLEENDIAN                         1

#define LUP_ADDRCONFIG                       0x100000
#define LUP_API_ANSI                         0x1000000
#define LUP_CONTAINERS                       2
#define LUP_DEEP                             1
#define LUP_DISABLE_IDN_ENCODING             0x800000
#define LUP_DNS_ONLY                         0x20000
#define LUP_DUAL_ADDR                        0x200000
#define LUP_FILESERVER                       0x400000
#define LUP_FLUSHCACHE                       0x1000
#define LUP_FLUSHPREVIOUS                    0x2000
#define LUP_NEAREST                          8
#define LUP_NOCONTAINERS                     4
#define LUP_NON_AUTHORITATIVE                0x4000
#define LUP_RESOLUTION_HANDLE                0x80000000U
#define LUP_RES_RESERVICE                    0x8000
#define LUP_RES_SERVICE                      0x8000
#define LUP_RETURN_ADDR                      0x100
#define LUP_RETURN_ALIASES                   0x400
#define LUP_RETURN_ALL                       0xFF0
#define LUP_RETURN_BLOB                      0x200
#define LUP_RETURN_COMMENT                   0x80
#define LUP_RETURN_NAME                      0x10
#define LUP_RETURN_PREFERRED_NAMES           0x10000
#define LUP_RETURN_QUERY_STRING              0x800
#define LUP_RETURN_TYPE                      0x20
#define LUP_RETURN_VERSION                   0x40
#define LUP_SECURE                           0x8000

#define MSG_MAXIOVLEN                        0x10

#define NS_ALL                               0
#define NS_BTH                               0x10
#define NS_DHCP                              6
#define NS_DNS                               0xC
#define NS_EMAIL                             0x25
#define NS_MS                                0x1E
#define NS_NBP                               0x14
#define NS_NDS                               2
#define NS_NETBT                             0xD
#define NS_NETDES                            0x3C
#define NS_NIS                               0x29
#define NS_NISPLUS                           0x2A
#define NS_NLA                               0xF
#define NS_NTDS                              0x20
#define NS_PEER_BROWSE                       3
#define NS_PNRPCLOUD                         0x27
#define NS_PNRPNAME                          0x26
#define NS_SAP                               1
#define NS_SLP                               5
#define NS_STDA                              0x1F
#define NS_TCPIP_HOSTS                       0xB
#define NS_TCPIP_LOCAL                       0xA
#define NS_WINS                              0xE
#define NS_WRQ                               0x32
#define NS_X500                              0x28

#define PFL_HIDDEN                           4
#define PFL_MATCHES_PROTOCOL_ZERO            8
#define PFL_MULTIPLE_PROTO_ENTRIES           1
#define PFL_NETWORKDIRECT_PROVIDER           0x10
#define PFL_RECOMMENDED_PROTO_ENTRY          2

#define PVD_CONFIG                           12289

#define RESULT_IS_ADDED                      0x10
#define RESULT_IS_ALIAS                      1
#define RESULT_IS_CHANGED                    0x20
#define RESULT_IS_DELETED                    0x40

#define RES_FLUSH_CACHE                      2
#define RES_SERVICE                          4
#define RES_UNUSED_1                         1

#define SECURITY_PROTOCOL_NONE               0

#define SERVICE_MULTIPLE                     1

#define SG_CONSTRAINED_GROUP                 2
#define SG_UNCONSTRAINED_GROUP               1

#define SIOCGHIWAT                           0x40047301

#define SIOCGLOWAT                           0x40047303

#define SIOCSHIWAT                           0x80047300U

#define SIOCSLOWAT                           0x80047302U

#define SIO_ADDRESS_LIST_CHANGE              0x28000017
#define SIO_ADDRESS_LIST_QUERY               0x48000016
#define SIO_ADDRESS_LIST_SORT                0xC8000019U
#define SIO_ASSOCIATE_HANDLE                 0x88000001U
#define SIO_ENABLE_CIRCULAR_QUEUEING         0x28000002
#define SIO_FIND_ROUTE                       0x48000003
#define SIO_FLUSH                            0x28000004
#define SIO_GET_BROADCAST_ADDRESS            0x48000005
#define SIO_GET_GROUP_QOS                    0xC8000008U
#define SIO_GET_QOS                          0xC8000007U
#define SIO_MULTICAST_SCOPE                  0x8800000AU
#define SIO_MULTIPOINT_LOOPBACK              0x88000009U
#define SIO_NSP_NOTIFY_CHANGE                0x88000019U
#define SIO_QUERY_TARGET_PNP_HANDLE          0x48000018
#define SIO_RESERVED_1                       0x8800001AU
#define SIO_RESERVED_2                       0x88000021U
#define SIO_ROUTING_INTERFACE_CHANGE         0x88000015U
#define SIO_ROUTING_INTERFACE_QUERY          0xC8000014U
#define SIO_SET_GROUP_QOS                    0x8800000CU
#define SIO_SET_QOS                          0x8800000BU
#define SIO_TRANSLATE_HANDLE                 0xC800000DU

#define SO_CONDITIONAL_ACCEPT                0x3002
#define SO_GROUP_ID                          0x2001
#define SO_GROUP_PRIORITY                    0x2002
#define SO_MAX_MSG_SIZE                      0x2003
#define SO_PROTOCOL_INFO                     0x2004
#define SO_PROTOCOL_INFOA                    0x2004
#define SO_PROTOCOL_INFOW                    0x2005

#define TH_NETDEV                            1
#define TH_TAPI                              2

#define WINSOCK_VERSION                      MAKEWORD(2, 2)

#define WSA_FLAG_ACCESS_SYSTEM_SECURITY      0x40
#define WSA_FLAG_MULTIPOINT_C_LEAF           4
#define WSA_FLAG_MULTIPOINT_C_ROOT           2
#define WSA_FLAG_MULTIPOINT_D_LEAF           0x10
#define WSA_FLAG_MULTIPOINT_D_ROOT           8
#define WSA_WAIT_IO_COMPLETION               192

#define XP1_CONNECTIONLESS                   1
#define XP1_CONNECT_DATA                     0x80
#define XP1_DISCONNECT_DATA                  0x100
#define XP1_EXPEDITED_DATA                   0x40
#define XP1_GRACEFUL_CLOSE                   0x20
#define XP1_GUARANTEED_DELIVERY              2
#define XP1_GUARANTEED_ORDER                 4
#define XP1_IFS_HANDLES                      0x20000
#define XP1_INTERRUPT                        0x4000
#define XP1_MESSAGE_ORIENTED                 8
#define XP1_MULTIPOINT_CONTROL_PLANE         0x800
#define XP1_MULTIPOINT_DATA_PLANE            0x1000
#define XP1_PARTIAL_MESSAGE                  0x40000
#define XP1_PSEUDO_STREAM                    0x10
#define XP1_QOS_SUPPORTED                    0x2000
#define XP1_SAN_SUPPORT_SDP                  0x80000
#define XP1_SUPPORT_BROADCAST                0x200
#define XP1_SUPPORT_MULTIPOINT               0x400
#define XP1_UNI_RECV                         0x10000
#define XP1_UNI_SEND                         0x8000

#define _SS_ALIGNSIZE                        8
#define _SS_MAXSIZE                          128
#define _SS_PAD1SIZE                         6
#define _SS_PAD2SIZE                         112

#define in_addr6 in6_addr
#define s6_bytes s6_addr
#define s6_words s6_addr16

#define WSAPROTOCOL_INFO   WSAPROTOCOL_INFOA
typedef WSAPROTOCOL_INFOA *LPWSAPROTOCOL_INFO;

struct sockproto {
    u_short sp_family;
    u_short sp_protocol;
};

typedef enum _SCOPE_LEVEL {
    ScopeLevelInterface = 1,
    ScopeLevelLink = 2,
    ScopeLevelSubnet = 3,
    ScopeLevelAdmin = 4,
    ScopeLevelSite = 5,
    ScopeLevelOrganization = 8,
    ScopeLevelGlobal = 14,
    ScopeLevelCount = 16
} SCOPE_LEVEL;

typedef struct _SCOPE_ID {
    union {
        struct {
            ULONG Zone : 28;
            ULONG Level : 4;
        };
        ULONG Value;
    };
} SCOPE_ID, *PSCOPE_ID;
IOCPCOMPAT_STATIC_ASSERT(sizeof(SCOPE_ID) == 4, "SCOPE_ID is 4 bytes");

typedef struct _SOCKET_ADDRESS {
    LPSOCKADDR lpSockaddr;
    INT        iSockaddrLength;
} SOCKET_ADDRESS, *PSOCKET_ADDRESS, *LPSOCKET_ADDRESS;

typedef struct _SOCKET_ADDRESS_LIST {
    INT            iAddressCount;
    SOCKET_ADDRESS Address[1];
} SOCKET_ADDRESS_LIST, *PSOCKET_ADDRESS_LIST, *LPSOCKET_ADDRESS_LIST;

typedef struct _CSADDR_INFO {
    SOCKET_ADDRESS LocalAddr;
    SOCKET_ADDRESS RemoteAddr;
    INT            iSocketType;
    INT            iProtocol;
} CSADDR_INFO, *PCSADDR_INFO, *LPCSADDR_INFO;

typedef struct _AFPROTOCOLS {
    INT iAddressFamily;
    INT iProtocol;
} AFPROTOCOLS, *PAFPROTOCOLS, *LPAFPROTOCOLS;

typedef enum _WSAEcomparator {
    COMP_EQUAL = 0,
    COMP_NOTLESS
} WSAECOMPARATOR, *PWSAECOMPARATOR, *LPWSAECOMPARATOR;

typedef struct _WSAVersion {
    DWORD          dwVersion;
    WSAECOMPARATOR ecHow;
} WSAVERSION, *PWSAVERSION, *LPWSAVERSION;

#ifndef IOCPCOMPAT_BLOB_DEFINED
#define IOCPCOMPAT_BLOB_DEFINED
typedef struct _BLOB {
    ULONG cbSize;
    BYTE *pBlobData;
} BLOB, *LPBLOB;
#endif

typedef struct _WSAQuerySetA {
    DWORD         dwSize;
    LPSTR         lpszServiceInstanceName;
    LPGUID        lpServiceClassId;
    LPWSAVERSION  lpVersion;
    LPSTR         lpszComment;
    DWORD         dwNameSpace;
    LPGUID        lpNSProviderId;
    LPSTR         lpszContext;
    DWORD         dwNumberOfProtocols;
    LPAFPROTOCOLS lpafpProtocols;
    LPSTR         lpszQueryString;
    DWORD         dwNumberOfCsAddrs;
    LPCSADDR_INFO lpcsaBuffer;
    DWORD         dwOutputFlags;
    LPBLOB        lpBlob;
} WSAQUERYSETA, *PWSAQUERYSETA, *LPWSAQUERYSETA;

typedef struct _WSAQuerySetW {
    DWORD         dwSize;
    LPWSTR        lpszServiceInstanceName;
    LPGUID        lpServiceClassId;
    LPWSAVERSION  lpVersion;
    LPWSTR        lpszComment;
    DWORD         dwNameSpace;
    LPGUID        lpNSProviderId;
    LPWSTR        lpszContext;
    DWORD         dwNumberOfProtocols;
    LPAFPROTOCOLS lpafpProtocols;
    LPWSTR        lpszQueryString;
    DWORD         dwNumberOfCsAddrs;
    LPCSADDR_INFO lpcsaBuffer;
    DWORD         dwOutputFlags;
    LPBLOB        lpBlob;
} WSAQUERYSETW, *PWSAQUERYSETW, *LPWSAQUERYSETW;

typedef struct _WSAQUERYSET2A {
    DWORD         dwSize;
    LPSTR         lpszServiceInstanceName;
    LPWSAVERSION  lpVersion;
    LPSTR         lpszComment;
    DWORD         dwNameSpace;
    LPGUID        lpNSProviderId;
    LPSTR         lpszContext;
    DWORD         dwNumberOfProtocols;
    LPAFPROTOCOLS lpafpProtocols;
    LPSTR         lpszQueryString;
    DWORD         dwNumberOfCsAddrs;
    LPCSADDR_INFO lpcsaBuffer;
    DWORD         dwOutputFlags;
    LPBLOB        lpBlob;
} WSAQUERYSET2A, *PWSAQUERYSET2A, *LPWSAQUERYSET2A;

typedef struct _WSAQUERYSET2W {
    DWORD         dwSize;
    LPWSTR        lpszServiceInstanceName;
    LPWSAVERSION  lpVersion;
    LPWSTR        lpszComment;
    DWORD         dwNameSpace;
    LPGUID        lpNSProviderId;
    LPWSTR        lpszContext;
    DWORD         dwNumberOfProtocols;
    LPAFPROTOCOLS lpafpProtocols;
    LPWSTR        lpszQueryString;
    DWORD         dwNumberOfCsAddrs;
    LPCSADDR_INFO lpcsaBuffer;
    DWORD         dwOutputFlags;
    LPBLOB        lpBlob;
} WSAQUERYSET2W, *PWSAQUERYSET2W, *LPWSAQUERYSET2W;

typedef WSAQUERYSETA WSAQUERYSET, *PWSAQUERYSET, *LPWSAQUERYSET;

typedef enum _WSAESETSERVICEOP {
    RNRSERVICE_REGISTER = 0,
    RNRSERVICE_DEREGISTER,
    RNRSERVICE_DELETE
} WSAESETSERVICEOP, *PWSAESETSERVICEOP, *LPWSAESETSERVICEOP;

typedef struct _WSANSClassInfoA {
    LPSTR  lpszName;
    DWORD  dwNameSpace;
    DWORD  dwValueType;
    DWORD  dwValueSize;
    LPVOID lpValue;
} WSANSCLASSINFOA, *PWSANSCLASSINFOA, *LPWSANSCLASSINFOA;

typedef struct _WSANSClassInfoW {
    LPWSTR lpszName;
    DWORD  dwNameSpace;
    DWORD  dwValueType;
    DWORD  dwValueSize;
    LPVOID lpValue;
} WSANSCLASSINFOW, *PWSANSCLASSINFOW, *LPWSANSCLASSINFOW;

typedef WSANSCLASSINFOA WSANSCLASSINFO, *PWSANSCLASSINFO, *LPWSANSCLASSINFO;

typedef struct _WSAServiceClassInfoA {
    LPGUID            lpServiceClassId;
    LPSTR             lpszServiceClassName;
    DWORD             dwCount;
    LPWSANSCLASSINFOA lpClassInfos;
} WSASERVICECLASSINFOA, *PWSASERVICECLASSINFOA, *LPWSASERVICECLASSINFOA;

typedef struct _WSAServiceClassInfoW {
    LPGUID            lpServiceClassId;
    LPWSTR            lpszServiceClassName;
    DWORD             dwCount;
    LPWSANSCLASSINFOW lpClassInfos;
} WSASERVICECLASSINFOW, *PWSASERVICECLASSINFOW, *LPWSASERVICECLASSINFOW;

typedef WSASERVICECLASSINFOA WSASERVICECLASSINFO, *PWSASERVICECLASSINFO, *LPWSASERVICECLASSINFO;

typedef struct _WSANAMESPACE_INFOA {
    GUID  NSProviderId;
    DWORD dwNameSpace;
    BOOL  fActive;
    DWORD dwVersion;
    LPSTR lpszIdentifier;
} WSANAMESPACE_INFOA, *PWSANAMESPACE_INFOA, *LPWSANAMESPACE_INFOA;

typedef struct _WSANAMESPACE_INFOW {
    GUID   NSProviderId;
    DWORD  dwNameSpace;
    BOOL   fActive;
    DWORD  dwVersion;
    LPWSTR lpszIdentifier;
} WSANAMESPACE_INFOW, *PWSANAMESPACE_INFOW, *LPWSANAMESPACE_INFOW;

typedef WSANAMESPACE_INFOA WSANAMESPACE_INFO, *PWSANAMESPACE_INFO, *LPWSANAMESPACE_INFO;

typedef struct _WSANAMESPACE_INFOEXA {
    GUID  NSProviderId;
    DWORD dwNameSpace;
    BOOL  fActive;
    DWORD dwVersion;
    LPSTR lpszIdentifier;
    BLOB  ProviderSpecific;
} WSANAMESPACE_INFOEXA, *PWSANAMESPACE_INFOEXA, *LPWSANAMESPACE_INFOEXA;

typedef struct _WSANAMESPACE_INFOEXW {
    GUID   NSProviderId;
    DWORD  dwNameSpace;
    BOOL   fActive;
    DWORD  dwVersion;
    LPWSTR lpszIdentifier;
    BLOB   ProviderSpecific;
} WSANAMESPACE_INFOEXW, *PWSANAMESPACE_INFOEXW, *LPWSANAMESPACE_INFOEXW;

typedef WSANAMESPACE_INFOEXA WSANAMESPACE_INFOEX, *PWSANAMESPACE_INFOEX, *LPWSANAMESPACE_INFOEX;

typedef enum _WSACOMPLETIONTYPE {
    NSP_NOTIFY_IMMEDIATELY = 0,
    NSP_NOTIFY_HWND,
    NSP_NOTIFY_EVENT,
    NSP_NOTIFY_PORT,
    NSP_NOTIFY_APC
} WSACOMPLETIONTYPE, *PWSACOMPLETIONTYPE, *LPWSACOMPLETIONTYPE;

typedef struct _WSACOMPLETION {
    WSACOMPLETIONTYPE Type;
    union {
        struct {
            HWND   hWnd;
            UINT   uMsg;
            WPARAM context;
        } WindowMessage;
        struct {
            LPWSAOVERLAPPED lpOverlapped;
        } Event;
        struct {
            LPWSAOVERLAPPED                    lpOverlapped;
            LPWSAOVERLAPPED_COMPLETION_ROUTINE lpfnCompletionProc;
        } Apc;
        struct {
            LPWSAOVERLAPPED lpOverlapped;
            HANDLE          hPort;
            ULONG_PTR       Key;
        } Port;
    } Parameters;
} WSACOMPLETION, *PWSACOMPLETION, *LPWSACOMPLETION;

IOCPCOMPAT_STATIC_ASSERT(sizeof(WSAQUERYSETA) == 120, "WSAQUERYSETA is 120 bytes on Win64");
IOCPCOMPAT_STATIC_ASSERT(sizeof(WSANAMESPACE_INFOEXA) == 56, "WSANAMESPACE_INFOEXA is 56 bytes on Win64");
IOCPCOMPAT_STATIC_ASSERT(sizeof(CSADDR_INFO) == 40, "CSADDR_INFO is 40 bytes on Win64");

IOCPCOMPAT_EXTERN_C_BEGIN
/* Byte order through a socket, as Winsock 2 has it. */
IOCPCOMPAT_API int WSAAPI WSAHtonl(SOCKET s, u_long hostlong, u_long *lpnetlong);
IOCPCOMPAT_API int WSAAPI WSAHtons(SOCKET s, u_short hostshort, u_short *lpnetshort);
IOCPCOMPAT_API int WSAAPI WSANtohl(SOCKET s, u_long netlong, u_long *lphostlong);
IOCPCOMPAT_API int WSAAPI WSANtohs(SOCKET s, u_short netshort, u_short *lphostshort);

/* The protocol catalogue: TCP and UDP over IPv4 and IPv6. */
IOCPCOMPAT_API int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols, LPWSAPROTOCOL_INFOA lpProtocolBuffer,
                                            LPDWORD lpdwBufferLength);
IOCPCOMPAT_API INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                              LPWSAPROTOCOL_INFOA lpProtocolInfo,
                                              LPSTR lpszAddressString,
                                              LPDWORD lpdwAddressStringLength);
IOCPCOMPAT_API INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily,
                                              LPWSAPROTOCOL_INFOA lpProtocolInfo,
                                              LPSOCKADDR lpAddress, LPINT lpAddressLength);
/* The same in WCHARs; the lengths count characters. */
IOCPCOMPAT_API INT WSAAPI WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                              LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                              LPWSTR lpszAddressString,
                                              LPDWORD lpdwAddressStringLength);
IOCPCOMPAT_API INT WSAAPI WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily,
                                              LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                              LPSOCKADDR lpAddress, LPINT lpAddressLength);
IOCPCOMPAT_API BOOL WSAAPI WSAConnectByNameA(SOCKET s, LPCSTR nodename, LPCSTR servicename,
                                             LPDWORD LocalAddressLength, LPSOCKADDR LocalAddress,
                                             LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                                             const struct timeval *timeout,
                                             LPWSAOVERLAPPED Reserved);
IOCPCOMPAT_API BOOL WSAAPI WSAConnectByList(SOCKET s, PSOCKET_ADDRESS_LIST SocketAddress,
                                            LPDWORD LocalAddressLength, LPSOCKADDR LocalAddress,
                                            LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                                            const struct timeval *timeout,
                                            LPWSAOVERLAPPED Reserved);
IOCPCOMPAT_API int WSAAPI WSASendMsg(SOCKET Handle, LPWSAMSG lpMsg, DWORD dwFlags,
                                     LPDWORD lpNumberOfBytesSent, LPWSAOVERLAPPED lpOverlapped,
                                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

/* Winsock 1.1's blocking hooks, which Winsock 2 removed: they fail with
 * WSAEOPNOTSUPP there too, and WSAIsBlocking is FALSE. */
IOCPCOMPAT_API BOOL WSAAPI WSAIsBlocking(void);
IOCPCOMPAT_API int WSAAPI WSACancelBlockingCall(void);
IOCPCOMPAT_API FARPROC WSAAPI WSASetBlockingHook(FARPROC lpBlockFunc);
IOCPCOMPAT_API int WSAAPI WSAUnhookBlockingHook(void);

/* What Linux cannot do (another process's socket, multipoint sessions,
 * QOS templates, provider change notices): these fail with WSAEOPNOTSUPP. */
IOCPCOMPAT_API int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD dwProcessId,
                                              LPWSAPROTOCOL_INFOA lpProtocolInfo);
IOCPCOMPAT_API SOCKET WSAAPI WSAJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen,
                                         LPWSABUF lpCallerData, LPWSABUF lpCalleeData,
                                         LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags);
IOCPCOMPAT_API BOOL WSAAPI WSAGetQOSByName(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS);
IOCPCOMPAT_API int WSAAPI WSAProviderConfigChange(LPHANDLE lpNotificationHandle,
                                                  LPWSAOVERLAPPED lpOverlapped,
                                                  LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

/*
 * The registration and resolution (RnR) name spaces: Linux has no name-space
 * providers, so none are listed and no lookup finds a service
 * (WSASERVICE_NOT_FOUND) or class (WSATYPE_NOT_FOUND); what would write the
 * Windows registry fails with WSAEOPNOTSUPP.
 */
IOCPCOMPAT_API INT WSAAPI WSAEnumNameSpaceProvidersA(LPDWORD lpdwBufferLength,
                                                     LPWSANAMESPACE_INFOA lpnspBuffer);
IOCPCOMPAT_API INT WSAAPI WSAEnumNameSpaceProvidersExA(LPDWORD lpdwBufferLength,
                                                       LPWSANAMESPACE_INFOEXA lpnspBuffer);
IOCPCOMPAT_API INT WSAAPI WSALookupServiceBeginA(LPWSAQUERYSETA lpqsRestrictions,
                                                 DWORD dwControlFlags, LPHANDLE lphLookup);
IOCPCOMPAT_API INT WSAAPI WSALookupServiceNextA(HANDLE hLookup, DWORD dwControlFlags,
                                                LPDWORD lpdwBufferLength,
                                                LPWSAQUERYSETA lpqsResults);
IOCPCOMPAT_API INT WSAAPI WSALookupServiceEnd(HANDLE hLookup);
IOCPCOMPAT_API INT WSAAPI WSANSPIoctl(HANDLE hLookup, DWORD dwControlCode, LPVOID lpvInBuffer,
                                      DWORD cbInBuffer, LPVOID lpvOutBuffer, DWORD cbOutBuffer,
                                      LPDWORD lpcbBytesReturned, LPWSACOMPLETION lpCompletion);
IOCPCOMPAT_API INT WSAAPI WSASetServiceA(LPWSAQUERYSETA lpqsRegInfo, WSAESETSERVICEOP essoperation,
                                         DWORD dwControlFlags);
IOCPCOMPAT_API INT WSAAPI WSAInstallServiceClassA(LPWSASERVICECLASSINFOA lpServiceClassInfo);
IOCPCOMPAT_API INT WSAAPI WSARemoveServiceClass(LPGUID lpServiceClassId);
IOCPCOMPAT_API INT WSAAPI WSAGetServiceClassInfoA(LPGUID lpProviderId, LPGUID lpServiceClassId,
                                                  LPDWORD lpdwBufSize,
                                                  LPWSASERVICECLASSINFOA lpServiceClassInfo);
IOCPCOMPAT_API INT WSAAPI WSAGetServiceClassNameByClassIdA(LPGUID lpServiceClassId,
                                                           LPSTR lpszServiceClassName,
                                                           LPDWORD lpdwBufferLength);
IOCPCOMPAT_EXTERN_C_END

/* The generic names: ANSI, but for the address conversions, which follow
 * UNICODE (the other W functions are not offered). */
#define WSADuplicateSocket              WSADuplicateSocketA
#define WSAEnumProtocols                WSAEnumProtocolsA
#ifdef UNICODE
#define WSAAddressToString              WSAAddressToStringW
#define WSAStringToAddress              WSAStringToAddressW
#else
#define WSAAddressToString              WSAAddressToStringA
#define WSAStringToAddress              WSAStringToAddressA
#endif
#define WSAConnectByName                WSAConnectByNameA
#define WSAEnumNameSpaceProviders       WSAEnumNameSpaceProvidersA
#define WSAEnumNameSpaceProvidersEx     WSAEnumNameSpaceProvidersExA
#define WSALookupServiceBegin           WSALookupServiceBeginA
#define WSALookupServiceNext            WSALookupServiceNextA
#define WSASetService                   WSASetServiceA
#define WSAInstallServiceClass          WSAInstallServiceClassA
#define WSAGetServiceClassInfo          WSAGetServiceClassInfoA
#define WSAGetServiceClassNameByClassId WSAGetServiceClassNameByClassIdA
#define SERVICE_TYPE_VALUE_IPXPORTA     "IpxSocket"
#define SERVICE_TYPE_VALUE_IPXPORTW     L"IpxSocket"
#define SERVICE_TYPE_VALUE_SAPIDA       "SapId"
#define SERVICE_TYPE_VALUE_SAPIDW       L"SapId"
#define SERVICE_TYPE_VALUE_TCPPORTA     "TcpPort"
#define SERVICE_TYPE_VALUE_TCPPORTW     L"TcpPort"
#define SERVICE_TYPE_VALUE_UDPPORTA     "UdpPort"
#define SERVICE_TYPE_VALUE_UDPPORTW     L"UdpPort"
#define SERVICE_TYPE_VALUE_OBJECTIDA    "ObjectId"
#define SERVICE_TYPE_VALUE_OBJECTIDW    L"ObjectId"
#define SERVICE_TYPE_VALUE_SAPID        SERVICE_TYPE_VALUE_SAPIDA
#define SERVICE_TYPE_VALUE_TCPPORT      SERVICE_TYPE_VALUE_TCPPORTA
#define SERVICE_TYPE_VALUE_UDPPORT      SERVICE_TYPE_VALUE_UDPPORTA
#define SERVICE_TYPE_VALUE_OBJECTID     SERVICE_TYPE_VALUE_OBJECTIDA

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
