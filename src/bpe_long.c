/*
 * bpe_long.c - a long piece (a megabyte of one letter, a run of spaces, a Basic model's whole
 * text) merged in linear time, with exactly the ids of merging it whole.
 *
 * The piece is merged window by window: a window starting where the tokens so far end is merged
 * on its own, and its tokens are kept except the last few (the window's end is artificial, so
 * they may differ from the whole piece's).  Each byte is merged about once, so the whole is
 * linear.  A window is SMALL bytes, merged by the short merger (bpe_short.c: a flat array and a
 * vector scan; on random letters the heap's branches are guessed wrong at every level, and small
 * windows merge two to three times faster).  Where a small window would keep less than half of
 * itself (long tokens, such as runs of spaces), or repeats the one before, the next LARGE_RUN
 * windows are LARGE bytes, merged with the heap (bpe_merge.c), which stays in the L1 cache.  A
 * piece that fits in one LARGE window is merged as one.
 *
 * Why the result is exact.  Call two adjacent tokens (a, b) compatible when merging the bytes of
 * a followed by the bytes of b gives exactly a, b.  If every adjacent pair of a token sequence is
 * compatible, that sequence is the merging of its bytes: merging the whole never joins two of
 * its tokens, because up to the first such join, the two tokens' part of the text goes through
 * the same merges as their bytes alone do (each step takes the lowest pair of the whole, so the
 * lowest of theirs), and there the join would happen too.  (The same argument shows the tokens
 * of one merging are pairwise compatible.)  So: tokens inside one window are compatible with
 * their neighbours; at each seam between windows the pair is checked by merging its bytes; if
 * every seam holds, the answer is exact.  A seam that fails takes back the last token and merges
 * a window from there instead, which contains both sides; if that keeps failing (never seen on
 * real vocabularies) the piece is merged whole, O(n log n).
 *
 * The argument needs nothing of the vocabulary beyond "lowest rank first, leftmost on ties", so
 * it holds for tiktoken's ranks and for minbpe's merges alike.  github's rust-gems `bpe` crate
 * builds its encoders on the same compatibility property.
 */
#include "bpe.h"

/* Window sizes in bytes; how many tokens at a window's end are not kept; how many LARGE windows
 * follow a SMALL one that kept too little or repeated the one before.  The short merger rescans
 * its symbols at every merge, so a window's cost grows with the square of its size: 64 bytes
 * were 5-10% faster than 32 on random letters but took 1.6x as long on a run of "e" and a
 * combining accent (o200k_base), where the heap is fast (bench/ab_encode). */
enum { SMALL = 32, LARGE = CTOK__LONG_WINDOW, DROP_AT_END = 2, LARGE_RUN = 16 };

/* The last window merged of one size: a run of one character (or any period that lines up with
 * the tokens) repeats its windows, and then a compare replaces the merge. */
typedef struct window_memo {
    const uint8_t *text; /* NULL: none yet */
    size_t len, n_ids;
    uint32_t *ids;
} window_memo;

/* The tokens of the window p[0 .. len) into memo: true if the memo held them already. */
static bool merge_window(const ctok_model *m, ctok__bpe_scratch *s, window_memo *memo,
                         const uint8_t *p, size_t len)
{
    if (memo->text && len == memo->len && !memcmp(p, memo->text, len))
        return true;
    for (size_t i = 0; i < len; i++)
        s->window.ids[i] = m->byte_id[p[i]];
    memo->n_ids = ctok__bpe_merge(m, s->pairs, &s->window, len);
    memcpy(memo->ids, s->window.ids, memo->n_ids * sizeof *memo->ids);
    memo->text = p;
    memo->len = len;
    return false;
}

static int seam_cache_init(const ctok_allocator *mem, ctok__bpe_scratch *s)
{
    if (s->seams)
        return CTOK_OK;
    s->seams = ctok__alloc(mem, sizeof *s->seams << CTOK__SEAM_CACHE_BITS);
    if (!s->seams)
        return CTOK_ENOMEM;
    for (size_t i = 0; i < (size_t)1 << CTOK__SEAM_CACHE_BITS; i++)
        s->seams[i].key = UINT64_MAX;
    return CTOK_OK;
}

/* Are tokens a, b compatible (merging their bytes gives exactly a, b)?  *valid; 0 or ENOMEM. */
static int compatible(const ctok_model *m, ctok__bpe_scratch *s, uint32_t a, uint32_t b,
                      bool *valid)
{
    uint64_t key = ctok__pair_key(a, b);
    ctok__seam_slot *slot = &s->seams[(key * 0x9e3779b97f4a7c15ull) >> (64 - CTOK__SEAM_CACHE_BITS)];
    if (slot->key == key) {
        *valid = slot->valid;
        return CTOK_OK;
    }
    size_t la = m->tok_len[a], lb = m->tok_len[b];
    int rc = ctok__bpe_work_reserve(&m->mem, &s->seam, la + lb);
    if (rc)
        return rc;
    const uint8_t *pa = m->arena + m->tok_off[a], *pb = m->arena + m->tok_off[b];
    for (size_t i = 0; i < la; i++)
        s->seam.ids[i] = m->byte_id[pa[i]];
    for (size_t i = 0; i < lb; i++)
        s->seam.ids[la + i] = m->byte_id[pb[i]];
    size_t k = ctok__bpe_merge(m, s->pairs, &s->seam, la + lb);
    *valid = k == 2 && s->seam.ids[0] == a && s->seam.ids[1] == b;
    slot->key = key;
    slot->valid = *valid;
    return CTOK_OK;
}

int ctok__bpe_encode_long(const ctok_model *m, ctok__bpe_scratch *s, const uint8_t *p, size_t n,
                          const uint32_t **ids_out, size_t *n_out)
{
    const ctok_allocator *mem = &m->mem;
    int rc = ctok__bpe_pair_cache_init(mem, s);
    if (!rc)
        rc = seam_cache_init(mem, s);
    if (!rc)
        rc = ctok__bpe_work_reserve(mem, &s->window, LARGE);
    if (!rc && s->out_cap < n) {
        ctok__free(mem, s->out);
        s->out_cap = 0;
        s->out = ctok__alloc_table(mem, n * sizeof *s->out);
        rc = s->out ? CTOK_OK : CTOK_ENOMEM;
        if (!rc)
            s->out_cap = n;
    }
    if (rc)
        return rc;

    uint32_t *out = s->out;
    size_t k = 0, pos = 0;
    size_t retreats_left = 64 + n / 64;
    size_t large_left = n <= LARGE; /* LARGE windows to go: a piece that fits in one is one */
    window_memo memos[2] = {{NULL, 0, 0, s->memo[0]}, {NULL, 0, 0, s->memo[1]}};
    while (pos < n) {
        bool large = large_left > 0;
        size_t size = large ? LARGE : SMALL;
        size_t end = n - pos > size ? pos + size : n;
        bool repeated = merge_window(m, s, &memos[large], p + pos, end - pos);
        const uint32_t *ids = memos[large].ids;
        size_t t = memos[large].n_ids;
        size_t keep = end == n ? t : t > DROP_AT_END ? t - DROP_AT_END : 1;
        if (!large && end != n) {
            size_t kept = 0;
            for (size_t i = 0; i < keep; i++)
                kept += m->tok_len[ids[i]];
            if (t <= DROP_AT_END || 2 * kept < SMALL) {
                large_left = LARGE_RUN;
                continue;
            }
            if (repeated) /* the text repeats: large windows, each one compare */
                large_left = LARGE_RUN;
        }
        large_left -= large;
        if (k > 0) {
            bool valid;
            rc = compatible(m, s, out[k - 1], ids[0], &valid);
            if (rc)
                return rc;
            if (!valid) {
                if (retreats_left-- == 0)
                    break;
                pos -= m->tok_len[out[--k]];
                continue;
            }
        }
        for (size_t i = 0; i < keep; i++) {
            out[k++] = ids[i];
            pos += m->tok_len[ids[i]];
        }
    }
    if (pos < n) {
        rc = ctok__bpe_merge_all(m, s, p, n, n_out);
        *ids_out = s->window.ids;
        return rc;
    }
    *ids_out = out;
    *n_out = k;
    return CTOK_OK;
}
