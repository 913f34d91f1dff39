/* Header compile matrix, C11: every public header under every spelling
 * Windows code uses, and every name they declare (every_name.inc). */
#include <windows.h>
#include <Windows.h>
#include <winsock2.h>
#include <WinSock2.h>
#include <ws2tcpip.h>
#include <Ws2tcpip.h>
#include <WS2tcpip.h>
#include <mswsock.h>
#include <MSWSock.h>
#include <MSWsock.h>
#include <winerror.h>
#include <basetsd.h>
#include <BaseTsd.h>
#include <sdkddkver.h>
#include <SDKDDKVer.h>
#include <tchar.h>
#include <strsafe.h>
#include <interlockedapi.h>
#include <threadpoollegacyapiset.h>
#include <mmsystem.h>
#include <MMSystem.h>
#include <timeapi.h>
#include <errhandlingapi.h>
#include <iocpcompat_crt.h>
#include <iocpcompat.h>
#include <iocpcompat_seh.h>
#include <iocpcompat_msvc_std.h>

#include <stdio.h>
#include <string.h>

#include "every_name.inc"

int main(int argc, char **argv)
{
    return every_name_main(argc, argv, "all_headers (C11)");
}
