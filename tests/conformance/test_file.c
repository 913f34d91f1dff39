/*
 * Files on a completion port, as Windows log writers use them: CreateFileA
 * with FILE_FLAG_OVERLAPPED, ReadFile/WriteFile at an OVERLAPPED's offset,
 * packets of files and sockets on one port, and the calls on a handle that
 * keeps a file pointer. Contract rows F1..F8.
 */
#include "conformance.h"

#ifndef STATUS_END_OF_FILE
#define STATUS_END_OF_FILE ((DWORD)0xC0000011L)
#endif

#define FILE_KEY 0xF11E
#define SOCK_KEY 0x50C

/* A file name of this process's own, in the working directory. */
static const char *temp_name(void)
{
    static char name[64];
    static int n;
    snprintf(name, sizeof(name), "iocpcompat-test-file-%lu-%d.tmp",
             (unsigned long)GetCurrentProcessId(), n++);
    DeleteFileA(name);
    return name;
}

static HANDLE open_file(const char *name, DWORD access, DWORD disposition, DWORD flags)
{
    HANDLE h = CreateFileA(name, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, disposition,
                           FILE_ATTRIBUTE_NORMAL | flags, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    return h;
}

static HANDLE new_overlapped_file(const char *name)
{
    return open_file(name, GENERIC_READ | GENERIC_WRITE, CREATE_ALWAYS, FILE_FLAG_OVERLAPPED);
}

/* An overlapped call either finished (TRUE) or pended (FALSE, ERROR_IO_PENDING). */
static BOOL started(BOOL ok)
{
    if (!ok)
        assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    return ok;
}

static void set_offset(OVERLAPPED *ovl, ULONGLONG off)
{
    memset(ovl, 0, sizeof(*ovl));
    ovl->Offset = (DWORD)off;
    ovl->OffsetHigh = (DWORD)(off >> 32);
}

/* Writes len bytes at off through the port and takes the one packet. */
static void write_at(HANDLE f, HANDLE port, const char *data, DWORD len, ULONGLONG off)
{
    static OVERLAPPED ovl;
    set_offset(&ovl, off);
    started(WriteFile(f, data, len, NULL, &ovl));
    packet p = get_packet(port, 5000);
    assert_packet_ok(p, len, FILE_KEY, &ovl);
}

static void test_f1_overlapped_write_at_offset_queues_one_packet(void **state)
{
    (void)state;
    static OVERLAPPED ovl;
    static char back[16];
    const char *name = temp_name();
    HANDLE port = new_port();
    HANDLE f = new_overlapped_file(name);
    assert_ptr_equal(CreateIoCompletionPort(f, port, FILE_KEY, 0), port);

    set_offset(&ovl, 4);
    SetLastError(SENTINEL);
    BOOL ok = WriteFile(f, "abcdef", 6, NULL, &ovl);
    if (!ok)
        assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    packet p = get_packet(port, 5000);
    assert_packet_ok(p, 6, FILE_KEY, &ovl);
    assert_int_equal(ovl.Internal, STATUS_SUCCESS);
    assert_int_equal(ovl.InternalHigh, 6);
    assert_no_packet(port, 50);

    /* Bytes before the offset are a hole of zeros; the size is offset + 6. */
    LARGE_INTEGER size;
    assert_true(GetFileSizeEx(f, &size));
    assert_int_equal(size.QuadPart, 10);
    set_offset(&ovl, 0);
    started(ReadFile(f, back, sizeof(back), NULL, &ovl));
    p = get_packet(port, 5000);
    assert_packet_ok(p, 10, FILE_KEY, &ovl);
    assert_memory_equal(back, "\0\0\0\0abcdef", 10);

    DWORD got = 0;
    assert_true(GetOverlappedResult(f, &ovl, &got, TRUE));
    assert_int_equal(got, 10);
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
    assert_true(CloseHandle(port));
}

static void test_f1_overlapped_without_port_completes_event(void **state)
{
    (void)state;
    static OVERLAPPED ovl;
    const char *name = temp_name();
    HANDLE f = new_overlapped_file(name);
    set_offset(&ovl, 0);
    ovl.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    assert_non_null(ovl.hEvent);
    started(WriteFile(f, "0123456789", 10, NULL, &ovl));
    assert_int_equal(WaitForSingleObject(ovl.hEvent, 5000), WAIT_OBJECT_0);
    DWORD got = 0;
    assert_true(GetOverlappedResult(f, &ovl, &got, FALSE));
    assert_int_equal(got, 10);
    assert_true(CloseHandle(ovl.hEvent));
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
}

static void test_f2_read_at_end_of_file_is_handle_eof(void **state)
{
    (void)state;
    static OVERLAPPED ovl;
    static char buf[8];
    const char *name = temp_name();
    HANDLE port = new_port();
    HANDLE f = new_overlapped_file(name);
    assert_ptr_equal(CreateIoCompletionPort(f, port, FILE_KEY, 0), port);
    write_at(f, port, "xyz", 3, 0);

    /* At the end, then past it: Windows fails at once with ERROR_HANDLE_EOF
     * (no packet), or pends and reports ERROR_HANDLE_EOF in the packet and
     * GetOverlappedResult; either way 0 bytes and STATUS_END_OF_FILE. */
    for (ULONGLONG off = 3; off <= 100; off += 97) {
        set_offset(&ovl, off);
        SetLastError(SENTINEL);
        BOOL ok = ReadFile(f, buf, sizeof(buf), NULL, &ovl);
        assert_false(ok);
        DWORD err = GetLastError();
        if (err == ERROR_IO_PENDING) {
            packet p = get_packet(port, 5000);
            assert_packet_failed(p, ERROR_HANDLE_EOF, 0, FILE_KEY, &ovl);
            DWORD got = SENTINEL;
            SetLastError(SENTINEL);
            assert_false(GetOverlappedResult(f, &ovl, &got, TRUE));
            assert_int_equal(GetLastError(), ERROR_HANDLE_EOF);
            assert_int_equal(got, 0);
            assert_int_equal(ovl.Internal, STATUS_END_OF_FILE);
        } else {
            /* At once: no packet, and Windows may leave Internal pending. */
            assert_int_equal(err, ERROR_HANDLE_EOF);
            assert_true(ovl.Internal == STATUS_END_OF_FILE || ovl.Internal == STATUS_PENDING);
        }
        assert_int_equal(ovl.InternalHigh, 0);
        assert_no_packet(port, 20);
    }

    /* A read that crosses the end gets what there is, successfully. */
    set_offset(&ovl, 1);
    started(ReadFile(f, buf, sizeof(buf), NULL, &ovl));
    packet p = get_packet(port, 5000);
    assert_packet_ok(p, 2, FILE_KEY, &ovl);
    assert_memory_equal(buf, "yz", 2);
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
    assert_true(CloseHandle(port));
}

/* A client socket whose receive pends on the port, under SOCK_KEY. */
static void test_f3_file_and_socket_packets_share_a_port(void **state)
{
    (void)state;
    static OVERLAPPED wov, rov, sov;
    static char rbuf[8], sbuf[8];
    const char *name = temp_name();
    HANDLE port = new_port();
    HANDLE f = new_overlapped_file(name);
    assert_ptr_equal(CreateIoCompletionPort(f, port, FILE_KEY, 0), port);
    SOCKET client, server;
    tcp_pair(&client, &server);
    associate(client, port, SOCK_KEY);

    WSABUF wb = { sizeof(sbuf), sbuf };
    DWORD flags = 0, got = 0;
    memset(&sov, 0, sizeof(sov));
    int ret = WSARecv(client, &wb, 1, &got, &flags, &sov, NULL);
    assert_pending(ret, WSAGetLastError());

    set_offset(&wov, 0);
    started(WriteFile(f, "log line", 8, NULL, &wov));
    packet p = get_packet(port, 5000);
    assert_packet_ok(p, 8, FILE_KEY, &wov);

    assert_int_equal(send(server, "ping", 4, 0), 4);
    set_offset(&rov, 4);
    started(ReadFile(f, rbuf, sizeof(rbuf), NULL, &rov));

    /* Two packets, one of each, in whichever order they finished. */
    int seen_file = 0, seen_sock = 0;
    for (int i = 0; i < 2; i++) {
        p = get_packet(port, 5000);
        assert_true(p.ok);
        if (p.key == FILE_KEY) {
            assert_ptr_equal(p.ovl, &rov);
            assert_int_equal(p.bytes, 4);
            assert_memory_equal(rbuf, "line", 4);
            seen_file++;
        } else {
            assert_int_equal(p.key, SOCK_KEY);
            assert_ptr_equal(p.ovl, &sov);
            assert_int_equal(p.bytes, 4);
            assert_memory_equal(sbuf, "ping", 4);
            seen_sock++;
        }
    }
    assert_int_equal(seen_file, 1);
    assert_int_equal(seen_sock, 1);
    assert_no_packet(port, 50);
    closesocket(client);
    closesocket(server);
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
    assert_true(CloseHandle(port));
}

static void test_f4_skip_on_success_and_low_bit_event(void **state)
{
    (void)state;
    static OVERLAPPED ovl;
    const char *name = temp_name();
    HANDLE port = new_port();
    HANDLE f = new_overlapped_file(name);
    assert_ptr_equal(CreateIoCompletionPort(f, port, FILE_KEY, 0), port);
    assert_true(SetFileCompletionNotificationModes(f, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));

    /* Skip-on-success: a call that returns TRUE queues nothing; one that
     * pends still queues its packet. */
    set_offset(&ovl, 0);
    if (started(WriteFile(f, "abc", 3, NULL, &ovl))) {
        assert_no_packet(port, 50);
    } else {
        packet p = get_packet(port, 5000);
        assert_packet_ok(p, 3, FILE_KEY, &ovl);
    }

    /* The low bit of hEvent: the OVERLAPPED and the event complete, no packet. */
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    assert_non_null(ev);
    set_offset(&ovl, 3);
    ovl.hEvent = (HANDLE)((ULONG_PTR)ev | 1);
    started(WriteFile(f, "def", 3, NULL, &ovl));
    assert_int_equal(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
    DWORD got = 0;
    assert_true(GetOverlappedResult(f, &ovl, &got, TRUE));
    assert_int_equal(got, 3);
    assert_no_packet(port, 50);
    LARGE_INTEGER size;
    assert_true(GetFileSizeEx(f, &size));
    assert_int_equal(size.QuadPart, 6);
    assert_true(CloseHandle(ev));
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
    assert_true(CloseHandle(port));
}

static void test_f5_synchronous_handle_keeps_a_file_pointer(void **state)
{
    (void)state;
    static char buf[16];
    const char *name = temp_name();
    HANDLE f = open_file(name, GENERIC_READ | GENERIC_WRITE, CREATE_NEW, 0);
    DWORD n = SENTINEL;
    assert_true(WriteFile(f, "hello ", 6, &n, NULL));
    assert_int_equal(n, 6);
    assert_true(WriteFile(f, "world", 5, &n, NULL));
    assert_int_equal(n, 5);

    LARGE_INTEGER zero = {0}, at, back = {0};
    assert_true(SetFilePointerEx(f, zero, &at, FILE_CURRENT));
    assert_int_equal(at.QuadPart, 11);
    back.QuadPart = -5;
    assert_true(SetFilePointerEx(f, back, &at, FILE_END));
    assert_int_equal(at.QuadPart, 6);
    assert_true(ReadFile(f, buf, sizeof(buf), &n, NULL));
    assert_int_equal(n, 5);
    assert_memory_equal(buf, "world", 5);
    /* At the end a synchronous read succeeds with 0 bytes. */
    n = SENTINEL;
    assert_true(ReadFile(f, buf, sizeof(buf), &n, NULL));
    assert_int_equal(n, 0);

    /* With an OVERLAPPED, at its offset, and the pointer moves past it. */
    static OVERLAPPED ovl;
    set_offset(&ovl, 0);
    assert_true(ReadFile(f, buf, 5, &n, &ovl));
    assert_int_equal(n, 5);
    assert_int_equal(ovl.Internal, STATUS_SUCCESS);
    assert_int_equal(ovl.InternalHigh, 5);
    assert_true(SetFilePointerEx(f, zero, &at, FILE_CURRENT));
    assert_int_equal(at.QuadPart, 5);
    /* With an OVERLAPPED at the end: FALSE with ERROR_HANDLE_EOF. */
    set_offset(&ovl, 11);
    SetLastError(SENTINEL);
    assert_false(ReadFile(f, buf, 5, &n, &ovl));
    assert_int_equal(GetLastError(), ERROR_HANDLE_EOF);

    /* No port, and no completion modes, for a synchronous handle. */
    HANDLE port = new_port();
    SetLastError(SENTINEL);
    assert_null(CreateIoCompletionPort(f, port, FILE_KEY, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_false(SetFileCompletionNotificationModes(f, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_true(CloseHandle(port));

    assert_true(SetFilePointerEx(f, zero, &at, FILE_BEGIN));
    assert_true(FlushFileBuffers(f));
    assert_true(CloseHandle(f));

    /* CREATE_NEW on a file that is there; OPEN_ALWAYS and CREATE_ALWAYS
     * say ERROR_ALREADY_EXISTS (183) when it was. */
    SetLastError(SENTINEL);
    assert_true(CreateFileA(name, GENERIC_READ, 0, NULL, CREATE_NEW, 0, NULL) == INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_FILE_EXISTS);
    SetLastError(SENTINEL);
    f = open_file(name, GENERIC_READ, OPEN_ALWAYS, 0);
    assert_int_equal(GetLastError(), ERROR_ALREADY_EXISTS);
    LARGE_INTEGER size;
    assert_true(GetFileSizeEx(f, &size));
    assert_int_equal(size.QuadPart, 11);
    assert_true(CloseHandle(f));
    SetLastError(SENTINEL);
    f = open_file(name, GENERIC_WRITE, CREATE_ALWAYS, 0);
    assert_int_equal(GetLastError(), ERROR_ALREADY_EXISTS);
    assert_true(GetFileSizeEx(f, &size));
    assert_int_equal(size.QuadPart, 0);
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
    SetLastError(SENTINEL);
    f = open_file(name, GENERIC_WRITE, OPEN_ALWAYS, 0);
    assert_int_equal(GetLastError(), 0);
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
}

static void test_f6_bad_handles_and_parameters(void **state)
{
    (void)state;
    static char buf[8];
    static OVERLAPPED ovl;
    DWORD n;
    LARGE_INTEGER li = {0};
    const char *name = temp_name();

    SetLastError(SENTINEL);
    assert_true(CreateFileA(name, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
    SetLastError(SENTINEL);
    assert_true(CreateFileA("no-such-dir-iocpcompat/x.log", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0,
                            NULL) == INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_PATH_NOT_FOUND);
    SetLastError(SENTINEL);
    assert_true(CreateFileA(name, GENERIC_READ, 0, NULL, 0, 0, NULL) == INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_false(DeleteFileA(name));
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);

    HANDLE bad[] = { INVALID_HANDLE_VALUE, NULL, new_port() };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SetLastError(SENTINEL);
        n = SENTINEL;
        assert_false(ReadFile(bad[i], buf, sizeof(buf), &n, NULL));
        assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
        assert_int_equal(n, 0);
        SetLastError(SENTINEL);
        assert_false(GetFileSizeEx(bad[i], &li));
        assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
        SetLastError(SENTINEL);
        assert_false(SetFilePointerEx(bad[i], li, NULL, FILE_BEGIN));
        assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
        SetLastError(SENTINEL);
        assert_false(FlushFileBuffers(bad[i]));
        assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    }
    assert_true(CloseHandle(bad[2]));

    /* A closed file handle is a bad handle. */
    HANDLE f = new_overlapped_file(name);
    assert_true(CloseHandle(f));
    SetLastError(SENTINEL);
    assert_false(WriteFile(f, "x", 1, &n, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(SENTINEL);
    assert_false(CloseHandle(f));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);

    /* An overlapped handle needs an OVERLAPPED; a move method beyond
     * FILE_END and a position before the start are refused. */
    f = new_overlapped_file(name);
    SetLastError(SENTINEL);
    assert_false(ReadFile(f, buf, sizeof(buf), &n, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_false(SetFilePointerEx(f, li, NULL, 3));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    li.QuadPart = -1;
    SetLastError(SENTINEL);
    assert_false(SetFilePointerEx(f, li, NULL, FILE_BEGIN));
    assert_int_equal(GetLastError(), ERROR_NEGATIVE_SEEK);
    set_offset(&ovl, 0);
    /* A second association of the same handle fails. */
    HANDLE port = new_port();
    assert_ptr_equal(CreateIoCompletionPort(f, port, FILE_KEY, 0), port);
    SetLastError(SENTINEL);
    assert_null(CreateIoCompletionPort(f, port, FILE_KEY, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_true(CloseHandle(f));
    assert_true(CloseHandle(port));
    assert_true(DeleteFileA(name));
}

static void test_f7_read_on_write_only_handle_is_access_denied(void **state)
{
    (void)state;
    static char buf[8];
    static OVERLAPPED ovl;
    const char *name = temp_name();
    HANDLE port = new_port();
    HANDLE f = open_file(name, GENERIC_WRITE, CREATE_ALWAYS, FILE_FLAG_OVERLAPPED);
    assert_ptr_equal(CreateIoCompletionPort(f, port, FILE_KEY, 0), port);
    write_at(f, port, "data", 4, 0);

    set_offset(&ovl, 0);
    SetLastError(SENTINEL);
    assert_false(ReadFile(f, buf, sizeof(buf), NULL, &ovl));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    assert_no_packet(port, 50);
    assert_true(CloseHandle(f));

    /* And the other way round, on a synchronous handle. */
    f = open_file(name, GENERIC_READ, OPEN_EXISTING, 0);
    DWORD n = SENTINEL;
    SetLastError(SENTINEL);
    assert_false(WriteFile(f, "x", 1, &n, NULL));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    assert_int_equal(n, 0);
    SetLastError(SENTINEL);
    assert_false(FlushFileBuffers(f));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    assert_true(CloseHandle(f));
    assert_true(CloseHandle(port));
    assert_true(DeleteFileA(name));
}

static void test_f8_offset_all_ones_appends(void **state)
{
    (void)state;
    static OVERLAPPED ovl;
    static char buf[32];
    const char *name = temp_name();
    HANDLE port = new_port();
    HANDLE f = new_overlapped_file(name);
    assert_ptr_equal(CreateIoCompletionPort(f, port, FILE_KEY, 0), port);
    write_at(f, port, "first\n", 6, 0);
    for (int i = 0; i < 3; i++) {
        set_offset(&ovl, 0);
        ovl.Offset = 0xFFFFFFFF;
        ovl.OffsetHigh = 0xFFFFFFFF;
        started(WriteFile(f, "more\n", 5, NULL, &ovl));
        packet p = get_packet(port, 5000);
        assert_packet_ok(p, 5, FILE_KEY, &ovl);
    }
    LARGE_INTEGER size;
    assert_true(GetFileSizeEx(f, &size));
    assert_int_equal(size.QuadPart, 21);
    set_offset(&ovl, 0);
    started(ReadFile(f, buf, sizeof(buf), NULL, &ovl));
    packet p = get_packet(port, 5000);
    assert_packet_ok(p, 21, FILE_KEY, &ovl);
    assert_memory_equal(buf, "first\nmore\nmore\nmore\n", 21);
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
    assert_true(CloseHandle(port));
}

/* Many writes in flight at once, each at its own offset: one packet each. */
static void test_many_writes_in_flight_each_queue_one_packet(void **state)
{
    (void)state;
    enum { N = 64 };
    static OVERLAPPED ovl[N];
    static char line[N][16];
    const char *name = temp_name();
    HANDLE port = new_port();
    HANDLE f = new_overlapped_file(name);
    assert_ptr_equal(CreateIoCompletionPort(f, port, FILE_KEY, 0), port);
    for (int i = 0; i < N; i++) {
        snprintf(line[i], sizeof(line[i]), "line %08d\n", i);
        set_offset(&ovl[i], (ULONGLONG)i * 14);
        started(WriteFile(f, line[i], 14, NULL, &ovl[i]));
    }
    int seen[N] = {0};
    for (int i = 0; i < N; i++) {
        packet p = get_packet(port, 5000);
        assert_true(p.ok);
        assert_int_equal(p.key, FILE_KEY);
        assert_int_equal(p.bytes, 14);
        ptrdiff_t at = (OVERLAPPED *)p.ovl - ovl;
        assert_true(at >= 0 && at < N);
        seen[at]++;
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(seen[i], 1);
    assert_no_packet(port, 50);
    LARGE_INTEGER size;
    assert_true(GetFileSizeEx(f, &size));
    assert_int_equal(size.QuadPart, N * 14);
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
    assert_true(CloseHandle(port));
}

/* Nothing pending: CancelIoEx finds nothing (ERROR_NOT_FOUND), CancelIo
 * succeeds, and a later transfer is untouched. */
static void test_cancel_on_a_file_with_nothing_pending(void **state)
{
    (void)state;
    static OVERLAPPED ovl;
    const char *name = temp_name();
    HANDLE port = new_port();
    HANDLE f = new_overlapped_file(name);
    assert_ptr_equal(CreateIoCompletionPort(f, port, FILE_KEY, 0), port);
    SetLastError(SENTINEL);
    assert_false(CancelIoEx(f, NULL));
    assert_int_equal(GetLastError(), ERROR_NOT_FOUND);
    assert_true(CancelIo(f));
    write_at(f, port, "after", 5, 0);
    set_offset(&ovl, 0);
    SetLastError(SENTINEL);
    assert_false(CancelIoEx(f, &ovl));
    assert_int_equal(GetLastError(), ERROR_NOT_FOUND);
    assert_no_packet(port, 50);
    assert_true(CloseHandle(f));
    assert_true(DeleteFileA(name));
    assert_true(CloseHandle(port));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_f1_overlapped_write_at_offset_queues_one_packet),
        cmocka_unit_test(test_f1_overlapped_without_port_completes_event),
        cmocka_unit_test(test_f2_read_at_end_of_file_is_handle_eof),
        cmocka_unit_test(test_f3_file_and_socket_packets_share_a_port),
        cmocka_unit_test(test_f4_skip_on_success_and_low_bit_event),
        cmocka_unit_test(test_f5_synchronous_handle_keeps_a_file_pointer),
        cmocka_unit_test(test_f6_bad_handles_and_parameters),
        cmocka_unit_test(test_f7_read_on_write_only_handle_is_access_denied),
        cmocka_unit_test(test_f8_offset_all_ones_appends),
        cmocka_unit_test(test_many_writes_in_flight_each_queue_one_packet),
        cmocka_unit_test(test_cancel_on_a_file_with_nothing_pending),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
