#!/usr/bin/env bash
# Shows that check-rows.sh does fail, with the message that names the
# problem, on each mistake it exists to catch: it runs the check on
# temporary copies of the contract and the tests, each broken on purpose in
# one way, against a stand-in upstream spec and a made-up ctest registration
# (so that the outcome depends neither on /work/shared nor on a build).
#
#   check-rows-selftest.sh SOURCE_DIR
set -euo pipefail

src=$(cd "$1" && pwd)
check=$src/tests/conformance/check-rows.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# A copy of what the check reads, with its own upstream stand-in listing the
# contract's row ids but for the repository's own, and the stand-in's sha256 recorded in the copy.
copy_tree() {
    local tree=$1
    mkdir -p "$tree/tests/conformance" "$tree/tests/unit" "$tree/upstream"
    cp "$src"/tests/conformance/CONTRACT.md "$src"/tests/conformance/test_*.c \
        "$tree/tests/conformance/"
    cp "$src"/tests/unit/test_*.c "$tree/tests/unit/"
    # The repository's own rows are the ones the upstream does not list.
    awk '/^#/ { own = /\(this repository.s rows\)$/ } !own' \
        "$tree/tests/conformance/CONTRACT.md" \
        | grep -oE '^\| *[A-Z][0-9]+ *\|' \
        | sed -E 's/ *\|$/ | situation | expected |/' > "$tree/upstream/spec.md"
    record_upstream "$tree"
}

record_upstream() {
    local sha
    sha=$(sha256sum "$1/upstream/spec.md" | cut -d' ' -f1)
    sed -i -E "s/\b[0-9a-f]{64}\b/$sha/" "$1/tests/conformance/CONTRACT.md"
}

# The registration ctest would list for the tree: every conformance program
# once per engine with no argument (form "program"), or every case once per
# engine with its name as argument (form "case"); "drop CASE ENGINE" leaves
# one registration out.
registration() {
    python3 - "$@" <<'PY'
import json, os, re, sys
tree, form = sys.argv[1], sys.argv[2]
drop = tuple(sys.argv[4:6]) if sys.argv[3:4] == ["drop"] else None
folder = os.path.join(tree, "tests", "conformance")
tests = []
for name in sorted(os.listdir(folder)):
    if not (name.startswith("test_") and name.endswith(".c")):
        continue
    program = name[:-2]
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        cases = re.findall(r"\bcmocka_unit_test\w*\(\s*(\w+)", f.read())
    for engine in ("io_uring", "epoll"):
        for case in cases if form == "case" else [None]:
            if (case, engine) == drop:
                continue
            tests.append({
                "name": ".".join(filter(None, (program, case, engine))),
                "command": ["/build/tests/" + program] + ([case] if case else []),
                "properties": [{"name": "ENVIRONMENT",
                                "value": ["IOCPCOMPAT_BACKEND=" + engine]}],
            })
json.dump({"kind": "ctestInfo", "tests": tests}, sys.stdout)
PY
}

# expect NAME STATUS TREE JSON UPSTREAM MESSAGE...: the check's exit status
# is STATUS and each MESSAGE is part of its output.
expect() {
    local name=$1 want=$2 tree=$3 json=$4 upstream=$5 out status=0 bad=
    shift 5
    out=$(bash "$check" --upstream "$upstream" --ctest-json "$json" "$tree" 2>&1) \
        || status=$?
    [ "$status" = "$want" ] || bad="exit status $status, not $want"
    for message in "$@"; do
        grep -qF -- "$message" <<<"$out" || bad="${bad:+$bad; }no line says: $message"
    done
    if [ -n "$bad" ]; then
        echo "selftest: FAIL: $name: $bad"
        sed 's/^/    /' <<<"$out"
        failures=$((failures + 1))
    else
        echo "selftest: ok: $name"
    fi
}

t=$work/intact
copy_tree "$t"
registration "$t" program > "$work/by-program.json"
registration "$t" case > "$work/by-case.json"
registration "$t" case drop test_p4_close_port_wakes_all_waiters epoll \
    > "$work/by-case-drop.json"

expect "intact copy, one registration per program" 0 \
    "$t" "$work/by-program.json" "$t/upstream/spec.md" "problems found: 0"
expect "intact copy, one registration per case" 0 \
    "$t" "$work/by-case.json" "$t/upstream/spec.md" "problems found: 0"
expect "a case not registered on one engine" 1 \
    "$t" "$work/by-case-drop.json" "$t/upstream/spec.md" \
    "test_p4_close_port_wakes_all_waiters (tests/conformance/test_port.c) is not registered in ctest on epoll"
expect "upstream spec absent" 0 \
    "$t" "$work/by-program.json" "$work/nowhere/spec.md" \
    "conformance_rows: upstream spec not found at $work/nowhere/spec.md: only the repository's own contract was checked"

t=$work/row-removed
copy_tree "$t"
sed -i '/^| P4 |/d' "$t/tests/conformance/CONTRACT.md"
expect "row P4 removed from the contract" 1 \
    "$t" "$work/by-program.json" "$t/upstream/spec.md" \
    "test_p4_close_port_wakes_all_waiters (tests/conformance/test_port.c) names row P4, which CONTRACT.md does not have" \
    "row P4 of the upstream spec is missing from CONTRACT.md"

t=$work/bogus-row
copy_tree "$t"
printf 'cmocka_unit_test(test_z9_no_such_row),\n' > "$t/tests/conformance/test_fake.c"
expect "a fake case naming a bogus row" 1 \
    "$t" "$work/by-program.json" "$t/upstream/spec.md" \
    "test_z9_no_such_row (tests/conformance/test_fake.c) names row Z9, which CONTRACT.md does not have" \
    "test_z9_no_such_row (tests/conformance/test_fake.c) is not registered in ctest on io_uring" \
    "test_z9_no_such_row (tests/conformance/test_fake.c) is not registered in ctest on epoll"

t=$work/planned-with-case
copy_tree "$t"
printf 'cmocka_unit_test(test_m1_iocp_mode),\n' > "$t/tests/conformance/test_fake.c"
registration "$t" program > "$t/registration.json"
expect "a planned row that has a case" 1 \
    "$t" "$t/registration.json" "$t/upstream/spec.md" \
    "row M1 is marked planned but test_m1_iocp_mode (tests/conformance/test_fake.c) names it: mark it tested"

t=$work/tested-without-case
copy_tree "$t"
sed -i 's/^| M2 | planned |/| M2 | tested |/' "$t/tests/conformance/CONTRACT.md"
expect "a tested row without a case" 1 \
    "$t" "$work/by-program.json" "$t/upstream/spec.md" \
    "row M2 is marked tested but no test case names it"

t=$work/upstream-lacks-row
copy_tree "$t"
sed -i '/^| M3 |/d' "$t/upstream/spec.md"
record_upstream "$t"
expect "a contract row the upstream spec lacks" 1 \
    "$t" "$work/by-program.json" "$t/upstream/spec.md" \
    "row M3 of CONTRACT.md is not in the upstream spec"

t=$work/own-row-upstream
copy_tree "$t"
echo '| F1 | situation | expected |' >> "$t/upstream/spec.md"
record_upstream "$t"
expect "one of the repository's rows the upstream has too" 1 \
    "$t" "$work/by-program.json" "$t/upstream/spec.md" \
    "row F1 is one of this repository's rows but the upstream spec has it too"

t=$work/own-section-renamed
copy_tree "$t"
sed -i "s/^\(## .*\) (this repository's rows)$/\1/" "$t/tests/conformance/CONTRACT.md"
expect "the repository's rows outside their section" 1 \
    "$t" "$work/by-program.json" "$t/upstream/spec.md" \
    "row F1 of CONTRACT.md is not in the upstream spec"

t=$work/upstream-changed
copy_tree "$t"
echo "one more sentence" >> "$t/upstream/spec.md"
expect "the upstream spec changed" 1 \
    "$t" "$work/by-program.json" "$t/upstream/spec.md" \
    "the upstream spec changed: its sha256 is $(sha256sum "$t/upstream/spec.md" | cut -d' ' -f1)"

if [ "$failures" -ne 0 ]; then
    echo "selftest: $failures scenarios did not go as expected"
    exit 1
fi
echo "selftest: every scenario went as expected"
