#!/bin/sh
# bench/bench-train.sh - `make bench-train`: ctok's BPE trainer side by side with HF tokenizers'
# BpeTrainer and sentencepiece's BPE trainer on the same corpus, the targets of issue 5.
#   sh bench/bench-train.sh [BUILD]      BUILD holds ctok (default build)
#
# Every run is a separate process timed by GNU time (/usr/bin/time): wall seconds, peak RSS and
# CPU seconds (user + system) of the whole process.  The machine is shared: wall times move with
# its load, CPU seconds much less (CPU above wall means several threads worked).  The table gives,
# for each peer, how many times ctok is faster / smaller ("x ctok"), next to the target; for
# ctok's 2-thread rows, the speed-up over 1 thread.
#   corpus-41M  the multilingual corpus (../shared/tools/make-corpus.sh), always (~15 minutes,
#               most of it spm at 32768): ctok at vocab 30000 (1 and 2 threads), 8192 and 32768
#               (1 thread); HF at 30000 (its default; all cores); spm at 8192, 32768 (one thread)
#   linux-1G    1 GB of Linux sources (../shared/tools/make-linux-corpus.sh), only with BIG=1:
#               ctok at 30000 with 1 and 2 threads, HF at 30000
# Knobs (environment): BIG=1; CTOK_CORPUS=PATH, CTOK_LINUX_CORPUS=PATH (the two corpora);
# BENCH_PEERS=0 (ctok only); BENCH_SPM_VOCABS="8192 32768"; RAYON_NUM_THREADS=N (HF's threads,
# default all cores).  The 2-thread rows need `ctok train -j N`; without it they are left out.
# Missing tools are installed: GNU time and sentencepiece with apt-get (when root), HF's Node
# binding (@anush008/tokenizers) by bench/install-peers.sh.  Logs and models: bench/out/train/.
BUILD=${1:-build}
cd "$(dirname "$0")/.." || exit 2
OUT=bench/out/train
mkdir -p "$OUT" || exit 1
CTOK=$BUILD/ctok
TSV=$OUT/train.tsv
: > "$TSV"
CORES=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

# apt PACKAGE: install a Debian package when root (the bench's tools, not the build's)
apt() {
    [ "$(id -u)" = 0 ] || return 1
    echo "bench-train: installing $1 (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >&2 ||
        { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >&2; }
}
[ -x /usr/bin/time ] || apt time || { echo "bench-train: needs GNU time (/usr/bin/time)" >&2; exit 1; }

# corpus PATH MAKER: print PATH, building it with MAKER (a ../shared/tools script) if missing
corpus() {
    if [ ! -s "$1" ] && [ -f "../shared/tools/$2" ]; then
        echo "bench-train: building $1 (../shared/tools/$2, a few minutes)" >&2
        bash "../shared/tools/$2" "$1" >&2 || echo "bench-train: $2 failed" >&2
    fi
    [ -s "$1" ] && echo "$1"
}

# run TOOL CORPUS VOCAB THREADS COMMAND...: time one training, append a line to $TSV
run() {
    tool=$1 cname=$2 vocab=$3 threads=$4
    shift 4
    log=$OUT/$tool-$cname-$vocab-j$threads.log
    echo "bench-train: $tool $cname vocab $vocab, $threads thread(s)..." >&2
    if /usr/bin/time -o "$OUT/last.txt" -f '%e %M %U %S' "$@" > "$log" 2>&1; then
        read -r secs kb user sys < "$OUT/last.txt"
        echo "$tool $cname $vocab $threads $secs $kb $user $sys" >> "$TSV"
    else
        echo "bench-train: $tool failed, see $log" >&2
        echo "$tool $cname $vocab $threads fail fail fail fail" >> "$TSV"
    fi
}

# ctok CORPUS-NAME PATH VOCAB THREADS: GPT-2 pattern, as HF's ByteLevel pre-tokenizer splits
has_j=0
"$CTOK" train --help 2>&1 | grep -q -- '-j' && has_j=1
ctok() {
    if [ $has_j = 1 ]; then
        run ctok "$1" "$3" "$4" "$CTOK" train --type regex --pattern gpt2 --vocab-size "$3" \
            -j "$4" -o "$OUT/ctok-$1-$3" -q "$2"
    elif [ "$4" = 1 ]; then
        run ctok "$1" "$3" 1 "$CTOK" train --type regex --pattern gpt2 --vocab-size "$3" \
            -o "$OUT/ctok-$1-$3" -q "$2"
    fi
}

# the peers, each skipped with a note when it cannot be installed
hf_ok=0 spm_ok=0
if [ "${BENCH_PEERS:-1}" != 0 ]; then
    if command -v node >/dev/null 2>&1 && { sh bench/install-peers.sh ||:; } &&
        [ -f bench/peers/node_modules/@anush008/tokenizers/package.json ]; then
        hf_ok=1
    else
        echo "bench-train: no HF tokenizers (node + @anush008/tokenizers): HF rows skipped" >&2
    fi
    command -v spm_train >/dev/null 2>&1 || apt sentencepiece
    command -v spm_train >/dev/null 2>&1 && spm_ok=1 ||
        echo "bench-train: no spm_train (Debian package sentencepiece): spm rows skipped" >&2
fi
hf_threads=${RAYON_NUM_THREADS:-$CORES}

echo "== training: ctok vs HF tokenizers (BpeTrainer) vs sentencepiece (spm_train), GPT-2 pattern"
echo "($(date -u '+%Y-%m-%d %H:%M UTC'), $CORES cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; shared machine: expect noise)"

small=$(corpus "${CTOK_CORPUS:-$HOME/.cache/ctok/corpus-big.txt}" make-corpus.sh)
if [ -n "$small" ]; then
    ctok corpus-41M "$small" 30000 1
    ctok corpus-41M "$small" 30000 2
    ctok corpus-41M "$small" 8192 1
    ctok corpus-41M "$small" 32768 1
    [ $hf_ok = 1 ] && run hf corpus-41M 30000 "$hf_threads" \
        node bench/peers/train-hf.js "$small" "$OUT/hf-corpus-41M.json"
    # spm: BPE, one thread as in the issue's target.  --input_sentence_size=0 loads every line
    # (no sampling) and --max_sentence_length raises the 4192-byte cap above which spm silently
    # drops a line, so that it learns from the whole corpus as ctok does.  Other options are
    # spm's defaults.  (--train_extremely_large_corpus only changes the unigram trainer.)
    for v in ${BENCH_SPM_VOCABS-8192 32768}; do
        [ $spm_ok = 1 ] && run spm corpus-41M "$v" 1 spm_train --input="$small" \
            --model_prefix="$OUT/spm-corpus-41M-$v" --model_type=bpe --vocab_size="$v" \
            --num_threads=1 --input_sentence_size=0 --max_sentence_length=1000000
    done
else
    echo "bench-train: no 41 MB corpus (set CTOK_CORPUS): skipped" >&2
fi

if [ "${BIG:-0}" = 1 ]; then
    big=$(corpus "${CTOK_LINUX_CORPUS:-$HOME/.cache/ctok/linux-1g.txt}" make-linux-corpus.sh)
    if [ -n "$big" ]; then
        ctok linux-1G "$big" 30000 1
        ctok linux-1G "$big" 30000 2
        [ $hf_ok = 1 ] && run hf linux-1G 30000 "$hf_threads" \
            node bench/peers/train-hf.js "$big" "$OUT/hf-linux-1G.json"
    else
        echo "bench-train: no 1 GB corpus (set CTOK_LINUX_CORPUS): skipped" >&2
    fi
else
    echo "(the 1 GB Linux corpus runs with BIG=1: make bench-train BIG=1)"
fi
[ $has_j = 0 ] && echo "(ctok train has no -j yet: 2-thread rows left out)"
rm -f "$OUT/last.txt"

# The table.  A peer is compared with ctok on the same corpus and vocabulary: HF with ctok's
# 2-thread run (HF uses every core), spm with ctok's 1-thread run (spm has one).
awk '
{ row[NR] = $0; t[$1, $2, $3, $4] = $5; r[$1, $2, $3, $4] = $6 }
function x(peer, mine) { return (peer == "fail" || mine == "" || mine == "fail" || mine == 0) ? "" : peer / mine }
function fmt(v) { return v == "" ? "-" : sprintf("%.2fx", v) }
function num(v, f) { return v == "fail" ? "fail" : sprintf(f, v) }
END {
    printf "%-5s %-10s %6s %7s %8s %8s %7s %7s %7s  %s\n", "tool", "corpus", "vocab", "threads",
        "wall s", "CPU s", "RSS MB", "time x", "RSS x", "target (x: how many times ctok is faster / smaller)"
    for (i = 1; i <= NR; i++) {
        split(row[i], f, " "); tool = f[1]; c = f[2]; v = f[3]; j = f[4]
        tx = ""; rx = ""; want = ""; tmin = 0; rmin = 0
        if (tool == "ctok" && j == 2) {
            tx = x(t["ctok", c, v, 1], f[5])
            if (c == "linux-1G") { want = "2 threads >= 1.7x faster than 1"; tmin = 1.7 }
            else want = "(time x: speed-up over 1 thread)"
        } else if (tool == "hf") {
            ref = ((("ctok", c, v, 2) in t) ? 2 : 1)
            tx = x(f[5], t["ctok", c, v, ref]); rx = x(f[6], r["ctok", c, v, ref])
            if (c == "linux-1G") { tmin = 4; rmin = 1; want = "time >= 4x, RSS >= 1x" }
            else { tmin = 5; rmin = 2; want = "time >= 5x, RSS >= 2x" }
            want = want " (vs ctok " ref " thread" (ref > 1 ? "s" : "") ")"
        } else if (tool == "spm") {
            tx = x(f[5], t["ctok", c, v, 1]); rx = x(f[6], r["ctok", c, v, 1])
            tmin = 10; rmin = 2; want = "time >= 10x, RSS >= 2x (vs ctok 1 thread)"
        }
        if (tmin > 0)
            want = want ((tx != "" && tx >= tmin && (rmin == 0 || (rx != "" && rx >= rmin))) ? "  MET" : "  MISSED")
        printf "%-5s %-10s %6s %7s %8s %8s %7s %7s %7s  %s\n", tool, c, v, j, num(f[5], "%.2f"),
            f[7] == "fail" ? "fail" : sprintf("%.2f", f[7] + f[8]), f[6] == "fail" ? "fail" : sprintf("%.0f", f[6] / 1024),
            fmt(tx), fmt(rx), want
    }
}' "$TSV"
