/*
 * pair_table.h - the pairs that merge, packed for lookups: one 64-bit word a pair, open
 * addressing up to 90% full.
 *
 * The pair map (a ctok__u64map: 16-byte slots at most half full, and a tag array) is what the
 * loaders build and check for duplicates; for o200k_base's 200 thousand pairs
 * (canonical_pairs.c) it takes 8 MiB, so a lookup that gets past the pair cache and the pair
 * filter goes out to memory.  Here a word holds the whole pair (in-use bit 63, then the left id,
 * the right id and the merged id, 21 bits each, as in the pair cache's slots, bpe.h), so the same
 * pairs take 2 MiB, which the last-level cache holds far better: a lookup reads one word, or a few
 * neighbours in the same cache line.
 * Slots are picked by the top bits of the pair filter's hash (pair_filter.h), which the lookup has
 * already made.  Built with the pair map (model.c) unless an id is 2^21 or more (words stay NULL
 * and the map answers); for the built-in encodings stored in the vocabulary blob (vocab_blob.c).
 */
#ifndef CTOK_PAIR_TABLE_H
#define CTOK_PAIR_TABLE_H

#include "internal.h"

#define CTOK__PAIR_TABLE_ID_BITS 21
#define CTOK__PAIR_TABLE_ID_MASK ((1ull << CTOK__PAIR_TABLE_ID_BITS) - 1)

typedef struct ctok__pair_table {
    uint64_t *words; /* 1 << log2 of them, 0 for an empty slot; NULL: no table */
    unsigned log2;
} ctok__pair_table;

/* The word of the pair (left, right) without its merged id: what a lookup compares.  The pair
 * cache's slots (bpe.h) hold pairs in the same form. */
static inline uint64_t ctok__pair_word(uint32_t left, uint32_t right)
{
    return 1ull << 63 | (uint64_t)left << (2 * CTOK__PAIR_TABLE_ID_BITS) |
           (uint64_t)right << CTOK__PAIR_TABLE_ID_BITS;
}

/* The same for a pair key (ctok__pair_key). */
static inline uint64_t ctok__pair_table_want(uint64_t key)
{
    return ctok__pair_word((uint32_t)(key >> 32), (uint32_t)key);
}

/* The id the pair key merges into, or UINT32_MAX (CTOK__NO_ID, model.h) if it does not merge;
 * h is ctok__pair_filter_hash(key). */
/* The word where a lookup of the pair with filter hash h begins. */
static inline size_t ctok__pair_table_first(const ctok__pair_table *t, uint64_t h)
{
    return t->log2 ? (size_t)(h >> (64 - t->log2)) : 0;
}

static inline uint32_t ctok__pair_table_get(const ctok__pair_table *t, uint64_t key, uint64_t h)
{
    uint64_t want = ctok__pair_table_want(key);
    size_t mask = ((size_t)1 << t->log2) - 1;
    for (size_t i = ctok__pair_table_first(t, h);; i = (i + 1) & mask) {
        uint64_t w = t->words[i];
        if ((w & ~CTOK__PAIR_TABLE_ID_MASK) == want)
            return (uint32_t)(w & CTOK__PAIR_TABLE_ID_MASK);
        if (!w)
            return UINT32_MAX;
    }
}

/* log2 of the number of words for n pairs: the least power of two at most 90% full. */
unsigned ctok__pair_table_log2(size_t n_pairs);
/* Build t from every pair of the map; t->words stays NULL (CTOK_OK) when an id does not fit. */
int ctok__pair_table_build(ctok__pair_table *t, const ctok_allocator *mem,
                           const ctok__u64map *pairs);
void ctok__pair_table_free(ctok__pair_table *t, const ctok_allocator *mem);

#endif
