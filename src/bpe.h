/*
 * bpe.h - merging one piece into tokens (bpe_merge.c).
 */
#ifndef CTOK_BPE_H
#define CTOK_BPE_H

#include "model.h"

/* Work arrays for merging, grown to the longest piece seen; one per thread. */
/* A direct-mapped cache of recent pair lookups: text repeats its pairs, and a large vocabulary's
 * pair map is far outside the CPU caches. */
#define CTOK__PAIR_CACHE_BITS 15
typedef struct ctok__pair_slot {
    uint64_t key; /* (left << 32 | right), UINT64_MAX when empty */
    uint32_t rank;
} ctok__pair_slot;

typedef struct ctok__bpe_scratch {
    ctok__pair_slot *pairs; /* 1 << CTOK__PAIR_CACHE_BITS slots, made on first use */
    uint32_t *ids, *ranks, *next, *prev;
    uint64_t *heap; /* twice the piece length: each merge pushes at most two candidates */
    size_t cap;
} ctok__bpe_scratch;

int ctok__bpe_scratch_reserve(const ctok_allocator *mem, ctok__bpe_scratch *s, size_t n);
void ctok__bpe_scratch_free(const ctok_allocator *mem, ctok__bpe_scratch *s);

/* Merge the bytes p[0..n) (n >= 1) of one piece; *ids_out points into the scratch. */
int ctok__bpe_encode_piece(const ctok_model *m, ctok__bpe_scratch *s, const uint8_t *p, size_t n,
                           const uint32_t **ids_out, size_t *n_out);

#endif
