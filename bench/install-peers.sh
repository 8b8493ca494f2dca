#!/bin/sh
# bench/install-peers.sh - install the benchmark's peer tokenizers from the npm registry into
# bench/peers/node_modules (git ignores it): tiktoken's Rust core through its native Node binding
# (tiktoken-rs-node-linux-x64-gnu) and its WASM build (tiktoken 1.0.22, which builds an encoding
# from a .tiktoken file: tests/cli/test_export_tiktoken.sh uses it), HF tokenizers' native
# binding (tokenizers 0.13.3 with tokenizers-linux-x64-gnu) and a newer build of it
# (@anush008/tokenizers 0.6.0 with @anush008/tokenizers-linux-x64-gnu: tokenizers 0.22, with the
# BPE trainer; bench-train and tests/cli/test_export_hf.sh use it), at the versions
# bench/peers/package.json pins.
# Idempotent and quiet: does nothing when the pinned versions are already there.
# Exit status 0 when the peers are usable, 1 otherwise (no node/npm, no network, other platform).
cd "$(dirname "$0")/peers" || exit 1
command -v node >/dev/null 2>&1 || { echo "install-peers: node not found" >&2; exit 1; }
installed() {
    node -e '
const deps = require("./package.json").dependencies;
for (const [name, version] of Object.entries(deps)) {
  let v = null;
  try { v = require("./node_modules/" + name + "/package.json").version; } catch (e) {}
  if (v !== version) process.exit(1);
}' 2>/dev/null
}
installed && exit 0
command -v npm >/dev/null 2>&1 || { echo "install-peers: npm not found" >&2; exit 1; }
echo "install-peers: npm install in bench/peers" >&2
npm install --no-audit --no-fund --loglevel=error >&2 || { echo "install-peers: npm install failed" >&2; exit 1; }
installed || { echo "install-peers: the pinned peers are not usable on this platform" >&2; exit 1; }
