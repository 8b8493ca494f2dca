#!/usr/bin/env node
// bench/peers/bench-peers.js - the peers' side of the encoding benchmark: tiktoken's Rust core
// (its native Node binding, tiktoken-rs-node) and HF tokenizers (native binding 0.13), timed inside
// this process after loading, so that neither start-up nor loading counts against them.
//
//   node bench/peers/bench-peers.js [--repeats N] [--budget SECONDS] [--encodings A,B,...]
//        [--hf-dir DIR] [--limit PEER:INPUT=BYTES]... [--peers tiktoken,hf] NAME=PATH...
//
// For each peer, encoding and input: read the input as UTF-8 (not timed), keep at most the limit's
// bytes of it (an evenly spread sample, see sample(); a limit with INPUT "*" applies to every
// input), encode it up to N times (stopping early once a case has used BUDGET seconds, after at
// least one run) and print one tab-separated line on stdout:
//   peer encoding input limit bytes n_ids hash best_s median_s runs load_s status
// limit is 0 for the whole input; bytes is the length of the text encoded; hash is
// bench_encode.c's hash of the id sequence, so that bench_encode can check the peer's ids against
// ctok's on exactly the same bytes.  status is "ok" or what went wrong.  Progress goes to stderr.
//
// tiktoken-rs-node's encode(text) allows every special token (tiktoken's encode with
// allowed_special="all"); the inputs contain none, so it is encode_ordinary on them.  HF's
// tokenizer.json files come from make-hf-tokenizers.js and have no special tokens.
'use strict';
const fs = require('fs');
const path = require('path');

const TIKTOKEN_NODE = path.join(__dirname, 'node_modules', 'tiktoken-rs-node-linux-x64-gnu',
  'tiktoken-rs-node.linux-x64-gnu.node');

// The same hash as bench_encode.c's ids_hash: two 32-bit hashes of the id sequence, as 16 hex digits.
function idsHash(ids) {
  let h1 = 0x811c9dc5, h2 = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    h1 = Math.imul((h1 ^ id) >>> 0, 0x01000193) >>> 0;
    h2 = (Math.imul(h2, 1000003) + id + 1) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

function parseArgs(argv) {
  const a = { repeats: 3, budget: 20, encodings: ['gpt2', 'cl100k_base', 'o200k_base'],
    hfDir: path.join(__dirname, '..', 'out'), limits: [], peers: ['tiktoken', 'hf'], inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--repeats') a.repeats = Math.max(1, parseInt(value(), 10));
    else if (arg === '--budget') a.budget = parseFloat(value());
    else if (arg === '--encodings') a.encodings = value().split(',');
    else if (arg === '--hf-dir') a.hfDir = value();
    else if (arg === '--peers') a.peers = value().split(',');
    else if (arg === '--limit') {
      const m = /^([^:]+):([^=]+)=(\d+)$/.exec(value());
      if (!m) throw new Error('--limit takes PEER:INPUT=BYTES');
      a.limits.push({ peer: m[1], input: m[2], bytes: Number(m[3]) });
    } else if (/^[^=]+=/.test(arg)) {
      const eq = arg.indexOf('=');
      a.inputs.push({ name: arg.slice(0, eq), path: arg.slice(eq + 1) });
    } else throw new Error(`unknown argument ${arg}`);
  }
  return a;
}

function limitFor(args, peer, input) {
  let bytes = Infinity;
  for (const l of args.limits)
    if (l.peer === peer && (l.input === input || l.input === '*')) bytes = Math.min(bytes, l.bytes);
  return bytes;
}

// The bytes a peer encodes when limited to `limit` bytes: the whole input if it fits, else SLICES
// slices of limit / SLICES bytes at evenly spaced offsets, each moved to character boundaries (start
// forward, end back), concatenated.  bench_encode.c's sample_of makes the same bytes.
const SLICES = 16;
function sample(buf, limit) {
  if (!(limit < buf.length)) return buf;
  const piece = Math.floor(limit / SLICES);
  const parts = [];
  for (let i = 0; i < SLICES; i++) {
    let start = Math.floor((i * buf.length) / SLICES);
    while (start < buf.length && (buf[start] & 0xc0) === 0x80) start++;
    let end = Math.min(start + piece, buf.length);
    while (end > start && end < buf.length && (buf[end] & 0xc0) === 0x80) end--;
    parts.push(buf.subarray(start, end));
  }
  return Buffer.concat(parts);
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

// peer name -> { load(encoding) -> encoder, encode(encoder, text) -> Promise<ids> }
const PEERS = {
  tiktoken: {
    load(encoding) {
      const binding = require(TIKTOKEN_NODE);
      return binding.getEncoding(encoding);
    },
    async encode(enc, text) { return enc.encode(text); },
  },
  hf: {
    load(encoding, args) {
      const { Tokenizer } = require(path.join(__dirname, 'node_modules', 'tokenizers'));
      return Tokenizer.fromFile(path.join(args.hfDir, `hf-${encoding}.json`));
    },
    async encode(tok, text) {
      const encoding = await tok.encode(text, null, { addSpecialTokens: false });
      return encoding.getIds();
    },
  },
};

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const inputs = args.inputs.map((inp) => ({ ...inp, buf: fs.readFileSync(inp.path) }));
  for (const peer of args.peers) {
    const impl = PEERS[peer];
    if (!impl) throw new Error(`unknown peer ${peer}`);
    for (const encoding of args.encodings) {
      let encoder, loadS = 0;
      let loadError = null;
      try {
        const t0 = now();
        encoder = impl.load(encoding, args);
        loadS = now() - t0;
      } catch (e) {
        loadError = String(e.message || e).split('\n')[0];
      }
      for (const inp of inputs) {
        const limit = limitFor(args, peer, inp.name);
        const buf = sample(inp.buf, limit);
        const fields = [peer, encoding, inp.name, limit < inp.buf.length ? limit : 0, buf.length];
        if (loadError) {
          console.log([...fields, 0, '-', 0, 0, 0, 0, `load failed: ${loadError}`].join('\t'));
          continue;
        }
        const text = buf.toString('utf8');
        const times = [];
        let ids = null, status = 'ok';
        try {
          let spent = 0;
          while (times.length < args.repeats && (times.length === 0 || spent < args.budget)) {
            const t0 = now();
            ids = await impl.encode(encoder, text);
            const dt = now() - t0;
            times.push(dt);
            spent += dt;
          }
        } catch (e) {
          status = `encode failed: ${String(e.message || e).split('\n')[0]}`;
        }
        times.sort((x, y) => x - y);
        const best = times.length ? times[0] : 0;
        const median = times.length ? times[Math.floor(times.length / 2)] : 0;
        console.error(`bench: ${peer} ${encoding} ${inp.name}: ${(buf.length / best / 1e6).toFixed(2)} MB/s` +
          ` (best of ${times.length})`);
        console.log([...fields, ids ? ids.length : 0, ids ? idsHash(ids) : '-', best.toFixed(6),
          median.toFixed(6), times.length, loadS.toFixed(3), status].join('\t'));
        ids = null;
      }
      encoder = null;
      if (global.gc) global.gc();
    }
  }
}

main().catch((e) => {
  console.error(`bench-peers: ${e.message || e}`);
  process.exit(1);
});
