/*
 * short_tokens.c - building the table of short tokens (short_tokens.h).
 */
#include "short_tokens.h"
#include "model.h"

unsigned ctok__short_tokens_log2(size_t n)
{
    unsigned log2 = 4;
    while (((size_t)1 << log2) / 8 * 5 < n)
        log2++;
    return log2;
}

int ctok__short_tokens_build(ctok__short_tokens *t, const ctok_model *m,
                             uint32_t *first_duplicate)
{
    size_t n = 0;
    for (uint32_t id = 0; id < m->n_vocab; id++)
        n += m->tok_len[id] && m->tok_len[id] <= CTOK__SHORT_TOKEN_BYTES && !m->tok_special[id];
    unsigned log2 = ctok__short_tokens_log2(n);
    t->slots = ctok__calloc_table(&m->mem, (size_t)1 << log2, sizeof *t->slots);
    if (!t->slots)
        return CTOK_ENOMEM;
    t->log2 = log2;
    t->n = 0;
    if (first_duplicate)
        *first_duplicate = CTOK__NO_ID;
    size_t mask = ((size_t)1 << log2) - 1;
    for (uint32_t id = 0; id < m->n_vocab; id++) {
        size_t len = m->tok_len[id];
        if (!len || len > CTOK__SHORT_TOKEN_BYTES || m->tok_special[id])
            continue;
        uint64_t word = ctok__load_partial(m->arena + m->tok_off[id], len);
        uint64_t hash = ctok__short_hash(word, len);
        if (ctok__short_token_get(t, word, len, hash) != UINT32_MAX) {
            /* bytes an earlier id has: that id stays */
            if (first_duplicate && *first_duplicate == CTOK__NO_ID)
                *first_duplicate = id;
            continue;
        }
        size_t i = (size_t)(hash >> (64 - log2));
        while (t->slots[i].val)
            i = (i + 1) & mask;
        t->slots[i].word = word;
        t->slots[i].val = (uint32_t)len << 24 | id;
        t->n++;
    }
    return CTOK_OK;
}

void ctok__short_tokens_free(ctok__short_tokens *t, const ctok_allocator *mem)
{
    ctok__free(mem, t->slots);
    t->slots = NULL;
}
