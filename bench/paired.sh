#!/bin/sh
# bench/paired.sh - ctok against tiktoken in pairs of runs: the ratio of the two, measured so that
# both see the same minute and the same CPU.
#   sh bench/paired.sh [BUILD] NAME=PATH...   (BENCH_PAIRED_ROUNDS=3 rounds,
#                                              BENCH_ENCODINGS=gpt2,cl100k_base,o200k_base)
#
# The main table (bench_encode) times the peers first, for a few minutes, and ctok after them, each
# on whichever CPU the system gives it; this machine's speed moves by a third from minute to minute
# and its two CPUs differ by as much (doc/design.md, "Streaming and threads"), so a ratio of two
# best times taken minutes apart moves with it.  Here each round times tiktoken (a Node process of
# its own, bench/peers/bench-peers.js, loading not timed) and ctok ($BUILD/bench/bench_encode, a
# new encoder for each encode, as in the main table), the best of two encodes each (a process's
# first encode also pays for what it touches first: ctok's tables, tiktoken's regex states), one
# right after the other, both pinned to the same CPU (taskset, when it works), in alternating
# order; the table gives the median of the rounds' own ratios, with the lowest and the highest,
# and each tool's median MB/s.  The ids of the two must be the same (count and hash), or the row
# says so and the exit status is 1.  BUILD and the PATHs are taken from the repository's root (the
# script runs there), unless absolute.
BUILD=${1:-build}
[ $# -gt 0 ] && shift
rounds=${BENCH_PAIRED_ROUNDS:-3}
encodings=${BENCH_ENCODINGS:-gpt2,cl100k_base,o200k_base}
cd "$(dirname "$0")/.." || exit 2
. bench/lib.inc
out=bench/out
mkdir -p "$out" || exit 1

# one CPU for both tools: the first this process may use
pin=
cpu=$(allowed_cpus 1)
[ -n "$cpu" ] && taskset -c "$cpu" true 2>/dev/null && pin="taskset -c $cpu"
echo "(each round: tiktoken and ctok one after the other${pin:+, both on CPU $cpu}; $rounds rounds)"

# tiktoken_once ENC NAME=PATH: "SECONDS N_IDS HASH", the best of two tiktoken encodes
tiktoken_once() {
    $pin node bench/peers/bench-peers.js --peers tiktoken --encodings "$1" --repeats 2 "$2" \
        2>/dev/null | awk -F'\t' '$12 == "ok" { print $8, $6, $7 }'
}

# ctok_once ENC NAME=PATH: "SECONDS N_IDS HASH", the best of two ctok encodes
ctok_once() {
    $pin "$BUILD/bench/bench_encode" -n 2 -e "$1" --tsv "$out/paired.tsv" "$2" > /dev/null 2>&1 &&
        awk -F'\t' '$1 == "ctok" { print $7, $5, $6 }' "$out/paired.tsv"
}

status=0
printf '%-12s %-14s %6s %14s %10s %10s %14s\n' encoding input MB "ctok/tiktoken" range \
    "ctok MB/s" "tiktoken MB/s"
for enc in $(echo "$encodings" | tr ',' ' '); do
    for arg in "$@"; do
        name=${arg%%=*} path=${arg#*=}
        mb=$(wc -c < "$path" | awk '{printf "%.1f", $1 / 1e6}')
        ratios= ctoks= tts= same=yes
        for r in $(seq "$rounds"); do
            if [ $((r % 2)) = 1 ]; then
                t=$(tiktoken_once "$enc" "$arg")
                c=$(ctok_once "$enc" "$arg")
            else
                c=$(ctok_once "$enc" "$arg")
                t=$(tiktoken_once "$enc" "$arg")
            fi
            if [ -z "$t" ] || [ -z "$c" ]; then
                same=failed
                break
            fi
            # both tools' ids: the same count and hash
            [ "${t#* }" = "${c#* }" ] || same=DIFFERENT
            ratios="$ratios $(echo "$t $c" | awk '{print $1 / $4}')"
            ctoks="$ctoks $(echo "$c $mb" | awk '{print $4 / $1}')"
            tts="$tts $(echo "$t $mb" | awk '{print $4 / $1}')"
        done
        if [ "$same" != yes ]; then
            printf '%-12s %-14s %6s  %s\n' "$enc" "$name" "$mb" \
                "$([ "$same" = failed ] && echo "a run failed" || echo "ids DIFFERENT")"
            status=1
            continue
        fi
        lo=$(echo "$ratios" | tr ' ' '\n' | grep . | sort -g | head -n 1)
        hi=$(echo "$ratios" | tr ' ' '\n' | grep . | sort -g | tail -n 1)
        printf '%-12s %-14s %6s %13.1fx %10s %10.1f %14.2f\n' "$enc" "$name" "$mb" \
            "$(median "$ratios")" \
            "$(echo "$lo $hi" | awk '{printf "%.1f-%.1f", $1, $2}')" \
            "$(median "$ctoks")" \
            "$(median "$tts")"
    done
done
rm -f "$out/paired.tsv"
exit $status
