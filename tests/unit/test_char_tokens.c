/*
 * test_char_tokens.c - merges that start from characters' tokens (src/char_tokens.c) give the
 * ids of merging the bytes: the character table's entries against the reference merger
 * (tiktoken_merge.h), random pieces of mixed scripts, invalid and overlong bytes against it, for
 * the built-in encodings and a minbpe model; and a hand-made model where a pair across a
 * character's edge ranks first, so that the character must not be taken whole after a space.
 */
#include "bpe.h"
#include "unit/test.h"
#include "unit/pair_models.h"
#include "unit/tiktoken_merge.h"

/* UTF-8 of cp (below 0x10000) into b; its length. */
static size_t utf8(uint32_t cp, uint8_t *b)
{
    if (cp < 0x80) {
        b[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (uint8_t)(0xC0 | cp >> 6);
        b[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    b[0] = (uint8_t)(0xE0 | cp >> 12);
    b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
    b[2] = (uint8_t)(0x80 | (cp & 0x3F));
    return 3;
}

/* Every entry: WHOLE exactly when the reference merges the character's bytes into one token,
 * and then that token. */
static size_t check_entries(const char *name, const ctok_model *m)
{
    CHECKF(m->char_tokens != NULL, "%s: no character table", name);
    if (!m->char_tokens)
        return 0;
    size_t wrong = 0, whole = 0;
    for (uint32_t cp = 0x80; cp < CTOK__CHAR_TOKENS; cp++) {
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        uint8_t b[3];
        uint32_t want[3];
        size_t n = utf8(cp, b), k = reference(m, b, n, want);
        uint32_t e = m->char_tokens[cp];
        bool is_whole = (e & CTOK__CHAR_WHOLE) != 0;
        wrong += is_whole != (k == 1) || (is_whole && (e & CTOK__CHAR_ID_MASK) != want[0]);
        whole += is_whole;
    }
    CHECKF(wrong == 0, "%s: %zu characters' entries disagree with the reference", name, wrong);
    CHECKF(m->char_tokens[0xD800] == 0 && m->char_tokens['a'] == 0, "%s: surrogate/ASCII", name);
    printf("  %s: %zu characters are one token\n", name, whole);
    return whole;
}

/* A random character of the scripts that merges start from, or an ASCII byte, a space, an
 * invalid or overlong sequence, or a truncated one, into b; its length (1-3). */
static size_t random_unit(uint64_t *s, uint8_t *b)
{
    static const uint32_t blocks[][2] = {
        {0x4E00, 0x9FFF}, /* CJK */ {0x3040, 0x30FF}, /* kana */ {0x0400, 0x04FF}, /* Cyrillic */
        {0x0370, 0x03FF}, /* Greek */ {0x00A0, 0x00FF}, /* Latin-1 */ {0x0600, 0x06FF},
        {0xAC00, 0xD7A3}, /* Hangul */ {0x3000, 0x303F}, /* CJK punctuation */
    };
    uint64_t r = rnd(s);
    switch (r % 16) {
    case 0:
        b[0] = (uint8_t)('a' + r / 16 % 26);
        return 1;
    case 1:
        b[0] = ' ';
        return 1;
    case 2: /* overlong forms (two or three bytes) and lone bytes */
        b[0] = (uint8_t[]){0xC0, 0xC1, 0xE0, 0x80, 0xBF, 0xFF}[r / 16 % 6];
        b[1] = (uint8_t)(0x80 | (r >> 8 & (b[0] == 0xE0 ? 0x1F : 0x3F)));
        b[2] = (uint8_t)(0x80 | (r >> 16 & 0x3F));
        return 1 + r / 512 % 3;
    case 3: { /* a character cut short */
        size_t n = utf8((uint32_t)(0x4E00 + r / 16 % 0x5200), b);
        return n - 1;
    }
    default: {
        const uint32_t *blk = blocks[r / 16 % (sizeof blocks / sizeof blocks[0])];
        return utf8(blk[0] + (uint32_t)(r >> 20) % (blk[1] - blk[0] + 1), b);
    }
    }
}

/* Random pieces of up to CTOK__CHAR_PIECE_BYTES bytes through ctok__bpe_encode_piece against the
 * reference; and, for a vocabulary with many characters as tokens (the built-ins), enough of
 * them started from characters' tokens for that to mean something. */
static void check_pieces(const char *name, const ctok_model *m, bool many_whole)
{
    ctok__bpe_scratch scratch;
    memset(&scratch, 0, sizeof scratch);
    uint64_t s = 0xC4A27u ^ strlen(name);
    uint8_t buf[CTOK__CHAR_PIECE_BYTES + 3];
    uint32_t want[CTOK__CHAR_PIECE_BYTES + 3], syms[CTOK__CHAR_PIECE_BYTES + 3];
    size_t cases = 3000, started = 0;
    for (size_t c = 0; c < cases && !test_failures_here; c++) {
        size_t limit = 1 + (size_t)(rnd(&s) % CTOK__CHAR_PIECE_BYTES), n = 0;
        while (n + 3 <= limit)
            n += random_unit(&s, buf + n);
        if (n == 0)
            continue;
        size_t k_want = reference(m, buf, n, want);
        const uint32_t *ids;
        size_t k;
        CHECK(ctok__bpe_encode_piece(m, &scratch, buf, n, &ids, &k) == CTOK_OK);
        CHECKF(k == k_want && !memcmp(ids, want, k * sizeof *ids),
               "%s: a %zu-byte piece (case %zu) differs from the reference", name, n, c);
        started += ctok__char_symbols(m, buf, n, syms) < n;
    }
    CHECKF(!many_whole || started * 2 > cases,
           "%s: only %zu of %zu pieces started from a character", name, started, cases);
    ctok__bpe_scratch_free(&m->mem, &scratch);
}

static void check_model(const char *name, const ctok_model *m, const ctok_model *ref)
{
    (void)ref; /* the reference merger needs only the tokens */
    size_t whole = check_entries(name, m);
    check_pieces(name, m, whole >= 300);
}

static void models(void) { each_pair_model(check_model); }

typedef struct hand_case {
    const char *text;
    uint32_t want[4];
    size_t k;
} hand_case;

/* Each case's text as one piece of m: its ids must be want[0 .. k). */
static void run_cases(const ctok_model *m, const hand_case *cases, size_t n_cases)
{
    ctok__bpe_scratch scratch;
    memset(&scratch, 0, sizeof scratch);
    for (size_t i = 0; i < n_cases; i++) {
        const uint32_t *ids;
        size_t k;
        size_t n = strlen(cases[i].text);
        CHECK(ctok__bpe_encode_piece(m, &scratch, (const uint8_t *)cases[i].text, n, &ids, &k) ==
              CTOK_OK);
        CHECKF(k == cases[i].k && !memcmp(ids, cases[i].want, k * sizeof *ids), "case %zu", i);
    }
    ctok__bpe_scratch_free(&m->mem, &scratch);
}

/* Bytes as ids 0..255; 256 = " \xD0" (a space and the first byte of Cyrillic a, U+0430,
 * D0 B0), 257 = "\xD0\xB0".  Merging " \xD0\xB0" joins the space first (rank 256 < 257) and
 * gives [256, 0xB0]; "\xD0\xB0" alone is [257], and so after a Cyrillic letter (no pair joins
 * "\xB1" to "\xD0").  So the entry allows U+0430 after a continuation byte, not after others. */
static void edge_pair_first(void)
{
    ctok_model *m = NULL;
    CHECK(ctok__model_new_bytes(NULL, &m) == CTOK_OK);
    if (!m)
        return;
    CHECK(ctok__model_add_merge(m, ' ', 0xD0, 256) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 0xD0, 0xB0, 257) == CTOK_OK);
    CHECK(ctok__model_finish(m, false) == CTOK_OK);
    uint32_t e = m->char_tokens ? m->char_tokens[0x430] : 0;
    CHECK((e & CTOK__CHAR_ID_MASK) == 257 && (e & CTOK__CHAR_WHOLE));
    CHECK((e & CTOK__CHAR_LEFT_OK) && !(e & CTOK__CHAR_LEFT_OK << 1));
    CHECK((e & CTOK__CHAR_RIGHT_OK) && (e & CTOK__CHAR_RIGHT_OK << 1));
    static const hand_case cases[] = {
        {" \xD0\xB0", {256, 0xB0}, 2},
        {"\xD0\xB0", {257}, 1},
        {"\xD0\xB1\xD0\xB0", {0xD0, 0xB1, 257}, 3},
        {"x\xD0\xB0 ", {'x', 257, ' '}, 3},
    };
    run_cases(m, cases, sizeof cases / sizeof cases[0]);
    ctok_model_free(m);
}

/* The mirror case: 256 = "\xB0\xD0" (the last byte of U+0430 and the first of U+0431),
 * 257 = "\xD0\xB0".  "\xD0\xB0\xD0\xB1" joins across the edge first: [0xD0, 256, 0xB1];
 * before anything but a lead byte, and after anything but a continuation byte, U+0430 is
 * whole. */
static void edge_pair_first_right(void)
{
    ctok_model *m = NULL;
    CHECK(ctok__model_new_bytes(NULL, &m) == CTOK_OK);
    if (!m)
        return;
    CHECK(ctok__model_add_merge(m, 0xB0, 0xD0, 256) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 0xD0, 0xB0, 257) == CTOK_OK);
    CHECK(ctok__model_finish(m, false) == CTOK_OK);
    uint32_t e = m->char_tokens ? m->char_tokens[0x430] : 0;
    CHECK((e & CTOK__CHAR_ID_MASK) == 257 && (e & CTOK__CHAR_WHOLE));
    CHECK(!(e & CTOK__CHAR_RIGHT_OK) && (e & CTOK__CHAR_RIGHT_OK << 1));
    /* and "\xB0\xD0" joins a continuation byte to its first byte: not after one either */
    CHECK(!(e & CTOK__CHAR_LEFT_OK) && (e & CTOK__CHAR_LEFT_OK << 1));
    static const hand_case cases[] = {
        {"\xD0\xB0\xD0\xB1", {0xD0, 256, 0xB1}, 3},
        {"\xD0\xB0x", {257, 'x'}, 2},
        {" \xD0\xB0", {' ', 257}, 2},
    };
    run_cases(m, cases, sizeof cases / sizeof cases[0]);
    ctok_model_free(m);
}

int main(void)
{
    RUN(models);
    RUN(edge_pair_first);
    RUN(edge_pair_first_right);
    TEST_EXIT();
}
