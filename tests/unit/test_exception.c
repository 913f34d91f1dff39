/*
 * SetUnhandledExceptionFilter as Windows behaves: a crash calls the filter
 * with EXCEPTION_POINTERS (the exception code, the faulting instruction's
 * address, for an access violation the kind of access and the address;
 * the registers in ContextRecord), EXCEPTION_EXECUTE_HANDLER ends the
 * process with the code, EXCEPTION_CONTINUE_SEARCH leaves the crash to the
 * default, EXCEPTION_CONTINUE_EXECUTION resumes once the filter repaired
 * the cause. Each crash happens in a child process (fork, so Linux only:
 * on Windows the same cases would run the program again). The filter
 * reports through a pipe, with write(), which a signal handler may call.
 */
#include "../conformance/conformance.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct report {
    DWORD code;
    DWORD parameters;
    ULONG_PTR access;     /* ExceptionInformation[0] */
    ULONG_PTR address;    /* ExceptionInformation[1] */
    PVOID at;             /* ExceptionAddress */
    DWORD64 rip;          /* ContextRecord->Rip */
    DWORD64 rsp;
} report;

static int report_fd = -1;
static LONG answer;
static int chain_to_own_handler;   /* a handler of the program's, installed before the filter */

static void own_handler(int sig)
{
    (void)sig;
    _exit(42);
}
static char *repair_page;   /* CONTINUE_EXECUTION: made writable by the filter */

static LONG WINAPI filter(EXCEPTION_POINTERS *info)
{
    report r;
    memset(&r, 0, sizeof r);
    r.code = info->ExceptionRecord->ExceptionCode;
    r.parameters = info->ExceptionRecord->NumberParameters;
    r.access = info->ExceptionRecord->ExceptionInformation[0];
    r.address = info->ExceptionRecord->ExceptionInformation[1];
    r.at = info->ExceptionRecord->ExceptionAddress;
    r.rip = info->ContextRecord->Rip;
    r.rsp = info->ContextRecord->Rsp;
    if (write(report_fd, &r, sizeof r) != (ssize_t)sizeof r)
        _exit(99);
    if (answer == EXCEPTION_CONTINUE_EXECUTION) {
        DWORD old;
        VirtualProtect(repair_page, 4096, PAGE_READWRITE, &old);
    }
    return answer;
}

enum crash { READ_NULL, WRITE_READONLY, DIVIDE, TRAP };

static volatile int zero = 0;
/* Read through a variable, so that the compiler sees no constant address
 * to warn about (-Warray-bounds at -O2). */
static volatile int *volatile near_null = (volatile int *)(ULONG_PTR)0x10;

static void crash(enum crash how)
{
    switch (how) {
    case READ_NULL:
        (void)*near_null;
        break;
    case WRITE_READONLY:
        *(volatile char *)repair_page = 'w';
        break;
    case DIVIDE: {
        /* The processor's division, which a sanitizer's check of C's
         * division by zero would otherwise stand in front of. */
        unsigned value = 100, divisor = (unsigned)zero;
#if defined(__x86_64__)
        __asm__ __volatile__("xorl %%edx, %%edx\n\tdivl %1" : "+a"(value) : "r"(divisor) : "rdx", "cc");
#else
        value /= divisor;
#endif
        zero = (int)value;
        break;
    }
    case TRAP:
        __builtin_trap();
    }
}

/* Runs the crash in a child with the filter answering `how`; returns the
 * wait status and what the filter saw (got = whether it ran). */
static int run_child(enum crash how, LONG filter_answer, report *seen, int *got)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    repair_page = (char *)VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READONLY);
    assert_non_null(repair_page);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        struct rlimit no_core = { 0, 0 };   /* the default crash leaves no core file behind */
        setrlimit(RLIMIT_CORE, &no_core);
        /* The test framework's own crash handlers stay out of the child. */
        const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
        for (int i = 0; i < 4; i++)
            signal(sigs[i], chain_to_own_handler ? own_handler : SIG_DFL);
        report_fd = fds[1];
        answer = filter_answer;
        /* Without a filter set before, NULL is the previous one. */
        if (SetUnhandledExceptionFilter(filter) != NULL)
            _exit(98);
        crash(how);
        _exit(repair_page[0] == 'w' ? 0 : 97);
    }
    close(fds[1]);
    *got = read(fds[0], seen, sizeof *seen) == (ssize_t)sizeof *seen;
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    VirtualFree(repair_page, 0, MEM_RELEASE);
    return status;
}

static void test_access_violation_read(void **state)
{
    (void)state;
    report r;
    int got;
    int status = run_child(READ_NULL, EXCEPTION_EXECUTE_HANDLER, &r, &got);
    assert_true(got);
    assert_int_equal(r.code, EXCEPTION_ACCESS_VIOLATION);
    assert_int_equal(r.parameters, 2);
    assert_int_equal(r.access, 0);      /* a read */
    assert_int_equal(r.address, 0x10);
    assert_non_null(r.at);
    assert_int_equal((ULONG_PTR)r.at, r.rip);
    assert_int_not_equal(r.rsp, 0);
    /* EXCEPTION_EXECUTE_HANDLER: the process ends with the code. */
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), EXCEPTION_ACCESS_VIOLATION & 0xff);
}

static void test_access_violation_write(void **state)
{
    (void)state;
    report r;
    int got;
    int status = run_child(WRITE_READONLY, EXCEPTION_EXECUTE_HANDLER, &r, &got);
    assert_true(got);
    assert_int_equal(r.code, EXCEPTION_ACCESS_VIOLATION);
    assert_int_equal(r.access, 1);      /* a write */
    assert_int_equal(r.address, (ULONG_PTR)repair_page);
    assert_true(WIFEXITED(status));
}

static void test_divide_by_zero(void **state)
{
    (void)state;
    report r;
    int got;
    int status = run_child(DIVIDE, EXCEPTION_EXECUTE_HANDLER, &r, &got);
    assert_true(got);
    assert_int_equal(r.code, EXCEPTION_INT_DIVIDE_BY_ZERO);
    assert_int_equal(r.parameters, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), EXCEPTION_INT_DIVIDE_BY_ZERO & 0xff);
}

static void test_illegal_instruction(void **state)
{
    (void)state;
    report r;
    int got;
    int status = run_child(TRAP, EXCEPTION_EXECUTE_HANDLER, &r, &got);
    assert_true(got);
    assert_int_equal(r.code, EXCEPTION_ILLEGAL_INSTRUCTION);
    assert_true(WIFEXITED(status));
}

static void test_continue_search_is_the_default_crash(void **state)
{
    (void)state;
    report r;
    int got;
    int status = run_child(READ_NULL, EXCEPTION_CONTINUE_SEARCH, &r, &got);
    assert_true(got);   /* the filter ran first */
    /* Then the crash went on as without a filter: killed by SIGSEGV. */
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGSEGV);
}

static void test_continue_search_reaches_previous_handler(void **state)
{
    (void)state;
    report r;
    int got;
    chain_to_own_handler = 1;
    int status = run_child(READ_NULL, EXCEPTION_CONTINUE_SEARCH, &r, &got);
    chain_to_own_handler = 0;
    assert_true(got);
    /* The handler the program had before the filter gets the signal. */
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 42);
}

static void test_continue_execution_after_repair(void **state)
{
    (void)state;
    report r;
    int got;
    int status = run_child(WRITE_READONLY, EXCEPTION_CONTINUE_EXECUTION, &r, &got);
    assert_true(got);
    /* The write ran again once the page was writable, and the child went on. */
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static LONG WINAPI other_filter(EXCEPTION_POINTERS *info)
{
    (void)info;
    return EXCEPTION_CONTINUE_SEARCH;
}

static void test_filter_chain_and_error_mode(void **state)
{
    (void)state;
    assert_null(SetUnhandledExceptionFilter(filter));
    assert_ptr_equal(SetUnhandledExceptionFilter(other_filter), filter);
    assert_ptr_equal(SetUnhandledExceptionFilter(NULL), other_filter);
    UINT before = SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    assert_int_equal(GetErrorMode(), SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    assert_int_equal(SetErrorMode(before), SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_access_violation_read),
        cmocka_unit_test(test_access_violation_write),
        cmocka_unit_test(test_divide_by_zero),
        cmocka_unit_test(test_illegal_instruction),
        cmocka_unit_test(test_continue_search_is_the_default_crash),
        cmocka_unit_test(test_continue_search_reaches_previous_handler),
        cmocka_unit_test(test_continue_execution_after_repair),
        cmocka_unit_test(test_filter_chain_and_error_mode),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
