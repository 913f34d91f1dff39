// SEH in C++ with iocpcompat_seh.h included after the standard headers.
#include <iostream>
#include <string>
#include <vector>

#include <windows.h>
#include <iocpcompat_seh.h>

#include "seh.inc"

int main()
{
    int failures = check_seh();
    std::vector<std::string> v{"a", "b"};
    v.insert(v.begin(), std::string("c"));
    failures += v.size() != 3 || v.front() != "c";
    std::cout << "seh (C++, header after): " << failures << " failures\n";
    return failures != 0;
}
