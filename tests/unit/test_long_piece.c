/*
 * test_long_piece.c - long pieces (longer than one merge window) give exactly tiktoken's ids.
 *
 * The library merges a long piece window by window and checks the seams (src/bpe_long.c).  The
 * reference is tiktoken's own algorithm written plainly against the public API
 * (tiktoken_merge.h).
 *
 * Texts are built so that each is one piece under every built-in pattern: runs of lowercase
 * letters (one letter, a few letters, a repeated word, random words glued together), a run of
 * one punctuation character, a run of spaces at the end of the text, and (gpt2's ` ?\p{N}+`)
 * digits.  Lengths straddle the large window (256 bytes) and its multiples; a piece longer than
 * that goes through small windows (32 bytes) and, for runs of spaces and of one letter, large ones
 * again.  CTOK_SEED=N fixes the seed.
 */
#include "ctok.h"
#include "unit/splitmix.h"
#include "unit/test.h"
#include "unit/tiktoken_merge.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

static uint64_t seed;

enum { KINDS = 7 };

/* Text number `kind` of length n into buf (n bytes). */
static void make_text(uint64_t *s, int kind, uint8_t *buf, size_t n)
{
    static const char *words[] = {"the", "hello", "abc", "zz", "q", "onion", "banana", "x"};
    switch (kind) {
    case 0: { /* one letter */
        uint8_t c = (uint8_t)('a' + rnd(s) % 26);
        memset(buf, c, n);
        break;
    }
    case 1: /* two or three letters at random */
    case 2: {
        int k = kind + 1;
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)('a' + rnd(s) % k);
        break;
    }
    case 3: /* all 26 letters at random */
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)('a' + rnd(s) % 26);
        break;
    case 4: { /* a word repeated, or random words glued */
        bool one = rnd(s) % 2;
        const char *w = words[rnd(s) % 8];
        for (size_t i = 0; i < n;) {
            if (!one)
                w = words[rnd(s) % 8];
            for (size_t j = 0; w[j] && i < n; j++)
                buf[i++] = (uint8_t)w[j];
        }
        break;
    }
    case 5: { /* one punctuation character */
        static const char punct[] = "=-*#.!~_";
        memset(buf, punct[rnd(s) % 8], n);
        break;
    }
    default: /* spaces (a piece at the end of the text) */
        memset(buf, ' ', n);
        break;
    }
}

static void check_encoding(const char *name, size_t cases)
{
    ctok_model *m;
    ctok_diag diag;
    CHECKF(ctok_encoding_load(name, NULL, &m, &diag) == CTOK_OK, "%s", diag.message);
    if (test_failures_here)
        return;
    uint64_t s = seed ^ (uint64_t)strlen(name) * 0x51ED27ull;
    static const size_t edges[] = {65, 255, 256, 257, 300, 511, 512, 513, 769, 1024, 3000};
    size_t max_n = 3000;
    uint8_t *buf = malloc(max_n);
    uint32_t *want = malloc(max_n * sizeof *want), *got = malloc(max_n * sizeof *got);
    for (size_t c = 0; c < cases && !test_failures_here; c++) {
        int kind = (int)(c % KINDS);
        size_t n = c < 2 * KINDS * 11 ? edges[(c / KINDS) % 11] : 65 + rnd(&s) % (max_n - 65);
        make_text(&s, kind, buf, n);
        size_t nw = reference(m, buf, n, want), ng = 0;
        int rc = ctok_encode(m, buf, n, NULL, got, max_n, &ng, &diag);
        CHECKF(rc == CTOK_OK && ng == nw && !memcmp(got, want, nw * sizeof *want),
               "%s seed=%llu case %zu kind %d length %zu: %zu ids, want %zu (first byte '%c')",
               name, (unsigned long long)seed, c, kind, n, ng, nw, buf[0]);
    }
    free(buf);
    free(want);
    free(got);
    ctok_model_free(m);
}

/* gpt2's ` ?\p{N}+` keeps a run of digits whole: random digits, one repeated digit. */
static void digits_gpt2(void)
{
    ctok_model *m;
    ctok_diag diag;
    CHECKF(ctok_encoding_load("gpt2", NULL, &m, &diag) == CTOK_OK, "%s", diag.message);
    if (test_failures_here)
        return;
    uint64_t s = seed + 7;
    uint8_t buf[2000];
    uint32_t want[2000], got[2000];
    for (int c = 0; c < 40 && !test_failures_here; c++) {
        size_t n = 65 + rnd(&s) % (sizeof buf - 65);
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)('0' + (c % 2 ? rnd(&s) % 10 : (uint64_t)c % 10));
        size_t nw = reference(m, buf, n, want), ng = 0;
        int rc = ctok_encode(m, buf, n, NULL, got, 2000, &ng, &diag);
        CHECKF(rc == CTOK_OK && ng == nw && !memcmp(got, want, nw * sizeof *want),
               "seed=%llu case %d length %zu", (unsigned long long)seed, c, n);
    }
    ctok_model_free(m);
}

static void long_r50k(void) { check_encoding("r50k_base", 140); }
static void long_p50k(void) { check_encoding("p50k_base", 140); }
static void long_cl100k(void) { check_encoding("cl100k_base", 140); }
static void long_o200k(void) { check_encoding("o200k_base", 140); }

/* A megabyte of one letter: the ids are the reference's for one window-aligned period, repeated;
 * checked by decoding (nothing lost) and by comparing each id with the reference's ids of the
 * same piece cut short, which agree on everything but the tail. */
static void megabyte_of_one_letter(void)
{
    ctok_model *m;
    ctok_diag diag;
    CHECKF(ctok_encoding_load("cl100k_base", NULL, &m, &diag) == CTOK_OK, "%s", diag.message);
    if (test_failures_here)
        return;
    size_t n = 1 << 20, short_n = 2000;
    uint8_t *text = malloc(n), *back = malloc(n);
    uint32_t *ids = malloc(n * sizeof *ids), want[2000];
    memset(text, 'a', n);
    size_t k = 0, len = 0;
    CHECK(ctok_encode(m, text, n, NULL, ids, n, &k, &diag) == CTOK_OK);
    CHECK(ctok_decode(m, ids, k, back, n, &len, &diag) == CTOK_OK && len == n &&
          !memcmp(back, text, n));
    size_t nw = reference(m, text, short_n, want);
    for (size_t i = 0; i + 2 < nw && i < k; i++)
        CHECKF(ids[i] == want[i], "id %zu: %u, want %u", i, ids[i], want[i]);
    free(text);
    free(back);
    free(ids);
    ctok_model_free(m);
}

int main(void)
{
    const char *env = getenv("CTOK_SEED");
    seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
    printf("# seed %llu\n", (unsigned long long)seed);
    RUN(long_r50k);
    RUN(long_p50k);
    RUN(long_cl100k);
    RUN(long_o200k);
    RUN(digits_gpt2);
    RUN(megabyte_of_one_letter);
    TEST_EXIT();
}
