/*
 * WSAEventSelect and WSAEnumNetworkEvents: which network events are
 * recorded when, their error codes, and Windows' re-enabling rules (an
 * event comes back only after its re-enabling call: recv for FD_READ,
 * accept for FD_ACCEPT, a send that would block for FD_WRITE).
 */
#include "conformance.h"

#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

/* Waits up to ms for ev, then takes the socket's record (0 if ev stayed
 * unsignalled: nothing was recorded). */
static LONG wait_events(SOCKET s, WSAEVENT ev, DWORD ms, WSANETWORKEVENTS *ne)
{
    memset(ne, 0x55, sizeof(*ne));
    DWORD w = WSAWaitForMultipleEvents(1, &ev, FALSE, ms, FALSE);
    assert_int_equal(WSAEnumNetworkEvents(s, ev, ne), 0);
    if (w == WSA_WAIT_TIMEOUT)
        assert_int_equal(ne->lNetworkEvents, 0);
    else
        assert_int_equal(w, WSA_WAIT_EVENT_0);
    /* WSAEnumNetworkEvents reset the event. */
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    return ne->lNetworkEvents;
}

/* Waits until the record holds all of want, collecting across wake-ups. */
static LONG wait_for(SOCKET s, WSAEVENT ev, LONG want, WSANETWORKEVENTS *all)
{
    WSANETWORKEVENTS ne;
    LONG got = 0;
    memset(all, 0, sizeof(*all));
    for (int i = 0; i < 50 && (got & want) != want; i++) {
        LONG now = wait_events(s, ev, 100, &ne);
        for (int bit = 0; bit < FD_MAX_EVENTS; bit++)
            if (now & (1 << bit))
                all->iErrorCode[bit] = ne.iErrorCode[bit];
        got |= now;
    }
    all->lNetworkEvents = got;
    return got;
}

static void test_accept_recorded_and_reenabled_by_accept(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    assert_int_equal(WSAEventSelect(l, ev, FD_ACCEPT), 0);
    assert_int_equal(wait_events(l, ev, 50, &ne), 0);

    SOCKET c1 = new_tcp_socket(AF_INET), c2 = new_tcp_socket(AF_INET);
    assert_int_equal(connect(c1, (struct sockaddr *)&addr, addrlen), 0);
    assert_int_equal(wait_events(l, ev, 2000, &ne), FD_ACCEPT);
    assert_int_equal(ne.iErrorCode[FD_ACCEPT_BIT], 0);

    /* A second connection before accept records nothing new ... */
    assert_int_equal(connect(c2, (struct sockaddr *)&addr, addrlen), 0);
    assert_int_equal(wait_events(l, ev, 100, &ne), 0);
    /* ... until accept re-enables FD_ACCEPT, with a connection still queued. */
    SOCKET a1 = accept(l, NULL, NULL);
    assert_true(a1 != INVALID_SOCKET);
    assert_int_equal(wait_events(l, ev, 2000, &ne), FD_ACCEPT);
    SOCKET a2 = accept(l, NULL, NULL);
    assert_true(a2 != INVALID_SOCKET);
    assert_int_equal(wait_events(l, ev, 100, &ne), 0);
    /* The listener is non-blocking now. */
    assert_true(accept(l, NULL, NULL) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);

    closesocket(a1);
    closesocket(a2);
    closesocket(c1);
    closesocket(c2);
    closesocket(l);
    WSACloseEvent(ev);
}

static void test_read_reenabled_by_recv_then_close(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    char buf[16];
    assert_int_equal(WSAEventSelect(s, ev, FD_READ | FD_CLOSE), 0);
    assert_int_equal(wait_events(s, ev, 50, &ne), 0);
    assert_int_equal(send(c, "0123456789", 10, 0), 10);
    assert_int_equal(wait_events(s, ev, 2000, &ne), FD_READ);
    assert_int_equal(ne.iErrorCode[FD_READ_BIT], 0);
    /* Data left after a recv records FD_READ again at once. */
    assert_int_equal(recv(s, buf, 4, 0), 4);
    assert_int_equal(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    assert_int_equal(wait_events(s, ev, 0, &ne), FD_READ);
    assert_int_equal(recv(s, buf, sizeof(buf), 0), 6);
    assert_int_equal(wait_events(s, ev, 100, &ne), 0);
    /* Nothing to read: the socket is non-blocking. */
    assert_int_equal(recv(s, buf, sizeof(buf), 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);

    assert_int_equal(closesocket(c), 0);
    LONG got = wait_for(s, ev, FD_CLOSE, &ne);
    assert_true(got & FD_CLOSE);
    assert_int_equal(ne.iErrorCode[FD_CLOSE_BIT], 0);
    assert_int_equal(recv(s, buf, sizeof(buf), 0), 0);
    /* FD_CLOSE is never recorded twice. */
    assert_int_equal(wait_events(s, ev, 100, &ne) & FD_CLOSE, 0);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_close_after_reset_has_connreset(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    assert_int_equal(WSAEventSelect(s, ev, FD_CLOSE), 0);
    LINGER abortive = { 1, 0 };
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_LINGER, (const char *)&abortive,
                                sizeof(abortive)), 0);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(wait_for(s, ev, FD_CLOSE, &ne), FD_CLOSE);
    assert_int_equal(ne.iErrorCode[FD_CLOSE_BIT], WSAECONNRESET);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_write_reenabled_after_wouldblock(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    int small = 4096;
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_SNDBUF, (const char *)&small, sizeof(small)), 0);
    assert_int_equal(WSAEventSelect(c, ev, FD_WRITE), 0);
    assert_int_equal(wait_events(c, ev, 2000, &ne), FD_WRITE);
    assert_int_equal(ne.iErrorCode[FD_WRITE_BIT], 0);
    /* Sends that succeed do not record it again. */
    assert_int_equal(send(c, "x", 1, 0), 1);
    assert_int_equal(wait_events(c, ev, 100, &ne), 0);

    static char chunk[65536];
    int sent = 0, rc;
    while ((rc = send(c, chunk, sizeof(chunk), 0)) > 0)
        sent += rc;
    assert_int_equal(rc, SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    assert_true(sent > 0);
    /* The reader makes room (loopback may have made some already): FD_WRITE
     * comes back. */
    static char sink[65536];
    int got = 1;
    for (int i = 0; i < 200 && got > 0; i++) {
        got = recv(s, sink, sizeof(sink), 0);
        if (wait_events(c, ev, 10, &ne) == FD_WRITE)
            break;
    }
    assert_int_equal(ne.lNetworkEvents, FD_WRITE);
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_connect_records_connect_and_write(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET c = new_tcp_socket(AF_INET);
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    assert_int_equal(WSAEventSelect(c, ev, FD_CONNECT | FD_WRITE | FD_READ), 0);
    assert_int_equal(wait_events(c, ev, 50, &ne), 0);
    int rc = connect(c, (struct sockaddr *)&addr, addrlen);
    if (rc != 0)
        assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    assert_int_equal(wait_for(c, ev, FD_CONNECT | FD_WRITE, &ne), FD_CONNECT | FD_WRITE);
    assert_int_equal(ne.iErrorCode[FD_CONNECT_BIT], 0);
    closesocket(c);
    closesocket(l);
    WSACloseEvent(ev);
}

static void test_connect_refused_has_error(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    closesocket(l);   /* nobody listens on that port now */
    SOCKET c = new_tcp_socket(AF_INET);
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    assert_int_equal(WSAEventSelect(c, ev, FD_CONNECT), 0);
    assert_int_equal(connect(c, (struct sockaddr *)&addr, addrlen), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    assert_int_equal(wait_for(c, ev, FD_CONNECT, &ne), FD_CONNECT);
    assert_int_equal(ne.iErrorCode[FD_CONNECT_BIT], WSAECONNREFUSED);
    closesocket(c);
    WSACloseEvent(ev);
}

static void test_oob_recorded(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    assert_int_equal(WSAEventSelect(s, ev, FD_OOB), 0);
    assert_int_equal(send(c, "!", 1, MSG_OOB), 1);
    assert_int_equal(wait_for(s, ev, FD_OOB, &ne), FD_OOB);
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_accepted_socket_inherits_selection(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    assert_int_equal(WSAEventSelect(l, ev, FD_ACCEPT | FD_READ), 0);
    SOCKET c = new_tcp_socket(AF_INET);
    assert_int_equal(connect(c, (struct sockaddr *)&addr, addrlen), 0);
    assert_int_equal(wait_for(l, ev, FD_ACCEPT, &ne) & FD_ACCEPT, FD_ACCEPT);
    SOCKET a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    assert_int_equal(send(c, "hi", 2, 0), 2);
    assert_int_equal(wait_for(a, ev, FD_READ, &ne) & FD_READ, FD_READ);
    closesocket(a);
    closesocket(c);
    closesocket(l);
    WSACloseEvent(ev);
}

static void test_selected_socket_stays_nonblocking(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    WSAEVENT ev = WSACreateEvent();
    u_long blocking = 0;
    assert_int_equal(WSAEventSelect(s, ev, FD_READ), 0);
    assert_int_equal(ioctlsocket(s, FIONBIO, &blocking), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    /* Cancelling the selection leaves it non-blocking, but allows the change. */
    assert_int_equal(WSAEventSelect(s, NULL, 0), 0);
    char b;
    assert_int_equal(recv(s, &b, 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    assert_int_equal(ioctlsocket(s, FIONBIO, &blocking), 0);
    /* Nothing is recorded for a socket that is not selected. */
    assert_int_equal(send(c, "z", 1, 0), 1);
    WSANETWORKEVENTS ne;
    assert_int_equal(wait_events(s, ev, 100, &ne), 0);
    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    SOCKET s = new_tcp_socket(AF_INET);
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    WSASetLastError(0);
    assert_int_equal(WSAEnumNetworkEvents(s, ev, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(WSAEventSelect(INVALID_SOCKET, ev, FD_READ), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_int_equal(WSAEnumNetworkEvents(INVALID_SOCKET, ev, &ne), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    closesocket(s);
    WSACloseEvent(ev);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_recorded_and_reenabled_by_accept),
        cmocka_unit_test(test_read_reenabled_by_recv_then_close),
        cmocka_unit_test(test_close_after_reset_has_connreset),
        cmocka_unit_test(test_write_reenabled_after_wouldblock),
        cmocka_unit_test(test_connect_records_connect_and_write),
        cmocka_unit_test(test_connect_refused_has_error),
        cmocka_unit_test(test_oob_recorded),
        cmocka_unit_test(test_accepted_socket_inherits_selection),
        cmocka_unit_test(test_selected_socket_stays_nonblocking),
        cmocka_unit_test(test_bad_arguments),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
