/*
 * test_piece_cache.c - the encoder's piece cache never changes the ids: a long text encoded in one
 * call (cache on; on stretches of random base64 its longer pieces stop being cached, and start
 * again later, src/piece_cache.h) gives exactly the ids of the same text encoded in parts too
 * short for the cache (under 64 KB, each with a new encoder), cut where ctok_model_cut allows.
 *
 * The text: stretches of random base64 in lines of 76 (nothing to reuse) long enough for the
 * cache to give up on long pieces and try again, and stretches of short runs of invalid UTF-8
 * (pieces of up to eight bytes with more ids than a short entry holds), between stretches of
 * tinyshakespeare (much to reuse); for gpt2, cl100k_base and o200k_base, whose ids fit the short
 * entries, and for a model whose English tokens have ids above 2^19, which do not (so that its
 * short pieces take the 64-byte entries).
 */
#include "ctok.h"

#include "unit/rank_file.h"
#include "unit/splitmix.h"
#include "unit/test.h"

#define PART_MAX 60000 /* below the 64 KB from which an encoding uses the cache */


#define STRETCHES 3
#define BASE64_BYTES 700000
#define JUNK_BYTES 100000
#define ENGLISH_BYTES 300000
#define TEXT_MAX (STRETCHES * (BASE64_BYTES + JUNK_BYTES + ENGLISH_BYTES))

static size_t make_text(uint8_t *out, const uint8_t *english, size_t english_len)
{
    uint64_t s = 20240601;
    size_t n = 0;
    for (int stretch = 0; stretch < STRETCHES; stretch++) {
        for (size_t i = 0; i < BASE64_BYTES; i++) /* ~100,000 pieces of four bytes or more */
            out[n++] = i % 77 == 76 ? '\n' : (uint8_t)BASE64_DIGITS[rnd(&s) % 64]; /* lines of 76 */
        /* 1-8 bytes of 0x80-0xFF and a space, with now and then a line "A " (where the text may
         * be cut into parts: ctok_model_cut) */
        for (size_t i = 0, runs = 0; i + 12 < JUNK_BYTES; runs++) {
            size_t run = 1 + rnd(&s) % 8;
            for (size_t j = 0; j < run; j++, i++)
                out[n++] = (uint8_t)(0x80 + rnd(&s) % 128);
            const char *after = runs % 8 == 7 ? "\nA " : " ";
            memcpy(out + n, after, strlen(after));
            n += strlen(after);
            i += strlen(after);
        }
        size_t k = english_len < ENGLISH_BYTES ? english_len : ENGLISH_BYTES;
        memcpy(out + n, english, k);
        n += k;
    }
    return n;
}

static void check_model(const char *name, ctok_model *m, const uint8_t *text, size_t len)
{
    ctok_diag d;
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
}

static void check_encoding(const char *name, const uint8_t *text, size_t len)
{
    ctok_model *m;
    ctok_diag d;
    CHECKF(ctok_encoding_load(name, NULL, &m, &d) == CTOK_OK, "%s", d.message);
    if (!test_failures_here)
        check_model(name, m, text, len);
    ctok_model_free(m);
}

static uint8_t *text;
static size_t text_len;

static void test_cache_gpt2(void) { check_encoding("gpt2", text, text_len); }
static void test_cache_cl100k(void) { check_encoding("cl100k_base", text, text_len); }
static void test_cache_o200k(void) { check_encoding("o200k_base", text, text_len); }

/* A rank file of the 256 bytes, 2^19 tokens of six bytes from 0xF5-0xFF (which valid UTF-8
 * never has), then a few English merges: the ids of common English pieces are above 2^19 and do
 * not fit a short entry, so the model's short pieces must take the 64-byte entries. */
static void test_cache_big_ids(void)
{
    static const char *const merges[] = {"th", " t", "he", " the", "in", " a", "er", "on",
                                         "ou", " s", "an", "is", " w", "re", "nd", " I"};
    enum { FILLER = 1 << 19 };
    size_t n_merges = sizeof merges / sizeof *merges;
    size_t cap = (256 + FILLER + n_merges) * 24, n = 0;
    char *file = malloc(cap);
    CHECK(file != NULL);
    if (test_failures_here)
        return;
    size_t rank = 0;
    for (; rank < 256; rank++) {
        uint8_t byte = (uint8_t)rank;
        n += rank_line(file + n, cap - n, &byte, 1, rank);
    }
    for (size_t f = 0; f < FILLER; f++, rank++) {
        uint8_t six[6];
        for (size_t i = 0, v = f; i < 6; i++, v /= 11)
            six[i] = (uint8_t)(0xF5 + v % 11);
        n += rank_line(file + n, cap - n, six, 6, rank);
    }
    for (size_t i = 0; i < n_merges; i++, rank++)
        n += rank_line(file + n, cap - n, (const uint8_t *)merges[i], strlen(merges[i]), rank);
    ctok_special_token eot = {{(const uint8_t *)"<|endoftext|>", 13}, (uint32_t)rank};
    ctok_model *m = NULL;
    ctok_diag d;
    CHECKF(ctok_model_load_tiktoken_memory((const uint8_t *)file, n, "big-ids.tiktoken",
                                           RANK_FILE_GPT2_PATTERN, &eot, 1, NULL, &m, &d) ==
               CTOK_OK,
           "%s", d.message);
    if (!test_failures_here)
        check_model("big-ids", m, text, text_len);
    ctok_model_free(m);
    free(file);
}

int main(void)
{
    size_t english_len;
    uint8_t *english = test_read_file("tests/data/corpora/tinyshakespeare.txt", &english_len);
    if (!english) {
        printf("FAIL piece_cache: cannot read tests/data/corpora/tinyshakespeare.txt\n");
        return 1;
    }
    text = malloc(TEXT_MAX);
    text_len = text ? make_text(text, english, english_len) : 0;
    RUN(test_cache_gpt2);
    RUN(test_cache_cl100k);
    RUN(test_cache_o200k);
    RUN(test_cache_big_ids);
    free(text);
    free(english);
    TEST_EXIT();
}
