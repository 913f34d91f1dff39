/*
 * The WCHAR side of text, as Windows gives it: MultiByteToWideChar and
 * WideCharToMultiByte with UTF-8, the W string functions, FormatMessageW and
 * the wide printf family with MSVC's meaning of %s (a WCHAR string in a wide
 * format, %hs and %S a char one).
 *
 * The texts are in the Basic Multilingual Plane, where one character is one
 * WCHAR both on Windows (UTF-16) and here (WCHAR is wchar_t, UTF-32); the
 * one case beyond it says what each side counts.
 */
/* GetHostNameW is Windows 8's. */
#define _WIN32_WINNT 0x0602
#include "conformance.h"

/* lstrcpyW and _snwprintf are under test here: the SDK's strsafe.h would
 * rename them into errors. */
#define STRSAFE_NO_DEPRECATE
#include <strsafe.h>
#include <ws2tcpip.h>
#include <wchar.h>

/* "é€" in UTF-8: two characters, five bytes. */
static const char utf8_text[] = "\xC3\xA9\xE2\x82\xAC";

static void test_multibyte_to_wide_counts(void **state)
{
    (void)state;
    WCHAR w[16];
    /* -1 counts the terminator. */
    assert_int_equal(MultiByteToWideChar(CP_UTF8, 0, utf8_text, -1, w, 16), 3);
    assert_true(w[0] == 0xE9 && w[1] == 0x20AC && w[2] == 0);
    /* A length counts only what it covers: no terminator is written. */
    w[2] = L'#';
    assert_int_equal(MultiByteToWideChar(CP_UTF8, 0, utf8_text, 5, w, 16), 2);
    assert_true(w[2] == L'#');
    /* cchWideChar 0 asks for the size. */
    assert_int_equal(MultiByteToWideChar(CP_UTF8, 0, utf8_text, -1, NULL, 0), 3);
    /* The system code page reads the same text here. */
    assert_int_equal(MultiByteToWideChar(CP_ACP, MB_PRECOMPOSED, "abc", -1, w, 16), 4);
    assert_true(wcscmp(w, L"abc") == 0);
}

static void test_multibyte_to_wide_errors(void **state)
{
    (void)state;
    WCHAR w[16];
    SetLastError(0xdeadbeef);
    assert_int_equal(MultiByteToWideChar(CP_UTF8, 0, utf8_text, -1, w, 2), 0);
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    SetLastError(0xdeadbeef);
    assert_int_equal(MultiByteToWideChar(CP_UTF8, 0, NULL, -1, w, 16), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    assert_int_equal(MultiByteToWideChar(CP_UTF8, 0, "a", 0, w, 16), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    /* UTF-8 takes no flag but MB_ERR_INVALID_CHARS. */
    SetLastError(0xdeadbeef);
    assert_int_equal(MultiByteToWideChar(CP_UTF8, MB_PRECOMPOSED, "a", -1, w, 16), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_FLAGS);
    /* A byte that is not UTF-8: an error when asked for, else U+FFFD. */
    SetLastError(0xdeadbeef);
    assert_int_equal(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "a\xFF" "b", -1, w, 16), 0);
    assert_int_equal(GetLastError(), ERROR_NO_UNICODE_TRANSLATION);
    assert_int_equal(MultiByteToWideChar(CP_UTF8, 0, "a\xFF" "b", -1, w, 16), 4);
    assert_true(w[0] == L'a' && w[1] == 0xFFFD && w[2] == L'b');
}

/* Beyond the BMP Windows counts the UTF-16 pair, here one wchar_t. */
static void test_multibyte_to_wide_beyond_bmp(void **state)
{
    (void)state;
    WCHAR w[8];
    int n = MultiByteToWideChar(CP_UTF8, 0, "\xF0\x9F\x98\x80", 4, w, 8);
    if (sizeof(WCHAR) == 2) {
        assert_int_equal(n, 2);
        assert_true(w[0] == 0xD83D && w[1] == 0xDE00);
    } else {
        assert_int_equal(n, 1);
        assert_true((unsigned long)w[0] == 0x1F600ul);
    }
    char back[8];
    assert_int_equal(WideCharToMultiByte(CP_UTF8, 0, w, n, back, 8, NULL, NULL), 4);
    assert_memory_equal(back, "\xF0\x9F\x98\x80", 4);
}

static void test_wide_to_multibyte(void **state)
{
    (void)state;
    const WCHAR w[] = {0xE9, 0x20AC, 0};
    char s[16];
    assert_int_equal(WideCharToMultiByte(CP_UTF8, 0, w, -1, s, 16, NULL, NULL), 6);
    assert_string_equal(s, utf8_text);
    assert_int_equal(WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL), 6);
    SetLastError(0xdeadbeef);
    assert_int_equal(WideCharToMultiByte(CP_UTF8, 0, w, -1, s, 5, NULL, NULL), 0);
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    /* UTF-8 has no default character to ask for. */
    BOOL used = FALSE;
    SetLastError(0xdeadbeef);
    assert_int_equal(WideCharToMultiByte(CP_UTF8, 0, w, -1, s, 16, "?", &used), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    assert_int_equal(WideCharToMultiByte(CP_UTF8, 0, NULL, -1, s, 16, NULL, NULL), 0);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* In a wide format %s and %c are WCHAR, %hs/%S and %hc/%C char. */
static void test_wide_format_msvc_meaning(void **state)
{
    (void)state;
    wchar_t buf[64];
    int n = swprintf_s(buf, 64, L"%s|%hs|%S|%c|%hc|%C|%ls", L"w", "n", "m", L'x', 'y', 'z', L"l");
    assert_int_equal(n, 13);
    assert_true(wcscmp(buf, L"w|n|m|x|y|z|l") == 0);
    n = swprintf_s(buf, 64, L"%I64d %I64x %d%%", (long long)1 << 40, (unsigned long long)255, 7);
    assert_true(wcscmp(buf, L"1099511627776 ff 7%") == 0);
    assert_int_equal(n, (int)wcslen(buf));
    assert_int_equal(_scwprintf(L"%s-%d", L"abc", 12), 6);
}

/* _snwprintf: no terminator when the text fills count exactly, -1 when cut. */
static void test_snwprintf_msvc_semantics(void **state)
{
    (void)state;
    wchar_t buf[8];
    wmemset(buf, L'#', 8);
    assert_int_equal(_snwprintf(buf, 3, L"%s", L"abcdef"), -1);
    assert_true(buf[0] == L'a' && buf[2] == L'c' && buf[3] == L'#');
    wmemset(buf, L'#', 8);
    assert_int_equal(_snwprintf(buf, 3, L"abc"), 3);
    assert_true(buf[2] == L'c' && buf[3] == L'#');
    assert_int_equal(_snwprintf(buf, 8, L"ab"), 2);
    assert_true(wcscmp(buf, L"ab") == 0);
    assert_int_equal(_snwprintf_s(buf, 8, _TRUNCATE, L"%s", L"abcdefghij"), -1);
    assert_true(wcscmp(buf, L"abcdefg") == 0);
}

static void test_lstr_wide(void **state)
{
    (void)state;
    WCHAR buf[8];
    assert_int_equal(lstrlenW(NULL), 0);
    assert_int_equal(lstrlenW(L"abc"), 3);
    assert_true(lstrcpyW(buf, L"ab") == buf && lstrcatW(buf, L"cd") == buf);
    assert_true(wcscmp(buf, L"abcd") == 0);
    assert_true(lstrcpynW(buf, L"xyz", 3) == buf);
    assert_true(wcscmp(buf, L"xy") == 0);
    /* The user locale's order: letters whatever their case, lowercase first
     * among equals. */
    assert_true(lstrcmpW(L"apple", L"Banana") < 0);
    assert_true(lstrcmpW(L"a", L"A") < 0);
    assert_int_equal(lstrcmpiW(L"HeLLo", L"hello"), 0);
    assert_true(lstrcmpW(NULL, L"") < 0);
    SetLastError(0xdeadbeef);
    assert_null(lstrcpyW(NULL, L"a"));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
}

static void test_strsafe_wide(void **state)
{
    (void)state;
    WCHAR buf[4];
    assert_int_equal(StringCchCopyW(buf, 4, L"abcdef"), STRSAFE_E_INSUFFICIENT_BUFFER);
    assert_true(wcscmp(buf, L"abc") == 0);
    assert_int_equal(StringCbCopyW(buf, sizeof buf, L"ab"), S_OK);
    assert_int_equal(StringCchCatW(buf, 4, L"c"), S_OK);
    assert_true(wcscmp(buf, L"abc") == 0);
    assert_int_equal(StringCchPrintfW(buf, 4, L"%s%d", L"x", 12345), STRSAFE_E_INSUFFICIENT_BUFFER);
    assert_true(wcscmp(buf, L"x12") == 0);
    size_t len = 0;
    assert_int_equal(StringCbLengthW(L"ab", 64, &len), S_OK);
    assert_int_equal(len, 2 * sizeof(WCHAR));
    assert_int_equal(StringCchCopyW(buf, 0, L"a"), STRSAFE_E_INVALID_PARAMETER);
}

static void test_format_message_wide(void **state)
{
    (void)state;
    WCHAR buf[64];
    DWORD_PTR args[] = { (DWORD_PTR)L"hi", 42, (DWORD_PTR)"na" };
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                             L"<%1> <%2!d!> <%3!hs!> <%1!4s!>", 0, 0, buf, 64, (va_list *)args);
    assert_true(wcscmp(buf, L"<hi> <42> <na> <  hi>") == 0);
    assert_int_equal(n, wcslen(buf));
    WCHAR *text = NULL;
    n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_ALLOCATE_BUFFER,
                       NULL, ERROR_INVALID_PARAMETER, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPWSTR)&text, 0,
                       NULL);
    assert_non_null(text);
    assert_int_equal(n, wcslen(text));
    /* The same text as FormatMessageA's, ending in a line break. */
    char narrow[256];
    DWORD narrow_n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                                    ERROR_INVALID_PARAMETER, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), narrow,
                                    sizeof narrow, NULL);
    assert_true(narrow_n > 2 && narrow_n == n);
    for (DWORD i = 0; i < n; i++)
        assert_true(text[i] == (WCHAR)(unsigned char)narrow[i]);
    assert_true(text[n - 2] == L'\r' && text[n - 1] == L'\n');
    LocalFree(text);
    /* nSize counts WCHARs. */
    SetLastError(0xdeadbeef);
    assert_int_equal(FormatMessageW(FORMAT_MESSAGE_FROM_STRING, L"abcdef", 0, 0, buf, 3, NULL), 0);
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
}

static void test_wide_crt_strings(void **state)
{
    (void)state;
    wchar_t buf[8];
    assert_int_equal(wcscpy_s(buf, 8, L"ab"), 0);
    assert_int_equal(wcscat_s(buf, 8, L"cd"), 0);
    assert_true(wcscmp(buf, L"abcd") == 0);
    assert_int_equal(wcsncpy_s(buf, 8, L"wxyz", _TRUNCATE), 0);
    assert_int_equal(wcsncpy_s(buf, 4, L"wxyz", _TRUNCATE), STRUNCATE);
    assert_true(wcscmp(buf, L"wxy") == 0);
    assert_int_equal(_itow_s(-255, buf, 8, 10), 0);
    assert_true(wcscmp(buf, L"-255") == 0);
    assert_int_equal(_itow_s(255, buf, 8, 16), 0);
    assert_true(wcscmp(buf, L"ff") == 0);
    assert_int_equal(_wcsicmp(L"ABC", L"abc"), 0);
    assert_true(_wcsicmp(L"abc", L"ABD") < 0);
    assert_int_equal(_wcsnicmp(L"ABCx", L"abcy", 3), 0);
    assert_int_equal(_wtoi(L"  -42x"), -42);
    assert_true(_wtoi64(L"8589934592") == 8589934592LL);
    wchar_t *copy = _wcsdup(L"one two");
    assert_non_null(copy);
    assert_true(wcscmp(copy, L"one two") == 0);
    free(copy);
}

/* _wgetenv's answer stays put while the variable does not change. */
static void test_wgetenv(void **state)
{
    (void)state;
    const wchar_t *a = _wgetenv(L"PATH");
    assert_non_null(a);
    assert_true(a == _wgetenv(L"PATH"));
    assert_null(_wgetenv(L"IOCPCOMPAT_SURELY_UNSET_VARIABLE"));
}

/* CreateFileW and DeleteFileW: the name in WCHARs, the file the same. */
static void test_create_file_wide(void **state)
{
    (void)state;
    /* One name per process: the engines' runs of this case may overlap. */
    WCHAR name[64];
    swprintf_s(name, 64, L"iocpcompat-wide-\u00e9-%lu.tmp", (unsigned long)GetCurrentProcessId());
    DeleteFileW(name);
    HANDLE h = CreateFileW(name, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    DWORD written = 0;
    assert_true(WriteFile(h, "abc", 3, &written, NULL));
    assert_int_equal(written, 3);
    assert_true(CloseHandle(h));
    SetLastError(0xdeadbeef);
    assert_true(CreateFileW(name, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL) ==
                INVALID_HANDLE_VALUE);
    assert_int_equal(GetLastError(), ERROR_FILE_EXISTS);
    h = CreateFileW(name, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    LARGE_INTEGER size;
    assert_true(GetFileSizeEx(h, &size));
    assert_true(size.QuadPart == 3);
    assert_true(CloseHandle(h));
    assert_true(DeleteFileW(name));
    SetLastError(0xdeadbeef);
    assert_false(DeleteFileW(name));
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
}

/* The wide lookups answer as the ANSI ones, names in WCHARs. */
static void test_wide_lookups(void **state)
{
    (void)state;
    ADDRINFOW hints, *result = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    assert_int_equal(GetAddrInfoW(L"127.0.0.1", L"8080", &hints, &result), 0);
    assert_non_null(result);
    assert_int_equal(result->ai_family, AF_INET);
    assert_int_equal(result->ai_addrlen, sizeof(SOCKADDR_IN));
    SOCKADDR_IN *sin = (SOCKADDR_IN *)result->ai_addr;
    assert_int_equal(ntohs(sin->sin_port), 8080);
    assert_true(sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK));

    WCHAR host[NI_MAXHOST], serv[NI_MAXSERV];
    assert_int_equal(GetNameInfoW(result->ai_addr, (socklen_t)result->ai_addrlen, host, NI_MAXHOST, serv,
                                  NI_MAXSERV, NI_NUMERICHOST | NI_NUMERICSERV), 0);
    assert_true(wcscmp(host, L"127.0.0.1") == 0 && wcscmp(serv, L"8080") == 0);

    WCHAR text[64];
    DWORD len = 64;
    assert_int_equal(WSAAddressToStringW(result->ai_addr, (DWORD)result->ai_addrlen, NULL, text, &len), 0);
    assert_true(wcscmp(text, L"127.0.0.1:8080") == 0);
    assert_int_equal(len, wcslen(text) + 1);
    /* Too small: the length needed, WSAEFAULT. */
    len = 4;
    assert_int_equal(WSAAddressToStringW(result->ai_addr, (DWORD)result->ai_addrlen, NULL, text, &len),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(len, wcslen(L"127.0.0.1:8080") + 1);
    FreeAddrInfoW(result);

    SOCKADDR_IN back;
    INT back_len = (INT)sizeof back;
    WCHAR in_text[] = L"10.1.2.3:99";
    assert_int_equal(WSAStringToAddressW(in_text, AF_INET, NULL, (LPSOCKADDR)&back, &back_len), 0);
    assert_int_equal(ntohs(back.sin_port), 99);
    assert_true(back.sin_addr.s_addr == htonl(0x0a010203));

    IN_ADDR a;
    assert_int_equal(InetPtonW(AF_INET, L"192.168.0.1", &a), 1);
    assert_true(a.s_addr == htonl(0xc0a80001));
    assert_int_equal(InetPtonW(AF_INET, L"not an address", &a), 0);

    /* A name that cannot be: the same code as GetAddrInfoA's. */
    result = NULL;
    hints.ai_flags = AI_NUMERICHOST;
    int rc = GetAddrInfoW(L"no such host", NULL, &hints, &result);
    assert_int_equal(rc, WSAHOST_NOT_FOUND);
    assert_null(result);
    WCHAR me[256];
    assert_int_equal(GetHostNameW(me, 256), 0);
    assert_true(wcslen(me) > 0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multibyte_to_wide_counts),
        cmocka_unit_test(test_multibyte_to_wide_errors),
        cmocka_unit_test(test_multibyte_to_wide_beyond_bmp),
        cmocka_unit_test(test_wide_to_multibyte),
        cmocka_unit_test(test_wide_format_msvc_meaning),
        cmocka_unit_test(test_snwprintf_msvc_semantics),
        cmocka_unit_test(test_lstr_wide),
        cmocka_unit_test(test_strsafe_wide),
        cmocka_unit_test(test_format_message_wide),
        cmocka_unit_test(test_wide_crt_strings),
        cmocka_unit_test(test_wgetenv),
        cmocka_unit_test(test_create_file_wide),
        cmocka_unit_test(test_wide_lookups),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
