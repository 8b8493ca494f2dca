/*
 * ascii_window.h - which of 64 bytes of text are ASCII letters and spaces, as bit masks, for the
 * scanners' runs of letters and runs of words (pretok.c).
 *
 * A scanner that steps through a word byte by byte leaves the loop at a place that depends on the
 * word's length, which the CPU cannot predict: about one mispredicted branch per word.  With the
 * masks of the 64 bytes from some place, the end of a run of letters is one shift and one count of
 * trailing zeros, and the masks serve every word in those 64 bytes.  They are made 16 bytes a step
 * with SSE2 (part of every x86-64 CPU); elsewhere, or with CTOK_NO_SIMD, there are no masks
 * (ctok__ascii_window_fill says so) and the scanners step byte by byte as before.
 */
#ifndef CTOK_ASCII_WINDOW_H
#define CTOK_ASCII_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__) && !defined(CTOK_NO_SIMD)
#include <emmintrin.h>
#define CTOK__ASCII_WINDOW 1
#endif

#define CTOK__WINDOW_BYTES 64

typedef struct ctok__ascii_window {
    size_t start; /* the masks describe text[start .. start + 64); SIZE_MAX: none yet */
    uint64_t upper, lower; /* bit i set: text[start + i] is in A-Z, in a-z */
    uint64_t space;        /* bit i set: text[start + i] is ' ' */
} ctok__ascii_window;

static inline void ctok__ascii_window_reset(ctok__ascii_window *w)
{
    w->start = SIZE_MAX;
    w->upper = w->lower = w->space = 0;
}

#ifdef CTOK__ASCII_WINDOW
/* Bit i set: lo <= v[i] <= hi, for 0 <= lo <= hi < 0x7F (bytes of 0x80 and up, negative as
 * signed, are never in range). */
static inline uint64_t ctok__byte_range_mask(__m128i v, char lo, char hi)
{
    __m128i above = _mm_cmpgt_epi8(v, _mm_set1_epi8((char)(lo - 1)));
    __m128i below = _mm_cmplt_epi8(v, _mm_set1_epi8((char)(hi + 1)));
    return (uint64_t)(unsigned)_mm_movemask_epi8(_mm_and_si128(above, below));
}
#endif

/* Whether w describes the byte at k. */
static inline bool ctok__ascii_window_has(const ctok__ascii_window *w, size_t k)
{
    return k >= w->start && k - w->start < CTOK__WINDOW_BYTES;
}

/* Make w describe text[k .. k + 64); false (w unchanged) when there are no masks on this CPU or
 * fewer than 64 bytes are left. */
static inline bool ctok__ascii_window_fill(ctok__ascii_window *w, const uint8_t *text, size_t len,
                                           size_t k)
{
#ifdef CTOK__ASCII_WINDOW
    if (len - k < CTOK__WINDOW_BYTES)
        return false;
    uint64_t upper = 0, lower = 0, space = 0;
    for (int q = 0; q < CTOK__WINDOW_BYTES / 16; q++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(text + k + 16 * q));
        upper |= ctok__byte_range_mask(v, 'A', 'Z') << (16 * q);
        lower |= ctok__byte_range_mask(v, 'a', 'z') << (16 * q);
        space |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')))
                 << (16 * q);
    }
    w->start = k;
    w->upper = upper;
    w->lower = lower;
    w->space = space;
    return true;
#else
    (void)w, (void)text, (void)len, (void)k;
    return false;
#endif
}

/* The end of the run of bytes in mask (one of w's masks or their union) that starts at k, or k
 * itself, as far as the masks know: *known is false when the run reaches the window's end, where
 * it may go on.  k must lie in the window. */
static inline size_t ctok__ascii_window_run(const ctok__ascii_window *w, uint64_t mask, size_t k,
                                            bool *known)
{
#ifdef CTOK__ASCII_WINDOW
    uint64_t stop = ~mask >> (k - w->start); /* zeros come in from the top: no stop past the end */
    *known = stop != 0;
    return stop ? k + (size_t)__builtin_ctzll(stop) : w->start + CTOK__WINDOW_BYTES;
#else
    (void)w, (void)mask;
    *known = false; /* never called: no window is ever filled */
    return k;
#endif
}

#endif /* CTOK_ASCII_WINDOW_H */
