#!/bin/sh
# test_encodings.sh - the built-in encodings through the ctok program: `encoding list`, `info`,
# `encode`/`decode -e` (by encoding and by model name, from another directory and from a copy of
# the binary elsewhere: nothing is read from data/), `count`, --help and the exit codes
# (0 ok, 1 bad input, 2 bad usage).  Prints "ok NAME" or "FAIL NAME: why".
CTOK=${CTOK:-build/ctok}
case $CTOK in /*) ;; *) CTOK="$(pwd)/$CTOK" ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

PREFIX=enc_
. tests/cli/lib.inc

# --- encoding list ---
check_status list 0 "$CTOK" encoding list
expect_eq list_names "$(tr '\n' ' ' < "$T/out")" "gpt2 r50k_base p50k_base p50k_edit cl100k_base o200k_base o200k_harmony "
check_status list_verbose 0 "$CTOK" encoding list -v
expect_grep list_verbose_harmony "$T/out" "^o200k_harmony *n_vocab 201088 *special 1091 *o200k_base.tiktoken"
check_status encoding_without_list 2 "$CTOK" encoding
check_status encoding_help 0 "$CTOK" encoding --help

# --- info ---
check_status info_cl100k 0 "$CTOK" info -e cl100k_base
expect_grep info_n_vocab "$T/out" "^n_vocab: 100277$"
expect_grep info_special "$T/out" "^special: 100276 <|endofprompt|>$"
expect_grep info_eot "$T/out" "^eot: 100257$"
expect_grep info_sha256 "$T/out" "^sha256: 223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7 (the published value)$"
expect_grep info_pattern "$T/out" "^pattern: (?i:'s|'t|'re|'ve|'m|'ll|'d)|"
check_status info_model_name 0 "$CTOK" info -e gpt-4o
expect_grep info_model_name_maps "$T/out" "^encoding: o200k_base$"
expect_grep info_model_name_shown "$T/out" "^model: gpt-4o$"
check_status info_harmony 0 "$CTOK" info -e gpt-oss-20b
expect_eq info_harmony_specials "$(grep -c '^special: ' "$T/out")" 1091
expect_grep info_harmony_alias "$T/out" "^special: 200018 <|reserved_200018|>$"
check_status info_model_file 0 "$CTOK" info -m tests/data/minbpe/taylorswift-regex512-special.model
expect_grep info_model_file_merges "$T/out" "^n_merges: 256$"
expect_grep info_model_file_special "$T/out" "^special: 513 <|fim_prefix|>$"
expect_eq info_model_file_sha256 "$(grep '^sha256: ' "$T/out" | cut -c9-)" "$( (sha256sum tests/data/minbpe/taylorswift-regex512-special.model 2>/dev/null || shasum -a 256 tests/data/minbpe/taylorswift-regex512-special.model) | cut -c1-64)"
check_status info_unknown 2 "$CTOK" info -e llama
expect_grep info_unknown_lists "$T/err" "unknown encoding or model name 'llama'"
check_status info_nothing 2 "$CTOK" info
check_status info_help 0 "$CTOK" info --help

# --- encode / decode from another directory, by encoding and by model name ---
cd "$T" || exit 1
expect_eq encode_gpt2 "$(printf 'hello world' | "$CTOK" encode -e gpt2)" "31373 995"
expect_eq encode_cl100k "$(printf 'hello world' | "$CTOK" encode -e cl100k_base)" "15339 1917"
expect_eq encode_o200k "$(printf 'hello world' | "$CTOK" encode -e o200k_base)" "24912 2375"
expect_eq encode_model_gpt4 "$(printf 'hello world' | "$CTOK" encode -e gpt-4)" "15339 1917"
expect_eq encode_model_davinci3 "$(printf 'hello world' | "$CTOK" encode --encoding text-davinci-003)" "31373 995"
expect_eq encode_special_all "$(printf 'hello <|endoftext|>' | "$CTOK" encode -e o200k_base --special all)" "24912 220 199999"
expect_eq encode_p50k_edit_fim "$(printf '<|fim_prefix|>x' | "$CTOK" encode -e p50k_edit --special all)" "50281 87"
expect_eq encode_harmony "$(printf '<|start|>assistant<|message|>' | "$CTOK" encode -e o200k_harmony --special all)" "200006 173781 200008"
expect_eq decode_cl100k "$(echo 15339 1917 | "$CTOK" decode -e cl100k_base)" "hello world"
expect_eq decode_harmony_alias "$(echo 200018 | "$CTOK" decode -e o200k_harmony)" "<|endofprompt|>"
printf 'caf\303\251 \377\000 na\303\257ve\n' > "$T/raw.txt"
"$CTOK" encode -e cl100k_base "$T/raw.txt" | "$CTOK" decode -e cl100k_base > "$T/back.txt"
cmp -s "$T/raw.txt" "$T/back.txt" && ok roundtrip_raw_bytes || fail roundtrip_raw_bytes "decode(encode(x)) differs"
expect_eq jsonl_o200k "$(printf '"hello world"\n{"text":"hi"}\n' | "$CTOK" encode -e o200k_base --jsonl)" "[24912,2375]
[3686]"
printf 'hello <|endoftext|>' > "$T/sp.txt"
check_status special_raise 1 "$CTOK" encode -e cl100k_base "$T/sp.txt"
expect_grep special_raise_names "$T/err" "sp.txt:1: byte offset 6: .*'<|endoftext|>'"
check_status unknown_encoding 2 "$CTOK" encode -e nonesuch "$T/sp.txt"
expect_grep unknown_encoding_says "$T/err" "unknown encoding or model name 'nonesuch'"
check_status decode_unknown_id 1 sh -c "echo 100261 | '$CTOK' decode -e cl100k_base"

# a copy of the program elsewhere still has its encodings (they are inside it)
mkdir -p "$T/bin"
cp "$CTOK" "$T/bin/ctok"
expect_eq copied_binary "$(printf 'hello world' | "$T/bin/ctok" encode -e gpt-4o)" "24912 2375"
cd - >/dev/null || exit 1

# --- count ---
expect_eq count_stdin "$(printf 'hello world' | "$CTOK" count -e cl100k_base)" "2"
expect_eq count_empty "$(printf '' | "$CTOK" count -e cl100k_base)" "0"
printf 'hello world' > "$T/a.txt"
printf 'hello world, hello world' > "$T/b.txt"
"$CTOK" count -e cl100k_base "$T/a.txt" "$T/b.txt" > "$T/counts"
expect_eq count_files "$(cat "$T/counts" | sed "s|$T/||")" "2 a.txt
5 b.txt
7 total"
expect_eq count_jsonl "$(printf '"hello world"\n{"text":"hi"}\n{"text":""}\n' | "$CTOK" count -e o200k_base --jsonl)" "2
1
0"
expect_eq count_special_all "$(printf 'hello <|endoftext|>' | "$CTOK" count -e o200k_base --special all)" "3"
expect_eq count_special_none "$(printf 'hello <|endoftext|>' | "$CTOK" count -e o200k_base --special none)" "8"
check_status count_special_raise 1 "$CTOK" count -e o200k_base "$T/sp.txt"
expect_grep count_special_raise_names "$T/err" "byte offset 6: .*'<|endoftext|>'"
check_status count_no_model 2 "$CTOK" count "$T/a.txt"
check_status count_bad_option 2 "$CTOK" count -e gpt2 --frobnicate
check_status count_missing_file 1 "$CTOK" count -e gpt2 "$T/nonexistent"
check_status count_help 0 "$CTOK" count --help
expect_grep count_help_text "$T/out" "usage: ctok count"

# a million copies of one letter: counted, not stored
awk 'BEGIN { for (i = 0; i < 1000; i++) { s = s "aaaaaaaaaa" }; for (i = 0; i < 100; i++) printf "%s", s }' > "$T/big.txt"
check_status count_big_run 0 "$CTOK" count -e cl100k_base "$T/big.txt"
expect_eq count_big_run_matches_encode "$(cat "$T/out")" "$("$CTOK" encode -e cl100k_base "$T/big.txt" | wc -w | tr -d ' ')"
