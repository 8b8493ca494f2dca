/*
 * piece_cache.h - a small per-encoder cache from a piece's bytes to its token ids.
 *
 * Natural text repeats its pieces ("the", " of", "\n"), and a vocabulary's hash tables are
 * megabytes, far outside the CPU caches: a cache of the recent pieces that fits in L2 answers
 * most pieces with one cache line instead of a vocabulary lookup and a merge.  Direct-mapped,
 * one 64-byte line per entry, short pieces only; a miss costs one compare.
 */
#ifndef CTOK_PIECE_CACHE_H
#define CTOK_PIECE_CACHE_H

#include "internal.h"

#define CTOK__CACHE_BITS 13
#define CTOK__CACHE_MAX_BYTES 26
#define CTOK__CACHE_MAX_IDS 8

typedef struct ctok__cache_entry {
    uint32_t hash;
    uint8_t len;   /* 0: empty */
    uint8_t n_ids;
    uint8_t bytes[CTOK__CACHE_MAX_BYTES];
    uint32_t ids[CTOK__CACHE_MAX_IDS];
} ctok__cache_entry;

typedef struct ctok__piece_cache {
    ctok__cache_entry *entries; /* 1 << CTOK__CACHE_BITS of them, or NULL until first use */
} ctok__piece_cache;

/* The entry for (p, n) with hash h if it holds that piece, else NULL. */
static inline const ctok__cache_entry *ctok__cache_get(const ctok__piece_cache *c, uint32_t h,
                                                       const uint8_t *p, size_t n)
{
    const ctok__cache_entry *e = &c->entries[h & ((1u << CTOK__CACHE_BITS) - 1)];
    if (e->hash == h && e->len == n && memcmp(e->bytes, p, n) == 0)
        return e;
    return NULL;
}

/* Remember that (p, n) with hash h encodes to ids[0 .. k) (ignored if it does not fit). */
static inline void ctok__cache_put(ctok__piece_cache *c, uint32_t h, const uint8_t *p, size_t n,
                                   const uint32_t *ids, size_t k)
{
    if (n == 0 || n > CTOK__CACHE_MAX_BYTES || k > CTOK__CACHE_MAX_IDS)
        return;
    ctok__cache_entry *e = &c->entries[h & ((1u << CTOK__CACHE_BITS) - 1)];
    e->hash = h;
    e->len = (uint8_t)n;
    e->n_ids = (uint8_t)k;
    memcpy(e->bytes, p, n);
    memcpy(e->ids, ids, k * sizeof *ids);
}

#endif
