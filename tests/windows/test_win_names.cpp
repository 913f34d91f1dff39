/*
 * The renamed calls reach iocpcompat.dll however a C++ program names them:
 * a plain call, a qualified ::call, a pointer taken with or without &, a
 * pointer of a declared type; and the SDK's name for the function is the
 * export itself. Row M1: in iocp mode the calls behave as the SDK's.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#include <cstring>

#include "../cases.h"

static FARPROC export_of(const char *name)
{
    HMODULE dll = GetModuleHandleA("iocpcompat.dll");
    assert_non_null(dll);
    return GetProcAddress(dll, name);
}

#define ASSERT_REACHES(fn)                                                     \
    assert_ptr_equal(reinterpret_cast<void *>(&fn),                            \
                     reinterpret_cast<void *>(export_of("iocpcompat_" #fn)));  \
    assert_ptr_equal(reinterpret_cast<void *>(&::fn),                          \
                     reinterpret_cast<void *>(export_of("iocpcompat_" #fn)))

static void test_m1_names_are_the_exports(void **)
{
    ASSERT_REACHES(WSARecv);
    ASSERT_REACHES(WSASend);
    ASSERT_REACHES(WSARecvFrom);
    ASSERT_REACHES(WSASendTo);
    ASSERT_REACHES(WSAGetOverlappedResult);
    ASSERT_REACHES(WSASocketA);
    ASSERT_REACHES(WSASocketW);
    ASSERT_REACHES(closesocket);
    ASSERT_REACHES(CreateIoCompletionPort);
    ASSERT_REACHES(GetQueuedCompletionStatus);
    ASSERT_REACHES(GetQueuedCompletionStatusEx);
    ASSERT_REACHES(CancelIo);
    ASSERT_REACHES(CancelIoEx);
    int(WSAAPI * recv_fn)(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, LPWSAOVERLAPPED,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE) = WSARecv;
    assert_ptr_equal(reinterpret_cast<void *>(recv_fn),
                     reinterpret_cast<void *>(export_of("iocpcompat_WSARecv")));
}

/* socket() is renamed as a call only: other things named socket keep it. */
namespace net {
struct socket {
    int fd = 3;
};
}

static void test_m1_socket_renamed_as_a_call_only(void **)
{
    net::socket other;
    assert_int_equal(other.fd, 3);
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    SOCKET s = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_true(s != INVALID_SOCKET);
    assert_int_equal(::closesocket(s), 0);
    /* Closed already: the SDK's own error comes back through the export. */
    assert_int_equal(::closesocket(s), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    WSACleanup();
}

/* A loopback exchange through the renamed calls: the packet is the SDK's. */
static void test_m1_overlapped_round_trip(void **)
{
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    SOCKET listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    assert_true(listener != INVALID_SOCKET);
    sockaddr_in addr;
    std::memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)), 0);
    int len = sizeof(addr);
    assert_int_equal(getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len), 0);
    assert_int_equal(listen(listener, 1), 0);
    SOCKET client = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_int_equal(connect(client, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)), 0);
    SOCKET server = accept(listener, nullptr, nullptr);
    assert_true(server != INVALID_SOCKET);

    HANDLE port = ::CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
    assert_non_null(port);
    assert_ptr_equal(CreateIoCompletionPort(reinterpret_cast<HANDLE>(server), port, 9, 0), port);
    char buf[8];
    WSABUF wb = { sizeof(buf), buf };
    WSAOVERLAPPED ov;
    std::memset(&ov, 0, sizeof(ov));
    DWORD got = 0, flags = 0;
    int rc = ::WSARecv(server, &wb, 1, &got, &flags, &ov, nullptr);
    assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    assert_int_equal(send(client, "ping", 4, 0), 4);
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED done = nullptr;
    assert_true(::GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000));
    assert_int_equal(bytes, 4);
    assert_int_equal(key, 9);
    assert_ptr_equal(done, &ov);
    assert_memory_equal(buf, "ping", 4);
    assert_true(::WSAGetOverlappedResult(server, &ov, &got, FALSE, &flags));
    assert_int_equal(got, 4);

    closesocket(client);
    closesocket(server);
    closesocket(listener);
    CloseHandle(port);
    WSACleanup();
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_m1_names_are_the_exports),
        cmocka_unit_test(test_m1_socket_renamed_as_a_call_only),
        cmocka_unit_test(test_m1_overlapped_round_trip),
    };
    const case_group groups[] = { CASE_GROUP(tests, nullptr, nullptr) };
    return run_case_groups(argc, argv, groups, 1, nullptr);
}
