/*
 * test_short_tokens.c - the table of short tokens (src/short_tokens.h) and ctok__model_token_id,
 * which asks it for pieces of up to 8 bytes and the token map for longer ones.  The reference is
 * a token map of every token of the same encoding parsed from its rank file, made here: the
 * built-in encodings (their table read from the blob) and a minbpe model (built when loaded) must
 * answer every token and random strings as it does.  Hand-made models check that the length
 * tells apart tokens whose bytes differ only by trailing NUL bytes, that of two ids with the same
 * bytes the first is the answer, and that the model's first repeated id is found among the short
 * tokens and the long ones alike.
 */
#include "unit/test.h"
#include "unit/pair_models.h"

/* ref's answer for p[0 .. n): all, a token map of all its ordinary tokens */
static uint32_t ref_id(const ctok_model *ref, const ctok__bytesmap *all, const uint8_t *p,
                       size_t n)
{
    const uint32_t *v = ctok__bytesmap_get(all, ref->arena, p, n);
    return v ? *v : CTOK__NO_ID;
}

static void check_tokens(const char *name, const ctok_model *m, const ctok_model *ref)
{
    ctok__bytesmap all;
    CHECK(ctok__token_map_build(ref, 1, &all, NULL) == CTOK_OK);
    CHECKF(all.n > ref->id_by_bytes.n, "%s: %zu tokens in all, %zu longer ones", name, all.n,
           ref->id_by_bytes.n);
    size_t wrong = 0, n_short = 0;
    for (uint32_t id = 0; id < ref->n_vocab; id++) {
        size_t len = ref->tok_len[id];
        if (!len || ref->tok_special[id])
            continue;
        const uint8_t *p = ref->arena + ref->tok_off[id];
        uint32_t want = ref_id(ref, &all, p, len);
        wrong += ctok__model_token_id(m, p, len) != want;
        n_short += len <= CTOK__SHORT_TOKEN_BYTES && want == id;
    }
    CHECKF(wrong == 0, "%s: %zu tokens answered wrong", name, wrong);
    CHECKF(m->short_tokens.slots && m->short_tokens.n == n_short, "%s: %zu short tokens, want %zu",
           name, m->short_tokens.n, n_short);
    /* random strings of 1..8 bytes from an alphabet that makes tokens often */
    static const uint8_t alphabet[] = {'e', 't', 'a', 'o', 'n', ' ', 'T', '\n', '0', 0, 0xE4};
    uint64_t s = 0x5EED0000u + m->n_vocab;
    size_t found = 0;
    wrong = 0;
    for (int i = 0; i < 200000; i++) {
        uint8_t p[8];
        size_t len = 1 + rnd(&s) % 8;
        for (size_t k = 0; k < len; k++)
            p[k] = alphabet[rnd(&s) % sizeof alphabet];
        uint32_t want = ref_id(ref, &all, p, len);
        wrong += ctok__model_token_id(m, p, len) != want;
        found += want != CTOK__NO_ID;
    }
    CHECKF(wrong == 0, "%s: %zu of 200000 random strings answered wrong", name, wrong);
    CHECKF(found > 1000 && found < 150000, "%s: %zu of the random strings are tokens", name,
           found);
    printf("  %s: %zu short tokens in 2^%u slots; %zu random strings were tokens\n", name,
           m->short_tokens.n, m->short_tokens.log2, found);
    ctok__bytesmap_free(&all, &ref->mem);
}

static void models_answer_as_their_token_maps(void) { each_pair_model(check_tokens); }

static uint32_t id_of(const ctok_model *m, const char *p, size_t n)
{
    return ctok__model_token_id(m, (const uint8_t *)p, n);
}

/* Bytes 0..255 are ids 0..255; "a\0" is 256 and "\0\0" 257, whose words equal those of "a" and
 * "\0"; "abc" is both 259 (from "ab" "c") and 261 (from "a" "bc"). */
static void nul_bytes_and_repeats(void)
{
    ctok_model *m = NULL;
    CHECK(ctok__model_new_bytes(NULL, &m) == CTOK_OK);
    if (!m)
        return;
    CHECK(ctok__model_add_merge(m, 'a', 0, 256) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 0, 0, 257) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 'a', 'b', 258) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 258, 'c', 259) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 'b', 'c', 260) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 'a', 260, 261) == CTOK_OK);
    CHECK(ctok__model_finish(m, false) == CTOK_OK);
    CHECK(id_of(m, "a", 1) == 'a');
    CHECK(id_of(m, "a\0", 2) == 256);
    CHECK(id_of(m, "\0", 1) == 0);
    CHECK(id_of(m, "\0\0", 2) == 257);
    CHECK(id_of(m, "\0\0\0", 3) == CTOK__NO_ID);
    CHECK(id_of(m, "a\0\0", 3) == CTOK__NO_ID);
    CHECK(id_of(m, "abc", 3) == 259);
    CHECK(m->first_duplicate == 261);
    CHECK(m->short_tokens.n == 256 + 5);
    ctok_model_free(m);
}

/* Nine a's are both 259 ("aaaaaaaa" "a") and 260 ("a" "aaaaaaaa"), three both 261 and 262: the
 * first repeated id is 260, a long token's, though a short token's repeat comes after it. */
static void first_repeat_among_long_tokens(void)
{
    ctok_model *m = NULL;
    CHECK(ctok__model_new_bytes(NULL, &m) == CTOK_OK);
    if (!m)
        return;
    CHECK(ctok__model_add_merge(m, 'a', 'a', 256) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 256, 256, 257) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 257, 257, 258) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 258, 'a', 259) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 'a', 258, 260) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 'a', 256, 261) == CTOK_OK);
    CHECK(ctok__model_add_merge(m, 256, 'a', 262) == CTOK_OK);
    CHECK(ctok__model_finish(m, false) == CTOK_OK);
    CHECK(id_of(m, "aaaaaaaaa", 9) == 259);
    CHECK(id_of(m, "aaaaaaaa", 8) == 258);
    CHECK(id_of(m, "aaa", 3) == 261);
    CHECK(m->first_duplicate == 260);
    CHECK(m->id_by_bytes.n == 1); /* the nine a's: the shorter tokens are in the table only */
    ctok_model_free(m);
}

int main(void)
{
    RUN(models_answer_as_their_token_maps);
    RUN(nul_bytes_and_repeats);
    RUN(first_repeat_among_long_tokens);
    TEST_EXIT();
}
