#!/bin/bash
# Checks that the header compile matrix keeps up with the public headers:
# every name the headers declare must be used in one of the test translation
# units, and every function they declare must be defined by the library.
#
# Names are found with the compiler's help, one "KIND NAME" a line:
#   macro NAME      a macro our headers define (include guards left out)
#   type NAME       a typedef name or struct/union tag
#   function NAME   a function the library must export
#   inline NAME     a function defined in the header itself
# The compiler does the preprocessing, so conditional parts follow the
# compiler's view: C for everything, C++ for the names only C++ sees.
#
# usage: check-names.sh CC CXX INCLUDE_DIR                    (list the names)
#        check-names.sh CC CXX INCLUDE_DIR NM LIBRARY TU...    (check them)
set -euo pipefail
if [ $# -lt 3 ] || [ $# -eq 4 ]; then
    echo "usage: $0 CC CXX INCLUDE_DIR [NM LIBRARY TU...]" >&2
    exit 2
fi
cc=$1 cxx=$2 incdir=$(cd "$3" && pwd)
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

list_names() {

headers=()
for h in "$incdir"/*.h; do headers+=("$(basename "$h")"); done
: > "$tmp/all.h"
for h in "${headers[@]}"; do printf '#include <%s>\n' "$h" >> "$tmp/all.h"; done

# The system headers ours include, to subtract their macros.
# C++ headers (no .h) are seen by the C++ compiler only, and come last, as
# in ours: libstdc++'s configuration changes what <ctype.h> defines after it.
grep -ho '^#include <[^>]*>' "$incdir"/*.h | sort -u |
    awk '/<[^.>]*>$/ { cxx = cxx "#ifdef __cplusplus\n" $0 "\n#endif\n"; next } { print }
         END { printf "%s", cxx }' > "$tmp/sys.h"
{ echo '#define _DEFAULT_SOURCE 1'; cat "$tmp/sys.h"; } > "$tmp/sys2.h"

macros() { # compiler lang std file
    "$1" -x "$2" -std="$3" -dM -E -I"$incdir" "$4" | awk '{ sub(/\(.*/, "", $2); print $2 }' | sort -u
}
{
    comm -23 <(macros "$cc" c c11 "$tmp/all.h") <(macros "$cc" c c11 "$tmp/sys2.h")
    comm -23 <(macros "$cxx" c++ c++17 "$tmp/all.h") <(macros "$cxx" c++ c++17 "$tmp/sys2.h")
# (__need_* are the C library's own requests between its headers, left
# defined by some orders of inclusion.)
} | sort -u | grep -Ev '^(IOCPCOMPAT_([A-Z0-9_]*_)?H|_DEFAULT_SOURCE|__need_[A-Za-z0-9_]*)$' | sed 's/^/macro /'

# Declarations: preprocess, keep only the text that comes from our headers,
# and split it into top-level statements.
decls() { # compiler lang std
    "$1" -x "$2" -std="$3" -E -I"$incdir" "$tmp/all.h" | awk -v dir="$incdir/" '
    /^# [0-9]+ "/ { f = $3; gsub(/"/, "", f); ours = (index(f, dir) == 1); next }
    ours { printf "%s ", $0 }' | awk '
    function flush(s,   body, name, n, i, parts, t) {
        gsub(/^[ \t]+|[ \t]+$/, "", s)
        if (s == "") return
        if (s ~ /^typedef[ \t]/) {
            if (match(s, /^typedef[ \t]+(struct|union|enum)[ \t]+[A-Za-z_][A-Za-z_0-9]*[ \t]*\{/)) {
                t = substr(s, 1, RLENGTH); sub(/[ \t]*\{$/, "", t); sub(/.*[ \t]/, "", t); print "type " t
            }
            if (match(s, /\([ \t]*\*[ \t]*[A-Za-z_][A-Za-z_0-9]*[ \t]*\)/)) {
                t = substr(s, RSTART, RLENGTH); gsub(/[() \t*]/, "", t); print "type " t; return
            }
            # drop bodies, then each declarator ends with its name
            while (gsub(/\{[^{}]*\}/, " ", s)) {}
            gsub(/\[[^]]*\]/, "", s)
            n = split(s, parts, ",")
            for (i = 1; i <= n; i++) {
                t = parts[i]; gsub(/[ \t]+$/, "", t); sub(/.*[^A-Za-z_0-9]/, "", t)
                if (t != "") print "type " t
            }
            return
        }
        if (s ~ /^(struct|union|enum)[ \t]+[A-Za-z_][A-Za-z_0-9]*[ \t]*\{/) {
            t = s; sub(/^(struct|union|enum)[ \t]+/, "", t); sub(/[^A-Za-z_0-9].*/, "", t); print "type " t; return
        }
        if (s ~ /^(_Static_assert|static_assert)/) return
        if (s ~ /^extern "C"/) { sub(/^extern "C"[ \t]*\{?/, "", s); flush(s); return }
        if (match(s, /[A-Za-z_][A-Za-z_0-9]*[ \t]*\(/)) {
            name = substr(s, RSTART, RLENGTH); sub(/[ \t]*\($/, "", name)
            if (name == "__attribute__") return
            print ((s ~ /^(static[ \t]+)?inline[ \t]/ || s ~ /\{/) ? "inline " : "function ") name
        }
    }
    {
        text = $0; stmt = ""; depth = 0
        for (i = 1; i <= length(text); i++) {
            c = substr(text, i, 1)
            if (c == "{") depth++
            if (c == "}") depth--
            if (c == "}" && depth == 0 && stmt ~ /^[ \t]*extern "C"/) { flush(stmt); stmt = ""; continue }
            stmt = stmt c
            if ((c == ";" && depth == 0) || (c == "}" && depth == 0 && stmt !~ /^[ \t]*(typedef|struct|union|enum)[ \t]/ && stmt !~ /^[ \t]*extern "C"/)) {
                if (c == ";") stmt = substr(stmt, 1, length(stmt) - 1)
                flush(stmt); stmt = ""
            }
        }
        flush(stmt)
    }'
}
{ decls "$cc" c c11; decls "$cxx" c++ c++17; } | sort -u |
    # a name both declared (C) and defined inline (C++ overloads) stays a function
    awk '{ k[$2] = (k[$2] == "" || $1 == "function" || $1 == "type") ? $1 : k[$2] } END { for (n in k) print k[n], n }' | sort
}

if [ $# -eq 0 ]; then
    list_names
    exit 0
fi

nm=$1 library=$2
shift 2
list_names > "$tmp/names"
if [ "$(grep -c . "$tmp/names")" -lt 50 ]; then
    echo "check-names: found only $(grep -c . "$tmp/names") names in $incdir; the parser is broken" >&2
    exit 1
fi
"$nm" -g --defined-only "$library" | awk 'NF >= 3 && $2 ~ /^[TtWi]$/ { print $3 }' | sort -u > "$tmp/defined"
cat "$@" > "$tmp/tus"

status=0
while read -r kind name; do
    # Entry points are defined by the program; the library only calls them.
    if [ "$kind" = function ] && [[ " WinMain wWinMain " != *" $name "* ]] &&
       ! grep -qxF "$name" "$tmp/defined"; then
        echo "check-names: the headers declare $name() but $(basename "$library") does not define it" >&2
        status=1
    fi
    if ! grep -qw -- "$name" "$tmp/tus"; then
        echo "check-names: $kind $name is declared by the headers but not used by the compile matrix ($*)" >&2
        status=1
    fi
done < "$tmp/names"
if [ $status -eq 0 ]; then
    echo "check-names: $(grep -c . "$tmp/names") names, all used; $(grep -c '^function' "$tmp/names") functions, all defined"
fi
exit $status
