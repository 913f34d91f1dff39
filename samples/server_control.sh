# shellcheck shell=bash
# Sourced by the sample check scripts: runs one sample server for a script
# and cleans up after it. The script sets check_name (for messages) first.
#
#   start_server NAME COMMAND...   starts it, waits for "NAME: listening on
#                                  127.0.0.1:PORT" and sets $port and $spid
#   fail MESSAGE                   prints the message and the server's output, exits 1
#
# The server's stdin is a FIFO this script holds open on fd 3: end of file on
# stdin stops the samples, so a background job's /dev/null would stop it at
# once. Closing fd 3 (exec 3>&-) is how a script asks it to stop that way.

tmp=$(mktemp -d)
spid=
# shellcheck disable=SC2317  # called through the trap
cleanup() {
  exec 3>&-
  # Only the server this script started, by its pid.
  if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null; then
    kill "$spid" 2>/dev/null
    wait "$spid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "${check_name:-check}: FAIL: $*" >&2
  if [ -s "$tmp/server.out" ] || [ -s "$tmp/server.err" ]; then
    echo "--- server output:" >&2
    cat "$tmp/server.out" "$tmp/server.err" >&2
  fi
  exit 1
}

start_server() {
  local name=$1
  shift
  mkfifo "$tmp/ctl"
  # Job control on for this one job: without it bash starts background jobs
  # with SIGINT ignored, and the server would never see the Ctrl-C.
  set -m
  "$@" <"$tmp/ctl" >"$tmp/server.out" 2>"$tmp/server.err" &
  spid=$!
  set +m
  exec 3>"$tmp/ctl"
  port=
  for _ in $(seq 1 100); do
    port=$(sed -n "s/^$name: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p" "$tmp/server.out")
    [ -n "$port" ] && break
    kill -0 "$spid" 2>/dev/null || fail "server exited before listening"
    sleep 0.1
  done
  [ -n "$port" ] || fail "server did not report its port within 10 s"
}
