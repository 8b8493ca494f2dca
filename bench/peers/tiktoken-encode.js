#!/usr/bin/env node
// bench/peers/tiktoken-encode.js - encode text files with tiktoken (the npm package `tiktoken`:
// the WASM build of OpenAI's Rust core, which bench/install-peers.sh installs) from the two files
// `ctok export --format tiktoken -o PREFIX` writes, and print each file's ids as `ctok encode`
// prints a file's: decimal, one space apart, one line (a line per file, in order; one process for
// several files saves loading the ranks again).  tests/cli/test_export_tiktoken.sh compares them
// with ctok's.
//   node bench/peers/tiktoken-encode.js PREFIX.tiktoken FILE... [--special none|all] [--check-decode]
//   node bench/peers/tiktoken-encode.js --encoding NAME FILE... [...]   (tiktoken's own encoding)
// The rank file goes to tiktoken as it is (its Tiktoken class takes the text of a .tiktoken file);
// pat_str and special_tokens come from the sidecar PREFIX.tiktoken.json, whose rank_file_sha256
// and n_vocab are checked here too.  An empty pat_str (a basic model: the whole text is one piece)
// has no tiktoken equivalent; [\s\S]+ makes the whole text one piece, so it stands in for it.
// --special none (default) is tiktoken's encode_ordinary, --special all its encode(text, "all"):
// compare with `ctok encode --special none|all`.  The files must be UTF-8 (tiktoken takes strings).
// --check-decode also decodes the ids and exits with status 1 if that does not give each file's
// bytes back.  Exit status 3 when the package is not installed.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

function usage() {
  console.error('usage: node tiktoken-encode.js PREFIX.tiktoken|--encoding NAME FILE... [--special none|all] [--check-decode]');
  process.exit(2);
}

function parseArgs(argv) {
  const a = { special: 'none', checkDecode: false, encoding: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check-decode') a.checkDecode = true;
    else if (arg === '--special' && i + 1 < argv.length) a.special = argv[++i];
    else if (arg === '--encoding' && i + 1 < argv.length) a.encoding = argv[++i];
    else if (arg.startsWith('--')) usage();
    else a.files.push(arg);
  }
  const want = a.encoding === null ? 2 : 1;
  if (a.files.length < want || (a.special !== 'none' && a.special !== 'all')) usage();
  return a;
}

// A Tiktoken from ctok's export: the rank file's text, the sidecar's specials and pattern.
function fromExport(tk, rankFile) {
  const sidecarFile = rankFile + '.json';
  const ranks = fs.readFileSync(rankFile);
  const sidecar = JSON.parse(fs.readFileSync(sidecarFile, 'utf8'));
  if (sidecar.format !== 'ctok tiktoken sidecar' || sidecar.version !== 1)
    throw new Error(`${sidecarFile}: not a version 1 ctok tiktoken sidecar`);
  if (sidecar.rank_file_sha256 !== undefined) {
    const sha = crypto.createHash('sha256').update(ranks).digest('hex');
    if (sha !== sidecar.rank_file_sha256)
      throw new Error(`${sidecarFile}: rank_file_sha256 ${sidecar.rank_file_sha256}, the rank file's is ${sha}`);
  }
  const pat = sidecar.pat_str === '' ? '[\\s\\S]+' : sidecar.pat_str;
  const enc = new tk.Tiktoken(ranks.toString('utf8'), sidecar.special_tokens, pat);
  if (sidecar.n_vocab !== undefined) {
    // one past the largest id: the last rank line's, or a special's
    let top = -1;
    const lines = ranks.toString('latin1').split('\n');
    for (const line of lines) if (line) top = Math.max(top, Number(line.slice(line.indexOf(' ') + 1)));
    for (const id of Object.values(sidecar.special_tokens)) top = Math.max(top, id);
    if (top + 1 !== sidecar.n_vocab)
      throw new Error(`${sidecarFile}: n_vocab ${sidecar.n_vocab}, the files' largest id is ${top}`);
  }
  return enc;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  let tk;
  try {
    tk = require(path.join(__dirname, 'node_modules', 'tiktoken'));
  } catch (e) {
    console.error(`tiktoken-encode: the tiktoken package is not installed (sh bench/install-peers.sh): ${e.message}`);
    process.exit(3);
  }
  const enc = args.encoding !== null ? tk.get_encoding(args.encoding) : fromExport(tk, args.files[0]);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (const textFile of args.files.slice(args.encoding === null ? 1 : 0)) {
    const bytes = fs.readFileSync(textFile);
    const text = utf8.decode(bytes);
    const ids = args.special === 'all' ? enc.encode(text, 'all') : enc.encode_ordinary(text);
    process.stdout.write(Array.prototype.join.call(ids, ' ') + '\n');
    if (args.checkDecode) {
      const back = Buffer.from(enc.decode(ids));
      if (!back.equals(bytes)) {
        let i = 0;
        while (i < back.length && back[i] === bytes[i]) i++;
        throw new Error(`${textFile}: decode differs from the file at byte ${i}`);
      }
    }
  }
  enc.free();
}

try {
  main();
} catch (e) {
  console.error(`tiktoken-encode: ${e && e.message ? e.message : e}`);
  process.exit(1);
}
