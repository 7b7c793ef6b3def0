#!/usr/bin/env bash
# Run the bin5 self-test and every bin5tool subcommand (good and bad input)
# under valgrind; fail on any memory error or leak.  Usage: memcheck.sh BUILD_DIR
set -euo pipefail
build="$(cd "${1:?usage: memcheck.sh BUILD_DIR (holding bin5_selftest and bin5tool)}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect)
run() {   # run CMD...; accept exit 0/1/2 (tool errors are expected), fail on valgrind's 99
    local rc=0
    "${vg[@]}" "$@" >/dev/null 2>"$work/stderr" || rc=$?
    if [ "$rc" -gt 2 ] || grep -q "==[0-9]*==" "$work/stderr"; then
        echo "memcheck: valgrind errors in: $*"; cat "$work/stderr"; exit 1
    fi
    echo "ok (exit $rc): ${*#$build/}"
}
run "$build/bin5_selftest"
tool="$build/bin5tool"
python3 - <<'PY'
import struct
with open("raw.f8", "wb") as f:
    f.write(struct.pack("<24d", *[i * 0.5 for i in range(24)]))
PY
run "$tool" write --text "memcheck" --date "SIZE  fixed  " f8 2,3,4 raw.f8 a.bin5
run "$tool" info a.bin5
run "$tool" dump a.bin5
run "$tool" raw a.bin5 back.raw
run "$tool" convert --big-endian a.bin5 b.bin5
run "$tool" dump b.bin5
run "$tool" convert --little-endian --text "again" b.bin5 c.bin5
cmp raw.f8 back.raw
head -c 600 a.bin5 > truncated.bin5
run "$tool" info truncated.bin5
run "$tool" dump truncated.bin5
run "$tool" info missing.bin5
run "$tool" info .
run "$tool" write f8 2,2 raw.f8 wrong-size.bin5
run "$tool" write q9 2 raw.f8 bad-type.bin5
run "$tool" frobnicate
echo "memcheck: no memory errors or leaks"
