/*
 * Addresses as text, Windows' way: WSAAddressToStringA writes
 * "a.b.c.d:port" or "[v6%scope]:port" (no port when it is 0, no brackets
 * then), WSAStringToAddressA reads the same forms; a buffer too small fails
 * with WSAEFAULT and says the size needed. InetPtonW/InetNtopW are the
 * ASCII forms in UTF-16.
 */
#include "error.h"
#include "socket.h"

#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int format(const struct sockaddr *sa, char *out, size_t size)
{
    char host[INET6_ADDRSTRLEN];
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
        if (a->sin_port == 0)
            return snprintf(out, size, "%s", host);
        return snprintf(out, size, "%s:%u", host, ntohs(a->sin_port));
    }
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
    char scope[16] = "";
    if (a->sin6_scope_id != 0)
        snprintf(scope, sizeof(scope), "%%%u", (unsigned)a->sin6_scope_id);
    if (a->sin6_port == 0)
        return snprintf(out, size, "%s%s", host, scope);
    return snprintf(out, size, "[%s%s]:%u", host, scope, ntohs(a->sin6_port));
}

INT WSAAPI WSAAddressToStringA(LPSOCKADDR sa, DWORD salen, LPWSAPROTOCOL_INFOA info, LPSTR out,
                               LPDWORD outlen)
{
    (void)info;
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    if (sa == NULL || outlen == NULL) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) {
        error_set(WSAEINVAL);
        return SOCKET_ERROR;
    }
    size_t need = sa->sa_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    if (salen < need) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    char text[INET6_ADDRSTRLEN + 32];
    int n = format(sa, text, sizeof(text));
    DWORD size = (DWORD)n + 1;
    if (out == NULL || *outlen < size) {
        *outlen = size;
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    memcpy(out, text, size);
    *outlen = size;
    error_set(0);
    return 0;
}

/* A decimal port of at most 65535 at s, which must end there. */
static bool parse_port(const char *s, u_short *port)
{
    if (*s == '\0')
        return false;
    unsigned long v = 0;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || (v = v * 10 + (unsigned long)(*s - '0')) > 65535)
            return false;
    }
    *port = htons((u_short)v);
    return true;
}

static bool parse_v4(const char *s, struct sockaddr_in *a)
{
    char host[64];
    const char *colon = strchr(s, ':');
    size_t len = colon != NULL ? (size_t)(colon - s) : strlen(s);
    if (len == 0 || len >= sizeof(host))
        return false;
    memcpy(host, s, len);
    host[len] = '\0';
    memset(a, 0, sizeof(*a));
    a->sin_family = AF_INET;
    if (inet_aton(host, &a->sin_addr) == 0)   /* Windows' non-strict forms ("127.1") */
        return false;
    return colon == NULL || parse_port(colon + 1, &a->sin_port);
}

static bool parse_v6(const char *s, struct sockaddr_in6 *a)
{
    char host[INET6_ADDRSTRLEN + 16];
    const char *end = NULL;
    memset(a, 0, sizeof(*a));
    a->sin6_family = AF_INET6;
    if (*s == '[') {
        s++;
        end = strchr(s, ']');
        if (end == NULL)
            return false;
    }
    size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
    if (len == 0 || len >= sizeof(host))
        return false;
    memcpy(host, s, len);
    host[len] = '\0';
    char *pct = strchr(host, '%');
    if (pct != NULL) {
        char *stop;
        unsigned long scope = strtoul(pct + 1, &stop, 10);
        if (pct[1] == '\0' || *stop != '\0')
            return false;
        a->sin6_scope_id = (uint32_t)scope;
        *pct = '\0';
    }
    if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
        return false;
    if (end == NULL || end[1] == '\0')
        return true;
    return end[1] == ':' && parse_port(end + 2, &a->sin6_port);
}

INT WSAAPI WSAStringToAddressA(LPSTR text, INT family, LPWSAPROTOCOL_INFOA info, LPSOCKADDR out,
                               LPINT outlen)
{
    if (!winsock_started()) {
        error_set(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    if (info != NULL)
        family = info->iAddressFamily;
    if (text == NULL || outlen == NULL) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    union {
        struct sockaddr_in v4;
        struct sockaddr_in6 v6;
    } a;
    int size;
    bool ok;
    if (family == AF_INET) {
        size = (int)sizeof(a.v4);
        ok = parse_v4(text, &a.v4);
    } else if (family == AF_INET6) {
        size = (int)sizeof(a.v6);
        ok = parse_v6(text, &a.v6);
    } else {
        error_set(WSAEINVAL);
        return SOCKET_ERROR;
    }
    if (out == NULL || *outlen < size) {
        *outlen = size;
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    if (!ok) {
        error_set(WSAEINVAL);
        return SOCKET_ERROR;
    }
    memcpy(out, &a, (size_t)size);
    *outlen = size;
    error_set(0);
    return 0;
}

INT WSAAPI InetPtonW(INT family, PCWSTR text, PVOID addr)
{
    char narrow[INET6_ADDRSTRLEN + 1];
    if (text == NULL)
        return InetPtonA(family, NULL, addr);
    size_t i = 0;
    for (; text[i] != 0; i++) {
        if ((unsigned long)text[i] > 0x7f || i + 1 >= sizeof(narrow))
            return InetPtonA(family, "!", addr);   /* not an address: 0, or the family's error */
        narrow[i] = (char)text[i];
    }
    narrow[i] = '\0';
    return InetPtonA(family, narrow, addr);
}

PCWSTR WSAAPI InetNtopW(INT family, const VOID *addr, PWSTR out, size_t size)
{
    char narrow[INET6_ADDRSTRLEN];
    if (InetNtopA(family, addr, narrow, out != NULL && size < sizeof(narrow) ? size : sizeof(narrow)) == NULL)
        return NULL;
    if (out == NULL) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    size_t n = strlen(narrow);
    if (n + 1 > size) {
        error_set(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    for (size_t i = 0; i <= n; i++)
        out[i] = (WCHAR)(unsigned char)narrow[i];
    return out;
}
