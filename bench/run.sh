#!/bin/sh
# bench/run.sh - `make bench`: every benchmark, printed as tables (doc/bench.md explains them).
#   sh bench/run.sh [BUILD]       BUILD holds ctok and bench/* (default build)
#
# 1. training times (bench/bench_train.c)
# 2. encoding speed, ctok vs tiktoken vs HF tokenizers: the inputs (bench/inputs.sh), the peers
#    timed in Node (bench/peers/bench-peers.js, skipped with a note when node or the peers are
#    missing), then ctok (bench/bench_encode.c), which checks the peers' ids against its own and
#    prints the table, the CLI's start-up time and its peak RSS on the corpus.
#    Then ctok against tiktoken in pairs of runs on one CPU, the ratio of each pair
#    (bench/paired.sh).
# 3. the CLI on two threads against one on the corpus, output compared (bench/threads.sh), and
#    what the two cores cost each other on chains of dependent loads (bench/mem_contention.c);
#    short texts, one call each, as a service encodes them (bench/short_calls.c)
# 4. linear time: long pieces and random bytes at three sizes, and the CLI on one piece of 10 MB
#    and 100 MB
#
# Knobs (environment):
#   BENCH_REPEATS=5         runs per case for ctok (best and median are printed)
#   BENCH_BUDGET=10         ...but a ctok case stops repeating after this many seconds
#   BENCH_PEER_REPEATS=3    runs per case for the peers
#   BENCH_PEER_BUDGET=15    ...and their budget per case in seconds
#   BENCH_HF_BYTES=1200000  HF tokenizers encodes at most this much of each input (a sample of
#                           16 evenly spaced slices; so only the corpus is sampled): it runs at
#                           well under 1 MB/s here
#   BENCH_TIKTOKEN_LETTER_BYTES=32768
#                           tiktoken on "a" * 1,000,000 gets this much: its merge loop is
#                           quadratic in the piece (the whole megabyte would take ~15 minutes)
#   BENCH_ENCODINGS=gpt2,cl100k_base,o200k_base
#   BENCH_PEERS=0           skip the peers
#   BENCH_PAIRED_ROUNDS=3   pairs of tiktoken and ctok runs on the corpus and tinyshakespeare
#   BENCH_THREAD_ROUNDS=5   alternating rounds of -j1 and -j2 (best of each is printed)
#   CTOK_CORPUS=PATH        the 41 MB corpus (default ~/.cache/ctok/corpus-big.txt)
BUILD=${1:-build}
cd "$(dirname "$0")/.." || exit 2
echo "== training (bench/bench_train.c)"
"$BUILD/bench/bench_train" "${BENCH_REPEATS:-5}"

echo
echo "== encoding: ctok vs tiktoken vs HF tokenizers, one thread (bench/bench_encode.c, bench/peers/)"
# the figures move with whatever else runs: say how busy the machine was
[ -r /proc/loadavg ] && echo "($(date -u '+%Y-%m-%d %H:%M UTC'), $(getconf _NPROCESSORS_ONLN 2>/dev/null) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start)"
mkdir -p bench/out
inputs=$(sh bench/inputs.sh "$BUILD") || exit 1
set --
while read -r name path; do
    [ -n "$name" ] && set -- "$@" "$name=$path"
done <<EOF
$inputs
EOF
encodings=${BENCH_ENCODINGS:-gpt2,cl100k_base,o200k_base}

peers=bench/out/peers.tsv
rm -f "$peers"
if [ "${BENCH_PEERS:-1}" = 0 ]; then
    echo "(peers skipped: BENCH_PEERS=0)"
elif ! command -v node >/dev/null 2>&1; then
    echo "(peers skipped: node is not installed; tiktoken and HF columns stay empty)"
elif ! sh bench/install-peers.sh; then
    echo "(peers skipped: bench/install-peers.sh could not install them)"
elif ! node bench/peers/make-hf-tokenizers.js bench/out; then
    echo "(peers skipped: bench/peers/make-hf-tokenizers.js failed)"
else
    echo "(timing the peers first: a few minutes; progress on stderr)"
    if node bench/peers/bench-peers.js --encodings "$encodings" --hf-dir bench/out \
        --repeats "${BENCH_PEER_REPEATS:-3}" --budget "${BENCH_PEER_BUDGET:-15}" \
        --limit "hf:*=${BENCH_HF_BYTES:-1200000}" \
        --limit "tiktoken:a-1M=${BENCH_TIKTOKEN_LETTER_BYTES:-32768}" \
        "$@" > "$peers.tmp"; then
        mv "$peers.tmp" "$peers"
    else
        rm -f "$peers.tmp"
        echo "(peers failed: see the messages above; tiktoken and HF columns stay empty)"
    fi
fi
echo
if [ -f "$peers" ]; then
    "$BUILD/bench/bench_encode" -n "${BENCH_REPEATS:-5}" -b "${BENCH_BUDGET:-10}" -e "$encodings" \
        --peers "$peers" --ctok "$BUILD/ctok" --tsv bench/out/encode.tsv "$@"
else
    "$BUILD/bench/bench_encode" -n "${BENCH_REPEATS:-5}" -b "${BENCH_BUDGET:-10}" -e "$encodings" \
        --ctok "$BUILD/ctok" --tsv bench/out/encode.tsv "$@"
fi
status=$?

echo
echo "== ctok against tiktoken in pairs of runs: the same minute, the same CPU (bench/paired.sh)"
paired_inputs=$(echo "$inputs" | awk '$1 == "corpus-41M" || $1 == "shakespeare" {print $1 "=" $2}')
if [ -f "$peers" ] && [ -n "$paired_inputs" ]; then
    # shellcheck disable=SC2086 # one NAME=PATH a word
    sh bench/paired.sh "$BUILD" $paired_inputs || status=1
else
    echo "(skipped: no peers or no inputs)"
fi

echo
echo "== threads: \`ctok encode -j1\` and \`-j2\` on the corpus, process start to exit, ids to /dev/null (bench/threads.sh)"
corpus=$(echo "$inputs" | awk '$1 == "corpus-41M" {print $2}')
if [ -n "$corpus" ]; then
    sh bench/threads.sh "$BUILD" "$corpus" 2 || status=1
    # the same text as JSONL, eight lines to a JSON string: its lines are split between threads
    jsonl=bench/out/corpus-41M.jsonl
    [ -s "$jsonl" ] || "$BUILD/bench/gen_inputs" jsonl "$corpus" 8 "$jsonl" || exit 1
    echo "(the corpus as JSONL, eight lines to a JSON string: \`ctok encode --jsonl\`)"
    BENCH_THREAD_FLAGS=--jsonl BENCH_ENCODINGS=o200k_base sh bench/threads.sh "$BUILD" "$jsonl" 2 ||
        status=1
else
    echo "(skipped: no corpus)"
fi
echo
echo "== memory: a chain of dependent loads, one thread alone and two at once"\
" (bench/mem_contention.c)"
# what the two cores cost each other where encoding spends its time: waiting on loads
"$BUILD/bench/mem_contention" 256 1024 4096 32768 || status=1

echo
echo "== short texts: a call on 30, 300 and 3000 bytes, through ctok_count (an encoder made and"\
" freed each call) and through one encoder kept for all calls (bench/short_calls.c)"
"$BUILD/bench/short_calls" -e "$encodings" shakespeare=tests/data/corpora/tinyshakespeare.txt \
    multilingual=tests/data/corpora/multilingual-sample.txt || status=1

echo
echo "== linear time: long pieces and random bytes at 100 KB, 1 MB and 10 MB"\
" (ctok only, one thread)"
# A quadratic merge loop shows as MB/s falling tenfold per size step; linear time keeps it flat.
# letter: one letter repeated (windows repeat, bench/gen_inputs.c); lower: random lowercase
# letters, one piece with nothing to reuse (src/bpe_long.c's worst case); bytes: random bytes,
# invalid UTF-8 every few bytes (the slowest input found).
set --
for size in 100000 1000000 10000000; do
    for kind in letter lower bytes; do
        f=bench/out/$kind-$size.txt
        if [ ! -s "$f" ]; then
            if [ $kind = letter ]; then
                "$BUILD/bench/gen_inputs" letter $size "$f" || exit 1
            else
                "$BUILD/bench/gen_inputs" $kind $size 20240601 "$f" || exit 1
            fi
        fi
        set -- "$@" "$kind-$size=$f"
    done
done
"$BUILD/bench/bench_encode" -n "${BENCH_REPEATS:-5}" -b "${BENCH_BUDGET:-10}" -e "$encodings" "$@" |
    sed -n '1,/^$/p'

# The CLI reads a piece that has no place to cut until it ends; each read that finds no cut must
# grow the buffer geometrically, or the cut search (which rescans the buffer) turns quadratic.
echo "== the CLI on long input with few places to cut: \`ctok count -e o200k_base\`"
echo "(process start to exit; default threads unless -j1)"
f=bench/out/letter-100000000.txt
[ -s "$f" ] || "$BUILD/bench/gen_inputs" letter 100000000 "$f" || exit 1
# One piece of one letter has no place to cut: it is held whole, so peak RSS grows with it (see
# doc/design.md). The multilingual sample on one line without ASCII letters or digits, 75 copies
# (50 MB of Cyrillic, Greek, CJK, punctuation and spaces), is cut before a space and a letter and
# after a letter at punctuation: it streams in bounded memory, on both threads.
script=bench/out/oneline-script.txt
if [ ! -s "$script" ]; then
    tr '\n' ' ' < tests/data/corpora/multilingual-sample.txt | tr -d 'A-Za-z0-9' > "$script.1" &&
        i=0 && while [ $i -lt 75 ]; do cat "$script.1"; i=$((i + 1)); done > "$script" &&
        rm -f "$script.1" || exit 1
fi
# one row: NAME FILE [ctok count's options]
cli_row() {
    name=$1 input=$2
    shift 2
    r=$("$BUILD/bench/rss_run" "$BUILD/ctok" count -e o200k_base "$@" "$input" 2>&1 >/dev/null |
        tail -1)
    mb=$(wc -c < "$input" | awk '{printf "%.1f", $1 / 1e6}')
    echo "$mb $r" | awk -v n="$name" \
        'NF == 3 {printf "%-22s %8s %10.2f %10.1f %12.1f\n", n, $1, $2, $1 / $2, $3 / 1024; ok = 1}
         END {exit !ok}' || status=1
}
printf '%-22s %8s %10s %10s %12s\n' input MB seconds "MB/s" "peak RSS MB"
cli_row letter-10000000 bench/out/letter-10000000.txt
cli_row letter-100000000 "$f"
cli_row "oneline-script -j1" "$script" -j1
cli_row oneline-script "$script"
exit $status
