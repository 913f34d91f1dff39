/*
 * The protocol catalogue (WSAEnumProtocolsA), addresses as text
 * (WSAAddressToStringA, WSAStringToAddressA, InetPtonW/InetNtopW), byte
 * order through a socket (WSAHtonl...), and what Linux has nothing for:
 * Winsock 1.1's blocking hooks and the RnR name spaces, which fail as
 * Windows' do when they cannot.
 */
#include "conformance.h"

#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

static void test_enum_protocols(void **state)
{
    (void)state;
    DWORD len = 0;
    WSASetLastError(0);
    assert_int_equal(WSAEnumProtocolsA(NULL, NULL, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOBUFS);
    assert_int_equal(len, 4 * sizeof(WSAPROTOCOL_INFOA));
    WSAPROTOCOL_INFOA info[4];
    len = sizeof(info);
    assert_int_equal(WSAEnumProtocolsA(NULL, info, &len), 4);
    int tcp = 0, udp = 0;
    for (int i = 0; i < 4; i++) {
        if (info[i].iProtocol == IPPROTO_TCP) {
            tcp++;
            assert_int_equal(info[i].iSocketType, SOCK_STREAM);
            assert_true(info[i].dwServiceFlags1 & XP1_GUARANTEED_ORDER);
        } else {
            udp++;
            assert_int_equal(info[i].iProtocol, IPPROTO_UDP);
            assert_true(info[i].dwServiceFlags1 & XP1_CONNECTIONLESS);
            assert_int_equal(info[i].dwMessageSize, 0xffbb);
        }
        assert_int_equal(info[i].iMaxSockAddr,
                         info[i].iAddressFamily == AF_INET ? sizeof(SOCKADDR_IN) : sizeof(SOCKADDR_IN6));
        assert_int_equal(info[i].ProtocolChain.ChainLen, BASE_PROTOCOL);
    }
    assert_int_equal(tcp, 2);
    assert_int_equal(udp, 2);
    /* A filter, zero-terminated; and a socket made from an entry. */
    INT only_udp[] = { IPPROTO_UDP, 0 };
    len = sizeof(info);
    assert_int_equal(WSAEnumProtocolsA(only_udp, info, &len), 2);
    assert_int_equal(info[0].iProtocol, IPPROTO_UDP);
    SOCKET s = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info[0], 0,
                          WSA_FLAG_OVERLAPPED);
    assert_true(s != INVALID_SOCKET);
    closesocket(s);
    assert_int_equal(WSAEnumProtocolsA(NULL, info, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
}

static void test_protocol_info_option(void **state)
{
    (void)state;
    SOCKET s = new_tcp_socket(AF_INET6);
    WSAPROTOCOL_INFOA info;
    int len = sizeof(info);
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&info, &len), 0);
    assert_int_equal(len, sizeof(info));
    assert_int_equal(info.iAddressFamily, AF_INET6);
    assert_int_equal(info.iSocketType, SOCK_STREAM);
    assert_int_equal(info.iMaxSockAddr, sizeof(SOCKADDR_IN6));
    len = sizeof(info) - 1;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFO, (char *)&info, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    DWORD size = 0;
    len = sizeof(size);
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&size, &len), 0);
    assert_int_equal(size, 65507);
    closesocket(s);
}

static void test_address_to_string(void **state)
{
    (void)state;
    SOCKADDR_IN a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(0x0a000001);
    a.sin_port = htons(8080);
    char text[64];
    DWORD len = sizeof(text);
    assert_int_equal(WSAAddressToStringA((LPSOCKADDR)&a, sizeof(a), NULL, text, &len), 0);
    assert_string_equal(text, "10.0.0.1:8080");
    assert_int_equal(len, strlen("10.0.0.1:8080") + 1);
    a.sin_port = 0;
    len = sizeof(text);
    assert_int_equal(WSAAddressToStringA((LPSOCKADDR)&a, sizeof(a), NULL, text, &len), 0);
    assert_string_equal(text, "10.0.0.1");
    /* Too small: WSAEFAULT, and the length needed. */
    len = 4;
    assert_int_equal(WSAAddressToStringA((LPSOCKADDR)&a, sizeof(a), NULL, text, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(len, 9);

    SOCKADDR_IN6 a6;
    memset(&a6, 0, sizeof(a6));
    a6.sin6_family = AF_INET6;
    a6.sin6_addr = in6addr_loopback;
    a6.sin6_port = htons(443);
    len = sizeof(text);
    assert_int_equal(WSAAddressToStringA((LPSOCKADDR)&a6, sizeof(a6), NULL, text, &len), 0);
    assert_string_equal(text, "[::1]:443");
    a6.sin6_port = 0;
    a6.sin6_scope_id = 3;
    len = sizeof(text);
    assert_int_equal(WSAAddressToStringA((LPSOCKADDR)&a6, sizeof(a6), NULL, text, &len), 0);
    assert_string_equal(text, "::1%3");

    SOCKADDR bad;
    memset(&bad, 0, sizeof(bad));
    bad.sa_family = 12345;
    len = sizeof(text);
    assert_int_equal(WSAAddressToStringA(&bad, sizeof(bad), NULL, text, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
}

static void test_string_to_address(void **state)
{
    (void)state;
    SOCKADDR_IN a;
    INT len = sizeof(a);
    char v4[] = "192.168.1.2:1234";
    assert_int_equal(WSAStringToAddressA(v4, AF_INET, NULL, (LPSOCKADDR)&a, &len), 0);
    assert_int_equal(len, sizeof(SOCKADDR_IN));
    assert_int_equal(a.sin_family, AF_INET);
    assert_int_equal(ntohs(a.sin_port), 1234);
    assert_int_equal(a.sin_addr.S_un.S_un_b.s_b1, 192);
    assert_int_equal(a.sin_addr.S_un.S_un_b.s_b4, 2);
    char v6[] = "[fe80::1%2]:80";
    SOCKADDR_IN6 a6;
    len = sizeof(a6);
    assert_int_equal(WSAStringToAddressA(v6, AF_INET6, NULL, (LPSOCKADDR)&a6, &len), 0);
    assert_int_equal(ntohs(a6.sin6_port), 80);
    assert_int_equal(a6.sin6_scope_id, 2);
    assert_int_equal(a6.sin6_addr.s6_addr[0], 0xfe);
    char junk[] = "not an address";
    len = sizeof(a);
    WSASetLastError(0);
    assert_int_equal(WSAStringToAddressA(junk, AF_INET, NULL, (LPSOCKADDR)&a, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    char port_too_big[] = "1.2.3.4:70000";
    assert_int_equal(WSAStringToAddressA(port_too_big, AF_INET, NULL, (LPSOCKADDR)&a, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    /* A buffer too small says the length needed. */
    len = 4;
    assert_int_equal(WSAStringToAddressA(v4, AF_INET, NULL, (LPSOCKADDR)&a, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(len, sizeof(SOCKADDR_IN));
}

static void test_inet_wide_forms(void **state)
{
    (void)state;
    const WCHAR text[] = { '1', '0', '.', '1', '.', '2', '.', '3', 0 };
    IN_ADDR a;
    assert_int_equal(InetPtonW(AF_INET, text, &a), 1);
    assert_int_equal(a.s_addr, htonl(0x0a010203));
    WCHAR out[INET_ADDRSTRLEN];
    assert_ptr_equal(InetNtopW(AF_INET, &a, out, INET_ADDRSTRLEN), out);
    assert_memory_equal(out, text, sizeof(text));
    assert_null(InetNtopW(AF_INET, &a, out, 4));
    assert_int_equal(WSAGetLastError(), ERROR_INVALID_PARAMETER);
}

static void test_byte_order_through_socket(void **state)
{
    (void)state;
    SOCKET s = new_tcp_socket(AF_INET);
    u_long l;
    u_short sh;
    assert_int_equal(WSAHtonl(s, 0x11223344, &l), 0);
    assert_int_equal(l, htonl(0x11223344));
    assert_int_equal(WSANtohl(s, l, &l), 0);
    assert_int_equal(l, 0x11223344);
    assert_int_equal(WSAHtons(s, 0x1122, &sh), 0);
    assert_int_equal(sh, htons(0x1122));
    assert_int_equal(WSANtohs(s, sh, &sh), 0);
    assert_int_equal(sh, 0x1122);
    assert_int_equal(WSAHtonl(s, 1, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(WSAHtons(INVALID_SOCKET, 1, &sh), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    closesocket(s);
}

static void test_blocking_hooks_are_gone(void **state)
{
    (void)state;
    assert_false(WSAIsBlocking());
    assert_int_equal(WSACancelBlockingCall(), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEOPNOTSUPP);
    assert_null(WSASetBlockingHook(NULL));
    assert_int_equal(WSAGetLastError(), WSAEOPNOTSUPP);
    assert_int_equal(WSAUnhookBlockingHook(), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEOPNOTSUPP);
}

static void test_name_spaces_are_empty(void **state)
{
    (void)state;
    DWORD len = 0;
    assert_int_equal(WSAEnumNameSpaceProvidersA(&len, NULL), 0);
    WSAQUERYSETA q;
    memset(&q, 0, sizeof(q));
    q.dwSize = sizeof(q);
    q.dwNameSpace = NS_DNS;
    HANDLE h = NULL;
    assert_int_equal(WSALookupServiceBeginA(&q, LUP_RETURN_NAME, &h), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSASERVICE_NOT_FOUND);
    assert_int_equal(WSALookupServiceEnd(h), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_INVALID_HANDLE);
    assert_int_equal(WSASetServiceA(&q, RNRSERVICE_REGISTER, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEOPNOTSUPP);
    GUID id = WSAID_WSARECVMSG;
    char name[32];
    len = sizeof(name);
    assert_int_equal(WSAGetServiceClassNameByClassIdA(&id, name, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSATYPE_NOT_FOUND);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enum_protocols),
        cmocka_unit_test(test_protocol_info_option),
        cmocka_unit_test(test_address_to_string),
        cmocka_unit_test(test_string_to_address),
        cmocka_unit_test(test_inet_wide_forms),
        cmocka_unit_test(test_byte_order_through_socket),
        cmocka_unit_test(test_blocking_hooks_are_gone),
        cmocka_unit_test(test_name_spaces_are_empty),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
