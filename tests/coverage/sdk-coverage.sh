#!/bin/bash
# How much of the Windows SDK a server sees do our headers declare?
#
# The oracle is mingw-w64: its headers are preprocessed with its compiler and
# every name they declare (macros, types, functions, variables, enumerators)
# is charged to the header that declares it. Ours are what check-names.sh
# lists for include/iocpcompat, plus what the system headers our winsock2.h,
# ws2tcpip.h, mswsock.h and windows.h include make visible (socket, htons,
# sockaddr_in... come from the C library here, as they come from the SDK on
# Windows; a name is a name to the compiler).
#
# Prints, per SDK header of the list below, the names mingw-w64 declares and
# how many of them we declare, then the overall figure. Then checks
# server-names.txt, the names real IOCP servers were seen to use: each must be
# declared by us, or be in absent.txt with a reason. It fails when one is
# neither, when absent.txt lists a name we now declare (remove the line), or
# when a listed name is declared nowhere and not in absent.txt (a typo; RIO,
# which mingw-w64 lacks, is the case of a real name declared nowhere yet).
# An entry TYPE.MEMBER[.MEMBER] (in_addr.S_un.S_addr) is a member a server
# reaches; it is checked by compiling an access to it with both compilers.
#
# usage: sdk-coverage.sh MINGW_CC CC CXX INCLUDE_DIR            (report and check)
#        sdk-coverage.sh MINGW_CC CC CXX INCLUDE_DIR --missing HEADER...
#                                            (the names of HEADER we lack)
#        sdk-coverage.sh MINGW_CC CC CXX INCLUDE_DIR --table
#                                            (HEADER KIND NAME yes|no, all headers)
#        sdk-coverage.sh MINGW_CC CC CXX INCLUDE_DIR --complete LIST HEADER...
#                                            (each header complete: every name of
#                                             HEADER is ours or in LIST with a reason)
set -euo pipefail
if [ $# -lt 4 ]; then
    echo "usage: $0 MINGW_CC CC CXX INCLUDE_DIR [--missing HEADER... | --table | --complete LIST HEADER...]" >&2
    exit 2
fi
mingw=$1 cc=$2 cxx=$3 incdir=$(cd "$4" && pwd)
shift 4
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The headers a server includes, and the ones windows.h and winsock2.h pull
# in whose names servers were seen to use (see server-names.txt): sockets,
# addresses, the Win32 base types, errors, threads and synchronisation,
# memory, handles, files and console output, completion ports, timing,
# strings. windows.h itself only includes others, so it has no line. The GUI,
# COM, registry, crypto and RPC that windows.h also brings in are left out of
# the figures: none of the servers uses them for serving.
report_headers=(
    winsock2.h ws2def.h inaddr.h in6addr.h ws2ipdef.h ws2tcpip.h mswsock.h
    sdkddkver.h windef.h minwindef.h basetsd.h guiddef.h winnt.h winerror.h
    winbase.h minwinbase.h errhandlingapi.h handleapi.h synchapi.h
    interlockedapi.h processthreadsapi.h processenv.h sysinfoapi.h
    profileapi.h memoryapi.h heapapi.h fileapi.h ioapiset.h wincon.h
    debugapi.h libloaderapi.h stringapiset.h winnls.h tchar.h process.h
    strsafe.h
)

# --- what mingw-w64 declares ---------------------------------------------
if ! command -v "$mingw" > /dev/null; then
    echo "sdk-coverage: $mingw not found: install gcc-mingw-w64-x86-64 (scripts/install-deps does)" >&2
    exit 1
fi
mingw_root=$(echo '#include <winsock2.h>' | "$mingw" -x c -E - | awk -F'"' '/winsock2\.h"/ && !done { sub(/winsock2\.h$/, "", $2); print $2; done = 1 }')
if [ -z "$mingw_root" ]; then
    echo "sdk-coverage: $mingw does not find winsock2.h" >&2
    exit 1
fi
cat > "$tmp/sdk.h" <<'EOF'
#define STRSAFE_NO_DEPRECATE 1
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <tchar.h>
#include <process.h>
#include <strsafe.h>
#include <sdkddkver.h>
EOF
"$mingw" -x c -std=c11 -E -dD "$tmp/sdk.h" > "$tmp/sdk.i"
"$mingw" -x c -std=c11 -dM -E "$tmp/sdk.h" | awk '{ sub(/\(.*/, "", $2); print $2 }' | sort -u > "$tmp/sdk.macros"
# one line per name, the first header to declare it; a macro counts only if
# it is still defined at the end (some headers undefine others' names)
awk -v root="$mingw_root" -f "$here/declared-names.awk" "$tmp/sdk.i" |
    awk 'NR == FNR { m[$1] = 1; next } $2 != "macro" || ($3 in m)' "$tmp/sdk.macros" - |
    awk '!seen[$3]++' > "$tmp/sdk.names"

# --- what ours declare ----------------------------------------------------
bash "$here/../compile/check-names.sh" "$cc" "$cxx" "$incdir" | awk '{ print $2 }' > "$tmp/ours"
# What a server that includes the SDK's entry headers sees through ours: the
# same four, not every header of ours (tchar.h and strsafe.h bring C library
# headers that windows.h alone must bring too, if a server relies on it).
printf '#include <%s>\n' winsock2.h ws2tcpip.h mswsock.h windows.h > "$tmp/ours.h"
"$cc" -x c -std=c11 -D_DEFAULT_SOURCE -E -dD -I"$incdir" "$tmp/ours.h" > "$tmp/ours.i"
"$cc" -x c -std=c11 -D_DEFAULT_SOURCE -dM -E -I"$incdir" "$tmp/ours.h" | awk '{ sub(/\(.*/, "", $2); print $2 }' > "$tmp/visible"
awk -v root=/ -f "$here/declared-names.awk" "$tmp/ours.i" | awk '{ print $3 }' >> "$tmp/visible"
sort -u "$tmp/ours" -o "$tmp/ours"
sort -u "$tmp/visible" "$tmp/ours" -o "$tmp/visible"

# a parser that stopped finding names would make every figure meaningless
if [ "$(grep -c . "$tmp/sdk.names")" -lt 10000 ] || [ "$(grep -c . "$tmp/ours")" -lt 50 ]; then
    echo "sdk-coverage: found only $(grep -c . "$tmp/sdk.names") mingw-w64 names and $(grep -c . "$tmp/ours") of ours; the parser is broken" >&2
    exit 1
fi

# HEADER KIND NAME yes|no
awk 'NR == FNR { have[$1] = 1; next } { print $0, (($3 in have) ? "yes" : "no") }' "$tmp/visible" "$tmp/sdk.names" > "$tmp/table"

if [ "${1:-}" = --table ]; then
    cat "$tmp/table"
    exit 0
fi
if [ "${1:-}" = --missing ]; then
    shift
    for h in "$@"; do awk -v h="$h" '$1 == h && $4 == "no" { print $1, $2, $3 }' "$tmp/table" | sort -k2,2 -k3,3; done
    exit 0
fi

# A header is complete when each name mingw-w64 declares in it is ours, or
# is in LIST ("NAME reason", # comments) saying why not. LIST must not name
# what we declare now, nor what the headers do not declare.
if [ "${1:-}" = --complete ]; then
    list=$2
    shift 2
    status=0
    sed -e 's/#.*//' -e 's/^[ \t]*//' -e 's/[ \t]*$//' "$list" | grep -v '^$' > "$tmp/excused" || true
    for h in "$@"; do
        total=$(awk -v h="$h" '$1 == h' "$tmp/table" | wc -l)
        have=$(awk -v h="$h" '$1 == h && $4 == "yes"' "$tmp/table" | wc -l)
        excused=0
        while read -r _ kind name _; do
            if awk -v n="$name" '$1 == n && NF >= 2 { found = 1 } END { exit !found }' "$tmp/excused"; then
                excused=$((excused + 1))
            else
                echo "sdk-coverage: $h declares $kind $name, which ours lack: declare it or give the reason in $(basename "$list")" >&2
                status=1
            fi
        done < <(awk -v h="$h" '$1 == h && $4 == "no"' "$tmp/table")
        printf '%-12s %4d names, %4d ours, %4d absent with a reason\n' "$h" "$total" "$have" "$excused"
    done
    while read -r name reason; do
        if [ -z "$reason" ]; then
            echo "sdk-coverage: $(basename "$list"): $name has no reason" >&2
            status=1
        fi
        row=$(awk -v n="$name" '$3 == n { print $1, $4; exit }' "$tmp/table")
        if [ -z "$row" ]; then
            echo "sdk-coverage: $(basename "$list") lists $name, which mingw-w64 does not declare" >&2
            status=1
        elif [ "${row#* }" = yes ]; then
            echo "sdk-coverage: $name is declared now: remove it from $(basename "$list")" >&2
            status=1
        fi
    done < "$tmp/excused"
    exit $status
fi

# --- the figures ----------------------------------------------------------
printf '%s\n' "${report_headers[@]}" > "$tmp/report_headers"
awk 'NR == FNR { want[$1] = ++n; order[n] = $1; next }
     ($1 in want) { total[$1]++; all++; if ($4 == "yes") { have[$1]++; got++ } }
     END {
        printf "%-26s %8s %8s %7s\n", "SDK header (mingw-w64)", "ours", "names", "cover"
        for (i = 1; i <= n; i++) {
            h = order[i]
            if (total[h] == 0) { printf "%-26s %8s %8d %7s\n", h, "-", 0, "-"; continue }
            printf "%-26s %8d %8d %6.1f%%\n", h, have[h], total[h], 100 * have[h] / total[h]
        }
        printf "%-26s %8d %8d %6.1f%%\n", "overall", got, all, (all ? 100 * got / all : 0)
        # winnt.h and winerror.h hold most of the names (NT internals, every
        # error code of every subsystem) and would hide the rest
        g = got - have["winnt.h"] - have["winerror.h"]; a = all - total["winnt.h"] - total["winerror.h"]
        printf "%-26s %8d %8d %6.1f%%\n", "overall w/o winnt,winerror", g, a, (a ? 100 * g / a : 0)
     }' "$tmp/report_headers" "$tmp/table"

# --- the names servers use -------------------------------------------------
strip() { sed -e 's/#.*//' -e 's/^[ \t]*//' -e 's/[ \t]*$//' "$1" | grep -v '^$' || true; }
strip "$here/server-names.txt" | awk '{ print $1 }' > "$tmp/server"
strip "$here/absent.txt" > "$tmp/absent"
awk '{ print $3 }' "$tmp/sdk.names" | sort -u > "$tmp/sdk.all"

# A member path compiles as an access from a pointer to its struct (a tag or a typedef).
member_ok() { # compiler include_dir_flag path
    local type=${3%%.*} members=${3#*.} spelling
    for spelling in "struct $type" "$type"; do
        printf '%s\n' '#include <winsock2.h>' '#include <ws2tcpip.h>' '#include <mswsock.h>' '#include <windows.h>' \
            "void member_probe($spelling *p);" \
            "void member_probe($spelling *p) { (void)sizeof(p->$members); }" > "$tmp/member.c"
        if "$1" -x c -std=c11 -D_DEFAULT_SOURCE -fsyntax-only $2 "$tmp/member.c" 2> /dev/null; then return 0; fi
    done
    return 1
}

status=0 declared=0 excused=0
while read -r name; do
    reason=$(awk -v n="$name" '$1 == n { $1 = ""; sub(/^ +/, ""); print; exit }' "$tmp/absent")
    in_absent=$(awk -v n="$name" '$1 == n { print "yes"; exit }' "$tmp/absent")
    if [[ $name == *.* ]]; then
        if ! member_ok "$mingw" "" "$name"; then
            echo "sdk-coverage: $name is not a member mingw-w64 declares (fix server-names.txt)" >&2
            status=1; continue
        fi
        if member_ok "$cc" "-I$incdir" "$name"; then ours=yes; else ours=no; fi
    else
        if grep -qxF -- "$name" "$tmp/visible"; then ours=yes; else ours=no; fi
        if [ $ours = no ] && [ -z "$in_absent" ] && ! grep -qxF -- "$name" "$tmp/sdk.all"; then
            echo "sdk-coverage: $name is declared neither by mingw-w64 nor by us (fix server-names.txt)" >&2
            status=1; continue
        fi
    fi
    if [ $ours = yes ]; then
        declared=$((declared + 1))
        if [ -n "$in_absent" ]; then
            echo "sdk-coverage: $name is declared now: remove it from absent.txt" >&2
            status=1
        fi
    elif [ -n "$in_absent" ]; then
        excused=$((excused + 1))
        echo "absent: $name ($reason)"
    else
        where=$(awk -v n="$name" '$3 == n { print $1; exit }' "$tmp/sdk.names")
        echo "sdk-coverage: servers use $name (mingw-w64 ${where:-?}) but our headers do not declare it; declare it or record why in absent.txt" >&2
        status=1
    fi
done < "$tmp/server"
while read -r name _; do
    if ! grep -qxF -- "$name" "$tmp/server"; then
        echo "sdk-coverage: absent.txt lists $name, which server-names.txt does not" >&2
        status=1
    fi
done < "$tmp/absent"
total=$(grep -c . "$tmp/server" || true)
echo "names real servers use: $total, declared $declared ($(awk -v a="$declared" -v t="$total" 'BEGIN { printf "%.1f", t ? 100 * a / t : 0 }')%), absent with a reason $excused"
exit $status
