/*
 * test_unicode.c - the Unicode 16.0 tables (src/unicode.h) against hand-checked code points, the
 * property names the PCRE2 translation accepts, and the range lists it builds from them.
 */
#include "unicode.h"
#include "unit/test.h"

typedef struct cp_case {
    uint32_t cp;
    ctok__ucat cat;
    int space;
} cp_case;

/* Each from the Unicode 16.0 code charts / UnicodeData.txt, not from our own output. */
static const cp_case CASES[] = {
    {0x41, CTOK__UCAT_LU, 0},     /* A */
    {0x7A, CTOK__UCAT_LL, 0},     /* z */
    {0xE9, CTOK__UCAT_LL, 0},     /* e with acute */
    {0x1C5, CTOK__UCAT_LT, 0},    /* Dz with caron (titlecase) */
    {0x2B0, CTOK__UCAT_LM, 0},    /* modifier letter small h */
    {0xAA, CTOK__UCAT_LO, 0},     /* feminine ordinal indicator */
    {0x301, CTOK__UCAT_MN, 0},    /* combining acute accent */
    {0x903, CTOK__UCAT_MC, 0},    /* Devanagari sign visarga */
    {0x20DD, CTOK__UCAT_ME, 0},   /* combining enclosing circle */
    {0xFE0F, CTOK__UCAT_MN, 0},   /* variation selector-16 */
    {0x30, CTOK__UCAT_ND, 0},     /* 0 */
    {0x663, CTOK__UCAT_ND, 0},    /* Arabic-Indic digit three */
    {0x969, CTOK__UCAT_ND, 0},    /* Devanagari digit three */
    {0x216B, CTOK__UCAT_NL, 0},   /* Roman numeral twelve */
    {0xB2, CTOK__UCAT_NO, 0},     /* superscript two */
    {0x11F04, CTOK__UCAT_LO, 0},  /* Kawi letter A (Unicode 15.0) */
    {0x2EBF0, CTOK__UCAT_LO, 0},  /* CJK ext. I (Unicode 15.1) */
    {0x10D50, CTOK__UCAT_LU, 0},  /* Garay capital letter A (Unicode 16.0) */
    {0x10D70, CTOK__UCAT_LL, 0},  /* Garay small letter A (Unicode 16.0) */
    {0x1C89, CTOK__UCAT_LU, 0},   /* Cyrillic capital letter TJE (Unicode 16.0) */
    {0x323B0, CTOK__UCAT_CN, 0},  /* CJK ext. J: Unicode 17.0, so unassigned in 16.0 */
    {0x9, CTOK__UCAT_CC, 1},      /* tab */
    {0xA, CTOK__UCAT_CC, 1},
    {0xD, CTOK__UCAT_CC, 1},
    {0x1C, CTOK__UCAT_CC, 0},     /* file separator: Python's isspace, but not White_Space */
    {0x20, CTOK__UCAT_ZS, 1},
    {0x85, CTOK__UCAT_CC, 1},     /* next line */
    {0xA0, CTOK__UCAT_ZS, 1},     /* no-break space */
    {0x1680, CTOK__UCAT_ZS, 1},   /* Ogham space mark */
    {0x180E, CTOK__UCAT_CF, 0},   /* Mongolian vowel separator: PCRE2's \s, not White_Space */
    {0x200B, CTOK__UCAT_CF, 0},   /* zero width space: not White_Space */
    {0x200D, CTOK__UCAT_CF, 0},   /* zero width joiner */
    {0x2028, CTOK__UCAT_ZL, 1},
    {0x2029, CTOK__UCAT_ZP, 1},
    {0x202F, CTOK__UCAT_ZS, 1},
    {0x3000, CTOK__UCAT_ZS, 1},   /* ideographic space */
    {0x3005, CTOK__UCAT_LM, 0},   /* ideographic iteration mark */
    {0x4E2D, CTOK__UCAT_LO, 0},   /* CJK "middle" */
    {0x1F600, CTOK__UCAT_SO, 0},  /* grinning face */
    {0x1F3FD, CTOK__UCAT_SK, 0},  /* skin tone modifier */
    {0x20AC, CTOK__UCAT_SC, 0},   /* euro sign */
    {0x2D, CTOK__UCAT_PD, 0},     /* hyphen-minus */
    {0x27, CTOK__UCAT_PO, 0},     /* apostrophe */
    {0x378, CTOK__UCAT_CN, 0},    /* unassigned in the Greek block */
    {0xFFFF, CTOK__UCAT_CN, 0},   /* noncharacter */
    {0x10FFFF, CTOK__UCAT_CN, 0},
    {0x110000, CTOK__UCAT_CN, 0}, /* not a code point */
    {0xE000, CTOK__UCAT_CO, 0},   /* private use */
    {0xD800, CTOK__UCAT_CS, 0},   /* surrogate */
};

static void test_categories(void)
{
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        const cp_case *c = &CASES[i];
        ctok__ucat got = ctok__unicode_category(c->cp);
        CHECKF(got == c->cat, "U+%04X is %s, expected %s", (unsigned)c->cp,
               ctok__unicode_category_name(got), ctok__unicode_category_name(c->cat));
        CHECKF(ctok__unicode_is_space(c->cp) == (c->space != 0), "U+%04X White_Space",
               (unsigned)c->cp);
    }
}

static void test_predicates(void)
{
    CHECK(ctok__unicode_is_letter('A') && ctok__unicode_is_letter(0x11F04));
    CHECK(ctok__unicode_is_letter(0x2EBF0) && ctok__unicode_is_letter(0x10D50));
    CHECK(!ctok__unicode_is_letter(0x301) && ctok__unicode_is_mark(0x301));
    CHECK(ctok__unicode_is_number(0x663) && ctok__unicode_is_number(0x216B));
    CHECK(!ctok__unicode_is_number('a') && !ctok__unicode_is_letter('1'));
    CHECK(!ctok__unicode_is_letter(0x1F600) && !ctok__unicode_is_mark(0x1F600));
    CHECK(!ctok__unicode_is_letter(0x323B0));
    /* every code point: White_Space exactly the 25 listed by PropList.txt */
    size_t n_space = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++)
        n_space += ctok__unicode_is_space(cp);
    CHECKF(n_space == 25, "%zu White_Space code points", n_space);
}

static void test_property_names(void)
{
    uint64_t a, b;
    CHECK(ctok__unicode_property("L", 1, &a) && ctok__unicode_property("Letter", 6, &b) && a == b);
    CHECK(ctok__unicode_property("letter", 6, &b) && a == b);
    CHECK(ctok__unicode_property("gc=L", 4, &b) && a == b);
    CHECK(ctok__unicode_property("Uppercase_Letter", 16, &a));
    CHECK(ctok__unicode_property("uppercase letter", 16, &b) && a == b);
    CHECK(ctok__unicode_property("Lu", 2, &b) && a == b);
    CHECK(ctok__unicode_property("White_Space", 11, &a) && a == ctok__umask_space());
    CHECK(ctok__unicode_property("L&", 2, &a) && ctok__unicode_property("LC", 2, &b) && a == b);
    CHECK(!ctok__unicode_property("Greek", 5, &a));
    CHECK(!ctok__unicode_property("", 0, &a));
    CHECK(!ctok__unicode_property("Lx", 2, &a));
}

typedef struct collected {
    uint32_t lo[4096], hi[4096];
    size_t n;
    int bad; /* out of order, touching, or a surrogate */
} collected;

static void collect(void *ctx, uint32_t lo, uint32_t hi)
{
    collected *c = ctx;
    if (lo > hi || (c->n && lo <= c->hi[c->n - 1] + 1) || (lo <= 0xDFFF && hi >= 0xD800))
        c->bad++;
    if (c->n < 4096) {
        c->lo[c->n] = lo;
        c->hi[c->n] = hi;
    }
    c->n++;
}

static void test_ranges(void)
{
    static collected c;
    memset(&c, 0, sizeof c);
    ctok__unicode_ranges(ctok__umask_space(), collect, &c);
    /* 0009-000D 0020 0085 00A0 1680 2000-200A 2028-2029 202F 205F 3000 */
    static const uint32_t lo[] = {0x9, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2028, 0x202F, 0x205F,
                                  0x3000};
    static const uint32_t hi[] = {0xD, 0x20, 0x85, 0xA0, 0x1680, 0x200A, 0x2029, 0x202F, 0x205F,
                                  0x3000};
    CHECKF(c.n == 10, "%zu white space ranges", c.n);
    for (size_t i = 0; i < 10 && i < c.n; i++)
        CHECKF(c.lo[i] == lo[i] && c.hi[i] == hi[i], "range %zu is %X-%X", i, (unsigned)c.lo[i],
               (unsigned)c.hi[i]);
    CHECK(c.bad == 0);

    /* \p{L} and its complement partition everything but the surrogates, and agree with the
     * per-code-point lookup */
    uint64_t letters;
    CHECK(ctok__unicode_property("L", 1, &letters));
    static collected l, nl;
    memset(&l, 0, sizeof l);
    memset(&nl, 0, sizeof nl);
    ctok__unicode_ranges(letters, collect, &l);
    ctok__unicode_ranges(~letters & CTOK__UMASK_VALID, collect, &nl);
    CHECK(l.bad == 0 && nl.bad == 0 && l.n < 4096 && nl.n < 4096);
    uint64_t covered = 0;
    for (size_t i = 0; i < l.n && i < 4096; i++) {
        covered += l.hi[i] - l.lo[i] + 1;
        CHECK(ctok__unicode_is_letter(l.lo[i]) && ctok__unicode_is_letter(l.hi[i]));
        CHECK(l.lo[i] == 0 || !ctok__unicode_is_letter(l.lo[i] - 1));
    }
    for (size_t i = 0; i < nl.n && i < 4096; i++)
        covered += nl.hi[i] - nl.lo[i] + 1;
    CHECKF(covered == 0x110000 - 0x800, "covered %llu", (unsigned long long)covered);
    CHECK(l.n > 600); /* letters come in hundreds of ranges */

    /* the empty set lists nothing; everything is two ranges around the surrogates */
    memset(&c, 0, sizeof c);
    ctok__unicode_ranges(0, collect, &c);
    CHECK(c.n == 0);
    ctok__unicode_ranges(CTOK__UMASK_VALID, collect, &c);
    CHECK(c.n == 2 && c.lo[0] == 0 && c.hi[0] == 0xD7FF && c.lo[1] == 0xE000 &&
          c.hi[1] == 0x10FFFF);
}

int main(void)
{
    RUN(test_categories);
    RUN(test_predicates);
    RUN(test_property_names);
    RUN(test_ranges);
    TEST_EXIT();
}
