#!/usr/bin/env bash
# Clean shutdown by signal with connections still open: starts a sample
# server (echo_server or chat_server) with its default worker count (from
# GetSystemInfo), opens a few connections and leaves them idle, so each has a
# WSARecv pending and the AcceptEx pool is posted, then sends SIGINT (Ctrl-C)
# and checks that the server
#   - exits with status 0 within 15 s,
#   - printed its summary, saying it was stopped by Ctrl-C, that it saw every
#     connection and that none is still open and no accept still pending,
#   - closed every connection (each reads end of file).
#
#   shutdown_check.sh SERVER NAME [CONNECTIONS]      NAME: echo_server or chat_server
set -u -o pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 SERVER echo_server|chat_server [CONNECTIONS]" >&2
  exit 2
fi
server=$1 name=$2 conns=${3:-5}
case $name in
  echo_server) counted=connections ;;
  chat_server) counted=sessions ;;
  *) echo "shutdown_check: NAME must be echo_server or chat_server" >&2; exit 2 ;;
esac

check_name=shutdown_check
# shellcheck source=server_control.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/server_control.sh"
start_server "$name" "$server" --port 0 --max-seconds 120
head -1 "$tmp/server.out"

# Idle connections, each a file descriptor of this shell (bash's /dev/tcp).
fds=()
for _ in $(seq 1 "$conns"); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$port" || fail "cannot connect"
  fds+=("$fd")
done
if [ "$name" = echo_server ]; then
  # One round trip first, so the server has surely accepted and served.
  printf 'ping\n' >&"${fds[0]}"
  read -r -t 10 line <&"${fds[0]}" && [ "$line" = ping ] || fail "no echo before the shutdown"
fi
sleep 0.5   # let the AcceptEx completions of the others arrive

started=$(date +%s%N)
kill -INT "$spid"
for _ in $(seq 1 150); do
  kill -0 "$spid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$spid" 2>/dev/null && fail "server still running 15 s after SIGINT"
wait "$spid"
src=$?
spid=
echo "$name stopped $(( ($(date +%s%N) - started) / 1000000 )) ms after SIGINT, exit status $src"
summary=$(grep "^$name: summary" "$tmp/server.out") || fail "no summary"
echo "$summary"
[ -s "$tmp/server.err" ] && { echo "--- server stderr:"; cat "$tmp/server.err"; }
[ "$src" -eq 0 ] || fail "exit status $src"
grep -q 'stopped by ctrl-c$' <<<"$summary" || fail "summary does not say Ctrl-C"
grep -q ": $counted $conns," <<<"$summary" || fail "summary does not count $conns $counted"
grep -q ', still open 0,' <<<"$summary" || fail "connections still open"
grep -q ', accepts pending 0,' <<<"$summary" || fail "accepts still pending"

# Every connection was closed by the server: reading reaches end of file
# (after the chat server's 4-byte "joined" notice).
for fd in "${fds[@]}"; do
  timeout 5 cat <&"$fd" >/dev/null || fail "a connection was not closed by the server"
  exec {fd}<&-
done
echo "shutdown_check: PASS"
