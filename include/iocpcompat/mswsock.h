/* Microsoft Winsock extensions: extension-function GUIDs, their pointer types and options. */
#ifndef IOCPCOMPAT_MSWSOCK_H
#define IOCPCOMPAT_MSWSOCK_H

#include "winsock2.h"

#define SO_CONNECT_TIME            0x700C
#define SO_UPDATE_ACCEPT_CONTEXT   0x700B
#define SO_UPDATE_CONNECT_CONTEXT  0x7010

/* Whether an ICMP port unreachable shows as WSAECONNRESET on a UDP socket's
 * next receive (TRUE, the default) or not at all. */
#define SIO_UDP_CONNRESET          _WSAIOW(IOC_VENDOR, 12)

/* The rest of <mswsock.h>: Windows-only options (at numbers Linux's
 * setsockopt does not use: WSAENOPROTOOPT), and the ioctls. SIO_BASE_HANDLE
 * and the SIO_BSP_HANDLE* give the socket itself: there is no layered
 * provider under it. */
#define DE_REUSE_SOCKET                      2

#define NLA_ALLUSERS_NETWORK                 1
#define NLA_FRIENDLY_NAME                    2

#define SIO_BASE_HANDLE                      0x48000022
#define SIO_BSP_HANDLE                       0x4800001B
#define SIO_BSP_HANDLE_POLL                  0x4800001D
#define SIO_BSP_HANDLE_SELECT                0x4800001C
#define SIO_EXT_POLL                         0xC800001FU
#define SIO_EXT_SELECT                       0xC800001EU
#define SIO_EXT_SENDMSG                      0xC8000020U

#define SO_CONNDATA                          0x7000
#define SO_CONNDATALEN                       0x7004
#define SO_CONNOPT                           0x7001
#define SO_CONNOPTLEN                        0x7005
#define SO_DISCDATA                          0x7002
#define SO_DISCDATALEN                       0x7006
#define SO_DISCOPT                           0x7003
#define SO_DISCOPTLEN                        0x7007
#define SO_MAXDG                             0x7009
#define SO_MAXPATHDG                         0x700A
#define SO_OPENTYPE                          0x7008
#define SO_SYNCHRONOUS_ALERT                 0x10
#define SO_SYNCHRONOUS_NONALERT              0x20

#define TCP_BSDURGENT                        0x7000

#define NLA_NAMESPACE_GUID \
    {0x6642243a, 0x3ba8, 0x4aa6, {0xba, 0xa5, 0x2e, 0x0b, 0xd7, 0x1f, 0xdd, 0x83}}
#define NLA_SERVICE_CLASS_GUID \
    {0x0037e515, 0xb5c9, 0x4a43, {0xba, 0xda, 0x8b, 0x48, 0xa8, 0x7a, 0xd2, 0x39}}

/* Network location awareness blobs (WSALookupServiceNext over NS_NLA,
 * which finds nothing here: no name-space providers). */
typedef enum _NLA_BLOB_DATA_TYPE {
    NLA_RAW_DATA = 0,
    NLA_INTERFACE = 1,
    NLA_802_1X_LOCATION = 2,
    NLA_CONNECTIVITY = 3,
    NLA_ICS = 4
} NLA_BLOB_DATA_TYPE, *PNLA_BLOB_DATA_TYPE;

typedef enum _NLA_CONNECTIVITY_TYPE {
    NLA_NETWORK_AD_HOC = 0,
    NLA_NETWORK_MANAGED = 1,
    NLA_NETWORK_UNMANAGED = 2,
    NLA_NETWORK_UNKNOWN = 3
} NLA_CONNECTIVITY_TYPE, *PNLA_CONNECTIVITY_TYPE;

typedef enum _NLA_INTERNET {
    NLA_INTERNET_UNKNOWN = 0,
    NLA_INTERNET_NO = 1,
    NLA_INTERNET_YES = 2
} NLA_INTERNET, *PNLA_INTERNET;

typedef struct _NLA_BLOB {
    struct {
        NLA_BLOB_DATA_TYPE type;
        DWORD dwSize;
        DWORD nextOffset;
    } header;
    union {
        CHAR rawData[1];
        struct {
            DWORD dwType;
            DWORD dwSpeed;
            CHAR adapterName[1];
        } interfaceData;
        struct {
            CHAR information[1];
        } locationData;
        struct {
            NLA_CONNECTIVITY_TYPE type;
            NLA_INTERNET internet;
        } connectivity;
        struct {
            struct {
                DWORD speed;
                DWORD type;
                DWORD state;
                WCHAR machineName[256];
                WCHAR sharedAdapterName[256];
            } remote;
        } ICS;
    } data;
} NLA_BLOB, *PNLA_BLOB, *LPNLA_BLOB;

/* WSAPoll and WSASendMsg through their GUIDs, as WSAIoctl hands them out. */
#if !defined(IOCPCOMPAT_BUILDING) || defined(IOCPCOMPAT_WINDOWS_POLL)
typedef struct {
    int       result;
    ULONG     fds;
    INT       timeout;
    WSAPOLLFD fdArray[];
} WSAPOLLDATA, *LPWSAPOLLDATA;

typedef INT (WSAAPI *LPFN_WSAPOLL)(LPWSAPOLLFD fdarray, ULONG nfds, INT timeout);
#endif
#define WSAID_WSAPOLL \
    {0x18c76f85, 0xdc66, 0x4964, {0x97, 0x2e, 0x23, 0xc2, 0x72, 0x38, 0x31, 0x2b}}

typedef struct {
    LPWSAMSG                           lpMsg;
    DWORD                              dwFlags;
    LPDWORD                            lpNumberOfBytesSent;
    LPWSAOVERLAPPED                    lpOverlapped;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine;
} WSASENDMSG, *LPWSASENDMSG;

typedef INT (WSAAPI *LPFN_WSASENDMSG)(SOCKET s, LPWSAMSG lpMsg, DWORD dwFlags,
                                      LPDWORD lpNumberOfBytesSent, LPWSAOVERLAPPED lpOverlapped,
                                      LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
#define WSAID_WSASENDMSG \
    {0xa441e712, 0x754f, 0x43ca, {0x84, 0xa7, 0x0d, 0xee, 0x44, 0xcf, 0x60, 0x6d}}

#define TF_DISCONNECT     0x01
#define TF_REUSE_SOCKET   0x02
#define TF_WRITE_BEHIND   0x04
#define TF_USE_DEFAULT_WORKER 0x00
#define TF_USE_SYSTEM_THREAD  0x10
#define TF_USE_KERNEL_APC     0x20

#define WSAID_ACCEPTEX \
    {0xb5367df1, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}}
#define WSAID_GETACCEPTEXSOCKADDRS \
    {0xb5367df2, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}}
#define WSAID_CONNECTEX \
    {0x25a207b9, 0xddf3, 0x4660, {0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e}}
#define WSAID_DISCONNECTEX \
    {0x7fda2e11, 0x8630, 0x436f, {0xa0, 0x31, 0xf5, 0x36, 0xa6, 0xee, 0xc1, 0x57}}
#define WSAID_TRANSMITFILE \
    {0xb5367df0, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}}

/* What TransmitFile sends before and after the file's bytes. */
typedef struct _TRANSMIT_FILE_BUFFERS {
    LPVOID Head;
    DWORD HeadLength;
    LPVOID Tail;
    DWORD TailLength;
} TRANSMIT_FILE_BUFFERS, *PTRANSMIT_FILE_BUFFERS, *LPTRANSMIT_FILE_BUFFERS;

#define WSAID_WSARECVMSG \
    {0xf689d7c8, 0x6f1f, 0x436b, {0x8a, 0x53, 0xe5, 0x4f, 0xe3, 0x51, 0xc3, 0x22}}

typedef INT (PASCAL *LPFN_WSARECVMSG)(SOCKET s, LPWSAMSG lpMsg, LPDWORD lpdwNumberOfBytesRecvd,
                                      LPWSAOVERLAPPED lpOverlapped,
                                      LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

typedef BOOL (PASCAL *LPFN_ACCEPTEX)(SOCKET sListenSocket, SOCKET sAcceptSocket,
                                     PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                     DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                     LPDWORD lpdwBytesReceived, LPOVERLAPPED lpOverlapped);
typedef void (PASCAL *LPFN_GETACCEPTEXSOCKADDRS)(PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                                 DWORD dwLocalAddressLength,
                                                 DWORD dwRemoteAddressLength,
                                                 struct sockaddr **LocalSockaddr,
                                                 LPINT LocalSockaddrLength,
                                                 struct sockaddr **RemoteSockaddr,
                                                 LPINT RemoteSockaddrLength);
typedef BOOL (PASCAL *LPFN_CONNECTEX)(SOCKET s, const struct sockaddr *name, int namelen,
                                      PVOID lpSendBuffer, DWORD dwSendDataLength,
                                      LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped);
typedef BOOL (PASCAL *LPFN_DISCONNECTEX)(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags,
                                         DWORD dwReserved);
typedef BOOL (PASCAL *LPFN_TRANSMITFILE)(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite,
                                         DWORD nNumberOfBytesPerSend, LPOVERLAPPED lpOverlapped,
                                         LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwReserved);

IOCPCOMPAT_EXTERN_C_BEGIN

/* Windows also exports these three by name; real code calls them both ways. */
IOCPCOMPAT_API BOOL PASCAL AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer,
                                    DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
                                    DWORD dwRemoteAddressLength, LPDWORD lpdwBytesReceived,
                                    LPOVERLAPPED lpOverlapped);
IOCPCOMPAT_API void PASCAL GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                                DWORD dwLocalAddressLength,
                                                DWORD dwRemoteAddressLength,
                                                struct sockaddr **LocalSockaddr,
                                                LPINT LocalSockaddrLength,
                                                struct sockaddr **RemoteSockaddr,
                                                LPINT RemoteSockaddrLength);
/*
 * Sends the head buffer, the file's bytes from the OVERLAPPED's offset (or
 * the file pointer) on, all of them or nNumberOfBytesToWrite, and the tail
 * buffer, as one send: with an OVERLAPPED it completes like a WSASend, one
 * packet whose byte count is the total. The file's part is read into memory
 * first. TF_DISCONNECT (with TF_REUSE_SOCKET or not) then disconnects as
 * DisconnectEx does; with data to send, that send is made before the call
 * returns. nNumberOfBytesPerSend and the TF_USE_* and TF_WRITE_BEHIND hints
 * are accepted and have no effect.
 */
IOCPCOMPAT_API BOOL PASCAL TransmitFile(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite,
                                        DWORD nNumberOfBytesPerSend, LPOVERLAPPED lpOverlapped,
                                        LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwReserved);

/* recv that says, for a datagram cut short, MSG_PARTIAL in *flags. */
IOCPCOMPAT_API int PASCAL WSARecvEx(SOCKET s, char *buf, int len, int *flags);

IOCPCOMPAT_EXTERN_C_END

#include "iocpcompat_rio.h"

#endif
