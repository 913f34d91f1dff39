/* Win32, Winsock and NTSTATUS codes with their Windows values. */
#ifndef IOCPCOMPAT_WINERROR_H
#define IOCPCOMPAT_WINERROR_H

#define ERROR_SUCCESS                 0L
#define NO_ERROR                      0L
#define ERROR_INVALID_FUNCTION        1L
#define ERROR_FILE_NOT_FOUND          2L
#define ERROR_PATH_NOT_FOUND          3L
#define ERROR_TOO_MANY_OPEN_FILES     4L
#define ERROR_ACCESS_DENIED           5L
#define ERROR_INVALID_HANDLE          6L
#define ERROR_NOT_ENOUGH_MEMORY       8L
#define ERROR_OUTOFMEMORY             14L
#define ERROR_WRITE_FAULT             29L
#define ERROR_SHARING_VIOLATION       32L
#define ERROR_HANDLE_EOF              38L
#define ERROR_NOT_SUPPORTED           50L
#define ERROR_NETNAME_DELETED         64L
#define ERROR_FILE_EXISTS             80L
#define ERROR_INVALID_PARAMETER       87L
#define ERROR_DISK_FULL               112L
#define ERROR_SEM_TIMEOUT             121L
#define ERROR_BUFFER_OVERFLOW         111L
#define ERROR_INSUFFICIENT_BUFFER     122L
#define ERROR_INVALID_NAME            123L
#define ERROR_MOD_NOT_FOUND           126L
#define ERROR_NEGATIVE_SEEK           131L
#define ERROR_MR_MID_NOT_FOUND        317L
#define ERROR_INVALID_ADDRESS         487L
#define ERROR_ALREADY_EXISTS          183L
#define ERROR_FILENAME_EXCED_RANGE    206L
#define ERROR_NO_DATA                 232L
#define ERROR_MORE_DATA               234L
#define WAIT_TIMEOUT                  258L
#define ERROR_ABANDONED_WAIT_0        735L
#define ERROR_OPERATION_ABORTED       995L
#define ERROR_IO_INCOMPLETE           996L
#define ERROR_IO_PENDING              997L
#define ERROR_INVALID_FLAGS           1004L
#ifndef ERROR_FILE_INVALID
#define ERROR_FILE_INVALID            1006L
#endif
#define ERROR_NO_UNICODE_TRANSLATION  1113L
#define ERROR_NOT_FOUND               1168L
#define ERROR_CONNECTION_REFUSED      1225L
#define ERROR_GRACEFUL_DISCONNECT     1226L
#define ERROR_CONNECTION_INVALID      1229L
#define ERROR_NETWORK_UNREACHABLE     1231L
#define ERROR_HOST_UNREACHABLE        1232L
#define ERROR_PORT_UNREACHABLE        1234L
#define ERROR_CONNECTION_ABORTED      1236L
#define ERROR_RESOURCE_TYPE_NOT_FOUND 1813L
#define ERROR_RESOURCE_LANG_NOT_FOUND 1815L
/* Threads, TLS and memory (guarded: other headers may define them too). */
#ifndef ERROR_TOO_MANY_OPEN_FILES
#define ERROR_TOO_MANY_OPEN_FILES     4L
#endif
#ifndef ERROR_GEN_FAILURE
#define ERROR_GEN_FAILURE             31L
#endif
#ifndef ERROR_NO_MORE_ITEMS
#define ERROR_NO_MORE_ITEMS           259L
#endif
#ifndef ERROR_THREAD_MODE_ALREADY_BACKGROUND
#define ERROR_THREAD_MODE_ALREADY_BACKGROUND 400L
#endif
#ifndef ERROR_THREAD_MODE_NOT_BACKGROUND
#define ERROR_THREAD_MODE_NOT_BACKGROUND 401L
#endif
#ifndef ERROR_COMMITMENT_LIMIT
#define ERROR_COMMITMENT_LIMIT        1455L
#endif

#define WSA_INVALID_HANDLE            6L
#define WSA_NOT_ENOUGH_MEMORY         8L
#define WSA_INVALID_PARAMETER         87L
#define WSA_OPERATION_ABORTED         995L
#define WSA_IO_INCOMPLETE             996L
#define WSA_IO_PENDING                997L

#define WSABASEERR                    10000
#define WSAEINTR                      10004L
#define WSAEBADF                      10009L
#define WSAEACCES                     10013L
#define WSAEFAULT                     10014L
#define WSAEINVAL                     10022L
#define WSAEMFILE                     10024L
#define WSAEWOULDBLOCK                10035L
#define WSAEINPROGRESS                10036L
#define WSAEALREADY                   10037L
#define WSAENOTSOCK                   10038L
#define WSAEDESTADDRREQ               10039L
#define WSAEMSGSIZE                   10040L
#define WSAEPROTOTYPE                 10041L
#define WSAENOPROTOOPT                10042L
#define WSAEPROTONOSUPPORT            10043L
#define WSAESOCKTNOSUPPORT            10044L
#define WSAEOPNOTSUPP                 10045L
#define WSAEPFNOSUPPORT               10046L
#define WSAEAFNOSUPPORT               10047L
#define WSAEADDRINUSE                 10048L
#define WSAEADDRNOTAVAIL              10049L
#define WSAENETDOWN                   10050L
#define WSAENETUNREACH                10051L
#define WSAENETRESET                  10052L
#define WSAECONNABORTED               10053L
#define WSAECONNRESET                 10054L
#define WSAENOBUFS                    10055L
#define WSAEISCONN                    10056L
#define WSAENOTCONN                   10057L
#define WSAESHUTDOWN                  10058L
#define WSAETOOMANYREFS               10059L
#define WSAETIMEDOUT                  10060L
#define WSAECONNREFUSED               10061L
#define WSAELOOP                      10062L
#define WSAENAMETOOLONG               10063L
#define WSAEHOSTDOWN                  10064L
#define WSAEHOSTUNREACH               10065L
#define WSASYSNOTREADY                10091L
#define WSAVERNOTSUPPORTED            10092L
#define WSANOTINITIALISED             10093L
#define WSAEDISCON                    10101L
#define WSAHOST_NOT_FOUND             11001L
#define WSATRY_AGAIN                  11002L
#define WSANO_RECOVERY                11003L
#define WSANO_DATA                    11004L

/* The rest of the Winsock codes (service providers, name spaces, QOS). */
#define WSAENOTEMPTY                  10066L
#define WSAEPROCLIM                   10067L
#define WSAEUSERS                     10068L
#define WSAEDQUOT                     10069L
#define WSAESTALE                     10070L
#define WSAEREMOTE                    10071L
#define WSAENOMORE                    10102L
#define WSAECANCELLED                 10103L
#define WSAEINVALIDPROCTABLE          10104L
#define WSAEINVALIDPROVIDER           10105L
#define WSAEPROVIDERFAILEDINIT        10106L
#define WSASYSCALLFAILURE             10107L
#define WSASERVICE_NOT_FOUND          10108L
#define WSATYPE_NOT_FOUND             10109L
#define WSA_E_NO_MORE                 10110L
#define WSA_E_CANCELLED               10111L
#define WSAEREFUSED                   10112L
#define WSA_QOS_RECEIVERS             11005L
#define WSA_QOS_SENDERS               11006L
#define WSA_QOS_NO_SENDERS            11007L
#define WSA_QOS_NO_RECEIVERS          11008L
#define WSA_QOS_REQUEST_CONFIRMED     11009L
#define WSA_QOS_ADMISSION_FAILURE     11010L
#define WSA_QOS_POLICY_FAILURE        11011L
#define WSA_QOS_BAD_STYLE             11012L
#define WSA_QOS_BAD_OBJECT            11013L
#define WSA_QOS_TRAFFIC_CTRL_ERROR    11014L
#define WSA_QOS_GENERIC_ERROR         11015L
#define WSA_QOS_ESERVICETYPE          11016L
#define WSA_QOS_EFLOWSPEC             11017L
#define WSA_QOS_EPROVSPECBUF          11018L
#define WSA_QOS_EFILTERSTYLE          11019L
#define WSA_QOS_EFILTERTYPE           11020L
#define WSA_QOS_EFILTERCOUNT          11021L
#define WSA_QOS_EOBJLENGTH            11022L
#define WSA_QOS_EFLOWCOUNT            11023L
#define WSA_QOS_EUNKNOWNPSOBJ         11024L
#define WSA_QOS_EUNKOWNPSOBJ          11024L
#define WSA_QOS_EPOLICYOBJ            11025L
#define WSA_QOS_EFLOWDESC             11026L
#define WSA_QOS_EPSFLOWSPEC           11027L
#define WSA_QOS_EPSFILTERSPEC         11028L
#define WSA_QOS_ESDMODEOBJ            11029L
#define WSA_QOS_ESHAPERATEOBJ         11030L
#define WSA_QOS_RESERVED_PETYPE       11031L

/* HRESULTs (strsafe.h returns them). */
#define S_OK                          ((HRESULT)0L)
#define S_FALSE                       ((HRESULT)1L)
#define E_NOTIMPL                     ((HRESULT)0x80004001L)
#define E_POINTER                     ((HRESULT)0x80004003L)
#define E_ABORT                       ((HRESULT)0x80004004L)
#define E_FAIL                        ((HRESULT)0x80004005L)
#define E_UNEXPECTED                  ((HRESULT)0x8000FFFFL)
#define E_ACCESSDENIED                ((HRESULT)0x80070005L)
#define E_HANDLE                      ((HRESULT)0x80070006L)
#define E_OUTOFMEMORY                 ((HRESULT)0x8007000EL)
#define E_INVALIDARG                  ((HRESULT)0x80070057L)
#define HRESULT_FROM_WIN32(x) \
    ((HRESULT)(x) <= 0 ? (HRESULT)(x) : (HRESULT)(((x) & 0x0000FFFF) | (7 << 16) | 0x80000000))
#define SUCCEEDED(hr)                 (((HRESULT)(hr)) >= 0)
#define FAILED(hr)                    (((HRESULT)(hr)) < 0)

/* NTSTATUS values that show up in OVERLAPPED.Internal. */
#define STATUS_SUCCESS                ((DWORD)0x00000000L)
#define STATUS_PENDING                ((DWORD)0x00000103L)
#define STATUS_BUFFER_OVERFLOW        ((DWORD)0x80000005L)
#define STATUS_INVALID_PARAMETER      ((DWORD)0xC000000DL)
#define STATUS_END_OF_FILE            ((DWORD)0xC0000011L)
#define STATUS_NO_MEMORY              ((DWORD)0xC0000017L)
#define STATUS_ACCESS_DENIED          ((DWORD)0xC0000022L)
#define STATUS_BUFFER_TOO_SMALL       ((DWORD)0xC0000023L)
#define STATUS_DISK_FULL              ((DWORD)0xC000007FL)
#define STATUS_IO_TIMEOUT             ((DWORD)0xC00000B5L)
#define STATUS_CANCELLED              ((DWORD)0xC0000120L)
#define STATUS_CONTROL_C_EXIT         ((DWORD)0xC000013AL)
#define STATUS_LOCAL_DISCONNECT       ((DWORD)0xC000013BL)
#define STATUS_REMOTE_DISCONNECT      ((DWORD)0xC000013CL)
#define STATUS_INVALID_CONNECTION     ((DWORD)0xC0000140L)
#define STATUS_CONNECTION_RESET       ((DWORD)0xC000020DL)
#define STATUS_CONNECTION_REFUSED     ((DWORD)0xC0000236L)
#define STATUS_PORT_UNREACHABLE       ((DWORD)0xC000023FL)
#define STATUS_NETWORK_UNREACHABLE    ((DWORD)0xC000023CL)
#define STATUS_HOST_UNREACHABLE       ((DWORD)0xC000023DL)
#define STATUS_CONNECTION_ABORTED     ((DWORD)0xC0000241L)

#endif
