#!/bin/bash
# The layout check must catch what it exists for: a copy of the tree with an
# engine that includes <windows.h> and names ERROR_SUCCESS, and shared code
# that includes <pthread.h>, has to fail with those breaches named.
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src"
cp -r "$root/include" "$tmp/"
cp -r "$root/src/shared" "$root/src/linux" "$tmp/src/"
status=0
if ! bash "$root/tests/layout/check-layout.sh" "$tmp" > "$tmp/clean.log"; then
    echo "selftest: the unchanged copy fails:"; cat "$tmp/clean.log"; status=1
fi
printf '#include <windows.h>\nstatic int x = ERROR_SUCCESS;\n' >> "$tmp/src/linux/engine/epoll.c"
printf '#include <pthread.h>\n' >> "$tmp/src/shared/port.c"
bash "$root/tests/layout/check-layout.sh" "$tmp" > "$tmp/broken.log"
rc=$?
for expect in 'src/linux/engine/epoll.c includes the Win32 header <windows.h>' \
              'src/linux/engine/epoll.c names ERROR_SUCCESS' \
              'src/shared/port.c includes <pthread.h>'; do
    grep -qF "$expect" "$tmp/broken.log" || { echo "selftest: missing breach: $expect"; status=1; }
done
[ "$rc" -ne 0 ] || { echo "selftest: the broken copy passed"; status=1; }
[ "$status" -eq 0 ] && echo "selftest: the layout check passes the tree and catches 3 breaches"
exit $status
