#!/usr/bin/env bash
# memcheck.sh BUILD_DIR
#
# Run the bin5 self-test and every bin5tool subcommand -- on good input and on
# each kind of bad input -- under valgrind memcheck.  BUILD_DIR is the
# directory holding the bin5_selftest and bin5tool executables (for meson:
# <builddir>/csrc).  Each run must (a) produce no valgrind error (invalid
# access, uninitialised value, definite or indirect leak) and (b) end with the
# exit status the tool documents (0 ok, 1 bin5/file error, 2 usage error).
# Exit status: 0 all clean, 1 some run failed, 2 bad invocation / no valgrind.
set -uo pipefail

if [ $# -ne 1 ]; then
    echo "usage: memcheck.sh BUILD_DIR   (the directory holding bin5_selftest and bin5tool)" >&2
    exit 2
fi
build="$(cd "$1" 2>/dev/null && pwd)" || { echo "memcheck: no directory $1" >&2; exit 2; }
for exe in bin5_selftest bin5tool; do
    if [ ! -x "$build/$exe" ]; then
        echo "memcheck: $build/$exe not found (build it first)" >&2
        exit 2
    fi
done
if ! command -v valgrind >/dev/null 2>&1; then
    echo "memcheck: valgrind is not installed" >&2
    exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/bin5_memcheck.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
export TMPDIR="$work"   # bin5_selftest makes its scratch directory here

vg=(valgrind -q --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect)
tool="$build/bin5tool"
runs=0
failed=0

# run EXPECTED_STATUS CMD [ARGS...]
run() {
    local want="$1" rc=0
    shift
    runs=$((runs + 1))
    "${vg[@]}" --log-file="$work/vg.log" "$@" >"$work/out" 2>"$work/err" || rc=$?
    local label="${*#"$build"/}"
    label="${label:0:110}"
    if [ "$rc" -eq 99 ] || [ -s "$work/vg.log" ]; then
        echo "FAIL (valgrind errors, exit $rc): $label"
        sed 's/^/    /' "$work/vg.log"
        failed=$((failed + 1))
    elif [ "$rc" -ne "$want" ]; then
        echo "FAIL (exit $rc, expected $want): $label"
        sed 's/^/    stderr: /' "$work/err" | head -5
        failed=$((failed + 1))
    else
        echo "ok   (exit $rc): $label"
    fi
}

# check DESCRIPTION COMMAND... : a plain (non-valgrind) assertion
check() {
    local what="$1"
    shift
    runs=$((runs + 1))
    if "$@" >/dev/null 2>&1; then
        echo "ok   $what"
    else
        echo "FAIL $what"
        failed=$((failed + 1))
    fi
}

# Deterministic raw input files (host order is irrelevant for a memory check).
pattern() {   # pattern NBYTES > file
    local i
    for ((i = 0; i < $1; i++)); do
        printf "\\$(printf '%03o' $(((i * 37 + 11) % 256)))"
    done
}
pattern 192 >raw.f8      # 24 float64
pattern 48 >raw.f4       # 12 float32
pattern 24 >raw.i2       # 12 int16
pattern 48 >raw.i4       # 12 int32
pattern 60 >raw.u1       # 60 uint8
printf 'short' >short.raw
long_text="$(printf 'x%.0s' $(seq 1 3000))"
too_long_text="$(printf 'y%.0s' $(seq 1 65537))"

# --- the library's own test program ----------------------------------------
run 0 "$build/bin5_selftest"

# --- good input -------------------------------------------------------------
run 0 "$tool" --help
run 0 "$tool" write --text "memcheck" --date "SIZE  2026 Jan 01 00:00:00  " f8 2,3,4 raw.f8 a.bin5
run 0 "$tool" write --big-endian f4 3,4 raw.f4 f4big.bin5
run 0 "$tool" write --little-endian --text "$long_text" 2 12 raw.i2 i2.bin5
run 0 "$tool" write i4 2,2,3 raw.i4 i4.bin5
run 0 "$tool" write 1 3,2,1,2,5 raw.u1 u1.bin5
run 0 "$tool" info a.bin5
run 0 "$tool" info i2.bin5
run 0 "$tool" dump a.bin5
run 0 "$tool" dump f4big.bin5
run 0 "$tool" dump i2.bin5
run 0 "$tool" dump i4.bin5
run 0 "$tool" dump u1.bin5
run 0 "$tool" raw a.bin5 back.f8
run 0 "$tool" raw f4big.bin5 back.f4
check "raw gives back the written f8 bytes" cmp raw.f8 back.f8
check "raw gives back the written f4 bytes (big-endian file)" cmp raw.f4 back.f4
run 0 "$tool" convert --big-endian a.bin5 b.bin5
run 0 "$tool" dump b.bin5
run 0 "$tool" convert --little-endian --text "again" --date "D" b.bin5 c.bin5
cp i2.bin5 i2.orig
run 0 "$tool" convert i2.bin5 i2.bin5
check "convert in place reproduces the file" cmp i2.orig i2.bin5
run 0 "$tool" convert b.bin5 b2.bin5
check "convert keeps date, text and order" cmp b.bin5 b2.bin5

# --- bad files ----------------------------------------------------------------
head -c 600 a.bin5 >truncated.bin5
head -c 300 a.bin5 >truncated_header.bin5
printf '%-499s%-8sC_END\001\002' ' 1 2 1 2 512  <<x>>' 'vax' >badarch.bin5
printf '%-499s%-8s_____\001\002' ' 1 2 1 2 512  <<x>>' 'litend' >noend.bin5
printf '%-499s%-8sC_END\001\002' ' 1 2 9 2 512  <<x>>' 'litend' >badtype.bin5
printf '%-499s%-8sC_END\001\002' ' 1 2 1 3 512  <<x>>' 'litend' >badcount.bin5
printf '%-499s%-8sC_END\001\002' ' 1 2 1 2 1000  <<x>>' 'litend' >badlen.bin5
printf 'hello, this is not a bin5 file\n' >text.txt
: >empty.bin5
mkdir adir
for f in truncated.bin5 truncated_header.bin5 badarch.bin5 noend.bin5 badtype.bin5 \
         badcount.bin5 badlen.bin5 text.txt empty.bin5 missing.bin5 adir; do
    run 1 "$tool" info "$f"
done
run 1 "$tool" dump truncated.bin5
run 1 "$tool" raw truncated.bin5 out.raw
run 1 "$tool" convert truncated.bin5 out.bin5
run 1 "$tool" dump badarch.bin5
run 1 "$tool" raw a.bin5 no-such-dir/out.raw
run 1 "$tool" raw a.bin5 adir
run 1 "$tool" convert a.bin5 adir
run 1 "$tool" convert a.bin5 no-such-dir/out.bin5
run 1 "$tool" write f8 2,2 raw.f8 wrong-size.bin5
run 1 "$tool" write f8 2 missing.raw x.bin5
run 1 "$tool" write u1 5 short.raw no-such-dir/x.bin5
run 1 "$tool" write --text "$too_long_text" u1 5 short.raw long.bin5
run 1 "$tool" write --date "SIZE >> bad" u1 5 short.raw bad-date.bin5
check "failed writes leave no temporary files" bash -c '! ls -a | grep -q "\.tmp"'

# --- usage errors -------------------------------------------------------------
run 2 "$tool"
run 2 "$tool" frobnicate x
run 2 "$tool" info
run 2 "$tool" info a.bin5 extra
run 2 "$tool" dump
run 2 "$tool" raw a.bin5
run 2 "$tool" convert a.bin5
run 2 "$tool" write f8 2,3,4 raw.f8
run 2 "$tool" write q9 2 raw.f8 bad-type.bin5
run 2 "$tool" write f8 2,0 raw.f8 bad-dims.bin5
run 2 "$tool" write f8 1,1,1,1,1,1,1,1,1 raw.f8 rank9.bin5
run 2 "$tool" write f8 2,x raw.f8 bad-dims.bin5
run 2 "$tool" --frob info a.bin5
run 2 "$tool" info --big-endian a.bin5
run 2 "$tool" convert --big-endian --little-endian a.bin5 x.bin5
run 2 "$tool" write --text

echo "memcheck: $runs runs, $failed failed"
[ "$failed" -eq 0 ] || exit 1
echo "memcheck: no memory errors or leaks"
