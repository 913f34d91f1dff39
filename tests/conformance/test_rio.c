/*
 * Registered I/O: the function table, buffer ids, completion queues and
 * their notifications, request queues, deferred requests, TCP and UDP, the
 * end of a connection, threads, and resizing (rows Q1-Q13).
 */
#include "conformance.h"

/* mingw-w64's SDK declares nothing of RIO but WSA_FLAG_REGISTERED_IO: the
 * library's declarations fill in, as in its Windows build. */
#ifndef RIO_CORRUPT_CQ
#include "iocpcompat_rio.h"
#endif

#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

static RIO_EXTENSION_FUNCTION_TABLE rio;

static SOCKET rio_socket(int type)
{
    int proto = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
    SOCKET s = WSASocketA(AF_INET, type, proto, NULL, 0,
                          WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO);
    assert_true(s != INVALID_SOCKET);
    return s;
}

static int load_table(SOCKET s, RIO_EXTENSION_FUNCTION_TABLE *t)
{
    GUID id = WSAID_MULTIPLE_RIO;
    DWORD got = 0;
    memset(t, 0, sizeof(*t));
    return WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), t, sizeof(*t),
                    &got, NULL, NULL);
}

static int rio_setup(void **state)
{
    if (conformance_setup(state) != 0)
        return -1;
    SOCKET s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                          WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO);
    if (s == INVALID_SOCKET)
        return -1;
    int rc = load_table(s, &rio);
    closesocket(s);
    return rc == 0 ? 0 : -1;
}

/* A connected pair: client a plain socket, server accepted from a RIO
 * listener (and so a RIO socket, row Q6). */
static void rio_pair(SOCKET *client, SOCKET *server)
{
    SOCKET l = rio_socket(SOCK_STREAM);
    struct sockaddr_storage ss, bound;
    int len = loopback_address(AF_INET, &ss), boundlen = (int)sizeof(bound);
    assert_int_equal(bind(l, (struct sockaddr *)&ss, len), 0);
    assert_int_equal(listen(l, 16), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&bound, &boundlen), 0);
    connect_pair(l, &bound, boundlen, client, server);
    assert_int_equal(closesocket(l), 0);
}

/* Dequeues until n results are in out or the wait is over; returns how many. */
static ULONG wait_results(RIO_CQ cq, RIORESULT *out, ULONG n)
{
    ULONG got = 0;
    DWORD start = GetTickCount();
    while (got < n && GetTickCount() - start < PACKET_WAIT_MS) {
        ULONG k = rio.RIODequeueCompletion(cq, out + got, n - got);
        assert_true(k != RIO_CORRUPT_CQ);
        got += k;
        if (got < n)
            Sleep(1);
    }
    return got;
}

/* No result within QUIET_MS. */
static void assert_no_result(RIO_CQ cq)
{
    RIORESULT r;
    Sleep(QUIET_MS);
    assert_int_equal(rio.RIODequeueCompletion(cq, &r, 1), 0);
}

static void assert_result(const RIORESULT *r, LONG status, ULONG bytes, ULONGLONG sctx,
                          ULONGLONG rctx)
{
    assert_int_equal(r->Status, status);
    assert_int_equal(r->BytesTransferred, bytes);
    assert_int_equal(r->SocketContext, sctx);
    assert_int_equal(r->RequestContext, rctx);
}

static RIO_BUF span(RIO_BUFFERID id, ULONG offset, ULONG length)
{
    RIO_BUF b;
    b.BufferId = id;
    b.Offset = offset;
    b.Length = length;
    return b;
}

static void recv_exactly(SOCKET s, char *buf, int n)
{
    int got = 0;
    while (got < n) {
        int k = recv(s, buf + got, n - got, 0);
        assert_true(k > 0);
        got += k;
    }
}

/* Q1: the table, with the SDK's layout and values. */
static void test_q1_function_table_filled(void **state)
{
    (void)state;
    assert_int_equal(sizeof(RIO_EXTENSION_FUNCTION_TABLE), 112);
    assert_int_equal(offsetof(RIO_EXTENSION_FUNCTION_TABLE, RIOReceive), 8);
    assert_int_equal(offsetof(RIO_EXTENSION_FUNCTION_TABLE, RIOResizeRequestQueue), 104);
    assert_int_equal(sizeof(RIO_BUF), 16);
    assert_int_equal(sizeof(RIORESULT), 24);
    assert_int_equal(sizeof(RIO_NOTIFICATION_COMPLETION), 32);
    assert_int_equal(offsetof(RIO_NOTIFICATION_COMPLETION, Iocp.IocpHandle), 8);
    assert_int_equal(RIO_MSG_DONT_NOTIFY, 1);
    assert_int_equal(RIO_MSG_DEFER, 2);
    assert_int_equal(RIO_MSG_WAITALL, 4);
    assert_int_equal(RIO_MSG_COMMIT_ONLY, 8);
    assert_int_equal((ULONG_PTR)RIO_INVALID_BUFFERID, 0xFFFFFFFFu);
    assert_int_equal(RIO_MAX_CQ_SIZE, 0x8000000);
    assert_int_equal(RIO_CORRUPT_CQ, 0xFFFFFFFFu);
    assert_int_equal(WSA_FLAG_REGISTERED_IO, 0x100);
    assert_int_equal((DWORD)SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, 0xC8000024u);

    SOCKET s = rio_socket(SOCK_STREAM);
    RIO_EXTENSION_FUNCTION_TABLE t;
    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(load_table(s, &t), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(t.cbSize, sizeof(t));
    void *fns[13];
    memcpy(fns, (char *)&t + 8, sizeof(fns));
    for (int i = 0; i < 13; i++)
        assert_non_null(fns[i]);

    /* Another GUID names no table. */
    GUID other = WSAID_ACCEPTEX;
    DWORD got = 0;
    assert_int_equal(WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &other, sizeof(other),
                              &t, sizeof(t), &got, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(closesocket(s), 0);
}

/* Q2: buffer ids, and requests naming a bad one. */
static void test_q2_buffer_ids_checked_per_request(void **state)
{
    (void)state;
    static char mem[256];
    WSASetLastError(WSA_SENTINEL);
    assert_ptr_equal(rio.RIORegisterBuffer(mem, 0), RIO_INVALID_BUFFERID);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    RIO_BUFFERID id = rio.RIORegisterBuffer(mem, sizeof(mem));
    assert_true(id != RIO_INVALID_BUFFERID);

    SOCKET c, s;
    rio_pair(&c, &s);
    RIO_CQ cq = rio.RIOCreateCompletionQueue(8, NULL);
    assert_true(cq != RIO_INVALID_CQ);
    RIO_RQ rq = rio.RIOCreateRequestQueue(s, 2, 1, 2, 1, cq, cq, NULL);
    assert_true(rq != RIO_INVALID_RQ);

    RIO_BUF past = span(id, 200, 57);   /* one byte beyond the registration */
    WSASetLastError(WSA_SENTINEL);
    assert_false(rio.RIOSend(rq, &past, 1, 0, NULL));
    int err = WSAGetLastError();
    assert_true(err == WSAEFAULT || err == WSAEINVAL);
    RIO_BUF edge = span(id, 200, 56);
    memcpy(mem + 200, "edge", 4);
    assert_true(rio.RIOSend(rq, &edge, 1, 0, NULL));
    RIORESULT r;
    assert_int_equal(wait_results(cq, &r, 1), 1);
    assert_result(&r, 0, 56, 0, 0);

    rio.RIODeregisterBuffer(id);
    RIO_BUF gone = span(id, 0, 8);
    WSASetLastError(WSA_SENTINEL);
    assert_false(rio.RIOSend(rq, &gone, 1, 0, NULL));
    err = WSAGetLastError();
    assert_true(err == WSAEFAULT || err == WSAEINVAL);
    RIO_BUF made_up = span((RIO_BUFFERID)(ULONG_PTR)0x12345678, 0, 8);
    assert_false(rio.RIOReceive(rq, &made_up, 1, 0, NULL));
    rio.RIODeregisterBuffer(id);              /* again: ignored */
    rio.RIODeregisterBuffer(RIO_INVALID_BUFFERID);
    assert_no_result(cq);

    char got[56];
    recv_exactly(c, got, 56);
    assert_memory_equal(got, "edge", 4);
    closesocket(s);
    closesocket(c);
    rio.RIOCloseCompletionQueue(cq);
}

/* Q3: a CQ's size, and a polled-only CQ. */
static void test_q3_cq_size_limits(void **state)
{
    (void)state;
    WSASetLastError(WSA_SENTINEL);
    assert_ptr_equal(rio.RIOCreateCompletionQueue(0, NULL), RIO_INVALID_CQ);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    WSASetLastError(WSA_SENTINEL);
    assert_ptr_equal(rio.RIOCreateCompletionQueue(RIO_MAX_CQ_SIZE + 1, NULL), RIO_INVALID_CQ);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    RIO_CQ cq = rio.RIOCreateCompletionQueue(1, NULL);
    assert_true(cq != RIO_INVALID_CQ);
    RIORESULT r;
    assert_int_equal(rio.RIODequeueCompletion(cq, &r, 1), 0);
    rio.RIOCloseCompletionQueue(cq);
}

struct notified {
    HANDLE port;
    OVERLAPPED ovl;
    RIO_CQ cq;
    RIO_RQ rq;
    RIO_BUFFERID id;
    SOCKET client, server;
    char mem[64];
};

static void notified_open(struct notified *n, RIO_NOTIFICATION_COMPLETION *how)
{
    rio_pair(&n->client, &n->server);
    n->cq = rio.RIOCreateCompletionQueue(8, how);
    assert_true(n->cq != RIO_INVALID_CQ);
    n->rq = rio.RIOCreateRequestQueue(n->server, 4, 1, 4, 1, n->cq, n->cq, (PVOID)(ULONG_PTR)0x5C);
    assert_true(n->rq != RIO_INVALID_RQ);
    n->id = rio.RIORegisterBuffer(n->mem, sizeof(n->mem));
    assert_true(n->id != RIO_INVALID_BUFFERID);
}

static void notified_close(struct notified *n)
{
    if (n->server != INVALID_SOCKET)
        closesocket(n->server);
    closesocket(n->client);
    rio.RIOCloseCompletionQueue(n->cq);
    rio.RIODeregisterBuffer(n->id);
}

/* A pair whose CQ notifies a new port with key and n->ovl. */
static void iocp_notified_open(struct notified *n, ULONG_PTR key)
{
    memset(n, 0, sizeof(*n));
    n->port = new_port();
    RIO_NOTIFICATION_COMPLETION how;
    memset(&how, 0, sizeof(how));
    how.Type = RIO_IOCP_COMPLETION;
    how.Iocp.IocpHandle = n->port;
    how.Iocp.CompletionKey = (PVOID)key;
    how.Iocp.Overlapped = &n->ovl;
    notified_open(n, &how);
}

/* Q4: one packet per RIONotify, none for DONT_NOTIFY results. */
static void test_q4_iocp_notification_is_one_packet(void **state)
{
    (void)state;
    struct notified n;
    iocp_notified_open(&n, 77);

    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(rio.RIONotify(n.cq), 0);
    assert_int_equal(rio.RIONotify(n.cq), WSAEALREADY);
    assert_int_equal(WSAGetLastError(), WSA_SENTINEL);   /* returned, not set */
    assert_no_packet(n.port, QUIET_MS);

    RIO_BUF a = span(n.id, 0, 8), b = span(n.id, 8, 8);
    assert_true(rio.RIOReceive(n.rq, &a, 1, 0, (PVOID)1));
    assert_true(rio.RIOReceive(n.rq, &b, 1, 0, (PVOID)2));
    assert_int_equal(send(n.client, "12345678", 8, 0), 8);
    packet p = get_packet(n.port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, 77, &n.ovl);
    assert_int_equal(send(n.client, "abcdefgh", 8, 0), 8);
    RIORESULT r[2];
    assert_int_equal(wait_results(n.cq, r, 2), 2);
    assert_result(&r[0], 0, 8, 0x5C, 1);
    assert_result(&r[1], 0, 8, 0x5C, 2);
    assert_memory_equal(n.mem, "12345678abcdefgh", 16);
    assert_no_packet(n.port, QUIET_MS);   /* the second result found it disarmed */

    /* Armed while a result waits: the packet comes at once. */
    assert_true(rio.RIOReceive(n.rq, &a, 1, 0, (PVOID)3));
    assert_int_equal(send(n.client, "x", 1, 0), 1);
    Sleep(QUIET_MS);
    assert_no_packet(n.port, 0);
    assert_int_equal(rio.RIONotify(n.cq), 0);
    p = get_packet(n.port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, 77, &n.ovl);
    assert_int_equal(wait_results(n.cq, r, 1), 1);
    assert_result(&r[0], 0, 1, 0x5C, 3);

    /* RIO_MSG_DONT_NOTIFY: its result does not set off the armed CQ. */
    assert_int_equal(rio.RIONotify(n.cq), 0);
    assert_true(rio.RIOReceive(n.rq, &a, 1, RIO_MSG_DONT_NOTIFY, (PVOID)4));
    assert_int_equal(send(n.client, "y", 1, 0), 1);
    assert_int_equal(wait_results(n.cq, r, 1), 1);
    assert_result(&r[0], 0, 1, 0x5C, 4);
    assert_no_packet(n.port, QUIET_MS);
    assert_int_equal(rio.RIONotify(n.cq), WSAEALREADY);   /* still armed */

    notified_close(&n);
    CloseHandle(n.port);
}

/* Q4: the CQ's port delivers RIO notifications only; an overlapped WSARecv
 * on the same socket, which was never associated with a port, completes
 * through its event and puts no packet on that port, while running, when
 * aborted by closesocket, and while RIO requests of the socket wait. */
static void test_q4_unassociated_socket_keeps_overlapped_off_the_port(void **state)
{
    (void)state;
    struct notified n;
    iocp_notified_open(&n, 78);

    RIO_BUF a = span(n.id, 0, 4);
    assert_true(rio.RIOReceive(n.rq, &a, 1, 0, (PVOID)1));
    assert_int_equal(rio.RIONotify(n.cq), 0);
    assert_int_equal(send(n.client, "rio1", 4, 0), 4);
    packet p = get_packet(n.port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, 78, &n.ovl);
    RIORESULT r[2];
    assert_int_equal(wait_results(n.cq, r, 1), 1);
    assert_result(&r[0], 0, 4, 0x5C, 1);
    assert_memory_equal(n.mem, "rio1", 4);

    char buf[16];
    WSABUF wb = { sizeof(buf), buf };
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    DWORD got = 0, flags = 0;
    int rc = WSARecv(n.server, &wb, 1, &got, &flags, &ov, NULL);
    assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    assert_int_equal(send(n.client, "plain", 5, 0), 5);
    assert_int_equal(WaitForSingleObject(ov.hEvent, PACKET_WAIT_MS), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(n.server, &ov, &got, FALSE, &flags));
    assert_int_equal(got, 5);
    assert_memory_equal(buf, "plain", 5);
    assert_no_packet(n.port, QUIET_MS);

    /* Both kinds pending, then closesocket: the RIO result is aborted into
     * the CQ (one packet, armed), the WSARecv through its event only. */
    WSAResetEvent(ov.hEvent);
    rc = WSARecv(n.server, &wb, 1, &got, &flags, &ov, NULL);
    assert_int_equal(rc, SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    RIO_BUF b = span(n.id, 8, 4);
    assert_true(rio.RIOReceive(n.rq, &b, 1, 0, (PVOID)2));
    assert_int_equal(rio.RIONotify(n.cq), 0);
    assert_no_packet(n.port, QUIET_MS);
    assert_int_equal(closesocket(n.server), 0);
    n.server = INVALID_SOCKET;
    assert_int_equal(WaitForSingleObject(ov.hEvent, PACKET_WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal((DWORD)ov.Internal, STATUS_CONNECTION_ABORTED);
    p = get_packet(n.port, PACKET_WAIT_MS);
    assert_packet_ok(p, 0, 78, &n.ovl);
    assert_int_equal(wait_results(n.cq, r, 1), 1);
    assert_result(&r[0], WSA_OPERATION_ABORTED, 0, 0x5C, 2);
    assert_no_packet(n.port, QUIET_MS);

    WSACloseEvent(ov.hEvent);
    notified_close(&n);
    CloseHandle(n.port);
}

/* Q5: the event, and NotifyReset. */
static void test_q5_event_notification(void **state)
{
    (void)state;
    struct notified n;
    memset(&n, 0, sizeof(n));
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    assert_non_null(ev);
    RIO_NOTIFICATION_COMPLETION how;
    memset(&how, 0, sizeof(how));
    how.Type = RIO_EVENT_COMPLETION;
    how.Event.EventHandle = ev;
    how.Event.NotifyReset = TRUE;
    notified_open(&n, &how);

    assert_int_equal(rio.RIONotify(n.cq), 0);
    assert_int_equal(WaitForSingleObject(ev, QUIET_MS), WAIT_TIMEOUT);
    RIO_BUF a = span(n.id, 0, 8);
    assert_true(rio.RIOReceive(n.rq, &a, 1, 0, (PVOID)1));
    assert_int_equal(send(n.client, "e", 1, 0), 1);
    assert_int_equal(WaitForSingleObject(ev, PACKET_WAIT_MS), WAIT_OBJECT_0);
    RIORESULT r;
    assert_int_equal(wait_results(n.cq, &r, 1), 1);
    assert_result(&r, 0, 1, 0x5C, 1);
    /* RIONotify resets the event itself, and with nothing queued it stays so. */
    assert_int_equal(rio.RIONotify(n.cq), 0);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);

    notified_close(&n);
    CloseHandle(ev);
}

/* Q6: what a request queue needs. */
static void test_q6_request_queue_rules(void **state)
{
    (void)state;
    RIO_CQ cq = rio.RIOCreateCompletionQueue(4, NULL);
    assert_true(cq != RIO_INVALID_CQ);
    SOCKET plain = new_tcp_socket(AF_INET);
    WSASetLastError(WSA_SENTINEL);
    assert_ptr_equal(rio.RIOCreateRequestQueue(plain, 1, 1, 1, 1, cq, cq, NULL), RIO_INVALID_RQ);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);

    SOCKET s1 = rio_socket(SOCK_STREAM), s2 = rio_socket(SOCK_STREAM);
    WSASetLastError(WSA_SENTINEL);
    assert_ptr_equal(rio.RIOCreateRequestQueue(s1, 0, 1, 0, 1, cq, cq, NULL), RIO_INVALID_RQ);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    WSASetLastError(WSA_SENTINEL);
    assert_ptr_equal(rio.RIOCreateRequestQueue(s1, 1, 1, 1, 1, RIO_INVALID_CQ, cq, NULL), RIO_INVALID_RQ);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_true(rio.RIOCreateRequestQueue(s1, 2, 1, 2, 1, cq, cq, NULL) != RIO_INVALID_RQ);
    /* 2 + 2 fill the CQ of 4: one more outstanding request does not fit. */
    WSASetLastError(WSA_SENTINEL);
    assert_ptr_equal(rio.RIOCreateRequestQueue(s2, 1, 1, 0, 1, cq, cq, NULL), RIO_INVALID_RQ);
    assert_int_equal(WSAGetLastError(), WSAENOBUFS);
    /* Closing s1 gives its share back. */
    assert_int_equal(closesocket(s1), 0);
    assert_true(rio.RIOCreateRequestQueue(s2, 2, 1, 2, 1, cq, cq, NULL) != RIO_INVALID_RQ);

    /* AcceptEx from a RIO listener makes a RIO socket of the accept socket. */
    SOCKET l = rio_socket(SOCK_STREAM);
    struct sockaddr_storage ss, bound;
    int len = loopback_address(AF_INET, &ss), boundlen = (int)sizeof(bound);
    assert_int_equal(bind(l, (struct sockaddr *)&ss, len), 0);
    assert_int_equal(listen(l, 4), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&bound, &boundlen), 0);
    SOCKET a = new_tcp_socket(AF_INET);
    char blocks[2 * (sizeof(struct sockaddr_in6) + 16)];
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD got = 0;
    BOOL ok = AcceptEx(l, a, blocks, 0, sizeof(struct sockaddr_in6) + 16,
                       sizeof(struct sockaddr_in6) + 16, &got, &ov);
    assert_true(ok || WSAGetLastError() == ERROR_IO_PENDING);
    SOCKET c = new_tcp_socket(AF_INET);
    assert_int_equal(connect(c, (struct sockaddr *)&bound, boundlen), 0);
    assert_true(GetOverlappedResult((HANDLE)l, &ov, &got, TRUE));
    RIO_CQ cq2 = rio.RIOCreateCompletionQueue(4, NULL);
    assert_true(rio.RIOCreateRequestQueue(a, 1, 1, 1, 1, cq2, cq2, NULL) != RIO_INVALID_RQ);

    CloseHandle(ov.hEvent);
    closesocket(c);
    closesocket(a);
    closesocket(l);
    closesocket(s2);
    closesocket(plain);
    rio.RIOCloseCompletionQueue(cq);
    rio.RIOCloseCompletionQueue(cq2);
}

/* Q7: one result per request, the outstanding limit, order, whole sends. */
static void test_q7_each_request_one_result_in_order(void **state)
{
    (void)state;
    SOCKET c, s;
    rio_pair(&c, &s);
    static char mem[3 * 65536];
    RIO_BUFFERID id = rio.RIORegisterBuffer(mem, sizeof(mem));
    RIO_CQ cq = rio.RIOCreateCompletionQueue(16, NULL);
    RIO_RQ rq = rio.RIOCreateRequestQueue(s, 2, 1, 3, 1, cq, cq, (PVOID)(ULONG_PTR)0xABC);
    assert_true(rq != RIO_INVALID_RQ);

    /* Three sends of 64 KiB each, more than the socket buffer takes at once:
     * they reach the wire whole and in order. */
    for (int i = 0; i < 3; i++) {
        memset(mem + i * 65536, 'a' + i, 65536);
        RIO_BUF b = span(id, (ULONG)i * 65536, 65536);
        assert_true(rio.RIOSend(rq, &b, 1, 0, (PVOID)(ULONG_PTR)(100 + i)));
    }
    RIO_BUF extra = span(id, 0, 1);
    WSASetLastError(WSA_SENTINEL);
    assert_false(rio.RIOSend(rq, &extra, 1, 0, NULL));
    assert_int_equal(WSAGetLastError(), WSAENOBUFS);
    static char got[3 * 65536];
    recv_exactly(c, got, sizeof(got));
    for (int i = 0; i < 3; i++) {
        assert_int_equal(got[i * 65536], 'a' + i);
        assert_int_equal(got[i * 65536 + 65535], 'a' + i);
    }
    RIORESULT r[4];
    assert_int_equal(wait_results(cq, r, 3), 3);
    for (int i = 0; i < 3; i++)
        assert_result(&r[i], 0, 65536, 0xABC, (ULONGLONG)(100 + i));
    assert_no_result(cq);
    /* Dequeued, they no longer count. */
    assert_true(rio.RIOSend(rq, &extra, 1, 0, (PVOID)9));
    assert_int_equal(wait_results(cq, r, 1), 1);
    recv_exactly(c, got, 1);

    /* Receives fill in posting order. */
    RIO_BUF r1 = span(id, 0, 4), r2 = span(id, 4, 4);
    assert_true(rio.RIOReceive(rq, &r1, 1, 0, (PVOID)1));
    assert_true(rio.RIOReceive(rq, &r2, 1, 0, (PVOID)2));
    WSASetLastError(WSA_SENTINEL);
    assert_false(rio.RIOReceive(rq, &r1, 1, 0, (PVOID)3));
    assert_int_equal(WSAGetLastError(), WSAENOBUFS);
    assert_int_equal(send(c, "01234567", 8, 0), 8);
    assert_int_equal(wait_results(cq, r, 2), 2);
    assert_result(&r[0], 0, 4, 0xABC, 1);
    assert_result(&r[1], 0, 4, 0xABC, 2);
    assert_memory_equal(mem, "01234567", 8);

    /* Bad requests: flags, buffer counts, a made-up queue. */
    WSASetLastError(WSA_SENTINEL);
    assert_false(rio.RIOReceive(rq, &r1, 1, 0x100, NULL));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_false(rio.RIOReceive(rq, &r1, 2, 0, NULL));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_false(rio.RIOSend((RIO_RQ)(ULONG_PTR)0x4242, &r1, 1, 0, NULL));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_no_result(cq);

    closesocket(s);
    closesocket(c);
    rio.RIOCloseCompletionQueue(cq);
    rio.RIODeregisterBuffer(id);
}

/* Many small sends, posted faster than a peer that reads slowly takes
 * them (so that they wait behind one another), some deferred: the stream is
 * their buffers in posting order, and each has its own whole result, in
 * order. */
#define MANY_SENDS 300
#define SMALL_SEND 2000

static void small_buffers(SOCKET c, SOCKET s)
{
    int small = 4096;
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&small, sizeof(small)), 0);
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_RCVBUF, (const char *)&small, sizeof(small)), 0);
}

/* Where send i's bytes come from in a buffer of 64 KiB + SMALL_SEND. */
static ULONG many_offset(int i)
{
    return (ULONG)((i * 7919) % 65536);
}

static void test_q7_queued_sends_keep_order_and_their_results(void **state)
{
    (void)state;
    SOCKET c, s;
    rio_pair(&c, &s);
    small_buffers(c, s);
    static char mem[65536 + SMALL_SEND];
    fill_pattern(mem, sizeof(mem), 7);
    RIO_BUFFERID id = rio.RIORegisterBuffer(mem, sizeof(mem));
    RIO_CQ cq = rio.RIOCreateCompletionQueue(MANY_SENDS + 1, NULL);
    RIO_RQ rq = rio.RIOCreateRequestQueue(s, 1, 1, MANY_SENDS, 1, cq, cq, (PVOID)7);
    assert_true(rq != RIO_INVALID_RQ);
    for (int i = 0; i < MANY_SENDS; i++) {
        RIO_BUF b = span(id, many_offset(i), SMALL_SEND);
        DWORD flags = i % 3 != 2 && i + 1 < MANY_SENDS ? RIO_MSG_DEFER : 0;
        assert_true(rio.RIOSend(rq, &b, 1, flags, (PVOID)(ULONG_PTR)(i + 1)));
    }
    static char got[MANY_SENDS * SMALL_SEND];
    recv_exactly(c, got, sizeof(got));
    for (int i = 0; i < MANY_SENDS; i++)
        assert_memory_equal(got + (size_t)i * SMALL_SEND, mem + many_offset(i), SMALL_SEND);
    static RIORESULT r[MANY_SENDS + 1];
    assert_int_equal(wait_results(cq, r, MANY_SENDS), MANY_SENDS);
    for (int i = 0; i < MANY_SENDS; i++)
        assert_result(&r[i], 0, SMALL_SEND, 7, (ULONGLONG)(i + 1));
    assert_no_result(cq);
    closesocket(s);
    closesocket(c);
    rio.RIOCloseCompletionQueue(cq);
    rio.RIODeregisterBuffer(id);
}

/* Sends waiting behind one another when the connection ends: every one has
 * exactly one result; those that reached the wire come first in posting
 * order and are whole, the rest failed with nothing sent. */
static void end_mid_sends(BOOL reset)
{
    SOCKET c, s;
    rio_pair(&c, &s);
    small_buffers(c, s);
    static char mem[65536 + SMALL_SEND];
    fill_pattern(mem, sizeof(mem), 7);
    RIO_BUFFERID id = rio.RIORegisterBuffer(mem, sizeof(mem));
    RIO_CQ cq = rio.RIOCreateCompletionQueue(MANY_SENDS + 1, NULL);
    RIO_RQ rq = rio.RIOCreateRequestQueue(s, 1, 1, MANY_SENDS, 1, cq, cq, (PVOID)8);
    assert_true(rq != RIO_INVALID_RQ);
    for (int i = 0; i < MANY_SENDS; i++) {
        RIO_BUF b = span(id, many_offset(i), SMALL_SEND);
        assert_true(rio.RIOSend(rq, &b, 1, i % 4 != 3 ? RIO_MSG_DEFER : 0, (PVOID)(ULONG_PTR)(i + 1)));
    }
    assert_true(rio.RIOSend(rq, NULL, 0, RIO_MSG_COMMIT_ONLY, NULL));
    if (reset) {
        struct linger hard = { 1, 0 };
        assert_int_equal(setsockopt(c, SOL_SOCKET, SO_LINGER, (const char *)&hard, sizeof(hard)), 0);
        assert_int_equal(closesocket(c), 0);
    } else {
        assert_int_equal(closesocket(s), 0);
    }
    static RIORESULT r[MANY_SENDS];
    assert_int_equal(wait_results(cq, r, MANY_SENDS), MANY_SENDS);
    static char seen[MANY_SENDS + 1];
    memset(seen, 0, sizeof(seen));
    ULONGLONG sent_up_to = 0;   /* every success is the next in order */
    for (int i = 0; i < MANY_SENDS; i++) {
        ULONGLONG ctx = r[i].RequestContext;
        assert_true(ctx >= 1 && ctx <= MANY_SENDS);
        assert_int_equal(seen[ctx], 0);
        seen[ctx] = 1;
        assert_int_equal(r[i].SocketContext, 8);
        if (r[i].Status == 0) {
            assert_int_equal(r[i].BytesTransferred, SMALL_SEND);
            assert_int_equal(ctx, sent_up_to + 1);
            sent_up_to = ctx;
        } else {
            assert_int_equal(r[i].BytesTransferred, 0);
            assert_true(r[i].Status == WSA_OPERATION_ABORTED || r[i].Status == WSAECONNRESET ||
                        r[i].Status == WSAECONNABORTED);
        }
    }
    assert_true(sent_up_to < MANY_SENDS);   /* the end came before the last */
    assert_no_result(cq);
    if (reset)
        closesocket(s);
    else
        closesocket(c);
    rio.RIOCloseCompletionQueue(cq);
    rio.RIODeregisterBuffer(id);
}

static void test_q10_closesocket_mid_sends(void **state)
{
    (void)state;
    end_mid_sends(FALSE);
}

static void test_q10_peer_reset_mid_sends(void **state)
{
    (void)state;
    end_mid_sends(TRUE);
}

/* A broadcast: one registered buffer sent to many connections, round
 * after round, while some peers reset and some connections are closed by
 * the program. Every request accepted has exactly one result; the buffer
 * is freed once the last is dequeued, and nothing touches it after (ASan). */
#define FANOUT 32
#define FANOUT_ROUNDS 40

static void test_q10_broadcast_while_connections_end(void **state)
{
    (void)state;
    SOCKET c[FANOUT], s[FANOUT];
    RIO_RQ rq[FANOUT];
    const ULONG len = 512;
    char *mem = malloc(len);
    assert_non_null(mem);
    fill_pattern(mem, len, 3);
    RIO_BUFFERID id = rio.RIORegisterBuffer(mem, len);
    assert_true(id != RIO_INVALID_BUFFERID);
    RIO_CQ cq = rio.RIOCreateCompletionQueue(FANOUT * (FANOUT_ROUNDS + 1), NULL);
    for (int i = 0; i < FANOUT; i++) {
        rio_pair(&c[i], &s[i]);
        small_buffers(c[i], s[i]);
        rq[i] = rio.RIOCreateRequestQueue(s[i], 1, 1, FANOUT_ROUNDS, 1, cq, cq, (PVOID)(ULONG_PTR)(i + 1));
        assert_true(rq[i] != RIO_INVALID_RQ);
    }
    BOOL open[FANOUT];
    for (int i = 0; i < FANOUT; i++)
        open[i] = TRUE;
    ULONG posted = 0;
    for (int round = 0; round < FANOUT_ROUNDS; round++) {
        if (round == FANOUT_ROUNDS / 4) {
            struct linger hard = { 1, 0 };
            for (int i = 0; i < FANOUT; i += 4) {   /* peers that reset */
                assert_int_equal(setsockopt(c[i], SOL_SOCKET, SO_LINGER, (const char *)&hard, sizeof(hard)), 0);
                assert_int_equal(closesocket(c[i]), 0);
                c[i] = INVALID_SOCKET;
            }
            for (int i = 1; i < FANOUT; i += 4) {   /* closed by the program */
                assert_int_equal(closesocket(s[i]), 0);
                open[i] = FALSE;
            }
        }
        for (int i = 0; i < FANOUT; i++) {
            RIO_BUF b = span(id, 0, len);
            BOOL ok = rio.RIOSend(rq[i], &b, 1, RIO_MSG_DEFER, (PVOID)(ULONG_PTR)(round + 1));
            /* A closed socket's queue is gone; any other takes the request. */
            assert_int_equal(ok, open[i]);
            posted += ok;
        }
        for (int i = 0; i < FANOUT; i++)
            if (open[i])
                assert_true(rio.RIOSend(rq[i], NULL, 0, RIO_MSG_COMMIT_ONLY, NULL));
        if (round == FANOUT_ROUNDS / 2) {
            for (int i = 2; i < FANOUT; i += 4) {   /* closed with sends still waiting */
                assert_int_equal(closesocket(s[i]), 0);
                open[i] = FALSE;
            }
        }
    }
    /* The peers that stayed read every round, whole and in order. */
    for (int i = 3; i < FANOUT; i += 4) {
        static char sink[FANOUT_ROUNDS * 512];
        recv_exactly(c[i], sink, (int)(FANOUT_ROUNDS * len));
        for (int r = 0; r < FANOUT_ROUNDS; r++)
            assert_memory_equal(sink + (size_t)r * len, mem, len);
    }
    static RIORESULT r[FANOUT * FANOUT_ROUNDS];
    static unsigned char seen[FANOUT][FANOUT_ROUNDS + 1];
    memset(seen, 0, sizeof(seen));
    assert_int_equal(wait_results(cq, r, posted), posted);
    for (ULONG k = 0; k < posted; k++) {
        ULONGLONG who = r[k].SocketContext, round = r[k].RequestContext;
        assert_true(who >= 1 && who <= FANOUT && round >= 1 && round <= FANOUT_ROUNDS);
        assert_int_equal(seen[who - 1][round], 0);
        seen[who - 1][round] = 1;
        if ((who - 1) % 4 == 3)
            assert_result(&r[k], 0, len, who, round);   /* a peer that stayed */
        else
            assert_true(r[k].Status == 0 ? r[k].BytesTransferred == len : r[k].BytesTransferred == 0);
    }
    assert_no_result(cq);
    rio.RIODeregisterBuffer(id);
    memset(mem, 0, len);
    free(mem);
    for (int i = 0; i < FANOUT; i++) {
        if (open[i])
            closesocket(s[i]);
        if (c[i] != INVALID_SOCKET)
            closesocket(c[i]);
    }
    rio.RIOCloseCompletionQueue(cq);
}

/* CancelIoEx(s, NULL) ends the socket's started requests, aborted; a
 * deferred one is not started, so it stays, and runs at its commit. This
 * is the library's documented behaviour (README, "Registered I/O"), where
 * Windows ends RIO requests only at closesocket. */
static void test_q10_cancel_ends_started_requests(void **state)
{
    (void)state;
    SOCKET c, s;
    rio_pair(&c, &s);
    static char mem[64];
    RIO_BUFFERID id = rio.RIORegisterBuffer(mem, sizeof(mem));
    RIO_CQ cq = rio.RIOCreateCompletionQueue(8, NULL);
    RIO_RQ rq = rio.RIOCreateRequestQueue(s, 2, 1, 1, 1, cq, cq, (PVOID)5);
    RIO_BUF a = span(id, 0, 16), b = span(id, 16, 16);
    assert_true(rio.RIOReceive(rq, &a, 1, 0, (PVOID)1));
    assert_true(rio.RIOReceive(rq, &b, 1, RIO_MSG_DEFER, (PVOID)2));
    assert_true(CancelIoEx((HANDLE)s, NULL));
    RIORESULT r[2];
    assert_int_equal(wait_results(cq, r, 1), 1);
    assert_result(&r[0], WSA_OPERATION_ABORTED, 0, 5, 1);
    assert_no_result(cq);
    assert_true(rio.RIOReceive(rq, NULL, 0, RIO_MSG_COMMIT_ONLY, NULL));
    assert_int_equal(send(c, "abc", 3, 0), 3);
    assert_int_equal(wait_results(cq, r, 1), 1);
    assert_result(&r[0], 0, 3, 5, 2);
    assert_memory_equal(mem + 16, "abc", 3);
    closesocket(s);
    closesocket(c);
    rio.RIOCloseCompletionQueue(cq);
    rio.RIODeregisterBuffer(id);
}

/* Whether s has data to read within ms. */
static BOOL readable(SOCKET s, DWORD ms)
{
    fd_set set;
    FD_ZERO(&set);
    FD_SET(s, &set);
    struct timeval tv = { (long)(ms / 1000), (long)(ms % 1000) * 1000 };
    return select((int)s + 1, &set, NULL, NULL, &tv) == 1;
}

/* Q8: deferred requests start at the commit, in order. */
static void test_q8_deferred_requests_start_at_commit(void **state)
{
    (void)state;
    SOCKET c, s;
    rio_pair(&c, &s);
    static char mem[64];
    memcpy(mem, "onetwothree", 11);
    RIO_BUFFERID id = rio.RIORegisterBuffer(mem, sizeof(mem));
    RIO_CQ cq = rio.RIOCreateCompletionQueue(8, NULL);
    RIO_RQ rq = rio.RIOCreateRequestQueue(s, 2, 1, 4, 1, cq, cq, NULL);
    RIO_BUF one = span(id, 0, 3), two = span(id, 3, 3), three = span(id, 6, 5);
    assert_true(rio.RIOSend(rq, &one, 1, RIO_MSG_DEFER, (PVOID)1));
    assert_true(rio.RIOSend(rq, &two, 1, RIO_MSG_DEFER, (PVOID)2));
    assert_false(readable(c, QUIET_MS));
    assert_no_result(cq);
    WSASetLastError(WSA_SENTINEL);
    assert_false(rio.RIOSend(rq, &one, 1, RIO_MSG_COMMIT_ONLY | RIO_MSG_DEFER, NULL));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_true(rio.RIOSend(rq, NULL, 0, RIO_MSG_COMMIT_ONLY, NULL));
    char got[16];
    recv_exactly(c, got, 6);
    assert_memory_equal(got, "onetwo", 6);
    RIORESULT r[3];
    assert_int_equal(wait_results(cq, r, 2), 2);
    assert_int_equal(r[0].RequestContext, 1);
    assert_int_equal(r[1].RequestContext, 2);

    /* A request without DEFER commits those before it. */
    assert_true(rio.RIOSend(rq, &three, 1, RIO_MSG_DEFER, (PVOID)3));
    assert_true(rio.RIOSend(rq, &one, 1, RIO_MSG_DEFER, (PVOID)4));
    assert_false(readable(c, QUIET_MS));
    assert_true(rio.RIOSend(rq, &two, 1, 0, (PVOID)5));
    recv_exactly(c, got, 11);
    assert_memory_equal(got, "threeonetwo", 11);
    assert_int_equal(wait_results(cq, r, 3), 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(r[i].RequestContext, 3 + i);

    /* A deferred receive too waits for its commit. */
    RIO_BUF in = span(id, 32, 8);
    assert_true(rio.RIOReceive(rq, &in, 1, RIO_MSG_DEFER, (PVOID)6));
    assert_int_equal(send(c, "zz", 2, 0), 2);
    assert_no_result(cq);
    assert_true(rio.RIOReceive(rq, NULL, 0, RIO_MSG_COMMIT_ONLY, NULL));
    assert_int_equal(wait_results(cq, r, 1), 1);
    assert_result(&r[0], 0, 2, 0, 6);

    closesocket(s);
    closesocket(c);
    rio.RIOCloseCompletionQueue(cq);
    rio.RIODeregisterBuffer(id);
}

/* Q9: RIODequeueCompletion. */
static void test_q9_dequeue_fifo_and_bad_queue(void **state)
{
    (void)state;
    assert_int_equal(rio.RIODequeueCompletion((RIO_CQ)(ULONG_PTR)0x777, NULL, 0), RIO_CORRUPT_CQ);
    RIORESULT r[8];
    assert_int_equal(rio.RIODequeueCompletion((RIO_CQ)(ULONG_PTR)0x777, r, 8), RIO_CORRUPT_CQ);
    SOCKET c, s;
    rio_pair(&c, &s);
    static char mem[16] = "0123456789";
    RIO_BUFFERID id = rio.RIORegisterBuffer(mem, sizeof(mem));
    RIO_CQ cq = rio.RIOCreateCompletionQueue(8, NULL);
    RIO_RQ rq = rio.RIOCreateRequestQueue(s, 1, 1, 5, 1, cq, cq, NULL);
    assert_int_equal(rio.RIODequeueCompletion(cq, r, 8), 0);
    for (int i = 0; i < 5; i++) {
        RIO_BUF b = span(id, (ULONG)i, 1);
        assert_true(rio.RIOSend(rq, &b, 1, 0, (PVOID)(ULONG_PTR)(i + 1)));
    }
    char got[5];
    recv_exactly(c, got, 5);
    Sleep(QUIET_MS);
    assert_int_equal(wait_results(cq, r, 2), 2);
    assert_int_equal(r[0].RequestContext, 1);
    assert_int_equal(r[1].RequestContext, 2);
    assert_int_equal(rio.RIODequeueCompletion(cq, r, 8), 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(r[i].RequestContext, 3 + i);
    assert_int_equal(rio.RIODequeueCompletion(cq, r, 8), 0);
    closesocket(s);
    closesocket(c);
    rio.RIOCloseCompletionQueue(cq);
    assert_int_equal(rio.RIODequeueCompletion(cq, r, 8), RIO_CORRUPT_CQ);   /* closed */
    rio.RIODeregisterBuffer(id);
}

/* Q10: the end of a connection completes what is pending. */
static void test_q10_pending_requests_complete_at_the_end(void **state)
{
    (void)state;
    static char mem[64];
    RIO_BUFFERID id = rio.RIORegisterBuffer(mem, sizeof(mem));
    RIO_CQ cq = rio.RIOCreateCompletionQueue(16, NULL);
    RIO_BUF a = span(id, 0, 16), b = span(id, 16, 16);
    RIORESULT r[2];

    /* closesocket: aborted. */
    SOCKET c, s;
    rio_pair(&c, &s);
    RIO_RQ rq = rio.RIOCreateRequestQueue(s, 2, 1, 1, 1, cq, cq, (PVOID)1);
    assert_true(rio.RIOReceive(rq, &a, 1, 0, (PVOID)10));
    assert_true(rio.RIOReceive(rq, &b, 1, RIO_MSG_DEFER, (PVOID)11));
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(wait_results(cq, r, 2), 2);
    /* The one in the kernel ends when the kernel has let go of it, so the
     * deferred one may come first. */
    int first = r[0].RequestContext == 10 ? 0 : 1;
    assert_result(&r[first], WSA_OPERATION_ABORTED, 0, 1, 10);
    assert_result(&r[1 - first], WSA_OPERATION_ABORTED, 0, 1, 11);
    assert_false(rio.RIOReceive(rq, &a, 1, 0, NULL));   /* the queue went with its socket */
    closesocket(c);

    /* A reset from the peer. */
    rio_pair(&c, &s);
    rq = rio.RIOCreateRequestQueue(s, 2, 1, 1, 1, cq, cq, (PVOID)2);
    assert_true(rio.RIOReceive(rq, &a, 1, 0, (PVOID)20));
    assert_true(rio.RIOReceive(rq, &b, 1, 0, (PVOID)21));
    struct linger hard = { 1, 0 };
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_LINGER, (const char *)&hard, sizeof(hard)), 0);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(wait_results(cq, r, 2), 2);
    assert_result(&r[0], WSAECONNRESET, 0, 2, 20);
    assert_result(&r[1], WSAECONNRESET, 0, 2, 21);
    closesocket(s);

    /* A graceful close: Status 0, 0 bytes. */
    rio_pair(&c, &s);
    rq = rio.RIOCreateRequestQueue(s, 1, 1, 1, 1, cq, cq, (PVOID)3);
    assert_true(rio.RIOReceive(rq, &a, 1, 0, (PVOID)30));
    assert_int_equal(shutdown(c, SD_SEND), 0);
    assert_int_equal(wait_results(cq, r, 1), 1);
    assert_result(&r[0], 0, 0, 3, 30);
    closesocket(s);
    closesocket(c);
    assert_no_result(cq);
    rio.RIOCloseCompletionQueue(cq);
    rio.RIODeregisterBuffer(id);
}

static SOCKET udp_rio_bound(SOCKADDR_IN *addr)
{
    SOCKET s = rio_socket(SOCK_DGRAM);
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (SOCKADDR *)addr, sizeof(*addr)), 0);
    int len = sizeof(*addr);
    assert_int_equal(getsockname(s, (SOCKADDR *)addr, &len), 0);
    return s;
}

/* Q11: UDP with remote addresses, one datagram per request. */
static void test_q11_udp_with_addresses(void **state)
{
    (void)state;
    SOCKADDR_IN aa, ba;
    SOCKET a = udp_rio_bound(&aa), b = udp_rio_bound(&ba);
    static char mem[256];
    RIO_BUFFERID id = rio.RIORegisterBuffer(mem, sizeof(mem));
    RIO_CQ cq = rio.RIOCreateCompletionQueue(16, NULL);
    RIO_RQ qa = rio.RIOCreateRequestQueue(a, 2, 1, 2, 1, cq, cq, (PVOID)0xA);
    RIO_RQ qb = rio.RIOCreateRequestQueue(b, 2, 1, 2, 1, cq, cq, (PVOID)0xB);
    assert_true(qa != RIO_INVALID_RQ && qb != RIO_INVALID_RQ);

    /* mem: [0,32) a's data, [32,64) a's target, [64,128) b's two receives,
     * [128,192) b's two source addresses. */
    memcpy(mem, "first", 5);
    memcpy(mem + 8, "second!", 7);
    memset(mem + 32, 0, sizeof(SOCKADDR_INET));
    memcpy(mem + 32, &ba, sizeof(ba));
    RIO_BUF in1 = span(id, 64, 32), in2 = span(id, 96, 32);
    RIO_BUF from1 = span(id, 128, sizeof(SOCKADDR_INET)), from2 = span(id, 160, sizeof(SOCKADDR_INET));
    assert_true(rio.RIOReceiveEx(qb, &in1, 1, NULL, &from1, NULL, NULL, 0, (PVOID)1));
    assert_true(rio.RIOReceiveEx(qb, &in2, 1, NULL, &from2, NULL, NULL, 0, (PVOID)2));
    RIO_BUF d1 = span(id, 0, 5), d2 = span(id, 8, 7), to = span(id, 32, sizeof(SOCKADDR_INET));
    assert_true(rio.RIOSendEx(qa, &d1, 1, NULL, &to, NULL, NULL, 0, (PVOID)3));
    assert_true(rio.RIOSendEx(qa, &d2, 1, NULL, &to, NULL, NULL, 0, (PVOID)4));

    RIORESULT r[4];
    assert_int_equal(wait_results(cq, r, 4), 4);
    int seen = 0;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(r[i].Status, 0);
        if (r[i].SocketContext == 0xA) {
            assert_int_equal(r[i].BytesTransferred, r[i].RequestContext == 3 ? 5 : 7);
        } else {
            assert_int_equal(r[i].SocketContext, 0xB);
            assert_int_equal(r[i].BytesTransferred, r[i].RequestContext == 1 ? 5 : 7);
        }
        seen |= 1 << (int)r[i].RequestContext;
    }
    assert_int_equal(seen, 0x1E);
    assert_memory_equal(mem + 64, "first", 5);
    assert_memory_equal(mem + 96, "second!", 7);
    for (int off = 128; off <= 160; off += 32) {
        SOCKADDR_IN from;
        memcpy(&from, mem + off, sizeof(from));
        assert_int_equal(from.sin_family, AF_INET);
        assert_int_equal(from.sin_port, aa.sin_port);
        assert_int_equal(from.sin_addr.s_addr, aa.sin_addr.s_addr);
    }
    closesocket(a);
    closesocket(b);
    rio.RIOCloseCompletionQueue(cq);
    rio.RIODeregisterBuffer(id);
}

/* Q12: several threads at once, each with its own queues (as Windows asks
 * of a program): every result arrives once, every byte comes back. */
#define Q12_THREADS 4
#define Q12_ROUNDS 200

struct echo_worker {
    SOCKET client, server;
    RIO_CQ cq;
    RIO_RQ rq;
    RIO_BUFFERID id;
    char mem[16];
    LONG results;
    LONG bad;
};

static DWORD WINAPI q12_worker(LPVOID arg)
{
    struct echo_worker *w = (struct echo_worker *)arg;
    char out[8], back[8];
    for (int i = 0; i < Q12_ROUNDS; i++) {
        RIO_BUF in = span(w->id, 0, 8);
        if (!rio.RIOReceive(w->rq, &in, 1, 0, (PVOID)(ULONG_PTR)(2 * i))) {
            w->bad++;
            break;
        }
        memset(out, 'a' + (i % 26), sizeof(out));
        if (send(w->client, out, 8, 0) != 8) {
            w->bad++;
            break;
        }
        RIORESULT r[2];
        ULONG got = 0;
        DWORD start = GetTickCount();
        while (got < 1 && GetTickCount() - start < PACKET_WAIT_MS)
            got += rio.RIODequeueCompletion(w->cq, r, 2);
        if (got != 1 || r[0].Status != 0 || r[0].RequestContext != (ULONGLONG)(2 * i)) {
            w->bad++;
            break;
        }
        w->results++;
        RIO_BUF echo = span(w->id, 0, r[0].BytesTransferred);
        if (!rio.RIOSend(w->rq, &echo, 1, 0, (PVOID)(ULONG_PTR)(2 * i + 1))) {
            w->bad++;
            break;
        }
        int n = 0;
        while (n < (int)r[0].BytesTransferred) {
            int k = recv(w->client, back + n, 8 - n, 0);
            if (k <= 0)
                break;
            n += k;
        }
        got = 0;
        start = GetTickCount();
        while (got < 1 && GetTickCount() - start < PACKET_WAIT_MS)
            got += rio.RIODequeueCompletion(w->cq, r, 2);
        if (n != 8 || memcmp(back, out, 8) != 0 || got != 1 || r[0].Status != 0 ||
            r[0].RequestContext != (ULONGLONG)(2 * i + 1)) {
            w->bad++;
            break;
        }
        w->results++;
    }
    return 0;
}

static void test_q12_threads_each_with_their_queues(void **state)
{
    (void)state;
    struct echo_worker w[Q12_THREADS];
    HANDLE t[Q12_THREADS];
    memset(w, 0, sizeof(w));
    for (int i = 0; i < Q12_THREADS; i++) {
        rio_pair(&w[i].client, &w[i].server);
        w[i].cq = rio.RIOCreateCompletionQueue(4, NULL);
        w[i].rq = rio.RIOCreateRequestQueue(w[i].server, 1, 1, 1, 1, w[i].cq, w[i].cq, NULL);
        w[i].id = rio.RIORegisterBuffer(w[i].mem, sizeof(w[i].mem));
        assert_true(w[i].rq != RIO_INVALID_RQ && w[i].id != RIO_INVALID_BUFFERID);
    }
    for (int i = 0; i < Q12_THREADS; i++) {
        t[i] = CreateThread(NULL, 0, q12_worker, &w[i], 0, NULL);
        assert_non_null(t[i]);
    }
    assert_int_equal(WaitForMultipleObjects(Q12_THREADS, t, TRUE, 60000), WAIT_OBJECT_0);
    for (int i = 0; i < Q12_THREADS; i++) {
        CloseHandle(t[i]);
        assert_int_equal(w[i].bad, 0);
        assert_int_equal(w[i].results, 2 * Q12_ROUNDS);
        closesocket(w[i].server);
        closesocket(w[i].client);
        rio.RIOCloseCompletionQueue(w[i].cq);
        rio.RIODeregisterBuffer(w[i].id);
    }
}

/* Q12, a program that gets it wrong: two threads post to one request
 * queue and dequeue from one CQ at once, with no lock of their own. Windows
 * leaves this undefined; the library still gives every request accepted
 * exactly one result and every byte to the peer. */
#define MISUSE_THREADS 2
#define MISUSE_SENDS 2000

struct misuse {
    RIO_RQ rq;
    RIO_CQ cq;
    RIO_BUFFERID id;
    LONG seen[MISUSE_THREADS * MISUSE_SENDS];
    LONG results, posted, bad;
};

static struct misuse misuse_state;

static void misuse_drain(struct misuse *m)
{
    RIORESULT r[16];
    ULONG n = rio.RIODequeueCompletion(m->cq, r, 16);
    if (n == RIO_CORRUPT_CQ) {
        InterlockedIncrement(&m->bad);
        return;
    }
    for (ULONG i = 0; i < n; i++) {
        ULONGLONG ctx = r[i].RequestContext;
        if (ctx >= MISUSE_THREADS * MISUSE_SENDS || r[i].Status != 0 || r[i].BytesTransferred != 8)
            InterlockedIncrement(&m->bad);
        else
            InterlockedIncrement(&m->seen[ctx]);
        InterlockedIncrement(&m->results);
    }
}

static DWORD WINAPI misuse_worker(LPVOID arg)
{
    struct misuse *m = &misuse_state;
    int me = (int)(ULONG_PTR)arg;
    for (int i = 0; i < MISUSE_SENDS; i++) {
        RIO_BUF b = span(m->id, (ULONG)(me * 8), 8);
        DWORD flags = i % 4 == 3 ? 0 : RIO_MSG_DEFER;
        DWORD start = GetTickCount();
        while (!rio.RIOSend(m->rq, &b, 1, flags, (PVOID)(ULONG_PTR)(me * MISUSE_SENDS + i))) {
            if (WSAGetLastError() != WSAENOBUFS || GetTickCount() - start > PACKET_WAIT_MS) {
                InterlockedIncrement(&m->bad);
                return 0;
            }
            rio.RIOSend(m->rq, NULL, 0, RIO_MSG_COMMIT_ONLY, NULL);
            misuse_drain(m);
        }
        InterlockedIncrement(&m->posted);
        if (i % 8 == 0)
            misuse_drain(m);
    }
    return 0;
}

static void test_q12_misuse_from_two_threads_stays_consistent(void **state)
{
    (void)state;
    struct misuse *m = &misuse_state;
    memset(m, 0, sizeof(*m));
    SOCKET c, s;
    rio_pair(&c, &s);
    static char mem[16];
    memcpy(mem, "AAAAAAAABBBBBBBB", 16);
    m->id = rio.RIORegisterBuffer(mem, sizeof(mem));
    m->cq = rio.RIOCreateCompletionQueue(128, NULL);
    m->rq = rio.RIOCreateRequestQueue(s, 1, 1, 64, 1, m->cq, m->cq, NULL);
    assert_true(m->rq != RIO_INVALID_RQ);
    HANDLE t[MISUSE_THREADS];
    for (int i = 0; i < MISUSE_THREADS; i++) {
        t[i] = CreateThread(NULL, 0, misuse_worker, (LPVOID)(ULONG_PTR)i, 0, NULL);
        assert_non_null(t[i]);
    }
    /* The peer reads all of it: each send's 8 bytes whole, whatever the order. */
    static char got[MISUSE_THREADS * MISUSE_SENDS * 8];
    recv_exactly(c, got, sizeof(got));
    assert_int_equal(WaitForMultipleObjects(MISUSE_THREADS, t, TRUE, 60000), WAIT_OBJECT_0);
    for (int i = 0; i < MISUSE_THREADS; i++)
        CloseHandle(t[i]);
    int counts[2] = { 0, 0 };
    for (size_t k = 0; k < sizeof(got); k += 8) {
        assert_true(got[k] == 'A' || got[k] == 'B');
        for (int j = 1; j < 8; j++)
            assert_int_equal(got[k + j], got[k]);
        counts[got[k] - 'A']++;
    }
    assert_int_equal(counts[0], MISUSE_SENDS);
    assert_int_equal(counts[1], MISUSE_SENDS);
    DWORD start = GetTickCount();
    while (m->results < m->posted && GetTickCount() - start < PACKET_WAIT_MS)
        misuse_drain(m);
    assert_int_equal(m->bad, 0);
    assert_int_equal(m->posted, MISUSE_THREADS * MISUSE_SENDS);
    assert_int_equal(m->results, m->posted);
    for (int k = 0; k < MISUSE_THREADS * MISUSE_SENDS; k++)
        assert_int_equal(m->seen[k], 1);
    assert_no_result(m->cq);
    closesocket(s);
    closesocket(c);
    rio.RIOCloseCompletionQueue(m->cq);
    rio.RIODeregisterBuffer(m->id);
}

/* Q13: growing keeps what is queued; shrinking below use fails. */
static void test_q13_resize_queues(void **state)
{
    (void)state;
    SOCKET c, s;
    rio_pair(&c, &s);
    static char mem[64];
    RIO_BUFFERID id = rio.RIORegisterBuffer(mem, sizeof(mem));
    RIO_CQ cq = rio.RIOCreateCompletionQueue(2, NULL);
    RIO_RQ rq = rio.RIOCreateRequestQueue(s, 1, 1, 1, 1, cq, cq, NULL);
    assert_true(rq != RIO_INVALID_RQ);
    WSASetLastError(WSA_SENTINEL);
    assert_false(rio.RIOResizeCompletionQueue(cq, 1));   /* 2 outstanding are allowed on it */
    assert_int_equal(WSAGetLastError(), WSAETOOMANYREFS);

    RIO_BUF a = span(id, 0, 8);
    assert_true(rio.RIOReceive(rq, &a, 1, 0, (PVOID)1));
    assert_int_equal(send(c, "q13", 3, 0), 3);
    Sleep(QUIET_MS);
    assert_true(rio.RIOResizeCompletionQueue(cq, 8));
    RIORESULT r[4];
    assert_int_equal(wait_results(cq, r, 1), 1);   /* kept across the resize */
    assert_result(&r[0], 0, 3, 0, 1);

    /* The request queue: the CQ now has room for 8. */
    assert_true(rio.RIOReceive(rq, &a, 1, 0, (PVOID)2));
    WSASetLastError(WSA_SENTINEL);
    assert_false(rio.RIOResizeRequestQueue(rq, 0, 1));   /* one receive is outstanding */
    assert_int_equal(WSAGetLastError(), WSAETOOMANYREFS);
    assert_true(rio.RIOResizeRequestQueue(rq, 3, 1));
    RIO_BUF b = span(id, 8, 8), d = span(id, 16, 8);
    assert_true(rio.RIOReceive(rq, &b, 1, 0, (PVOID)3));
    assert_true(rio.RIOReceive(rq, &d, 1, 0, (PVOID)4));
    assert_false(rio.RIOReceive(rq, &d, 1, 0, (PVOID)5));
    assert_int_equal(WSAGetLastError(), WSAENOBUFS);
    WSASetLastError(WSA_SENTINEL);
    assert_false(rio.RIOResizeRequestQueue(rq, 8, 1));   /* 8 + 1 exceed the CQ's 8 */
    assert_int_equal(WSAGetLastError(), WSAENOBUFS);
    closesocket(s);
    /* Each aborted once; the one in the kernel may come last. */
    assert_int_equal(wait_results(cq, r, 3), 3);
    int seen = 0;
    for (int i = 0; i < 3; i++) {
        assert_result(&r[i], WSA_OPERATION_ABORTED, 0, 0, r[i].RequestContext);
        assert_true(r[i].RequestContext >= 2 && r[i].RequestContext <= 4);
        seen |= 1 << (int)r[i].RequestContext;
    }
    assert_int_equal(seen, 0x1C);
    closesocket(c);
    rio.RIOCloseCompletionQueue(cq);
    rio.RIODeregisterBuffer(id);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_q1_function_table_filled),
        cmocka_unit_test(test_q2_buffer_ids_checked_per_request),
        cmocka_unit_test(test_q3_cq_size_limits),
        cmocka_unit_test(test_q4_iocp_notification_is_one_packet),
        cmocka_unit_test(test_q4_unassociated_socket_keeps_overlapped_off_the_port),
        cmocka_unit_test(test_q5_event_notification),
        cmocka_unit_test(test_q6_request_queue_rules),
        cmocka_unit_test(test_q7_each_request_one_result_in_order),
        cmocka_unit_test(test_q7_queued_sends_keep_order_and_their_results),
        cmocka_unit_test(test_q8_deferred_requests_start_at_commit),
        cmocka_unit_test(test_q9_dequeue_fifo_and_bad_queue),
        cmocka_unit_test(test_q10_pending_requests_complete_at_the_end),
        cmocka_unit_test(test_q10_closesocket_mid_sends),
        cmocka_unit_test(test_q10_peer_reset_mid_sends),
        cmocka_unit_test(test_q10_broadcast_while_connections_end),
        cmocka_unit_test(test_q10_cancel_ends_started_requests),
        cmocka_unit_test(test_q11_udp_with_addresses),
        cmocka_unit_test(test_q12_threads_each_with_their_queues),
        cmocka_unit_test(test_q12_misuse_from_two_threads_stays_consistent),
        cmocka_unit_test(test_q13_resize_queues),
    };
    return conformance_main(argc, argv, tests, rio_setup, conformance_teardown);
}
