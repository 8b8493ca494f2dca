#!/bin/sh
# test_export.sh - `ctok export` and the model files -m takes besides .model: an exported
# .tiktoken (with its sidecar), OpenAI's rank files with a built-in encoding's pattern and special
# tokens (-m FILE.tiktoken -e NAME), GPT-2's encoder.json + vocab.bpe.  Reference checks: the
# exported built-in rank files are data/vocab's byte for byte, and the rank files and GPT-2's
# files loaded through -m give tiktoken's ids on every line of tests/data/vectors.  Round trips:
# minbpe's and trained models, exported and loaded back, give the original's ids on every corpus.
# Prints "ok NAME" or "FAIL NAME: why".
CTOK=${CTOK:-build/ctok}
D=tests/data
V=data/vocab
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

PREFIX=export_
. tests/cli/lib.inc

# same_ids NAME MODEL_A MODEL_B: both encode every corpus (special tokens allowed) to the same ids
same_ids() {
    name=$1; a=$2; b=$3; bad=""
    for f in "$D"/corpora/*.txt; do
        "$CTOK" encode --special all -m "$a" "$f" > "$T/a.ids" 2>"$T/a.err" || bad="$bad $(basename "$f"):A-failed:$(head -c 200 "$T/a.err")"
        "$CTOK" encode --special all -m "$b" "$f" > "$T/b.ids" 2>"$T/b.err" || bad="$bad $(basename "$f"):B-failed:$(head -c 200 "$T/b.err")"
        [ -s "$T/a.ids" ] && cmp -s "$T/a.ids" "$T/b.ids" || bad="$bad $(basename "$f")"
    done
    if [ -z "$bad" ]; then ok "$name"; else fail "$name" "different ids on:$bad"; fi
}

# vectors NAME ENC_FILE MODEL_ARGS...: every line's ids as tiktoken's in tests/data/vectors
# (encode_ordinary: special token texts are ordinary text)
vectors() {
    name=$1; file=$2; shift 2
    sed 's/.*"ids":\(\[[0-9,]*\]\)}$/\1/' "$file" > "$T/want.ids"
    if "$CTOK" encode --jsonl --special none "$@" "$file" > "$T/got.ids" 2>"$T/err" && cmp -s "$T/got.ids" "$T/want.ids"; then
        ok "$name"
    else
        fail "$name" "$(head -c 200 "$T/err") $(cmp "$T/got.ids" "$T/want.ids" 2>&1 | head -1)"
    fi
}

# --- minbpe's models: export as tiktoken, load back, same ids ---
for m in taylorswift-basic512 taylorswift-regex512 taylorswift-regex512-special; do
    check_status "tiktoken_$m" 0 "$CTOK" export -m "$D/minbpe/$m.model" --format tiktoken -o "$T/$m"
    [ -s "$T/$m.tiktoken" ] && [ -s "$T/$m.tiktoken.json" ] && ok "tiktoken_${m}_files" || fail "tiktoken_${m}_files" "missing"
    same_ids "tiktoken_${m}_same_ids" "$D/minbpe/$m.model" "$T/$m.tiktoken"
done
# the sidecar itself works as -m too, and the files are minbpe's tokens (merge 0 of the regex
# model is "101 114" = "er", base64 ZXI=)
same_ids tiktoken_by_sidecar "$D/minbpe/taylorswift-regex512-special.model" "$T/taylorswift-regex512-special.tiktoken.json"
expect_grep tiktoken_merge0 "$T/taylorswift-regex512.tiktoken" "^ZXI= 256$"
expect_grep sidecar_specials "$T/taylorswift-regex512-special.tiktoken.json" '"<|endoftext|>": 512,'
expect_grep sidecar_version "$T/taylorswift-regex512-special.tiktoken.json" '"version": 1,'
expect_eq sidecar_sha256 "$(sed -n 's/.*"rank_file_sha256": "\([0-9a-f]*\)".*/\1/p' "$T/taylorswift-regex512.tiktoken.json")" \
    "$( (sha256sum "$T/taylorswift-regex512.tiktoken" 2>/dev/null || shasum -a 256 "$T/taylorswift-regex512.tiktoken") | cut -c1-64)"
expect_eq tiktoken_decode "$(printf 'hello<|endoftext|>world' | "$CTOK" encode --special all -m "$T/taylorswift-regex512-special.tiktoken" | "$CTOK" decode -m "$T/taylorswift-regex512-special.tiktoken")" "hello<|endoftext|>world"
check_status info_exported 0 "$CTOK" info -m "$T/taylorswift-regex512-special.tiktoken"
expect_grep info_exported_n_vocab "$T/out" "^n_vocab: 514$"

# --- a trained model (GPT-2's pattern, vocabulary 1000, a special token) ---
"$CTOK" train -q --type regex --pattern gpt2 --vocab-size 1000 --special '<|endoftext|>' -o "$T/shak" "$D/corpora/tinyshakespeare.txt"
check_status tiktoken_trained 0 "$CTOK" export -q -m "$T/shak.model" --format tiktoken -o "$T/shak"
same_ids tiktoken_trained_same_ids "$T/shak.model" "$T/shak.tiktoken"

# --- the built-in encodings exported are OpenAI's rank files ---
for e in r50k_base p50k_base cl100k_base; do
    "$CTOK" export -q -e "$e" --format tiktoken -o "$T/$e"
    cmp -s "$T/$e.tiktoken" "$V/$e.tiktoken" && ok "builtin_${e}_identical" || fail "builtin_${e}_identical" "differs from $V/$e.tiktoken"
done
expect_grep builtin_sidecar_published_sha "$T/cl100k_base.tiktoken.json" '"rank_file_sha256": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"'

# --- OpenAI's files through -m: tiktoken's ids on every vector ---
vectors vectors_cl100k_rank_file "$D/vectors/cl100k_base.jsonl" -m "$V/cl100k_base.tiktoken" -e cl100k_base
vectors vectors_o200k_rank_file "$D/vectors/o200k_base.jsonl" -m "$V/o200k_base.tiktoken" -e o200k_base
vectors vectors_p50k_rank_file "$D/vectors/p50k_base.jsonl" -m "$V/p50k_base.tiktoken" -e p50k_base
vectors vectors_gpt2_rank_file "$D/vectors/gpt2.jsonl" -m "$V/r50k_base.tiktoken" -e gpt2
vectors vectors_cl100k_exported "$D/vectors/cl100k_base.jsonl" -m "$T/cl100k_base.tiktoken"
vectors vectors_gpt2_encoder_json "$D/vectors/gpt2.jsonl" -m "$V/gpt2/encoder.json"
vectors vectors_gpt2_vocab_bpe "$D/vectors/gpt2.jsonl" -m "$V/gpt2/vocab.bpe"
vectors vectors_gpt2_folder "$D/vectors/gpt2.jsonl" -m "$V/gpt2"
expect_eq rank_file_specials "$(printf 'hello <|endoftext|>' | "$CTOK" encode -m "$V/cl100k_base.tiktoken" -e cl100k_base --special all)" "15339 220 100257"
expect_eq gpt2_specials "$(printf 'hello <|endoftext|>' | "$CTOK" encode -m "$V/gpt2/encoder.json" --special all)" "31373 220 50256"
mkdir "$T/g" && cp "$V/gpt2/encoder.json" "$T/g/my-encoder.json" && cp "$V/gpt2/vocab.bpe" "$T/g/my-vocab.bpe"
expect_eq gpt2_prefixed_names "$(printf 'hello world' | "$CTOK" encode -m "$T/g/my-encoder.json")" "31373 995"

# --- errors: what is missing, named ---
cp "$T/shak.tiktoken" "$T/lonely.tiktoken"
check_status rank_file_without_sidecar 2 "$CTOK" encode -m "$T/lonely.tiktoken" "$D/corpora/taylorswift.txt"
expect_grep rank_file_without_sidecar_says "$T/err" "lonely.tiktoken.json is not there: add -e ENCODING"
check_status model_with_encoding 2 "$CTOK" encode -m "$D/minbpe/taylorswift-regex512.model" -e gpt2
check_status rank_file_unknown_encoding 2 "$CTOK" encode -m "$V/cl100k_base.tiktoken" -e nosuch
check_status rank_file_wrong_specials 1 "$CTOK" encode -m "$V/cl100k_base.tiktoken" -e gpt2
expect_grep rank_file_wrong_specials_says "$T/err" "rank 50256 is also given to a special token (with gpt2's pattern and special tokens)"
check_status missing_rank_file 1 "$CTOK" encode -m "$T/nosuch.tiktoken"
mkdir "$T/empty"
check_status folder_without_gpt2 1 "$CTOK" encode -m "$T/empty"
expect_grep folder_without_gpt2_says "$T/err" "has no encoder.json and vocab.bpe"
cp "$V/gpt2/encoder.json" "$T/empty/encoder.json"
check_status encoder_without_vocab 1 "$CTOK" encode -m "$T/empty/encoder.json"
expect_grep encoder_without_vocab_says "$T/err" "vocab.bpe is not there"
sed 's/"version": 1/"version": 7/' "$T/shak.tiktoken.json" > "$T/v7.tiktoken.json"
check_status sidecar_version_7 1 "$CTOK" encode -m "$T/v7.tiktoken.json"
expect_grep sidecar_version_7_says "$T/err" "v7.tiktoken.json: line 3, byte offset [0-9]*: version 7 is not supported"
sed 's/"pat_str"/"pattern"/' "$T/shak.tiktoken.json" > "$T/badkey.tiktoken.json"
check_status sidecar_unknown_key 1 "$CTOK" encode -m "$T/badkey.tiktoken.json"
expect_grep sidecar_unknown_key_says "$T/err" "badkey.tiktoken.json: line 8, byte offset [0-9]*: unknown key \"pattern\""
cp "$T/shak.tiktoken.json" "$T/other.tiktoken.json"
sed 's/"rank_file": "shak.tiktoken"/"rank_file": "taylorswift-regex512.tiktoken"/' "$T/shak.tiktoken.json" > "$T/other.tiktoken.json"
check_status sidecar_other_rank_file 1 "$CTOK" encode -m "$T/other.tiktoken.json"
expect_grep sidecar_other_rank_file_says "$T/err" "do not belong together"

# --- export's own usage and errors ---
check_status export_help 0 "$CTOK" export --help
check_status export_no_format 2 "$CTOK" export -m "$T/shak.model" -o "$T/x"
check_status export_bad_format 2 "$CTOK" export -m "$T/shak.model" --format sentencepiece -o "$T/x"
check_status export_no_output 2 "$CTOK" export -m "$T/shak.model" --format hf
check_status export_no_model 2 "$CTOK" export --format hf -o "$T/x"
"$CTOK" train -q --type char -o "$T/char" "$D/corpora/tinyshakespeare.txt"
check_status export_char_model 1 "$CTOK" export -m "$T/char.model" --format tiktoken -o "$T/char"
expect_grep export_char_model_says "$T/err" "needs a byte-level BPE model"
check_status export_unwritable 1 "$CTOK" export -m "$T/shak.model" --format tiktoken -o "$T/nosuch/dir/x"
expect_grep export_unwritable_says "$T/err" "nosuch/dir/x.tiktoken.tmp-[0-9]*: cannot create"
# a merge list that tiktoken's rank rule would not follow: bc, ab, then ab + c (see test_export.c)
printf 'minbpe v1\n\n0\n98 99\n97 98\n257 99\n' > "$T/odd.model"
check_status export_inexact 1 "$CTOK" export -m "$T/odd.model" --format tiktoken -o "$T/odd"
expect_grep export_inexact_says "$T/err" "makes token 258 'abc' from 257 + 99"
[ ! -e "$T/odd.tiktoken" ] && ok export_inexact_no_file || fail export_inexact_no_file "a rank file was written"

# --- HF: the files are written where asked (their ids: test_export_hf.sh) ---
check_status hf_prefix 0 "$CTOK" export -m "$T/shak.model" --format hf -o "$T/shak"
[ -s "$T/shak.tokenizer.json" ] && ok hf_prefix_file || fail hf_prefix_file "no $T/shak.tokenizer.json"
mkdir "$T/hfdir"
check_status hf_folder 0 "$CTOK" export -m "$T/shak.model" --format hf -o "$T/hfdir"
[ -s "$T/hfdir/tokenizer.json" ] && ok hf_folder_file || fail hf_folder_file "no $T/hfdir/tokenizer.json"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert t["model"]["type"]=="BPE" and len(t["model"]["merges"])==744 and t["added_tokens"][0]["content"]=="<|endoftext|>" and t["added_tokens"][0]["id"]==1000' "$T/shak.tokenizer.json" \
        && ok hf_json_parses || fail hf_json_parses "python's json module refuses it or its content is off"
fi
ls "$T"/*.tmp-* >/dev/null 2>&1 && fail no_temporary_files "$(ls "$T"/*.tmp-*)" || ok no_temporary_files
