/*
 * Strings the way MSVC code uses them: <tchar.h> generic names, <strsafe.h>
 * results and truncation, the secure CRT (sprintf_s, strcpy_s, strncpy_s
 * with _TRUNCATE, _snprintf's missing terminator...), MSVC keywords,
 * FormatMessageA's system messages, and kernel32's lstr* functions. Plain
 * Win32.
 */
#include "conformance.h"

#include <stdio.h>
#include <stdlib.h>
#include <tchar.h>
/* The SDK's strsafe.h retires sprintf and friends unless told not to. */
#define STRSAFE_NO_DEPRECATE
#include <strsafe.h>

/* MSVC links ws2_32 from this; other compilers are told on their command
 * line, and gcc would warn about the unknown pragma. */
#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib")
#endif

static void test_tchar_names(void **state)
{
    (void)state;
    TCHAR buf[32];
    _TCHAR other[32];
    assert_int_equal(sizeof(TCHAR), 1);
    assert_int_equal(_tcscpy_s(buf, _countof(buf), _T("hello")), 0);
    assert_int_equal(_tcslen(buf), 5);
    assert_int_equal(_tcscmp(buf, TEXT("hello")), 0);
    assert_int_equal(_stprintf_s(other, _countof(other), _T("%s-%d"), buf, 7), 7);
    assert_string_equal(other, "hello-7");
    assert_int_equal(_ttoi(_T("1234")), 1234);
    assert_int_equal(_ttol(_T("-99")), -99);
    assert_int_equal(_tcsicmp(_T("HeLLo"), buf), 0);
}

static void test_sprintf_s_returns_length(void **state)
{
    (void)state;
    char buf[16];
    assert_int_equal(sprintf_s(buf, sizeof buf, "%d:%s", 42, "ab"), 5);
    assert_string_equal(buf, "42:ab");
    /* Exactly filling the buffer, terminator included, is fine. */
    assert_int_equal(sprintf_s(buf, sizeof buf, "%s", "123456789012345"), 15);
    assert_string_equal(buf, "123456789012345");
}

/* _snprintf leaves out the terminator when the text fills the buffer, and
 * returns -1 when it does not fit. */
static void test_snprintf_msvc_semantics(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'X', sizeof buf);
    assert_int_equal(_snprintf(buf, 4, "%s", "abcd"), 4);
    assert_memory_equal(buf, "abcdXXXX", 8);
    memset(buf, 'X', sizeof buf);
    assert_int_equal(_snprintf(buf, 4, "%s", "abcdef"), -1);
    assert_memory_equal(buf, "abcdXXXX", 8);
    memset(buf, 'X', sizeof buf);
    assert_int_equal(_snprintf(buf, 8, "%d", 12), 2);
    assert_string_equal(buf, "12");
}

static void test_snprintf_s_truncate(void **state)
{
    (void)state;
    char buf[5];
    assert_int_equal(_snprintf_s(buf, sizeof buf, _TRUNCATE, "%s", "abcdefgh"), -1);
    assert_string_equal(buf, "abcd");
    assert_int_equal(_snprintf_s(buf, sizeof buf, _TRUNCATE, "%s", "abc"), 3);
    assert_string_equal(buf, "abc");
    /* A count below the size cuts there. */
    assert_int_equal(_snprintf_s(buf, sizeof buf, 2, "%s", "abc"), -1);
    assert_string_equal(buf, "ab");
}

static void test_strcpy_strcat_s(void **state)
{
    (void)state;
    char buf[8];
    assert_int_equal(strcpy_s(buf, sizeof buf, "abc"), 0);
    assert_string_equal(buf, "abc");
    assert_int_equal(strcat_s(buf, sizeof buf, "defg"), 0);
    assert_string_equal(buf, "abcdefg");
}

static void test_strncpy_s(void **state)
{
    (void)state;
    char buf[5];
    assert_int_equal(strncpy_s(buf, sizeof buf, "abcdefgh", _TRUNCATE), STRUNCATE);
    assert_string_equal(buf, "abcd");
    assert_int_equal(strncpy_s(buf, sizeof buf, "abcdefgh", 3), 0);
    assert_string_equal(buf, "abc");
    assert_int_equal(strncpy_s(buf, sizeof buf, "ab", _TRUNCATE), 0);
    assert_string_equal(buf, "ab");
    assert_int_equal(strncpy_s(buf, sizeof buf, "xyz", 0), 0);
    assert_string_equal(buf, "");
}

static void test_memcpy_memmove_s(void **state)
{
    (void)state;
    char buf[8] = "0123456";
    assert_int_equal(memcpy_s(buf, sizeof buf, "ab", 2), 0);
    assert_memory_equal(buf, "ab23456", 8);
    assert_int_equal(memmove_s(buf + 1, sizeof buf - 1, buf, 4), 0);
    assert_memory_equal(buf, "aab2356", 8);
    assert_int_equal(memcpy_s(buf, sizeof buf, NULL, 0), 0);   /* nothing to copy */
}

static void test_itoa_s(void **state)
{
    (void)state;
    char buf[40];
    assert_int_equal(_itoa_s(-42, buf, sizeof buf, 10), 0);
    assert_string_equal(buf, "-42");
    assert_int_equal(_itoa_s(255, buf, sizeof buf, 16), 0);
    assert_string_equal(buf, "ff");
    assert_int_equal(_itoa_s(5, buf, sizeof buf, 2), 0);
    assert_string_equal(buf, "101");
    /* Other bases show the two's complement of a negative value. */
    assert_int_equal(_itoa_s(-1, buf, sizeof buf, 16), 0);
    assert_string_equal(buf, "ffffffff");
}

static void test_case_insensitive_compare(void **state)
{
    (void)state;
    assert_int_equal(_stricmp("Hello", "hELLO"), 0);
    assert_true(_stricmp("apple", "BANANA") < 0);
    assert_true(_stricmp("b", "A") > 0);
    assert_int_equal(_strnicmp("abcX", "ABCy", 3), 0);
    assert_true(_strnicmp("abcX", "ABCy", 4) < 0);
}

/* __declspec(thread/align) and __forceinline are checked by the compile
 * matrix (tests/compile): mingw-w64's gcc does not implement them the way
 * MSVC does, so they cannot be part of this file. */
static void test_msvc_keywords(void **state)
{
    (void)state;
    assert_int_equal(sizeof(__int64), 8);
    assert_int_equal(sizeof(unsigned __int64), 8);
    assert_int_equal(sizeof(__int32), 4);
    assert_int_equal(sizeof(__int16), 2);
    assert_int_equal(sizeof(__int8), 1);
    int arr[13];
    assert_int_equal(_countof(arr), 13);
    assert_int_equal(min(3, 9), 3);
    assert_int_equal(max(-3, 9), 9);
    assert_int_equal(MAKEWORD(2, 2), 0x0202);
    assert_int_equal(LOWORD(0x12345678), 0x5678);
    assert_int_equal(HIWORD(0x12345678), 0x1234);

}

static void test_strsafe_printf(void **state)
{
    (void)state;
    char buf[6];
    assert_int_equal(StringCchPrintfA(buf, sizeof buf, "%d", 123), S_OK);
    assert_string_equal(buf, "123");
    /* Five characters and the terminator fill six exactly. */
    assert_int_equal(StringCchPrintfA(buf, sizeof buf, "%s", "abcde"), S_OK);
    assert_string_equal(buf, "abcde");
    /* One more is truncated, and still terminated. */
    assert_int_equal(StringCchPrintfA(buf, sizeof buf, "%s", "abcdef"), STRSAFE_E_INSUFFICIENT_BUFFER);
    assert_string_equal(buf, "abcde");
    assert_int_equal(StringCchPrintfA(buf, 0, "%s", "x"), STRSAFE_E_INVALID_PARAMETER);
    assert_true(FAILED(StringCbPrintfA(buf, 2, "%d", 10)));
    assert_string_equal(buf, "1");
}

static void test_strsafe_copy_cat_length(void **state)
{
    (void)state;
    char buf[6];
    size_t len = 99;
    assert_int_equal(StringCchCopyA(buf, sizeof buf, "hello world"), STRSAFE_E_INSUFFICIENT_BUFFER);
    assert_string_equal(buf, "hello");
    assert_int_equal(StringCchCopyA(buf, sizeof buf, "hi"), S_OK);
    assert_int_equal(StringCchCatA(buf, sizeof buf, "!!"), S_OK);
    assert_string_equal(buf, "hi!!");
    assert_int_equal(StringCchCatA(buf, sizeof buf, "??"), STRSAFE_E_INSUFFICIENT_BUFFER);
    assert_string_equal(buf, "hi!!?");
    /* At most N characters of the source. */
    assert_int_equal(StringCbCopyNA(buf, sizeof buf, "abcdef", 3), S_OK);
    assert_string_equal(buf, "abc");
    assert_int_equal(StringCbCopyNA(buf, sizeof buf, "abcdefgh", 7), STRSAFE_E_INSUFFICIENT_BUFFER);
    assert_string_equal(buf, "abcde");
    assert_int_equal(StringCchCopyA(buf, 0, "x"), STRSAFE_E_INVALID_PARAMETER);
    assert_int_equal(StringCchLengthA("abc", 10, &len), S_OK);
    assert_int_equal(len, 3);
    /* Longer than the maximum: an error, and the length 0. */
    len = 99;
    assert_int_equal(StringCchLengthA("abc", 3, &len), STRSAFE_E_INVALID_PARAMETER);
    assert_int_equal(len, 0);
}

/* Text for a system code, as callers fetch it; "" when there is none. */
static DWORD system_message(DWORD code, LPSTR *text)
{
    *text = NULL;
    return FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_ALLOCATE_BUFFER,
                          NULL, code, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPSTR)text, 0, NULL);
}

/* Each code has readable text ending in "\r\n", released with LocalFree. */
static void assert_messages(const DWORD *codes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        LPSTR text = NULL;
        DWORD n = system_message(codes[i], &text);
        if (n == 0)
            fail_msg("no message for code %lu (error %lu)", (unsigned long)codes[i], (unsigned long)GetLastError());
        assert_non_null(text);
        assert_int_equal(strlen(text), n);
        assert_true(n > 3);
        assert_true(text[n - 2] == '\r' && text[n - 1] == '\n');
        assert_true(text[0] != ' ' && text[0] != '\r');
        assert_null(LocalFree(text));
    }
}

/* The Win32 codes a server reports. (Wine's table lacks WAIT_TIMEOUT.) */
static void test_format_message_win32_codes(void **state)
{
    (void)state;
    static const DWORD codes[] = {
        ERROR_SUCCESS, ERROR_INVALID_FUNCTION, ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED,
        ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY, ERROR_OUTOFMEMORY, ERROR_NOT_SUPPORTED,
        ERROR_NETNAME_DELETED, ERROR_INVALID_PARAMETER, ERROR_SEM_TIMEOUT, ERROR_INSUFFICIENT_BUFFER,
        ERROR_MOD_NOT_FOUND, ERROR_ALREADY_EXISTS, ERROR_MORE_DATA, WAIT_TIMEOUT, ERROR_INVALID_ADDRESS,
        ERROR_OPERATION_ABORTED, ERROR_IO_INCOMPLETE, ERROR_IO_PENDING, ERROR_NOT_FOUND,
        ERROR_CONNECTION_REFUSED, ERROR_GRACEFUL_DISCONNECT, ERROR_CONNECTION_INVALID,
        ERROR_NETWORK_UNREACHABLE, ERROR_HOST_UNREACHABLE, ERROR_PORT_UNREACHABLE, ERROR_CONNECTION_ABORTED,
    };
    assert_messages(codes, sizeof codes / sizeof codes[0]);
}

/* The Winsock codes. (Wine's table has only a few of them.) */
static void test_format_message_winsock_codes(void **state)
{
    (void)state;
    static const DWORD codes[] = {
        WSAEINTR, WSAEBADF, WSAEACCES, WSAEFAULT, WSAEINVAL, WSAEMFILE, WSAEWOULDBLOCK, WSAEINPROGRESS,
        WSAEALREADY, WSAENOTSOCK, WSAEDESTADDRREQ, WSAEMSGSIZE, WSAEPROTOTYPE, WSAENOPROTOOPT,
        WSAEPROTONOSUPPORT, WSAESOCKTNOSUPPORT, WSAEOPNOTSUPP, WSAEPFNOSUPPORT, WSAEAFNOSUPPORT,
        WSAEADDRINUSE, WSAEADDRNOTAVAIL, WSAENETDOWN, WSAENETUNREACH, WSAENETRESET, WSAECONNABORTED,
        WSAECONNRESET, WSAENOBUFS, WSAEISCONN, WSAENOTCONN, WSAESHUTDOWN, WSAETOOMANYREFS, WSAETIMEDOUT,
        WSAECONNREFUSED, WSAELOOP, WSAENAMETOOLONG, WSAEHOSTDOWN, WSAEHOSTUNREACH, WSASYSNOTREADY,
        WSAVERNOTSUPPORTED, WSANOTINITIALISED, WSAEDISCON, WSAHOST_NOT_FOUND, WSATRY_AGAIN,
        WSANO_RECOVERY, WSANO_DATA,
    };
    assert_messages(codes, sizeof codes / sizeof codes[0]);
}

static void test_format_message_unknown_code(void **state)
{
    (void)state;
    static const DWORD unknown[] = { 0x12345, WSABASEERR, 0x7FFFFFFF };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        LPSTR text = NULL;
        SetLastError(0xdeadbeef);
        assert_int_equal(system_message(unknown[i], &text), 0);
        assert_int_equal(GetLastError(), ERROR_MR_MID_NOT_FOUND);
        assert_null(text);
    }
}

static void test_format_message_caller_buffer(void **state)
{
    (void)state;
    char buf[256];
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                             WSAECONNREFUSED, 0, buf, sizeof buf, NULL);
    assert_true(n > 2);
    assert_int_equal(strlen(buf), n);
    assert_memory_equal(buf + n - 2, "\r\n", 2);
    /* Too small a buffer: nothing, and ERROR_INSUFFICIENT_BUFFER. */
    SetLastError(0xdeadbeef);
    assert_int_equal(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                                    WSAECONNREFUSED, 0, buf, 5, NULL), 0);
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    /* The maximum-width mask turns the text's line break into a space. */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_MAX_WIDTH_MASK,
                       NULL, ERROR_INVALID_HANDLE, 0, buf, sizeof buf, NULL);
    assert_true(n > 1);
    assert_null(strchr(buf, '\r'));
    assert_null(strchr(buf, '\n'));
    assert_int_equal(buf[n - 1], ' ');
}

static void test_format_message_from_string(void **state)
{
    (void)state;
    char buf[128];
    DWORD_PTR args[] = { (DWORD_PTR)"hi", 42 };
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                             "<%1> <%2!d!> <%1!4s!>%n%%", 0, 0, buf, sizeof buf, (va_list *)args);
    assert_string_equal(buf, "<hi> <42> <  hi>\r\n%");
    assert_int_equal(n, strlen(buf));
    /* %0 ends the message without a line break. */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING, "abc%0def", 0, 0, buf, sizeof buf, NULL);
    assert_int_equal(n, 3);
    assert_string_equal(buf, "abc");
    /* An insert with nothing to insert. */
    SetLastError(0xdeadbeef);
    assert_int_equal(FormatMessageA(FORMAT_MESSAGE_FROM_STRING, "x %1 y", 0, 0, buf, sizeof buf, NULL), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    /* Ignored inserts pass through. */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_IGNORE_INSERTS, "x %1 y", 0, 0, buf, sizeof buf, NULL);
    assert_string_equal(buf, "x %1 y");
    assert_int_equal(n, 6);
    /* No source at all. */
    SetLastError(0xdeadbeef);
    assert_int_equal(FormatMessageA(FORMAT_MESSAGE_IGNORE_INSERTS, NULL, 6, 0, buf, sizeof buf, NULL), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* lstrlen: NULL counts as empty. */
static void test_lstrlen(void **state)
{
    (void)state;
    assert_int_equal(lstrlenA("hello"), 5);
    assert_int_equal(lstrlen(TEXT("")), 0);
    assert_int_equal(lstrlenA(NULL), 0);
}

static void test_lstrcpy_lstrcat(void **state)
{
    (void)state;
    char buf[16];
    assert_ptr_equal(lstrcpyA(buf, "abc"), buf);
    assert_string_equal(buf, "abc");
    assert_ptr_equal(lstrcat(buf, "def"), buf);
    assert_string_equal(buf, "abcdef");
    assert_ptr_equal(lstrcpy(buf, ""), buf);
    assert_string_equal(buf, "");

    /* A NULL argument is the fault Windows catches: NULL and
     * ERROR_INVALID_PARAMETER. */
    SetLastError(0);
    assert_null(lstrcpyA(NULL, "x"));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    assert_null(lstrcpyA(buf, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    assert_null(lstrcatA(NULL, "x"));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    assert_null(lstrcatA(buf, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* lstrcpyn copies n - 1 characters at most and always terminates. */
static void test_lstrcpyn(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'X', sizeof buf);
    assert_ptr_equal(lstrcpynA(buf, "abcdef", 4), buf);
    assert_memory_equal(buf, "abc\0XXXX", 8);
    memset(buf, 'X', sizeof buf);
    assert_ptr_equal(lstrcpyn(buf, "ab", 8), buf);
    assert_memory_equal(buf, "ab\0XXXXX", 8);
    memset(buf, 'X', sizeof buf);
    assert_ptr_equal(lstrcpynA(buf, "abc", 1), buf);
    assert_memory_equal(buf, "\0XXXXXXX", 8);
    /* n = 0: nothing is written, not even the terminator. */
    memset(buf, 'X', sizeof buf);
    assert_ptr_equal(lstrcpynA(buf, "abc", 0), buf);
    assert_memory_equal(buf, "XXXXXXXX", 8);
    /* A negative n is a huge unsigned one: the whole string. */
    assert_ptr_equal(lstrcpynA(buf, "abcd", -1), buf);
    assert_string_equal(buf, "abcd");
    SetLastError(0);
    assert_null(lstrcpynA(NULL, "abc", 4));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    assert_null(lstrcpynA(buf, NULL, 4));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* lstrcmp returns -1, 0 or 1 in the locale's order, not strcmp's: letters
 * alphabetically whatever their case, lowercase first among equals. */
static void test_lstrcmp(void **state)
{
    (void)state;
    assert_int_equal(lstrcmpA("abc", "abc"), 0);
    assert_int_equal(lstrcmp("abc", "abd"), -1);
    assert_int_equal(lstrcmp("abd", "abc"), 1);
    assert_int_equal(lstrcmpA("ab", "abc"), -1);
    assert_int_equal(lstrcmpA("", "a"), -1);
    assert_int_equal(lstrcmpA("a", "B"), -1);    /* strcmp says 'B' < 'a' */
    assert_int_equal(lstrcmpA("B", "a"), 1);
    assert_int_equal(lstrcmpA("a", "A"), -1);    /* lowercase first */
    assert_int_equal(lstrcmpA("A", "a"), 1);
    assert_int_equal(lstrcmpA("Ab", "aB"), 1);   /* the first case difference decides */
    assert_int_equal(lstrcmpA("ab", "Aa"), 1);   /* letters before case */
    assert_int_equal(lstrcmpA("9", "a"), -1);    /* digits before letters */
    assert_int_equal(lstrcmpA("_", "0"), -1);    /* symbols before digits */
    assert_int_equal(lstrcmpA("{", "a"), -1);    /* strcmp says '{' > 'a' */
    assert_int_equal(lstrcmpA(NULL, NULL), 0);
    assert_int_equal(lstrcmpA(NULL, ""), -1);
    assert_int_equal(lstrcmpA("", NULL), 1);
}

static void test_lstrcmpi(void **state)
{
    (void)state;
    assert_int_equal(lstrcmpiA("Hello", "hELLO"), 0);
    assert_int_equal(lstrcmpi("abc", "ABD"), -1);
    assert_int_equal(lstrcmpi("ABD", "abc"), 1);
    assert_int_equal(lstrcmpiA("a", "A"), 0);
    assert_int_equal(lstrcmpiA("ab", "AB c"), -1);
    assert_int_equal(lstrcmpiA("[", "a"), -1);   /* _stricmp says '[' < 'a' too, */
    assert_int_equal(lstrcmpiA("{", "A"), -1);   /* but '{' > 'a' */
    assert_int_equal(lstrcmpiA("Z", "0"), 1);
    assert_int_equal(lstrcmpiA(NULL, NULL), 0);
    assert_int_equal(lstrcmpiA(NULL, "a"), -1);
    assert_int_equal(lstrcmpiA("a", NULL), 1);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tchar_names),
        cmocka_unit_test(test_sprintf_s_returns_length),
        cmocka_unit_test(test_snprintf_msvc_semantics),
        cmocka_unit_test(test_snprintf_s_truncate),
        cmocka_unit_test(test_strcpy_strcat_s),
        cmocka_unit_test(test_strncpy_s),
        cmocka_unit_test(test_memcpy_memmove_s),
        cmocka_unit_test(test_itoa_s),
        cmocka_unit_test(test_case_insensitive_compare),
        cmocka_unit_test(test_msvc_keywords),
        cmocka_unit_test(test_strsafe_printf),
        cmocka_unit_test(test_strsafe_copy_cat_length),
        cmocka_unit_test(test_format_message_win32_codes),
        cmocka_unit_test(test_format_message_winsock_codes),
        cmocka_unit_test(test_format_message_unknown_code),
        cmocka_unit_test(test_format_message_caller_buffer),
        cmocka_unit_test(test_format_message_from_string),
        cmocka_unit_test(test_lstrlen),
        cmocka_unit_test(test_lstrcpy_lstrcat),
        cmocka_unit_test(test_lstrcpyn),
        cmocka_unit_test(test_lstrcmp),
        cmocka_unit_test(test_lstrcmpi),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
