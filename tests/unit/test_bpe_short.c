/*
 * test_bpe_short.c - the short-piece merger (src/bpe_short.c) in each of its forms: the AVX2
 * one (src/bpe_short_avx2.c: the keys of a piece of up to 17 symbols in registers) and the
 * SSE4.1 one (src/bpe_short_sse41.c) that the library takes on x86-64 CPUs that have them, the
 * SSE2 one it takes on the others, the scalar one (the same file compiled here with
 * CTOK_NO_SIMD), and the library's choice among them, against tiktoken's merge loop written
 * plainly over the public API (tiktoken_merge.h).  A form the CPU cannot run is left out.
 *
 * Pieces of 1 to CTOK__SHORT_PIECE bytes: random bytes (invalid UTF-8 included), random
 * lowercase letters, slices of the multilingual sample (multi-byte characters cut anywhere), and
 * runs of one byte (every pair ties).  Encodings gpt2, cl100k_base and o200k_base, and a minbpe
 * model (ids 0-255 are the bytes).  CTOK_SEED=N fixes the seed.
 */
#define CTOK_NO_SIMD
#define ctok__bpe_merge_short scalar_choice
#define ctok__bpe_merge_short_portable scalar_merge_short
#include "../src/bpe_short.c"
#undef ctok__bpe_merge_short
#undef ctok__bpe_merge_short_portable
/* the library's forms (bpe.h, whose declarations above took the names of the scalar copy) */
size_t ctok__bpe_merge_short(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                             uint32_t *ranks, size_t n);
size_t ctok__bpe_merge_short_portable(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                                      uint32_t *ranks, size_t n);
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SSE41_FORM 1
size_t ctok__bpe_merge_short_sse41(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                                   uint32_t *ranks, size_t n);
size_t ctok__bpe_merge_short_avx2(const ctok_model *m, ctok__pair_slot *cache, uint32_t *ids,
                                  uint32_t *ranks, size_t n);
#endif

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

/* The forms under test; run is false for one this CPU cannot run. */
static struct {
    const char *name;
    size_t (*merge)(const ctok_model *, ctok__pair_slot *, uint32_t *, uint32_t *, size_t);
    bool run;
} forms[] = {
    {"library's choice", ctok__bpe_merge_short, true},
    {"portable (SSE2 on x86-64)", ctok__bpe_merge_short_portable, true},
    {"scalar", scalar_merge_short, true},
#ifdef HAVE_SSE41_FORM /* run set in main */
    {"SSE4.1", ctok__bpe_merge_short_sse41, false},
    {"AVX2", ctok__bpe_merge_short_avx2, false},
#endif
};
#define N_FORMS (sizeof forms / sizeof *forms)

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
    uint32_t ids[CTOK__SHORT_PIECE + 8], ranks[CTOK__SHORT_PIECE + 8], want[CTOK__SHORT_PIECE];
    for (size_t c = 0; c < cases && !test_failures_here; c++) {
        int kind = (int)(c % 4);
        size_t n = 1 + (size_t)(rnd(&s) % CTOK__SHORT_PIECE);
        make_piece(&s, kind, buf, n);
        size_t k_want = reference(m, buf, n, want);
        for (size_t f = 0; f < N_FORMS; f++) {
            if (!forms[f].run)
                continue;
            for (size_t i = 0; i < n; i++)
                ids[i] = m->byte_id[buf[i]];
            size_t k = forms[f].merge(m, scratch.pairs, ids, ranks, n);
            CHECKF(k == k_want && !memcmp(ids, want, k_want * sizeof *want),
                   "%s: the %s merger differs from the reference on a %zu-byte piece of kind %d "
                   "(case %zu, seed %llu)", label, forms[f].name, n, kind, c,
                   (unsigned long long)seed);
        }
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
#ifdef HAVE_SSE41_FORM
    forms[N_FORMS - 2].run = __builtin_cpu_supports("sse4.1");
    forms[N_FORMS - 1].run = __builtin_cpu_supports("avx2");
    for (size_t f = N_FORMS - 2; f < N_FORMS; f++)
        if (!forms[f].run)
            printf("# this CPU has no %s: that form is not run\n", forms[f].name);
#else
    printf("# not x86-64: no SSE4.1 or AVX2 form to run\n");
#endif
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
