/*
 * pretok.h - hand-written scanners for the built-in split patterns (GPT-2, cl100k / GPT-4,
 * o200k).  Each gives exactly the pieces that the pattern's leftmost-first (Perl / Rust regex)
 * matching gives, with tiktoken's Unicode 16.0 meaning of \s and \p{..}, several times faster
 * than a regex engine and without allocation.  split_pcre2.c uses them for these patterns and
 * PCRE2 for any other; tests/unit/test_pretok.c checks the two agree.
 */
#ifndef CTOK_PRETOK_H
#define CTOK_PRETOK_H

#include <stddef.h>
#include <stdint.h>

typedef enum ctok__pretok_kind {
    CTOK__PRETOK_NONE = 0,
    /* 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
     * (gpt2, r50k, p50k; tiktoken-python 0.14's spelling with \s++$ means the same) */
    CTOK__PRETOK_GPT2,
    /* (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|
     * \s*[\r\n]+|\s+(?!\S)|\s+   (cl100k; minbpe's GPT4_SPLIT_PATTERN means the same) */
    CTOK__PRETOK_CL100K,
    /* tiktoken-python 0.14's cl100k spelling: as CL100K, except that its \s++$ alternative,
     * tried before \s*[\r\n], makes white space that runs to the end of the text one piece
     * ("a\n  " -> "a", "\n  " where CL100K gives "a", "\n", "  ") */
    CTOK__PRETOK_CL100K_PY,
    /* o200k: with U = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}], W = [\p{Ll}\p{Lm}\p{Lo}\p{M}] and
     * C = (?i:'s|'t|'re|'ve|'m|'ll|'d):
     * [^\r\n\p{L}\p{N}]?U*W+C?|[^\r\n\p{L}\p{N}]?U+W*C?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|
     * \s*[\r\n]+|\s+(?!\S)|\s+ */
    CTOK__PRETOK_O200K
} ctok__pretok_kind;

/* The scanner for a pattern spelled exactly as one of the known built-in spellings, or
 * CTOK__PRETOK_NONE. */
ctok__pretok_kind ctok__pretok_lookup(const uint8_t *pattern, size_t len);

/* The built-in spellings, for tests: the i-th (i from 0) pattern text and its kind, or NULL past
 * the last. */
const char *ctok__pretok_spelling(size_t i, ctok__pretok_kind *kind);

/* The end of the piece that starts at pos: the end of the pattern's leftmost match at pos (for
 * these patterns a non-empty match starts at every position).  s[0 .. len) must be valid UTF-8
 * and is the whole text as far as the pattern is concerned (so $ and (?!\S) see its end);
 * pos < len is at a character boundary.  kind must not be CTOK__PRETOK_NONE. */
size_t ctok__pretok_next(ctok__pretok_kind kind, const uint8_t *s, size_t len, size_t pos);

/* The same for up to cap pieces in a row: their ends go to ends[0 .. return value), stopping
 * early at len.  Faster than piece by piece (one dispatch, the scanner inlined in the loop). */
size_t ctok__pretok_pieces(ctok__pretok_kind kind, const uint8_t *s, size_t len, size_t pos,
                           size_t *ends, size_t cap);

#endif /* CTOK_PRETOK_H */
