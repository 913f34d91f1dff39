#!/usr/bin/env bash
# Keeps tests/conformance/CONTRACT.md, the test cases that name its rows,
# their ctest registration and the upstream spec in step (CONTRACT.md,
# "Rows, tests and status").
#
#   check-rows.sh [--upstream FILE] [--ctest CTEST | --ctest-json FILE]
#                 SOURCE_DIR [BUILD_DIR]
#
# SOURCE_DIR is the project's root; the registration is what
# `ctest --show-only=json-v1` lists in BUILD_DIR, or the JSON in FILE (the
# self-test's way of handing in a registration without a build tree).
# Exit status: 0 when everything agrees, 1 when a problem was found, 2 on
# bad usage.
set -euo pipefail

if ! command -v python3 >/dev/null; then
    echo "conformance_rows: python3 is needed to run this check" >&2
    exit 2
fi

exec python3 - "$@" <<'PY'
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys

# Named here rather than taken from the CMake registration, so that dropping
# an engine from the registration is reported instead of followed.
ENGINES = ("io_uring", "epoll")
STATUSES = ("tested", "planned")
TAG = "conformance_rows"

parser = argparse.ArgumentParser(prog="check-rows.sh")
parser.add_argument("--upstream")
parser.add_argument("--ctest", default="ctest")
parser.add_argument("--ctest-json")
parser.add_argument("source_dir")
parser.add_argument("build_dir", nargs="?")
args = parser.parse_args()
if not args.ctest_json and not args.build_dir:
    parser.error("give BUILD_DIR or --ctest-json")

src = args.source_dir
contract_path = os.path.join(src, "tests", "conformance", "CONTRACT.md")
upstream_path = os.path.abspath(args.upstream or os.path.join(
    src, "..", "shared", "spec", "iocp-semantics.md"))
problems = []


def problem(text):
    problems.append(text)
    print(f"{TAG}: PROBLEM: {text}")


# Both documents list a row as a table line that starts with its id.
ROW_LINE = re.compile(r"^\|\s*([A-Z][0-9]+)\s*\|(.*)$")
# A section of CONTRACT.md whose heading ends so holds rows the repository
# adds to the upstream spec (behaviour of calls the upstream does not cover).
OWN_SECTION = "(this repository's rows)"


def read_contract():
    rows = {}
    own = set()
    in_own_section = False
    recorded = None
    if not os.path.isfile(contract_path):
        problem(f"{contract_path} is missing")
        return rows, own, recorded
    with open(contract_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                in_own_section = line.rstrip().endswith(OWN_SECTION)
            m = ROW_LINE.match(line)
            if m:
                row = m.group(1)
                status = m.group(2).split("|")[0].strip()
                if row in rows:
                    problem(f"row {row} appears twice in CONTRACT.md")
                if status not in STATUSES:
                    problem(f"row {row} of CONTRACT.md has status '{status}'"
                            f"; a row is either tested or planned")
                rows[row] = status
                if in_own_section:
                    own.add(row)
            elif recorded is None and "sha256" in line:
                m = re.search(r"\b([0-9a-f]{64})\b", line)
                if m:
                    recorded = m.group(1)
    if not rows:
        problem(f"{contract_path} lists no rows")
    if recorded is None:
        problem("CONTRACT.md records no sha256 of the upstream spec")
    return rows, own, recorded


def read_cases():
    """(program, file, case, rows named) for every cmocka case."""
    cases = []
    for sub in ("conformance", "unit"):
        folder = os.path.join(src, "tests", sub)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not (name.startswith("test_") and name.endswith(".c")):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            # A case mentioned in a comment is not a case.
            text = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)
            for case in re.findall(r"\bcmocka_unit_test\w*\(\s*(\w+)", text):
                # Row ids are a letter and a number, so words such as
                # "pool" or "ipv6" end the chain of row tokens.
                rows = []
                if case.startswith("test_"):
                    for token in case[len("test_"):].split("_"):
                        if not re.fullmatch(r"[a-z][0-9]+", token):
                            break
                        rows.append(token.upper())
                cases.append((name[:-2], f"tests/{sub}/{name}", case, rows))
    return cases


def read_registration(programs):
    """{(program, engine): None for every case, or the set of cases run}."""
    if args.ctest_json:
        with open(args.ctest_json, encoding="utf-8") as f:
            text = f.read()
    else:
        run = subprocess.run([args.ctest, "--show-only=json-v1"],
                             cwd=args.build_dir, capture_output=True,
                             text=True)
        if run.returncode != 0:
            problem(f"'{args.ctest} --show-only=json-v1' failed in "
                    f"{args.build_dir}: {run.stderr.strip()}")
            return None, []
        text = run.stdout
    registered = {}
    no_command = []
    for test in json.loads(text).get("tests", []):
        command = test.get("command")
        if not command:
            # ctest leaves the command out while the program is not built.
            no_command.append(test["name"])
            continue
        env = []
        for prop in test.get("properties", []):
            if prop.get("name") == "ENVIRONMENT":
                env = prop.get("value", [])
        engines = [e for e in ENGINES if f"IOCPCOMPAT_BACKEND={e}" in env]
        for i, word in enumerate(command):
            program = os.path.basename(word)
            if program in programs:
                break
        else:
            continue
        filter_ = set(command[i + 1:])
        for engine in engines:
            key = (program, engine)
            if not filter_:
                registered[key] = None
            elif key not in registered:
                registered[key] = filter_
            elif registered[key] is not None:
                registered[key] |= filter_
    return registered, no_command


rows, own_rows, recorded = read_contract()
cases = read_cases()
programs = {program for program, _, _, _ in cases}
registered, no_command = read_registration(programs)

named = {}
for program, path, case, case_rows in cases:
    for row in case_rows:
        named.setdefault(row, []).append((case, path))
        if row not in rows:
            problem(f"{case} ({path}) names row {row}, which CONTRACT.md "
                    f"does not have")

for row, status in rows.items():
    if status == "tested" and row not in named:
        problem(f"row {row} is marked tested but no test case names it")
    if status == "planned" and row in named:
        case, path = named[row][0]
        problem(f"row {row} is marked planned but {case} ({path}) names it:"
                f" mark it tested")

unregistered = 0
if registered is not None:
    for program, path, case, case_rows in cases:
        if not case_rows:
            continue
        for engine in ENGINES:
            filter_ = registered.get((program, engine), set())
            if filter_ is not None and case not in filter_:
                unregistered += 1
                problem(f"{case} ({path}) is not registered in ctest on "
                        f"{engine}")
    if unregistered and no_command:
        problem(f"{len(no_command)} ctest tests have no command, their "
                f"programs not being built (such as {no_command[0]}): build "
                f"the tree before running this check")

if os.path.isfile(upstream_path):
    with open(upstream_path, "rb") as f:
        data = f.read()
    upstream_rows = [m.group(1) for m in map(ROW_LINE.match,
                     data.decode("utf-8").splitlines()) if m]
    for row in upstream_rows:
        if row not in rows:
            problem(f"row {row} of the upstream spec is missing from "
                    f"CONTRACT.md")
    for row in rows:
        if row in own_rows and row in upstream_rows:
            problem(f"row {row} is one of this repository's rows but the "
                    f"upstream spec has it too: move it to the upstream's "
                    f"section")
        elif row not in own_rows and row not in upstream_rows:
            problem(f"row {row} of CONTRACT.md is not in the upstream spec")
    actual = hashlib.sha256(data).hexdigest()
    if recorded is not None and actual != recorded:
        problem(f"the upstream spec changed: its sha256 is {actual}, "
                f"CONTRACT.md records {recorded}; bring the rows up to date "
                f"and record the new sha256")
else:
    print(f"{TAG}: upstream spec not found at {upstream_path}: only the "
          f"repository's own contract was checked")

tested = [r for r, s in rows.items() if s == "tested"]
planned = [r for r, s in rows.items() if s == "planned"]
naming = sum(1 for c in cases if c[3])
print(f"{TAG}: rows tested: {len(tested)}; rows planned: {len(planned)} "
      f"({' '.join(planned) or 'none'}); cases checked: {len(cases)} "
      f"({naming} name rows); problems found: {len(problems)}")
sys.exit(1 if problems else 0)
PY
