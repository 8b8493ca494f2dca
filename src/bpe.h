/*
 * bpe.h - merging one piece into tokens: bpe_merge.c merges a short run of bytes directly,
 * bpe_long.c cuts a long piece into windows and proves the seams (see there).
 */
#ifndef CTOK_BPE_H
#define CTOK_BPE_H

#include "model.h"

/* A direct-mapped cache of recent pair lookups: text repeats its pairs, and a large vocabulary's
 * pair map is far outside the CPU caches.  A slot is one word (a key and a value apart, 16 bytes,
 * held half as many and missed more): bit 63 set when the slot is in use, then the left id, the
 * right id and the id they merge into (CTOK__PAIR_NONE when they do not), 21 bits each.  Zeroed
 * memory is an empty cache.  Ids below 2^20 leave the top bit of the field clear, so that reading
 * it as a signed number turns CTOK__PAIR_NONE into CTOK__NO_ID without a branch; a vocabulary
 * with larger ids goes past the cache every time (ctok__cached_rank).  2^15 slots, 256 KiB:
 * since the pair filter answers most misses without the pair map, a miss costs less than the
 * room in L2 that 2^16 slots took from the piece cache and the filter (2^15 was 1.01-1.14x
 * faster on the corpus, tinyshakespeare and base64, bench/ab_encode). */
#define CTOK__PAIR_CACHE_BITS 15
#define CTOK__PAIR_ID_BITS CTOK__PAIR_TABLE_ID_BITS /* a slot is a ctok__pair_word */
#define CTOK__PAIR_NONE ((1u << CTOK__PAIR_ID_BITS) - 1)
#define CTOK__PAIR_IDS (1u << (CTOK__PAIR_ID_BITS - 1)) /* ids below this use the cache */
typedef struct ctok__pair_slot {
    uint64_t word;
} ctok__pair_slot;

/* The pair cache's size: its slots are zero when empty, so any zeroed block of this many bytes is
 * one (ctok__bpe_pair_cache_init makes it; an encoder may lend one from its own block). */
#define CTOK__PAIR_CACHE_BYTES (sizeof(ctok__pair_slot) << CTOK__PAIR_CACHE_BITS)

/* Work arrays for merging up to cap symbols. */
typedef struct ctok__bpe_work {
    uint32_t *ids, *ranks, *next, *prev;
    uint64_t *heap; /* twice cap: each merge pushes at most two candidates */
    size_t cap;
} ctok__bpe_work;

/* A direct-mapped cache of seam verdicts (bpe_long.c): key (left << 32 | right). */
#define CTOK__SEAM_CACHE_BITS 8
typedef struct ctok__seam_slot {
    uint64_t key; /* UINT64_MAX when empty */
    bool valid;
} ctok__seam_slot;

/* bpe_long.c merges a long piece in small windows (the short merger's), or in windows of this
 * many bytes where small ones would keep too little (long tokens) or the text repeats. */
#define CTOK__LONG_WINDOW 256

/* Everything merging needs, made on first use and grown to the longest piece; one per thread. */
typedef struct ctok__bpe_scratch {
    ctok__pair_slot *pairs; /* 1 << CTOK__PAIR_CACHE_BITS slots */
    bool pairs_lent;        /* the pair cache is part of a block the encoder frees */
    bool long_text;         /* set by the encoder: the pair cache will be used all over, so it
                               is worth a huge page (ctok__calloc_table); a short text touches a
                               few of its 4 KiB pages */
    bool uncached_pairs;    /* set by the encoder: merge without a pair cache (pairs stays NULL
                               if not made yet), as clearing its 256 KiB would cost more than it
                               saves (a short text for an encoder that is freed after it) */
    ctok__seam_slot *seams; /* 1 << CTOK__SEAM_CACHE_BITS slots */
    ctok__bpe_work window;  /* a piece, or one window of a long piece */
    ctok__bpe_work seam;    /* the bytes of two tokens, to check a seam */
    uint32_t *out;          /* a long piece's tokens */
    uint32_t memo[2][CTOK__LONG_WINDOW]; /* the tokens of the last window of each size */
    size_t out_cap;
} ctok__bpe_scratch;

void ctok__bpe_scratch_free(const ctok_allocator *mem, ctok__bpe_scratch *s);

/* Merge the bytes p[0..n) (n >= 1) of one piece; *ids_out points into the scratch. */
int ctok__bpe_encode_piece(const ctok_model *m, ctok__bpe_scratch *s, const uint8_t *p, size_t n,
                           const uint32_t **ids_out, size_t *n_out);

/* ---- inside the merger (bpe_merge.c, used by bpe_long.c) ---- */

int ctok__bpe_pair_cache_init(const ctok_allocator *mem, ctok__bpe_scratch *s);
int ctok__bpe_work_reserve(const ctok_allocator *mem, ctok__bpe_work *w, size_t n);
void ctok__bpe_work_free(const ctok_allocator *mem, ctok__bpe_work *w);
/* The id that the pair key merges into, or CTOK__NO_ID: from the pair filter when it can tell
 * (most pairs that do not merge), else from the pair table (or the pair map, for ids past the
 * table's 21 bits).  Out of line (bpe_merge.c): it is the pair cache's miss path, and inlined it
 * kept the cache's hit path from being inlined. */
uint32_t ctok__pair_merged(const ctok_model *m, uint64_t key);

static inline ctok__pair_slot *ctok__pair_cache_slot(ctok__pair_slot *cache, uint64_t key)
{
    return &cache[(key * 0x9e3779b97f4a7c15ull) >> (64 - CTOK__PAIR_CACHE_BITS)];
}

/* Whether a slot holding word answers the pair whose word (ctok__pair_word) is want. */
static inline bool ctok__pair_slot_holds(uint64_t word, uint64_t want)
{
    return (word & ~(uint64_t)CTOK__PAIR_NONE) == want;
}

/* The merged id in a slot's word, CTOK__NO_ID for CTOK__PAIR_NONE (the field's sign). */
static inline uint32_t ctok__pair_slot_id(uint64_t word)
{
    return (uint32_t)((int32_t)((uint32_t)word << (32 - CTOK__PAIR_ID_BITS)) >>
                      (32 - CTOK__PAIR_ID_BITS));
}

/* The pair's answer from behind the cache, remembered in its slot. */
static inline uint32_t ctok__pair_cache_fill(const ctok_model *m, ctok__pair_slot *slot,
                                             uint64_t want, uint64_t key)
{
    uint32_t merged = ctok__pair_merged(m, key);
    slot->word = want | (merged == CTOK__NO_ID ? CTOK__PAIR_NONE : merged);
    return merged;
}

/* Start loading what ctok__pair_merged(m, key) reads: the pair filter's word and the pair
 * table's first word. */
static inline void ctok__pair_prefetch(const ctok_model *m, uint64_t key)
{
    uint64_t h = ctok__pair_filter_hash(key);
    if (m->pair_filter.words)
        CTOK__PREFETCH(&m->pair_filter.words[ctok__pair_filter_word(&m->pair_filter, h)]);
    if (m->pair_table.words)
        CTOK__PREFETCH(&m->pair_table.words[ctok__pair_table_first(&m->pair_table, h)]);
}

/* The id that (left, right) merges into (its rank), or CTOK__NO_ID, through the scratch's pair
 * cache (cache NULL: without one). */
static CTOK__ALWAYS_INLINE uint32_t ctok__cached_rank(const ctok_model *m,
                                                      ctok__pair_slot *cache, uint32_t left,
                                                      uint32_t right)
{
    uint64_t key = ctok__pair_key(left, right);
    if (m->n_vocab > CTOK__PAIR_IDS || !cache) /* an id would not fit, or no cache */
        return ctok__pair_merged(m, key);
    ctok__pair_slot *slot = ctok__pair_cache_slot(cache, key);
    uint64_t want = ctok__pair_word(left, right);
    uint64_t word = slot->word;
    if (ctok__pair_slot_holds(word, want))
        return ctok__pair_slot_id(word);
    return ctok__pair_cache_fill(m, slot, want, key);
}

/* ctok__cached_rank of two pairs, (l1, r1) into *out1 and (l2, r2) into *out2, as a merge asks
 * for the pairs on both sides of the symbol it made.  Both are looked up in the cache first, and
 * for each that misses, the words it needs from the pair filter and the pair table are fetched
 * before either miss is answered: the two misses then wait for memory at the same time, where
 * one after the other they wait twice (the filter's verdict is a branch the CPU cannot predict,
 * and guessing it wrong threw away the second lookup's early start). */
static CTOK__ALWAYS_INLINE void ctok__cached_rank2(const ctok_model *m, ctok__pair_slot *cache,
                                                   uint32_t l1, uint32_t r1, uint32_t l2,
                                                   uint32_t r2, uint32_t *out1, uint32_t *out2)
{
    uint64_t key1 = ctok__pair_key(l1, r1), key2 = ctok__pair_key(l2, r2);
    if (m->n_vocab > CTOK__PAIR_IDS || !cache) { /* an id would not fit, or no cache */
        *out1 = ctok__pair_merged(m, key1);
        *out2 = ctok__pair_merged(m, key2);
        return;
    }
    ctok__pair_slot *slot1 = ctok__pair_cache_slot(cache, key1);
    ctok__pair_slot *slot2 = ctok__pair_cache_slot(cache, key2);
    uint64_t want1 = ctok__pair_word(l1, r1), want2 = ctok__pair_word(l2, r2);
    uint64_t word1 = slot1->word, word2 = slot2->word;
    bool hit1 = ctok__pair_slot_holds(word1, want1), hit2 = ctok__pair_slot_holds(word2, want2);
    if (!hit1)
        ctok__pair_prefetch(m, key1);
    if (!hit2)
        ctok__pair_prefetch(m, key2);
    *out1 = hit1 ? ctok__pair_slot_id(word1) : ctok__pair_cache_fill(m, slot1, want1, key1);
    *out2 = hit2 ? ctok__pair_slot_id(word2) : ctok__pair_cache_fill(m, slot2, want2, key2);
}

/* The id that left and right merge into, or CTOK__NO_ID: from the model's byte pair table when
 * it has one and both are single bytes (byte_pairs.c), else through the pair cache.  A merge's
 * first lookups, of the symbols it starts from (bytes, or characters' tokens). */
static CTOK__ALWAYS_INLINE uint32_t ctok__byte_pair_rank(const ctok_model *m,
                                                         ctok__pair_slot *cache, uint32_t left,
                                                         uint32_t right)
{
    if (m->byte_pairs && (left | right) < 256) /* a character's token is not a byte */
        return m->byte_pairs[left << 8 | right];
    return ctok__cached_rank(m, cache, left, right);
}

/* Merge the n single-byte ids in w->ids[0..n) to the end, in place; returns the number left.
 * Quadratic for n <= CTOK__SHORT_PIECE (tiny constants, bpe_short.c), O(n log n) beyond. */
#define CTOK__SHORT_PIECE 64
#define CTOK__CHAR_PIECE_BYTES (3 * CTOK__SHORT_PIECE) /* pieces that may start from characters */
/* bpe_short.c: the same for n <= CTOK__SHORT_PIECE symbols, single bytes or characters' tokens
 * (ctok__char_symbols); ids and ranks have room for CTOK__SHORT_PIECE + 8 entries (the work
 * arrays have at least 256). */
size_t ctok__bpe_merge_short(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                             uint32_t *ranks, size_t n);
/* The forms ctok__bpe_merge_short chooses from, the same code compiled up to three times (the
 * unit test runs each): the portable one (SSE2 on x86-64, else scalar) and, on x86-64, one
 * compiled for SSE4.1 (bpe_short_sse41.c) and one for AVX2 (bpe_short_avx2.c), taken when the CPU
 * has them. */
size_t ctok__bpe_merge_short_portable(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                                      uint32_t *ranks, size_t n);
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(CTOK_NO_SIMD)
#define CTOK__SHORT_SSE41 1
#endif
size_t ctok__bpe_merge_short_sse41(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                                   uint32_t *ranks, size_t n);
size_t ctok__bpe_merge_short_avx2(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                                  uint32_t *ranks, size_t n);
size_t ctok__bpe_merge(const ctok_model *m, ctok__pair_slot *cache, ctok__bpe_work *w, size_t n);
/* The whole heap merger on p[0..n) into s->window, whatever n: the exact answer that the windows
 * of bpe_long.c fall back to. */
int ctok__bpe_merge_all(const ctok_model *m, ctok__bpe_scratch *s, const uint8_t *p, size_t n,
                        size_t *n_out);
/* bpe_long.c: a piece longer than CTOK__SHORT_PIECE. */
int ctok__bpe_encode_long(const ctok_model *m, ctok__bpe_scratch *s, const uint8_t *p, size_t n,
                          const uint32_t **ids_out, size_t *n_out);

#endif
