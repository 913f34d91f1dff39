// SEH in C++ built with -fno-exceptions: __leave is refused at compile time
// there, the rest works.
#include <windows.h>

#include <cstdio>
#include <string>
#include <vector>

static int order[4];
static int count;

int main()
{
    std::vector<std::string> v(3, "x");
    __try {
        order[count++] = 1;
    }
    __except (EXCEPTION_EXECUTE_HANDLER) {
        order[count++] = 99;
    }
    __try {
        order[count++] = 2;
    }
    __finally {
        order[count++] = AbnormalTermination() ? 98 : 3;
    }
    int failures = count != 3 || order[0] != 1 || order[1] != 2 || order[2] != 3 || v.size() != 3;
    std::printf("seh (C++, no exceptions): %d failures\n", failures);
    return failures != 0;
}
