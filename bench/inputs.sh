#!/bin/sh
# bench/inputs.sh - the inputs of the encoding benchmark, listed one "NAME PATH" a line on stdout.
#   sh bench/inputs.sh [BUILD]      (from anywhere; BUILD defaults to build)
#
#   corpus-41M   the 41 MB multilingual corpus, ~/.cache/ctok/corpus-big.txt (or $CTOK_CORPUS),
#                built by ../shared/tools/make-corpus.sh when missing and ../shared exists;
#                skipped with a note on stderr otherwise
#   shakespeare  tests/data/corpora/tinyshakespeare.txt (1.1 MB of English)
#   a-1M         "a" * 1,000,000: one pre-tokenizer piece of a million bytes
#   base64-1M    1,000,000 characters of base64 of seeded pseudo-random bytes, no newlines
# The generated ones are made once by $BUILD/bench/gen_inputs into bench/out/ (git ignores it).
BUILD=${1:-build}
cd "$(dirname "$0")/.." || exit 2
OUT=bench/out
mkdir -p "$OUT" || exit 1

corpus=${CTOK_CORPUS:-$HOME/.cache/ctok/corpus-big.txt}
if [ ! -s "$corpus" ] && [ -f ../shared/tools/make-corpus.sh ]; then
    echo "bench: building the corpus $corpus (../shared/tools/make-corpus.sh, a few minutes)" >&2
    bash ../shared/tools/make-corpus.sh "$corpus" >&2 || echo "bench: make-corpus.sh failed" >&2
fi
if [ -s "$corpus" ]; then
    echo "corpus-41M $corpus"
else
    echo "bench: no corpus at $corpus and no ../shared/tools/make-corpus.sh: skipping corpus-41M" >&2
fi

echo "shakespeare tests/data/corpora/tinyshakespeare.txt"

if [ ! -s "$OUT/a-1M.txt" ]; then
    "$BUILD/bench/gen_inputs" letter 1000000 "$OUT/a-1M.txt" || exit 1
fi
echo "a-1M $OUT/a-1M.txt"

if [ ! -s "$OUT/base64-1M.txt" ]; then
    "$BUILD/bench/gen_inputs" base64 1000000 20240601 "$OUT/base64-1M.txt" || exit 1
fi
echo "base64-1M $OUT/base64-1M.txt"
