#!/usr/bin/env python3
"""Flatten tests/data/minbpe/taylorswift-512-reference.json (minbpe's own encode outputs) into
tests/data/minbpe/reference-cases.jsonl, one case per line, so the C tests can read it with the
JSONL helpers: {"model": FILE, "special": "none"|"all", "text": ..., "ids": [...]}.
The values are copied unchanged from the reference file."""
import json
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "tests/data/minbpe/taylorswift-512-reference.json"
dst = sys.argv[2] if len(sys.argv) > 2 else "tests/data/minbpe/reference-cases.jsonl"
ref = json.load(open(src, encoding="utf-8"))
with open(dst, "w", encoding="utf-8") as out:
    for name, model in ref["models"].items():
        for key, special in (("encode", "none"), ("encode_allowed_all", "all")):
            for case in model.get(key, []):
                line = {"model": model["model_file"], "special": special,
                        "text": case["text"], "ids": case["ids"]}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
