/*
 * test_random.c - randomized comparison of the library (public API only) with the naive
 * reference in tests/ref/ (itself checked against minbpe by test_ref.c).
 *
 * Each case draws a small corpus from a skewed alphabet (so that ties and overlapping pairs like
 * "aaaa" are common), a vocabulary size in 256..400 and a tie rule, trains with the library
 * (fed in 1-3 pieces, cut anywhere, even inside a UTF-8 character) and with ref_train, and wants
 * identical merges; then encodes random texts with the library (ctok_encode and one reused
 * ctok_encoder) and with ref_encode and wants identical ids; then checks
 * decode(encode(x)) == x for random bytes including invalid UTF-8 and NUL.  Two more tests
 * encode with minbpe's own taylorswift 512-token models, loaded by the library.
 *
 * basic: corpora and texts are arbitrary bytes.  regex: corpora and texts are valid UTF-8 (minbpe
 * trains on str) mixing words, spaces, digits, punctuation and non-ASCII; the patterns are the
 * built-in ones (which the library may match with a hand-written scanner) and custom ones (which
 * go through its general PCRE2 path), including one with empty matches and one with gaps.
 * Custom patterns look ahead at most one character: the library splits training text as it is
 * fed and takes a piece start 16 bytes before the end of the data as final, so a pattern looking
 * further ahead can split differently when the corpus is fed in pieces (doc/design.md).
 *
 * Gaps: minbpe's findall drops text the pattern does not match, and so does training in both.
 * The library's ENCODER instead encodes such text as pieces of its own (it never drops data),
 * so encodings are compared only for texts the pattern covers completely (checked for each
 * text); patterns ending in a catch-all cover everything.
 *
 * Seeds: each test runs once with a fixed base seed and once with a time-based one, both shown
 * in the test's name ("ok random_basic seed=N").  CTOK_SEED=N reruns exactly one base seed;
 * CTOK_CASES=K multiplies the number of cases.  A failure prints the seed, the case number and
 * a shrunken (minimized) failing input.
 */
#include "ctok.h"
#include "ref/ref.h"
#include "unit/splitmix.h"
#include "unit/test.h"

#include <stdint.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#define MAX_TEXT 4096

static uint64_t base_seed;
static int case_scale = 1;

/* --- random numbers: splitmix64 (unit/splitmix.h) ------------------------------------------ */

static size_t below(uint64_t *s, size_t n) { return n ? (size_t)(rnd(s) % n) : 0; }

/* An index in [0, n) biased towards 0, so a few symbols dominate. */
static size_t skewed(uint64_t *s, size_t n)
{
    size_t a = below(s, n), b = below(s, n);
    return a < b ? a : b;
}

/* Arbitrary bytes from a small random alphabet (NUL, 0xFF, stray continuation bytes likely),
 * with runs of one byte; one string in 10 uses all 256 bytes. */
static size_t gen_bytes(uint64_t *s, uint8_t *out, size_t max)
{
    static const size_t sizes[] = {1, 2, 2, 3, 3, 4, 5, 8, 16, 256};
    static const uint8_t likely[] = {'a', 'b', 0x00, 0xFF, 0x80, 0xC3, 0xA9, 0xE2, ' ', '\n'};
    size_t k = sizes[below(s, 10)];
    uint8_t alphabet[256];
    for (size_t i = 0; i < k; i++)
        alphabet[i] = k == 256 ? (uint8_t)i : below(s, 2) ? likely[below(s, 10)] : (uint8_t)rnd(s);
    size_t len = below(s, max + 1), n = 0;
    while (n < len) {
        uint8_t c = alphabet[skewed(s, k)];
        size_t run = below(s, 4) == 0 ? 1 + below(s, 12) : 1;
        for (size_t r = 0; r < run && n < len; r++)
            out[n++] = c;
    }
    return n;
}

/* Valid UTF-8 made of pieces from a random sub-pool (so a few pieces dominate). */
static const char *const pool[] = {
    /* letters and digits only (the first POOL_WORDS) */
    "a", "b", "ab", "ba", "aa", "aaa", "the", "The", "LOL", "Ab", "XYZW", "\xC3\xA9", "\xC3\xBC",
    "\xC3\x9F", "\xCE\xA9", "\xC7\x85" /* Lt */, "\xCA\xB0" /* Lm */, "\xE4\xB8\xAD",
    "\xE6\x97\xA5\xE6\x9C\xAC", "1", "2", "12", "123", "2024", "7777777",
    "\xD9\xA1" /* Arabic 1 */, "\xC2\xB2", "\xE2\x85\xAB" /* Roman 12 */,
    /* the rest: marks, emoji, contractions, punctuation, white space */
    "e\xCC\x81" /* e + U+0301 */, "\xF0\x9F\x98\x89", "'s", "'LL", "'t", "'re", "!", "?", ".",
    "...", ",", "(", ")", "-", "/", "#", "\"", "'", "\xE2\x80\x94", "\xE2\x80\x9C", " ", " ", "  ",
    "   ", "\n", "\n\n", "\t", "\r\n", "\r", "\xC2\xA0", "\xE3\x80\x80", "\xE2\x80\xA8",
    "\xC2\x85"};
#define POOL_N (sizeof pool / sizeof pool[0])
#define POOL_WORDS 28

/* A random character from blocks with letters, marks, digits, spaces, symbols, controls (NUL
 * too), CJK, Hangul, emoji, tags and private use, as UTF-8 in out; returns its length.  Code
 * points where PCRE2 10.42 (Unicode 14, the reference) and the library (Unicode 16, tiktoken's
 * meaning) legitimately disagree are skipped: unassigned in 14 (\p{Cn}), U+180E (in PCRE2's \s,
 * not White_Space) and U+0295 (Ll in 14, Lo in 16). */
static size_t gen_char(uint64_t *s, uint8_t *out)
{
    static const uint32_t blocks[][2] = {
        {0x00, 0x20},       {0x80, 0x250},       {0x250, 0x370},     {0x370, 0x530},
        {0x530, 0x800},     {0x900, 0xE00},      {0x1680, 0x1890},   {0x2000, 0x2070},
        {0x2070, 0x2200},   {0x2200, 0x2C00},    {0x3000, 0x3100},   {0x4E00, 0x9FFF},
        {0xAC00, 0xD7A4},   {0xE000, 0xE010},    {0xFB00, 0xFFFE},   {0x10000, 0x10500},
        {0x1D400, 0x1D800}, {0x1F300, 0x1FA00},  {0xE0000, 0xE0080}, {0x10FFF0, 0x110000}};
    static pcre2_code *unstable;
    static pcre2_match_data *md;
    if (!unstable) {
        int err;
        PCRE2_SIZE off;
        unstable = pcre2_compile((PCRE2_SPTR) "^[\\p{Cn}\\x{180E}\\x{295}]$", PCRE2_ZERO_TERMINATED,
                                 PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
        md = pcre2_match_data_create(2, NULL);
    }
    for (;;) {
        const uint32_t *b = blocks[below(s, sizeof blocks / sizeof blocks[0])];
        uint32_t cp = b[0] + (uint32_t)below(s, b[1] - b[0]);
        size_t n;
        if (cp < 0x80) {
            out[0] = (uint8_t)cp, n = 1;
        } else if (cp < 0x800) {
            out[0] = (uint8_t)(0xC0 | cp >> 6), out[1] = (uint8_t)(0x80 | (cp & 0x3F)), n = 2;
        } else if (cp < 0x10000) {
            out[0] = (uint8_t)(0xE0 | cp >> 12), out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
            out[2] = (uint8_t)(0x80 | (cp & 0x3F)), n = 3;
        } else {
            out[0] = (uint8_t)(0xF0 | cp >> 18), out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
            out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F)), out[3] = (uint8_t)(0x80 | (cp & 0x3F));
            n = 4;
        }
        if ((cp < 0xD800 || cp > 0xDFFF) && pcre2_match(unstable, out, n, 0, 0, md, NULL) < 0)
            return n;
    }
}

/* Valid UTF-8 made of pieces from a random sub-pool (so a few pieces dominate), a quarter of them
 * random characters (gen_char) unless words_only. */
static size_t gen_text(uint64_t *s, uint8_t *out, size_t max, int words_only)
{
    size_t n_pool = words_only ? POOL_WORDS : POOL_N;
    size_t k = 2 + below(s, 10), piece_len[12];
    uint8_t piece[12][16];
    for (size_t i = 0; i < k; i++) {
        if (!words_only && below(s, 4) == 0) {
            piece_len[i] = gen_char(s, piece[i]);
        } else {
            const char *p = pool[below(s, n_pool)];
            piece_len[i] = strlen(p);
            memcpy(piece[i], p, piece_len[i]);
        }
    }
    size_t len = below(s, max + 1), n = 0;
    for (;;) {
        size_t i = skewed(s, k);
        if (n + piece_len[i] > len)
            return n;
        memcpy(out + n, piece[i], piece_len[i]);
        n += piece_len[i];
    }
}

/* A short unit (bytes, or UTF-8 if utf8) repeated to at most max bytes. */
static size_t gen_repeat(uint64_t *s, uint8_t *out, size_t max, int utf8)
{
    uint8_t unit[16];
    size_t n_unit = utf8 ? gen_text(s, unit, 6, 0) : gen_bytes(s, unit, 4), len = below(s, max), n;
    if (n_unit == 0)
        unit[0] = 'a', n_unit = 1;
    for (n = 0; n + n_unit <= len; n += n_unit)
        memcpy(out + n, unit, n_unit);
    return n;
}

/* --- one case ------------------------------------------------------------------------------ */

typedef struct tcase {
    const char *pattern; /* NULL: basic */
    size_t vocab;
    ref_ties ties;
    int pieces;          /* fed to the library in this many pieces */
    uint8_t corpus[MAX_TEXT];
    size_t len;
} tcase;

static char report[4096];

/* The bytes as a C string literal, shortened if long. */
static const char *show(const uint8_t *p, size_t n)
{
    static char buf[2][1400];
    static int which;
    char *o = buf[which ^= 1];
    size_t k = 0;
    o[k++] = '"';
    for (size_t i = 0; i < n && k < sizeof buf[0] - 16; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7F && p[i] != '"' && p[i] != '\\')
            o[k++] = (char)p[i];
        else
            k += (size_t)snprintf(o + k, 8, "\\x%02X", p[i]);
    }
    snprintf(o + k, 16, "\"%s (%zu)", k >= sizeof buf[0] - 16 ? "..." : "", n);
    return o;
}

/* Chunks as the reference sees them; -1 if the pattern cannot split the text. */
static int chunk(const char *pattern, const uint8_t *text, size_t len, ref_chunks *c)
{
    if (!pattern) {
        ref_chunks_basic(text, len, c);
        return 0;
    }
    return ref_chunks_regex(pattern, text, len, c);
}

/* Train with the library; NULL on error (described in report). */
static ctok_model *lib_train(const tcase *c)
{
    ctok_train_options o;
    memset(&o, 0, sizeof o);
    o.type = c->pattern ? CTOK_TRAIN_REGEX : CTOK_TRAIN_BASIC;
    o.vocab_size = c->vocab;
    o.ties = c->ties == REF_TIES_FIRST_SEEN ? CTOK_TIES_FIRST_SEEN : CTOK_TIES_SMALLEST_PAIR;
    if (c->pattern) {
        o.pattern.ptr = (const uint8_t *)c->pattern;
        o.pattern.len = strlen(c->pattern);
    }
    ctok_trainer *t = NULL;
    ctok_model *m = NULL;
    ctok_diag d;
    memset(&d, 0, sizeof d);
    int rc = ctok_trainer_new(&o, &t, &d);
    for (int i = 0; i < c->pieces && rc == 0; i++) {
        size_t from = c->len * (size_t)i / (size_t)c->pieces;
        size_t to = c->len * (size_t)(i + 1) / (size_t)c->pieces;
        rc = ctok_trainer_feed(t, c->corpus + from, to - from, &d);
    }
    if (rc == 0)
        rc = ctok_trainer_finish(t, &m, &d);
    ctok_trainer_free(t);
    if (rc != 0)
        snprintf(report, sizeof report, "training failed: %s: %s", ctok_strerror(rc), d.message);
    return rc == 0 ? m : NULL;
}

/* The library model's merges, in the reference's form. */
static size_t lib_merges(const ctok_model *m, ref_merge *out, size_t cap)
{
    size_t n = ctok_model_n_merges(m);
    for (size_t i = 0; i < n && i < cap; i++) {
        uint32_t l = 0, r = 0, id = 0;
        if (ctok_model_merge(m, i, &l, &r, &id) != 0 || id != 256 + i)
            l = r = UINT32_MAX;
        out[i].left = l;
        out[i].right = r;
    }
    return n;
}

/* 0 if library and reference train the same merges, else 1 with report filled.  With keep, the
 * library's model is handed back when they agree. */
static int train_differs_keep(const tcase *c, ctok_model **keep)
{
    ctok_model *m = lib_train(c);
    if (!m)
        return 1;
    ref_chunks chunks;
    if (chunk(c->pattern, c->corpus, c->len, &chunks) != 0) {
        snprintf(report, sizeof report, "the reference cannot split the corpus");
        ctok_model_free(m);
        return 1;
    }
    ref_merge *want, got[512];
    size_t n_want = ref_train(&chunks, c->vocab, c->ties, &want);
    size_t n_got = lib_merges(m, got, 512);
    int differs = 0;
    if (n_got != n_want || ctok_model_n_vocab(m) != 256 + n_got) {
        snprintf(report, sizeof report, "library made %zu merges (n_vocab %zu), reference %zu",
                 n_got, ctok_model_n_vocab(m), n_want);
        differs = 1;
    }
    for (size_t i = 0; i < n_got && i < n_want && !differs; i++)
        if (got[i].left != want[i].left || got[i].right != want[i].right) {
            snprintf(report, sizeof report, "merge %zu: library (%u, %u), reference (%u, %u)", i,
                     got[i].left, got[i].right, want[i].left, want[i].right);
            differs = 1;
        }
    free(want);
    ref_chunks_free(&chunks);
    if (keep && !differs)
        *keep = m;
    else
        ctok_model_free(m);
    return differs;
}

static int train_differs(const tcase *c) { return train_differs_keep(c, NULL); }

/* 0 if the library encodes text as the reference does (or the text is not fully covered by the
 * pattern: see the top of the file), else 1 with report filled. */
static int encode_differs(const ctok_model *m, ctok_encoder *enc, const char *pattern,
                          const uint8_t *text, size_t len)
{
    ref_chunks chunks;
    if (chunk(pattern, text, len, &chunks) != 0) {
        snprintf(report, sizeof report, "the reference cannot split the text");
        return 1;
    }
    size_t covered = 0;
    for (size_t i = 0; i < chunks.n; i++)
        covered += chunks.len[i];
    if (covered != len) {
        ref_chunks_free(&chunks);
        return 0;
    }
    ref_merge merges[512];
    size_t n_merges = lib_merges(m, merges, 512);
    uint32_t *want, got[MAX_TEXT], got2[MAX_TEXT];
    size_t n_want = ref_encode(merges, n_merges, &chunks, &want), n_got = 0, n_got2 = 0;
    ctok_diag d;
    memset(&d, 0, sizeof d);
    int rc = ctok_encode(m, text, len, NULL, got, ctok_encode_bound(len), &n_got, &d);
    int rc2 = enc ? ctok_encoder_encode(enc, text, len, NULL, got2, len, &n_got2, &d) : 0;
    int differs = 1;
    if (rc != 0 || rc2 != 0)
        snprintf(report, sizeof report, "encode failed: %s: %s", ctok_strerror(rc ? rc : rc2),
                 d.message);
    else if (n_got != n_want || memcmp(got, want, n_got * sizeof *got) != 0)
        snprintf(report, sizeof report, "ctok_encode gave %zu ids, the reference %zu", n_got,
                 n_want);
    else if (enc && (n_got2 != n_want || memcmp(got2, want, n_got2 * sizeof *got2) != 0))
        snprintf(report, sizeof report, "a reused encoder gave %zu ids, the reference %zu",
                 n_got2, n_want);
    else
        differs = 0;
    for (size_t i = 0; differs && rc == 0 && i < n_got && i < n_want; i++)
        if (got[i] != want[i]) {
            size_t k = strlen(report);
            snprintf(report + k, sizeof report - k, "; first difference at id %zu: %u vs %u", i,
                     got[i], want[i]);
            break;
        }
    free(want);
    ref_chunks_free(&chunks);
    return differs;
}

/* 0 if decode(encode(text)) == text with at most len ids, else 1 with report filled. */
static int roundtrip_fails(const ctok_model *m, const uint8_t *text, size_t len)
{
    uint32_t ids[MAX_TEXT];
    uint8_t back[MAX_TEXT];
    size_t n = 0, back_len = 0, need = 0;
    ctok_diag d;
    memset(&d, 0, sizeof d);
    int rc = ctok_encode(m, text, len, NULL, ids, len, &n, &d);
    if (rc == 0)
        rc = ctok_decode(m, ids, n, NULL, 0, &need, &d);
    if (rc == 0)
        rc = ctok_decode(m, ids, n, back, sizeof back, &back_len, &d);
    if (rc != 0)
        snprintf(report, sizeof report, "round trip failed: %s: %s", ctok_strerror(rc), d.message);
    else if (n > len || need != len || back_len != len || memcmp(back, text, len) != 0)
        snprintf(report, sizeof report, "round trip: %zu ids, decoded %zu (sized %zu) bytes %s", n,
                 back_len, need, show(back, back_len));
    return rc != 0 || n > len || need != len || back_len != len || memcmp(back, text, len) != 0;
}

/* --- shrinking: smaller inputs that still fail, for the report ----------------------------- */

typedef int (*fails_fn)(const tcase *c, const uint8_t *text, size_t len);

/* Remove ever smaller windows of text as long as the failure persists. */
static size_t shrink_text(const tcase *c, uint8_t *text, size_t len, fails_fn fails)
{
    uint8_t trial[MAX_TEXT];
    for (size_t w = len / 2 ? len / 2 : 1; w >= 1; w /= 2) {
        for (size_t at = 0; at + w <= len;) {
            memcpy(trial, text, at);
            memcpy(trial + at, text + at + w, len - at - w);
            if (fails(c, trial, len - w)) {
                memcpy(text, trial, len - w);
                len -= w;
            } else {
                at += w;
            }
        }
        if (w == 1)
            break;
    }
    return len;
}

/* Regex cases must stay valid UTF-8 while shrinking: minbpe cannot take anything else. */
static int splittable(const tcase *c, const uint8_t *text, size_t len)
{
    ref_chunks chunks;
    if (chunk(c->pattern, text, len, &chunks) != 0)
        return 0;
    ref_chunks_free(&chunks);
    return 1;
}

static int corpus_fails(const tcase *c, const uint8_t *text, size_t len)
{
    if (!splittable(c, text, len))
        return 0;
    tcase t = *c;
    memcpy(t.corpus, text, len);
    t.len = len;
    return train_differs(&t);
}

static void shrink_training(tcase *c)
{
    c->len = shrink_text(c, c->corpus, c->len, corpus_fails);
    for (tcase t = *c; t.vocab > 256; t.vocab--) /* the fewest merges that still fail */
        if (train_differs(&t))
            c->vocab = t.vocab;
    tcase t = *c;
    t.pieces = 1;
    if (train_differs(&t))
        c->pieces = 1;
    train_differs(c); /* leave the report for the final case */
}

static ctok_model *shrink_model; /* the model the text shrinkers encode with */

static int text_encode_fails(const tcase *c, const uint8_t *text, size_t len)
{
    return splittable(c, text, len) && encode_differs(shrink_model, NULL, c->pattern, text, len);
}

static int text_roundtrip_fails(const tcase *c, const uint8_t *text, size_t len)
{
    (void)c;
    return roundtrip_fails(shrink_model, text, len);
}

/* --- the tests ----------------------------------------------------------------------------- */

static const char *const ties_name[] = {"FIRST_SEEN", "SMALLEST_PAIR"};

/* Print the failure (the harness's FAIL line) with everything needed to reproduce it. */
static void describe(const tcase *c, int case_no, const char *what)
{
    test_failures_here++;
    printf("FAIL %s: CTOK_SEED=%llu case %d: %s\n  %s, vocab %zu, ties %s, fed in %d piece(s)\n"
           "  corpus %s\n  %s\n",
           test_current, (unsigned long long)base_seed, case_no, what,
           c->pattern ? c->pattern : "basic", c->vocab, ties_name[c->ties], c->pieces,
           show(c->corpus, c->len), report);
}

/* Run n cases with the given pattern (NULL for basic); stop at the first failure. */
static void run_cases(const char *pattern, int words_only_texts, int n)
{
    for (int k = 0; k < n * case_scale; k++) {
        uint64_t s = base_seed * 1000003u + (uint64_t)k;
        rnd(&s);
        tcase c;
        c.pattern = pattern;
        c.vocab = 256 + below(&s, 145);
        c.ties = below(&s, 2) ? REF_TIES_SMALLEST_PAIR : REF_TIES_FIRST_SEEN;
        c.pieces = 1 + (int)below(&s, 3);
        c.len = pattern ? gen_text(&s, c.corpus, 500, 0) : gen_bytes(&s, c.corpus, 400);

        ctok_model *m = NULL;
        if (train_differs_keep(&c, &m)) {
            shrink_training(&c);
            describe(&c, k, "training differs (shrunk)");
            return;
        }
        ctok_encoder *enc = NULL;
        CHECK(m && ctok_encoder_new(m, &enc) == 0);
        if (!m || !enc) {
            ctok_model_free(m);
            return;
        }
        shrink_model = m;
        uint8_t text[MAX_TEXT];
        int failed = 0;
        for (int j = 0; j < 8 && !failed; j++) {
            /* the corpus itself, texts like it, and one long repetition of a short unit (long
             * pieces with many equal pairs, as in "abababab...") */
            size_t len = j == 0   ? c.len
                         : j == 7 ? gen_repeat(&s, text, 3000, pattern != NULL)
                         : pattern ? gen_text(&s, text, 300, words_only_texts)
                                   : gen_bytes(&s, text, 300);
            if (j == 0)
                memcpy(text, c.corpus, len);
            if (encode_differs(m, enc, pattern, text, len)) {
                if (text_encode_fails(&c, text, len)) {
                    len = shrink_text(&c, text, len, text_encode_fails);
                    text_encode_fails(&c, text, len);
                    describe(&c, k, "encoding differs (text shrunk)");
                } else { /* only the reused encoder: depends on earlier texts, so no shrinking */
                    encode_differs(m, enc, pattern, text, len);
                    describe(&c, k, "only the reused encoder differs (after earlier texts)");
                }
                printf("  text %s\n", show(text, len));
                failed = 1;
            }
        }
        for (int j = 0; j < 4 && !failed; j++) {
            size_t len = gen_bytes(&s, text, 300);
            if (roundtrip_fails(m, text, len)) {
                len = shrink_text(&c, text, len, text_roundtrip_fails);
                roundtrip_fails(m, text, len);
                describe(&c, k, "decode(encode(x)) != x (x shrunk)");
                printf("  x %s\n", show(text, len));
                failed = 1;
            }
        }
        ctok_encoder_free(enc);
        ctok_model_free(m);
        if (failed)
            return;
    }
}

static void random_basic(void) { run_cases(NULL, 0, 500); }
static void random_regex_gpt2(void) { run_cases(ctok_pattern_by_name("gpt2"), 0, 150); }
static void random_regex_gpt4(void) { run_cases(ctok_pattern_by_name("gpt4"), 0, 150); }
static void random_regex_o200k(void) { run_cases(ctok_pattern_by_name("o200k"), 0, 150); }

/* custom patterns: through the library's general PCRE2 splitter (fewer cases: the library takes
 * about a millisecond to compile one, twice per case) */
static void random_regex_words(void)
{
    run_cases("[a-z]+|\\p{L}+|\\p{N}{1,2}| ?[^\\s\\p{L}\\p{N}]+|\\s+", 0, 80);
}
static void random_regex_lookahead(void)
{
    run_cases("(?i:ab|ba)|a+(?=b)|\\s+(?!\\S)|\\s|.", 0, 80);
}
/* x* matches empty everywhere: findall then retries non-empty at the same place */
static void random_regex_empty_matches(void) { run_cases("x*|\\p{L}{1,3}|[^\\p{L}]", 0, 80); }
/* gaps: spaces and punctuation are dropped in training; texts to encode are letters and digits */
static void random_regex_gaps(void) { run_cases("\\p{L}+|\\p{N}", 1, 80); }

/* Encoding with minbpe's own 512-token models (loaded by the library): slices of the training
 * text, random text, and (basic) random bytes, each compared with ref_encode. */
static void encode_with_model(const char *file, int regex, int n)
{
    ctok_model *m = NULL;
    ctok_encoder *enc = NULL;
    ctok_diag d;
    memset(&d, 0, sizeof d);
    int rc = ctok_model_load(file, NULL, &m, &d);
    CHECKF(rc == 0, "%s", d.message);
    if (rc != 0)
        return;
    CHECK(ctok_encoder_new(m, &enc) == 0);
    tcase c;
    memset(&c, 0, sizeof c);
    char pattern[1024] = "";
    ctok_bytes p = ctok_model_pattern(m);
    CHECK(regex == (p.len > 0) && p.len < sizeof pattern);
    memcpy(pattern, p.ptr, p.len < sizeof pattern ? p.len : 0);
    c.pattern = regex ? pattern : NULL;
    c.vocab = ctok_model_n_vocab(m);
    size_t corpus_len;
    uint8_t *corpus = test_read_file("tests/data/corpora/taylorswift.txt", &corpus_len);
    CHECK(corpus && corpus_len > MAX_TEXT);
    shrink_model = m;
    for (int k = 0; corpus && enc && k < n * case_scale; k++) {
        uint64_t s = base_seed * 1000003u + (uint64_t)k;
        rnd(&s);
        uint8_t text[MAX_TEXT];
        size_t len, kind = below(&s, 3);
        if (kind == 0) {
            size_t at = below(&s, corpus_len - MAX_TEXT);
            while ((corpus[at] & 0xC0) == 0x80) /* start on a character */
                at++;
            len = below(&s, MAX_TEXT - 8);
            while (at + len < corpus_len && (corpus[at + len] & 0xC0) == 0x80)
                len++;
            memcpy(text, corpus + at, len);
        } else {
            len = kind == 1 || regex ? gen_text(&s, text, 400, 0) : gen_bytes(&s, text, 400);
        }
        if (encode_differs(m, enc, c.pattern, text, len)) {
            if (text_encode_fails(&c, text, len))
                len = shrink_text(&c, text, len, text_encode_fails);
            encode_differs(m, enc, c.pattern, text, len);
            describe(&c, k, "encoding differs (text shrunk)");
            printf("  model %s\n  text %s\n", file, show(text, len));
            break;
        }
        len = gen_bytes(&s, text, 400);
        if (roundtrip_fails(m, text, len)) {
            len = shrink_text(&c, text, len, text_roundtrip_fails);
            roundtrip_fails(m, text, len);
            describe(&c, k, "decode(encode(x)) != x (x shrunk)");
            printf("  model %s\n  x %s\n", file, show(text, len));
            break;
        }
    }
    free(corpus);
    ctok_encoder_free(enc);
    ctok_model_free(m);
}

static void random_encode_minbpe_basic512(void)
{
    encode_with_model("tests/data/minbpe/taylorswift-basic512.model", 0, 300);
}

static void random_encode_minbpe_regex512(void)
{
    encode_with_model("tests/data/minbpe/taylorswift-regex512.model", 1, 300);
}

int main(void)
{
    uint64_t seeds[2] = {20240601, (uint64_t)time(NULL) % 1000000007u};
    int n_seeds = 2;
    const char *env = getenv("CTOK_SEED"), *cases = getenv("CTOK_CASES");
    if (env && *env) {
        seeds[0] = strtoull(env, NULL, 10);
        n_seeds = 1;
    }
    if (cases && atoi(cases) > 0)
        case_scale = atoi(cases);
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {{"random_basic", random_basic},
                 {"random_regex_gpt2", random_regex_gpt2},
                 {"random_regex_gpt4", random_regex_gpt4},
                 {"random_regex_o200k", random_regex_o200k},
                 {"random_regex_words", random_regex_words},
                 {"random_regex_lookahead", random_regex_lookahead},
                 {"random_regex_empty_matches", random_regex_empty_matches},
                 {"random_regex_gaps", random_regex_gaps},
                 {"random_encode_minbpe_basic512", random_encode_minbpe_basic512},
                 {"random_encode_minbpe_regex512", random_encode_minbpe_regex512}};
    char name[128];
    for (int i = 0; i < n_seeds; i++)
        for (size_t t = 0; t < sizeof tests / sizeof tests[0]; t++) {
            base_seed = seeds[i];
            snprintf(name, sizeof name, "%s seed=%llu", tests[t].name,
                     (unsigned long long)seeds[i]);
            run_test(name, tests[t].fn);
        }
    TEST_EXIT();
}
