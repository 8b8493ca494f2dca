/*
 * test_cut.c - ctok_model_cut is safe: at every cut it returns, encoding the two parts separately
 * gives exactly the ids of the whole text, with special tokens allowed or not, for every built-in
 * pattern, a custom pattern and a character model, on adversarial text (long white-space runs,
 * no newlines, multi-byte characters, letters next to digits or punctuation of any script, and
 * special tokens around the cut), and at every cut of a line of base64.  Seeded; CTOK_SEED
 * overrides; the seed is printed on failure.
 */
#include "ctok.h"
#include "unit/rank_file.h"
#include "unit/test.h"

static uint64_t rng;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const char *PARTS[] = {
    "\n", "\nA", "\n1", "\nabc", "\n\n", " ", "   ", "\t", "\r\n", "word", " word", "don't", "'ll",
    "HELLO", "\xe4\xb8\xad", "\xe4\xb8\xad\xe6\x96\x87", "\xd2\xa8", "123456", "!!", ".\n/",
    "<|endoftext|>", "<|endof", "text|>", "\xc2\xa0", "\xe3\x80\x80", "\xf0\x9f\x98\x80", "\xff",
    "\xe2\x82", "x", "Abc", "ſ", "                                ", "9", "a1", "Z", "12345",
    "'s", "'S", "\xcc\x81", "aB3+/", "0x1f", "\xc2\xb2", "ABCdef", "\xef\xbc\x91", "e\xcc\x81",
    " \xd0\xb4\xd0\xb0", "\xef\xbc\x8c", "\xe3\x80\x82", ",", "-", "\xe2\x80\x99", "\x01"};

static size_t gen(uint8_t *buf, size_t cap)
{
    size_t n = 0;
    while (n + 64 < cap) {
        const char *p = PARTS[rnd() % (sizeof PARTS / sizeof PARTS[0])];
        size_t k = strlen(p);
        memcpy(buf + n, p, k);
        n += k;
        if (rnd() % 50 == 0)
            break;
    }
    return n;
}

static size_t enc(const ctok_model *m, const uint8_t *t, size_t n, const ctok_encode_options *o,
                  uint32_t *ids, int *status)
{
    size_t k = 0;
    ctok_diag d;
    *status = ctok_encode(m, t, n, o, ids, n, &k, &d);
    return k;
}

static void check_model(const ctok_model *m, const char *label)
{
    static uint8_t text[4096];
    static uint32_t whole[4096], parts[4096];
    ctok_encode_options none = {{0, NULL, 0}, {0, NULL, 0}}, all = {{1, NULL, 0}, {1, NULL, 0}};
    const ctok_encode_options *opts[2] = {&none, &all};
    int cuts = 0;
    for (int round = 0; round < 3000; round++) {
        uint64_t seed = rng;
        size_t len = gen(text, sizeof text);
        if (ctok_model_get_kind(m) == CTOK_MODEL_CHAR) /* a character model: ASCII letters only */
            for (size_t i = 0; i < len; i++)
                text[i] = (uint8_t)('a' + text[i] % 26);
        size_t c = ctok_model_cut(m, text, len, (size_t)(rnd() % (len + 1)));
        if (c == 0)
            continue;
        CHECKF(c + 16 <= len, "%s: cut %zu too close to the end %zu", label, c, len);
        cuts++;
        for (int o = 0; o < 2; o++) {
            int s1, s2, s3;
            size_t n1 = enc(m, text, len, opts[o], whole, &s1);
            size_t n2 = enc(m, text, c, opts[o], parts, &s2);
            size_t n3 = enc(m, text + c, len - c, opts[o], parts + n2, &s3);
            if (s1 || s2 || s3) {
                CHECKF(s1 == s2 || s1 == s3, "%s: statuses differ (seed %llu)", label,
                       (unsigned long long)seed);
                continue;
            }
            CHECKF(n1 == n2 + n3 && memcmp(whole, parts, n1 * sizeof *whole) == 0,
                   "%s: cut at %zu of %zu changes the ids (options %d, seed %llu)", label, c, len,
                   o, (unsigned long long)seed);
        }
    }
    CHECKF(cuts > 100, "%s: only %d cuts found", label, cuts);
}

static void builtin_encodings_cut_exactly(void)
{
    const char *names[] = {"gpt2", "cl100k_base", "o200k_base"};
    for (int i = 0; i < 3; i++) {
        ctok_model *m = NULL;
        ctok_diag d;
        CHECKF(ctok_encoding_load(names[i], NULL, &m, &d) == CTOK_OK, "%s", d.message);
        if (m)
            check_model(m, names[i]);
        ctok_model_free(m);
    }
}

static void custom_pattern_cuts_exactly(void)
{
    const char *model = "minbpe v1\n \\p{L}+|\\p{N}|[^\\s\\p{L}\\p{N}]+|\\s+\n1\n<|endoftext|> 300\n"
                        "32 119\n256 111\n";
    ctok_model *m = NULL;
    ctok_diag d;
    CHECKF(ctok_model_load_memory((const uint8_t *)model, strlen(model), "custom", NULL, &m, &d) ==
               CTOK_OK, "%s", d.message);
    if (m)
        check_model(m, "custom pattern");
    ctok_model_free(m);
}

static void char_model_cuts_exactly(void)
{
    char model[512] = "ctok char v1\n26\n";
    for (int c = 'a'; c <= 'z'; c++)
        snprintf(model + strlen(model), sizeof model - strlen(model), "%d\n", c);
    ctok_model *m = NULL;
    ctok_diag d;
    CHECKF(ctok_model_load_memory((const uint8_t *)model, strlen(model), "chars", NULL, &m, &d) ==
               CTOK_OK, "%s", d.message);
    if (m)
        check_model(m, "char model");
    ctok_model_free(m);
}

/* The ids of text[0 .. c) and text[c .. len) joined (len <= 4096), against those of the whole:
 * equal? */
static int parts_equal_whole(const ctok_model *m, const uint8_t *text, size_t len, size_t c,
                             const ctok_encode_options *o)
{
    static uint32_t whole[4096], parts[4096];
    int s1, s2, s3;
    size_t n1 = enc(m, text, len, o, whole, &s1);
    size_t n2 = enc(m, text, c, o, parts, &s2);
    size_t n3 = enc(m, text + c, len - c, o, parts + n2, &s3);
    return !s1 && !s2 && !s3 && n1 == n2 + n3 && !memcmp(whole, parts, n1 * sizeof *whole);
}

/* One line of base64, no space or newline in it: the letters next to digits are places to cut,
 * so a streaming encoder need not hold the whole line.  Every cut up to the end is checked. */
static void base64_line_cuts_exactly(void)
{
    static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static uint8_t text[2048];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (uint8_t)B64[rnd() % 64];
    const char *names[] = {"gpt2", "cl100k_base", "o200k_base"};
    for (int e = 0; e < 3; e++) {
        ctok_model *m = NULL;
        ctok_diag d;
        CHECKF(ctok_encoding_load(names[e], NULL, &m, &d) == CTOK_OK, "%s", d.message);
        if (!m)
            continue;
        int cuts = 0;
        for (size_t limit = sizeof text; limit > 0; limit--) {
            size_t c = ctok_model_cut(m, text, sizeof text, limit);
            if (c == 0)
                break;
            cuts++;
            CHECKF(parts_equal_whole(m, text, sizeof text, c, NULL),
                   "%s: base64 cut at %zu changes the ids", names[e], c);
            limit = c;
        }
        CHECKF(cuts > 100, "%s: %d cuts in %zu bytes of base64", names[e], cuts, sizeof text);
        ctok_model_free(m);
    }
}

/* A basic model (no pattern) is cut only between bytes that no token holds side by side: the
 * random text, and a case checked by hand against the tokens that taylorswift-basic512's merges
 * make: they hold "in", "ne", "e ", " o" and "on" side by side, but not "li" or "e\n".  So in
 * "line one\n...", the last cut up to 7 is 1 (between "l" and "i"), and up to 8 it is 8. */
static void basic_model_cuts_exactly(void)
{
    ctok_model *m = NULL;
    ctok_diag d;
    CHECK(ctok_model_load("tests/data/minbpe/taylorswift-basic512.model", NULL, &m, &d) == CTOK_OK);
    if (!m)
        return;
    check_model(m, "basic model");
    const char *t = "line one\nline two\nline three\nline four\nline five\n";
    CHECK(ctok_model_cut(m, (const uint8_t *)t, strlen(t), 7) == 1);
    CHECK(ctok_model_cut(m, (const uint8_t *)t, strlen(t), 8) == 8);
    ctok_model_free(m);
    /* a basic model with a special token ("e ", "th", "the"): never cut inside its text */
    const char *special = "minbpe v1\n\n1\n<|endoftext|> 259\n101 32\n116 104\n257 101\n";
    m = NULL;
    CHECKF(ctok_model_load_memory((const uint8_t *)special, strlen(special), "basic special", NULL,
                                  &m, &d) == CTOK_OK, "%s", d.message);
    if (m)
        check_model(m, "basic model with a special token");
    ctok_model_free(m);
}

/* Every cut of text (NUL-terminated) for every limit keeps the ids, with options o. */
static void check_every_limit(const ctok_model *m, const char *text, const ctok_encode_options *o)
{
    const uint8_t *t = (const uint8_t *)text;
    size_t len = strlen(text);
    for (size_t limit = 0; limit <= len; limit++) {
        size_t c = ctok_model_cut(m, t, len, limit);
        CHECKF(c <= limit && (c == 0 || parts_equal_whole(m, t, len, c, o)),
               "limit %zu: cut at %zu of \"%s\" changes the ids", limit, c, text);
    }
}

/* A ranks model without a pattern encodes a text that is a token as that token, even one that
 * merging never forms (tiktoken's rule): here "abc", whose bytes alone do not merge at all.  So
 * no cut may leave a part as short as a token: "abc|zz..." would give "abc" alone its token,
 * where the whole text stays bytes; nor, with a special token, the text between it and a cut. */
static void ranks_model_without_pattern_cuts_exactly(void)
{
    char file[256 * 16 + 64];
    size_t n = 0;
    for (int b = 0; b < 256; b++) {
        uint8_t byte = (uint8_t)b;
        n += rank_line(file + n, sizeof file - n, &byte, 1, (size_t)b);
    }
    n += rank_line(file + n, sizeof file - n, (const uint8_t *)"abc", 3, 256);
    ctok_model *m = NULL;
    ctok_diag d;
    CHECKF(ctok_model_load_tiktoken_memory((const uint8_t *)file, n, "abc", NULL, NULL, 0, NULL,
                                           &m, &d) == CTOK_OK, "%s", d.message);
    if (m)
        check_every_limit(m, "abczzzzzzzzzzzzzzzzzzzzzzzzzzzzabc", NULL);
    ctok_model_free(m);
    ctok_special_token s = {{(const uint8_t *)"<|s|>", 5}, 257};
    ctok_encode_options all = {{1, NULL, 0}, {1, NULL, 0}};
    m = NULL;
    CHECKF(ctok_model_load_tiktoken_memory((const uint8_t *)file, n, "abc", NULL, &s, 1, NULL, &m,
                                           &d) == CTOK_OK, "%s", d.message);
    if (m)
        check_every_limit(m, "zzz<|s|>abczzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz<|s|>", &all);
    ctok_model_free(m);
}

int main(void)
{
    const char *env = getenv("CTOK_SEED");
    rng = env ? strtoull(env, NULL, 10) : 88172645463325252ull;
    if (!rng)
        rng = 1;
    RUN(builtin_encodings_cut_exactly);
    RUN(custom_pattern_cuts_exactly);
    RUN(char_model_cuts_exactly);
    RUN(base64_line_cuts_exactly);
    RUN(basic_model_cuts_exactly);
    RUN(ranks_model_without_pattern_cuts_exactly);
    TEST_EXIT();
}
