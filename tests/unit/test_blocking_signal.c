/*
 * How closesocket ends a blocking call on Linux (spec row B1): normally by
 * interrupting it with a signal; where the blocked thread keeps every
 * signal blocked, by a shutdown of the socket's receiving side. Either way
 * the call fails with WSAEINTR and closesocket does not hang.
 */
#include <winsock2.h>

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../cases.h"

typedef struct blocked_recv {
    SOCKET s;
    int mask_all;          /* block every signal in the thread first */
    volatile int done;
    int result, error;
} blocked_recv;

static void *recv_thread(void *arg)
{
    blocked_recv *b = arg;
    char buf[8];
    if (b->mask_all) {
        sigset_t all;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, NULL);
    }
    b->result = recv(b->s, buf, (int)sizeof(buf), 0);
    b->error = WSAGetLastError();
    __atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void connected_pair(SOCKET *a, SOCKET *b)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin;
    int len = (int)sizeof(sin);
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind((int)l, (struct sockaddr *)&sin, sizeof(sin)), 0);
    assert_int_equal(listen((int)l, 1), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&sin, &len), 0);
    *a = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(*a, (struct sockaddr *)&sin, len), 0);
    *b = accept(l, NULL, NULL);
    assert_true(*b != INVALID_SOCKET);
    assert_int_equal(closesocket(l), 0);
}

static void close_under_recv(int mask_all)
{
    blocked_recv b;
    pthread_t t;
    SOCKET peer;
    memset(&b, 0, sizeof(b));
    b.mask_all = mask_all;
    connected_pair(&peer, &b.s);
    assert_int_equal(pthread_create(&t, NULL, recv_thread, &b), 0);
    Sleep(200);
    assert_int_equal(__atomic_load_n(&b.done, __ATOMIC_ACQUIRE), 0);
    DWORD t0 = GetTickCount();
    assert_int_equal(closesocket(b.s), 0);
    assert_true(GetTickCount() - t0 < 2000);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(b.result, SOCKET_ERROR);
    assert_int_equal(b.error, WSAEINTR);
    assert_int_equal(closesocket(peer), 0);
}

static void test_signal_ends_blocked_recv(void **state)
{
    (void)state;
    close_under_recv(0);
}

static void test_shutdown_ends_recv_of_thread_that_blocks_signals(void **state)
{
    (void)state;
    close_under_recv(1);
}

static int setup(void **state)
{
    WSADATA wsa;
    (void)state;
    return WSAStartup(MAKEWORD(2, 2), &wsa);
}

static int teardown(void **state)
{
    (void)state;
    return WSACleanup();
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signal_ends_blocked_recv),
        cmocka_unit_test(test_shutdown_ends_recv_of_thread_that_blocks_signals),
    };
    return run_cases(argc, argv, tests, setup, teardown);
}
