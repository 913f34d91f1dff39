/*
 * SetConsoleCtrlHandler on Linux: the test sends itself SIGINT, SIGTERM and
 * SIGHUP and checks that the handlers run on a thread of their own with the
 * event Windows would send (CTRL_C_EVENT, CTRL_CLOSE_EVENT), last-registered
 * first until one returns TRUE, and that the default action ends the
 * process with STATUS_CONTROL_C_EXIT. Cases that end the process run in a
 * child (this program re-executed with the case's name).
 */
#include <windows.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../cases.h"

/* What Linux keeps of ExitProcess(STATUS_CONTROL_C_EXIT): the low 8 bits. */
#define CONTROL_C_EXIT_STATUS ((int)(STATUS_CONTROL_C_EXIT & 0xFF))

/* Filled by the handlers, read by the test thread once `calls` moved. */
static volatile LONG calls;      /* handler calls fully recorded */
static volatile LONG slots;      /* order[] slots taken */
static volatile LONG last_event = -1;
static volatile LONG last_thread;
static volatile LONG order[8];
static DWORD main_thread;

/* An atomic read: the handlers write from their own thread. */
static LONG load(volatile LONG *p) { return InterlockedCompareExchange(p, 0, 0); }

static void reset_records(void)
{
    InterlockedExchange(&calls, 0);
    InterlockedExchange(&slots, 0);
    InterlockedExchange(&last_event, -1);
    InterlockedExchange(&last_thread, 0);
    for (int i = 0; i < 8; i++)
        InterlockedExchange(&order[i], 0);
}

static void record(LONG who, DWORD event)
{
    InterlockedExchange(&last_event, (LONG)event);
    InterlockedExchange(&last_thread, (LONG)GetCurrentThreadId());
    LONG n = InterlockedIncrement(&slots);
    if (n <= 8)
        InterlockedExchange(&order[n - 1], who);
    InterlockedIncrement(&calls);   /* last: the reader waits for this */
}

static BOOL WINAPI handler_a(DWORD event) { record('A', event); return FALSE; }
static BOOL WINAPI handler_b(DWORD event) { record('B', event); return TRUE; }
static BOOL WINAPI handler_c(DWORD event) { record('C', event); return FALSE; }

/* Waits (at most 10 s) until the handlers were called at least n times. */
static int wait_for_calls(LONG n)
{
    for (int i = 0; i < 2000; i++) {
        if (load(&calls) >= n)
            return 1;
        Sleep(5);
    }
    return 0;
}

static void test_ctrl_c_runs_handler_on_its_own_thread(void **state)
{
    (void)state;
    reset_records();
    assert_true(SetConsoleCtrlHandler(handler_b, TRUE));
    assert_int_equal(raise(SIGINT), 0);
    assert_true(wait_for_calls(1));
    assert_int_equal(load(&last_event), CTRL_C_EVENT);
    assert_true(load(&last_thread) != 0);
    assert_true((DWORD)load(&last_thread) != main_thread);
    assert_true(SetConsoleCtrlHandler(handler_b, FALSE));
}

/* C was registered last, so it runs first; B returns TRUE, so A never runs. */
static void test_chain_last_registered_first_until_true(void **state)
{
    (void)state;
    reset_records();
    assert_true(SetConsoleCtrlHandler(handler_a, TRUE));
    assert_true(SetConsoleCtrlHandler(handler_b, TRUE));
    assert_true(SetConsoleCtrlHandler(handler_c, TRUE));
    assert_int_equal(raise(SIGINT), 0);
    assert_true(wait_for_calls(2));
    Sleep(200);   /* room for a wrong third call to show */
    assert_int_equal(load(&calls), 2);
    assert_int_equal(load(&order[0]), 'C');
    assert_int_equal(load(&order[1]), 'B');
    assert_true(SetConsoleCtrlHandler(handler_c, FALSE));
    assert_true(SetConsoleCtrlHandler(handler_b, FALSE));
    assert_true(SetConsoleCtrlHandler(handler_a, FALSE));
}

static void test_removed_handler_is_not_called(void **state)
{
    (void)state;
    reset_records();
    assert_true(SetConsoleCtrlHandler(handler_b, TRUE));
    assert_true(SetConsoleCtrlHandler(handler_c, TRUE));
    assert_true(SetConsoleCtrlHandler(handler_c, FALSE));
    assert_int_equal(raise(SIGINT), 0);
    assert_true(wait_for_calls(1));
    Sleep(100);
    assert_int_equal(load(&calls), 1);
    assert_int_equal(load(&order[0]), 'B');
    assert_true(SetConsoleCtrlHandler(handler_b, FALSE));
}

static void test_remove_unknown_handler_fails(void **state)
{
    (void)state;
    SetLastError(0);
    assert_false(SetConsoleCtrlHandler(handler_a, FALSE));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* Runs this program with the case's name; returns its exit status (or -1
 * if a signal killed it) and what it printed. */
static int run_child(const char *name, char *out, size_t size)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        char *const argv[] = {(char *)"test_console", (char *)name, NULL};
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    close(fds[1]);
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fds[0], out + used, size - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        used += (size_t)n;
        if (used == size - 1)
            break;
    }
    out[used] = '\0';
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        assert_int_equal(errno, EINTR);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* No handler returns TRUE: the default handler ends the process. */
static void test_default_action_exits_with_control_c_exit(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(run_child("default-ctrl-c", out, sizeof out), CONTROL_C_EXIT_STATUS);
    assert_non_null(strstr(out, "event=0 other-thread=1"));
}

/* A handler returning TRUE for Ctrl-C keeps the process alive. */
static void test_handled_ctrl_c_keeps_process(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(run_child("handled-ctrl-c", out, sizeof out), 5);
    assert_non_null(strstr(out, "event=0 other-thread=1"));
}

/* SIGTERM and SIGHUP are CTRL_CLOSE_EVENT; after it the process ends even
 * though the handler returned TRUE, as Windows ends it. */
static void test_sigterm_is_close_event(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(run_child("close-sigterm", out, sizeof out), CONTROL_C_EXIT_STATUS);
    assert_non_null(strstr(out, "event=2 other-thread=1"));
}

static void test_sighup_is_close_event(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(run_child("close-sighup", out, sizeof out), CONTROL_C_EXIT_STATUS);
    assert_non_null(strstr(out, "event=2 other-thread=1"));
}

/* SetConsoleCtrlHandler(NULL, TRUE) ignores Ctrl-C (no handler, no exit)
 * until SetConsoleCtrlHandler(NULL, FALSE). */
static void test_null_handler_ignores_ctrl_c(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(run_child("ignore-ctrl-c", out, sizeof out), 7);
    assert_non_null(strstr(out, "ignored\n"));
    assert_non_null(strstr(out, "event=0 other-thread=1"));
    assert_non_null(strstr(out, "calls=1\n"));
}

/* --- the children ------------------------------------------------------ */

static BOOL WINAPI print_and_return_false(DWORD event)
{
    printf("event=%lu other-thread=%d\n", (unsigned long)event, GetCurrentThreadId() != main_thread);
    fflush(stdout);
    return FALSE;
}

static BOOL WINAPI print_and_return_true(DWORD event)
{
    printf("event=%lu other-thread=%d\n", (unsigned long)event, GetCurrentThreadId() != main_thread);
    fflush(stdout);
    InterlockedIncrement(&calls);
    return TRUE;
}

static int child(const char *name)
{
    if (strcmp(name, "default-ctrl-c") == 0) {
        SetConsoleCtrlHandler(print_and_return_false, TRUE);
        raise(SIGINT);
    } else if (strcmp(name, "handled-ctrl-c") == 0) {
        SetConsoleCtrlHandler(print_and_return_true, TRUE);
        raise(SIGINT);
        if (wait_for_calls(1)) {
            Sleep(100);   /* a wrong exit would happen here */
            return 5;
        }
    } else if (strcmp(name, "close-sigterm") == 0 || strcmp(name, "close-sighup") == 0) {
        SetConsoleCtrlHandler(print_and_return_true, TRUE);
        raise(strcmp(name, "close-sigterm") == 0 ? SIGTERM : SIGHUP);
    } else if (strcmp(name, "ignore-ctrl-c") == 0) {
        SetConsoleCtrlHandler(print_and_return_true, TRUE);
        SetConsoleCtrlHandler(NULL, TRUE);
        raise(SIGINT);
        Sleep(300);
        if (load(&calls) == 0)
            printf("ignored\n");
        SetConsoleCtrlHandler(NULL, FALSE);
        raise(SIGINT);
        if (wait_for_calls(1)) {
            Sleep(100);
            printf("calls=%ld\n", (long)load(&calls));
            fflush(stdout);
            return 7;
        }
    } else {
        return 126;
    }
    /* The handler thread should end the process before this is over. */
    Sleep(10000);
    return 99;
}

int main(int argc, char **argv)
{
    main_thread = GetCurrentThreadId();
    /* run_child() names a child; a case's name starts with test_. */
    if (argc > 1 && strncmp(argv[1], "test_", 5) != 0)
        return child(argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ctrl_c_runs_handler_on_its_own_thread),
        cmocka_unit_test(test_chain_last_registered_first_until_true),
        cmocka_unit_test(test_removed_handler_is_not_called),
        cmocka_unit_test(test_remove_unknown_handler_fails),
        cmocka_unit_test(test_default_action_exits_with_control_c_exit),
        cmocka_unit_test(test_handled_ctrl_c_keeps_process),
        cmocka_unit_test(test_sigterm_is_close_event),
        cmocka_unit_test(test_sighup_is_close_event),
        cmocka_unit_test(test_null_handler_ignores_ctrl_c),
    };
    return run_cases(argc, argv, tests, NULL, NULL);
}
