/*
 * pair_filter.c - building the Bloom filter of the pairs that merge (pair_filter.h).
 */
#include "pair_filter.h"

unsigned ctok__pair_filter_log2_words(size_t n_pairs)
{
    unsigned log2 = 0;
    while (log2 < 40 && ((size_t)8 << log2) < n_pairs)
        log2++;
    return log2;
}

int ctok__pair_filter_build(ctok__pair_filter *f, const ctok_allocator *mem,
                            const ctok__u64map *pairs)
{
    f->log2_words = ctok__pair_filter_log2_words(pairs->n);
    f->words = ctok__calloc_table(mem, (size_t)1 << f->log2_words, sizeof *f->words);
    if (!f->words)
        return CTOK_ENOMEM;
    for (size_t i = 0; i < pairs->cap; i++) {
        if (!pairs->tags[i])
            continue;
        uint64_t h = ctok__pair_filter_hash(pairs->slots[i].key);
        f->words[ctok__pair_filter_word(f, h)] |= ctok__pair_filter_bits(h);
    }
    return CTOK_OK;
}

void ctok__pair_filter_free(ctok__pair_filter *f, const ctok_allocator *mem)
{
    ctok__free(mem, f->words);
    f->words = NULL;
}
