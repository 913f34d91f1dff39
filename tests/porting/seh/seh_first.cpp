// SEH in C++ with iocpcompat_seh.h force-included before the standard
// headers, whose own __try/__catch must keep working.
#include <windows.h>

#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "seh.inc"

int main()
{
    int failures = check_seh();

    // libstdc++ code that uses __try/__catch, instantiated here.
    std::vector<std::string> names;
    for (int i = 0; i < 100; i++)
        names.push_back(std::string(40, static_cast<char>('a' + i % 26)));
    std::ostringstream out;
    out.exceptions(std::ios::badbit);
    out << names.size() << ' ' << names.back();
    failures += out.str() != "100 " + std::string(40, 'v');

    // A C++ exception reaches the __except block, as with MSVC.
    __try {
        mark(1);
        throw std::runtime_error("thrown in __try");
    }
    __except (EXCEPTION_EXECUTE_HANDLER) {
        mark(2);
    }
    static const int caught[] = {1, 2, -1};
    failures += ran("C++ exception in __try", caught);

    std::cout << "seh (C++, header first): " << failures << " failures\n";
    return failures != 0;
}
