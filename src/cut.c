/*
 * cut.c - ctok_model_cut: where a text may be cut so that its parts, encoded separately, give
 * exactly the ids of the whole.  Streaming encoders cut each block there and keep the rest for
 * the next one; the CLI's -j cuts one input into parts for its threads.
 *
 * A model with a pattern is cut where its pieces are sure to end (split_boundary.c).  A model
 * without one (minbpe's Basic) merges its whole text as one piece, but a merge can only join
 * bytes that stand next to each other in the token it makes: between two bytes that are next to
 * each other in no token, no symbol ever spans, so each side merges on its own, exactly as it
 * would alone (each merge is the lowest pair of the whole, hence of its side).  Trained models
 * leave such places often enough to stream in blocks (doc/design.md, "Streaming and threads").
 */
#include "model.h"

int ctok__spanned_build(ctok_model *m)
{
    if (m->whole_piece_lookup && m->n_special)
        return CTOK_OK; /* a ranks model with special tokens: not cut (see below) */
    m->spanned = ctok__calloc(&m->mem, (1u << 16) / 64, sizeof *m->spanned);
    if (!m->spanned)
        return CTOK_ENOMEM;
    size_t longest = 0;
    for (uint32_t id = 0; id < m->n_vocab; id++) {
        if (m->tok_special[id])
            continue;
        const uint8_t *p = m->arena + m->tok_off[id];
        for (size_t i = 1; i < m->tok_len[id]; i++) {
            unsigned pair = (unsigned)p[i - 1] << 8 | p[i];
            m->spanned[pair / 64] |= 1ull << (pair % 64);
        }
        if (m->tok_len[id] > longest)
            longest = m->tok_len[id];
    }
    /* A ranks model gives a text that is a token that token, even one that merging never forms
     * (tiktoken's rule): no part may be short enough to be one.  With special tokens, the text
     * between two of them would need the same margin, so such a model is not cut at all. */
    m->cut_margin = m->whole_piece_lookup ? longest : 0;
    return CTOK_OK;
}

/* The last place at or before limit between two bytes that no token holds next to each other,
 * leaving more than cut_margin bytes on either side; 0 if there is none. */
static size_t unspanned_cut(const ctok_model *m, const uint8_t *text, size_t len, size_t limit)
{
    if (len - limit <= m->cut_margin)
        limit = len > m->cut_margin ? len - m->cut_margin - 1 : 0;
    for (size_t c = limit; c > m->cut_margin; c--) {
        unsigned pair = (unsigned)text[c - 1] << 8 | text[c];
        if (!(m->spanned[pair / 64] >> (pair % 64) & 1))
            return c;
    }
    return 0;
}

/* Whether a special token occurrence starts before c and ends after it. */
static size_t special_across(const ctok_model *m, const uint8_t *text, size_t len, size_t c)
{
    size_t max = m->special_max_len;
    for (size_t b = c > max ? c - max + 1 : 0; b < c; b++) {
        if (!(m->special_first_mask[text[b] / 32] & (1u << (text[b] % 32))))
            continue;
        for (size_t l = c - b + 1; l <= max && b + l <= len; l++)
            if (ctok__bytesmap_get(&m->special_by_bytes, m->arena, text + b, l))
                return b;
    }
    return SIZE_MAX;
}

/* A custom pattern: split from the start and take the last piece boundary where the text may
 * be cut. */
static size_t general_cut(const ctok_model *m, const uint8_t *text, size_t len, size_t limit)
{
    ctok__split_scratch *scratch;
    if (ctok__split_scratch_new(m->splitter, &scratch))
        return 0;
    ctok__split_iter it;
    ctok__split_begin(&it, m->splitter, scratch, text, len, true);
    size_t s, e, best = 0;
    while (ctok__split_next(&it, &s, &e) == 1 && s <= limit)
        if (ctok__split_cut_boundary(text, len, s))
            best = s;
    ctok__split_scratch_free(m->splitter, scratch);
    return best;
}

/* The last place at or before limit where the model's pieces (or, without a pattern, its merges)
 * leave the text whole on both sides, special tokens aside; 0 if there is none. */
static size_t piece_cut(const ctok_model *m, const uint8_t *text, size_t len, size_t limit)
{
    if (!m->splitter)
        return unspanned_cut(m, text, len, limit);
    if (ctok__splitter_kind(m->splitter) != CTOK__PRETOK_NONE)
        return ctok__split_fast_cut(text, len, limit);
    return general_cut(m, text, len, limit);
}

size_t ctok_model_cut(const ctok_model *m, const uint8_t *text, size_t len, size_t limit)
{
    if (!m || !text || len < 16)
        return 0;
    if (limit > len - 16)
        limit = len - 16;
    if (m->kind == CTOK_MODEL_CHAR) {
        /* any character boundary; 16 bytes back from the end, so the last character is whole */
        size_t c = limit;
        while (c > 0 && (text[c] & 0xC0) == 0x80)
            c--;
        return c;
    }
    if (!m->splitter && !m->spanned)
        return 0;
    for (;;) {
        size_t c = piece_cut(m, text, len, limit);
        if (c == 0 || !m->n_special)
            return c;
        size_t b = special_across(m, text, len, c);
        if (b == SIZE_MAX)
            return c;
        if (b == 0)
            return 0;
        limit = b - 1;
    }
}
