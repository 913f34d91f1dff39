#!/usr/bin/env bash
# Builds every conformance test program (tests/conformance/test_*.c) with
# mingw-w64 against the real Windows SDK headers (winsock2.h, mswsock.h,
# windows.h... of mingw-w64, not iocpcompat's), -std=c11 -Wall -Wextra
# -Werror, and links each into a .exe with -lws2_32 -lmswsock -lwinmm, so that the
# suite is known to be plain Win32 and every call it makes resolves:
#
#   mingw_compile.sh CC CONFORMANCE_DIR [OUT_DIR]
#
# cmocka is not packaged for mingw-w64: the programs are linked with the
# stand-in in CONFORMANCE_DIR/mingw (cmocka.h, cmocka.c), a working runner
# with cmocka's meaning, so that the .exe files are the ones to run under
# Wine next. They are left in OUT_DIR (default: a temporary directory,
# removed at the end). Nothing is run here.
#
# A missing compiler is a failure with a message saying what to install,
# never a silent skip.
set -u -o pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 CC CONFORMANCE_DIR [OUT_DIR]" >&2
  exit 2
fi
cc=$1 src=$2 out=${3:-}
if [ -z "$cc" ] || [[ "$cc" == *NOTFOUND* ]] || ! command -v "$cc" >/dev/null; then
  echo "mingw_compile: FAIL: the mingw-w64 C compiler x86_64-w64-mingw32-gcc was not found (got '${cc}');" \
       "this test is registered without it only when IOCPCOMPAT_REQUIRE_MINGW says it must be there" >&2
  echo "mingw_compile: install mingw-w64 (Debian: gcc-mingw-w64-x86-64; scripts/install-deps does)" >&2
  exit 1
fi
if [ ! -d "$src/mingw" ]; then
  echo "mingw_compile: FAIL: $src/mingw (the cmocka stand-in) is missing" >&2
  exit 2
fi

if [ -n "$out" ]; then
  mkdir -p "$out" || exit 1
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
# Only the SDK's headers and the stand-in: nothing of iocpcompat's include
# directory, nor the host's.
# The exception: test_rio.c takes the RIO declarations mingw-w64 lacks from
# iocpcompat_rio.h, by -iquote, so that <...> includes still find the SDK's.
flags=(-std=c11 -Wall -Wextra -Werror -I"$src/mingw" -iquote "$src/../../include/iocpcompat")
libs=(-lws2_32 -lmswsock -lwinmm)   # winmm: timeGetTime and the timer period

status=0
if ! "$cc" "${flags[@]}" -c -o "$out/cmocka.o" "$src/mingw/cmocka.c"; then
  echo "mingw_compile: FAIL: the cmocka stand-in: $cc ${flags[*]} -c $src/mingw/cmocka.c" >&2
  exit 1
fi
echo "mingw_compile: ok   mingw/cmocka.c"

count=0
shopt -s nullglob
for f in "$src"/test_*.c; do
  name=$(basename "$f" .c)
  count=$((count + 1))
  cmd=("$cc" "${flags[@]}" -o "$out/$name.exe" "$f" "$out/cmocka.o" "${libs[@]}")
  if "${cmd[@]}"; then
    echo "mingw_compile: ok   $name.c -> $name.exe"
  else
    echo "mingw_compile: FAIL $name.c: ${cmd[*]}" >&2
    status=1
  fi
done
if [ "$count" -eq 0 ]; then
  echo "mingw_compile: FAIL: no test_*.c in $src" >&2
  exit 1
fi
if [ "$status" -eq 0 ]; then
  echo "mingw_compile: all $count conformance programs built with $(basename "$cc") (in $out)"
fi
exit "$status"
