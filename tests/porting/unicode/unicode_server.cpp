// A UNICODE build (UNICODE and _UNICODE defined, as Visual Studio projects
// are by default) written the way the UNICODE servers of the corpus are:
// L"" literals for WCHAR parameters, std::wstring, wcscmp, wprintf with %s,
// TCHAR code around _tmain, and the generic names resolving to the W forms.
#include <winsock2.h>
#include <windows.h>
#include <tchar.h>
#include <strsafe.h>   // after tchar.h, as the SDK's strsafe.h demands

#include <iostream>   // after windows.h: <cwchar> must not undo its wprintf
#include <string>

static int failures;

static void check(bool ok, const char *what)
{
    if (!ok) {
        failures++;
        std::printf("unicode: FAILED: %s\n", what);
    }
}

class Session {
public:
    void Disconnect(const WCHAR *cause) { last_cause_ = cause; }
    const std::wstring &LastCause() const { return last_cause_; }

private:
    std::wstring last_cause_;
};

int _tmain(int argc, TCHAR *argv[])
{
    check(argc == 2 && _tcscmp(argv[1], _T("\u00e9t\u00e9")) == 0, "argv is wide");

    Session session;
    session.Disconnect(L"Recv 0");
    check(wcscmp(session.LastCause().c_str(), L"Recv 0") == 0, "L\"\" for const WCHAR *");

    std::wstring message = L"Server Time : ";
    message += L"12";
    TCHAR buffer[64];
    check(_stprintf_s(buffer, _T("%s|%d"), message.c_str(), 7) == 18, "_stprintf_s counts WCHARs");
    check(_tcscmp(buffer, _T("Server Time : 12|7")) == 0, "%s is a wide string in a wide format");
    check(StringCchPrintf(buffer, _countof(buffer), TEXT("%s-%hs"), TEXT("w"), "n") == S_OK &&
              lstrcmp(buffer, TEXT("w-n")) == 0,
          "StringCchPrintf and lstrcmp are the W forms");
    check(lstrlen(TEXT("abc")) == 3, "lstrlen");

    WCHAR wide[16];
    int n = MultiByteToWideChar(CP_UTF8, 0, "\xC3\xA9", -1, wide, 16);
    check(n == 2 && wide[0] == 0xE9, "MultiByteToWideChar");

    HANDLE event = CreateEvent(NULL, TRUE, FALSE, _T("unicode-test"));
    check(event != NULL && SetEvent(event) && WaitForSingleObject(event, 0) == WAIT_OBJECT_0, "CreateEvent");
    CloseHandle(event);

    LPTSTR text = NULL;
    DWORD length = FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER |
                                     FORMAT_MESSAGE_IGNORE_INSERTS,
                                 NULL, ERROR_ACCESS_DENIED, 0, (LPTSTR)&text, 0, NULL);
    check(length > 0 && text != NULL && _tcslen(text) == length, "FormatMessage");
    LocalFree(text);
    OutputDebugString(_T("unicode: debug output\n"));

    // Written as the corpus writes it: wprintf and std::wprintf with %s.
    std::wprintf(L"unicode: %s ", L"wide");
    wprintf(L"%s\n", session.LastCause().c_str());
    std::fflush(stdout);
    _tprintf(_T("unicode: %d failures\n"), failures);
    return failures == 0 ? 0 : 1;
}
