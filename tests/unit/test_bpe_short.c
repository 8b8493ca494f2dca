/*
 * test_bpe_short.c - the short-piece merger (src/bpe_short.c) in both of its forms, the SSE2 one
 * the library uses on x86-64 and the portable scalar one (the same file compiled here with
 * CTOK_NO_SIMD), against tiktoken's merge loop written plainly over the public API
 * (tiktoken_merge.h).
 *
 * Pieces of 1 to CTOK__SHORT_PIECE bytes: random bytes (invalid UTF-8 included), random
 * lowercase letters, slices of the multilingual sample (multi-byte characters cut anywhere), and
 * runs of one byte (every pair ties).  Encodings gpt2, cl100k_base and o200k_base, and a minbpe
 * model (ids 0-255 are the bytes).  CTOK_SEED=N fixes the seed.
 */
#define CTOK_NO_SIMD
#define ctok__bpe_merge_short scalar_merge_short
#include "../src/bpe_short.c"
#undef ctok__bpe_merge_short
size_t ctok__bpe_merge_short(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                             uint32_t *ranks, size_t n);

#include "unit/splitmix.h"
#include "unit/test.h"
#include "unit/tiktoken_merge.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

static uint64_t seed;

static uint8_t *sample;
static size_t sample_len;

/* A piece of n bytes of kind `kind` into buf. */
static void make_piece(uint64_t *s, int kind, uint8_t *buf, size_t n)
{
    switch (kind) {
    case 0: /* any bytes */
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)rnd(s);
        break;
    case 1: /* lowercase letters */
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)('a' + rnd(s) % 26);
        break;
    case 2: /* multilingual text, cut anywhere (letters if the sample is missing) */
        if (sample_len > n)
            memcpy(buf, sample + rnd(s) % (sample_len - n), n);
        else
            make_piece(s, 1, buf, n);
        break;
    default: /* one byte repeated */
        memset(buf, (int)(rnd(s) % 256), n);
        break;
    }
}

static void check_model(const char *label, const ctok_model *m, size_t cases)
{
    ctok__bpe_scratch scratch;
    memset(&scratch, 0, sizeof scratch);
    CHECK(ctok__bpe_pair_cache_init(&m->mem, &scratch) == CTOK_OK);
    if (test_failures_here)
        return;
    uint64_t s = seed ^ (uint64_t)strlen(label) * 0x51ED27ull;
    uint8_t buf[CTOK__SHORT_PIECE];
    /* room for CTOK__SHORT_PIECE + 8, as bpe.h asks */
    uint32_t ids_simd[CTOK__SHORT_PIECE + 8], ids_scalar[CTOK__SHORT_PIECE + 8];
    uint32_t ranks[CTOK__SHORT_PIECE + 8], want[CTOK__SHORT_PIECE];
    for (size_t c = 0; c < cases && !test_failures_here; c++) {
        int kind = (int)(c % 4);
        size_t n = 1 + (size_t)(rnd(&s) % CTOK__SHORT_PIECE);
        make_piece(&s, kind, buf, n);
        for (size_t i = 0; i < n; i++)
            ids_simd[i] = ids_scalar[i] = m->byte_id[buf[i]];
        size_t k_simd = ctok__bpe_merge_short(m, scratch.pairs, ids_simd, ranks, n);
        size_t k_scalar = scalar_merge_short(m, scratch.pairs, ids_scalar, ranks, n);
        size_t k_want = reference(m, buf, n, want);
        CHECKF(k_simd == k_want && !memcmp(ids_simd, want, k_want * sizeof *want),
               "%s: SSE2/library merger differs from the reference on a %zu-byte piece of kind %d "
               "(case %zu, seed %llu)", label, n, kind, c, (unsigned long long)seed);
        CHECKF(k_scalar == k_want && !memcmp(ids_scalar, want, k_want * sizeof *want),
               "%s: scalar merger differs from the reference on a %zu-byte piece of kind %d "
               "(case %zu, seed %llu)", label, n, kind, c, (unsigned long long)seed);
    }
    ctok__bpe_scratch_free(&m->mem, &scratch);
}

static void check_encoding(const char *name)
{
    ctok_model *m;
    ctok_diag diag;
    CHECKF(ctok_encoding_load(name, NULL, &m, &diag) == CTOK_OK, "%s", diag.message);
    if (!test_failures_here)
        check_model(name, m, 20000);
    ctok_model_free(m);
}

static void test_gpt2(void) { check_encoding("gpt2"); }
static void test_cl100k(void) { check_encoding("cl100k_base"); }
static void test_o200k(void) { check_encoding("o200k_base"); }

static void test_minbpe(void)
{
    ctok_model *m;
    ctok_diag diag;
    CHECKF(ctok_model_load("tests/data/minbpe/taylorswift-basic512.model", NULL, &m, &diag) ==
               CTOK_OK,
           "%s", diag.message);
    if (!test_failures_here)
        check_model("minbpe basic 512", m, 20000);
    ctok_model_free(m);
}

int main(void)
{
    const char *env = getenv("CTOK_SEED");
    seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
    printf("# seed %llu (CTOK_SEED=%llu to repeat)\n", (unsigned long long)seed,
           (unsigned long long)seed);
    FILE *f = fopen("tests/data/corpora/multilingual-sample.txt", "rb");
    if (f) {
        sample = malloc(1 << 20);
        sample_len = sample ? fread(sample, 1, 1 << 20, f) : 0;
        fclose(f);
    }
    run_test("bpe_short_gpt2", test_gpt2);
    run_test("bpe_short_cl100k", test_cl100k);
    run_test("bpe_short_o200k", test_o200k);
    run_test("bpe_short_minbpe", test_minbpe);
    free(sample);
    return test_failures_total ? 1 : 0;
}
