#!/usr/bin/env bash
# Runs the chat server on a free loopback port, drives it with the chat
# client, stops it with SIGINT (Ctrl-C) and checks both sides:
#   - the client exits 0 and prints "RESULT: PASS": every session received
#     every broadcast exactly once, in order per sender, intact;
#   - the server exits 0 after a summary saying it was stopped by Ctrl-C, with
#     counts matching the run: N sessions, N*M messages, N*N*M frames
#     delivered, one send buffer per broadcast (not one per session), nothing
#     still open and no buffer alive.
#
#   chat_check.sh SERVER CLIENT SESSIONS MESSAGES [MAX_SIZE]
#
# Environment: CHAT_SERVER_THREADS (default: the server's own, from
# GetSystemInfo), CHAT_CLIENT_THREADS (default 2), CHAT_RUN_TIMEOUT (seconds
# for the client run, default 120), CHAT_SERVER_SESSIONS (plain, rio or
# mixed: the server's --sessions; with rio every session, with mixed every
# second one, must have run on RIO with no fallback to plain).
# Exit status: 0 when everything verified, 1 otherwise, 2 on bad usage.
set -u -o pipefail

if [ $# -lt 4 ]; then
  echo "usage: $0 SERVER CLIENT SESSIONS MESSAGES [MAX_SIZE]" >&2
  exit 2
fi
server=$1 client=$2 sessions=$3 messages=$4 max_size=${5:-256}
client_threads=${CHAT_CLIENT_THREADS:-2}
run_timeout=${CHAT_RUN_TIMEOUT:-120}
server_args=(--port 0 --max-seconds $(( run_timeout + 60 )))
[ -n "${CHAT_SERVER_THREADS:-}" ] && server_args+=(--threads "$CHAT_SERVER_THREADS")
session_kind=${CHAT_SERVER_SESSIONS:-plain}
server_args+=(--sessions "$session_kind")

check_name=chat_check
# shellcheck source=server_control.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/server_control.sh"
start_server chat_server "$server" "${server_args[@]}"
head -1 "$tmp/server.out"

echo "== $sessions sessions x $messages messages (payload up to $max_size bytes)"
timeout "$run_timeout" "$client" --port "$port" --sessions "$sessions" --messages "$messages" \
  --max-size "$max_size" --threads "$client_threads" --timeout-seconds "$(( run_timeout - 5 ))" \
  | tee "$tmp/client.out"
rc=${PIPESTATUS[0]}
status=0
if [ "$rc" -ne 0 ]; then
  echo "chat_check: FAIL: client exited with status $rc" >&2
  status=1
elif ! grep -q '^RESULT: PASS' "$tmp/client.out"; then
  echo "chat_check: FAIL: client did not report PASS" >&2
  status=1
fi

# Ctrl-C, then wait for the server, bounded.
kill -INT "$spid"
for _ in $(seq 1 300); do
  kill -0 "$spid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$spid" 2>/dev/null && fail "server did not stop within 30 s of SIGINT"
wait "$spid"
src=$?
spid=
# (tr: a Windows build's lines end in CR LF.)
summary=$(tr -d '\r' <"$tmp/server.out" | grep '^chat_server: summary') || fail "server printed no summary"
echo "$summary"
[ -s "$tmp/server.err" ] && { echo "--- server stderr:"; cat "$tmp/server.err"; }
[ "$src" -eq 0 ] || fail "server exited with status $src"
grep -q 'stopped by ctrl-c$' <<<"$summary" || fail "the summary does not say the server was stopped by Ctrl-C"

field() { sed -n "s/.*[:,] $1 \([0-9]*\),.*/\1/p" <<<"$summary"; }
want_msgs=$(( sessions * messages ))
want_frames=$(( sessions * sessions * messages ))
got_sessions=$(field sessions) got_msgs=$(field messages) got_bcasts=$(field broadcasts)
got_buffers=$(field "send buffers") got_frames=$(field "frames delivered")
got_open=$(field "still open") got_alive=$(field "buffers alive")
check() {
  if [ "$2" != "$3" ]; then
    echo "chat_check: FAIL: server $1 is '$2', expected $3" >&2
    status=1
  fi
}
check sessions "$got_sessions" "$sessions"
check messages "$got_msgs" "$want_msgs"
check "frames delivered" "$got_frames" "$want_frames"
# One allocation per broadcast, however many sessions it goes to (a broadcast
# may carry several messages that arrived in one receive).
check "send buffers" "$got_buffers" "$got_bcasts"
if [ -z "$got_bcasts" ] || [ "$got_bcasts" -gt "$want_msgs" ] || [ "$got_bcasts" -lt 1 ]; then
  echo "chat_check: FAIL: $got_bcasts broadcasts for $want_msgs messages" >&2
  status=1
fi
check "still open" "$got_open" 0
case $session_kind in
  plain) want_rio=0 ;;
  rio) want_rio=$sessions ;;
  mixed) want_rio=$(( sessions / 2 )) ;;
  *) echo "chat_check: CHAT_SERVER_SESSIONS must be plain, rio or mixed" >&2; exit 2 ;;
esac
check "rio sessions" "$(field "rio sessions")" "$want_rio"
check "rio fallbacks" "$(field "rio fallbacks")" 0
check "buffers alive" "$got_alive" 0

if [ "$status" -eq 0 ]; then
  echo "chat_check: PASS ($want_frames broadcasts verified by the client; $got_buffers send buffers for $got_frames deliveries)"
else
  echo "chat_check: FAIL" >&2
fi
exit "$status"
