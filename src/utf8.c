/*
 * utf8.c - strict UTF-8 decoding and encoding, and the maximal-subpart rule that lossy decoders
 * (Python's errors="replace", Rust's from_utf8_lossy, hence tiktoken's decode) use for U+FFFD.
 */
#include "internal.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Valid second-byte range for each lead byte (Unicode Table 3-7). */
static bool second_byte_ok(uint8_t lead, uint8_t b)
{
    switch (lead) {
    case 0xE0: return b >= 0xA0 && b <= 0xBF;
    case 0xED: return b >= 0x80 && b <= 0x9F;
    case 0xF0: return b >= 0x90 && b <= 0xBF;
    case 0xF4: return b >= 0x80 && b <= 0x8F;
    default: return b >= 0x80 && b <= 0xBF;
    }
}

static size_t sequence_length(uint8_t lead)
{
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

size_t ctok__utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
    if (len == 0)
        return 0;
    uint8_t lead = s[0];
    size_t n = sequence_length(lead);
    if (n == 1) {
        *cp = lead;
        return 1;
    }
    if (n == 0 || len < n || !second_byte_ok(lead, s[1]))
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    uint32_t v = lead & (0x7F >> n);
    for (size_t i = 1; i < n; i++)
        v = (v << 6) | (s[i] & 0x3F);
    *cp = v;
    return n;
}

#ifdef __SSE2__
/* The valid prefix of s[0 .. len) found 16 bytes at a time, up to the first block that holds a
 * byte this path leaves to the scalar one; it ends on a character boundary.  A block passes when
 * each byte is ASCII, a continuation byte, or the lead of a form whose later bytes may be any
 * continuation bytes (C2-DF: two bytes; E1-EC, EE, EF: three), and the continuation bytes are
 * exactly the ones those leads call for (the bits of `expect`, carried into the next block).  The
 * leads with narrower second bytes (E0, ED, F0-F4) and the bytes that are never valid go the
 * scalar way.  Text in Latin, Cyrillic, Greek, CJK or kana passes almost whole. */
static size_t valid_blocks(const uint8_t *s, size_t len)
{
    const __m128i flip = _mm_set1_epi8((char)0x80); /* b ^ 0x80 as signed is b - 128 */
    size_t i = 0;
    uint32_t carry = 0;
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        uint32_t high = (uint32_t)_mm_movemask_epi8(v);
        if (!high && !carry)
            continue;
        __m128i x = _mm_xor_si128(v, flip);
        __m128i cont = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(-1)),
                                     _mm_cmplt_epi8(x, _mm_set1_epi8(0xC0 - 0x80)));
        __m128i lead2 = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0xC1 - 0x80)),
                                      _mm_cmplt_epi8(x, _mm_set1_epi8(0xE0 - 0x80)));
        __m128i lead3 = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0xE0 - 0x80)),
                                      _mm_cmplt_epi8(x, _mm_set1_epi8(0xF0 - 0x80)));
        lead3 = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED)), lead3);
        uint32_t c = (uint32_t)_mm_movemask_epi8(cont);
        uint32_t l2 = (uint32_t)_mm_movemask_epi8(lead2);
        uint32_t l3 = (uint32_t)_mm_movemask_epi8(lead3);
        if (((~high | l2 | l3 | c) & 0xFFFF) != 0xFFFF)
            break;
        uint32_t expect = carry | l2 << 1 | l3 << 1 | l3 << 2;
        if ((expect & 0xFFFF) != c)
            break;
        carry = expect >> 16;
    }
    if (carry) { /* the last block ended inside a character: stop before its lead */
        while ((s[i - 1] & 0xC0) == 0x80)
            i--;
        i--;
    }
    return i;
}
#endif

/* One character of the scalar path at s[0 .. len) (len >= 1): its length, or 0 if invalid. */
static inline size_t valid_char(const uint8_t *s, size_t len)
{
    uint8_t b = s[0];
    if (b < 0x80)
        return 1;
    /* the common two- and three-byte forms inline (the lead bytes whose second byte may be any
     * continuation byte); the rest through the full decoder */
    if (b >= 0xC2 && b <= 0xDF && len > 1 && (s[1] & 0xC0) == 0x80)
        return 2;
    if (b >= 0xE1 && b <= 0xEF && b != 0xED && len > 2 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80)
        return 3;
    uint32_t cp;
    return ctok__utf8_decode(s, len, &cp);
}

size_t ctok__utf8_valid_prefix(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
#ifdef __SSE2__
        i += valid_blocks(s + i, len - i);
        /* then the block the blocks stopped at (or the last few bytes) the scalar way */
        size_t stop = len - i > 16 ? i + 16 : len;
#else
        /* ASCII 8 bytes at a time, then a character the scalar way */
        for (uint64_t w; i + 8 <= len && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ull));)
            i += 8;
        size_t stop = i + 1 < len ? i + 1 : len;
#endif
        while (i < stop) {
            size_t n = valid_char(s + i, len - i);
            if (n == 0)
                return i;
            i += n;
        }
    }
    return i;
}

size_t ctok__utf8_invalid_len(const uint8_t *s, size_t len)
{
    size_t n = sequence_length(s[0]);
    if (n <= 1 || len < 2 || !second_byte_ok(s[0], s[1]))
        return 1;
    size_t i = 2;
    while (i < n && i < len && (s[i] & 0xC0) == 0x80)
        i++;
    return i; /* the truncated but well-begun sequence counts as one subpart */
}

size_t ctok__utf8_encode(uint32_t cp, uint8_t *out)
{
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | (cp >> 6));
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (cp >> 12));
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | (cp >> 18));
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}
