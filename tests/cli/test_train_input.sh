#!/bin/sh
# test_train_input.sh - what `ctok train` reads: directories (recursive, sorted, regular files
# only), standard input, JSONL documents (escapes, Unicode, --field, errors naming file:line),
# --max-bytes, and -j N.  Expected results are identities that hold by definition (a directory
# is `cat` of its files in the documented order; --max-bytes N is `head -c N`; one JSONL document
# is its decoded text as a plain file; -j N is -j 1; minbpe's own model) or counted by hand.
CTOK=${CTOK:-build/ctok}
D=tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PREFIX=train_input_
. tests/cli/lib.inc

# same_model NAME A B: the two trained models are the same file
same_model() {
    if cmp -s "$2.model" "$3.model"; then ok "$1"; else fail "$1" "$2.model and $3.model differ"; fi
}
# n_merges PREFIX: the merge lines of a minbpe model (after magic, pattern and special count)
n_merges() { tail -n +4 "$1.model" | grep -c .; }
train() { "$CTOK" train -q --type regex --vocab-size 400 "$@"; }

TS=$D/corpora/taylorswift.txt
# --- directories: the regular files under it, depth first, entries in byte order of names ---
mkdir -p "$T/dir/a" "$T/dir/b/empty" "$T/dir/c"
head -c 40000 "$TS" > "$T/p1"; tail -c +40001 "$TS" | head -c 50000 > "$T/p2"
tail -c +90001 "$TS" | head -c 30000 > "$T/p3"; tail -c +120001 "$TS" > "$T/p4"
# made in an order unlike the sorted one; "a" (a folder) sorts before "a.txt", "B" before "a"
cp "$T/p4" "$T/dir/c/z.txt"; cp "$T/p3" "$T/dir/a.txt"; cp "$T/p2" "$T/dir/a/y"
cp "$T/p1" "$T/dir/B"
ln -s "$T/p2" "$T/dir/c/link-to-file"      # followed
ln -s "$T/dir/a" "$T/dir/c/link-to-dir"    # not followed
command -v mkfifo >/dev/null && mkfifo "$T/dir/b/fifo" # not a regular file: skipped
cat "$T/dir/B" "$T/dir/a/y" "$T/dir/a.txt" "$T/dir/c/link-to-file" "$T/dir/c/z.txt" > "$T/dir.txt"
train -o "$T/d1" "$T/dir"
train -o "$T/d2" "$T/dir.txt"
same_model dir_is_cat_of_sorted_files "$T/d1" "$T/d2"
train -o "$T/d3" "$T/dir/c" "$T/dir/a.txt"
cat "$T/dir/c/link-to-file" "$T/dir/c/z.txt" "$T/dir/a.txt" > "$T/dir2.txt"
train -o "$T/d4" "$T/dir2.txt"
same_model dirs_and_files_in_given_order "$T/d3" "$T/d4"
check_status missing_input 1 "$CTOK" train --type regex --vocab-size 300 -o "$T/x" "$T/nope"
expect_grep missing_input_named "$T/err" "nope: cannot open"

# --- standard input ---
train -o "$T/s1" < "$TS"
train -o "$T/s2" - < "$TS"
train -o "$T/s3" "$TS"
same_model stdin_default "$T/s1" "$T/s3"
same_model stdin_dash "$T/s2" "$T/s3"
train -o "$T/s4" "$T/p1" - "$T/p3" "$T/p4" < "$T/p2"
train -o "$T/s5" "$T/p1" "$T/p2" "$T/p3" "$T/p4"
same_model stdin_between_files "$T/s4" "$T/s5"

# --- threads: the same model, and still minbpe's ---
for j in 1 2 3; do
    "$CTOK" train -q --type regex --vocab-size 512 -j $j -o "$T/m$j" "$TS"
    if cmp -s "$T/m$j.model" "$D/minbpe/taylorswift-regex512.model"; then ok minbpe_j$j; else fail minbpe_j$j "not minbpe's model"; fi
done
# 10 MB: several batches of 4 MiB per thread, cut between threads
for i in 1 2 3 4; do cat "$D/corpora/multilingual-sample.txt" "$D/corpora/tinyshakespeare.txt"; done > "$T/big.txt"
for p in gpt2 o200k; do
    for j in 1 2 3; do
        "$CTOK" train -q --type regex --pattern $p --vocab-size 1000 -j $j -o "$T/big$p$j" "$T/big.txt"
    done
    same_model big_${p}_j2 "$T/big${p}1" "$T/big${p}2"
    same_model big_${p}_j3 "$T/big${p}1" "$T/big${p}3"
done
check_status bad_threads 2 "$CTOK" train --type regex --vocab-size 300 -j 0 -o "$T/x" "$TS"

# --- --max-bytes: a prefix, as head -c ---
train --max-bytes 100000 -o "$T/h1" "$TS"
head -c 100000 "$TS" | train -o "$T/h2"
same_model max_bytes_is_head "$T/h1" "$T/h2"
train --max-bytes 100K -o "$T/h3" "$TS"
head -c 102400 "$TS" | train -o "$T/h4"
same_model max_bytes_K_is_1024 "$T/h3" "$T/h4"
"$CTOK" train -q --type regex --vocab-size 400 --max-bytes 1MB -o "$T/h5" "$D/corpora/tinyshakespeare.txt"
head -c 1000000 "$D/corpora/tinyshakespeare.txt" | train -o "$T/h6"
same_model max_bytes_MB_is_1000 "$T/h5" "$T/h6"
train --max-bytes 95000 -o "$T/h7" "$T/dir"
head -c 95000 "$T/dir.txt" | train -o "$T/h8"
same_model max_bytes_across_files "$T/h7" "$T/h8"
# characters: the limit falls inside 'é' (2 bytes), which is left out
printf 'a\303\251b' > "$T/ae.txt"; printf 'a' > "$T/a.txt"
"$CTOK" train -q --type char --max-bytes 2 -o "$T/c1" "$T/ae.txt"
"$CTOK" train -q --type char -o "$T/c2" "$T/a.txt"
same_model max_bytes_char_whole "$T/c1" "$T/c2"
check_status bad_max_bytes 2 "$CTOK" train --type regex --vocab-size 300 --max-bytes 10X -o "$T/x" "$TS"

# --- JSONL ---
# one document with escapes and non-ASCII: the same as its decoded text in a plain file
printf '%s\n' '{"id": 1, "text": "caf\u00e9 na\u00efve \ud83d\ude00 \u4e2d\u6587 tab\there \"quoted\" back\\slash\nnew line \u00e9t\u00e9 caf\u00e9 caf\u00e9", "body": "x"}' > "$T/one.jsonl"
printf 'caf\303\251 na\303\257ve \360\237\230\200 \344\270\255\346\226\207 tab\there "quoted" back\\slash\nnew line \303\251t\303\251 caf\303\251 caf\303\251' > "$T/one.txt"
train --jsonl -o "$T/j1" "$T/one.jsonl"
train -o "$T/j2" "$T/one.txt"
same_model jsonl_escapes_unicode "$T/j1" "$T/j2"
# --field, blank lines, and a JSON string as a record
printf '\n{"text": "x", "body": "caf\\u00e9 caf\\u00e9"}\n  \n' > "$T/body.jsonl"
printf 'caf\303\251 caf\303\251' > "$T/body.txt"
train --jsonl --field body -o "$T/j3" "$T/body.jsonl"
train -o "$T/j4" "$T/body.txt"
same_model jsonl_field "$T/j3" "$T/j4"
printf '"caf\\u00e9 caf\\u00e9"' | train --jsonl -o "$T/j5"
same_model jsonl_string_record_stdin "$T/j5" "$T/j4"
# documents do not merge across their boundary (counted by hand: "hello" and "world" take 4
# merges each, all pairs seen once, in order of first appearance; "helloworld" takes 9)
printf '{"text": "hello"}\n{"text": "world"}\n' > "$T/hw.jsonl"
printf 'helloworld' > "$T/hw.txt"
"$CTOK" train -q --type regex --pattern gpt2 --vocab-size 300 --jsonl -o "$T/hw1" "$T/hw.jsonl"
"$CTOK" train -q --type regex --pattern gpt2 --vocab-size 300 -o "$T/hw2" "$T/hw.txt"
expect_eq jsonl_documents_apart "$(n_merges "$T/hw1")" 8
expect_grep jsonl_documents_hello "$T/hw1.vocab" "\[hell\]\[o\] -> \[hello\] 259"
expect_grep jsonl_documents_world "$T/hw1.vocab" "\[worl\]\[d\] -> \[world\] 263"
expect_eq plain_text_joined "$(n_merges "$T/hw2")" 9
# basic: "ab" three times as documents has one pair; "ababab" merges ab, abab, ababab
printf '{"text": "ab"}\n{"text": "ab"}\n{"text": "ab"}\n' > "$T/ab.jsonl"
"$CTOK" train -q --type basic --vocab-size 300 --jsonl -o "$T/ab1" "$T/ab.jsonl"
printf 'ababab' | "$CTOK" train -q --type basic --vocab-size 300 -o "$T/ab2"
expect_eq jsonl_basic_documents "$(n_merges "$T/ab1")" 1
expect_eq basic_plain "$(n_merges "$T/ab2")" 3
# --max-bytes counts decoded text: "hello" + "wo" = 4 + 1 merges
"$CTOK" train -q --type regex --pattern gpt2 --vocab-size 300 --jsonl --max-bytes 7 -o "$T/hw3" "$T/hw.jsonl"
expect_eq jsonl_max_bytes "$(n_merges "$T/hw3")" 5
# a document longer than the 4 MiB read block: the same as the plain text
for i in $(seq 30); do cat "$TS"; done > "$T/long.txt"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/\r/\\r/g' "$T/long.txt" |
    awk 'BEGIN { printf "{\"text\": \"" } { printf "%s\\n", $0 } END { printf "\"}\n" }' > "$T/long.jsonl"
train --jsonl -o "$T/l1" "$T/long.jsonl"
train -o "$T/l2" "$T/long.txt"
same_model jsonl_long_document "$T/l1" "$T/l2"
# many documents: any number of threads gives the same model
# (control characters other than tab and CR are dropped: sed does not escape them)
tr -d '\000-\010\013\014\016-\037' < "$T/big.txt" |
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/\r/\\r/g' \
        -e 's/^/{"text": "/' -e 's/$/"}/' > "$T/lines.jsonl"
"$CTOK" train -q --type regex --vocab-size 600 --jsonl -j 1 -o "$T/jl1" "$T/lines.jsonl"
"$CTOK" train -q --type regex --vocab-size 600 --jsonl -j 2 -o "$T/jl2" "$T/lines.jsonl"
same_model jsonl_threads "$T/jl1" "$T/jl2"
# errors name the file and the line
printf '{"text": "a"}\n\n{"text": "b\\q"}\n' > "$T/bad.jsonl"
check_status jsonl_bad_escape 1 "$CTOK" train --type regex --vocab-size 300 --jsonl -o "$T/x" "$T/bad.jsonl"
expect_grep jsonl_bad_escape_line "$T/err" "bad.jsonl:3: column 12: invalid escape"
printf '{"text": "a"}\n{"txt": "b"}\n' > "$T/nofield.jsonl"
check_status jsonl_missing_field 1 "$CTOK" train --type regex --vocab-size 300 --jsonl -o "$T/x" "$T/nofield.jsonl"
expect_grep jsonl_missing_field_line "$T/err" "nofield.jsonl:2: "
printf '{"text": "a"}\n{"text": "b"' > "$T/cut.jsonl"
check_status jsonl_unterminated 1 "$CTOK" train --type regex --vocab-size 300 --jsonl -o "$T/x" "$T/cut.jsonl"
expect_grep jsonl_unterminated_line "$T/err" "cut.jsonl:2: "
check_status field_without_jsonl 2 "$CTOK" train --type regex --vocab-size 300 --field body -o "$T/x" "$TS"

# --- progress on stderr ---
"$CTOK" train --type regex --vocab-size 400 --progress -o "$T/p" "$TS" 2> "$T/err"
expect_grep progress_reading "$T/err" "MB read"
expect_grep progress_merges "$T/err" "merges 144/144"
"$CTOK" train --type regex --vocab-size 400 --progress -q -o "$T/p" "$TS" 2> "$T/err"
expect_eq quiet_wins "$(wc -c < "$T/err" | tr -d ' ')" 0
