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
 * symbols stay in place and are linked, so nothing moves.
 */
#include "bpe.h"

#if defined(__SSE2__) && !defined(CTOK_NO_SIMD)
#include <emmintrin.h>
#define SHORT_SIMD 1
#endif
#ifdef CTOK_SHORT_SSE41 /* this file compiled again for SSE4.1 (bpe_short_sse41.c) */
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

/* The least key of r[0 .. m) (m >= 1; r padded with PAD up to a multiple of 4): its rank in
 * *rank (CTOK__NO_ID if nothing merges), its position returned. */
static CTOK__ALWAYS_INLINE size_t least_packed(const uint32_t *r, size_t m, uint32_t *rank)
{
    __m128i best = _mm_loadu_si128((const __m128i *)r);
    for (size_t i = 4; i < m; i += 4)
        best = min4(best, _mm_loadu_si128((const __m128i *)(r + i)));
    best = min4(best, _mm_shuffle_epi32(best, _MM_SHUFFLE(1, 0, 3, 2)));
    best = min4(best, _mm_shuffle_epi32(best, _MM_SHUFFLE(2, 3, 0, 1)));
    uint32_t key = (uint32_t)_mm_cvtsi128_si32(best) ^ BIAS;
    *rank = key >= BIAS ? CTOK__NO_ID : key >> POS_BITS;
    return key & POS_MASK;
}
#else
static CTOK__ALWAYS_INLINE size_t least_packed(const uint32_t *r, size_t m, uint32_t *rank)
{
    (void)r, (void)m, (void)rank;
    return 0; /* never called: packed keys are only used with SSE2 */
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

static CTOK__ALWAYS_INLINE size_t merge(const ctok_model *m, ctok__pair_slot *cache,
                                        uint32_t *ids, uint32_t *slots, size_t n, bool packed)
{
    /* Merged-away symbols stay in place: their slot becomes `gone` and the live ones are linked,
     * so that a merge moves nothing; the scan covers the whole (short) array every time. */
    const uint32_t gone = packed ? PAD : CTOK__NO_ID;
    uint8_t next[CTOK__SHORT_PIECE], prev[CTOK__SHORT_PIECE]; /* next: n after the last */
    size_t pairs = n - 1;
    for (size_t i = 0; i < pairs; i++) {
        slots[i] = slot_value(ctok__byte_pair_rank(m, cache, ids[i], ids[i + 1]), i, packed);
        next[i] = (uint8_t)(i + 1);
        prev[i + 1] = (uint8_t)i;
    }
    next[pairs] = (uint8_t)n;
    /* least_packed reads up to the next multiple of 4 */
    for (size_t i = pairs; i < pairs + 4; i++)
        slots[i] = gone;
    size_t live = n;
    for (;;) {
        uint32_t rank;
        size_t at = packed ? least_packed(slots, pairs, &rank) : least_plain(slots, pairs, &rank);
        if (rank == CTOK__NO_ID)
            break;
        size_t right = next[at], after = next[right];
        ids[at] = rank;
        slots[right] = gone; /* the pair it began, if any, is gone */
        next[at] = (uint8_t)after;
        live--;
        /* the first symbol is never merged away, so at > 0 has a live one before */
        size_t before = at > 0 ? prev[at] : 0;
        if (after < n && at > 0) { /* both neighbours' pairs, their lookups overlapped */
            prev[after] = (uint8_t)at;
            uint32_t r_after, r_before;
            ctok__cached_rank2(m, cache, rank, ids[after], ids[before], rank, &r_after,
                               &r_before);
            slots[at] = slot_value(r_after, at, packed);
            slots[before] = slot_value(r_before, before, packed);
        } else if (after < n) {
            prev[after] = (uint8_t)at;
            slots[at] = slot_value(ctok__cached_rank(m, cache, rank, ids[after]), at, packed);
        } else {
            slots[at] = gone;
            if (at > 0)
                slots[before] =
                    slot_value(ctok__cached_rank(m, cache, ids[before], rank), before, packed);
        }
    }
    if (live < n) {
        size_t k = 0;
        for (size_t i = 0; k < live; i = next[i])
            ids[k++] = ids[i];
    }
    return live;
}

static CTOK__NOINLINE size_t merge_plain(const ctok_model *m, ctok__pair_slot *cache,
                                         uint32_t *ids, uint32_t *slots, size_t n)
{
    return merge(m, cache, ids, slots, n, false);
}

size_t MERGE_SHORT(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids, uint32_t *ranks,
                   size_t n)
{
    if (n < 2)
        return n;
#ifdef SHORT_SIMD
    if (m->n_vocab <= PACKED_MAX_RANK)
        return merge(m, cache, ids, ranks, n, true);
#endif
    return merge_plain(m, cache, ids, ranks, n);
}

#ifndef CTOK_SHORT_SSE41
size_t ctok__bpe_merge_short(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                             uint32_t *ranks, size_t n)
{
#ifdef CTOK__SHORT_SSE41
    if (__builtin_cpu_supports("sse4.1"))
        return ctok__bpe_merge_short_sse41(m, cache, ids, ranks, n);
#endif
    return ctok__bpe_merge_short_portable(m, cache, ids, ranks, n);
}
#endif
