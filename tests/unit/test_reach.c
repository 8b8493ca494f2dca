/*
 * test_reach.c - for every built-in encoding, merging any token's own bytes by the ranks gives
 * that token back.
 *
 * tiktoken encodes a piece that is a token as that token, before any merging.  The encoder may
 * skip that lookup where it rarely finds a token (src/encode.c, whole_piece) only because of this
 * fact about the built-in rank files, which the models carry as merges_reach_tokens (set in
 * src/vocab_blob.c).  The rank files are pinned by their sha256; this checks the fact for every
 * one of their tokens with the merger alone (src/bpe_merge.c, no whole-token lookup), the
 * expected id being the token's rank in the file.
 */
#include "bpe.h"
#include "unit/rank_file.h"
#include "unit/test.h"

static void check_reach(const char *name)
{
    ctok_model *m = NULL;
    ctok_diag d;
    CHECKF(ctok_encoding_load(name, NULL, &m, &d) == CTOK_OK, "%s", d.message);
    if (test_failures_here)
        return;
    CHECKF(m->merges_reach_tokens, "%s: not marked", name);
    ctok__bpe_scratch s;
    memset(&s, 0, sizeof s);
    size_t tokens = 0;
    for (uint32_t id = 0; id < m->n_vocab && !test_failures_here; id++) {
        if (!m->tok_len[id] || m->tok_special[id])
            continue;
        tokens++;
        const uint32_t *ids;
        size_t k;
        int rc = ctok__bpe_encode_piece(m, &s, m->arena + m->tok_off[id], m->tok_len[id], &ids,
                                        &k);
        CHECKF(rc == CTOK_OK && k == 1 && ids[0] == id,
               "%s: token %u (%u bytes) merges to %zu tokens, the first %u", name, (unsigned)id,
               (unsigned)m->tok_len[id], k, k ? (unsigned)ids[0] : 0u);
    }
    CHECKF(tokens > 50000, "%s: only %zu tokens", name, tokens);
    ctok__bpe_scratch_free(&m->mem, &s);
    ctok_model_free(m);
}

/* r50k_base is gpt2's rank file, p50k_edit p50k_base's, o200k_harmony o200k_base's */
static void test_gpt2(void) { check_reach("gpt2"); }
static void test_p50k_base(void) { check_reach("p50k_base"); }
static void test_cl100k_base(void) { check_reach("cl100k_base"); }
static void test_o200k_base(void) { check_reach("o200k_base"); }
static void test_every_variant_marked(void)
{
    for (size_t i = 0; i < ctok_encoding_count(); i++) {
        ctok_model *m = NULL;
        ctok_diag d;
        CHECKF(ctok_encoding_load(ctok_encoding_name(i), NULL, &m, &d) == CTOK_OK, "%s",
               d.message);
        if (m)
            CHECKF(m->merges_reach_tokens, "%s: not marked", ctok_encoding_name(i));
        ctok_model_free(m);
    }
}

/* A model whose merges do not reach one token: "bc" merges first, so "abcd" merges to a, bc, d,
 * though "abcd" is a token.  On a long text whose pieces are rarely tokens, the encoder must still
 * look each piece up (tiktoken's rule): every "abcd" is the one token 259. */
static void test_lookup_kept_where_merges_fall_short(void)
{
    size_t cap = 300 * 24, n = 0;
    char *file = malloc(cap);
    CHECK(file != NULL);
    if (test_failures_here)
        return;
    const char *const merged[] = {"bc", "ab", "cd", "abcd"};
    for (int r = 0; r < 256 + 4; r++) {
        uint8_t byte = (uint8_t)r;
        const uint8_t *p = r < 256 ? &byte : (const uint8_t *)merged[r - 256];
        size_t len = r < 256 ? 1 : strlen(merged[r - 256]);
        n += rank_line(file + n, cap - n, p, len, (size_t)r);
    }
    ctok_diag d;
    ctok_model *m = rank_file_load(file, n, "reach.tiktoken", &d);
    CHECKF(m != NULL, "%s", d.message);
    free(file);
    if (test_failures_here)
        return;
    /* 200,000 words of letters e-z (no piece is a token but single letters), with a line "abcd"
     * after every 1000th from the 20,000th on */
    size_t text_cap = 200000 * 10, len = 0, planted = 0;
    uint8_t *text = malloc(text_cap);
    uint32_t *ids = malloc(text_cap * sizeof *ids);
    CHECK(text && ids);
    uint64_t r = 5;
    for (size_t w = 0; text && w < 200000; w++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        size_t wl = 3 + (r >> 33) % 5;
        text[len++] = ' ';
        for (size_t i = 0; i < wl; i++)
            text[len++] = (uint8_t)('e' + (r >> (8 + 3 * i)) % 22);
        if (w >= 20000 && w % 1000 == 0) {
            memcpy(text + len, "\nabcd\n", 6);
            len += 6;
            planted++;
        }
    }
    ctok_encoder *e = NULL;
    size_t n_ids = 0;
    if (!test_failures_here) {
        CHECK(ctok_encoder_new(m, &e) == CTOK_OK);
        CHECKF(ctok_encoder_encode(e, text, len, NULL, ids, text_cap, &n_ids, &d) == CTOK_OK,
               "%s", d.message);
    }
    size_t found = 0;
    for (size_t i = 0; i < n_ids; i++)
        found += ids[i] == 259;
    CHECKF(found == planted, "%zu of the %zu \"abcd\" pieces encoded as the token 259", found,
           planted);
    ctok_encoder_free(e);
    free(ids);
    free(text);
    ctok_model_free(m);
}

int main(void)
{
    RUN(test_gpt2);
    RUN(test_p50k_base);
    RUN(test_cl100k_base);
    RUN(test_o200k_base);
    RUN(test_every_variant_marked);
    RUN(test_lookup_kept_where_merges_fall_short);
    TEST_EXIT();
}
