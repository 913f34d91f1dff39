#!/bin/bash
# usage: fix-includes-test.sh TOOL FIXTURE WORK CC CXX IOCPCOMPAT_INCLUDE
# Builds the includes fixture with plain compiler commands and the -I option
# iocpcompat-fix-includes prints, as a non-CMake build would.
set -euo pipefail
tool=$1 fixture=$2 work=$3 cc=$4 cxx=$5 compat=$6
fail() { echo "fix-includes-test: FAIL: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
cd "$fixture"
sources=(Server/main.c Server/Net/Worker.Cpp)

build() { # extra compiler options...
    "$cc" -std=c11 -Wall -Wextra -Werror -I"$compat" "$@" -c Server/main.c -o "$work/main.o" &&
    "$cxx" -std=c++17 -Wall -Wextra -Werror -I"$compat" "$@" -x c++ -c Server/Net/Worker.Cpp -o "$work/worker.o" &&
    "$cxx" "$work/main.o" "$work/worker.o" -o "$work/fixture"
}

if build 2> "$work/unfixed.log"; then
    fail "the fixture builds without the forwarding headers: it tests nothing"
fi

flag=$("$tool" -o "$work/inc" -I "$compat" "${sources[@]}" 2> "$work/first.log")
[ "$flag" = "-I$work/inc/_/_/_/_" ] || fail "printed [$flag]"
for name in 'iocpserver.h' '..\Shared\Constants.h' 'Net\session.h' 'version.h' 'SESSION.H' 'WINDOWS.H'; do
    grep -qF "\"$name\" ->" "$work/first.log" || fail "no forwarder reported for \"$name\": $(cat "$work/first.log")"
done
[ -f "$work/inc/_/_/shared/constants.h" ] || fail "no forwarder for ../../shared/constants.h"
# shellcheck disable=SC2086 # one option
build $flag || fail "the fixture does not build with $flag"
"$work/fixture" | grep -q 'includes fixture: 0 failures' || fail "the fixture's checks failed"

# Again: nothing to say, nothing rewritten (the build would recompile).
before=$(find "$work/inc" -type f -printf '%p %T@\n' | sort)
sleep 1
"$tool" -o "$work/inc" -I "$compat" "${sources[@]}" > /dev/null 2> "$work/second.log"
[ ! -s "$work/second.log" ] || fail "the second run said: $(cat "$work/second.log")"
after=$(find "$work/inc" -type f -printf '%p %T@\n' | sort)
[ "$before" = "$after" ] || fail "the second run rewrote forwarders"

# Forwarders nothing asks for any more are removed, the others kept.
"$tool" -q -n -o "$work/inc" Shared/Constants.h > "$work/third.out"
[ ! -s "$work/third.out" ] || fail "-n printed $(cat "$work/third.out")"
[ -f "$work/inc/_/_/_/_/version.h" ] || fail "version.h's forwarder was removed"
[ ! -e "$work/inc/_/_/_/_/iocpserver.h" ] || fail "iocpserver.h's stale forwarder was kept"
echo "fix-includes-test: all checks passed"
