/*
 * pair_filter.h - a Bloom filter over the pairs that merge, so that most "does not merge" answers
 * come from a table of 8-16 bits a pair, which the CPU's caches hold, instead of the pair map.
 *
 * Merging a piece asks for the pairs next to every merge, and most of the asks that miss the
 * pair cache (bpe.h) are pairs that do not merge.  Each went to the pair map, megabytes of slots
 * far outside the caches (o200k_base's tags alone are 1 MiB), a trip to memory.  Here each pair
 * sets three bits, chosen by its hash, in one 64-bit word, also chosen by its hash: a pair whose
 * three bits are not all set does not merge, and the answer costs one word.  At about 8 pairs a
 * word (8-16 bits a pair; o200k_base's filter is 256 KiB) it lets through about 3% of the pairs
 * that do not merge (tests/unit/test_pair_filter.c prints the share), and never stops one that
 * does.  The filter is built with the pair map (model.c) and, for the built-in encodings, stored
 * in the vocabulary blob and used in place (vocab_blob.c).
 */
#ifndef CTOK_PAIR_FILTER_H
#define CTOK_PAIR_FILTER_H

#include "internal.h"

typedef struct ctok__pair_filter {
    uint64_t *words; /* 1 << log2_words of them; NULL: no filter, every pair may merge */
    unsigned log2_words;
} ctok__pair_filter;

/* The filter's hash of a pair key (ctok__pair_key): splitmix64's finaliser.  Its top log2_words
 * bits pick the word, its low 18 bits the three bits in it. */
static inline uint64_t ctok__pair_filter_hash(uint64_t key)
{
    key ^= key >> 30;
    key *= 0xbf58476d1ce4e5b9ull;
    key ^= key >> 27;
    key *= 0x94d049bb133111ebull;
    return key ^ key >> 31;
}

static inline uint64_t ctok__pair_filter_bits(uint64_t h)
{
    return 1ull << (h & 63) | 1ull << (h >> 6 & 63) | 1ull << (h >> 12 & 63);
}

static inline size_t ctok__pair_filter_word(const ctok__pair_filter *f, uint64_t h)
{
    return f->log2_words ? (size_t)(h >> (64 - f->log2_words)) : 0;
}

/* False if the pair whose hash is h certainly does not merge; true if it may. */
static inline bool ctok__pair_filter_may_hashed(const ctok__pair_filter *f, uint64_t h)
{
    if (!f->words)
        return true;
    uint64_t bits = ctok__pair_filter_bits(h);
    return (f->words[ctok__pair_filter_word(f, h)] & bits) == bits;
}

/* False if the pair key certainly does not merge; true if it may. */
static inline bool ctok__pair_filter_may(const ctok__pair_filter *f, uint64_t key)
{
    return ctok__pair_filter_may_hashed(f, ctok__pair_filter_hash(key));
}

/* log2 of the number of words for n pairs: the least power of two with at most 8 pairs a word. */
unsigned ctok__pair_filter_log2_words(size_t n_pairs);
/* Build f from every key of the pair map. */
int ctok__pair_filter_build(ctok__pair_filter *f, const ctok_allocator *mem,
                            const ctok__u64map *pairs);
void ctok__pair_filter_free(ctok__pair_filter *f, const ctok_allocator *mem);

#endif
