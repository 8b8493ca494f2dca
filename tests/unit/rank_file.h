/*
 * rank_file.h - writing tiktoken rank files ("BASE64 RANK" lines) in tests: test_loaders.c,
 * test_piece_cache.c and test_reach.c build small vocabularies this way.
 */
#ifndef CTOK_TEST_RANK_FILE_H
#define CTOK_TEST_RANK_FILE_H

#include <stdint.h>
#include <stdio.h>

static const char BASE64_DIGITS[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* GPT-2's split pattern, for the models these files make. */
#define RANK_FILE_GPT2_PATTERN                                                                    \
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"

/* Standard base64 of p[0 .. n) into out (NUL-terminated; 4 * ceil(n / 3) + 1 bytes). */
static inline void b64(const uint8_t *p, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        out[k++] = BASE64_DIGITS[v >> 18];
        out[k++] = BASE64_DIGITS[(v >> 12) & 63];
        out[k++] = i + 1 < n ? BASE64_DIGITS[(v >> 6) & 63] : '=';
        out[k++] = i + 2 < n ? BASE64_DIGITS[v & 63] : '=';
    }
    out[k] = 0;
}

/* The line "BASE64(p[0 .. n)) RANK\n" (n <= 45) at dst, which has room bytes; its length. */
static inline size_t rank_line(char *dst, size_t room, const uint8_t *p, size_t n, size_t rank)
{
    char e[64];
    b64(p, n, e);
    return (size_t)snprintf(dst, room, "%s %zu\n", e, rank);
}

#endif /* CTOK_TEST_RANK_FILE_H */
