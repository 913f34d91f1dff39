/* The part of the Win32 API that the Windows SDK declares in <consoleapi.h>
 * and <wincon.h>: console control handlers (SIGINT arrives as CTRL_C_EVENT,
 * SIGTERM and SIGHUP as CTRL_CLOSE_EVENT) and console output, with the
 * standard handles of <processenv.h>. The console is the terminal on
 * descriptors 0, 1 and 2. */
#ifndef IOCPCOMPAT_CONSOLEAPI_H
#define IOCPCOMPAT_CONSOLEAPI_H

#include "windows.h"

#define CTRL_C_EVENT        0
#define CTRL_BREAK_EVENT    1
#define CTRL_CLOSE_EVENT    2
#define CTRL_LOGOFF_EVENT   5
#define CTRL_SHUTDOWN_EVENT 6

typedef BOOL (WINAPI *PHANDLER_ROUTINE)(DWORD CtrlType);

#define STD_INPUT_HANDLE  ((DWORD)-10)
#define STD_OUTPUT_HANDLE ((DWORD)-11)
#define STD_ERROR_HANDLE  ((DWORD)-12)

/* Console modes of input handles... */
#define ENABLE_PROCESSED_INPUT             0x0001
#define ENABLE_LINE_INPUT                  0x0002
#define ENABLE_ECHO_INPUT                  0x0004
#define ENABLE_WINDOW_INPUT                0x0008
#define ENABLE_MOUSE_INPUT                 0x0010
#define ENABLE_INSERT_MODE                 0x0020
#define ENABLE_QUICK_EDIT_MODE             0x0040
#define ENABLE_EXTENDED_FLAGS              0x0080
#define ENABLE_AUTO_POSITION               0x0100
#define ENABLE_VIRTUAL_TERMINAL_INPUT      0x0200
/* ...and of output handles. */
#define ENABLE_PROCESSED_OUTPUT            0x0001
#define ENABLE_WRAP_AT_EOL_OUTPUT          0x0002
#define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
#define DISABLE_NEWLINE_AUTO_RETURN        0x0008
#define ENABLE_LVB_GRID_WORLDWIDE          0x0010

/* SetConsoleTextAttribute's colours. */
#define FOREGROUND_BLUE      0x0001
#define FOREGROUND_GREEN     0x0002
#define FOREGROUND_RED       0x0004
#define FOREGROUND_INTENSITY 0x0008
#define BACKGROUND_BLUE      0x0010
#define BACKGROUND_GREEN     0x0020
#define BACKGROUND_RED       0x0040
#define BACKGROUND_INTENSITY 0x0080

IOCPCOMPAT_EXTERN_C_BEGIN

IOCPCOMPAT_API BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add);

/* The handle of descriptor 0, 1 or 2: the same handle on every call, NULL
 * when the descriptor is not open; another nStdHandle is
 * INVALID_HANDLE_VALUE with ERROR_INVALID_HANDLE. CloseHandle closes the
 * handle, not the descriptor. */
IOCPCOMPAT_API HANDLE WINAPI GetStdHandle(DWORD nStdHandle);
/* As on Windows, console calls fail with ERROR_INVALID_HANDLE on a handle
 * that is not a console: a standard handle redirected to a pipe or a file
 * (where WriteFile works). */
IOCPCOMPAT_API BOOL WINAPI WriteConsoleA(HANDLE hConsoleOutput, CONST VOID *lpBuffer,
                                         DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten,
                                         LPVOID lpReserved);
IOCPCOMPAT_API BOOL WINAPI WriteConsoleW(HANDLE hConsoleOutput, CONST VOID *lpBuffer,
                                         DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten,
                                         LPVOID lpReserved);
/* The colour of what is written next, as the terminal's escape sequence. */
IOCPCOMPAT_API BOOL WINAPI SetConsoleTextAttribute(HANDLE hConsoleOutput, WORD wAttributes);
/* A console handle's mode: FALSE with ERROR_INVALID_HANDLE when the handle
 * is redirected, which is how programs tell. SetConsoleMode keeps a valid
 * mode (ERROR_INVALID_PARAMETER for unknown flags) and GetConsoleMode
 * reports it; the terminal's echo and line editing are left as they are. */
IOCPCOMPAT_API BOOL WINAPI GetConsoleMode(HANDLE hConsoleHandle, LPDWORD lpMode);
IOCPCOMPAT_API BOOL WINAPI SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode);
/* Leaves the terminal's title alone and succeeds. */
IOCPCOMPAT_API BOOL WINAPI SetConsoleTitleA(LPCSTR lpConsoleTitle);
IOCPCOMPAT_API BOOL WINAPI SetConsoleTitleW(LPCWSTR lpConsoleTitle);
/* NULL: there is no console window. */
IOCPCOMPAT_API HWND WINAPI GetConsoleWindow(void);

IOCPCOMPAT_EXTERN_C_END

#ifdef UNICODE
#define WriteConsole    WriteConsoleW
#define SetConsoleTitle SetConsoleTitleW
#else
#define WriteConsole    WriteConsoleA
#define SetConsoleTitle SetConsoleTitleA
#endif

#endif
