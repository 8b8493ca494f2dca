/*
 * split.h - pre-tokenization: cutting text into the pieces (chunks) that BPE works within,
 * by a split pattern such as GPT-2's or cl100k's.
 *
 * A splitter is compiled once and shared read-only between threads; each thread matches with
 * its own ctok__split_scratch.  Text that is not valid UTF-8 is cut at the invalid bytes: each
 * maximal run of valid UTF-8 is split by the pattern on its own (as if it were the whole text),
 * and each maximal run of invalid bytes is one piece.  So every byte lands in exactly one piece
 * and decode(encode(x)) == x for any bytes.
 *
 * The built-in patterns (tiktoken's and minbpe's spellings, pretok.h) are matched by hand-written
 * scanners; any other pattern by PCRE2 after rewriting its \s and \p{..} to mean what they mean in
 * tiktoken (Rust regex, Unicode 16.0).  The pieces are the same either way.
 */
#ifndef CTOK_SPLIT_H
#define CTOK_SPLIT_H

#include "internal.h"
#include "pretok.h"

typedef struct ctok__splitter ctok__splitter;
typedef struct ctok__split_scratch ctok__split_scratch;

/* Compile pattern (PCRE2 syntax with tiktoken's meaning of \s and \p{..}).  CTOK_EPATTERN with
 * diag naming the offset and PCRE2's reason. */
int ctok__splitter_new(const ctok_allocator *m, const uint8_t *pattern, size_t len,
                       ctok__splitter **out, ctok_diag *diag);
/* The same; force_pcre2 uses PCRE2 even for a built-in pattern (for tests and benchmarks). */
int ctok__splitter_new_engine(const ctok_allocator *m, const uint8_t *pattern, size_t len,
                              bool force_pcre2, ctok__splitter **out, ctok_diag *diag);
void ctok__splitter_free(ctok__splitter *sp);

/* Which scanner the splitter uses, CTOK__PRETOK_NONE for PCRE2. */
ctok__pretok_kind ctok__splitter_kind(const ctok__splitter *sp);

/* The pattern as given to PCRE2: \s \S \d \D \p{..} \P{..} (with general category names or
 * White_Space) rewritten as explicit code point classes.  *out (NUL-terminated, *out_len bytes)
 * is the caller's to free with ctok__free(m, ..).  Only CTOK_ENOMEM can fail. */
int ctok__split_translate(const ctok_allocator *m, const uint8_t *pattern, size_t len,
                          uint8_t **out, size_t *out_len);

int ctok__split_scratch_new(const ctok__splitter *sp, ctok__split_scratch **out);
void ctok__split_scratch_free(const ctok__splitter *sp, ctok__split_scratch *scratch);

#define CTOK__SPLIT_BATCH 32

typedef struct ctok__split_iter {
    const ctok__splitter *sp;
    ctok__split_scratch *scratch;
    const uint8_t *text;
    size_t len;
    size_t pos;       /* next byte not yet in a piece */
    size_t run_start; /* the current valid UTF-8 run is [run_start, run_end) */
    size_t run_end;
    size_t match_pos; /* where the next regex search starts inside the run */
    size_t next_start, next_end; /* the next match, when has_next */
    bool has_next;
    bool cover_gaps;  /* emit text between matches as pieces (encoding) or drop it (minbpe's
                         findall, for training) */
    /* scanner path: the ends of the next pieces of the current run, found ahead in batches */
    uint32_t batch_i, batch_n;
    size_t batch[CTOK__SPLIT_BATCH];
} ctok__split_iter;

void ctok__split_begin(ctok__split_iter *it, const ctok__splitter *sp,
                       ctok__split_scratch *scratch, const uint8_t *text, size_t len,
                       bool cover_gaps);

/* The next piece [*start, *end): returns 1, or 0 at the end of the text, or a negative status.
 * Inline for the common case (the next end of a scanner's batch), which is once per piece. */
int ctok__split_next_slow(ctok__split_iter *it, size_t *start, size_t *end);
static inline int ctok__split_next(ctok__split_iter *it, size_t *start, size_t *end)
{
    if (it->batch_i < it->batch_n) {
        *start = it->pos;
        *end = it->pos = it->run_start + it->batch[it->batch_i++];
        return 1;
    }
    return ctok__split_next_slow(it, start, end);
}

/* For the built-in patterns (and minbpe's): whether a piece that starts at s in text[0..len) is
 * sure to start there whatever follows text[len) (split_boundary.c explains the rule). */
bool ctok__split_certain_boundary(const uint8_t *text, size_t len, size_t s);

/* The same, and also a place where the text may end: the piece before s is the same whether the
 * text goes on at s or ends there (the character before s is not white space either). */
bool ctok__split_cut_boundary(const uint8_t *text, size_t len, size_t s);

/* For the built-in patterns: the largest c <= limit where text[0..len) may be cut in two and each
 * part split alone, whatever follows len (the four kinds of place in split_boundary.c, 16 bytes or
 * more before len), found without splitting; or 0. */
size_t ctok__split_fast_cut(const uint8_t *text, size_t len, size_t limit);

/* Whether ctok__split_fast_cut's rules allow a cut at c (2 <= c <= len - 16), asked of c alone
 * (the search skips over repeating runs; tests compare the two). */
bool ctok__split_fast_cut_at(const uint8_t *text, size_t len, size_t c);

#endif /* CTOK_SPLIT_H */
