/*
 * bpe_short.c - merging a short piece (at most CTOK__SHORT_PIECE symbols): the ranks of adjacent
 * pairs in a flat array, the least one (the leftmost on ties) merged, its neighbours' ranks
 * looked up again, until no pair merges.  O(n^2), but n is small and the array stays in one or
 * two cache lines.
 *
 * Finding the least rank is most of the work once the pair lookups hit the pair cache, so on
 * x86-64 it goes four ranks at a time with SSE2 (part of every x86-64 CPU): ranks are stored
 * biased (rank ^ 2^31) so that a signed compare orders them as unsigned, the array is padded to
 * a multiple of four with the largest value, and a minimum over four lanes is reduced to its
 * leftmost position with a compare and a move mask.  Elsewhere (or with CTOK_NO_SIMD defined,
 * which tests/unit/test_bpe_short.c uses to check one against the other) the same runs as a
 * branch-free scalar loop.  Merged symbols stay in place and are linked, so nothing moves.
 */
#include "bpe.h"

#if defined(__SSE2__) && !defined(CTOK_NO_SIMD)
#include <emmintrin.h>
#define SHORT_SIMD 1
#endif

#define BIAS 0x80000000u
#define PAD 0x7FFFFFFFu /* CTOK__NO_ID ^ BIAS: the largest value as a signed number */

#ifdef SHORT_SIMD
static inline __m128i min4(__m128i a, __m128i b)
{
    __m128i lt = _mm_cmplt_epi32(b, a);
    return _mm_or_si128(_mm_and_si128(lt, b), _mm_andnot_si128(lt, a));
}

/* The position of the least of r[0 .. m) (m >= 1; r padded with PAD up to a multiple of 4),
 * the leftmost on ties, and its value in *least. */
static inline size_t least_at(const uint32_t *r, size_t m, uint32_t *least)
{
    __m128i best = _mm_loadu_si128((const __m128i *)r);
    for (size_t i = 4; i < m; i += 4)
        best = min4(best, _mm_loadu_si128((const __m128i *)(r + i)));
    best = min4(best, _mm_shuffle_epi32(best, _MM_SHUFFLE(1, 0, 3, 2)));
    best = min4(best, _mm_shuffle_epi32(best, _MM_SHUFFLE(2, 3, 0, 1)));
    uint32_t v = (uint32_t)_mm_cvtsi128_si32(best);
    __m128i vv = _mm_set1_epi32((int)v);
    *least = v;
    for (size_t i = 0;; i += 4) {
        __m128i eq = _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(r + i)), vv);
        int mask = _mm_movemask_ps(_mm_castsi128_ps(eq));
        if (mask)
            return i + (size_t)__builtin_ctz((unsigned)mask);
    }
}

#else
static inline size_t least_at(const uint32_t *r, size_t m, uint32_t *least)
{
    uint64_t low = UINT64_MAX;
    for (size_t i = 0; i < m; i++) {
        uint64_t v = (uint64_t)(r[i] ^ BIAS) << 32 | i;
        low = v < low ? v : low;
    }
    *least = (uint32_t)(low >> 32) ^ BIAS;
    return (uint32_t)low;
}

#endif

static inline uint32_t biased_rank(const ctok_model *m, ctok__pair_slot *cache, uint32_t left,
                                   uint32_t right)
{
    return ctok__cached_rank(m, cache, left, right) ^ BIAS;
}

size_t ctok__bpe_merge_short(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                             uint32_t *ranks, size_t n)
{
    if (n < 2)
        return n;
    /* Merged-away symbols stay in place: their rank becomes PAD and the live ones are linked, so
     * that a merge moves nothing; the scan covers the whole (short) array every time. */
    uint8_t next[CTOK__SHORT_PIECE], prev[CTOK__SHORT_PIECE]; /* next: n after the last */
    size_t pairs = n - 1;
    for (size_t i = 0; i < pairs; i++) {
        ranks[i] = biased_rank(m, cache, ids[i], ids[i + 1]);
        next[i] = (uint8_t)(i + 1);
        prev[i + 1] = (uint8_t)i;
    }
    next[pairs] = (uint8_t)n;
    /* least_at reads up to the next multiple of 4 */
    for (size_t i = pairs; i < pairs + 4; i++)
        ranks[i] = PAD;
    size_t live = n;
    for (;;) {
        uint32_t best;
        size_t at = least_at(ranks, pairs, &best);
        if (best == PAD)
            break;
        size_t right = next[at], after = next[right];
        ids[at] = best ^ BIAS;
        ranks[right] = PAD; /* the pair it began, if any, is gone */
        next[at] = (uint8_t)after;
        live--;
        if (after < n) {
            prev[after] = (uint8_t)at;
            ranks[at] = biased_rank(m, cache, ids[at], ids[after]);
        } else {
            ranks[at] = PAD;
        }
        if (at > 0) /* the first symbol is never merged away, so at > 0 has a live one before */
            ranks[prev[at]] = biased_rank(m, cache, ids[prev[at]], ids[at]);
    }
    if (live < n) {
        size_t k = 0;
        for (size_t i = 0; k < live; i = next[i])
            ids[k++] = ids[i];
    }
    return live;
}
