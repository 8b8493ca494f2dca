/*
 * test_piece_cache.c - the encoder's piece cache never changes the ids: a long text encoded in one
 * call (cache on; on stretches of random base64 its longer pieces stop being cached, and start
 * again later, src/piece_cache.h) gives exactly the ids of the same text encoded in parts too
 * short for the cache (under 64 KB, each with a new encoder), cut where ctok_model_cut allows.
 *
 * The text: stretches of random base64 in lines of 76 (nothing to reuse) long enough for the cache to give up on
 * long pieces and try again, between stretches of tinyshakespeare (much to reuse), for gpt2,
 * cl100k_base and o200k_base.
 */
#include "ctok.h"

#include "unit/splitmix.h"
#include "unit/test.h"

#define PART_MAX 60000 /* below the 64 KB from which an encoding uses the cache */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t make_text(uint8_t *out, const uint8_t *english, size_t english_len)
{
    uint64_t s = 20240601;
    size_t n = 0;
    for (int stretch = 0; stretch < 3; stretch++) {
        for (size_t i = 0; i < 700000; i++) /* ~100,000 pieces of four bytes or more */
            out[n++] = i % 77 == 76 ? '\n' : (uint8_t)B64[rnd(&s) % 64]; /* lines of 76 */
        size_t k = english_len < 300000 ? english_len : 300000;
        memcpy(out + n, english, k);
        n += k;
    }
    return n;
}

static void check_encoding(const char *name, const uint8_t *text, size_t len)
{
    ctok_model *m;
    ctok_diag d;
    CHECKF(ctok_encoding_load(name, NULL, &m, &d) == CTOK_OK, "%s", d.message);
    if (test_failures_here)
        return;
    uint32_t *whole = malloc(len * sizeof *whole), *parts = malloc(len * sizeof *parts);
    ctok_encoder *e = NULL;
    size_t n_whole = 0, n_parts = 0;
    CHECK(whole && parts && ctok_encoder_new(m, &e) == CTOK_OK);
    if (!test_failures_here)
        CHECKF(ctok_encoder_encode(e, text, len, NULL, whole, len, &n_whole, &d) == CTOK_OK, "%s",
               d.message);
    for (size_t pos = 0; !test_failures_here && pos < len;) {
        size_t limit = len - pos <= PART_MAX ? len - pos : PART_MAX;
        size_t cut = limit == len - pos ? limit : ctok_model_cut(m, text + pos, len - pos, limit);
        CHECKF(cut > 0, "%s: no cut in %zu bytes at %zu", name, limit, pos);
        size_t k = 0;
        if (!test_failures_here)
            CHECKF(ctok_encode(m, text + pos, cut, NULL, parts + n_parts, len - n_parts, &k, &d) ==
                       CTOK_OK,
                   "%s", d.message);
        n_parts += k;
        pos += cut;
    }
    if (!test_failures_here) {
        size_t i = 0;
        while (i < n_whole && i < n_parts && whole[i] == parts[i])
            i++;
        CHECKF(n_whole == n_parts && i == n_whole, "%s: %zu ids in one call, %zu in parts; first "
               "difference at id %zu", name, n_whole, n_parts, i);
    }
    ctok_encoder_free(e);
    free(whole);
    free(parts);
    ctok_model_free(m);
}

static uint8_t *text;
static size_t text_len;

static void test_cache_gpt2(void) { check_encoding("gpt2", text, text_len); }
static void test_cache_cl100k(void) { check_encoding("cl100k_base", text, text_len); }
static void test_cache_o200k(void) { check_encoding("o200k_base", text, text_len); }

int main(void)
{
    size_t english_len;
    uint8_t *english = test_read_file("tests/data/corpora/tinyshakespeare.txt", &english_len);
    if (!english) {
        printf("FAIL piece_cache: cannot read tests/data/corpora/tinyshakespeare.txt\n");
        return 1;
    }
    text = malloc(3 * (700000 + 300000));
    text_len = text ? make_text(text, english, english_len) : 0;
    RUN(test_cache_gpt2);
    RUN(test_cache_cl100k);
    RUN(test_cache_o200k);
    free(text);
    free(english);
    TEST_EXIT();
}
