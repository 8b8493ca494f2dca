/*
 * rank_file.h - writing tiktoken rank files ("BASE64 RANK" lines) in tests: test_loaders.c,
 * test_piece_cache.c and test_reach.c build small vocabularies this way.
 */
#ifndef CTOK_TEST_RANK_FILE_H
#define CTOK_TEST_RANK_FILE_H

#include "ctok.h"

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

/* The model of the rank file text[0 .. n) with GPT-2's pattern and no special tokens; NULL, with
 * the message in d, if it does not load. */
static inline ctok_model *rank_file_load(const char *text, size_t n, const char *name,
                                         ctok_diag *d)
{
    ctok_model *m = NULL;
    if (ctok_model_load_tiktoken_memory((const uint8_t *)text, n, name, RANK_FILE_GPT2_PATTERN,
                                        NULL, 0, NULL, &m, d) != CTOK_OK)
        return NULL;
    return m;
}

#endif /* CTOK_TEST_RANK_FILE_H */
