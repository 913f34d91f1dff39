#!/usr/bin/env bash
# Runs the echo server on a free loopback port, drives it with the client, and
# checks both: every client run must exit 0 and print "RESULT: PASS", and the
# server must stop cleanly with a summary whose counts match what was sent.
#
#   echo_check.sh SERVER CLIENT "CONNECTIONS MESSAGES SIZE" ["C M S" ...]
#
# Environment: ECHO_SERVER_THREADS, ECHO_CLIENT_THREADS (default 2 each),
# ECHO_RUN_TIMEOUT (seconds per client run, default 120), ECHO_STOP (how the
# server is stopped at the end: "stdin", a line on its stdin, the default; or
# "signal", SIGINT as Ctrl-C, after which its summary must say so).
# ECHO_SERVER_NAME is the name the server prints its lines under (default
# echo_server; rio_echo_server has no worker threads and takes no --threads).
# Exit status: 0 when everything verified, 1 otherwise, 2 on bad usage.
set -u -o pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 SERVER CLIENT \"CONNECTIONS MESSAGES SIZE\" ..." >&2
  exit 2
fi
server=$1 client=$2
shift 2
server_threads=${ECHO_SERVER_THREADS:-2}
client_threads=${ECHO_CLIENT_THREADS:-2}
run_timeout=${ECHO_RUN_TIMEOUT:-120}
stop=${ECHO_STOP:-stdin}
case $stop in
  stdin|signal) ;;
  *) echo "echo_check: ECHO_STOP must be stdin or signal" >&2; exit 2 ;;
esac
# The server stops by itself after this even if nobody tells it to.
server_max=$(( run_timeout * $# + 60 ))

check_name=echo_check
# shellcheck source=server_control.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/server_control.sh"
name=${ECHO_SERVER_NAME:-echo_server}
threads=(--threads "$server_threads")
[ "$name" = echo_server ] || threads=()
start_server "$name" "$server" --port 0 "${threads[@]}" --max-seconds "$server_max"
echo "echo_check: $name pid $spid on 127.0.0.1:$port"

status=0
want_bytes=0
want_conns=0
for run in "$@"; do
  read -r conns msgs size <<<"$run"
  echo
  echo "== $conns connections x $msgs messages x $size bytes"
  timeout "$run_timeout" "$client" --port "$port" --connections "$conns" --messages "$msgs" \
    --size "$size" --threads "$client_threads" --timeout-seconds "$(( run_timeout - 5 ))" \
    | tee "$tmp/client.out"
  rc=${PIPESTATUS[0]}
  want=$(( conns * msgs * size ))
  want_bytes=$(( want_bytes + want ))
  want_conns=$(( want_conns + conns ))
  if [ "$rc" -ne 0 ]; then
    echo "echo_check: FAIL: client exited with status $rc" >&2
    status=1
  elif ! grep -q '^RESULT: PASS' "$tmp/client.out"; then
    echo "echo_check: FAIL: client did not report PASS" >&2
    status=1
  else
    # Second line of the table: columns 4 and 5 are bytes_verified and errors.
    read -r _ _ _ got errors _ < <(sed -n 2p "$tmp/client.out")
    if [ "$got" != "$want" ] || [ "$errors" != 0 ]; then
      echo "echo_check: FAIL: table says $got bytes verified of $want, $errors errors" >&2
      status=1
    fi
  fi
done

# Stop the server the documented way and wait for it, bounded.
if [ "$stop" = signal ]; then
  kill -INT "$spid"
else
  echo stop >&3
  exec 3>&-
fi
for _ in $(seq 1 300); do
  kill -0 "$spid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$spid" 2>/dev/null && fail "server did not stop within 30 s of being told to"
wait "$spid"
src=$?
spid=
echo
grep "^$name: summary" "$tmp/server.out" || fail "server printed no summary"
[ -s "$tmp/server.err" ] && { echo "--- server stderr:"; cat "$tmp/server.err"; }
[ "$src" -eq 0 ] || fail "server exited with status $src"
if [ "$stop" = signal ] && ! tr -d '\r' <"$tmp/server.out" | grep -q "^$name: summary: .*stopped by ctrl-c$"; then
  fail "the summary does not say the server was stopped by Ctrl-C"
fi

summary=$(grep "^$name: summary" "$tmp/server.out")
got_conns=$(sed -n 's/.*connections \([0-9]*\),.*/\1/p' <<<"$summary")
got_bytes=$(sed -n 's/.*bytes echoed \([0-9]*\),.*/\1/p' <<<"$summary")
if [ "$got_conns" != "$want_conns" ] || [ "$got_bytes" != "$want_bytes" ]; then
  echo "echo_check: FAIL: server echoed $got_bytes bytes on $got_conns connections," \
       "expected $want_bytes on $want_conns" >&2
  status=1
fi

if [ "$status" -eq 0 ]; then
  echo "echo_check: PASS"
else
  echo "echo_check: FAIL" >&2
fi
exit "$status"
