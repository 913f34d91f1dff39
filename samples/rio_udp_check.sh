#!/usr/bin/env bash
# Runs rio_echo_server --udp on a free loopback port and checks it: every
# datagram sent (COUNT of them, 8 to 8 + SIZE bytes, 8 in flight) must come
# back once, unchanged, and the server's summary must count their bytes.
#
#   rio_udp_check.sh SERVER COUNT SIZE
#
# Exit status: 0 when everything verified, 1 otherwise, 2 on bad usage.
set -u -o pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 SERVER COUNT SIZE" >&2
  exit 2
fi
server=$1 count=$2 size=$3
check_name=rio_udp_check
# shellcheck source=server_control.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/server_control.sh"
start_server rio_echo_server "$server" --udp --port 0 --connections 64 --max-seconds 120
echo "rio_udp_check: server pid $spid on 127.0.0.1:$port"

# Loopback does not drop datagrams under this load; a lost one is reported.
if ! sent=$(timeout 60 python3 - "$port" "$count" "$size" <<'PY'
import socket, sys
port, count, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
window, total, sent, got = 8, 0, 0, 0
pending = {}
while got < count:
    while sent < count and len(pending) < window:
        body = bytes((sent + k) % 251 for k in range((sent * 7919) % (size + 1)))
        msg = b"%08d" % sent + body
        s.sendto(msg, ("127.0.0.1", port))
        pending[msg[:8]] = msg
        total += len(msg)
        sent += 1
    data, _ = s.recvfrom(65536)
    want = pending.pop(data[:8], None)
    if want != data:
        sys.exit("datagram %r came back wrong or twice" % data[:8])
    got += 1
print(total)
PY
); then
  fail "the UDP client did not get every datagram back"
fi
echo stop >&3
exec 3>&-
for _ in $(seq 1 300); do
  kill -0 "$spid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$spid" 2>/dev/null && fail "server did not stop within 30 s of being told to"
wait "$spid"
src=$?
spid=
summary=$(grep '^rio_echo_server: summary' "$tmp/server.out") || fail "server printed no summary"
echo "$summary"
[ "$src" -eq 0 ] || fail "server exited with status $src"
got_bytes=$(sed -n 's/.*bytes echoed \([0-9]*\),.*/\1/p' <<<"$summary")
[ "$got_bytes" = "$sent" ] || fail "server echoed $got_bytes bytes, the client sent $sent"
echo "rio_udp_check: PASS ($count datagrams, $sent bytes)"
