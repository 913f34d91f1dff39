#!/usr/bin/env bash
# Correctness, not speed: starts an echo server on a free loopback port, runs
# the load client against it for about 2 s in every mode (rr small and large
# messages, stream by duration and by fixed volume, churn, idle), and checks
# the client's verification counters from its JSON: something verified, every
# byte sent came back verified, no verification error, no other error. Then
# stops the server through stdin and requires a clean exit.
#
#   load_check.sh LOAD_CLIENT SERVER [SERVER ARGS...]
#
# The server must print "NAME: listening on 127.0.0.1:PORT" and take
# --port 0 and --max-seconds. Exit status 0 when everything verified.
set -u -o pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 LOAD_CLIENT SERVER [SERVER ARGS...]" >&2
  exit 2
fi
client=$1
shift

tmp=$(mktemp -d)
spid=
# shellcheck disable=SC2317  # called through the trap
cleanup() {
  # Only the server this script started, by its pid.
  if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null; then
    kill "$spid" 2>/dev/null
    wait "$spid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "load_check: FAIL: $*" >&2
  echo "--- server output:" >&2
  cat "$tmp/server.out" "$tmp/server.err" >&2 2>/dev/null
  exit 1
}

# stdin is a FIFO this script holds open read-write (so opening it never
# blocks); closing it later is the server's end-of-file, i.e. stop.
mkfifo "$tmp/ctl"
"$@" --port 0 --max-seconds 120 <"$tmp/ctl" >"$tmp/server.out" 2>"$tmp/server.err" &
spid=$!
exec 3<>"$tmp/ctl"

port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/^[A-Za-z_]*: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/server.out")
  [ -n "$port" ] && break
  kill -0 "$spid" 2>/dev/null || fail "server exited before listening"
  sleep 0.1
done
[ -n "$port" ] || fail "server did not report its port within 10 s"
echo "load_check: $1 (pid $spid) on 127.0.0.1:$port"

jget() { sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p" "$1"; }

status=0
check() {
  local name=$1
  shift
  echo
  echo "== $name: load_client $*"
  timeout 60 "$client" --port "$port" --timeout 40 --json "$tmp/r.json" "$@" </dev/null
  local rc=$?
  if [ ! -s "$tmp/r.json" ]; then
    echo "load_check: FAIL: $name: no JSON written (client status $rc)" >&2
    status=1
    return
  fi
  local sent ok verr err pass
  sent=$(jget "$tmp/r.json" bytes_sent)
  ok=$(jget "$tmp/r.json" bytes_verified)
  verr=$(jget "$tmp/r.json" verify_errors)
  err=$(jget "$tmp/r.json" errors)
  pass=$(jget "$tmp/r.json" pass)
  if [ "$rc" -ne 0 ] || [ "$pass" != true ] || [ "$verr" != 0 ] || [ "$err" != 0 ] ||
     [ "${ok:-0}" -le 0 ] || [ "$ok" != "$sent" ]; then
    echo "load_check: FAIL: $name: status $rc, pass $pass, $ok of $sent bytes verified," \
         "$verr verification errors, $err errors" >&2
    status=1
  fi
  if [ -n "${want_bytes:-}" ] && [ "$ok" != "$want_bytes" ]; then
    echo "load_check: FAIL: $name: $ok bytes verified, expected $want_bytes" >&2
    status=1
  fi
  rm -f "$tmp/r.json"
}

want_bytes=
check "rr small" --mode rr --connections 32 --depth 8 --size 64 --duration 2 --threads 2
check "rr large" --mode rr --connections 8 --depth 4 --size 4096 --duration 1
check "rr count" --mode rr --connections 10 --depth 3 --size 100 --messages 20000
check "stream"   --mode stream --connections 4 --duration 2
want_bytes=$(( 2 * 32 * 1048576 ))
check "stream fixed volume" --mode stream --connections 2 --bytes 32M
want_bytes=
check "churn"    --mode churn --connections 8 --size 64 --duration 2
want_bytes=$(( 500 * 64 ))
check "idle"     --mode idle --connections 500 --size 64 --duration 1

# Stop the server through stdin and wait for it, bounded.
exec 3>&-
for _ in $(seq 1 300); do
  kill -0 "$spid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$spid" 2>/dev/null && fail "server did not stop within 30 s of stdin closing"
wait "$spid"
src=$?
spid=
echo
cat "$tmp/server.out"
[ "$src" -eq 0 ] || fail "server exited with status $src"

if [ "$status" -eq 0 ]; then
  echo "load_check: PASS"
else
  echo "load_check: FAIL" >&2
fi
exit "$status"
