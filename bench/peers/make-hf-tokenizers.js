#!/usr/bin/env node
// bench/peers/make-hf-tokenizers.js - HF tokenizers' tokenizer.json for gpt2, cl100k_base and
// o200k_base, made offline from ctok's data/vocab, so that the benchmark can time HF tokenizers on
// the same encodings as ctok and tiktoken.
//   node bench/peers/make-hf-tokenizers.js OUTDIR      writes OUTDIR/hf-NAME.json (if missing or
//                                                      older than this script or its sources)
//
// gpt2: OpenAI's encoder.json (vocabulary in GPT-2's bytes_to_unicode alphabet) and vocab.bpe
// (the merges, in order) are already HF's byte-level BPE; the pre-tokenizer is ByteLevel with its
// built-in GPT-2 regex, as in HF's own gpt2 tokenizer.json.
//
// cl100k_base, o200k_base: a .tiktoken file holds only ranks (token bytes -> rank = id).  HF's BPE
// needs merges, recovered as tiktoken's own conversion does: for each token of rank r (two bytes or
// more), run tiktoken's BPE on its bytes using only the ranks below r; it must end in exactly two
// parts, and (left, right) is the merge, listed in rank order.  Pre-tokenizer: Split(the
// encoding's pattern, isolated) then ByteLevel without its own regex.  HF merges by the priority
// of the pair and tiktoken by the rank of the concatenation; these agree whenever a token's
// recovered merge is the pair that BPE meets, which the benchmark checks on every input (ids count
// and hash against ctok's).
//
// Special tokens are not added: the benchmark encodes ordinary text (tiktoken's encode_ordinary).
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const VOCAB = path.join(ROOT, 'data', 'vocab');

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68 bytes for
// U+0100 upwards, in byte order.
function bytesToUnicode() {
  const table = new Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCodePoint(printable ? b : next++);
  }
  return table;
}
const B2U = bytesToUnicode();
const toUnicode = (latin1) => {
  let s = '';
  for (let i = 0; i < latin1.length; i++) s += B2U[latin1.charCodeAt(i)];
  return s;
};

// tiktoken's byte_pair_merge restricted to ranks below maxRank: the parts a token's bytes end in.
// Tokens are short (at most a few hundred bytes), so the plain quadratic loop is fine here.
function bpeParts(ranks, latin1, maxRank) {
  let parts = Array.from(latin1);
  for (;;) {
    let best = -1, bestRank = maxRank;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = ranks.get(parts[i] + parts[i + 1]);
      if (r !== undefined && r < bestRank) { bestRank = r; best = i; }
    }
    if (best < 0) return parts;
    parts.splice(best, 2, parts[best] + parts[best + 1]);
  }
}

function tiktokenToHf(file, pattern) {
  const ranks = new Map(); // token bytes as a latin1 string -> rank
  for (const line of fs.readFileSync(file, 'latin1').split('\n')) {
    if (line === '') continue;
    const [b64, rank] = line.split(' ');
    ranks.set(Buffer.from(b64, 'base64').toString('latin1'), Number(rank));
  }
  const byRank = [...ranks.entries()].sort((a, b) => a[1] - b[1]);
  const vocab = Object.create(null); // a token could be spelled "__proto__"
  const merges = [];
  for (const [token, rank] of byRank) {
    vocab[toUnicode(token)] = rank;
    if (token.length < 2) continue;
    const parts = bpeParts(ranks, token, rank);
    if (parts.length !== 2)
      throw new Error(`${file}: token of rank ${rank} does not split into two lower-ranked tokens`);
    merges.push(toUnicode(parts[0]) + ' ' + toUnicode(parts[1]));
  }
  return tokenizerJson(vocab, merges, {
    type: 'Sequence',
    pretokenizers: [
      { type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    ],
  });
}

function gpt2ToHf(encoderJson, vocabBpe) {
  const vocab = JSON.parse(fs.readFileSync(encoderJson, 'utf8'));
  delete vocab['<|endoftext|>']; // the special token: ordinary text never encodes to it
  const merges = fs.readFileSync(vocabBpe, 'utf8').split('\n')
    .filter((line) => line !== '' && !line.startsWith('#version'));
  return tokenizerJson(vocab, merges,
    { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true });
}

// The tokenizer.json layout of tokenizers 0.13 (no ignore_merges field yet: its BPE always
// merges, which is the behaviour later versions call ignore_merges = false).
function tokenizerJson(vocab, merges, preTokenizer) {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: preTokenizer,
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null,
      end_of_word_suffix: null, fuse_unk: false, vocab, merges,
    },
  };
}

function writeIfStale(out, sources, make) {
  const mtime = (p) => fs.statSync(p).mtimeMs;
  if (fs.existsSync(out) && sources.concat([__filename]).every((s) => mtime(s) <= mtime(out)))
    return;
  const tmp = out + '.tmp';
  fs.writeFileSync(tmp, JSON.stringify(make()));
  fs.renameSync(tmp, out);
  console.error(`bench: wrote ${path.relative(process.cwd(), out)}`);
}

function main() {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: node make-hf-tokenizers.js OUTDIR');
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const encodings = JSON.parse(fs.readFileSync(path.join(VOCAB, 'encodings.json'), 'utf8')).encodings;
  const enc = path.join(VOCAB, 'gpt2', 'encoder.json');
  const bpe = path.join(VOCAB, 'gpt2', 'vocab.bpe');
  writeIfStale(path.join(outDir, 'hf-gpt2.json'), [enc, bpe], () => gpt2ToHf(enc, bpe));
  for (const name of ['cl100k_base', 'o200k_base']) {
    const file = path.join(VOCAB, encodings[name].file);
    writeIfStale(path.join(outDir, `hf-${name}.json`), [file],
      () => tiktokenToHf(file, encodings[name].pat_str));
  }
}

main();
