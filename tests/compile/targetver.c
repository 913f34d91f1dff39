/* What Visual Studio's project templates put in targetver.h: a target
 * version stated before <SDKDDKVer.h>, which the rest follows. Built as C11
 * and, through targetver.cpp, as C++17. */
#define _WIN32_WINNT 0x0601
#include <SDKDDKVer.h>

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

IOCPCOMPAT_STATIC_ASSERT(_WIN32_WINNT == _WIN32_WINNT_WIN7, "the stated target stays");
IOCPCOMPAT_STATIC_ASSERT(NTDDI_VERSION == NTDDI_WIN7, "NTDDI_VERSION follows _WIN32_WINNT");
IOCPCOMPAT_STATIC_ASSERT(WINVER == 0x0601, "WINVER follows _WIN32_WINNT");
IOCPCOMPAT_STATIC_ASSERT(_WIN32_IE == _WIN32_IE_IE80, "_WIN32_IE follows _WIN32_WINNT");

#if _WIN32_WINNT >= _WIN32_WINNT_VISTA && NTDDI_VERSION >= NTDDI_VISTA && NTDDI_VERSION < NTDDI_WIN8
int main(void) { return OSVER(NTDDI_VERSION) != NTDDI_WIN7 || SPVER(NTDDI_WIN6SP2) != 2; }
#else
#error "version tests in #if do not see the stated target"
#endif
