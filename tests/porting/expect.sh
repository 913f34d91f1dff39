#!/bin/bash
# usage: expect.sh STATUS [--stdout=REGEX] [--stderr=REGEX] -- PROGRAM ARGS...
# Runs PROGRAM and fails unless it exits with STATUS and its output matches.
# ARGS go through printf %b first, so \377 passes the byte 0xFF.
set -uo pipefail
want=$1
shift
out_re='' err_re=''
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    case $1 in
        --stdout=*) out_re=${1#*=} ;;
        --stderr=*) err_re=${1#*=} ;;
        *) echo "expect.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
program=$1
shift
args=()
for a in "$@"; do
    printf -v a '%b' "$a"
    args+=("$a")
done
"$program" "${args[@]}" > "$tmp/out" 2> "$tmp/err"
status=$?
cat "$tmp/out"
cat "$tmp/err" >&2
fail=0
if [ "$status" != "$want" ]; then
    echo "expect.sh: $program exited with $status, expected $want" >&2
    fail=1
fi
if [ -n "$out_re" ] && ! grep -Eq -- "$out_re" "$tmp/out"; then
    echo "expect.sh: stdout does not match: $out_re" >&2
    fail=1
fi
if [ -n "$err_re" ] && ! grep -Eq -- "$err_re" "$tmp/err"; then
    echo "expect.sh: stderr does not match: $err_re" >&2
    fail=1
fi
exit $fail
