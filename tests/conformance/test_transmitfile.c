/*
 * TransmitFile, by its GUID through WSAIoctl and by name as mswsock exports
 * it: head, a file's bytes and tail on a connected socket, one packet with
 * the total; TF_DISCONNECT and TF_REUSE_SOCKET; what it refuses.
 */
#include "conformance.h"

#define SOCK_KEY 0x7F

static const char body[] = "0123456789abcdefghij";   /* the file: 20 bytes */

static const char *temp_name(void)
{
    static char name[64];
    static int n;
    snprintf(name, sizeof(name), "iocpcompat-test-transmit-%lu-%d.tmp",
             (unsigned long)GetCurrentProcessId(), n++);
    DeleteFileA(name);
    return name;
}

/* A file holding body, opened for reading with flags. */
static HANDLE body_file(const char *name, DWORD flags)
{
    HANDLE f = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(f != INVALID_HANDLE_VALUE);
    DWORD n = 0;
    assert_true(WriteFile(f, body, 20, &n, NULL));
    assert_int_equal(n, 20);
    assert_true(CloseHandle(f));
    f = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | flags,
                    NULL);
    assert_true(f != INVALID_HANDLE_VALUE);
    return f;
}

static LPFN_TRANSMITFILE transmit_file_pointer(SOCKET s)
{
    GUID guid = WSAID_TRANSMITFILE;
    LPFN_TRANSMITFILE fn = NULL;
    DWORD bytes = 0;
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn,
                              sizeof(fn), &bytes, NULL, NULL), 0);
    assert_int_equal(bytes, sizeof(fn));
    assert_non_null(fn);
    return fn;
}

/* Reads exactly len bytes, then expects the peer's end of stream if eof. */
static void expect_stream(SOCKET s, const char *want, int len, int eof)
{
    static char got[128];
    assert_int_equal(recv_all(s, got, len), len);
    assert_memory_equal(got, want, len);
    if (eof)
        assert_int_equal(recv(s, got, sizeof(got), 0), 0);
}

static void test_transmitfile_by_guid_sends_head_file_tail_in_one_packet(void **state)
{
    (void)state;
    static OVERLAPPED ovl;
    static char head[] = "HEAD:", tail[] = ":TAIL";
    const char *name = temp_name();
    HANDLE port = new_port();
    SOCKET client, server;
    tcp_pair(&client, &server);
    associate(server, port, SOCK_KEY);
    HANDLE f = body_file(name, FILE_FLAG_OVERLAPPED);
    LPFN_TRANSMITFILE transmit = transmit_file_pointer(server);

    TRANSMIT_FILE_BUFFERS tb = { head, 5, tail, 5 };
    memset(&ovl, 0, sizeof(ovl));
    BOOL ok = transmit(server, f, 0, 0, &ovl, &tb, 0);
    if (!ok)
        assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    packet p = get_packet(port, 5000);
    assert_packet_ok(p, 30, SOCK_KEY, &ovl);
    assert_no_packet(port, 50);
    expect_stream(client, "HEAD:0123456789abcdefghij:TAIL", 30, 0);
    DWORD sent = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(server, &ovl, &sent, FALSE, &flags));
    assert_int_equal(sent, 30);

    closesocket(client);
    closesocket(server);
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
    assert_true(CloseHandle(port));
}

static void test_transmitfile_by_name_sends_part_at_offset(void **state)
{
    (void)state;
    static OVERLAPPED ovl;
    const char *name = temp_name();
    HANDLE port = new_port();
    SOCKET client, server;
    tcp_pair(&client, &server);
    associate(server, port, SOCK_KEY);
    HANDLE f = body_file(name, 0);

    /* nNumberOfBytesToWrite bytes from the OVERLAPPED's offset. */
    memset(&ovl, 0, sizeof(ovl));
    ovl.Offset = 3;
    BOOL ok = TransmitFile(server, f, 5, 0, &ovl, NULL, TF_USE_KERNEL_APC);
    if (!ok)
        assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    packet p = get_packet(port, 5000);
    assert_packet_ok(p, 5, SOCK_KEY, &ovl);
    expect_stream(client, "34567", 5, 0);

    /* Past the end of the file only the buffers go; 0 asks for the rest. */
    memset(&ovl, 0, sizeof(ovl));
    ovl.Offset = 15;
    ok = TransmitFile(server, f, 0, 0, &ovl, NULL, 0);
    if (!ok)
        assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    p = get_packet(port, 5000);
    assert_packet_ok(p, 5, SOCK_KEY, &ovl);
    expect_stream(client, "fghij", 5, 0);

    /* No file at all: the head alone, without an OVERLAPPED. */
    static char head[] = "only";
    TRANSMIT_FILE_BUFFERS tb = { head, 4, NULL, 0 };
    assert_true(TransmitFile(server, NULL, 0, 0, NULL, &tb, 0));
    expect_stream(client, "only", 4, 0);
    assert_no_packet(port, 50);

    closesocket(client);
    closesocket(server);
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
    assert_true(CloseHandle(port));
}

static void test_transmitfile_disconnect_reports_bytes_and_reuses_socket(void **state)
{
    (void)state;
    static OVERLAPPED ovl;
    const char *name = temp_name();
    HANDLE port = new_port();
    SOCKET client, server;
    tcp_pair(&client, &server);
    associate(server, port, SOCK_KEY);
    HANDLE f = body_file(name, 0);

    memset(&ovl, 0, sizeof(ovl));
    BOOL ok = TransmitFile(server, f, 0, 0, &ovl, NULL, TF_DISCONNECT);
    if (!ok)
        assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    packet p = get_packet(port, 5000);
    assert_packet_ok(p, 20, SOCK_KEY, &ovl);
    expect_stream(client, body, 20, 1);
    closesocket(client);
    closesocket(server);

    /* The classic reuse call: no file, TF_DISCONNECT | TF_REUSE_SOCKET. */
    tcp_pair(&client, &server);
    associate(server, port, SOCK_KEY);
    memset(&ovl, 0, sizeof(ovl));
    ok = TransmitFile(server, NULL, 0, 0, &ovl, NULL, TF_DISCONNECT | TF_REUSE_SOCKET);
    if (!ok)
        assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    p = get_packet(port, 5000);
    assert_packet_ok(p, 0, SOCK_KEY, &ovl);
    expect_stream(client, "", 0, 1);
    /* The socket value is ready to be accepted into again: unconnected. */
    struct sockaddr_storage peer;
    int len = sizeof(peer);
    assert_int_equal(getpeername(server, (struct sockaddr *)&peer, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTCONN);

    closesocket(client);
    closesocket(server);
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
    assert_true(CloseHandle(port));
}

static void test_transmitfile_refusals(void **state)
{
    (void)state;
    static OVERLAPPED ovl;
    memset(&ovl, 0, sizeof(ovl));
    HANDLE port = new_port();
    SOCKET client, server;
    tcp_pair(&client, &server);
    associate(server, port, SOCK_KEY);

    WSASetLastError(WSA_SENTINEL);
    assert_false(TransmitFile(server, NULL, 0, 0, &ovl, NULL, TF_REUSE_SOCKET));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    TRANSMIT_FILE_BUFFERS tb = { NULL, 4, NULL, 0 };
    WSASetLastError(WSA_SENTINEL);
    assert_false(TransmitFile(server, NULL, 0, 0, &ovl, &tb, 0));
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    SOCKET lone = new_tcp_socket(AF_INET);
    WSASetLastError(WSA_SENTINEL);
    assert_false(TransmitFile(lone, NULL, 0, 0, &ovl, NULL, 0));
    assert_int_equal(WSAGetLastError(), WSAENOTCONN);
    WSASetLastError(WSA_SENTINEL);
    assert_false(TransmitFile(INVALID_SOCKET, NULL, 0, 0, &ovl, NULL, 0));
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_no_packet(port, 50);

    closesocket(lone);
    closesocket(client);
    closesocket(server);
    assert_true(CloseHandle(port));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transmitfile_by_guid_sends_head_file_tail_in_one_packet),
        cmocka_unit_test(test_transmitfile_by_name_sends_part_at_offset),
        cmocka_unit_test(test_transmitfile_disconnect_reports_bytes_and_reuses_socket),
        cmocka_unit_test(test_transmitfile_refusals),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
