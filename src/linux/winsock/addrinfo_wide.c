/*
 * The WCHAR forms of the lookups and address conversions: the names go to
 * the ANSI forms as UTF-8 and come back as WCHARs, so the two forms give
 * the same answers and the same Winsock codes.
 */
#include "error.h"
#include "unicode.h"

#include <ws2tcpip.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* A converted argument: NULL stays NULL. *failed says memory ran out. */
static char *narrow_or_null(PCWSTR w, bool *failed)
{
    if (w == NULL)
        return NULL;
    char *s = utf8_from_wide(w);
    if (s == NULL)
        *failed = true;
    return s;
}

static int out_of_memory(void)
{
    error_set(WSA_NOT_ENOUGH_MEMORY);
    return WSA_NOT_ENOUGH_MEMORY;
}

VOID WSAAPI FreeAddrInfoW(PADDRINFOW info)
{
    while (info != NULL) {
        PADDRINFOW next = info->ai_next;
        free(info->ai_canonname);
        free(info);   /* the address lives in the same block */
        info = next;
    }
}

/* One result in the wide layout, the address copied behind it. */
static PADDRINFOW wide_entry(const ADDRINFOA *a)
{
    PADDRINFOW w = calloc(1, sizeof *w + a->ai_addrlen);
    if (w == NULL)
        return NULL;
    w->ai_flags = a->ai_flags;
    w->ai_family = a->ai_family;
    w->ai_socktype = a->ai_socktype;
    w->ai_protocol = a->ai_protocol;
    w->ai_addrlen = a->ai_addrlen;
    if (a->ai_addr != NULL) {
        w->ai_addr = (struct sockaddr *)(w + 1);
        memcpy(w->ai_addr, a->ai_addr, a->ai_addrlen);
    }
    if (a->ai_canonname != NULL && (w->ai_canonname = wide_from_utf8(a->ai_canonname)) == NULL) {
        free(w);
        return NULL;
    }
    return w;
}

INT WSAAPI GetAddrInfoW(PCWSTR node, PCWSTR service, const ADDRINFOW *hints, PADDRINFOW *result)
{
    if (result == NULL)
        return GetAddrInfoA(NULL, NULL, NULL, NULL);   /* its checks and codes */
    *result = NULL;
    bool failed = false;
    char *n = narrow_or_null(node, &failed), *s = narrow_or_null(service, &failed);
    ADDRINFOA narrow_hints, *h = NULL;
    if (hints != NULL) {
        memset(&narrow_hints, 0, sizeof narrow_hints);
        narrow_hints.ai_flags = hints->ai_flags;
        narrow_hints.ai_family = hints->ai_family;
        narrow_hints.ai_socktype = hints->ai_socktype;
        narrow_hints.ai_protocol = hints->ai_protocol;
        h = &narrow_hints;
    }
    PADDRINFOA list = NULL;
    int rc = failed ? out_of_memory() : GetAddrInfoA(n, s, h, &list);
    free(n);
    free(s);
    if (rc != 0)
        return rc;
    PADDRINFOW head = NULL, *tail = &head;
    for (PADDRINFOA a = list; a != NULL; a = a->ai_next) {
        if ((*tail = wide_entry(a)) == NULL) {
            FreeAddrInfoA(list);
            FreeAddrInfoW(head);
            return out_of_memory();
        }
        tail = &(*tail)->ai_next;
    }
    FreeAddrInfoA(list);
    *result = head;
    return 0;
}

/* Copies text into a caller's buffer of size WCHARs; false if it does not fit. */
static bool copy_wide(PWCHAR out, DWORD size, const char *text)
{
    wchar_t *w = wide_from_utf8(text);
    bool fits = w != NULL && wcslen(w) < size;
    if (fits)
        wcscpy(out, w);
    free(w);
    return fits;
}

INT WSAAPI GetNameInfoW(const SOCKADDR *addr, socklen_t addrlen, PWCHAR host, DWORD hostlen, PWCHAR serv,
                        DWORD servlen, INT flags)
{
    char h[NI_MAXHOST], s[NI_MAXSERV];
    bool want_host = host != NULL && hostlen > 0, want_serv = serv != NULL && servlen > 0;
    int rc = GetNameInfoA(addr, addrlen, want_host ? h : NULL, want_host ? sizeof h : 0,
                          want_serv ? s : NULL, want_serv ? sizeof s : 0, flags);
    if (rc != 0)
        return rc;
    if ((want_host && !copy_wide(host, hostlen, h)) || (want_serv && !copy_wide(serv, servlen, s))) {
        error_set(WSAEFAULT);
        return WSAEFAULT;
    }
    return 0;
}

INT WSAAPI GetHostNameW(PWSTR name, INT namelen)
{
    char narrow[256];
    if (name == NULL || namelen <= 0) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    if (iocpcompat_gethostname(narrow, (int)sizeof narrow) != 0)
        return SOCKET_ERROR;   /* it said why */
    if (!copy_wide(name, (DWORD)namelen, narrow)) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    return 0;
}

INT WSAAPI WSAAddressToStringW(LPSOCKADDR addr, DWORD addrlen, LPWSAPROTOCOL_INFOW info, LPWSTR out,
                               LPDWORD outlen)
{
    (void)info;
    char narrow[128];
    DWORD narrow_len = sizeof narrow;
    if (outlen == NULL) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    if (WSAAddressToStringA(addr, addrlen, NULL, narrow, &narrow_len) != 0)
        return SOCKET_ERROR;
    /* The text is ASCII: its length in WCHARs is its length in bytes. */
    if (out == NULL || *outlen < narrow_len) {
        *outlen = narrow_len;
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    for (DWORD i = 0; i < narrow_len; i++)
        out[i] = (WCHAR)(unsigned char)narrow[i];
    *outlen = narrow_len;
    return 0;
}

INT WSAAPI WSAStringToAddressW(LPWSTR text, INT family, LPWSAPROTOCOL_INFOW info, LPSOCKADDR addr, LPINT addrlen)
{
    (void)info;
    bool failed = false;
    char *narrow = narrow_or_null(text, &failed);
    if (failed) {
        out_of_memory();
        return SOCKET_ERROR;
    }
    INT rc = WSAStringToAddressA(narrow, family, NULL, addr, addrlen);
    free(narrow);
    return rc;
}
