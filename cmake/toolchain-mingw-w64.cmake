# The Windows build from Linux with mingw-w64 (Debian: gcc-mingw-w64-x86-64,
# g++-mingw-w64-x86-64), its tests run under Wine (Debian: wine, wine64):
#
#   cmake -S . -B build/mingw -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-w64.cmake
#
# The -posix compilers: the default -win32 thread model has no std::thread.
# Programs are linked statically against the compilers' runtimes, so that
# they run with nothing beside them but iocpcompat.dll.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(IOCPCOMPAT_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${IOCPCOMPAT_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${IOCPCOMPAT_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${IOCPCOMPAT_MINGW_TRIPLE}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${IOCPCOMPAT_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")

# ctest runs the .exe files through Wine.
find_program(IOCPCOMPAT_WINE NAMES wine64 wine PATHS /usr/lib/wine NO_CMAKE_FIND_ROOT_PATH)
if(IOCPCOMPAT_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${IOCPCOMPAT_WINE})
endif()
