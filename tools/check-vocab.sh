#!/bin/sh
# check-vocab.sh DIR - check every rank file that DIR/encodings.json names against the sha256 it
# publishes for it ("file" and "sha256_of_tiktoken_file" of each encoding).  The Makefile runs it
# before embedding the files in the library; a mismatch fails the build.
dir=${1:-data/vocab}
list=$(awk -F'"' '
    $2 == "file" { file = $4 }
    $2 == "sha256_of_tiktoken_file" && file != "" { print $4 "  " file; file = "" }
' "$dir/encodings.json" | sort -u)
if [ -z "$list" ]; then
    echo "check-vocab.sh: no rank files with a sha256 in $dir/encodings.json" >&2
    exit 1
fi
for f in "$dir"/*.tiktoken; do
    if ! echo "$list" | grep -q "  $(basename "$f")\$"; then
        echo "check-vocab.sh: $f has no sha256 in $dir/encodings.json" >&2
        exit 1
    fi
done
if command -v sha256sum >/dev/null 2>&1; then
    sum="sha256sum"
elif command -v shasum >/dev/null 2>&1; then
    sum="shasum -a 256"
else
    echo "check-vocab.sh: needs sha256sum or shasum" >&2
    exit 1
fi
if ! out=$(cd "$dir" && echo "$list" | $sum -c - 2>&1); then
    echo "$out" | grep -v ': OK$' >&2
    echo "check-vocab.sh: a rank file in $dir differs from the sha256 in encodings.json" >&2
    exit 1
fi
