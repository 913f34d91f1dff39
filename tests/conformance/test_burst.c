/*
 * Many completions at once, more than the kernel's completion queue holds
 * when the ring is made small (ctest runs this test a second time with
 * IOCPCOMPAT_URING_ENTRIES=2): none may be lost or doubled (C7), whatever
 * the engine does when its queue overflows.
 */
#include "conformance.h"

#include <stdio.h>
#include <stdlib.h>

#define PAIRS 400
#define MSG_LEN 32

typedef struct slot {
    OVERLAPPED ovl;          /* first, so a packet's OVERLAPPED finds its slot */
    WSABUF wsabuf;
    DWORD flags;
    char buf[MSG_LEN];
    SOCKET server;
    SOCKET client;
    LONG completions;
} slot;

static slot slots[PAIRS];

/* All recvs pend first; then every peer sends while no thread waits on the
 * port; only then is the port drained. */
static void test_burst_of_completions_is_delivered_exactly_once(void **state)
{
    HANDLE port = new_port();
    struct sockaddr_storage addr;
    int addrlen, i;
    SOCKET listener = new_listener(AF_INET, &addr, &addrlen);
    char msg[MSG_LEN];
    (void)state;

    for (i = 0; i < PAIRS; i++) {
        slot *sl = &slots[i];
        connect_pair(listener, &addr, addrlen, &sl->client, &sl->server);
        associate(sl->server, port, (ULONG_PTR)i);
        sl->wsabuf.buf = sl->buf;
        sl->wsabuf.len = MSG_LEN;
        sl->flags = 0;
        assert_int_equal(WSARecv(sl->server, &sl->wsabuf, 1, NULL, &sl->flags, &sl->ovl, NULL),
                         SOCKET_ERROR);
        assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    }
    for (i = 0; i < PAIRS; i++) {
        memset(msg, 'a' + i % 26, sizeof(msg));
        snprintf(msg, sizeof(msg), "%d", i);
        assert_int_equal(send_all(slots[i].client, msg, MSG_LEN), MSG_LEN);
    }
    Sleep(200);

    for (i = 0; i < PAIRS; i++) {
        packet p = get_packet(port, PACKET_WAIT_MS);
        assert_true(p.ok);
        assert_non_null(p.ovl);
        slot *sl = (slot *)p.ovl;
        assert_true(sl >= slots && sl < slots + PAIRS);
        assert_int_equal(p.key, (ULONG_PTR)(sl - slots));
        assert_int_equal(p.bytes, MSG_LEN);
        assert_int_equal(InterlockedIncrement(&sl->completions), 1);
        memset(msg, 'a' + (int)(sl - slots) % 26, sizeof(msg));
        snprintf(msg, sizeof(msg), "%d", (int)(sl - slots));
        assert_memory_equal(sl->buf, msg, MSG_LEN);
    }
    assert_no_packet(port, QUIET_MS);

    for (i = 0; i < PAIRS; i++) {
        assert_int_equal(closesocket(slots[i].client), 0);
        assert_int_equal(closesocket(slots[i].server), 0);
    }
    assert_int_equal(closesocket(listener), 0);
    assert_true(CloseHandle(port));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_of_completions_is_delivered_exactly_once),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
