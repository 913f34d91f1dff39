/*
 * The standard handles and console output on Linux: descriptor 1 or 2 is
 * pointed at a pipe or a pseudo-terminal for the length of a call, and the
 * test reads back what reached it. WriteFile writes to any of them;
 * WriteConsoleA and SetConsoleTextAttribute only to a terminal, failing with
 * ERROR_INVALID_HANDLE on a redirected handle as on Windows.
 */
#include <windows.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <cmocka.h>

#include "../cases.h"

/* Points fd at target; returns the saved descriptor for restore(). */
static int redirect(int fd, int target)
{
    fflush(NULL);
    int saved = dup(fd);
    assert_true(saved >= 0);
    assert_int_equal(dup2(target, fd), fd);
    return saved;
}

static void restore(int fd, int saved)
{
    fflush(NULL);
    dup2(saved, fd);
    close(saved);
}

/* Reads what is there (waiting at most 1 s for the first byte). */
static size_t drain(int fd, char *buf, size_t size)
{
    size_t got = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (got < size - 1 && poll(&p, 1, got == 0 ? 1000 : 50) == 1) {
        ssize_t n = read(fd, buf + got, size - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    return got;
}

static void test_std_handles_are_stable_and_distinct(void **state)
{
    (void)state;
    assert_int_equal(STD_INPUT_HANDLE, (DWORD)-10);
    assert_int_equal(STD_OUTPUT_HANDLE, (DWORD)-11);
    assert_int_equal(STD_ERROR_HANDLE, (DWORD)-12);
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    assert_non_null(out);
    assert_non_null(err);
    assert_true(out != INVALID_HANDLE_VALUE && err != INVALID_HANDLE_VALUE);
    assert_true(out != err && out != in && err != in);
    assert_ptr_equal(GetStdHandle(STD_OUTPUT_HANDLE), out);
    assert_ptr_equal(GetStdHandle(STD_ERROR_HANDLE), err);
}

static void test_get_std_handle_rejects_other_values(void **state)
{
    (void)state;
    SetLastError(0);
    assert_ptr_equal(GetStdHandle(0), INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    assert_ptr_equal(GetStdHandle((DWORD)-13), INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    assert_ptr_equal(GetStdHandle((DWORD)-9), INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

/* What printf still holds comes out first, then WriteFile's bytes. */
static void test_write_file_to_redirected_stdout(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    int saved = redirect(1, p[1]);
    printf("a");
    DWORD written = 99;
    BOOL ok = WriteFile(out, "bc\n", 3, &written, NULL);
    DWORD zero_written = 99;
    BOOL zero_ok = WriteFile(out, "", 0, &zero_written, NULL);
    restore(1, saved);
    close(p[1]);

    char buf[64];
    drain(p[0], buf, sizeof buf);
    close(p[0]);
    assert_true(ok);
    assert_int_equal(written, 3);
    assert_true(zero_ok);
    assert_int_equal(zero_written, 0);
    assert_string_equal(buf, "abc\n");
}

static void test_write_file_to_stderr(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    int saved = redirect(2, p[1]);
    DWORD written = 0;
    BOOL ok = WriteFile(GetStdHandle(STD_ERROR_HANDLE), "error text", 10, &written, NULL);
    restore(2, saved);
    close(p[1]);
    char buf[64];
    drain(p[0], buf, sizeof buf);
    close(p[0]);
    assert_true(ok);
    assert_int_equal(written, 10);
    assert_string_equal(buf, "error text");
}

/* A synchronous handle fills the OVERLAPPED and sets its event at once. */
static void test_write_file_with_overlapped(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.Internal = STATUS_PENDING;
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    assert_non_null(ov.hEvent);
    int saved = redirect(1, p[1]);
    BOOL ok = WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), "xyz", 3, NULL, &ov);
    restore(1, saved);
    close(p[1]);
    char buf[16];
    drain(p[0], buf, sizeof buf);
    close(p[0]);
    assert_true(ok);
    assert_string_equal(buf, "xyz");
    assert_int_equal(ov.Internal, STATUS_SUCCESS);
    assert_int_equal(ov.InternalHigh, 3);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    CloseHandle(ov.hEvent);
}

/* Nobody reads: ERROR_NO_DATA, and no SIGPIPE ends the process. */
static void test_write_file_without_reader(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    close(p[0]);
    int saved = redirect(1, p[1]);
    DWORD written = 99;
    SetLastError(0);
    BOOL ok = WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), "lost", 4, &written, NULL);
    DWORD error = GetLastError();
    restore(1, saved);
    close(p[1]);
    assert_false(ok);
    assert_int_equal(error, ERROR_NO_DATA);
    assert_int_equal(written, 0);
    sigset_t pending;
    sigpending(&pending);
    assert_int_equal(sigismember(&pending, SIGPIPE), 0);
}

/* Any other handle is ERROR_INVALID_HANDLE, and the count is zeroed first. */
static void test_write_file_other_handles(void **state)
{
    (void)state;
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE handles[] = {NULL, INVALID_HANDLE_VALUE, event, (HANDLE)(ULONG_PTR)0x12345678};
    for (size_t i = 0; i < sizeof handles / sizeof handles[0]; i++) {
        DWORD written = 77;
        SetLastError(0);
        assert_false(WriteFile(handles[i], "x", 1, &written, NULL));
        assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
        assert_int_equal(written, 0);
    }
    CloseHandle(event);
    SetLastError(0);
    assert_false(WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), NULL, 4, NULL, NULL));
    assert_int_equal(GetLastError(), ERROR_NOACCESS);
}

/* Redirected to a pipe, the handle is no console. */
static void test_console_calls_fail_when_redirected(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    int saved = redirect(1, p[1]);
    DWORD written = 55;
    SetLastError(0);
    BOOL write_ok = WriteConsoleA(out, "hidden", 6, &written, NULL);
    DWORD write_error = GetLastError();
    SetLastError(0);
    BOOL colour_ok = SetConsoleTextAttribute(out, FOREGROUND_RED);
    DWORD colour_error = GetLastError();
    restore(1, saved);
    close(p[1]);
    char buf[16];
    size_t got = drain(p[0], buf, sizeof buf);
    close(p[0]);
    assert_false(write_ok);
    assert_int_equal(write_error, ERROR_INVALID_HANDLE);
    assert_int_equal(written, 55);
    assert_false(colour_ok);
    assert_int_equal(colour_error, ERROR_INVALID_HANDLE);
    assert_int_equal(got, 0);

    SetLastError(0);
    assert_false(WriteConsoleA(GetStdHandle(STD_INPUT_HANDLE), "x", 1, &written, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    assert_false(WriteConsole(NULL, "x", 1, &written, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

/* On a terminal the text arrives, and colours become escape sequences. */
static void test_console_calls_on_a_terminal(void **state)
{
    (void)state;
    int master, slave;
    assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
    struct termios raw;
    assert_int_equal(tcgetattr(slave, &raw), 0);
    cfmakeraw(&raw);   /* bytes as written: no "\n" -> "\r\n" */
    assert_int_equal(tcsetattr(slave, TCSANOW, &raw), 0);

    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    int saved = redirect(1, slave);
    DWORD written = 0;
    BOOL write_ok = WriteConsoleA(out, "hi\n", 3, &written, NULL);
    BOOL bright_red = SetConsoleTextAttribute(out, FOREGROUND_RED | FOREGROUND_INTENSITY);
    BOOL on_blue = SetConsoleTextAttribute(out, FOREGROUND_GREEN | BACKGROUND_BLUE);
    BOOL back = SetConsoleTextAttribute(out, FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE);
    DWORD file_written = 0;
    BOOL file_ok = WriteFile(out, "!", 1, &file_written, NULL);
    restore(1, saved);
    close(slave);

    char buf[128];
    drain(master, buf, sizeof buf);
    close(master);
    assert_true(write_ok);
    assert_int_equal(written, 3);
    assert_true(bright_red && on_blue && back);
    assert_true(file_ok);
    assert_int_equal(file_written, 1);
    assert_string_equal(buf, "hi\n\033[0;91m\033[0;32;44m\033[0m!");
}

/* WriteConsoleW: the terminal gets UTF-8, *written counts WCHARs. */
static void test_write_console_wide_on_a_terminal(void **state)
{
    (void)state;
    int master, slave;
    assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
    struct termios raw;
    assert_int_equal(tcgetattr(slave, &raw), 0);
    cfmakeraw(&raw);
    assert_int_equal(tcsetattr(slave, TCSANOW, &raw), 0);

    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    int saved = redirect(1, slave);
    DWORD written = 0;
    const WCHAR text[] = L"h\u00e9\u20ac\U0001F600\n";
    BOOL ok = WriteConsoleW(out, text, 5, &written, NULL);
    restore(1, saved);
    close(slave);

    char buf[64];
    drain(master, buf, sizeof buf);
    close(master);
    assert_true(ok);
    assert_int_equal(written, 5);
    assert_string_equal(buf, "h\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n");
}

/* wprintf and printf share stdout as with MSVC: the wide text goes out as
 * UTF-8 bytes between the narrow ones, in the "C" locale the program
 * starts in, and %s in the wide format is a WCHAR string. */
static void test_wprintf_and_printf_share_stdout(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    int saved = redirect(1, p[1]);
    printf("a");
    int wide_n = wprintf(L"%s|%hs|", L"\u00e9", "\xE2\x82\xAC");
    printf("b");
    int put_n = fputws(L"\u00fc\n", stdout);
    restore(1, saved);
    close(p[1]);

    char buf[64];
    drain(p[0], buf, sizeof buf);
    close(p[0]);
    assert_int_equal(wide_n, 4);
    assert_true(put_n >= 0);
    assert_string_equal(buf, "a\xC3\xA9|\xE2\x82\xAC|b\xC3\xBC\n");
}

/* The modes are there on a terminal, and absent when redirected. */
static void test_console_modes(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    int saved = redirect(1, p[1]);
    DWORD mode = 99;
    SetLastError(0);
    BOOL get_ok = GetConsoleMode(out, &mode);
    DWORD get_error = GetLastError();
    SetLastError(0);
    BOOL set_ok = SetConsoleMode(out, ENABLE_PROCESSED_OUTPUT);
    DWORD set_error = GetLastError();
    restore(1, saved);
    close(p[0]);
    close(p[1]);
    assert_false(get_ok);
    assert_int_equal(get_error, ERROR_INVALID_HANDLE);
    assert_int_equal(mode, 99);
    assert_false(set_ok);
    assert_int_equal(set_error, ERROR_INVALID_HANDLE);

    int master, slave;
    assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
    int saved_out = redirect(1, slave);
    int saved_in = redirect(0, slave);
    DWORD out_mode = 0, in_mode = 0, vt_mode = 0, quick_mode = 0, after_bad = 0;
    BOOL out_get = GetConsoleMode(out, &out_mode);
    BOOL vt_set = SetConsoleMode(out, out_mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    GetConsoleMode(out, &vt_mode);
    SetLastError(0);
    BOOL bad_out = SetConsoleMode(out, ENABLE_INSERT_MODE);
    DWORD bad_out_error = GetLastError();
    GetConsoleMode(out, &after_bad);
    BOOL in_get = GetConsoleMode(in, &in_mode);
    BOOL quick_set = SetConsoleMode(in, (in_mode & ~(DWORD)ENABLE_QUICK_EDIT_MODE) | ENABLE_EXTENDED_FLAGS);
    GetConsoleMode(in, &quick_mode);
    SetLastError(0);
    BOOL bad_in = SetConsoleMode(in, 0x400);
    DWORD bad_in_error = GetLastError();
    restore(0, saved_in);
    restore(1, saved_out);
    close(slave);
    close(master);

    assert_true(out_get);
    assert_int_equal(out_mode, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT);
    assert_true(vt_set);
    assert_int_equal(vt_mode, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    assert_false(bad_out);
    assert_int_equal(bad_out_error, ERROR_INVALID_PARAMETER);
    assert_int_equal(after_bad, vt_mode);
    assert_true(in_get);
    assert_int_equal(in_mode, 0x1F7);
    assert_true(quick_set);
    assert_int_equal(quick_mode, 0x1B7);
    assert_false(bad_in);
    assert_int_equal(bad_in_error, ERROR_INVALID_PARAMETER);
    SetLastError(0);
    assert_false(GetConsoleMode(NULL, &mode));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

static void test_title_and_window(void **state)
{
    (void)state;
    assert_true(SetConsoleTitleA("server"));
    assert_true(SetConsoleTitle("server"));
    assert_null(GetConsoleWindow());
}

/* CloseHandle closes the handle, which GetStdHandle still returns, as on
 * Windows; the descriptor stays open. Runs last. */
static void test_close_std_handle(void **state)
{
    (void)state;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    assert_non_null(in);
    assert_true(CloseHandle(in));
    assert_ptr_equal(GetStdHandle(STD_INPUT_HANDLE), in);
    SetLastError(0);
    assert_false(WriteFile(in, "x", 1, NULL, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_not_equal(fcntl(0, F_GETFD), -1);
    assert_false(CloseHandle(in));
}

int main(int argc, char **argv)
{
    /* Started without descriptor 0, the pipes below would take it. */
    if (fcntl(0, F_GETFD) == -1 && open("/dev/null", O_RDONLY) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_std_handles_are_stable_and_distinct),
        cmocka_unit_test(test_get_std_handle_rejects_other_values),
        cmocka_unit_test(test_write_file_to_redirected_stdout),
        cmocka_unit_test(test_write_file_to_stderr),
        cmocka_unit_test(test_write_file_with_overlapped),
        cmocka_unit_test(test_write_file_without_reader),
        cmocka_unit_test(test_write_file_other_handles),
        cmocka_unit_test(test_console_calls_fail_when_redirected),
        cmocka_unit_test(test_console_calls_on_a_terminal),
        cmocka_unit_test(test_write_console_wide_on_a_terminal),
        cmocka_unit_test(test_wprintf_and_printf_share_stdout),
        cmocka_unit_test(test_console_modes),
        cmocka_unit_test(test_title_and_window),
        cmocka_unit_test(test_close_std_handle),
    };
    return run_cases(argc, argv, tests, NULL, NULL);
}
