/*
 * test_utf8.c - ctok__utf8_valid_prefix (src/utf8.c: 16 bytes a step with SSE2, the scalar path
 * for the rest) against a plain reading of the Unicode Standard's Table 3-7 (well-formed UTF-8
 * byte sequences), written here without the library.
 *
 * Inputs: every one- and two-byte sequence, and every lead byte with each class of second byte,
 * at each place of a 16-byte block and across blocks (ASCII around them); then random mixes of
 * ASCII and well-formed characters of each row of the table, damaged at random (a byte changed,
 * dropped or inserted, the text cut short), at 16 alignments.  Every string sits at the end of its
 * heap block, so that ASan catches a read past it.  CTOK_SEED=N fixes the seed.
 */
#include "internal.h"

#include "unit/splitmix.h"
#include "unit/test.h"

#include <time.h>

/* Table 3-7: the first byte's range, then the ranges of the bytes after it. */
static const struct row {
    uint8_t lo[4], hi[4];
    int n;
} ROWS[] = {
    {{0x00}, {0x7F}, 1},
    {{0xC2, 0x80}, {0xDF, 0xBF}, 2},
    {{0xE0, 0xA0, 0x80}, {0xE0, 0xBF, 0xBF}, 3},
    {{0xE1, 0x80, 0x80}, {0xEC, 0xBF, 0xBF}, 3},
    {{0xED, 0x80, 0x80}, {0xED, 0x9F, 0xBF}, 3},
    {{0xEE, 0x80, 0x80}, {0xEF, 0xBF, 0xBF}, 3},
    {{0xF0, 0x90, 0x80, 0x80}, {0xF0, 0xBF, 0xBF, 0xBF}, 4},
    {{0xF1, 0x80, 0x80, 0x80}, {0xF3, 0xBF, 0xBF, 0xBF}, 4},
    {{0xF4, 0x80, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}, 4},
};
#define N_ROWS (sizeof ROWS / sizeof *ROWS)

/* The length of the well-formed sequence at s[0 .. len), or 0. */
static size_t reference_char(const uint8_t *s, size_t len)
{
    for (size_t r = 0; r < N_ROWS; r++) {
        const struct row *w = &ROWS[r];
        if (s[0] < w->lo[0] || s[0] > w->hi[0])
            continue;
        if (len < (size_t)w->n)
            return 0;
        for (int i = 1; i < w->n; i++)
            if (s[i] < w->lo[i] || s[i] > w->hi[i])
                return 0;
        return (size_t)w->n;
    }
    return 0;
}

static size_t reference_prefix(const uint8_t *s, size_t len)
{
    size_t i = 0, n;
    while (i < len && (n = reference_char(s + i, len - i)) != 0)
        i += n;
    return i;
}

/* Check text[0 .. n) copied to the end of a heap block, at offset `pad` after some ASCII. */
static void check(const uint8_t *text, size_t n, size_t pad, const char *what)
{
    uint8_t *p = malloc(pad + n + 1);
    if (!p)
        return;
    memset(p, 'a', pad);
    memcpy(p + pad, text, n);
    size_t want = reference_prefix(p, pad + n), got = ctok__utf8_valid_prefix(p, pad + n);
    CHECKF(got == want, "%s: %zu bytes after %zu of ASCII: valid prefix %zu, expected %zu", what,
           n, pad, got, want);
    free(p);
}

/* Every sequence of one or two bytes, and every lead with second bytes of each class, followed by
 * continuation bytes or ASCII, at every place of the first 40 bytes. */
static void test_utf8_short_sequences(void)
{
    uint8_t t[8];
    for (size_t pad = 0; pad < 40 && !test_failures_here; pad++) {
        for (unsigned a = 0; a < 256; a++)
            for (unsigned b = 0; b < 256; b++) {
                t[0] = (uint8_t)a, t[1] = (uint8_t)b;
                check(t, 2, pad, "two bytes");
                memcpy(t + 2, "\x80\x80\x80zz", 5);
                check(t, 7, pad, "two bytes and continuations");
            }
    }
}

/* A random well-formed character of row r at out; its length. */
static size_t random_char(uint64_t *s, size_t r, uint8_t *out)
{
    const struct row *w = &ROWS[r];
    for (int i = 0; i < w->n; i++)
        out[i] = (uint8_t)(w->lo[i] + rnd(s) % (unsigned)(w->hi[i] - w->lo[i] + 1));
    return (size_t)w->n;
}

static void test_utf8_random_text(void)
{
    const char *env = getenv("CTOK_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
    uint64_t s = seed;
    uint8_t buf[600];
    for (int c = 0; c < 200000 && !test_failures_here; c++) {
        /* mostly one script (as text is), with ASCII between */
        size_t main_row = 1 + rnd(&s) % (N_ROWS - 1), n = 0, target = rnd(&s) % 512;
        while (n < target) {
            uint64_t k = rnd(&s) % 10;
            size_t r = k < 3 ? 0 : k < 9 ? main_row : rnd(&s) % N_ROWS;
            n += random_char(&s, r, buf + n);
        }
        int damage = (int)(rnd(&s) % 5);
        if (n > 0 && damage == 1)
            buf[rnd(&s) % n] = (uint8_t)rnd(&s);
        else if (n > 0 && damage == 2) {
            size_t at = rnd(&s) % n;
            memmove(buf + at, buf + at + 1, n - at - 1);
            n--;
        } else if (damage == 3) {
            size_t at = rnd(&s) % (n + 1);
            memmove(buf + at + 1, buf + at, n - at);
            buf[at] = (uint8_t)(0x80 + rnd(&s) % 0x80);
            n++;
        } else if (n > 0 && damage == 4) {
            n -= rnd(&s) % 4 % (n + 1);
        }
        char what[64];
        snprintf(what, sizeof what, "case %d, damage %d, seed %llu", c, damage,
                 (unsigned long long)seed);
        check(buf, n, rnd(&s) % 16, what);
    }
}

int main(void)
{
    RUN(test_utf8_short_sequences);
    RUN(test_utf8_random_text);
    TEST_EXIT();
}
