#!/bin/bash
# usage: packaging-test.sh --build-dir=DIR --work-dir=DIR --version=X.Y.Z
#        [--cmake=CMAKE] [--config=CONFIG] [--cc=CC] [--cxx=CXX] [--flags="SANITIZER FLAGS"]
#
# Installs an iocpcompat build tree into a temporary prefix and checks that a
# consumer builds and runs against it with find_package(iocpcompat) and with
# pkg-config. Run by ctest (tests/packaging/CMakeLists.txt).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmake=cmake build_dir='' config='' work_dir='' cc=cc cxx=c++ flags='' version=''
for arg in "$@"; do
    case $arg in
        --cmake=*) cmake=${arg#*=} ;;
        --build-dir=*) build_dir=${arg#*=} ;;
        --config=*) config=${arg#*=} ;;
        --work-dir=*) work_dir=${arg#*=} ;;
        --cc=*) cc=${arg#*=} ;;
        --cxx=*) cxx=${arg#*=} ;;
        --flags=*) flags=${arg#*=} ;;
        --version=*) version=${arg#*=} ;;
        *) echo "packaging-test: unknown argument $arg" >&2; exit 2 ;;
    esac
done
if [ -z "$build_dir" ] || [ -z "$work_dir" ] || [ -z "$version" ]; then
    echo "packaging-test: --build-dir, --work-dir and --version are required" >&2
    exit 2
fi

fail() { echo "packaging-test: FAIL: $*" >&2; exit 1; }
step() { echo "packaging-test: $*"; }

rm -rf "$work_dir"
mkdir -p "$work_dir"
prefix=$work_dir/prefix

step "installing $build_dir into $prefix"
install_args=(--install "$build_dir" --prefix "$prefix")
[ -n "$config" ] && install_args+=(--config "$config")
"$cmake" "${install_args[@]}" > "$work_dir/install.log" || { cat "$work_dir/install.log"; fail "cmake --install"; }

# What must be there.
for header in windows.h Windows.h winsock2.h WinSock2.h ws2tcpip.h Ws2tcpip.h WS2tcpip.h \
              mswsock.h MSWSock.h MSWsock.h winerror.h iocpcompat.h; do
    [ -f "$prefix/include/iocpcompat/$header" ] || fail "include/iocpcompat/$header not installed"
done
libfile=$(find "$prefix" -name 'libiocpcompat.*' -print -quit)
[ -n "$libfile" ] || fail "libiocpcompat not installed"
config_dir=$(dirname "$(find "$prefix" -name iocpcompatConfig.cmake -print -quit)")
[ "$config_dir" != . ] || fail "iocpcompatConfig.cmake not installed"
for f in iocpcompatConfigVersion.cmake iocpcompatTargets.cmake; do
    [ -f "$config_dir/$f" ] || fail "$f not installed next to iocpcompatConfig.cmake"
done
pc_file=$(find "$prefix" -name iocpcompat.pc -print -quit)
[ -n "$pc_file" ] || fail "iocpcompat.pc not installed"
grep -q "^prefix=$prefix\$" "$pc_file" || fail "iocpcompat.pc does not name the install prefix: $(grep ^prefix= "$pc_file")"
step "installed: $libfile, $config_dir, $pc_file"

# find_package(iocpcompat)
cmake_args=(-DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc"
            -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags")
[ -n "$config" ] && cmake_args+=(-DCMAKE_BUILD_TYPE="$config")
step "find_package(iocpcompat ${version%.*}): configure, build, run"
"$cmake" -S "$here/consumer" -B "$work_dir/cmake-consumer" "${cmake_args[@]}" \
    -DCONSUMER_WANTS_VERSION="${version%.*}" > "$work_dir/cmake-consumer.log" 2>&1 ||
    { cat "$work_dir/cmake-consumer.log"; fail "configuring the consumer with find_package"; }
"$cmake" --build "$work_dir/cmake-consumer" >> "$work_dir/cmake-consumer.log" 2>&1 ||
    { cat "$work_dir/cmake-consumer.log"; fail "building the consumer with find_package"; }
"$work_dir/cmake-consumer/consumer" "$version" || fail "the find_package consumer failed"

step "find_package(iocpcompat 99.0) must be refused by the version file"
if "$cmake" -S "$here/consumer" -B "$work_dir/cmake-consumer-99" "${cmake_args[@]}" \
       -DCONSUMER_WANTS_VERSION=99.0 > "$work_dir/cmake-consumer-99.log" 2>&1; then
    fail "find_package(iocpcompat 99.0) succeeded"
fi
grep -q 'compatible with requested version' "$work_dir/cmake-consumer-99.log" ||
    { cat "$work_dir/cmake-consumer-99.log"; fail "find_package(iocpcompat 99.0) failed for another reason"; }

step "iocpcompat_windows_sources() through find_package: the includes fixture"
[ -x "$prefix/bin/iocpcompat-fix-includes" ] || fail "bin/iocpcompat-fix-includes not installed"
fixture_build=$work_dir/includes-fixture
"$cmake" -S "$here/../porting/includes" -B "$fixture_build" "${cmake_args[@]}" \
    -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$flags" > "$work_dir/includes-fixture.log" 2>&1 ||
    { cat "$work_dir/includes-fixture.log"; fail "configuring the includes fixture"; }
"$cmake" --build "$fixture_build" >> "$work_dir/includes-fixture.log" 2>&1 ||
    { cat "$work_dir/includes-fixture.log"; fail "building the includes fixture"; }
"$fixture_build/includes_fixture" | grep -q 'includes fixture: 0 failures' || fail "the includes fixture failed"

# pkg-config
pkg_config_path=$(dirname "$pc_file")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
pc() { PKG_CONFIG_PATH=$pkg_config_path pkg-config "$@"; }
pc --exists --print-errors iocpcompat || fail "pkg-config does not find iocpcompat"
[ "$(pc --modversion iocpcompat)" = "$version" ] || fail "pkg-config --modversion: $(pc --modversion iocpcompat)"
cflags=$(pc --cflags iocpcompat)
[[ " $cflags " == *" -I$prefix/include/iocpcompat "* ]] || fail "Cflags lack -I$prefix/include/iocpcompat: $cflags"
[[ " $cflags " == *" -D_DEFAULT_SOURCE "* ]] || fail "Cflags lack -D_DEFAULT_SOURCE: $cflags"
for mode in plain static; do
    extra=()
    [ "$mode" = static ] && extra=(--static)
    libs=$(pc --libs "${extra[@]}" iocpcompat)
    step "pkg-config ($mode): $cc -std=c11 $cflags consumer.c $libs"
    # shellcheck disable=SC2086 # flags, cflags and libs are word lists
    "$cc" -std=c11 -Wall -Wextra -Werror $flags $cflags "$here/consumer/consumer.c" \
        -o "$work_dir/pc-consumer-$mode" $libs || fail "building the consumer with pkg-config ($mode)"
    "$work_dir/pc-consumer-$mode" "$version" || fail "the pkg-config consumer ($mode) failed"
done

step "all packaging checks passed"
