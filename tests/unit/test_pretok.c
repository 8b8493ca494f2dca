/*
 * test_pretok.c - the hand-written scanners (src/pretok.c) against PCRE2 with the translated
 * pattern (src/split_pcre2.c): for every built-in spelling both engines must cut every text at
 * the same places.  Texts: hand-derived cases (expected pieces worked out from the regex, not
 * from either engine), every "text" of the tests/data/vectors files, invalid UTF-8, and a million
 * seeded random strings built from the characters that matter to these patterns.
 *
 * CTOK_TEST_SEED=N repeats a random run; CTOK_TEST_SCALE=K does 1/K of the random strings (for
 * slow sanitizer builds).
 */
#include "split.h"
#include "unicode.h"
#include "unit/test.h"

#include <stdint.h>

#define MAX_SPELLINGS 8
#define MAX_PIECES 4096

static ctok_allocator MEM;
static size_t n_spellings;
static const char *spelling[MAX_SPELLINGS];
static ctok__pretok_kind spelling_kind[MAX_SPELLINGS];
/* engine 0: the scanner, engine 1: PCRE2 with the translated pattern */
static ctok__splitter *sp[MAX_SPELLINGS][2];
static ctok__split_scratch *scratch[MAX_SPELLINGS][2];

typedef struct pieces {
    size_t end[MAX_PIECES];
    size_t n;
    int rc;
} pieces;

/* Split text with spelling s and engine e; the ends of the pieces, checked to tile the text. */
static void split(size_t s, int e, const uint8_t *text, size_t len, pieces *out)
{
    ctok__split_iter it;
    ctok__split_begin(&it, sp[s][e], scratch[s][e], text, len, true);
    size_t a, b, prev = 0;
    out->n = 0;
    while ((out->rc = ctok__split_next(&it, &a, &b)) == 1) {
        if (a != prev || b <= a || b > len || out->n == MAX_PIECES) {
            out->rc = -100; /* a gap, an empty piece, or too many */
            return;
        }
        out->end[out->n++] = prev = b;
    }
    if (out->rc == 0 && prev != len)
        out->rc = -101; /* did not cover the text */
}

static void print_text(const uint8_t *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        if (t[i] >= 0x20 && t[i] < 0x7F && t[i] != '\\' && t[i] != '|')
            putchar(t[i]);
        else
            printf("\\x%02X", t[i]);
    }
}

static void print_pieces(const uint8_t *t, const pieces *p)
{
    size_t prev = 0;
    printf("(rc %d) |", p->rc);
    for (size_t i = 0; i < p->n; i++) {
        print_text(t, prev, p->end[i]);
        putchar('|');
        prev = p->end[i];
    }
    printf("\n");
}

/* Both engines on text for spelling s; true if they agree.  Prints the difference once. */
static bool agree(size_t s, const uint8_t *text, size_t len, const char *what)
{
    static pieces p[2];
    split(s, 0, text, len, &p[0]);
    split(s, 1, text, len, &p[1]);
    bool same = p[0].rc == 0 && p[1].rc == 0 && p[0].n == p[1].n &&
                !memcmp(p[0].end, p[1].end, p[0].n * sizeof *p[0].end);
    /* on valid UTF-8, the one-piece-at-a-time entry point gives the same pieces */
    if (same && ctok__utf8_valid_prefix(text, len) == len) {
        size_t pos = 0, i = 0;
        while (same && pos < len) {
            pos = ctok__pretok_next(spelling_kind[s], text, len, pos);
            same = i < p[0].n && p[0].end[i++] == pos;
        }
        same = same && i == p[0].n;
        if (!same && !test_failures_here)
            printf("FAIL %s: ctok__pretok_next differs from ctok__pretok_pieces\n", test_current);
    }
    if (!same && !test_failures_here) {
        printf("FAIL %s: %s: pattern %zu (%s) on \"", test_current, what, s, spelling[s]);
        print_text(text, 0, len);
        printf("\"\n  scanner: ");
        print_pieces(text, &p[0]);
        printf("  pcre2:   ");
        print_pieces(text, &p[1]);
    }
    if (!same)
        test_failures_here++;
    return same;
}

/* ---- hand-derived splits ---- */

enum { GPT2 = 1, CL100K = 2, CL100K_PY = 4, O200K = 8 };

typedef struct hand_case {
    int kinds; /* the patterns this split is for */
    const char *pieces[12];
} hand_case;

/* Worked out by hand from each pattern's alternatives (see pretok.h). */
static const hand_case HAND[] = {
    {GPT2 | CL100K | CL100K_PY, {"Hello", " world", "'s", " ", " end"}},
    {O200K, {"Hello", " world's", " ", " end"}},
    /* case: gpt2's contractions are lower case only; cl100k's (?i); o200k's follow a word */
    {GPT2, {"I", "'", "LL"}},
    {CL100K | CL100K_PY, {"I", "'LL"}},
    {O200K, {"I'LL"}},
    /* U+017F LONG S folds to s */
    {CL100K | CL100K_PY, {"don", "'\xC5\xBF"}},
    {GPT2, {"don", "'", "\xC5\xBF"}}, /* case-sensitive: ' is punctuation, then a letter */
    /* \s+(?!\S) leaves the last newline; \s*[\r\n]+ ends at the last newline */
    {GPT2, {"a", "\n", "\n", "b"}},
    {CL100K | CL100K_PY | O200K, {"a", "\n\n", "b"}},
    {GPT2 | CL100K | CL100K_PY | O200K, {"x", "   "}},
    {GPT2, {"12345", " 678"}},
    {CL100K | CL100K_PY | O200K, {"123", "45", " ", "678"}},
    {GPT2 | CL100K | CL100K_PY, {" !!!?"}},
    /* U+00A0 is white space but not the optional space of " ?" */
    {GPT2, {"a", "\xC2\xA0", "b"}},
    /* U+180E is not White_Space: punctuation after the space */
    {GPT2, {"a", " \xE1\xA0\x8E", "b"}},
    {CL100K | CL100K_PY, {"a", " \xE1\xA0\x8E", "b"}},
    /* trailing white space with a newline: where CL100K_PY's \s++$ differs */
    {GPT2, {"a", "\n  "}},
    {CL100K | O200K, {"a", "\n", "  "}},
    {CL100K_PY, {"a", "\n  "}},
    {CL100K | CL100K_PY | O200K, {"  \n", " ", " word"}},
    {CL100K | CL100K_PY, {"hi", "!!\n\n", "there"}},
    {CL100K | CL100K_PY | O200K, {"\tword"}},
    {CL100K | CL100K_PY | O200K, {"\n", "word"}},
    {GPT2, {"\t", "word"}},
    {CL100K | CL100K_PY | O200K, {",word"}},
    {CL100K | CL100K_PY, {"\xE2\x82\xAC", "100"}},
    {CL100K | CL100K_PY | O200K,
     {"x", "\xE3\x80\x80", "\xE3\x80\x80y"}}, /* U+3000 U+3000 y */
    /* o200k: case runs and marks */
    {O200K, {"HELLOWorld"}},
    {O200K, {"camel", "Case", "String"}},
    {O200K, {"ABC"}},
    {O200K, {"a", "/b"}},
    {O200K, {"x", "!\n/", "y"}},
    {O200K, {"e\xCC\x81"}},               /* e U+0301: the mark belongs to the word */
    {CL100K | CL100K_PY, {"e", "\xCC\x81"}}, /* ... but is not \p{L} */
    {CL100K | CL100K_PY, {"e", "\xCC\x81x"}},
    {O200K, {"\xC7\x85ungla"}},           /* U+01C5 (Lt) then lower case */
    {O200K, {" \xCC\x81"}},               /* space + mark */
    {O200K, {"\xCA\xB0\xCA\xB0", "A"}},   /* Lm Lm Lu: the star gives back to the last Lm */
    /* letters new in Unicode 15 / 16 are letters */
    {GPT2 | CL100K | CL100K_PY | O200K, {"\xF0\x91\xBC\x84\xF0\x91\xBC\x85", " \xF0\x90\xB5\x90"}},
};

static void test_hand_splits(void)
{
    for (size_t c = 0; c < sizeof HAND / sizeof *HAND; c++) {
        const hand_case *h = &HAND[c];
        uint8_t text[256];
        size_t len = 0, ends[12], n = 0;
        for (; n < 12 && h->pieces[n]; n++) {
            size_t pl = strlen(h->pieces[n]);
            memcpy(text + len, h->pieces[n], pl);
            len += pl;
            ends[n] = len;
        }
        for (size_t s = 0; s < n_spellings; s++) {
            int kind_bit = 1 << (spelling_kind[s] - 1);
            if (!(h->kinds & kind_bit))
                continue;
            for (int e = 0; e < 2; e++) {
                static pieces p;
                split(s, e, text, len, &p);
                bool ok = p.rc == 0 && p.n == n && !memcmp(p.end, ends, n * sizeof *ends);
                CHECKF(ok, "case %zu, pattern %zu, engine %s", c, s, e ? "pcre2" : "scanner");
                if (!ok && test_failures_here == 1) {
                    printf("  got ");
                    print_pieces(text, &p);
                }
            }
        }
    }
}

/* ---- invalid UTF-8 and custom patterns ---- */

static void test_invalid_utf8(void)
{
    static const char *const texts[] = {
        "a \xFF\xFE b", "\xC3\xA9\xC3", "\xFF", "  \xFF  x", "it's\x80's", "\xED\xA0\x80 x",
        "\xE2\x82 \xE2\x82\xAC", "x\xF4\x90\x80\x80y", "\n\n\xC0\xAF\n\n", "",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        for (size_t s = 0; s < n_spellings; s++)
            agree(s, (const uint8_t *)texts[i], strlen(texts[i]), "invalid UTF-8");
    /* by hand: each valid run is split alone, each invalid run is one piece */
    static pieces p;
    const char *t = "a \xFF\xFE b";
    split(2, 0, (const uint8_t *)t, strlen(t), &p);
    CHECK(p.rc == 0 && p.n == 4 && p.end[0] == 1 && p.end[1] == 2 && p.end[2] == 4 &&
          p.end[3] == 6);
}

/* Pieces of a custom pattern (PCRE2 path), dropping the gaps as minbpe's findall does. */
static int custom(const char *pattern, const char *text, char *out, size_t cap)
{
    ctok__splitter *s = NULL;
    ctok__split_scratch *sc = NULL;
    int rc = ctok__splitter_new(&MEM, (const uint8_t *)pattern, strlen(pattern), &s, NULL);
    if (!rc)
        rc = ctok__split_scratch_new(s, &sc);
    size_t n = 0, a, b;
    out[0] = 0;
    if (!rc) {
        ctok__split_iter it;
        ctok__split_begin(&it, s, sc, (const uint8_t *)text, strlen(text), false);
        while ((rc = ctok__split_next(&it, &a, &b)) == 1 && n + (b - a) + 2 < cap) {
            memcpy(out + n, text + a, b - a);
            n += b - a;
            out[n++] = '|';
            out[n] = 0;
        }
    }
    ctok__split_scratch_free(s, sc);
    ctok__splitter_free(s);
    return rc;
}

static void test_custom_patterns(void)
{
    char out[256];
    /* \s is White_Space: U+0085 yes, U+180E no */
    CHECK(custom("\\s+", "a\xE1\xA0\x8E\xC2\x85 b", out, sizeof out) == 0);
    CHECKF(!strcmp(out, "\xC2\x85 |"), "%s", out);
    CHECK(custom("\\S+", "a\xE1\xA0\x8E\xC2\x85 b", out, sizeof out) == 0);
    CHECKF(!strcmp(out, "a\xE1\xA0\x8E|b|"), "%s", out);
    /* Unicode 16 letters (PCRE2 10.42 alone knows Unicode 14) */
    CHECK(custom("\\p{L}+", "\xF0\x91\xBC\x84\xF0\x90\xB5\x90x1", out, sizeof out) == 0);
    CHECKF(!strcmp(out, "\xF0\x91\xBC\x84\xF0\x90\xB5\x90x|"), "%s", out);
    CHECK(custom("[^\\p{L}\\s]+", "ab, c\xE1\xA0\x8E!d", out, sizeof out) == 0);
    CHECKF(!strcmp(out, ",|\xE1\xA0\x8E!|"), "%s", out);
    CHECK(custom("\\P{L}+", "ab, c", out, sizeof out) == 0);
    CHECKF(!strcmp(out, ", |"), "%s", out);
    CHECK(custom("[\\p{Lu}]+|\\pN", "aBC1", out, sizeof out) == 0);
    CHECKF(!strcmp(out, "BC|1|"), "%s", out);
    CHECK(custom("[]a]+", "x]a]y", out, sizeof out) == 0);
    CHECKF(!strcmp(out, "]a]|"), "%s", out);
    CHECK(custom("[[:digit:]\\p{Lu}]+", "aB1c", out, sizeof out) == 0);
    CHECKF(!strcmp(out, "B1|"), "%s", out);
    CHECK(custom("[^\\p{Any}]|x", "ax", out, sizeof out) == 0);
    CHECKF(!strcmp(out, "x|"), "%s", out);
    CHECK(custom("[^\\p{Cs}]", "ab", out, sizeof out) == 0);
    CHECKF(!strcmp(out, "a|b|"), "%s", out);
    CHECK(custom("\\p{Greek}+", "a\xCE\xB1\xCE\xB2", out, sizeof out) == 0); /* left to PCRE2 */
    CHECKF(!strcmp(out, "\xCE\xB1\xCE\xB2|"), "%s", out);
    CHECK(custom("x$", "x\nx\n", out, sizeof out) == 0); /* $ is the end of the text only */
    CHECKF(!strcmp(out, ""), "%s", out);
    CHECK(custom("x$", "x\nx", out, sizeof out) == 0);
    CHECKF(!strcmp(out, "x|"), "%s", out);
    CHECK(custom("(?i)'s", "'S'\xC5\xBF's", out, sizeof out) == 0);
    CHECKF(!strcmp(out, "'S|'\xC5\xBF|'s|"), "%s", out);

    /* errors are reported at the offset in the pattern as written */
    ctok__splitter *s = NULL;
    ctok_diag d;
    memset(&d, 0, sizeof d);
    const char *bad = "\\p{L}+)";
    CHECK(ctok__splitter_new(&MEM, (const uint8_t *)bad, strlen(bad), &s, &d) == CTOK_EPATTERN);
    CHECKF(d.offset == 6, "offset %llu: %s", (unsigned long long)d.offset, d.message);
    CHECK(s == NULL);

    /* the translation itself */
    uint8_t *tr = NULL;
    size_t tl = 0;
    CHECK(ctok__split_translate(&MEM, (const uint8_t *)"x\\s", 3, &tr, &tl) == 0);
    const char *want = "x[\\x{9}-\\x{D}\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}"
                       "\\x{2028}-\\x{2029}\\x{202F}\\x{205F}\\x{3000}]";
    CHECKF(tr && tl == strlen(want) && !strcmp((char *)tr, want), "%s", tr ? (char *)tr : "");
    ctok__free(&MEM, tr);
}

/* Every built-in encoding's pattern and every named pattern is matched by a scanner (a pattern
 * spelled differently would silently fall back to the slower PCRE2 path). */
static void test_builtin_patterns_use_scanners(void)
{
    for (size_t i = 0; i < ctok_encoding_count(); i++) {
        ctok_encoding_info info;
        CHECK(ctok_encoding_info_get(ctok_encoding_name(i), &info) == 0);
        CHECKF(ctok__pretok_lookup((const uint8_t *)info.pattern, strlen(info.pattern)) !=
                   CTOK__PRETOK_NONE,
               "%s", info.name);
    }
    static const char *const names[] = {"gpt2", "gpt4", "cl100k", "o200k"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *p = ctok_pattern_by_name(names[i]);
        CHECKF(p && ctok__pretok_lookup((const uint8_t *)p, strlen(p)) != CTOK__PRETOK_NONE, "%s",
               names[i]);
    }
    CHECK(ctok__pretok_lookup((const uint8_t *)"\\s+", 3) == CTOK__PRETOK_NONE);
}

/* Long runs of one thing (a quadratic scanner would hang here; PCRE2 must not hit a limit):
 * both engines in lockstep, piece by piece. */
static void test_long_runs(void)
{
    static const char *const units[] = {"A", " ", "\xCC\x81", "1", "!", "\n ", "a'", "\xCA\xB0",
                                        "A\xCC\x81", " \n", "\xC2\x85", "'s"};
    size_t cap = 1 << 18;
    uint8_t *text = malloc(cap);
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
        size_t ul = strlen(units[u]), len = 0;
        while (len + ul <= cap) {
            memcpy(text + len, units[u], ul);
            len += ul;
        }
        for (size_t s = 0; s < n_spellings; s++) {
            ctok__split_iter a, b;
            ctok__split_begin(&a, sp[s][0], scratch[s][0], text, len, true);
            ctok__split_begin(&b, sp[s][1], scratch[s][1], text, len, true);
            size_t as = 0, ae = 0, bs = 0, be = 0, prev = 0;
            int ra, rb;
            for (;;) {
                ra = ctok__split_next(&a, &as, &ae);
                rb = ctok__split_next(&b, &bs, &be);
                if (ra != 1 || rb != 1 || as != prev || bs != as || ae != be)
                    break;
                prev = ae;
            }
            CHECKF(ra == 0 && rb == 0 && prev == len, "unit %zu, pattern %zu: at %zu", u, s, prev);
        }
    }
    free(text);
}

/* ---- the test vectors ---- */

static void test_vectors(void)
{
    static const char *const files[] = {
        "tests/data/vectors/gpt2.jsonl", "tests/data/vectors/p50k_base.jsonl",
        "tests/data/vectors/cl100k_base.jsonl", "tests/data/vectors/o200k_base.jsonl",
        "tests/data/vectors/special.jsonl",
    };
    size_t n_texts = 0;
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        size_t len;
        unsigned char *data = test_read_file(files[f], &len);
        CHECKF(data != NULL, "cannot read %s", files[f]);
        if (!data)
            continue;
        uint8_t *text = malloc(len + 1);
        for (size_t a = 0; a < len;) {
            size_t b = a;
            while (b < len && data[b] != '\n')
                b++;
            size_t tl;
            ctok_diag d;
            if (b > a) {
                int rc = ctok_json_text(data + a, b - a, "text", text, len + 1, &tl, &d);
                CHECKF(rc == 0, "%s: %s", files[f], d.message);
                for (size_t s = 0; rc == 0 && s < n_spellings; s++)
                    agree(s, text, tl, files[f]);
                n_texts++;
            }
            a = b + 1;
        }
        free(text);
        free(data);
    }
    CHECKF(n_texts > 1000, "only %zu texts", n_texts);
}

/* ---- random strings ---- */

static uint64_t rng_state;
static uint64_t rng(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Fragments, by family; a random string is a few of them in a row. */
static const char *const ASCII_WORDS[] = {"a", "the", "The", "HELLO", "x", "Zz", "camelCase",
                                          "ABCdef", "i", "I", "s", "re", "LL", "ve", "d"};
static const char *const DIGITS[] = {"1", "12", "123", "1234", "0", "99999"};
static const char *const PUNCT[] = {".", ",", "!", "?", "'", "\"", "/", "//", "-", "(", ")", "$",
                                    "#", "@", "_", "...", "\x7F", "\x01", "\x1C"};
static const char *const CONTRACTIONS[] = {
    "'s", "'S", "'t", "'T", "'re", "'RE", "'Re", "'rE", "'ve", "'VE", "'m", "'M", "'ll", "'LL",
    "'lL", "'d", "'D", "'\xC5\xBF", "'x", "'", "''", "'r", "'l", "'v",
};
static const char *const SPACES[] = {
    " ", " ", " ", "  ", "   ", "\n", "\r\n", "\r", "\n\n", "\t", "\v", "\f",
    "\xC2\xA0",         /* U+00A0 */
    "\xC2\x85",         /* U+0085 */
    "\xE2\x80\xA8",     /* U+2028 */
    "\xE2\x80\xA9",     /* U+2029 */
    "\xE3\x80\x80",     /* U+3000 */
    "\xE1\xA0\x8E",     /* U+180E: not White_Space */
    "\xE1\x9A\x80",     /* U+1680 */
    "\xE2\x80\x80",     /* U+2000 */
    "\xE2\x80\xAF",     /* U+202F */
    "\xE2\x80\x8B",     /* U+200B: not White_Space */
};
static const char *const OTHER_SCRIPTS[] = {
    "\xC3\xA9",                 /* é */
    "e\xCC\x81",                /* e + combining acute */
    "\xC3\x9C",                 /* Ü */
    "\xC3\x9F",                 /* ß */
    "\xC7\x85",                 /* ǅ (Lt) */
    "\xCA\xB0",                 /* ʰ (Lm) */
    "\xC2\xAA",                 /* ª (Lo) */
    "\xCC\x81", "\xCC\x88",     /* combining marks (Mn) */
    "\xE0\xA4\x83",             /* Devanagari visarga (Mc) */
    "\xE2\x83\x9D",             /* enclosing circle (Me) */
    "\xE4\xB8\xAD\xE6\x96\x87", /* 中文 */
    "\xE3\x80\x85",             /* 々 (Lm) */
    "\xD9\x83\xD8\xAA\xD8\xA8", /* كتب */
    "\xD9\xA3",                 /* Arabic-Indic 3 */
    "\xE0\xA5\xA9",             /* Devanagari 3 */
    "\xE2\x85\xAB",             /* Roman numeral 12 (Nl) */
    "\xC2\xB2", "\xC2\xBD",     /* ² ½ (No) */
    "\xCE\xA3\xCF\x83",         /* Σσ */
    "\xD0\x94\xD0\xB4",         /* Дд */
    "\xF0\x9F\x98\x80",         /* 😀 */
    "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", /* 👍🏽 */
    "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7", /* family, ZWJ */
    "\xE2\x9D\xA4\xEF\xB8\x8F", /* ❤ + VS16 */
    "\xE2\x82\xAC",             /* € */
    "\xF0\x91\xBC\x84",         /* Kawi A (Unicode 15.0) */
    "\xF0\xAE\xAF\xB0",         /* CJK ext. I (15.1) */
    "\xF0\x90\xB5\x90",         /* Garay capital A (16.0) */
    "\xF0\x90\xB5\xB0",         /* Garay small A (16.0) */
    "\xE1\xB2\x89",             /* Cyrillic capital TJE (16.0) */
    "\xF0\xB2\x8E\xB0",         /* U+323B0: Unicode 17, unassigned here */
    "\xCD\xB8",                 /* U+0378 unassigned */
    "\xEE\x80\x80",             /* private use */
    "\xEF\xBF\xBF",             /* U+FFFF */
    "\xF4\x8F\xBF\xBF",         /* U+10FFFF */
};
static const char *const INVALID[] = {"\xFF", "\xC3", "\xED\xA0\x80", "\xE2\x82", "\x80",
                                      "\xF0\x9F\x98"};

#define COUNT(a) (sizeof a / sizeof *a)

/* f after out[0 .. *len), if it fits in cap bytes. */
static bool append(uint8_t *out, size_t cap, size_t *len, const char *f)
{
    size_t fl = strlen(f);
    if (*len + fl > cap)
        return false;
    memcpy(out + *len, f, fl);
    *len += fl;
    return true;
}

/* Up to max_frag fragments, at most cap bytes. */
static size_t random_text(uint8_t *out, size_t cap, size_t max_frag)
{
    size_t len = 0, n_frag = 1 + rng() % max_frag;
    bool invalid = rng() % 32 == 0;
    for (size_t i = 0; i < n_frag; i++) {
        uint64_t r = rng();
        const char *f;
        switch (r % 8) {
        case 0: case 1: f = ASCII_WORDS[(r >> 8) % COUNT(ASCII_WORDS)]; break;
        case 2: f = DIGITS[(r >> 8) % COUNT(DIGITS)]; break;
        case 3: f = PUNCT[(r >> 8) % COUNT(PUNCT)]; break;
        case 4: f = CONTRACTIONS[(r >> 8) % COUNT(CONTRACTIONS)]; break;
        case 5: case 6: f = SPACES[(r >> 8) % COUNT(SPACES)]; break;
        default: f = OTHER_SCRIPTS[(r >> 8) % COUNT(OTHER_SCRIPTS)]; break;
        }
        if (invalid && (r >> 40) % 4 == 0)
            f = INVALID[(r >> 44) % COUNT(INVALID)];
        if (!append(out, cap, &len, f))
            break;
    }
    return len;
}

/* seed, or CTOK_TEST_SEED when it is set. */
static uint64_t test_seed(uint64_t seed)
{
    const char *env = getenv("CTOK_TEST_SEED");
    return env ? strtoull(env, NULL, 0) : seed;
}

/* count, divided by CTOK_TEST_SCALE when it is set. */
static long test_scaled(long count)
{
    const char *env = getenv("CTOK_TEST_SCALE");
    long scale = env ? atol(env) : 1;
    return count / (scale > 0 ? scale : 1);
}

/* count random strings of up to max_frag fragments (at most cap bytes), through every spelling;
 * CTOK_TEST_SEED replaces seed, CTOK_TEST_SCALE divides count. */
static void random_strings(uint64_t seed, long count, size_t cap, size_t max_frag,
                           const char *label)
{
    seed = test_seed(seed);
    count = test_scaled(count);
    rng_state = seed;
    uint8_t *text = malloc(cap);
    CHECK(text != NULL);
    for (long i = 0; i < count && !test_failures_here; i++) {
        size_t len = random_text(text, cap, max_frag);
        for (size_t s = 0; s < n_spellings; s++)
            agree(s, text, len, label);
    }
    if (test_failures_here)
        printf("  (random strings from CTOK_TEST_SEED=%llu)\n", (unsigned long long)seed);
    free(text);
}

static void test_random(void) { random_strings(20240601, 1000000, 256, 16, "random"); }

/* Longer random strings, so that runs of letters start anywhere in the scanners' 64-byte windows
 * of letter masks (src/ascii_window.h), cross from one window to the next, and end at the last
 * bytes of the text, where there is no window. */
static void test_random_long(void) { random_strings(20261129, 8000, 2048, 400, "long random"); }

/* Prose: ASCII words of mixed case with one space between them, the runs that o200k_base's
 * scanner takes many pieces of at once from the letter masks (word_run in src/pretok.c), broken
 * now and then by what ends such a run: punctuation, an apostrophe or a contraction, two spaces, a
 * newline, a digit, a non-ASCII letter or mark; up to 2048 bytes, so runs start and end anywhere
 * in the 64-byte windows and near the end of the text. */
static size_t random_prose(uint8_t *out, size_t cap)
{
    static const char *const BREAKS[] = {",", ".", " ,", " .", "'", "'s", "'S", "'ll", "  ", "\n",
                                         " \n", "7", " 42", "\xC3\xA9", "\xCC\x81", "\xD0\x94",
                                         "-", "   ", "\t", "_"};
    size_t len = 0, n_frag = 1 + rng() % 400;
    for (size_t i = 0; i < n_frag; i++) {
        uint64_t r = rng();
        const char *f = r % 10 == 0   ? BREAKS[(r >> 8) % COUNT(BREAKS)]
                        : r % 10 < 6 ? ASCII_WORDS[(r >> 8) % COUNT(ASCII_WORDS)]
                                      : " ";
        if (!append(out, cap, &len, f))
            break;
    }
    return len;
}

static void test_random_prose(void)
{
    uint64_t seed = test_seed(20261207);
    long count = test_scaled(20000);
    rng_state = seed;
    uint8_t text[2048];
    for (long i = 0; i < count && !test_failures_here; i++) {
        size_t len = random_prose(text, sizeof text);
        for (size_t s = 0; s < n_spellings; s++)
            agree(s, text, len, "prose");
    }
    if (test_failures_here)
        printf("  (random prose from CTOK_TEST_SEED=%llu)\n", (unsigned long long)seed);
}

/* ---- places to cut (split_boundary.c) ---- */

/* Whether the pieces of text[0 .. len) are those of text[0 .. c) followed by those of
 * text[c .. len), by PCRE2 (the reference, not the scanner whose rules the cut is made for). */
static bool cut_keeps_pieces(size_t s, const uint8_t *text, size_t len, size_t c)
{
    static pieces whole, left, right;
    split(s, 1, text, len, &whole);
    split(s, 1, text, c, &left);
    split(s, 1, text + c, len - c, &right);
    if (whole.rc || left.rc || right.rc || whole.n != left.n + right.n)
        return false;
    if (memcmp(whole.end, left.end, left.n * sizeof *left.end))
        return false;
    for (size_t i = 0; i < right.n; i++)
        if (whole.end[left.n + i] != c + right.end[i])
            return false;
    return true;
}

/* Every place ctok__split_fast_cut finds in random strings (each limit from the end down) leaves
 * the pieces of both sides as they were, for every built-in spelling.  The strings have letters of
 * many scripts next to marks, digits, punctuation, contractions and white space, so that a rule
 * that cut one of those wrongly fails here. */
static void test_fast_cuts_keep_pieces(void)
{
    uint64_t seed = test_seed(20261207);
    long count = test_scaled(20000);
    rng_state = seed;
    static uint8_t text[512];
    long cuts = 0;
    for (long i = 0; i < count && !test_failures_here; i++) {
        size_t len = random_text(text, sizeof text, 80);
        for (size_t limit = len; limit > 0;) {
            size_t c = ctok__split_fast_cut(text, len, limit);
            if (c == 0)
                break;
            cuts++;
            CHECKF(c <= limit && c + 16 <= len, "cut %zu for limit %zu of %zu", c, limit, len);
            for (size_t s = 0; s < n_spellings; s++)
                if (!cut_keeps_pieces(s, text, len, c)) {
                    printf("FAIL %s: pattern %zu (%s): the cut at %zu of \"", test_current, s,
                           spelling[s], c);
                    print_text(text, 0, c);
                    printf("|");
                    print_text(text, c, len);
                    printf("\" changes the pieces (CTOK_TEST_SEED=%llu)\n",
                           (unsigned long long)seed);
                    test_failures_here++;
                    break;
                }
            limit = c - 1;
        }
    }
    CHECKF(cuts > test_scaled(90000), "only %ld cuts", cuts);
}

/* The search for a cut skips over text that repeats with a short period (split_boundary.c); it
 * must still find the last place at or before the limit that the rules allow, asked place by
 * place.  Texts: random fragments around and inside runs of a unit of one to five bytes (a
 * letter, a zero byte, a space, a Chinese character, "ab", "a ", "1a", "\xCC\x81a") repeated up
 * to 3000 times, so that runs end at every offset and places to cut lie right next to them. */
static void test_fast_cut_skips_only_repeats(void)
{
    static const char *const UNITS[] = {"a", "\x00", " ", "\xE4\xB8\xAD", "ab", "a ", "1a",
                                        "\xCC\x81" "a", "ab\xC3\xA9", "!", "\n\n", "\xD0\x94",
                                        "abcde"};
    static uint8_t text[16384];
    rng_state = 20261208;
    long found = 0, asked = 0;
    for (int round = 0; round < 3000 && !test_failures_here; round++) {
        size_t len = 0;
        for (int part = 0; part < 4; part++) {
            len += random_text(text + len, 64, 8);
            const char *u = UNITS[rng() % COUNT(UNITS)];
            size_t ul = strlen(u) + (u[0] == 0), times = rng() % 3000;
            for (size_t t = 0; t < times && len + ul <= sizeof text - 128; t++, len += ul)
                memcpy(text + len, u, ul);
        }
        len += random_text(text + len, 64, 8);
        for (int k = 0; k < 8; k++) {
            size_t limit = rng() % (len + 1);
            size_t want = 0;
            for (size_t c = limit < len ? limit : len; c >= 2 && !want; c--)
                if (ctok__split_fast_cut_at(text, len, c))
                    want = c;
            size_t got = ctok__split_fast_cut(text, len, limit);
            asked++;
            found += want != 0;
            CHECKF(got == want, "round %d: limit %zu of %zu: the search gives %zu, the rules %zu",
                   round, limit, len, got, want);
        }
    }
    CHECKF(found > asked / 4 && found < asked, "%ld of %ld searches found a cut", found, asked);
}

int main(void)
{
    ctok__mem_init(&MEM, NULL);
    const char *p;
    for (n_spellings = 0; (p = ctok__pretok_spelling(n_spellings, NULL)); n_spellings++) {
        spelling[n_spellings] = p;
        ctok__pretok_spelling(n_spellings, &spelling_kind[n_spellings]);
        for (int e = 0; e < 2; e++) {
            ctok_diag d;
            int rc = ctok__splitter_new_engine(&MEM, (const uint8_t *)p, strlen(p), e == 1,
                                               &sp[n_spellings][e], &d);
            if (rc || ctok__split_scratch_new(sp[n_spellings][e], &scratch[n_spellings][e])) {
                printf("FAIL setup: pattern %zu engine %d: %s\n", n_spellings, e, d.message);
                return 1;
            }
            if (ctok__splitter_kind(sp[n_spellings][e]) !=
                (e ? CTOK__PRETOK_NONE : spelling_kind[n_spellings])) {
                printf("FAIL setup: pattern %zu engine %d not chosen\n", n_spellings, e);
                return 1;
            }
        }
    }
    RUN(test_hand_splits);
    RUN(test_invalid_utf8);
    RUN(test_custom_patterns);
    RUN(test_builtin_patterns_use_scanners);
    RUN(test_long_runs);
    RUN(test_vectors);
    RUN(test_random);
    RUN(test_random_long);
    RUN(test_random_prose);
    RUN(test_fast_cuts_keep_pieces);
    RUN(test_fast_cut_skips_only_repeats);
    for (size_t s = 0; s < n_spellings; s++)
        for (int e = 0; e < 2; e++) {
            ctok__split_scratch_free(sp[s][e], scratch[s][e]);
            ctok__splitter_free(sp[s][e]);
        }
    TEST_EXIT();
}
