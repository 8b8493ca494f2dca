/*
 * utf8.c - strict UTF-8 decoding and encoding, and the maximal-subpart rule that lossy decoders
 * (Python's errors="replace", Rust's from_utf8_lossy, hence tiktoken's decode) use for U+FFFD.
 */
#include "internal.h"

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

size_t ctok__utf8_valid_prefix(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path, 8 bytes at a time */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        uint8_t b = s[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        /* the common two- and three-byte forms inline (the lead bytes whose second byte may be
         * any continuation byte); the rest through the full decoder */
        if (b >= 0xC2 && b <= 0xDF && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        if (b >= 0xE1 && b <= 0xEF && b != 0xED && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        uint32_t cp;
        size_t n = ctok__utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            break;
        i += n;
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
