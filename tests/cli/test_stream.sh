#!/bin/sh
# test_stream.sh - `ctok encode` reads plain text block by block and splits it between threads:
# the ids must be those of the whole text encoded at once (here: the --jsonl path, which encodes
# each line's text in one call), for any number of threads, on text larger than a block and on
# adversarial text (no newlines, long white-space runs, CRLF, multi-byte characters, a line of
# base64, a line of other scripts).
CTOK=${CTOK:-build/ctok}
D=tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PREFIX=stream_
. tests/cli/lib.inc

# the whole text as one JSON string (sed escapes backslashes, quotes, tabs and CRs; awk joins
# the lines with \n)
as_json() {
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/\r/\\r/g' "$1" |
        awk 'BEGIN { printf "\"" } { printf "%s\\n", $0 } END { printf "\"\n" }'
}

# (control characters other than tab, CR and LF are dropped: as_json does not escape them)
cat "$D/corpora/tinyshakespeare.txt" "$D/corpora/multilingual-sample.txt" "$D/corpora/tinyshakespeare.txt" |
    tr -d '\000-\010\013\014\016-\037' > "$T/big.txt"
# 1.5 MB without a newline, then white space runs and CRLF lines
tr '\n' ' ' < "$D/corpora/multilingual-sample.txt" | tr -d '\000-\010\013\014\016-\037' > "$T/nonl.txt"
echo >> "$T/nonl.txt" # (as_json ends the last line with a newline)
awk '{ printf "%s   \t  \r\n\n\n      \n", $0 }' "$D/corpora/tinyshakespeare.txt" > "$T/ws.txt"
# 3 MB of base64 on one line: no space or newline, cut only where a letter meets a digit
{ base64 -w 0 "$D/corpora/tinyshakespeare.txt"; base64 -w 0 "$D/corpora/multilingual-sample.txt"
  echo; } > "$T/b64.txt"
# the sample on one line without ASCII letters or digits: cut only before a space and a letter of
# another script, or after a letter at punctuation (Chinese and Japanese have no spaces)
{ tr '\n' ' ' < "$D/corpora/multilingual-sample.txt" | tr -d 'A-Za-z0-9\000-\010\013\014\016-\037'
  echo; } > "$T/script.txt"
for input in big nonl ws b64 script; do
    for enc in gpt2 cl100k_base o200k_base; do
        as_json "$T/$input.txt" | "$CTOK" encode -e "$enc" --special none --jsonl | tr -d '[]\n' | tr ',' ' ' > "$T/whole"
        echo >> "$T/whole"
        for j in 1 3; do
            "$CTOK" encode -e "$enc" --special none -j $j "$T/$input.txt" > "$T/out.$j"
            if cmp -s "$T/whole" "$T/out.$j"; then ok "${input}_${enc}_j$j"; else fail "${input}_${enc}_j$j" "ids differ from encoding the whole text"; fi
        done
    done
done
# a basic model (no pattern: the whole text is one piece) is cut only between bytes that no token
# holds side by side
basic=$D/minbpe/taylorswift-basic512.model
for input in big nonl; do
    as_json "$T/$input.txt" | "$CTOK" encode -m "$basic" --jsonl | tr -d '[]\n' | tr ',' ' ' > "$T/whole"
    echo >> "$T/whole"
    for j in 1 3; do
        "$CTOK" encode -m "$basic" -j $j "$T/$input.txt" > "$T/out.$j"
        if cmp -s "$T/whole" "$T/out.$j"; then ok "${input}_basic_j$j"; else fail "${input}_basic_j$j" "ids differ from encoding the whole text"; fi
    done
done
# several files are one text, however they are cut
head -c 700001 "$T/big.txt" > "$T/a"; tail -c +700002 "$T/big.txt" > "$T/b"
"$CTOK" encode -e cl100k_base --special none -j 2 "$T/a" "$T/b" > "$T/ab"
"$CTOK" encode -e cl100k_base --special none -j 1 "$T/big.txt" > "$T/one"
cmp -s "$T/ab" "$T/one" && ok files_are_one_stream || fail files_are_one_stream "differs"
# an error deep in the input names the file, line and offset
printf 'line\n' > "$T/head.txt"; cat "$T/big.txt" > "$T/tail.txt"; printf '\nend <|endoftext|>\n' >> "$T/tail.txt"
"$CTOK" encode -e cl100k_base "$T/head.txt" "$T/tail.txt" > /dev/null 2> "$T/err"; st=$?
lines=$(($(wc -l < "$T/big.txt") + 2))
[ $st -eq 1 ] && grep -q "tail.txt:$lines: byte offset" "$T/err" && ok error_location || fail error_location "status $st: $(cat "$T/err")"
# ... where newlines are dense: a run of 10,000 (each 16-byte step of the count all newlines)
# between lines of two bytes, over several blocks
awk 'BEGIN { for (i = 0; i < 600000; i++) print "x"; for (i = 0; i < 10000; i++) print "";
             for (i = 0; i < 600000; i++) print "y"; print "end <|endoftext|>" }' > "$T/dense.txt"
lines=$(wc -l < "$T/dense.txt")
for j in 1 2; do
    "$CTOK" encode -e cl100k_base -j $j "$T/dense.txt" > /dev/null 2> "$T/err"; st=$?
    [ $st -eq 1 ] && grep -q "dense.txt:$lines: byte offset" "$T/err" && ok "error_location_dense_j$j" ||
        fail "error_location_dense_j$j" "status $st: $(cat "$T/err")"
done
lines=$(($(wc -l < "$T/big.txt") + 2))
# ... and in a file that is not the last: its lines are counted as its blocks go by
cp "$T/tail.txt" "$T/first.txt"
for j in 1 2; do
    "$CTOK" encode -e cl100k_base -j $j "$T/first.txt" "$T/head.txt" > /dev/null 2> "$T/err"; st=$?
    [ $st -eq 1 ] && grep -q "first.txt:$lines: byte offset" "$T/err" && ok "error_location_first_file_j$j" ||
        fail "error_location_first_file_j$j" "status $st: $(cat "$T/err")"
done
# --- progress on stderr (encode and count): a summary line with --progress, nothing with -q, and
# nothing by default when stderr is not a terminal ---
"$CTOK" encode -e cl100k_base --special none --progress -j 2 "$T/big.txt" > "$T/ids" 2> "$T/err"
mb=$(wc -c < "$T/big.txt" | awk '{ printf "%.1f", $1 / 1e6 }')
n=$(wc -w < "$T/ids" | tr -d ' ')
expect_grep progress_summary "$T/err" "ctok: encode: $mb MB, $n tokens in "
"$CTOK" count -e cl100k_base --special none --progress "$T/a" "$T/b" > "$T/n" 2> "$T/err"
mb=$(cat "$T/a" "$T/b" | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')
n=$(awk '$2 == "total" { print $1 }' "$T/n")
expect_grep progress_count_files "$T/err" "ctok: count: $mb MB, $n tokens in "
printf '"hello world"\n{"text": "a b c"}\n' > "$T/lines.jsonl"
"$CTOK" count -e gpt2 --jsonl --progress "$T/lines.jsonl" > "$T/n" 2> "$T/err"
n=$(awk '{ s += $1 } END { print s }' "$T/n")
expect_grep progress_jsonl "$T/err" "ctok: count: 0.0 MB, $n tokens in "
"$CTOK" encode -e cl100k_base --special none --progress -q "$T/big.txt" > /dev/null 2> "$T/err"
expect_eq progress_quiet_wins "$(wc -c < "$T/err" | tr -d ' ')" 0
"$CTOK" encode -e cl100k_base --special none "$T/big.txt" > /dev/null 2> "$T/err"
expect_eq progress_not_on_a_file "$(wc -c < "$T/err" | tr -d ' ')" 0
# an error starts a line of its own, after the progress line when one was drawn (a slow run)
"$CTOK" encode -e cl100k_base --progress "$T/first.txt" "$T/head.txt" > /dev/null 2> "$T/err"
if tr '\r' '\n' < "$T/err" | grep -q "^ctok: $T/first.txt:$lines: byte offset"; then
    ok progress_then_error
else
    fail progress_then_error "$(head -c 300 "$T/err")"
fi
# --- JSONL is read block by block too, its lines split between threads: tiktoken's ids for each
# line of the vector files (tests/data/vectors), which hold the ids beside the text, 20 times
# over (5-6 MB: several rounds of 1 MB a thread, several parts each) ---
for enc in gpt2 cl100k_base o200k_base; do
    v=$D/vectors/$enc.jsonl
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do cat "$v"; done > "$T/v.jsonl"
    sed 's/.*,"ids":\(\[[0-9,]*\]\)}$/\1/' "$T/v.jsonl" > "$T/want"
    # the number of ids on each line: one more than its commas, none for []
    awk -F, '{ print ($0 == "[]") ? 0 : NF }' "$T/want" > "$T/want_n"
    for j in 1 2 3; do
        "$CTOK" encode -e "$enc" --special none --jsonl -j $j "$T/v.jsonl" > "$T/got"
        cmp -s "$T/want" "$T/got" && ok "jsonl_vectors_${enc}_j$j" || fail "jsonl_vectors_${enc}_j$j" "ids differ from tiktoken's"
        "$CTOK" count -e "$enc" --special none --jsonl -j $j "$T/v.jsonl" > "$T/got_n"
        cmp -s "$T/want_n" "$T/got_n" && ok "jsonl_count_${enc}_j$j" || fail "jsonl_count_${enc}_j$j" "counts differ from tiktoken's"
    done
done
# an error deep in the file names its line; every line before it is printed, none after
n=$(wc -l < "$T/v.jsonl" | tr -d ' ')
{ cat "$T/v.jsonl"; echo '{"body": "no text field"}'; cat "$T/v.jsonl"; } > "$T/bad.jsonl"
for j in 1 2; do
    "$CTOK" encode -e o200k_base --special none --jsonl -j $j "$T/bad.jsonl" > "$T/got" 2> "$T/err"; st=$?
    [ $st -eq 1 ] && grep -q "bad.jsonl:$((n + 1)): column" "$T/err" && cmp -s "$T/want" "$T/got" &&
        ok "jsonl_error_location_j$j" || fail "jsonl_error_location_j$j" "status $st: $(cat "$T/err")"
done
# a line longer than a round (3 MB, no newline inside) is read whole
head -c 3000000 /dev/zero | tr '\000' 'a' > "$T/long.txt"
{ printf '"'; cat "$T/long.txt"; printf '"\n"b"\n'; } > "$T/long.jsonl"
want=$("$CTOK" count -e cl100k_base "$T/long.txt")
expect_eq jsonl_long_line "$("$CTOK" count -e cl100k_base --jsonl -j 2 "$T/long.jsonl" | tr '\n' ' ')" "$want 1 "
