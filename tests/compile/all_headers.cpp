/* Header compile matrix, C++17: the names of every_name.inc, and C++ code
 * that Windows headers must not break (std::bind, std::min/std::max,
 * members called accept, shutdown or bind, and one called gethostname,
 * which the header renames in its declaration and calls alike). */
#include <algorithm>

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

#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "every_name.inc"

namespace {

// A class whose members share names with socket calls, as servers have.
class Connection {
public:
    int accept(SOCKET s, struct sockaddr *addr, int *addrlen) { return s == 0 && !addr && !addrlen ? 1 : 2; }
    int accept() { return 3; }
    bool shutdown(int how) { return how == SD_BOTH; }
    bool bind(unsigned short port) { port_ = port; return true; }
    int getsockname(SOCKET s, struct sockaddr *name, int *namelen) const { return s == 0 && !name && !namelen; }
    int setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen) const
    { return s == 0 && level == 0 && optname == 0 && optval == nullptr && optlen == 0; }
    // Renamed by <winsock2.h> like the Winsock 1 lookup, declaration and call alike.
    int gethostname(char *name, int namelen) const { return name == nullptr && namelen == 0; }
    unsigned short port() const { return port_; }

private:
    unsigned short port_ = 0;
};

int check_cpp()
{
    int failures = 0;
    Connection c;
    failures += c.accept(0, nullptr, nullptr) != 1;
    failures += c.accept() != 3;
    failures += !c.shutdown(SD_BOTH);
    failures += !c.bind(80) || c.port() != 80;
    failures += c.getsockname(0, nullptr, nullptr) != 1;
    failures += c.setsockopt(0, 0, 0, nullptr, 0) != 1;
    failures += c.gethostname(nullptr, 0) != 1;

    // std::bind with placeholders, on members and on free functions.
    using namespace std::placeholders;
    auto bound_accept = std::bind(static_cast<int (Connection::*)()>(&Connection::accept), &c);
    failures += bound_accept() != 3;
    auto bound_bind = std::bind(&Connection::bind, &c, _1);
    failures += !bound_bind(8080) || c.port() != 8080;
    auto add = [](int a, int b) { return a + b; };
    failures += std::bind(add, _1, 2)(40) != 42;
    std::function<bool(int)> shut = std::bind(&Connection::shutdown, &c, _1);
    failures += !shut(SD_BOTH);

    // std::min / std::max, also with Windows types.
    DWORD a = 3, b = 7;
    failures += std::min(a, b) != 3 || std::max(a, b) != 7;
    failures += std::min<int>(1, 2) != 1 || std::max({1, 5, 3}) != 5;
    std::vector<int> v{4, 1, 9};
    failures += *std::min_element(v.begin(), v.end()) != 1 || *std::max_element(v.begin(), v.end()) != 9;

    // The global socket calls are still reachable, also as ::name.
    SOCKET s = INVALID_SOCKET;
    int len = 0;
    failures += ::getsockname(s, nullptr, &len) != SOCKET_ERROR;
    failures += ::accept(s, nullptr, nullptr) != INVALID_SOCKET;
    int (*bsd_bind)(int, const struct sockaddr *, socklen_t) = ::bind;
    int (*bsd_shutdown)(int, int) = ::shutdown;
    failures += bsd_bind == nullptr || bsd_shutdown == nullptr;
    std::unique_ptr<OVERLAPPED> ov(new OVERLAPPED());
    failures += ov->Internal != 0;
    return failures;
}

} // namespace

int main(int argc, char **argv)
{
    int failures = check_cpp();
    std::printf("all_headers (C++17 members, std::bind, std::min/max): %d failures\n", failures);
    return every_name_main(argc, argv, "all_headers (C++17)") | (failures != 0);
}
