/*
 * The status table (src/shared/status.c), compiled into this test: rows
 * that share a status agree, and each level of a failure reads as Windows
 * reports it (spec rows P3, E2, E4: what GQCS, WSAGetOverlappedResult and a
 * failing call say for the same failure).
 */
#include <winsock2.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../cases.h"
#include "status.h"

int status_table_check(void);

static void test_rows_sharing_a_status_agree(void **state)
{
    (void)state;
    assert_int_equal(status_table_check(), -1);
}

/* errno -> NTSTATUS -> (GQCS's Win32 code, WSAGetOverlappedResult's code). */
static void test_completion_codes(void **state)
{
    (void)state;
    static const struct { int err; DWORD status, win32, wsa; } cases[] = {
        { ECONNRESET, STATUS_CONNECTION_RESET, ERROR_NETNAME_DELETED, WSAECONNRESET },
        { EPIPE, STATUS_CONNECTION_RESET, ERROR_NETNAME_DELETED, WSAECONNRESET },
        { ECANCELED, STATUS_CANCELLED, ERROR_OPERATION_ABORTED, WSA_OPERATION_ABORTED },
        { ECONNABORTED, STATUS_CONNECTION_ABORTED, ERROR_CONNECTION_ABORTED, WSAECONNABORTED },
        { ECONNREFUSED, STATUS_CONNECTION_REFUSED, ERROR_CONNECTION_REFUSED, WSAECONNREFUSED },
        { ETIMEDOUT, STATUS_IO_TIMEOUT, ERROR_SEM_TIMEOUT, WSAETIMEDOUT },
        { EOVERFLOW, STATUS_BUFFER_TOO_SMALL, ERROR_INSUFFICIENT_BUFFER, WSAEFAULT },
        { EMSGSIZE, STATUS_BUFFER_OVERFLOW, ERROR_MORE_DATA, WSAEMSGSIZE },
        { ENOBUFS, STATUS_NO_MEMORY, ERROR_NOT_ENOUGH_MEMORY, WSAENOBUFS },
        /* No completion meaning of its own: an invalid parameter. */
        { ENOENT, STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER, WSAEINVAL },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        DWORD status = status_from_errno(cases[i].err);
        assert_int_equal(status, cases[i].status);
        assert_int_equal(status_to_win32(status), cases[i].win32);
        assert_int_equal(status_to_wsa(status), cases[i].wsa);
    }
}

static void test_statuses_without_errno(void **state)
{
    (void)state;
    assert_int_equal(status_to_win32(STATUS_SUCCESS), ERROR_SUCCESS);
    assert_int_equal(status_to_wsa(STATUS_SUCCESS), 0);
    assert_int_equal(status_to_win32(STATUS_PENDING), ERROR_IO_PENDING);
    assert_int_equal(status_to_wsa(STATUS_PENDING), WSA_IO_INCOMPLETE);
    assert_int_equal(status_to_win32(STATUS_LOCAL_DISCONNECT), ERROR_NETNAME_DELETED);
    assert_int_equal(status_to_wsa(STATUS_LOCAL_DISCONNECT), WSAECONNABORTED);
    assert_int_equal(status_to_wsa(STATUS_REMOTE_DISCONNECT), WSAECONNRESET);
    assert_int_equal(status_to_win32(0xC0001234u), ERROR_INVALID_PARAMETER);
}

/* A call that fails at once (E4): its Winsock code, 0 for an errno with no
 * socket meaning, which status_socket_error turns into WSAEINVAL. */
static void test_codes_at_once(void **state)
{
    (void)state;
    assert_int_equal(status_wsa_from_errno(EADDRINUSE), WSAEADDRINUSE);
    assert_int_equal(status_wsa_from_errno(EINPROGRESS), WSAEWOULDBLOCK);
    assert_int_equal(status_wsa_from_errno(EAGAIN), WSAEWOULDBLOCK);
    assert_int_equal(status_wsa_from_errno(EPIPE), WSAESHUTDOWN);
    assert_int_equal(status_wsa_from_errno(EBADF), WSAENOTSOCK);
    assert_int_equal(status_wsa_from_errno(ENOMEM), WSA_NOT_ENOUGH_MEMORY);
    assert_int_equal(status_wsa_from_errno(ENOENT), 0);
    assert_int_equal(status_socket_error(ENOENT), WSAEINVAL);
    assert_int_equal(status_socket_error(ECONNREFUSED), WSAECONNREFUSED);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_sharing_a_status_agree),
        cmocka_unit_test(test_completion_codes),
        cmocka_unit_test(test_statuses_without_errno),
        cmocka_unit_test(test_codes_at_once),
    };
    return run_cases(argc, argv, tests, NULL, NULL);
}
