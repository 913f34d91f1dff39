#!/bin/bash
# The layout's rules, checked on the sources (src/ of the tree given, default
# this repository's):
#  - an engine (src/linux/engine) sees no Win32: it includes no header of
#    include/iocpcompat and names no Win32 error, status, OVERLAPPED or
#    extension function;
#  - the shared code (src/shared) includes no operating-system header: only
#    the C standard's, the Win32 ones and the project's own, so that every
#    platform can build it.
# Prints each breach; exits 1 if there is one.
set -u
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
src=$root/src
win32_headers=$(cd "$root/include/iocpcompat" && ls *.h | tr 'A-Z' 'a-z' | sort -u)
c_headers="assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h
locale.h math.h setjmp.h signal.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h
stdint.h stdio.h stdlib.h stdnoreturn.h string.h tgmath.h threads.h time.h uchar.h wchar.h wctype.h"
breaches=0
breach() { echo "check-layout: $1"; breaches=$((breaches + 1)); }

is_in() { local x=$1; shift; for y in $*; do [ "$x" = "$y" ] && return 0; done; return 1; }

for f in "$src"/linux/engine/*.[ch]; do
    name=${f#$root/}
    while read -r header; do
        lower=$(echo "$header" | tr 'A-Z' 'a-z')
        is_in "$lower" $win32_headers && breach "$name includes the Win32 header <$header>"
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$f")
    while read -r header; do
        case $header in
            engine.h|tsan.h|lock.h|futex.h|platform.h) ;;
            *) breach "$name includes \"$header\": an engine sees only engine.h and src/linux/base" ;;
        esac
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
    # Code only: comments may explain what the front end does with a result.
    code=$(sed -e 's://.*$::' "$f" | perl -0pe 's:/\*.*?\*/::gs')
    for word in 'ERROR_[A-Z_]+' 'WSAE[A-Z]+' 'STATUS_[A-Z_]+' 'OVERLAPPED' 'AcceptEx' 'ConnectEx' 'DisconnectEx' 'DWORD' 'HANDLE'; do
        hit=$(echo "$code" | grep -oE "\\b$word\\b" | head -1)
        [ -n "$hit" ] && breach "$name names $hit: an engine knows nothing of Win32"
    done
done

for f in "$src"/shared/*.[ch]; do
    name=${f#$root/}
    while read -r header; do
        lower=$(echo "$header" | tr 'A-Z' 'a-z')
        is_in "$lower" $win32_headers && continue
        is_in "$header" $c_headers && continue
        breach "$name includes <$header>, which not every platform has: use platform.h"
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$f")
done

engines=$(ls "$src"/linux/engine/*.[ch] 2>/dev/null | wc -l)
shared=$(ls "$src"/shared/*.[ch] 2>/dev/null | wc -l)
if [ "$engines" -eq 0 ] || [ "$shared" -eq 0 ]; then
    breach "no sources found under $src/linux/engine or $src/shared"
fi
echo "check-layout: $engines engine files, $shared shared files, $breaches breaches"
[ "$breaches" -eq 0 ]
