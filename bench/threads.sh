#!/bin/sh
# bench/threads.sh - the CLI on several threads against one: `ctok encode -j1` and `-jN` on one
# large file, for each encoding, as one table.
#   sh bench/threads.sh [BUILD] FILE [N]      (N defaults to 2; BENCH_THREAD_ROUNDS=5 rounds;
#                                             BENCH_THREAD_FLAGS: more options, e.g. --jsonl)
#
# Each round runs -j1 then -jN (alternating, so that both see the same phases of a shared machine),
# ids to /dev/null, timed from process start to exit by $BUILD/bench/rss_run; the table gives the
# best time of each, their ratio, and the median of the rounds' own ratios (each round's two runs
# are seconds apart, so a slow minute of the machine slows both alike).  Each round also runs -j1
# pinned (taskset) to each of the first N CPUs in turn: the virtual CPUs of this machine are not
# equally fast, and which one is slower changes from minute to minute (doc/bench.md), so -jN can
# be at most as fast as the CPUs' one-thread rates added up.  "ceiling" is that sum over the
# unpinned -j1 rate, and "of ceiling" the speedup over the ceiling, each the median of the
# rounds' own.  Then one more run of each writes its ids to a file and the two files are compared
# byte for byte: the threaded output must be identical.  Exit status 1 if it is not, or a run fails.
BUILD=${1:-build}
file=$2
threads=${3:-2}
rounds=${BENCH_THREAD_ROUNDS:-5}
encodings=${BENCH_ENCODINGS:-gpt2,cl100k_base,o200k_base}
cd "$(dirname "$0")/.." || exit 2
. bench/lib.inc
if [ ! -s "$file" ]; then
    echo "threads: no input file $file" >&2
    exit 1
fi
out=bench/out
mkdir -p "$out" || exit 1
mb=$(wc -c < "$file" | awk '{printf "%.1f", $1 / 1e6}')
status=0

# run_once ENC J OUTPUT [PREFIX]: one run with J threads, ids to OUTPUT, the command after PREFIX
# (taskset ...); prints its wall seconds
run_once() {
    # shellcheck disable=SC2086 # the flags are words
    $4 "$BUILD/bench/rss_run" -o "$out/threads.time" "$BUILD/ctok" encode -e "$1" -j "$2" \
        ${BENCH_THREAD_FLAGS:-} "$file" > "$3" || return 1
    cut -d' ' -f1 "$out/threads.time"
}

# the CPUs to pin -j1 to, one a run: the first $threads this process may use, if taskset works
cpus=$(allowed_cpus "$threads")

printf '%-12s %6s %10s %10s %8s %8s %8s %10s  %s\n' encoding MB "-j1 s" "-j$threads s" speedup \
    median ceiling "of ceiling" output
for enc in $(echo "$encodings" | tr ',' ' '); do
    best1= bestn= ratios= ceilings= shares=
    for r in $(seq "$rounds"); do
        t1=$(run_once "$enc" 1 /dev/null) || { status=1; break; }
        tn=$(run_once "$enc" "$threads" /dev/null) || { status=1; break; }
        best1=$(echo "$t1 $best1" | awk '{print ($2 == "" || $1 < $2) ? $1 : $2}')
        bestn=$(echo "$tn $bestn" | awk '{print ($2 == "" || $1 < $2) ? $1 : $2}')
        ratio=$(echo "$t1 $tn" | awk '{print $1 / $2}')
        ratios="$ratios $ratio"
        [ -n "$cpus" ] || continue
        rates=0 # the pinned runs' rates added up, in units of the unpinned -j1 run's
        for c in $cpus; do
            tc=$(run_once "$enc" 1 /dev/null "taskset -c $c") || { status=1; break 2; }
            rates=$(echo "$rates $t1 $tc" | awk '{print $1 + $2 / $3}')
        done
        ceilings="$ceilings $rates"
        shares="$shares $(echo "$ratio $rates" | awk '{print $1 / $2}')"
    done
    median=$(median "$ratios")
    ceiling=$(median "$ceilings")
    share=$(median "$shares")
    same=failed
    if run_once "$enc" 1 "$out/threads-1.ids" > /dev/null &&
        run_once "$enc" "$threads" "$out/threads-n.ids" > /dev/null; then
        if cmp -s "$out/threads-1.ids" "$out/threads-n.ids"; then
            same=identical
        else
            same=DIFFERENT
            status=1
        fi
    else
        status=1
    fi
    rm -f "$out/threads-1.ids" "$out/threads-n.ids"
    if [ -n "$best1" ] && [ -n "$bestn" ]; then
        printf '%-12s %6s %10.2f %10.2f %7.2fx %7.2fx %8s %10s  %s\n' "$enc" "$mb" "$best1" \
            "$bestn" "$(echo "$best1 $bestn" | awk '{print $1 / $2}')" "$median" \
            "$(echo "$ceiling" | awk '{print ($1 == "") ? "-" : sprintf("%.2fx", $1)}')" \
            "$(echo "$share" | awk '{print ($1 == "") ? "-" : sprintf("%.0f%%", 100 * $1)}')" \
            "$same"
    else
        printf '%-12s %6s %10s %10s %8s %8s %8s %10s  %s\n' "$enc" "$mb" - - - - - - "$same"
    fi
done
rm -f "$out/threads.time"
exit $status
