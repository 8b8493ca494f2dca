/*
 * piece_cache.h - a small per-encoder cache from a piece's bytes to its token ids.
 *
 * Natural text repeats its pieces ("the", " of", "\n"), and a vocabulary's hash tables are
 * megabytes, far outside the CPU caches: a cache of the recent pieces that fits in L2 answers
 * most pieces with one cache line instead of a vocabulary lookup and a merge.  512 KiB in all:
 * 16-byte entries for pieces of up to 8 bytes, two-way (below), and direct-mapped 64-byte entries
 * for pieces of up to 24 bytes.
 *
 * The key is the piece's bytes as three zero-padded words (hash_bytes.h): comparing is three word
 * compares and a length compare, no memcmp.
 *
 * Some text has next to nothing to reuse in its longer pieces (random strings such as base64,
 * word lists): there a probe only costs, and each miss evicts a piece that might have come back.
 * So the cache watches the hit rate of pieces of CTOK__CACHE_GATE_BYTES or more: after every
 * CTOK__CACHE_WINDOW misses of such pieces, if fewer than one probe in 33 hit, it lets them by
 * (merged without probing or filling) for the next CTOK__CACHE_REST of them, then tries again.
 * (A hit saves a merge, which costs far more than a probe: a bar of one in five lost more hits
 * than it saved probes on the corpus, in the cost proxy of doc/design.md.)
 * Shorter pieces ("+", "ab", " a") repeat in any text and always go through.
 */
#ifndef CTOK_PIECE_CACHE_H
#define CTOK_PIECE_CACHE_H

#include "internal.h"

#define CTOK__CACHE_BITS 12
#define CTOK__CACHE_WORDS 3
#define CTOK__CACHE_MAX_BYTES (8 * CTOK__CACHE_WORDS)
#define CTOK__CACHE_MAX_IDS 8

typedef struct ctok__cache_entry {
    uint64_t words[CTOK__CACHE_WORDS];
    uint8_t len; /* 0: empty */
    uint8_t n_ids;
    uint32_t ids[CTOK__CACHE_MAX_IDS];
} ctok__cache_entry;

_Static_assert(sizeof(ctok__cache_entry) == 64, "a cache entry is one cache line");

/* Pieces of up to eight bytes, most of all pieces, have entries of their own, four to a cache
 * line: the piece as one zero-padded word, and in a second word its length (bits 0-3, 0 for an
 * empty entry), its number of ids (bits 4-5) and up to three ids of 19 bits each.  In the
 * memory of 2^12 entries of 64 bytes this holds 2^14 short pieces: with 2^12 64-byte entries
 * beside them, the corpus encoded 5-10% faster than with 2^13 64-byte entries for all pieces
 * (bench/ab_encode); 2^15 short entries were slower (1.25 MiB with the pair cache: more than L2).
 * Short pieces of four or more ids are not cached; vocabularies with ids of 19 bits or more use
 * the 64-byte entries for all pieces. */
#define CTOK__SHORT_BITS 14
#define CTOK__SHORT_MAX_BYTES 8
#define CTOK__SHORT_MAX_IDS 3
#define CTOK__SHORT_ID_BITS 19
#define CTOK__SHORT_ID_MASK ((1u << CTOK__SHORT_ID_BITS) - 1)

typedef struct ctok__short_entry {
    uint64_t word;
    uint64_t packed;
} ctok__short_entry;

#define CTOK__CACHE_GATE_BYTES 4
#define CTOK__CACHE_WINDOW 4096
#define CTOK__CACHE_REST 65536

typedef struct ctok__piece_cache {
    ctok__cache_entry *entries; /* 1 << CTOK__CACHE_BITS of them, or NULL until first use */
    ctok__short_entry *shorts;  /* 1 << CTOK__SHORT_BITS of them in the same block, or NULL
                                   (also when the vocabulary's ids do not fit) */
    /* the longest piece the cache takes now: 0 when the encoding does not cache at all,
     * CTOK__CACHE_GATE_BYTES - 1 while the longer ones rest, else CTOK__CACHE_MAX_BYTES */
    size_t max_bytes;
    /* pieces of CTOK__CACHE_GATE_BYTES or more: hits and misses in this window, and how many
     * more of them go by uncached */
    uint32_t long_hits, long_misses, resting;
} ctok__piece_cache;

/* A miss of a piece of n bytes: counted, and at the end of a window the verdict. */
static inline void ctok__cache_count_miss(ctok__piece_cache *c, size_t n)
{
    if (n < CTOK__CACHE_GATE_BYTES || ++c->long_misses < CTOK__CACHE_WINDOW)
        return;
    if (c->long_hits < CTOK__CACHE_WINDOW / 32) { /* hits / (hits + misses) < 1/33 */
        c->resting = CTOK__CACHE_REST;
        c->max_bytes = CTOK__CACHE_GATE_BYTES - 1;
    }
    c->long_hits = c->long_misses = 0;
}

/* A piece of n bytes that went by uncached: one less to rest. */
static inline void ctok__cache_count_rest(ctok__piece_cache *c, size_t n)
{
    if (c->resting && n >= CTOK__CACHE_GATE_BYTES && n <= CTOK__CACHE_MAX_BYTES &&
        --c->resting == 0)
        c->max_bytes = CTOK__CACHE_MAX_BYTES;
}

/* A piece of 1..CTOK__CACHE_MAX_BYTES (24) bytes as the cache's key, and its slot index. */
typedef struct ctok__piece_key {
    uint64_t words[CTOK__CACHE_WORDS];
    uint64_t hash; /* its top bits index either kind of entry */
} ctok__piece_key;

/* The index is the top bits of one multiply of the words folded together: enough to spread the
 * pieces over the slots (a collision costs a miss, never a wrong answer), and cheaper than the
 * vocabulary's hash, which only a miss needs.  avail >= n is how many bytes may be read at p (to
 * the end of the text): with 24 or more, the three words are three loads and masks and nothing
 * branches on n; near the end of the text, the bytes past the piece are not touched. */
static CTOK__ALWAYS_INLINE void ctok__piece_key_make(ctok__piece_key *key, const uint8_t *p,
                                                     size_t n, size_t avail)
{
    uint64_t *w = key->words;
    if (avail >= 8 * CTOK__CACHE_WORDS) {
        size_t k1 = n > 8 ? n - 8 : 0, k2 = n > 16 ? n - 16 : 0;
        w[0] = ctok__load_masked(p, n < 8 ? n : 8);
        w[1] = ctok__load_masked(p + 8, k1 < 8 ? k1 : 8);
        w[2] = ctok__load_masked(p + 16, k2);
    } else if (n <= 8) {
        w[0] = ctok__load_partial(p, n);
        w[1] = w[2] = 0;
    } else if (n <= 16) {
        w[0] = ctok__load_word(p);
        w[1] = ctok__load_partial(p + 8, n - 8);
        w[2] = 0;
    } else {
        w[0] = ctok__load_word(p);
        w[1] = ctok__load_word(p + 8);
        w[2] = ctok__load_partial(p + 16, n - 16);
    }
    uint64_t folded = w[0] ^ n ^ (w[1] * 0xc2b2ae3d27d4eb4full) ^ (w[2] * 0x165667b19e3779f9ull);
    key->hash = folded * CTOK__PIECE_HASH_MUL;
}

/* ctok__piece_key_make for a piece of at most CTOK__SHORT_MAX_BYTES (8): the same key and the
 * same hash (the other two words are zero), from one load and one multiply.  Most pieces are
 * this short, and the short entries read only the first word. */
static CTOK__ALWAYS_INLINE void ctok__piece_key_make_short(ctok__piece_key *key, const uint8_t *p,
                                                           size_t n, size_t avail)
{
    uint64_t w = avail >= 8 ? ctok__load_masked(p, n) : ctok__load_partial(p, n);
    key->words[0] = w;
    key->words[1] = key->words[2] = 0;
    key->hash = ctok__short_hash(w, n);
}

static inline ctok__cache_entry *ctok__cache_slot(const ctok__piece_cache *c,
                                                  const ctok__piece_key *key)
{
    return &c->entries[key->hash >> (64 - CTOK__CACHE_BITS)];
}

/* The two entries (a pair, in one half of a cache line) that may hold a short piece: the one
 * used last first.  Two-way, in the memory of the 2^14 direct-mapped entries before: on the corpus
 * 80 thousand fewer misses of 1.2 million, on tinyshakespeare 18% fewer (doc/design.md). */
static inline ctok__short_entry *ctok__short_pair(const ctok__piece_cache *c,
                                                  const ctok__piece_key *key)
{
    return &c->shorts[(key->hash >> (64 - CTOK__SHORT_BITS + 1)) << 1];
}

/* Whether the short entry holds the piece of n bytes with this key. */
static CTOK__ALWAYS_INLINE bool ctok__short_holds(const ctok__short_entry *e,
                                                  const ctok__piece_key *key, size_t n)
{
    return e->word == key->words[0] && (e->packed & 15) == n;
}

/* The short entry's ids into ids[0 .. 3) (all three written); returns how many it holds. */
static CTOK__ALWAYS_INLINE size_t ctok__short_ids(const ctok__short_entry *e, uint32_t *ids)
{
    uint64_t p = e->packed;
    ids[0] = (uint32_t)(p >> 6) & CTOK__SHORT_ID_MASK;
    ids[1] = (uint32_t)(p >> (6 + CTOK__SHORT_ID_BITS)) & CTOK__SHORT_ID_MASK;
    ids[2] = (uint32_t)(p >> (6 + 2 * CTOK__SHORT_ID_BITS)) & CTOK__SHORT_ID_MASK;
    return (size_t)(p >> 4) & 3;
}

/* Remember in the short entry that the piece of n <= 8 bytes encodes to ids[0 .. k) (ignored
 * if there are more than three; the cache is only made short entries when every id fits). */
static inline void ctok__short_put(ctok__short_entry *e, const ctok__piece_key *key, size_t n,
                                   const uint32_t *ids, size_t k)
{
    if (k > CTOK__SHORT_MAX_IDS)
        return;
    uint64_t p = (uint64_t)n | (uint64_t)k << 4;
    for (size_t i = 0; i < k; i++)
        p |= (uint64_t)ids[i] << (6 + CTOK__SHORT_ID_BITS * i);
    e->word = key->words[0];
    e->packed = p;
}

/* Whether the slot holds the piece of n bytes with this key. */
static CTOK__ALWAYS_INLINE bool ctok__cache_holds(const ctok__cache_entry *e,
                                                  const ctok__piece_key *key, size_t n)
{
    return e->len == n && e->words[0] == key->words[0] && e->words[1] == key->words[1] &&
           e->words[2] == key->words[2];
}

/* Remember in the slot that the piece of n bytes with this key encodes to ids[0 .. k)
 * (ignored if they do not fit). */
static inline void ctok__cache_put(ctok__cache_entry *e, const ctok__piece_key *key, size_t n,
                                   const uint32_t *ids, size_t k)
{
    if (k > CTOK__CACHE_MAX_IDS)
        return;
    memcpy(e->words, key->words, sizeof e->words);
    e->len = (uint8_t)n;
    e->n_ids = (uint8_t)k;
    for (size_t i = 0; i < k; i++)
        e->ids[i] = ids[i];
}

#endif
