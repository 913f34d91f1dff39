/*
 * iocpcompat on Windows: included ahead of every source of a target that
 * links iocpcompat::iocpcompat (the target adds -include / /FI), before any
 * SDK header, so the program needs no edit.
 *
 * It renames the calls that the rio mode serves. Defined before the SDK
 * headers are read, each name also renames the SDK's own declaration of it,
 * which then declares iocpcompat's export with the SDK's exact prototype and
 * linkage (__declspec(dllimport), extern "C"): `WSARecv(...)`,
 * `::WSARecv(...)`, `&WSARecv` and `LPFN_WSARECV f = WSARecv` all reach
 * iocpcompat.dll, from C and C++. This header includes nothing, so a
 * program's own NOMINMAX, WIN32_LEAN_AND_MEAN or _WIN32_WINNT still apply.
 *
 * In iocp mode each export is one forwarding call to the SDK's function.
 * A call that bypasses the names (GetProcAddress(ws2_32, "WSARecv"), or a
 * source compiled without this header) reaches the SDK directly.
 */
#ifndef IOCPCOMPAT_WIN_H
#define IOCPCOMPAT_WIN_H

#define WSARecv iocpcompat_WSARecv
#define WSASend iocpcompat_WSASend
#define WSARecvFrom iocpcompat_WSARecvFrom
#define WSASendTo iocpcompat_WSASendTo
#define WSAGetOverlappedResult iocpcompat_WSAGetOverlappedResult
#define WSASocketA iocpcompat_WSASocketA
#define WSASocketW iocpcompat_WSASocketW
#define closesocket iocpcompat_closesocket
/* Function-like, so that other things named socket (a C++ class, a
 * member, a variable) keep their name. */
#define socket(af, type, protocol) iocpcompat_socket(af, type, protocol)
#define CreateIoCompletionPort iocpcompat_CreateIoCompletionPort
#define GetQueuedCompletionStatus iocpcompat_GetQueuedCompletionStatus
#define GetQueuedCompletionStatusEx iocpcompat_GetQueuedCompletionStatusEx
#define CancelIo iocpcompat_CancelIo
#define CancelIoEx iocpcompat_CancelIoEx
/* For the overlapped RIO provider (IOCPCOMPAT_RIO_PROVIDER=overlapped),
 * which hands out the RIO table and learns which sockets AcceptEx makes
 * RIO sockets. */
#define WSAIoctl iocpcompat_WSAIoctl
#define AcceptEx iocpcompat_AcceptEx

#endif
