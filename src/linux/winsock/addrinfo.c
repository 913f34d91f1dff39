/*
 * getaddrinfo and getnameinfo as Windows has them (GetAddrInfoA,
 * GetNameInfoA, and the lower-case names mapped onto them): they return a
 * Winsock code, which is also left in WSAGetLastError (Windows' EAI_* are
 * those codes), and fail with WSANOTINITIALISED before WSAStartup. The
 * results are the C library's struct addrinfo. InetPtonA and InetNtopA are
 * inet_pton and inet_ntop with Windows' errors.
 */
#include "error.h"
#include "socket.h"

#include <ws2tcpip.h>

#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

static int lookup_failed(int eai)
{
    DWORD code;
    switch (eai) {
    case EAI_NONAME:   code = status_wsa_from_lookup(LOOKUP_NO_NAME); break;
#ifdef EAI_NODATA
    case EAI_NODATA:   code = status_wsa_from_lookup(LOOKUP_NO_DATA); break;
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY: code = status_wsa_from_lookup(LOOKUP_NO_DATA); break;
#endif
    case EAI_AGAIN:    code = status_wsa_from_lookup(LOOKUP_TRY_AGAIN); break;
    case EAI_FAIL:     code = status_wsa_from_lookup(LOOKUP_FAILED); break;
    case EAI_MEMORY:   code = status_wsa_from_lookup(LOOKUP_NO_MEMORY); break;
    case EAI_FAMILY:   code = status_wsa_from_lookup(LOOKUP_BAD_FAMILY); break;
    case EAI_SERVICE:  code = status_wsa_from_lookup(LOOKUP_BAD_SERVICE); break;
    case EAI_SOCKTYPE: code = status_wsa_from_lookup(LOOKUP_BAD_SOCKTYPE); break;
    case EAI_BADFLAGS: code = status_wsa_from_lookup(LOOKUP_BAD_FLAGS); break;
    case EAI_OVERFLOW: code = status_wsa_from_lookup(LOOKUP_BUFFER_TOO_SMALL); break;
    case EAI_SYSTEM:   code = status_socket_error(errno); break;
    default:           code = status_wsa_from_lookup(LOOKUP_FAILED); break;
    }
    error_set(code);
    return (int)code;
}

/* Flags only Windows has: hints for its resolver that Linux's has no use
 * for, and AI_FQDN, whose name is the canonical one. */
#define WINDOWS_ONLY_FLAGS (AI_FQDN | AI_FILESERVER | AI_DISABLE_IDN_ENCODING | \
                            AI_NON_AUTHORITATIVE | AI_SECURE | AI_RETURN_PREFERRED_NAMES)

static int linux_flags(int flags)
{
    if (flags & AI_FQDN)
        flags |= AI_CANONNAME;
    return flags & ~WINDOWS_ONLY_FLAGS;
}

INT WSAAPI GetAddrInfoA(PCSTR node, PCSTR service, const ADDRINFOA *hints, PADDRINFOA *result)
{
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return WSANOTINITIALISED;
    }
    if (result == NULL) {
        error_set(WSA_INVALID_PARAMETER);
        return WSA_INVALID_PARAMETER;
    }
    *result = NULL;
    ADDRINFOA own;
    if (hints != NULL && (hints->ai_flags & WINDOWS_ONLY_FLAGS)) {
        own = *hints;
        own.ai_flags = linux_flags(hints->ai_flags);
        hints = &own;
    }
    int rc = getaddrinfo(node, service, hints, result);
    if (rc != 0)
        return lookup_failed(rc);
    error_set(0);
    return 0;
}

VOID WSAAPI FreeAddrInfoA(PADDRINFOA info)
{
    if (info != NULL)
        freeaddrinfo(info);
}

INT WSAAPI GetNameInfoA(const SOCKADDR *addr, socklen_t addrlen, PCHAR host, DWORD hostlen,
                        PCHAR serv, DWORD servlen, INT flags)
{
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return WSANOTINITIALISED;
    }
    if (addr == NULL || addrlen < (socklen_t)sizeof(struct sockaddr_in)) {
        error_set(WSAEFAULT);
        return WSAEFAULT;
    }
    if ((host == NULL || hostlen == 0) && (serv == NULL || servlen == 0)) {
        error_set(WSAHOST_NOT_FOUND);   /* neither asked for */
        return WSAHOST_NOT_FOUND;
    }
    int rc = getnameinfo(addr, addrlen, host, host ? hostlen : 0, serv, serv ? servlen : 0, flags);
    if (rc != 0)
        return lookup_failed(rc);
    error_set(0);
    return 0;
}

/* Windows' gai_strerrorA is the system message of the code; the buffer is
 * per thread here (Windows' is one static buffer). */
char *WSAAPI gai_strerrorA(int code)
{
    static _Thread_local char text[GAI_STRERROR_BUFFER_SIZE + 1];
    DWORD saved = (DWORD)WSAGetLastError();
    if (FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                           FORMAT_MESSAGE_MAX_WIDTH_MASK,
                       NULL, (DWORD)code, 0, text, sizeof(text), NULL) == 0)
        text[0] = '\0';
    error_set(saved);
    return text;
}

INT WSAAPI InetPtonA(INT family, PCSTR text, PVOID addr)
{
    if (family != AF_INET && family != AF_INET6) {
        error_set(WSAEAFNOSUPPORT);
        return -1;
    }
    if (text == NULL || addr == NULL) {
        error_set(WSAEFAULT);
        return -1;
    }
    int rc = inet_pton(family, text, addr);
    if (rc == 1) {
        error_set(0);
        return 1;
    }
    error_set(WSAEINVAL);   /* not an address of that family: 0, as Windows returns */
    return 0;
}

PCSTR WSAAPI InetNtopA(INT family, const VOID *addr, PSTR buf, size_t size)
{
    if (family != AF_INET && family != AF_INET6) {
        error_set(WSAEAFNOSUPPORT);
        return NULL;
    }
    if (addr == NULL || buf == NULL || size == 0) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    socklen_t len = size > 65535 ? 65535 : (socklen_t)size;
    if (inet_ntop(family, addr, buf, len) == NULL) {
        error_set(ERROR_INVALID_PARAMETER);   /* the buffer is too small */
        return NULL;
    }
    error_set(0);
    return buf;
}

/* One ADDRINFOEXA with its address and name in the same allocation, so that
 * FreeAddrInfoEx frees each entry with one free. */
static ADDRINFOEXA *ex_entry(const ADDRINFOA *ai)
{
    size_t name = ai->ai_canonname != NULL ? strlen(ai->ai_canonname) + 1 : 0;
    ADDRINFOEXA *e = calloc(1, sizeof(*e) + ai->ai_addrlen + name);
    if (e == NULL)
        return NULL;
    e->ai_flags = ai->ai_flags;
    e->ai_family = ai->ai_family;
    e->ai_socktype = ai->ai_socktype;
    e->ai_protocol = ai->ai_protocol;
    e->ai_addrlen = ai->ai_addrlen;
    e->ai_addr = (struct sockaddr *)(void *)(e + 1);
    memcpy(e->ai_addr, ai->ai_addr, ai->ai_addrlen);
    if (name > 0) {
        e->ai_canonname = (char *)e->ai_addr + ai->ai_addrlen;
        memcpy(e->ai_canonname, ai->ai_canonname, name);
    }
    return e;
}

int WSAAPI GetAddrInfoExA(PCSTR name, PCSTR service, DWORD name_space, LPGUID nsp,
                          const ADDRINFOEXA *hints, PADDRINFOEXA *result, struct timeval *timeout,
                          LPOVERLAPPED ovl, LPLOOKUPSERVICE_COMPLETION_ROUTINE routine,
                          LPHANDLE handle)
{
    (void)timeout;   /* the C library's resolver keeps its own timeouts */
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return WSANOTINITIALISED;
    }
    if (result == NULL) {
        error_set(WSAEINVAL);
        return WSAEINVAL;
    }
    *result = NULL;
    if (ovl != NULL || routine != NULL || handle != NULL) {
        error_set(WSAEOPNOTSUPP);   /* the asynchronous form */
        return WSAEOPNOTSUPP;
    }
    if ((name_space != NS_ALL && name_space != NS_DNS) || nsp != NULL) {
        error_set(WSAEINVAL);
        return WSAEINVAL;
    }
    ADDRINFOA plain, *res = NULL;
    memset(&plain, 0, sizeof(plain));
    if (hints != NULL) {
        plain.ai_flags = hints->ai_flags;
        plain.ai_family = hints->ai_family;
        plain.ai_socktype = hints->ai_socktype;
        plain.ai_protocol = hints->ai_protocol;
    }
    int rc = GetAddrInfoA(name, service, &plain, &res);
    if (rc != 0)
        return rc;
    ADDRINFOEXA *head = NULL, **tail = &head;
    for (const ADDRINFOA *ai = res; ai != NULL; ai = ai->ai_next) {
        ADDRINFOEXA *e = ex_entry(ai);
        if (e == NULL) {
            FreeAddrInfoEx(head);
            FreeAddrInfoA(res);
            error_set(WSA_NOT_ENOUGH_MEMORY);
            return WSA_NOT_ENOUGH_MEMORY;
        }
        *tail = e;
        tail = &e->ai_next;
    }
    FreeAddrInfoA(res);
    *result = head;
    error_set(0);
    return 0;
}

void WSAAPI FreeAddrInfoEx(PADDRINFOEXA info)
{
    while (info != NULL) {
        ADDRINFOEXA *next = info->ai_next;
        free(info);
        info = next;
    }
}
