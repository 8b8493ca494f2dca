#!/bin/sh
# test_export_hf.sh - `ctok export --format hf` checked by HF tokenizers itself: its Rust core,
# through the native Node binding @anush008/tokenizers (bench/install-peers.sh installs it into
# bench/peers/node_modules), loads each exported tokenizer.json and must give ctok's ids on the
# corpora of tests/data (taylorswift.txt whole, every fourth line of the other two: HF takes ~2.5 s
# of CPU per MB here), and decode them back to the text.  Models: minbpe's three, trained ones
# (GPT-2's pattern at vocabulary 1000 with a special token; o200k's pattern with HF's tie rule; a
# special id far above the merges) and the built-in gpt2, cl100k_base and o200k_base, whose merge
# lists the export recovers from their ranks.  HF always splits out special tokens, so ctok encodes
# with --special all.  Without node or the binding, prints one "ok ... (skipped: why)" line.
CTOK=${CTOK:-build/ctok}
D=tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

PREFIX=export_hf_
. tests/cli/lib.inc

PEERS=bench/peers
need_node_package @anush008/tokenizers "HF tokenizers"

# hf_same NAME TOKENIZER_JSON MODEL_ARGS... -- FILE...: HF's ids = ctok's, and HF decodes back
hf_same() {
    name=$1; json=$2; shift 2
    args=""
    while [ "$1" != "--" ]; do args="$args $1"; shift; done
    shift
    bad=""
    for f in "$@"; do
        # shellcheck disable=SC2086
        "$CTOK" encode --special all $args "$f" > "$T/ctok.ids" 2>"$T/ctok.err" || bad="$bad $(basename "$f"):ctok:$(head -c 200 "$T/ctok.err")"
        node "$PEERS/hf-encode.js" "$json" "$f" --check-decode > "$T/hf.ids" 2>"$T/hf.err" || bad="$bad $(basename "$f"):hf:$(head -c 200 "$T/hf.err")"
        [ -s "$T/ctok.ids" ] && cmp -s "$T/ctok.ids" "$T/hf.ids" || bad="$bad $(basename "$f")"
    done
    if [ -z "$bad" ]; then ok "$name"; else fail "$name" "HF's ids differ on:$bad"; fi
}

awk 'NR % 4 == 0' "$D/corpora/tinyshakespeare.txt" > "$T/tinyshakespeare-quarter.txt"
awk 'NR % 4 == 0' "$D/corpora/multilingual-sample.txt" > "$T/multilingual-quarter.txt"
CORPORA="$D/corpora/taylorswift.txt $T/tinyshakespeare-quarter.txt $T/multilingual-quarter.txt"
# a text with special tokens between ordinary text
{ head -c 3000 "$D/corpora/tinyshakespeare.txt"; printf '<|endoftext|>'; head -c 2000 "$D/corpora/taylorswift.txt"
  printf 'x<|fim_prefix|><|endoftext|>\n<|eot|> end'; } > "$T/special.txt"

for m in taylorswift-basic512 taylorswift-regex512 taylorswift-regex512-special; do
    "$CTOK" export -q -m "$D/minbpe/$m.model" --format hf -o "$T/$m"
    # shellcheck disable=SC2086
    hf_same "$m" "$T/$m.tokenizer.json" -m "$D/minbpe/$m.model" -- $CORPORA "$T/special.txt"
done

"$CTOK" train -q --type regex --pattern gpt2 --vocab-size 1000 --special '<|endoftext|>' -o "$T/shak" "$D/corpora/tinyshakespeare.txt"
"$CTOK" export -q -m "$T/shak.model" --format hf -o "$T/shak"
# shellcheck disable=SC2086
hf_same trained_gpt2_1000 "$T/shak.tokenizer.json" -m "$T/shak.model" -- $CORPORA "$T/special.txt"

"$CTOK" train -q --type regex --pattern o200k --vocab-size 2000 --ties smallest-pair -o "$T/multi" "$D/corpora/multilingual-sample.txt"
"$CTOK" export -q -m "$T/multi.model" --format hf -o "$T/multi"
# shellcheck disable=SC2086
hf_same trained_o200k_2000 "$T/multi.tokenizer.json" -m "$T/multi.model" -- $CORPORA

"$CTOK" train -q --type regex --vocab-size 300 --special '<|eot|>=1000' -o "$T/gap" "$D/corpora/taylorswift.txt"
"$CTOK" export -q -m "$T/gap.model" --format hf -o "$T/gap"
hf_same special_id_gap "$T/gap.tokenizer.json" -m "$T/gap.model" -- "$T/special.txt"

for e in gpt2 cl100k_base o200k_base; do
    "$CTOK" export -q -e "$e" --format hf -o "$T/$e"
    hf_same "builtin_$e" "$T/$e.tokenizer.json" -e "$e" -- "$T/multilingual-quarter.txt" "$T/special.txt"
done
