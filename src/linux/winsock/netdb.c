/*
 * The Winsock 1 name lookups (gethostbyname, getservbyname, ...) over the C
 * library's reentrant forms. As on Windows, each thread has its own result
 * structures, valid until that thread's next lookup of the same kind, and a
 * failure is in WSAGetLastError: WSAHOST_NOT_FOUND, WSATRY_AGAIN,
 * WSANO_RECOVERY or WSANO_DATA, or WSANOTINITIALISED before WSAStartup.
 */
#include "error.h"
#include "socket.h"

#include <winsock2.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One kind of result of one thread, and the buffer its strings live in. */
struct lookup_area {
    union {
        struct hostent host;
        struct servent serv;
        struct protoent proto;
    };
    char *buf;
    size_t size;
};

/* A host, a service and a protocol result can be held at once. */
enum lookup_kind { LOOKUP_HOST, LOOKUP_SERV, LOOKUP_PROTO, LOOKUP_KINDS };

static pthread_key_t area_key;
static pthread_once_t area_once = PTHREAD_ONCE_INIT;

static void areas_free(void *p)
{
    struct lookup_area *areas = p;
    for (int kind = 0; kind < LOOKUP_KINDS; kind++)
        free(areas[kind].buf);
    free(areas);
}

static void area_key_create(void) { pthread_key_create(&area_key, areas_free); }

/* The calling thread's area of that kind with a buffer of at least size
 * bytes, or NULL with WSAENOBUFS. */
static struct lookup_area *area(enum lookup_kind kind, size_t size)
{
    pthread_once(&area_once, area_key_create);
    struct lookup_area *areas = pthread_getspecific(area_key);
    if (areas == NULL) {
        areas = calloc(LOOKUP_KINDS, sizeof *areas);
        if (areas == NULL || pthread_setspecific(area_key, areas) != 0) {
            free(areas);
            error_set(WSAENOBUFS);
            return NULL;
        }
    }
    struct lookup_area *a = &areas[kind];
    if (a->size < size) {
        char *grown = realloc(a->buf, size);
        if (grown == NULL) {
            error_set(WSAENOBUFS);
            return NULL;
        }
        a->buf = grown;
        a->size = size;
    }
    return a;
}

static bool started(void)
{
    if (winsock_started())
        return true;
    error_set(WSANOTINITIALISED);
    return false;
}

/* This machine's name, terminated even when the C library cuts it. */
static bool local_host_name(char name[256])
{
    if (gethostname(name, 256) != 0)
        return false;
    name[255] = '\0';
    return true;
}

/* The C library's answers for a larger buffer stop here: no real entry is
 * this large, and the loop must end. */
#define LOOKUP_BUFFER_LIMIT (1u << 20)

/* Sets the Winsock code of a resolver failure (h_errno's values). */
static void set_host_error(int herr)
{
    switch (herr) {
    case HOST_NOT_FOUND: error_set(WSAHOST_NOT_FOUND); break;
    case TRY_AGAIN:      error_set(WSATRY_AGAIN); break;
    case NO_DATA:        error_set(WSANO_DATA); break;
    default:             error_set(WSANO_RECOVERY); break;
    }
}

/* The body of a host lookup: runs the reentrant call into the thread's
 * area, growing the buffer while the C library asks for more, and returns
 * the result (NULL with the Winsock error). */
#define HOST_LOOKUP(call)                                                       \
    do {                                                                        \
        for (size_t size = 1024; size <= LOOKUP_BUFFER_LIMIT; size *= 2) {     \
            struct lookup_area *a = area(LOOKUP_HOST, size);                    \
            if (a == NULL)                                                      \
                return NULL;                                                    \
            struct hostent *result = NULL;                                      \
            int herr = 0;                                                       \
            int rc = call;                                                      \
            if (rc == ERANGE)                                                   \
                continue;                                                       \
            if (result == NULL) {                                               \
                set_host_error(herr);                                           \
                return NULL;                                                    \
            }                                                                   \
            return result;                                                      \
        }                                                                       \
        error_set(WSANO_RECOVERY);                                              \
        return NULL;                                                            \
    } while (0)

struct hostent *WSAAPI iocpcompat_gethostbyname(const char *name)
{
    if (!started())
        return NULL;
    /* NULL or "" is the local host, as gethostname names it. */
    char local[256];
    if (name == NULL || name[0] == '\0') {
        if (!local_host_name(local)) {
            error_set(WSANO_RECOVERY);
            return NULL;
        }
        name = local;
    }
    HOST_LOOKUP(gethostbyname_r(name, &a->host, a->buf, a->size, &result, &herr));
}

struct hostent *WSAAPI iocpcompat_gethostbyaddr(const char *addr, int len, int type)
{
    if (!started())
        return NULL;
    if (addr == NULL || len <= 0) {
        error_set(WSAEFAULT);
        return NULL;
    }
    if (type != AF_INET && type != AF_INET6) {
        error_set(WSAEAFNOSUPPORT);
        return NULL;
    }
    if ((type == AF_INET && len < 4) || (type == AF_INET6 && len < 16)) {
        error_set(WSAEFAULT);
        return NULL;
    }
    HOST_LOOKUP(gethostbyaddr_r(addr, (socklen_t)len, type, &a->host, a->buf, a->size, &result, &herr));
}

/* The same for a service or protocol lookup; not found is WSANO_DATA. */
#define ENTRY_LOOKUP(kind, type, call)                                          \
    do {                                                                        \
        for (size_t size = 1024; size <= LOOKUP_BUFFER_LIMIT; size *= 2) {     \
            struct lookup_area *a = area(kind, size);                           \
            if (a == NULL)                                                      \
                return NULL;                                                    \
            type *result = NULL;                                                \
            int rc = call;                                                      \
            if (rc == ERANGE)                                                   \
                continue;                                                       \
            if (result == NULL)                                                 \
                error_set(rc == 0 || rc == ENOENT ? WSANO_DATA : WSANO_RECOVERY); \
            return result;                                                      \
        }                                                                       \
        error_set(WSANO_RECOVERY);                                              \
        return NULL;                                                            \
    } while (0)

struct servent *WSAAPI iocpcompat_getservbyname(const char *name, const char *proto)
{
    if (!started())
        return NULL;
    if (name == NULL) {
        error_set(WSAEFAULT);
        return NULL;
    }
    ENTRY_LOOKUP(LOOKUP_SERV, struct servent, getservbyname_r(name, proto, &a->serv, a->buf, a->size, &result));
}

struct servent *WSAAPI iocpcompat_getservbyport(int port, const char *proto)
{
    if (!started())
        return NULL;
    ENTRY_LOOKUP(LOOKUP_SERV, struct servent, getservbyport_r(port, proto, &a->serv, a->buf, a->size, &result));
}

struct protoent *WSAAPI iocpcompat_getprotobyname(const char *name)
{
    if (!started())
        return NULL;
    if (name == NULL) {
        error_set(WSAEFAULT);
        return NULL;
    }
    ENTRY_LOOKUP(LOOKUP_PROTO, struct protoent, getprotobyname_r(name, &a->proto, a->buf, a->size, &result));
}

struct protoent *WSAAPI iocpcompat_getprotobynumber(int number)
{
    if (!started())
        return NULL;
    ENTRY_LOOKUP(LOOKUP_PROTO, struct protoent, getprotobynumber_r(number, &a->proto, a->buf, a->size, &result));
}

int WSAAPI iocpcompat_gethostname(char *name, int namelen)
{
    if (!started())
        return SOCKET_ERROR;
    if (name == NULL || namelen <= 0) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    /* The whole name or nothing: a buffer too small for it is WSAEFAULT. */
    char local[256];
    if (!local_host_name(local)) {
        error_set(WSAENETDOWN);
        return SOCKET_ERROR;
    }
    size_t len = strlen(local);
    if (len >= (size_t)namelen) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    memcpy(name, local, len + 1);
    return 0;
}
