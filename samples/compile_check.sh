#!/usr/bin/env bash
# Compiles the four sample programs with one compiler pair, -Wall -Wextra
# -Werror, C11 / C++17, so that they are known to build unchanged:
#
#   compile_check.sh native CC CXX SAMPLES_DIR IOCPCOMPAT_INCLUDE_DIR
#       against iocpcompat's headers (compile only: the library itself is
#       built and linked by the normal build with the project's compiler);
#   compile_check.sh mingw CC CXX SAMPLES_DIR
#       against the real Windows headers with mingw-w64, linked into .exe
#       files with -lws2_32 -lmswsock, so every Win32 call must resolve.
#
# A missing compiler is a failure with a message saying what to install,
# never a silent skip.
set -u -o pipefail

if [ $# -lt 4 ]; then
  echo "usage: $0 native|mingw CC CXX SAMPLES_DIR [INCLUDE_DIR]" >&2
  exit 2
fi
mode=$1 cc=$2 cxx=$3 src=$4
for tool in "$cc" "$cxx"; do
  if [ -z "$tool" ] || [[ "$tool" == *NOTFOUND* ]] || ! command -v "$tool" >/dev/null; then
    echo "compile_check: FAIL: compiler '$tool' not found" >&2
    if [ "$mode" = mingw ]; then
      echo "compile_check: install mingw-w64 (Debian: gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64; scripts/install-deps does)" >&2
    fi
    exit 1
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
warn=(-Wall -Wextra -Werror)
case $mode in
  native)
    [ $# -ge 5 ] || { echo "compile_check: native needs the include dir" >&2; exit 2; }
    # What the exported iocpcompat target puts on the command line.
    extra=(-D_DEFAULT_SOURCE -I"$5")
    out=(-c)
    libs=()
    ext=o
    ;;
  mingw)
    # Only the RIO samples look there (by -iquote, for the RIO
    # declarations mingw-w64 lacks); <...> includes find the SDK's.
    extra=()
    [ $# -ge 5 ] && extra=(-iquote "$5")
    out=()
    libs=(-lws2_32 -lmswsock)
    ext=exe
    ;;
  *) echo "compile_check: mode must be native or mingw" >&2; exit 2 ;;
esac

status=0
for f in echo_server.c echo_client.c rio_echo_server.c chat_server.cpp chat_client.cpp; do
  if [[ $f == *.c ]]; then
    cmd=("$cc" -std=c11 "${warn[@]}" "${extra[@]}" "${out[@]}" -o "$tmp/${f%.*}.$ext" "$src/$f" "${libs[@]}")
  else
    cmd=("$cxx" -std=c++17 "${warn[@]}" "${extra[@]}" "${out[@]}" -o "$tmp/${f%.*}.$ext" "$src/$f" "${libs[@]}")
  fi
  if "${cmd[@]}"; then
    echo "compile_check: ok   $mode $(basename "${cmd[0]}") $f"
  else
    echo "compile_check: FAIL $mode: ${cmd[*]}" >&2
    status=1
  fi
done
# The TCHAR echo server once more as a UNICODE build (mingw-w64 starts a
# wmain program with -municode).
unicode=(-DUNICODE -D_UNICODE)
[ "$mode" = mingw ] && unicode+=(-municode)
cmd=("$cc" -std=c11 "${warn[@]}" "${extra[@]}" "${unicode[@]}" "${out[@]}" -o "$tmp/echo_server_unicode.$ext"
     "$src/echo_server.c" "${libs[@]}")
if "${cmd[@]}"; then
  echo "compile_check: ok   $mode $(basename "${cmd[0]}") echo_server.c (UNICODE)"
else
  echo "compile_check: FAIL $mode: ${cmd[*]}" >&2
  status=1
fi
exit "$status"
