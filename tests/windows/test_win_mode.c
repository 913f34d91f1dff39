/*
 * The Windows build's modes (rows M1, M3): IOCPCOMPAT_BACKEND read once, at
 * the first call; iocp and auto pass through; rio where RIO is missing, and
 * a value that names no mode, refuse completion ports with
 * ERROR_INVALID_PARAMETER and one line on stderr. Each case sets the
 * variable first and must be its own process, as ctest runs it (the
 * program with the case's name): run without one, the cases after the
 * first find the first one's mode.
 */
#include <winsock2.h>
#include <windows.h>

#include "../cases.h"

#ifndef RIO_CORRUPT_CQ
#include "../../include/iocpcompat/iocpcompat_rio.h"
#endif

static const char stderr_file[] = "test_win_mode.stderr.txt";

/* stderr into a file, to read back what the library said. */
static void capture_stderr(void)
{
    assert_non_null(freopen(stderr_file, "w", stderr));
}

static int captured_lines(char *text, size_t size)
{
    fflush(stderr);
    assert_non_null(freopen("NUL", "w", stderr));
    FILE *f = fopen(stderr_file, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, size - 1, f);
    fclose(f);
    remove(stderr_file);
    text[n] = '\0';
    int lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += text[i] == '\n';
    return lines;
}

/* Whether the system has RIO: the function table of a RIO socket. */
static BOOL system_has_rio(void)
{
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                          WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO);
    assert_true(s != INVALID_SOCKET);
    GUID id = WSAID_MULTIPLE_RIO;
    RIO_EXTENSION_FUNCTION_TABLE table;
    DWORD bytes = 0;
    memset(&table, 0, sizeof(table));
    table.cbSize = sizeof(table);
    BOOL has = WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), &table,
                        sizeof(table), &bytes, NULL, NULL) == 0;
    closesocket(s);
    WSACleanup();
    return has;
}

/* A packet goes through a port made in this mode. */
static void assert_port_works(void)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    assert_non_null(port);
    OVERLAPPED ovl;
    assert_true(PostQueuedCompletionStatus(port, 7, 42, &ovl));
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &got, 1000));
    assert_int_equal(bytes, 7);
    assert_int_equal(key, 42);
    assert_ptr_equal(got, &ovl);
    assert_true(CloseHandle(port));
}

/* M3's refusal, through each way a program names the call, then said once. */
static void assert_ports_refused(const char *said)
{
    HANDLE(WINAPI * by_value)(HANDLE, HANDLE, ULONG_PTR, DWORD) = CreateIoCompletionPort;
    HANDLE(WINAPI * by_address)(HANDLE, HANDLE, ULONG_PTR, DWORD) = &CreateIoCompletionPort;
    capture_stderr();
    SetLastError(0);
    assert_null(CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    assert_null(by_value(INVALID_HANDLE_VALUE, NULL, 0, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    assert_null(by_address(INVALID_HANDLE_VALUE, NULL, 0, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    char text[1024];
    assert_int_equal(captured_lines(text, sizeof(text)), 1);
    assert_non_null(strstr(text, said));
    assert_non_null(strstr(text, "CreateIoCompletionPort fails"));
}

static void test_m1_iocp_passes_through(void **state)
{
    (void)state;
    assert_true(SetEnvironmentVariableA("IOCPCOMPAT_BACKEND", "iocp"));
    assert_port_works();
}

static void test_m1_unset_is_iocp(void **state)
{
    (void)state;
    assert_true(SetEnvironmentVariableA("IOCPCOMPAT_BACKEND", NULL));
    assert_port_works();
}

/* auto is iocp where RIO is missing (M3), and everywhere until rio mode
 * is served. */
static void test_m3_auto_stays_on_iocp(void **state)
{
    (void)state;
    assert_true(SetEnvironmentVariableA("IOCPCOMPAT_BACKEND", "auto"));
    assert_port_works();
}

static void test_m3_rio_without_rio_refuses_ports(void **state)
{
    (void)state;
    BOOL has_rio = system_has_rio();
    assert_true(SetEnvironmentVariableA("IOCPCOMPAT_BACKEND", "rio"));
    /* Where RIO exists, this build still refuses: rio mode is not served yet. */
    assert_ports_refused(has_rio ? "IOCPCOMPAT_BACKEND=rio is not served by this build yet"
                                 : "IOCPCOMPAT_BACKEND=rio, but this system has no Registered I/O");
}

static void test_m3_unknown_mode_refuses_ports(void **state)
{
    (void)state;
    assert_true(SetEnvironmentVariableA("IOCPCOMPAT_BACKEND", "io_uring"));
    assert_ports_refused("IOCPCOMPAT_BACKEND=io_uring names no Windows mode");
}

/* The mode is the one seen at the first call: a later change of the
 * variable does not move a running program to another mode. */
static void test_m1_mode_read_once(void **state)
{
    (void)state;
    assert_true(SetEnvironmentVariableA("IOCPCOMPAT_BACKEND", "iocp"));
    assert_port_works();
    assert_true(SetEnvironmentVariableA("IOCPCOMPAT_BACKEND", "rio"));
    assert_port_works();
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_m1_iocp_passes_through),
        cmocka_unit_test(test_m1_unset_is_iocp),
        cmocka_unit_test(test_m1_mode_read_once),
        cmocka_unit_test(test_m3_auto_stays_on_iocp),
        cmocka_unit_test(test_m3_rio_without_rio_refuses_ports),
        cmocka_unit_test(test_m3_unknown_mode_refuses_ports),
    };
    const case_group groups[] = { CASE_GROUP(tests, NULL, NULL) };
    return run_case_groups(argc, argv, groups, 1, NULL);
}
