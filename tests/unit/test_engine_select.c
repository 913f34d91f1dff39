/*
 * IOCPCOMPAT_BACKEND: each case runs in a child process (the choice is read
 * once per process), some under a seccomp filter that refuses io_uring_setup
 * with EPERM as Docker's default profile does. The parent checks the child's
 * verdict and what it printed on stderr. The last cases run a conformance
 * program so, as ctest runs it on io_uring: it must skip (77), or fail when
 * IOCPCOMPAT_REQUIRE_IO_URING=1.
 */
#define _GNU_SOURCE
#include <winsock2.h>
#include <windows.h>
#include <iocpcompat.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../cases.h"

#if defined(__x86_64__)
#define THIS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_ARCH AUDIT_ARCH_AARCH64
#else
#error "add this architecture's AUDIT_ARCH value"
#endif

static int refuse_io_uring(void)
{
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { (unsigned short)(sizeof(filter) / sizeof(filter[0])), filter };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* One echo through the port, to show the engine it fell back to works. */
static int echo_through(HANDLE port)
{
    SOCKET l = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    SOCKET c = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    struct sockaddr_in a;
    int len = (int)sizeof(a);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)&a, len) != 0 || listen(l, 1) != 0 ||
        getsockname(l, (struct sockaddr *)&a, &len) != 0 ||
        connect(c, (struct sockaddr *)&a, len) != 0)
        return 0;
    SOCKET s = accept(l, NULL, NULL);
    if (s == INVALID_SOCKET || CreateIoCompletionPort((HANDLE)s, port, 7, 0) != port)
        return 0;
    char buf[8];
    WSABUF wb = { sizeof(buf), buf };
    DWORD flags = 0, bytes = 0;
    OVERLAPPED ovl;
    memset(&ovl, 0, sizeof(ovl));
    if (WSARecv(s, &wb, 1, NULL, &flags, &ovl, NULL) != SOCKET_ERROR || WSAGetLastError() != WSA_IO_PENDING)
        return 0;
    if (send(c, "echo", 4, 0) != 4)
        return 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED done = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, 5000);
    closesocket(s);
    closesocket(c);
    closesocket(l);
    return ok && done == &ovl && key == 7 && bytes == 4 && memcmp(buf, "echo", 4) == 0;
}

enum expect { EXPECT_ENGINE, EXPECT_REFUSED };

/* The child's part: exit 0 when it saw what was expected. */
static int child(const char *backend, int filtered, enum expect expect, const char *engine)
{
    WSADATA wsa;
    if (backend != NULL)
        setenv("IOCPCOMPAT_BACKEND", backend, 1);
    else
        unsetenv("IOCPCOMPAT_BACKEND");
    if (filtered && refuse_io_uring() != 0)
        return 10;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 11;
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    if (expect == EXPECT_REFUSED)
        return port == NULL && GetLastError() == ERROR_INVALID_PARAMETER ? 0 : 12;
    if (port == NULL)
        return 13;
    const char *name = iocpcompat_port_engine(port);
    if (name == NULL || strcmp(name, engine) != 0)
        return 14;
    if (!echo_through(port))
        return 15;
    return CloseHandle(port) ? 0 : 16;
}

/* Reads what the child pid writes to fds[0] (its end fds[1] is closed here)
 * into buf, then waits for it: its exit status. */
static int collect_child(pid_t pid, int fds[2], char *buf, size_t len)
{
    close(fds[1]);
    size_t got = 0;
    ssize_t n;
    while (got + 1 < len && (n = read(fds[0], buf + got, len - 1 - got)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* Runs child() in a new process; returns its exit status and its stderr. */
static int run(const char *backend, int filtered, enum expect expect, const char *engine,
               char *err, size_t errlen)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        _exit(child(backend, filtered, expect, engine));
    }
    return collect_child(pid, fds, err, errlen);
}

static void test_auto_prefers_io_uring_silently(void **state)
{
    char err[1024];
    (void)state;
    assert_int_equal(run(NULL, 0, EXPECT_ENGINE, "io_uring", err, sizeof(err)), 0);
    assert_string_equal(err, "");
    assert_int_equal(run("auto", 0, EXPECT_ENGINE, "io_uring", err, sizeof(err)), 0);
    assert_string_equal(err, "");
}

static void test_auto_falls_back_to_epoll_under_seccomp(void **state)
{
    char err[1024];
    (void)state;
    assert_int_equal(run("auto", 1, EXPECT_ENGINE, "epoll", err, sizeof(err)), 0);
    /* One line, naming the engine chosen and the reason. */
    assert_non_null(strstr(err, "engine epoll"));
    assert_non_null(strstr(err, "seccomp"));
    assert_non_null(strstr(err, "EPERM"));
    assert_ptr_equal(strchr(err, '\n'), err + strlen(err) - 1);
}

static void test_explicit_io_uring_under_seccomp_is_refused(void **state)
{
    char err[1024];
    (void)state;
    assert_int_equal(run("io_uring", 1, EXPECT_REFUSED, NULL, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "seccomp"));
    assert_non_null(strstr(err, "valid values: auto, io_uring, epoll"));
}

static void test_explicit_epoll_is_used(void **state)
{
    char err[1024];
    (void)state;
    assert_int_equal(run("epoll", 0, EXPECT_ENGINE, "epoll", err, sizeof(err)), 0);
    assert_string_equal(err, "");
}

static void test_unknown_value_is_refused(void **state)
{
    char err[1024];
    (void)state;
    assert_int_equal(run("uring", 0, EXPECT_REFUSED, NULL, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "IOCPCOMPAT_BACKEND=uring"));
    assert_non_null(strstr(err, "valid values: auto, io_uring, epoll"));
}

/* A conformance program (REFUSED_CASE_PROGRAM, from tests/CMakeLists.txt)
 * asked for io_uring under the filter, as ctest runs it: one case by name,
 * IOCPCOMPAT_REQUIRE_IO_URING=1 or not. Returns its exit status and what it
 * printed on stdout and stderr. */
static int run_refused_case(int require, char *out, size_t outlen)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        setenv("IOCPCOMPAT_BACKEND", "io_uring", 1);
        if (require)
            setenv("IOCPCOMPAT_REQUIRE_IO_URING", "1", 1);
        else
            unsetenv("IOCPCOMPAT_REQUIRE_IO_URING");
        if (refuse_io_uring() != 0)
            _exit(10);
        execl(REFUSED_CASE_PROGRAM, REFUSED_CASE_PROGRAM, "test_p1_timeout_leaves_outputs", (char *)NULL);
        _exit(11);
    }
    return collect_child(pid, fds, out, outlen);
}

/* ctest reports 77 as skipped: the engine was not tested, and nothing ran. */
static void test_refused_io_uring_skips_conformance_case(void **state)
{
    char out[4096];
    (void)state;
    assert_int_equal(run_refused_case(0, out, sizeof(out)), 77);
    assert_non_null(strstr(out, "seccomp"));
    assert_non_null(strstr(out, "\nSKIPPED: io_uring is refused on this machine"));
    assert_non_null(strstr(out, "this engine was not tested\n"));
    assert_null(strstr(out, "[ RUN"));
}

/* Where the machine must have io_uring (CI), the refusal is a failure. */
static void test_refused_io_uring_fails_conformance_case_when_required(void **state)
{
    char out[4096];
    (void)state;
    int status = run_refused_case(1, out, sizeof(out));
    assert_int_not_equal(status, 0);
    assert_int_not_equal(status, 77);
    assert_non_null(strstr(out, "seccomp"));
    assert_non_null(strstr(out, "IOCPCOMPAT_REQUIRE_IO_URING=1"));
    assert_null(strstr(out, "SKIPPED"));
    assert_null(strstr(out, "[ RUN"));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto_prefers_io_uring_silently),
        cmocka_unit_test(test_auto_falls_back_to_epoll_under_seccomp),
        cmocka_unit_test(test_explicit_io_uring_under_seccomp_is_refused),
        cmocka_unit_test(test_explicit_epoll_is_used),
        cmocka_unit_test(test_unknown_value_is_refused),
        cmocka_unit_test(test_refused_io_uring_skips_conformance_case),
        cmocka_unit_test(test_refused_io_uring_fails_conformance_case_when_required),
    };
    return run_cases(argc, argv, tests, NULL, NULL);
}
