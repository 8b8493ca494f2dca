/*
 * pair_table.c - building the packed table of the pairs that merge (pair_table.h).
 */
#include "pair_table.h"

#include "pair_filter.h"

unsigned ctok__pair_table_log2(size_t n_pairs)
{
    unsigned log2 = 0;
    while (log2 < 40 && (((uint64_t)1 << log2) * 9) / 10 < (uint64_t)n_pairs + 1)
        log2++;
    return log2;
}

int ctok__pair_table_build(ctok__pair_table *t, const ctok_allocator *mem,
                           const ctok__u64map *pairs)
{
    t->words = NULL;
    t->log2 = 0;
    for (size_t i = 0; i < pairs->cap; i++) {
        if (!pairs->tags[i])
            continue;
        uint64_t key = pairs->slots[i].key;
        uint64_t left = key >> 32, right = key & 0xFFFFFFFFu;
        if (left > CTOK__PAIR_TABLE_ID_MASK || right > CTOK__PAIR_TABLE_ID_MASK ||
            pairs->slots[i].val > CTOK__PAIR_TABLE_ID_MASK)
            return CTOK_OK; /* an id does not fit: the map answers */
    }
    unsigned log2 = ctok__pair_table_log2(pairs->n);
    uint64_t *words = ctok__calloc_table(mem, (size_t)1 << log2, sizeof *words);
    if (!words)
        return CTOK_ENOMEM;
    size_t mask = ((size_t)1 << log2) - 1;
    for (size_t i = 0; i < pairs->cap; i++) {
        if (!pairs->tags[i])
            continue;
        uint64_t key = pairs->slots[i].key;
        uint64_t h = ctok__pair_filter_hash(key);
        size_t j = log2 ? (size_t)(h >> (64 - log2)) : 0;
        while (words[j])
            j = (j + 1) & mask;
        words[j] = ctok__pair_table_want(key) | pairs->slots[i].val;
    }
    t->words = words;
    t->log2 = log2;
    return CTOK_OK;
}

void ctok__pair_table_free(ctok__pair_table *t, const ctok_allocator *mem)
{
    ctok__free(mem, t->words);
    t->words = NULL;
}
