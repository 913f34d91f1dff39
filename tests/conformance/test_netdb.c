/*
 * The Winsock 1 lookups of <winsock2.h>: gethostbyname, gethostbyaddr,
 * gethostname, getservbyname/port, getprotobyname/number. Results belong to
 * the calling thread; failures are in WSAGetLastError (and h_errno) with
 * Winsock codes. Where the answer depends on the machine's databases, the
 * test asks the system first (the C library on Linux, Winsock itself on
 * Windows).
 */
#include "conformance.h"

#include <stdio.h>

/* MSVC links ws2_32 from this; other compilers are told on their command
 * line, and gcc would warn about the unknown pragma. */
#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

/* The system's own answers, under the names without iocpcompat's renaming. */
#pragma push_macro("gethostbyaddr")
#pragma push_macro("getservbyname")
#pragma push_macro("getprotobyname")
#undef gethostbyaddr
#undef getservbyname
#undef getprotobyname
static void system_host_name_of(const IN_ADDR *addr, char *name, size_t size)
{
    struct hostent *h = gethostbyaddr((const char *)addr, sizeof *addr, AF_INET);
    snprintf(name, size, "%s", h != NULL ? h->h_name : "");
}
static int system_service_port(const char *name, const char *proto)
{
    struct servent *s = getservbyname(name, proto);
    return s != NULL ? s->s_port : -1;
}
static int system_protocol_number(const char *name)
{
    struct protoent *p = getprotobyname(name);
    return p != NULL ? p->p_proto : -1;
}
#pragma pop_macro("getprotobyname")
#pragma pop_macro("getservbyname")
#pragma pop_macro("gethostbyaddr")

/* Before WSAStartup every lookup fails with WSANOTINITIALISED. */
static void test_lookups_need_wsastartup(void **state)
{
    (void)state;
    char name[256];
    WSASetLastError(0);
    assert_null(gethostbyname("127.0.0.1"));
    assert_int_equal(WSAGetLastError(), WSANOTINITIALISED);
    WSASetLastError(0);
    assert_int_equal(gethostname(name, sizeof name), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSANOTINITIALISED);
    WSASetLastError(0);
    assert_null(getservbyname("http", "tcp"));
    assert_int_equal(WSAGetLastError(), WSANOTINITIALISED);
    WSASetLastError(0);
    assert_null(getprotobynumber(IPPROTO_TCP));
    assert_int_equal(WSAGetLastError(), WSANOTINITIALISED);
}

static void test_gethostbyname_numeric(void **state)
{
    (void)state;
    HOSTENT *h = gethostbyname("127.0.0.1");
    assert_non_null(h);
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_int_equal(h->h_length, 4);
    assert_non_null(h->h_addr_list[0]);
    assert_null(h->h_addr_list[1]);
    IN_ADDR addr;
    memcpy(&addr, h->h_addr, sizeof addr);
    assert_int_equal(addr.s_addr, htonl(INADDR_LOOPBACK));
    assert_string_equal(h->h_name, "127.0.0.1");
}

static void test_gethostbyname_unknown_host(void **state)
{
    (void)state;
    WSASetLastError(0);
    LPHOSTENT h = gethostbyname("no-such-host.invalid");
    assert_null(h);
    int error = WSAGetLastError();
    /* Without a reachable name server the resolver says "try again". */
    assert_true(error == WSAHOST_NOT_FOUND || error == WSATRY_AGAIN || error == WSANO_DATA);
    assert_int_equal(h_errno, error);
    assert_true(HOST_NOT_FOUND == WSAHOST_NOT_FOUND && TRY_AGAIN == WSATRY_AGAIN);
    assert_true(NO_RECOVERY == WSANO_RECOVERY && NO_DATA == WSANO_DATA && NO_ADDRESS == WSANO_DATA);
}

/* NULL and "" name the local host, as gethostname does. */
static void test_gethostbyname_local_host(void **state)
{
    (void)state;
    char name[256];
    assert_int_equal(gethostname(name, sizeof name), 0);
    PHOSTENT by_name = gethostbyname(name);
    if (by_name == NULL)
        skip();   /* the machine cannot resolve its own name */
    char expected[256];
    snprintf(expected, sizeof expected, "%s", by_name->h_name);
    PHOSTENT h = gethostbyname(NULL);
    assert_non_null(h);
    assert_string_equal(h->h_name, expected);
    h = gethostbyname("");
    assert_non_null(h);
    assert_string_equal(h->h_name, expected);
}

static void test_gethostbyaddr(void **state)
{
    (void)state;
    IN_ADDR loopback;
    loopback.s_addr = htonl(INADDR_LOOPBACK);
    char expected[256];
    system_host_name_of(&loopback, expected, sizeof expected);

    WSASetLastError(0);
    HOSTENT *h = gethostbyaddr((const char *)&loopback, sizeof loopback, AF_INET);
    if (expected[0] == '\0') {
        assert_null(h);
        assert_true(WSAGetLastError() == WSAHOST_NOT_FOUND || WSAGetLastError() == WSATRY_AGAIN ||
                    WSAGetLastError() == WSANO_DATA);
        return;
    }
    assert_non_null(h);
    assert_string_equal(h->h_name, expected);
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_memory_equal(h->h_addr_list[0], &loopback, 4);
}

static void test_gethostbyaddr_bad_arguments(void **state)
{
    (void)state;
    IN_ADDR loopback;
    loopback.s_addr = htonl(INADDR_LOOPBACK);
    WSASetLastError(0);
    assert_null(gethostbyaddr(NULL, 4, AF_INET));
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0);
    assert_null(gethostbyaddr((const char *)&loopback, 2, AF_INET));
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0);
    assert_null(gethostbyaddr((const char *)&loopback, 4, AF_UNIX));
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
}

static void test_gethostname(void **state)
{
    (void)state;
    char name[256];
    memset(name, 'x', sizeof name);
    assert_int_equal(gethostname(name, sizeof name), 0);
    size_t len = strlen(name);
    assert_true(len > 0 && len < sizeof name);

    /* Too small for the name and its terminator: WSAEFAULT. */
    char small[256];
    WSASetLastError(0);
    assert_int_equal(gethostname(small, (int)len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(gethostname(small, (int)len + 1), 0);
    assert_string_equal(small, name);
    WSASetLastError(0);
    assert_int_equal(gethostname(NULL, 10), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
}

static void test_services_and_protocols(void **state)
{
    (void)state;
    int system_port = system_service_port("http", "tcp");
    SERVENT *s = getservbyname("http", "tcp");
    if (system_port == -1) {
        assert_null(s);   /* no services database on this machine */
    } else {
        assert_non_null(s);
        assert_int_equal(s->s_port, htons(80));
        assert_string_equal(s->s_proto, "tcp");
        LPSERVENT by_port = getservbyport(htons(80), "tcp");
        assert_non_null(by_port);
        assert_string_equal(by_port->s_name, "http");
    }
    WSASetLastError(0);
    PSERVENT none = getservbyname("no-such-service", "tcp");
    assert_null(none);
    assert_int_equal(WSAGetLastError(), WSANO_DATA);

    int system_number = system_protocol_number("tcp");
    PPROTOENT p = getprotobyname("tcp");
    if (system_number == -1) {
        assert_null(p);
    } else {
        assert_non_null(p);
        assert_int_equal(p->p_proto, IPPROTO_TCP);
        LPPROTOENT by_number = getprotobynumber(IPPROTO_UDP);
        assert_non_null(by_number);
        assert_string_equal(by_number->p_name, "udp");
    }
    WSASetLastError(0);
    assert_null(getprotobyname("no-such-protocol"));
    assert_int_equal(WSAGetLastError(), WSANO_DATA);
}

/* A host result stays while the thread looks up a service or a protocol. */
static void test_kinds_of_result_are_kept_apart(void **state)
{
    (void)state;
    HOSTENT *h = gethostbyname("127.0.0.1");
    assert_non_null(h);
    getservbyname("http", "tcp");
    getservbyname("no-such-service", "udp");
    getprotobyname("udp");
    getprotobynumber(IPPROTO_TCP);
    assert_string_equal(h->h_name, "127.0.0.1");
    assert_int_equal((unsigned char)h->h_addr_list[0][0], 127);
    assert_null(h->h_addr_list[1]);
}

/* Each thread has its own result: another thread's lookup in between does
 * not change it. */
static HANDLE looked_up, may_check;
static DWORD WINAPI other_lookup(LPVOID arg)
{
    (void)arg;
    WaitForSingleObject(looked_up, INFINITE);
    HOSTENT *h = gethostbyname("127.0.0.2");
    SetEvent(may_check);
    return h != NULL && h->h_addr_list[0][3] == 2 ? 0 : 1;
}

static void test_results_are_per_thread(void **state)
{
    (void)state;
    looked_up = CreateEventA(NULL, TRUE, FALSE, NULL);
    may_check = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE thread = CreateThread(NULL, 0, other_lookup, NULL, 0, NULL);
    assert_non_null(thread);
    HOSTENT *mine = gethostbyname("127.0.0.1");
    assert_non_null(mine);
    SetEvent(looked_up);
    assert_int_equal(WaitForSingleObject(may_check, 10000), WAIT_OBJECT_0);
    assert_string_equal(mine->h_name, "127.0.0.1");
    assert_int_equal((unsigned char)mine->h_addr_list[0][3], 1);
    DWORD code = 99;
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    assert_true(GetExitCodeThread(thread, &code));
    assert_int_equal(code, 0);
    CloseHandle(thread);
    CloseHandle(looked_up);
    CloseHandle(may_check);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest before[] = {
        cmocka_unit_test(test_lookups_need_wsastartup),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gethostbyname_numeric),
        cmocka_unit_test(test_gethostbyname_unknown_host),
        cmocka_unit_test(test_gethostbyname_local_host),
        cmocka_unit_test(test_gethostbyaddr),
        cmocka_unit_test(test_gethostbyaddr_bad_arguments),
        cmocka_unit_test(test_gethostname),
        cmocka_unit_test(test_services_and_protocols),
        cmocka_unit_test(test_kinds_of_result_are_kept_apart),
        cmocka_unit_test(test_results_are_per_thread),
    };
    const case_group groups[] = {
        CASE_GROUP(before, NULL, NULL),
        CASE_GROUP(tests, conformance_setup, conformance_teardown),
    };
    return conformance_main_groups(argc, argv, groups);
}
