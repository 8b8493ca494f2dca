/*
 * decimal.c - numbers as decimal text; above all the ids that `ctok encode` prints, as many as
 * one per three bytes of input, so formatting them costs a noticeable part of its time (the
 * difference between `ctok encode` and `ctok count` on the same file).
 */
#include "cli.h"

#include <string.h>

/* "00".."99": two digits per division */
static const char DIGIT_PAIRS[201] = "00010203040506070809101112131415161718192021222324252627282930"
                                     "31323334353637383940414243444546474849505152535455565758596061"
                                     "62636465666768697071727374757677787980818283848586878889909192"
                                     "93949596979899";

size_t cli_format_u64(char *dst, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    while (v >= 100) {
        unsigned pair = (unsigned)(v % 100);
        v /= 100;
        n += 2;
        memcpy(tmp + sizeof tmp - n, DIGIT_PAIRS + 2 * pair, 2);
    }
    if (v >= 10) {
        n += 2;
        memcpy(tmp + sizeof tmp - n, DIGIT_PAIRS + 2 * v, 2);
    } else {
        tmp[sizeof tmp - ++n] = (char)('0' + v);
    }
    memcpy(dst, tmp + sizeof tmp - n, n);
    return n;
}

/* Below 10^8 (every real id): the eight digits of v, zero-padded, as two halves of two pairs,
 * then the d that count shifted to the front of a word and stored whole; no loop, no branch on
 * the length.  Little-endian only (the first character is the word's low byte). */
static inline size_t format_small(char *dst, uint32_t v)
{
    uint32_t hi = v / 10000, lo = v % 10000;
    char digits[8];
    memcpy(digits, DIGIT_PAIRS + 2 * (hi / 100), 2);
    memcpy(digits + 2, DIGIT_PAIRS + 2 * (hi % 100), 2);
    memcpy(digits + 4, DIGIT_PAIRS + 2 * (lo / 100), 2);
    memcpy(digits + 6, DIGIT_PAIRS + 2 * (lo % 100), 2);
    size_t d = 1u + (v >= 10) + (v >= 100) + (v >= 1000) + (v >= 10000) + (v >= 100000) +
               (v >= 1000000) + (v >= 10000000);
    uint64_t w;
    memcpy(&w, digits, 8);
    w >>= 8 * (8 - d);
    memcpy(dst, &w, 8);
    return d;
}

size_t cli_format_ids(char *dst, const uint32_t *ids, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        dst[len++] = ' ';
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        if (ids[i] < 100000000) {
            len += format_small(dst + len, ids[i]);
            continue;
        }
#endif
        len += cli_format_u64(dst + len, ids[i]);
    }
    return len;
}
