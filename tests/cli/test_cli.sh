#!/bin/sh
# test_cli.sh - the ctok program's contract: train/encode/decode, --special, --jsonl, exit codes
# (0 ok, 1 bad input, 2 bad usage) and error messages that name the file, line and problem.
# Prints "ok NAME" or "FAIL NAME: why".  $CTOK is the binary (tests/run.sh sets it).
CTOK=${CTOK:-build/ctok}
D=tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

PREFIX=cli_
. tests/cli/lib.inc

# --- character level: nanoGPT's shakespeare_char figures ---
check_status char_train 0 "$CTOK" train --type char -o "$T/shak" "$D/corpora/tinyshakespeare.txt"
expect_eq char_vocab_65 "$(sed -n 2p "$T/shak.model")" 65
expect_eq char_hii_there "$(printf 'hii there' | "$CTOK" encode -m "$T/shak.model")" "46 47 47 1 58 46 43 56 43"
expect_eq char_decode "$(echo 46 47 47 1 58 46 43 56 43 | "$CTOK" decode -m "$T/shak.model")" "hii there"
printf 'ok\n\342\202\254' > "$T/euro.txt"
check_status char_unknown_is_bad_input 1 "$CTOK" encode -m "$T/shak.model" "$T/euro.txt"
expect_grep char_unknown_names_place "$T/err" "euro.txt:2: byte offset 3: character '€' (U+20AC)"
printf 'a\377b' > "$T/bad.txt"
check_status char_invalid_utf8 1 "$CTOK" encode -m "$T/shak.model" "$T/bad.txt"
expect_grep char_invalid_utf8_names_byte "$T/err" "byte offset 1: invalid UTF-8 (byte 0xFF)"
check_status char_train_invalid_utf8 1 "$CTOK" train --type char -o "$T/x" "$T/bad.txt"
expect_grep char_train_invalid_utf8_names_byte "$T/err" "bad.txt:1:.*0xFF"

# --- minbpe models reproduced byte for byte ---
check_status basic_train 0 "$CTOK" train --type basic --vocab-size 512 -o "$T/b" "$D/corpora/taylorswift.txt"
cmp -s "$T/b.model" "$D/minbpe/taylorswift-basic512.model" && ok basic_512_model_bytes || fail basic_512_model_bytes "differs"
"$CTOK" train -q --type regex --vocab-size 512 -o "$T/r" "$D/corpora/taylorswift.txt"
cmp -s "$T/r.model" "$D/minbpe/taylorswift-regex512.model" && ok regex_512_model_bytes || fail regex_512_model_bytes "differs"
"$CTOK" train -q --type regex --pattern gpt4 --vocab-size 512 --special '<|endoftext|>=512' --special '<|fim_prefix|>' -o "$T/s" "$D/corpora/taylorswift.txt"
cmp -s "$T/s.model" "$D/minbpe/taylorswift-regex512-special.model" && ok special_512_model_bytes || fail special_512_model_bytes "differs"
expect_grep vocab_file_renders_merges "$T/r.vocab" '^\[ \]\[t\] -> \[ t\] 261$'

# --- special tokens (ids from minbpe's reference encode) ---
expect_eq special_all "$(printf 'hello<|endoftext|>world <|fim_prefix|>x' | "$CTOK" encode -m "$T/s.model" --special all)" "263 301 111 512 119 258 509 32 513 120"
expect_eq special_list "$(printf 'hello<|endoftext|>world' | "$CTOK" encode -m "$T/s.model" --special '<|endoftext|>')" "263 301 111 512 119 258 509"
printf 'hi\nhello <|endoftext|>' > "$T/sp.txt"
check_status special_raise 1 "$CTOK" encode -m "$T/s.model" "$T/sp.txt"
expect_grep special_raise_names_token "$T/err" "sp.txt:2: byte offset 9: .*'<|endoftext|>'"
check_status special_list_other_raises 1 "$CTOK" encode -m "$T/s.model" --special '<|fim_prefix|>' "$T/sp.txt"
none=$(printf '<|endoftext|>' | "$CTOK" encode -m "$T/s.model" --special none)
expect_eq special_none_is_text "$(echo "$none" | "$CTOK" decode -m "$T/s.model")" "<|endoftext|>"

# --- round trips of arbitrary bytes, NUL included ---
head -c 20000 /dev/urandom > "$T/rand.bin"
printf '\000\000a\000' >> "$T/rand.bin"
for m in b r s; do
    "$CTOK" encode -m "$T/$m.model" --special none "$T/rand.bin" | "$CTOK" decode -m "$T/$m.model" > "$T/back.bin"
    cmp -s "$T/rand.bin" "$T/back.bin" && ok "round_trip_random_bytes_$m" || fail "round_trip_random_bytes_$m" "differs"
done
"$CTOK" encode -m "$T/r.model" "$D/corpora/taylorswift.txt" "$D/corpora/taylorswift.txt" | "$CTOK" decode -m "$T/r.model" > "$T/two.txt"
cat "$D/corpora/taylorswift.txt" "$D/corpora/taylorswift.txt" | cmp -s - "$T/two.txt" && ok files_concatenate || fail files_concatenate "differs"
expect_eq empty_input "$(printf '' | "$CTOK" encode -m "$T/r.model" | od -An -c | tr -d ' ')" '\n'

# --- JSONL ---
printf '"hello world"\n{"text": "hello world", "id": [1, {"x": null}]}\n{"body": "a\\u00e9"}\n' > "$T/in.jsonl"
"$CTOK" encode -m "$T/b.model" --jsonl "$T/in.jsonl" > "$T/out.jsonl" 2>"$T/err"; st=$?
expect_eq jsonl_missing_field_status "$st" 1
expect_eq jsonl_lines_in_order "$(cat "$T/out.jsonl")" "[104,101,301,369,119,291,108,100]
[104,101,301,369,119,291,108,100]"
expect_grep jsonl_error_names_line "$T/err" "in.jsonl:3:"
expect_eq jsonl_field "$(printf '{"body": "hello world"}\n' | "$CTOK" encode -m "$T/b.model" --jsonl --field body)" "[104,101,301,369,119,291,108,100]"
expect_eq jsonl_decode "$(printf '[104,101,301,369,119,291,108,100]\n[]\n[195]\n' | "$CTOK" decode -m "$T/b.model" --jsonl)" '"hello world"
""
"�"'
printf '[104, "x"]\n' > "$T/bad.jsonl"
check_status jsonl_decode_bad_json 1 "$CTOK" decode -m "$T/b.model" --jsonl "$T/bad.jsonl"
expect_grep jsonl_decode_bad_json_names_line "$T/err" "bad.jsonl:1: column"

# --- decode errors ---
echo "104 999999" > "$T/ids.txt"
check_status decode_unknown_id 1 "$CTOK" decode -m "$T/b.model" "$T/ids.txt"
expect_grep decode_unknown_id_named "$T/err" "ids.txt:1: unknown token id 999999"
[ -s "$T/out" ] && fail decode_error_writes_nothing "partial output" || ok decode_error_writes_nothing
printf '104\n10x\n' > "$T/ids.txt"
check_status decode_not_a_number 1 "$CTOK" decode -m "$T/b.model" "$T/ids.txt"
expect_grep decode_not_a_number_named "$T/err" "ids.txt:2: '10x' is not a token id"

# --- bad model files ---
printf 'minbpe v1\n\n0\n97 97\n300 1\n' > "$T/broken.model"
check_status model_bad_merge 1 "$CTOK" encode -m "$T/broken.model" "$T/euro.txt"
expect_grep model_bad_merge_names_line "$T/err" "broken.model: line 5: merge 300 1 uses id 300"
# a special token's id at CTOK_ID_LIMIT (2^24): refused at once, naming the line (it took 13 GB
# and 22 s at 400,000,000 when the tables were made for it)
printf 'minbpe v1\n\n1\n<|x|> 16777216\n97 97\n' > "$T/huge-id.model"
check_status model_id_too_large 1 "$CTOK" encode -m "$T/huge-id.model" "$T/euro.txt"
expect_grep model_id_too_large_names_line "$T/err" \
    "huge-id.model: line 4: special token '<|x|>' has the id 16777216; ids must be below 16777216"
# a count of special tokens the rest of the file cannot hold: refused before lists are made for it
printf 'minbpe v1\n\n16777215\nx 300\n' > "$T/many.model"
check_status model_special_count_too_large 1 "$CTOK" encode -m "$T/many.model" "$T/euro.txt"
expect_grep model_special_count_too_large_says_so "$T/err" \
    "many.model: line 3: 16777215 special tokens, but the rest of the file has room for at most 2"
printf 'minbpe v2\n' > "$T/v2.model"
check_status model_bad_version 1 "$CTOK" encode -m "$T/v2.model" "$T/euro.txt"
expect_grep model_bad_version_says_so "$T/err" "unsupported format version"
check_status model_missing 1 "$CTOK" encode -m "$T/nonexistent.model" "$T/euro.txt"
check_status input_missing 1 "$CTOK" encode -m "$T/b.model" "$T/nonexistent.txt"

# --- usage errors and help ---
check_status no_command 2 "$CTOK"
check_status unknown_command 2 "$CTOK" frobnicate
check_status unknown_option 2 "$CTOK" encode --frob -m "$T/b.model"
check_status no_model 2 "$CTOK" encode "$T/euro.txt"
check_status train_no_type 2 "$CTOK" train -o "$T/x" "$T/euro.txt"
check_status train_small_vocab 2 "$CTOK" train --type basic --vocab-size 100 -o "$T/x" "$T/euro.txt"
check_status train_bad_pattern 2 "$CTOK" train --type regex --pattern '(' --vocab-size 300 -o "$T/x" "$T/euro.txt"
check_status train_bad_ties 2 "$CTOK" train --type basic --ties random --vocab-size 300 -o "$T/x" "$T/euro.txt"
check_status train_vocab_past_id_limit 2 "$CTOK" train --type basic --vocab-size 16777217 -o "$T/x" "$T/euro.txt"
expect_grep train_vocab_past_id_limit_says_so "$T/err" "vocabulary size 16777217 is too large (ids must be below 16777216)"
check_status train_special_past_id_limit 2 "$CTOK" train --type basic --vocab-size 300 --special '<|x|>=16777216' -o "$T/x" "$T/euro.txt"
expect_grep train_special_past_id_limit_says_so "$T/err" "special token '<|x|>' has the id 16777216; ids must be below"
check_status special_bad_list 2 "$CTOK" encode -m "$T/b.model" --special 'a,,b' "$T/euro.txt"
for c in train encode decode; do
    check_status "help_$c" 0 "$CTOK" "$c" --help
    expect_grep "help_${c}_usage" "$T/out" "usage: ctok $c"
done
check_status help 0 "$CTOK" --help

# --- tie rules: both train, and differ only in tie-breaking ---
check_status ties_smallest_pair 0 "$CTOK" train -q --type regex --ties smallest-pair --vocab-size 300 -o "$T/tp" "$D/corpora/taylorswift.txt"
# hand-checked: "ab ab ba ba" has pairs ab=2, "b "=2, " a"=1, " b"=2, ba=2, "a "=1; first-seen
# picks ab (97 98), smallest-pair picks " b" (32 98)
printf 'ab ab ba ba' > "$T/tie.txt"
"$CTOK" train -q --type basic --vocab-size 257 -o "$T/t1" "$T/tie.txt"
"$CTOK" train -q --type basic --vocab-size 257 --ties smallest-pair -o "$T/t2" "$T/tie.txt"
expect_eq ties_first_seen_rule "$(sed -n 4p "$T/t1.model")" "97 98"
expect_eq ties_smallest_pair_rule "$(sed -n 4p "$T/t2.model")" "32 98"
