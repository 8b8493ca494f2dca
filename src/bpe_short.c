/*
 * bpe_short.c - merging a short piece (at most CTOK__SHORT_PIECE symbols): the ranks of adjacent
 * pairs in a flat array, the least one (the leftmost on ties) merged, its neighbours' ranks
 * looked up again, until no pair merges.  O(n^2), but n is small and the array stays in one or
 * two cache lines.
 *
 * Finding the least rank is most of the work once the pair lookups hit the pair cache, so on
 * x86-64 it goes four at a time with SSE2 (part of every x86-64 CPU), and on CPUs with SSE4.1
 * with its one-instruction minimum (this file compiled again, bpe_short_sse41.c; the choice is
 * ctok__bpe_merge_short's, at the end).  Each slot holds a key, the rank shifted up with the
 * slot's position in the low POS_BITS, so that the least key names both the least rank and the
 * leftmost place it occurs: one pass of minimums, no second search
 * (and no branch on where the minimum was, which the CPU could not predict).  Keys are biased
 * (key ^ 2^31) so that SSE2's signed compare orders them as unsigned; a pair that does not merge
 * gets a key above every real one, and the array is padded to a multiple of four with the
 * largest value.  This needs ranks below 2^(31 - POS_BITS), true of every real vocabulary; a
 * larger one, other CPUs, or CTOK_NO_SIMD take a branch-free scalar scan over the plain ranks
 * instead (tests/unit/test_bpe_short.c checks every form against a plain reference).  Merged
 * symbols stay in place, their places marked in a bit mask, so nothing moves.
 *
 * On CPUs with AVX2 (this file compiled a third time, bpe_short_avx2.c), a piece of up to
 * REG_PAIRS + 1 symbols keeps its keys in two registers instead of the array.  In the array,
 * each merge stores a key or three, and the next scan loads the 16 bytes around them: a wide load
 * of a narrow store that has not yet reached the cache, which the CPU cannot forward, so every
 * scan waited for the merge's stores.  In registers, a key is set with a compare and a blend.
 */
#include "bpe.h"

#if defined(__SSE2__) && !defined(CTOK_NO_SIMD)
#include <emmintrin.h>
#define SHORT_SIMD 1
#endif
#ifdef CTOK_SHORT_AVX2 /* compiled again for AVX2 (bpe_short_avx2.c), which has SSE4.1 */
#include <immintrin.h>
#define CTOK_SHORT_SSE41
#define MERGE_SHORT ctok__bpe_merge_short_avx2
#elif defined(CTOK_SHORT_SSE41) /* compiled again for SSE4.1 (bpe_short_sse41.c) */
#include <smmintrin.h>
#define MERGE_SHORT ctok__bpe_merge_short_sse41
#else
#define MERGE_SHORT ctok__bpe_merge_short_portable
#endif

#define BIAS 0x80000000u
#define POS_BITS 6 /* a position below CTOK__SHORT_PIECE */
#define POS_MASK ((1u << POS_BITS) - 1)
#define PACKED_MAX_RANK (1u << (31 - POS_BITS)) /* ranks below this fit in a key */
#define PAD 0x7FFFFFFFu /* above every key: a slot with no pair */

_Static_assert(CTOK__SHORT_PIECE <= 1 << POS_BITS, "a position fits in the key's low bits");

/* What slot i holds for a pair of this rank (CTOK__NO_ID if it does not merge). */
static CTOK__ALWAYS_INLINE uint32_t slot_value(uint32_t rank, size_t i, bool packed)
{
    if (!packed)
        return rank;
    /* CTOK__NO_ID gives 0x7FFFFFC0 | i: above every real key, below or equal to PAD */
    return ((rank << POS_BITS) | (uint32_t)i) ^ BIAS;
}

#ifdef SHORT_SIMD
static inline __m128i min4(__m128i a, __m128i b)
{
#ifdef CTOK_SHORT_SSE41
    return _mm_min_epi32(a, b); /* one instruction for the four below: the corpus 7-11% faster */
#else
    __m128i lt = _mm_cmplt_epi32(b, a);
    return _mm_or_si128(_mm_and_si128(lt, b), _mm_andnot_si128(lt, a));
#endif
}

/* The least of the four keys in x. */
static CTOK__ALWAYS_INLINE uint32_t least4(__m128i x)
{
    x = min4(x, _mm_shuffle_epi32(x, _MM_SHUFFLE(1, 0, 3, 2)));
    x = min4(x, _mm_shuffle_epi32(x, _MM_SHUFFLE(2, 3, 0, 1)));
    return (uint32_t)_mm_cvtsi128_si32(x);
}

/* The least key of r[0 .. m) (m >= 1; r padded with PAD up to a multiple of 4). */
static CTOK__ALWAYS_INLINE uint32_t least_packed(const uint32_t *r, size_t m)
{
    __m128i best = _mm_loadu_si128((const __m128i *)r);
    for (size_t i = 4; i < m; i += 4)
        best = min4(best, _mm_loadu_si128((const __m128i *)(r + i)));
    return least4(best);
}
#else
static CTOK__ALWAYS_INLINE uint32_t least_packed(const uint32_t *r, size_t m)
{
    (void)r, (void)m;
    return 0; /* never called: packed keys are only used with SSE2 */
}
#endif

#ifdef CTOK_SHORT_AVX2
/* The keys of up to REG_PAIRS pairs, eight to a register. */
#define REG_PAIRS 16
typedef struct keyvec {
    __m256i lo, hi;
} keyvec;

/* The keys r[0 .. REG_PAIRS). */
static CTOK__ALWAYS_INLINE keyvec keys_load(const uint32_t *r)
{
    return (keyvec){_mm256_loadu_si256((const __m256i *)r),
                    _mm256_loadu_si256((const __m256i *)(r + 8))};
}

/* k with key i set to v. */
static CTOK__ALWAYS_INLINE keyvec keys_set(keyvec k, size_t i, uint32_t v)
{
    __m256i at = _mm256_set1_epi32((int)i), value = _mm256_set1_epi32((int)v);
    __m256i low_places = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256i high_places = _mm256_setr_epi32(8, 9, 10, 11, 12, 13, 14, 15);
    k.lo = _mm256_blendv_epi8(k.lo, value, _mm256_cmpeq_epi32(low_places, at));
    k.hi = _mm256_blendv_epi8(k.hi, value, _mm256_cmpeq_epi32(high_places, at));
    return k;
}

static CTOK__ALWAYS_INLINE uint32_t keys_least(keyvec k)
{
    __m256i m = _mm256_min_epi32(k.lo, k.hi);
    return least4(_mm_min_epi32(_mm256_castsi256_si128(m), _mm256_extracti128_si256(m, 1)));
}
#else /* never called: no register form */
#define REG_PAIRS 0
typedef struct keyvec {
    uint32_t unused;
} keyvec;

static CTOK__ALWAYS_INLINE keyvec keys_load(const uint32_t *r)
{
    (void)r;
    return (keyvec){0};
}

static CTOK__ALWAYS_INLINE keyvec keys_set(keyvec k, size_t i, uint32_t v)
{
    (void)i, (void)v;
    return k;
}

static CTOK__ALWAYS_INLINE uint32_t keys_least(keyvec k)
{
    (void)k;
    return 0;
}
#endif

/* The least of the plain ranks r[0 .. m), the leftmost on ties: branch-free. */
static CTOK__ALWAYS_INLINE size_t least_plain(const uint32_t *r, size_t m, uint32_t *rank)
{
    uint64_t low = UINT64_MAX;
    for (size_t i = 0; i < m; i++) {
        uint64_t v = (uint64_t)r[i] << 32 | i;
        low = v < low ? v : low;
    }
    *rank = (uint32_t)(low >> 32);
    return (uint32_t)low;
}

/* The keys' slots: the array, or with in_reg (packed keys only) the registers. */
typedef struct slots {
    uint32_t *array;
    keyvec reg;
    bool in_reg;
} slots;

static CTOK__ALWAYS_INLINE void set_slot(slots *s, size_t i, uint32_t v)
{
    if (s->in_reg)
        s->reg = keys_set(s->reg, i, v);
    else
        s->array[i] = v;
}

/* A slot's key as the merge loop compares them: the least key is the pair to merge.  Packed:
 * the stored key unbiased (rank << POS_BITS | place); plain: rank << 32 | place.  Keys are
 * distinct (the place is in them), and a slot with no pair has a key above every real one. */
typedef uint64_t merge_key;

static CTOK__ALWAYS_INLINE merge_key key_of(uint32_t value, size_t i, bool packed)
{
    return packed ? (merge_key)(value ^ BIAS) : (merge_key)value << 32 | i;
}

static CTOK__ALWAYS_INLINE size_t key_place(merge_key key, bool packed)
{
    return packed ? (size_t)(key & POS_MASK) : (size_t)(uint32_t)key;
}

/* The key's rank, CTOK__NO_ID if nothing merges. */
static CTOK__ALWAYS_INLINE uint32_t key_rank(merge_key key, bool packed)
{
    if (!packed)
        return (uint32_t)(key >> 32);
    return key >= BIAS ? CTOK__NO_ID : (uint32_t)key >> POS_BITS;
}

/* The least key of the first `pairs` slots. */
static CTOK__ALWAYS_INLINE merge_key least(const slots *s, size_t pairs, bool packed)
{
    if (!packed) {
        uint32_t rank;
        size_t at = least_plain(s->array, pairs, &rank);
        return (merge_key)rank << 32 | at;
    }
    return key_of(s->in_reg ? keys_least(s->reg) : least_packed(s->array, pairs), 0, true);
}

static CTOK__ALWAYS_INLINE merge_key key_min(merge_key a, merge_key b) { return a < b ? a : b; }

static CTOK__ALWAYS_INLINE size_t merge(const ctok_model *m, ctok__pair_slot *cache,
                                        uint32_t *ids, uint32_t *array, size_t n, bool packed,
                                        bool in_reg)
{
    /* Merged-away symbols stay in place: their slot becomes `gone` and their bit in `live` is
     * cleared, so that a merge moves nothing; the scan covers the whole (short) array every
     * time. */
    const uint32_t gone = packed ? PAD : CTOK__NO_ID;
    size_t pairs = n - 1;
    /* the slots past the pairs that are read: least_packed's up to the next multiple of 4, or
     * all REG_PAIRS that go into the registers; set first, a fixed number (a loop to a length that
     * varies ends in a branch the CPU guesses wrong), then the pairs' over them */
    size_t first_pad = in_reg ? 0 : pairs, pads = in_reg ? REG_PAIRS : 4;
    for (size_t i = 0; i < pads; i++)
        array[first_pad + i] = gone;
    for (size_t i = 0; i < pairs; i++)
        array[i] = slot_value(ctok__byte_pair_rank(m, cache, ids[i], ids[i + 1]), i, packed);
    slots s = {.array = array, .in_reg = in_reg};
    if (in_reg)
        s.reg = keys_load(array);
    /* the live symbols' places, a bit each (n <= 64): a place's neighbours are a count of zeros
     * away, in a register */
    uint64_t live = n < 64 ? ((uint64_t)1 << n) - 1 : ~(uint64_t)0;
    /* Each merge changes the slots of its own pair and of the pairs on either side, and only the
     * new ones need lookups.  The least of all the other slots is found while those lookups are
     * under way (their slots set to `gone` first), and the next pair to merge is the least of it
     * and the new keys: the scan is off the chain from one merge's lookups to the next merge,
     * which is most of a merge's time. */
    for (merge_key key = least(&s, pairs, packed);;) {
        uint32_t rank = key_rank(key, packed);
        if (rank == CTOK__NO_ID)
            break;
        size_t at = key_place(key, packed);
        uint64_t later = live & (~(uint64_t)1 << at); /* at < n - 1: a place after it */
        size_t right = (size_t)__builtin_ctzll(later);
        later &= later - 1;
        /* the neighbours' places without a branch on whether there are any (which the CPU
         * guessed wrong often): without one, after is 63 and before 0, places that exist */
        bool has_after = later != 0;
        size_t after = (size_t)__builtin_ctzll(later | (uint64_t)1 << 63);
        /* the first symbol is never merged away, so at > 0 has a live one before */
        uint64_t earlier = live & (((uint64_t)1 << at) - 1);
        size_t before = 63 - (size_t)__builtin_clzll(earlier | 1);
        ids[at] = rank;
        live &= ~((uint64_t)1 << right);
        set_slot(&s, right, gone); /* the pair it began, if any, is gone */
        set_slot(&s, at, gone);
        if (at > 0)
            set_slot(&s, before, gone);
        merge_key rest = least(&s, pairs, packed);
        if (has_after && at > 0) { /* both neighbours' pairs, their lookups overlapped */
            uint32_t r_after, r_before;
            ctok__cached_rank2(m, cache, rank, ids[after], ids[before], rank, &r_after,
                               &r_before);
            uint32_t v_at = slot_value(r_after, at, packed);
            uint32_t v_before = slot_value(r_before, before, packed);
            set_slot(&s, at, v_at);
            set_slot(&s, before, v_before);
            key = key_min(rest, key_min(key_of(v_at, at, packed),
                                        key_of(v_before, before, packed)));
        } else if (has_after) {
            uint32_t v_at = slot_value(ctok__cached_rank(m, cache, rank, ids[after]), at, packed);
            set_slot(&s, at, v_at);
            key = key_min(rest, key_of(v_at, at, packed));
        } else if (at > 0) {
            uint32_t v_before =
                slot_value(ctok__cached_rank(m, cache, ids[before], rank), before, packed);
            set_slot(&s, before, v_before);
            key = key_min(rest, key_of(v_before, before, packed));
        } else {
            key = rest;
        }
    }
    size_t k = 0;
    for (; live; live &= live - 1)
        ids[k++] = ids[__builtin_ctzll(live)];
    return k;
}

static CTOK__NOINLINE size_t merge_plain(const ctok_model *m, ctok__pair_slot *cache,
                                         uint32_t *ids, uint32_t *slots, size_t n)
{
    return merge(m, cache, ids, slots, n, false, false);
}

size_t MERGE_SHORT(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids, uint32_t *ranks,
                   size_t n)
{
    if (n < 2)
        return n;
#ifdef SHORT_SIMD
    if (m->n_vocab <= PACKED_MAX_RANK) {
        if (n <= REG_PAIRS + 1)
            return merge(m, cache, ids, ranks, n, true, true);
        return merge(m, cache, ids, ranks, n, true, false);
    }
#endif
    return merge_plain(m, cache, ids, ranks, n);
}

#ifndef CTOK_SHORT_SSE41
size_t ctok__bpe_merge_short(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                             uint32_t *ranks, size_t n)
{
#ifdef CTOK__SHORT_SSE41
    if (__builtin_cpu_supports("avx2"))
        return ctok__bpe_merge_short_avx2(m, cache, ids, ranks, n);
    if (__builtin_cpu_supports("sse4.1"))
        return ctok__bpe_merge_short_sse41(m, cache, ids, ranks, n);
#endif
    return ctok__bpe_merge_short_portable(m, cache, ids, ranks, n);
}
#endif
