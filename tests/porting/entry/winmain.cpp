// WinMain in C++: <windows.h> declares it with C linkage, as the SDK does.
#include <windows.h>

#include <cstdio>
#include <cstring>

int APIENTRY WinMain(HINSTANCE hInstance, HINSTANCE, LPSTR lpCmdLine, int nShowCmd)
{
    int failures = std::strcmp(lpCmdLine, "") != 0 || hInstance == nullptr || nShowCmd != 10;
    std::printf("WinMain (C++): %d failures\n", failures);
    return failures == 0 ? 12 : 1;
}
