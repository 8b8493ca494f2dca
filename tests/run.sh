#!/bin/sh
# tests/run.sh - run every test of a build (unit programs, CLI scripts, fuzz corpus replay,
# Python tests) from the repository root and end with one line "N passed, N failed".
# Each test prints "ok NAME" or "FAIL NAME: ..."; a program that dies without reporting counts
# as one failure.
BUILD=${BUILD:-build}
export BUILD
export CTOK="$BUILD/ctok"
cd "$(dirname "$0")/.." || exit 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
crashed=0
run() {
    out=$("$@" 2>&1)
    rc=$?
    printf '%s\n' "$out" | tee -a "$log" | grep -E '^(FAIL|ok) ' | grep -v '^ok ' || true
    printf '%s\n' "$out" | grep -q -E '^(FAIL) ' && return
    if [ $rc -ne 0 ]; then
        echo "FAIL $*: exited with status $rc"
        printf '%s\n' "$out" | tail -20
        echo "FAIL $*: exited with status $rc" >> "$log"
    fi
}
for t in "$BUILD"/tests/*; do
    [ -x "$t" ] && run "$t"
done
for t in tests/cli/*.sh; do
    [ -f "$t" ] && run sh "$t"
done
for f in "$BUILD"/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    n=$(basename "$f")
    run "$f" "tests/fuzz/corpus/$n"
done
if [ -d python ] && command -v python3 >/dev/null 2>&1 && [ -f python/tests/run.py ]; then
    run python3 python/tests/run.py
fi
passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^FAIL ' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
