#!/bin/bash
# usage: windows-packaging-test.sh --build-dir=DIR --work-dir=DIR --version=X.Y.Z
#        --toolchain=FILE --emulator=WINE --cc=CC [--cmake=CMAKE]
#
# The Windows build's packaging: installs the build tree into a temporary
# prefix, then builds a consumer against it with find_package(iocpcompat)
# (through the same toolchain file) and with pkg-config, and runs both
# under Wine. Run by ctest (tests/windows.cmake).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmake=cmake build_dir='' work_dir='' version='' toolchain='' emulator='' cc=''
for arg in "$@"; do
    case $arg in
        --cmake=*) cmake=${arg#*=} ;;
        --build-dir=*) build_dir=${arg#*=} ;;
        --work-dir=*) work_dir=${arg#*=} ;;
        --version=*) version=${arg#*=} ;;
        --toolchain=*) toolchain=${arg#*=} ;;
        --emulator=*) emulator=${arg#*=} ;;
        --cc=*) cc=${arg#*=} ;;
        *) echo "windows-packaging-test: unknown argument $arg" >&2; exit 2 ;;
    esac
done
for v in build_dir work_dir version toolchain emulator cc; do
    [ -n "${!v}" ] || { echo "windows-packaging-test: --${v/_/-} is required" >&2; exit 2; }
done

fail() { echo "windows-packaging-test: FAIL: $*" >&2; exit 1; }
step() { echo "windows-packaging-test: $*"; }

rm -rf "$work_dir"
mkdir -p "$work_dir"
prefix=$work_dir/prefix

step "installing $build_dir into $prefix"
"$cmake" --install "$build_dir" --prefix "$prefix" > "$work_dir/install.log" ||
    { cat "$work_dir/install.log"; fail "cmake --install"; }
for f in bin/iocpcompat.dll lib/libiocpcompat.dll.a include/iocpcompat/win/iocpcompat_win.h \
         include/iocpcompat/win/iocpcompat_rio.h include/iocpcompat/iocpcompat_rio.h \
         lib/cmake/iocpcompat/iocpcompatConfig.cmake lib/cmake/iocpcompat/iocpcompatConfigVersion.cmake \
         lib/cmake/iocpcompat/iocpcompatTargets.cmake lib/pkgconfig/iocpcompat.pc; do
    [ -f "$prefix/$f" ] || fail "$f not installed"
done
# Only the Windows build's headers: the Linux ones (windows.h, winsock2.h...)
# would hide the SDK's.
[ ! -e "$prefix/include/iocpcompat/windows.h" ] || fail "the Linux headers were installed too"
grep -q "^prefix=$prefix\$" "$prefix/lib/pkgconfig/iocpcompat.pc" || fail "iocpcompat.pc does not name the prefix"

# The consumer runs under Wine with the installed DLL on its PATH.
run() {
    WINEPATH="$(winepath_of "$prefix/bin")" "$emulator" "$@"
}
winepath_of() { echo "Z:${1//\//\\}"; }

step "find_package(iocpcompat ${version%.*}): configure, build, run"
"$cmake" -S "$here/consumer-windows" -B "$work_dir/cmake-consumer" \
    -DCMAKE_TOOLCHAIN_FILE="$toolchain" -Diocpcompat_DIR="$prefix/lib/cmake/iocpcompat" \
    -DCONSUMER_WANTS_VERSION="${version%.*}" > "$work_dir/cmake-consumer.log" 2>&1 ||
    { cat "$work_dir/cmake-consumer.log"; fail "configuring the consumer with find_package"; }
"$cmake" --build "$work_dir/cmake-consumer" >> "$work_dir/cmake-consumer.log" 2>&1 ||
    { cat "$work_dir/cmake-consumer.log"; fail "building the consumer with find_package"; }
exe=$work_dir/cmake-consumer/consumer.exe
[ -f "$exe" ] || exe=$(find "$work_dir/cmake-consumer" -name consumer.exe -print -quit)
run "$exe" iocp || fail "the find_package consumer failed in iocp mode"
run "$exe" bogus || fail "the find_package consumer's calls did not reach iocpcompat.dll"

step "pkg-config: build, run"
flags=$(PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" PKG_CONFIG_PATH='' pkg-config --cflags --libs iocpcompat) ||
    fail "pkg-config does not find iocpcompat"
# shellcheck disable=SC2086  # the flags are words
"$cc" -std=c11 -Wall -Wextra -Werror "$here/consumer-windows/consumer.c" $flags -static-libgcc \
    -o "$work_dir/consumer-pc.exe" || fail "building the consumer with pkg-config ($flags)"
run "$work_dir/consumer-pc.exe" iocp || fail "the pkg-config consumer failed in iocp mode"
run "$work_dir/consumer-pc.exe" bogus || fail "the pkg-config consumer's calls did not reach iocpcompat.dll"
step "PASS"
