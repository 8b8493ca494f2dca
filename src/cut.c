/*
 * cut.c - ctok_model_cut: where a text may be cut so that its parts, encoded separately, give
 * exactly the ids of the whole.  Streaming encoders cut each block there and keep the rest for
 * the next one; the CLI's -j cuts one input into parts for its threads.
 */
#include "model.h"

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
    if (!m->splitter)
        return 0; /* a basic model's whole text is one piece */
    for (;;) {
        size_t c = ctok__splitter_kind(m->splitter) != CTOK__PRETOK_NONE
                       ? ctok__split_fast_cut(text, len, limit)
                       : general_cut(m, text, len, limit);
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
