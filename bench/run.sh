#!/bin/sh
# bench/run.sh - `make bench`: every benchmark, printed as tables.
BUILD=${1:-build}
cd "$(dirname "$0")/.." || exit 2
echo "== training (bench/bench_train.c)"
"$BUILD/bench/bench_train" "${BENCH_REPEATS:-5}"
