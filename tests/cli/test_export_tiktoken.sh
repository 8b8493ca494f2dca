#!/bin/sh
# test_export_tiktoken.sh - `ctok export --format tiktoken` checked by tiktoken itself: the npm
# package tiktoken (the WASM build of OpenAI's Rust core; bench/install-peers.sh installs it into
# bench/peers/node_modules) builds an encoding from each exported PREFIX.tiktoken with the pattern
# and special tokens of PREFIX.tiktoken.json, and must give the ids ctok gives with the original
# model on the corpora of tests/data (taylorswift.txt whole, every fourth line of the other two),
# and decode them back to the bytes.  Ordinary text is compared as encode_ordinary (ctok --special
# none), a text with special tokens also as encode(text, "all") (--special all).  Models: minbpe's
# three (the basic one on short texts only: a whole text as one piece costs tiktoken quadratic
# time), trained ones (GPT-2's pattern at vocabulary 1000 with a special token; o200k's pattern
# with two; a special id far above the ranks) and the built-in gpt2, p50k_base (a special id
# between the ranks: a gap in the rank file), cl100k_base and o200k_base, whose exports must also
# give tiktoken's own bundled encodings' ids.  Without node or the package, prints one
# "ok ... (skipped: why)" line.
CTOK=${CTOK:-build/ctok}
D=tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

PREFIX=export_tiktoken_
. tests/cli/lib.inc

PEERS=bench/peers
need_node_package tiktoken "tiktoken"

# export_as NAME MODEL_ARGS...: write $T/NAME.tiktoken and its sidecar; status 1 (and a FAIL line)
# when ctok refuses
export_as() {
    name=$1; shift
    if "$CTOK" export -q "$@" --format tiktoken -o "$T/$name" 2>"$T/export.err"; then return 0; fi
    fail "$name" "export failed: $(head -c 300 "$T/export.err")"
    return 1
}

# tt_same NAME SOURCE MODE MODEL_ARGS... -- FILE...: for each file, tiktoken's ids (SOURCE: an
# exported rank file, or =ENCODING for the package's own encoding) = ctok's with MODEL_ARGS, with
# special-token mode MODE (none: encode_ordinary, all: encode(text, "all")); tiktoken decodes back
tt_same() {
    name=$1; src=$2; mode=$3; shift 3
    args=""
    while [ "$1" != "--" ]; do args="$args $1"; shift; done
    shift
    bad=""
    : > "$T/ctok.ids"
    for f in "$@"; do
        # shellcheck disable=SC2086
        "$CTOK" encode --special "$mode" $args "$f" >> "$T/ctok.ids" 2>"$T/ctok.err" ||
            bad="$bad $(basename "$f"):ctok:$(head -c 200 "$T/ctok.err")"
    done
    case $src in
        =*) node "$PEERS/tiktoken-encode.js" --encoding "${src#=}" --special "$mode" --check-decode "$@" ;;
        *) node "$PEERS/tiktoken-encode.js" "$src" --special "$mode" --check-decode "$@" ;;
    esac > "$T/tt.ids" 2>"$T/tt.err" || bad="$bad tiktoken:$(head -c 300 "$T/tt.err")"
    if [ -z "$bad" ] && ! cmp -s "$T/ctok.ids" "$T/tt.ids"; then
        i=0
        for f in "$@"; do
            i=$((i + 1))
            [ "$(sed -n "${i}p" "$T/ctok.ids")" = "$(sed -n "${i}p" "$T/tt.ids")" ] || bad="$bad $(basename "$f")"
        done
        [ -n "$bad" ] || bad=" (the outputs differ in length)"
    fi
    if [ -z "$bad" ]; then ok "$name"; else fail "$name" "tiktoken's ids differ on:$bad"; fi
}

awk 'NR % 4 == 0' "$D/corpora/tinyshakespeare.txt" > "$T/tinyshakespeare-quarter.txt"
awk 'NR % 4 == 0' "$D/corpora/multilingual-sample.txt" > "$T/multilingual-quarter.txt"
CORPORA="$D/corpora/taylorswift.txt $T/tinyshakespeare-quarter.txt $T/multilingual-quarter.txt"
# short texts for the basic model (whole lines, so UTF-8 stays whole)
head -n 120 "$D/corpora/taylorswift.txt" > "$T/taylorswift-head.txt"
head -n 40 "$D/corpora/multilingual-sample.txt" > "$T/multilingual-head.txt"
SHORT="$T/taylorswift-head.txt $T/multilingual-head.txt"
# a text with special tokens between ordinary text
{ head -c 3000 "$D/corpora/tinyshakespeare.txt"; printf '<|endoftext|>'; head -c 2000 "$D/corpora/taylorswift.txt"
  printf 'x<|fim_prefix|><|endoftext|>\n<|eot|> end'; } > "$T/special.txt"

# check NAME MODEL_ARGS... -- FILE...: export, then the files with encode_ordinary and special.txt
# both ways
check() {
    name=$1; shift
    margs=""
    while [ "$1" != "--" ]; do margs="$margs $1"; shift; done
    shift
    # shellcheck disable=SC2086
    export_as "$name" $margs || return
    # shellcheck disable=SC2086
    tt_same "$name" "$T/$name.tiktoken" none $margs -- "$@" "$T/special.txt"
    # shellcheck disable=SC2086
    tt_same "${name}_special_all" "$T/$name.tiktoken" all $margs -- "$T/special.txt"
}

check taylorswift-basic512 -m "$D/minbpe/taylorswift-basic512.model" -- $SHORT
for m in taylorswift-regex512 taylorswift-regex512-special; do
    # shellcheck disable=SC2086
    check "$m" -m "$D/minbpe/$m.model" -- $CORPORA
done

"$CTOK" train -q --type regex --pattern gpt2 --vocab-size 1000 --special '<|endoftext|>' -o "$T/shak" "$D/corpora/tinyshakespeare.txt"
# shellcheck disable=SC2086
check trained_gpt2_1000 -m "$T/shak.model" -- $CORPORA

"$CTOK" train -q --type regex --pattern o200k --vocab-size 2000 --special '<|endoftext|>' --special '<|fim_prefix|>' \
    --max-bytes 400K -o "$T/multi" "$D/corpora/multilingual-sample.txt"
# shellcheck disable=SC2086
check trained_o200k_2000 -m "$T/multi.model" -- $CORPORA

"$CTOK" train -q --type regex --vocab-size 300 --special '<|eot|>=1000' -o "$T/gap" "$D/corpora/taylorswift.txt"
check special_id_gap -m "$T/gap.model" --

for e in gpt2 p50k_base cl100k_base o200k_base; do
    check "builtin_$e" -e "$e" -- "$T/multilingual-quarter.txt"
    tt_same "builtin_${e}_is_tiktokens_own" "=$e" all -e "$e" -- "$T/multilingual-quarter.txt" "$T/special.txt"
done
