/*
 * hash_bytes.h - the hash of a byte string (token bytes, pieces, training chunks), inline
 * because the encoder takes it of every piece.
 *
 * The string is read as ceil(n / 8) little-endian words, the last one zero-padded, each folded in
 * with one multiply; a final multiply and shift spread the high bits into the low ones (hash maps
 * index by the low bits).  The encoder's piece cache keys a piece by the same zero-padded words
 * (piece_cache.h), with a cheaper index of its own.  Reading the last word never touches a byte
 * past the string: it is put together from loads inside it.
 *
 * Changing the function changes the built-in vocabulary blobs (their stored hashes); a blob made
 * with another function is refused, and the build remakes them.
 */
#ifndef CTOK_HASH_BYTES_H
#define CTOK_HASH_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t ctok__load64(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static inline uint64_t ctok__load32(const uint8_t *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

/* p[0..k) (0 <= k <= 8) as a zero-padded little-endian word.  On a little-endian machine,
 * overlapping loads put some bytes in twice, at the same place, which OR leaves unchanged. */
static inline uint64_t ctok__load_partial(const uint8_t *p, size_t k)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (k >= 8)
        return ctok__load64(p);
    if (k >= 4)
        return ctok__load32(p) | (uint64_t)ctok__load32(p + k - 4) << (8 * (k - 4));
    if (k == 0)
        return 0;
    return p[0] | (uint64_t)p[k / 2] << (8 * (k / 2)) | (uint64_t)p[k - 1] << (8 * (k - 1));
#else
    uint64_t w = 0;
    for (size_t i = 0; i < k && i < 8; i++)
        w |= (uint64_t)p[i] << (8 * i);
    return w;
#endif
}

/* ctok__load_partial(p, k) for 0 <= k <= 8 when 8 bytes may be read at p: one load and a mask,
 * with no branch on k (which the CPU mispredicts as the lengths of pieces vary). */
static inline uint64_t ctok__load_masked(const uint8_t *p, size_t k)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    static const uint64_t low_bytes[9] = {
        0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFull, 0xFFFFFFFFFFFFull,
        0xFFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFFFull};
    return ctok__load64(p) & low_bytes[k];
#else
    return ctok__load_partial(p, k);
#endif
}

/* A whole word: the same value as ctok__load_partial(p, 8). */
static inline uint64_t ctok__load_word(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return ctok__load64(p);
#else
    return ctok__load_partial(p, 8);
#endif
}

/* Whether a[0..n) == b[0..n): up to 16 bytes with word compares, as a call to memcmp costs more
 * than comparing a token's few bytes. */
static inline int ctok__bytes_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    if (n <= 8)
        return ctok__load_partial(a, n) == ctok__load_partial(b, n);
    if (n <= 16)
        return ctok__load_word(a) == ctok__load_word(b) &&
               ctok__load_word(a + n - 8) == ctok__load_word(b + n - 8);
    return memcmp(a, b, n) == 0;
}

#define CTOK__HASH_SEED 0x9e3779b97f4a7c15ull
#define CTOK__HASH_MUL 0xbf58476d1ce4e5b9ull

static inline uint64_t ctok__hash_step(uint64_t h, uint64_t word)
{
    h = (h ^ word) * CTOK__HASH_MUL;
    return h ^ (h >> 29);
}

static inline uint64_t ctok__hash_start(size_t n) { return CTOK__HASH_SEED ^ (uint64_t)n; }

static inline uint64_t ctok__hash_finish(uint64_t h)
{
    h *= 0x94d049bb133111ebull;
    return h ^ (h >> 32);
}

static inline uint64_t ctok__hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = ctok__hash_start(n);
    size_t left = n;
    while (left > 8) {
        h = ctok__hash_step(h, ctok__load_word(p));
        p += 8;
        left -= 8;
    }
    return ctok__hash_finish(ctok__hash_step(h, ctok__load_partial(p, left)));
}

/* The last multiply of the piece cache's index (piece_cache.h). */
#define CTOK__PIECE_HASH_MUL 0x9e3779b97f4a7c15ull

/* The hash of a string of n <= 8 bytes given as its zero-padded word w: one multiply, whose top
 * bits index the piece cache's short entries and the table of short tokens (short_tokens.h). */
static inline uint64_t ctok__short_hash(uint64_t w, size_t n)
{
    return (w ^ n) * CTOK__PIECE_HASH_MUL;
}

#endif
