#!/bin/sh
# demo.sh - the quick start's main job, on data that ships with ctok: a character vocabulary
# (nanoGPT's shakespeare_char) and a minbpe-exact byte-level BPE, trained, compared with minbpe's
# own model, and used to encode and decode.
set -e
BUILD=${1:-build}
CTOK="$BUILD/ctok"
D=tests/data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "== character level: tinyshakespeare (nanoGPT's shakespeare_char)"
"$CTOK" train --type char -o "$OUT/shakespeare" "$D/corpora/tinyshakespeare.txt"
echo "vocabulary: $(sed -n 2p "$OUT/shakespeare.model") characters"
printf 'hii there' > "$OUT/hii.txt"
echo "encode 'hii there': $("$CTOK" encode -m "$OUT/shakespeare.model" "$OUT/hii.txt")"

echo
echo "== byte-level BPE, minbpe's RegexTokenizer (GPT-4 pattern), vocabulary 512: taylorswift"
"$CTOK" train --type regex --pattern gpt4 --vocab-size 512 -o "$OUT/taylor" "$D/corpora/taylorswift.txt"
if cmp -s "$OUT/taylor.model" "$D/minbpe/taylorswift-regex512.model"; then
    echo "identical to the model minbpe itself trained: $D/minbpe/taylorswift-regex512.model"
else
    echo "DIFFERS from minbpe's model" >&2
    exit 1
fi
printf 'hello world!!!? (\354\225\210\353\205\225\355\225\230\354\204\270\354\232\224!) lol123 \360\237\230\211' > "$OUT/hello.txt"
ids=$("$CTOK" encode -m "$OUT/taylor.model" "$OUT/hello.txt")
echo "encode '$(cat "$OUT/hello.txt")': $ids"
echo "decode: $(echo "$ids" | "$CTOK" decode -m "$OUT/taylor.model")"

echo
echo "== OpenAI's encodings, built in (tiktoken's ids, offline)"
printf 'The quick brown fox jumps over the lazy dog.' > "$OUT/fox.txt"
for enc in gpt2 cl100k_base o200k_base; do
    echo "$enc: $("$CTOK" encode -e "$enc" "$OUT/fox.txt")"
done
echo "tokens of tinyshakespeare with o200k_base: $("$CTOK" count -e o200k_base "$D/corpora/tinyshakespeare.txt")"
