#!/usr/bin/env node
// bench/peers/train-hf.js - train HF tokenizers' BPE (its Rust BpeTrainer, through the native Node
// binding @anush008/tokenizers) on a file, as `make bench-train` times it against `ctok train`.
//   node bench/peers/train-hf.js CORPUS OUT.json
//
// The setup is HF's byte-level BPE, the equivalent of `ctok train --type regex --pattern gpt2`:
// a ByteLevel pre-tokenizer with its built-in GPT-2 regex and no prefix space, an empty BPE model,
// and the model's default trainer: BpeTrainer::default(), vocabulary 30000 (the byte alphabet seen
// plus merges), min_frequency 0, no special tokens.  The binding offers no other trainer options.
// Differences from ctok: HF reads the file line by line (keeping the newlines) and splits each line
// on its own, so a run of whitespace never spans two lines; ties go to the smallest pair.
// Rayon runs the word counting and the pair updates on every core (RAYON_NUM_THREADS limits it);
// the first stdout line says how many threads it was given.
'use strict';
const path = require('path');
const [corpus, out] = process.argv.slice(2);
if (!corpus || !out) {
  console.error('usage: node bench/peers/train-hf.js CORPUS OUT.json');
  process.exit(2);
}
const tk = require(path.join(__dirname, 'node_modules', '@anush008', 'tokenizers'));
const tokenizer = new tk.Tokenizer(tk.BPE.empty());
tokenizer.setPreTokenizer(tk.byteLevelPreTokenizer(false, true));
const threads = process.env.RAYON_NUM_THREADS || require('os').availableParallelism();
tokenizer.train([corpus]);
tokenizer.save(out);
console.log(`threads ${threads} vocab ${tokenizer.getVocabSize()}`);
