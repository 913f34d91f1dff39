/*
 * Helpers shared by the conformance tests. Plain Win32 only: the same source
 * builds against iocpcompat on Linux and against the Windows SDK (mingw-w64).
 * cmocka asserts must run on the test's own thread, so helper threads record
 * what they saw and the test asserts afterwards.
 */
#ifndef CONFORMANCE_H
#define CONFORMANCE_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* One dequeued packet, with what GetQueuedCompletionStatus returned. */
typedef struct packet {
    BOOL ok;
    DWORD error;          /* GetLastError() after the call; meaningful when !ok */
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED ovl;
} packet;

static inline int conformance_setup(void **state)
{
    WSADATA wsa;
    (void)state;
    return WSAStartup(MAKEWORD(2, 2), &wsa) == 0 ? 0 : -1;
}

static inline int conformance_teardown(void **state)
{
    (void)state;
    return WSACleanup() == 0 ? 0 : -1;
}

static inline HANDLE new_port(void)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    assert_non_null(port);
    return port;
}

static inline SOCKET new_tcp_socket(int family)
{
    SOCKET s = WSASocketA(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    assert_true(s != INVALID_SOCKET);
    return s;
}

/* A listening socket on the loopback address of the family, any port. */
static inline SOCKET new_listener(int family, struct sockaddr_storage *bound, int *boundlen)
{
    SOCKET l = new_tcp_socket(family);
    struct sockaddr_storage ss;
    int len;
    memset(&ss, 0, sizeof(ss));
    if (family == AF_INET6) {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_addr = in6addr_loopback;
        len = (int)sizeof(*a6);
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
        a4->sin_family = AF_INET;
        a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = (int)sizeof(*a4);
    }
    assert_int_equal(bind(l, (struct sockaddr *)&ss, len), 0);
    assert_int_equal(listen(l, 128), 0);
    *boundlen = (int)sizeof(*bound);
    assert_int_equal(getsockname(l, (struct sockaddr *)bound, boundlen), 0);
    return l;
}

/* A connected TCP pair over loopback; both ends are overlapped sockets. */
static inline void tcp_pair_family(int family, SOCKET *client, SOCKET *server)
{
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = new_listener(family, &addr, &addrlen);
    *client = new_tcp_socket(family);
    assert_int_equal(connect(*client, (struct sockaddr *)&addr, addrlen), 0);
    *server = accept(l, NULL, NULL);
    assert_true(*server != INVALID_SOCKET);
    assert_int_equal(closesocket(l), 0);
}

static inline void tcp_pair(SOCKET *client, SOCKET *server)
{
    tcp_pair_family(AF_INET, client, server);
}

static inline packet get_packet(HANDLE port, DWORD ms)
{
    packet p;
    memset(&p, 0, sizeof(p));
    p.bytes = 0xdeadbeef;
    p.key = (ULONG_PTR)0xdeadbeef;
    p.ovl = (LPOVERLAPPED)(ULONG_PTR)0xdeadbeef;
    SetLastError(0xdeadbeef);
    p.ok = GetQueuedCompletionStatus(port, &p.bytes, &p.key, &p.ovl, ms);
    p.error = GetLastError();
    return p;
}

/* Asserts that no packet arrives within ms milliseconds. */
static inline void assert_no_packet(HANDLE port, DWORD ms)
{
    packet p = get_packet(port, ms);
    assert_false(p.ok);
    assert_int_equal(p.error, WAIT_TIMEOUT);
    assert_null(p.ovl);
}

/* Reads OVERLAPPED.Internal atomically: the operation may be completing
 * on another thread right now. */
static inline DWORD overlapped_status(OVERLAPPED *ovl)
{
    return (DWORD)InterlockedExchangeAdd64((LONG64 volatile *)&ovl->Internal, 0);
}

/* Waits until s has data (or end of stream) to read, at most ms milliseconds. */
static inline int wait_readable(SOCKET s, long ms)
{
    fd_set rd;
    struct timeval tv;
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return select((int)s + 1, &rd, NULL, NULL, &tv);
}

/* Sends all of buf with blocking send(); returns bytes sent. */
static inline int send_all(SOCKET s, const char *buf, int len)
{
    int done = 0;
    while (done < len) {
        int n = send(s, buf + done, len - done, 0);
        if (n <= 0)
            break;
        done += n;
    }
    return done;
}

/* Receives exactly len bytes with blocking recv(); returns bytes received. */
static inline int recv_all(SOCKET s, char *buf, int len)
{
    int done = 0;
    while (done < len) {
        int n = recv(s, buf + done, len - done, 0);
        if (n <= 0)
            break;
        done += n;
    }
    return done;
}

/* Abortive close: the peer sees a reset. */
static inline void close_with_reset(SOCKET s)
{
    LINGER lg;
    lg.l_onoff = 1;
    lg.l_linger = 0;
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&lg, (int)sizeof(lg)), 0);
    assert_int_equal(closesocket(s), 0);
}

#endif
