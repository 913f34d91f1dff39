// The same in C++, with the standard headers servers use.
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

int main()
{
#if defined(_WIN32) && defined(_WIN64)
    const char *branch = "_WIN32";
#elif !defined(_WIN32) && !defined(_WIN64)
    const char *branch = "Linux";
#else
    const char *branch = "mixed";
#endif
    std::mutex lock;
    std::atomic<int> done{0};
    std::thread worker([&] { std::lock_guard<std::mutex> hold(lock); done = 1; });
    worker.join();
    std::ostringstream out;
    out << "branch (C++): " << branch << ", worker " << done.load();
    std::cout << out.str() << "\n";
    return 0;
}
