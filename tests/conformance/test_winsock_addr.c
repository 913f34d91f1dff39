/*
 * The address helpers of <ws2tcpip.h> with Windows' results: GetAddrInfoA
 * (and getaddrinfo) return Winsock codes, which EAI_* are; InetPtonA and
 * InetNtopA; WSAConnect without connect data.
 */
#include "conformance.h"

#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

static void test_eai_codes_are_winsock_codes(void **state)
{
    (void)state;
    assert_int_equal(EAI_NONAME, WSAHOST_NOT_FOUND);
    assert_int_equal(EAI_NONAME, 11001);
    assert_int_equal(EAI_AGAIN, WSATRY_AGAIN);
    assert_int_equal(EAI_FAIL, WSANO_RECOVERY);
    assert_int_equal(EAI_MEMORY, WSA_NOT_ENOUGH_MEMORY);
    assert_int_equal(EAI_FAMILY, WSAEAFNOSUPPORT);
    assert_int_equal(EAI_SERVICE, WSATYPE_NOT_FOUND);
    assert_int_equal(EAI_SERVICE, 10109);
    assert_int_equal(EAI_SOCKTYPE, WSAESOCKTNOSUPPORT);
    assert_int_equal(EAI_BADFLAGS, WSAEINVAL);
    assert_int_equal(EAI_NODATA, WSANO_DATA);
}

static void test_getaddrinfo_numeric(void **state)
{
    (void)state;
    ADDRINFOA hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(GetAddrInfoA("127.0.0.1", "80", &hints, &res), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_non_null(res);
    assert_int_equal(res->ai_family, AF_INET);
    assert_int_equal(res->ai_addrlen, sizeof(SOCKADDR_IN));
    const SOCKADDR_IN *a = (const SOCKADDR_IN *)res->ai_addr;
    assert_int_equal(ntohs(a->sin_port), 80);
    assert_int_equal(a->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    FreeAddrInfoA(res);
    FreeAddrInfoA(NULL);   /* does nothing */

    PADDRINFOA res2 = NULL;
    assert_int_equal(getaddrinfo("::1", NULL, NULL, &res2), 0);
    assert_int_equal(res2->ai_family, AF_INET6);
    freeaddrinfo(res2);
    ADDRINFO *res3 = NULL;
    assert_int_equal(GetAddrInfo("127.0.0.1", NULL, NULL, &res3), 0);
    FreeAddrInfo(res3);
}

static void test_getaddrinfo_failures(void **state)
{
    (void)state;
    ADDRINFOA hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    WSASetLastError(0);
    assert_int_equal(GetAddrInfoA("not-an-address", NULL, &hints, &res), WSAHOST_NOT_FOUND);
    assert_int_equal(WSAGetLastError(), WSAHOST_NOT_FOUND);
    assert_null(res);
    hints.ai_flags = 0;
    hints.ai_family = 12345;
    assert_int_equal(getaddrinfo("127.0.0.1", NULL, &hints, &res), EAI_FAMILY);
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    assert_int_equal(getaddrinfo("127.0.0.1", "no-such-service-name", &hints, &res), EAI_SERVICE);
    assert_int_equal(WSAGetLastError(), WSATYPE_NOT_FOUND);
    hints.ai_socktype = 12345;
    assert_int_equal(getaddrinfo("127.0.0.1", NULL, &hints, &res), EAI_SOCKTYPE);
    assert_int_equal(WSAGetLastError(), WSAESOCKTNOSUPPORT);
    assert_non_null(gai_strerror(EAI_NONAME));
    assert_true(strlen(gai_strerrorA(WSAHOST_NOT_FOUND)) > 0);
}

static void test_getnameinfo_numeric(void **state)
{
    (void)state;
    SOCKADDR_IN a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons(8080);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    assert_int_equal(GetNameInfoA((SOCKADDR *)&a, sizeof(a), host, sizeof(host), serv,
                                  sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV), 0);
    assert_string_equal(host, "127.0.0.1");
    assert_string_equal(serv, "8080");
    assert_int_equal(getnameinfo((SOCKADDR *)&a, sizeof(a), host, 4, NULL, 0, NI_NUMERICHOST),
                     WSAEFAULT);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
}

static void test_inet_pton(void **state)
{
    (void)state;
    IN_ADDR a4;
    IN6_ADDR a6;
    WSASetLastError(WSA_SENTINEL);
    assert_int_equal(InetPtonA(AF_INET, "10.1.2.3", &a4), 1);
    assert_int_equal(a4.S_un.S_un_b.s_b1, 10);
    assert_int_equal(a4.S_un.S_un_b.s_b4, 3);
    assert_int_equal(InetPton(AF_INET6, "::1", &a6), 1);
    assert_int_equal(a6.s6_addr[15], 1);
    assert_int_equal(InetPtonA(AF_INET, "10.1.2", &a4), 0);
    assert_int_equal(InetPtonA(AF_INET, "::1", &a4), 0);
    assert_int_equal(InetPtonA(12345, "10.1.2.3", &a4), -1);
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
    assert_int_equal(InetPtonA(AF_INET, NULL, &a4), -1);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
}

static void test_inet_ntop(void **state)
{
    (void)state;
    IN_ADDR a4;
    a4.s_addr = htonl(0x0a010203);
    char buf[INET6_ADDRSTRLEN];
    assert_ptr_equal(InetNtopA(AF_INET, &a4, buf, sizeof(buf)), buf);
    assert_string_equal(buf, "10.1.2.3");
    IN6_ADDR a6 = IN6ADDR_LOOPBACK_INIT;
    assert_ptr_equal(InetNtop(AF_INET6, &a6, buf, sizeof(buf)), buf);
    assert_string_equal(buf, "::1");
    WSASetLastError(0);
    assert_null(InetNtopA(AF_INET, &a4, buf, 5));
    assert_int_equal(WSAGetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(InetNtopA(AF_INET, &a4, NULL, 0));
    assert_int_equal(WSAGetLastError(), ERROR_INVALID_PARAMETER);
    assert_null(InetNtopA(12345, &a4, buf, sizeof(buf)));
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
}

static void test_wsaconnect(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = new_listener(AF_INET, &addr, &addrlen);
    SOCKET c = new_tcp_socket(AF_INET);
    char data[4] = "abc";
    WSABUF caller = { sizeof(data), data };
    WSASetLastError(0);
    assert_int_equal(WSAConnect(c, (struct sockaddr *)&addr, addrlen, &caller, NULL, NULL, NULL),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEOPNOTSUPP);
    WSABUF callee = { sizeof(data), data };
    QOS qos;
    memset(&qos, 0, sizeof(qos));
    assert_int_equal(WSAConnect(c, (struct sockaddr *)&addr, addrlen, NULL, &callee, &qos, NULL), 0);
    assert_int_equal(callee.len, 0);
    SOCKET a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    assert_int_equal(WSAConnect(c, (struct sockaddr *)&addr, addrlen, NULL, NULL, NULL, NULL),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEISCONN);
    /* WSASendDisconnect: the peer sees the end of the stream. */
    assert_int_equal(WSASendDisconnect(c, NULL), 0);
    char b;
    assert_int_equal(recv(a, &b, 1, 0), 0);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eai_codes_are_winsock_codes),
        cmocka_unit_test(test_getaddrinfo_numeric),
        cmocka_unit_test(test_getaddrinfo_failures),
        cmocka_unit_test(test_getnameinfo_numeric),
        cmocka_unit_test(test_inet_pton),
        cmocka_unit_test(test_inet_ntop),
        cmocka_unit_test(test_wsaconnect),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
