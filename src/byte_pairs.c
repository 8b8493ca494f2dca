/*
 * byte_pairs.c - what two single bytes merge into, as a table of 65536 ids.
 *
 * Merging a piece starts by asking what each adjacent pair of its bytes merges into: n - 1
 * lookups for a piece of n bytes, where each merge after adds at most two.  Through the pair cache
 * (bpe.h) each costs a hash, a load from 256 KiB that the piece cache and the pair filter crowd
 * out of L2, and a branch on hit or miss; and each takes a cache slot from the pairs of longer
 * tokens.  There are only 65536 pairs of bytes, so here they are all answered ahead, indexed by
 * the two ids: one load, from the few rows a text's bytes use.  This needs the single bytes to
 * be ids 0..255, as in every tiktoken rank file and minbpe model; another model has no table
 * (NULL) and asks the pair cache.
 */
#include "bpe.h"

bool ctok__bytes_are_first_ids(const uint32_t *byte_id)
{
    bool seen[256] = {false};
    for (int b = 0; b < 256; b++) {
        uint32_t id = byte_id[b];
        if (id >= 256 || seen[id])
            return false;
        seen[id] = true;
    }
    return true;
}

int ctok__byte_pairs_build(ctok_model *m)
{
    m->byte_pairs = NULL;
    if (m->kind != CTOK_MODEL_BPE || !ctok__bytes_are_first_ids(m->byte_id))
        return CTOK_OK;
    uint32_t *t = ctok__alloc(&m->mem, 256 * 256 * sizeof *t);
    if (!t)
        return CTOK_ENOMEM;
    for (uint32_t left = 0; left < 256; left++)
        for (uint32_t right = 0; right < 256; right++)
            t[left << 8 | right] = ctok__pair_merged(m, ctok__pair_key(left, right));
    m->byte_pairs = t;
    return CTOK_OK;
}
