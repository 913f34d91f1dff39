// void main in C++, as Microsoft's iocpserver.cpp has it, with `return;`:
// built with iocpcompat_windows_sources(VOID_MAIN).
#include <windows.h>

#include <cstdio>
#include <cstring>

void __cdecl main(int argc, char *argv[])
{
    if (argc != 3 || std::strcmp(argv[1], "-e:6001") != 0) {
        std::printf("void main (C++): unexpected arguments\n");
        return;
    }
    std::printf("void main (C++): ran with %s %s\n", argv[1], argv[2]);
}
