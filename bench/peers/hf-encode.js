#!/usr/bin/env node
// bench/peers/hf-encode.js - encode a text file with HF tokenizers (its Rust core, through the
// native Node binding @anush008/tokenizers that bench/install-peers.sh installs) from a
// tokenizer.json, and print the ids as `ctok encode` does: decimal, one space apart, one line.
// tests/cli/test_export_hf.sh compares them with ctok's for tokenizers `ctok export --format hf`
// wrote.
//   node bench/peers/hf-encode.js TOKENIZER.json FILE [--check-decode]
// The file is read as UTF-8.  HF always splits out the added (special) tokens, so compare with
// `ctok encode --special all`.  --check-decode also decodes the ids and exits with status 1 if
// that does not give the text back.  Exit status 3 when the binding is not installed.
'use strict';
const fs = require('fs');
const path = require('path');

async function main() {
  const args = process.argv.slice(2);
  const checkDecode = args.includes('--check-decode');
  const [tokenizerFile, textFile] = args.filter((a) => a !== '--check-decode');
  if (!tokenizerFile || !textFile) {
    console.error('usage: node hf-encode.js TOKENIZER.json FILE [--check-decode]');
    process.exit(2);
  }
  let tk;
  try {
    tk = require(path.join(__dirname, 'node_modules', '@anush008', 'tokenizers'));
  } catch (e) {
    console.error(`hf-encode: @anush008/tokenizers is not installed (sh bench/install-peers.sh): ${e.message}`);
    process.exit(3);
  }
  const tokenizer = tk.Tokenizer.fromFile(tokenizerFile);
  const text = fs.readFileSync(textFile, 'utf8');
  const encoding = await tokenizer.encode(text, null, { addSpecialTokens: false });
  const ids = encoding.getIds();
  process.stdout.write(ids.join(' ') + '\n');
  if (checkDecode) {
    const back = await tokenizer.decode(ids, false);
    if (back !== text) {
      let i = 0;
      while (i < back.length && back[i] === text[i]) i++;
      console.error(`hf-encode: decode differs from the text at character ${i}`);
      process.exit(1);
    }
  }
}

main().catch((e) => {
  console.error(`hf-encode: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
