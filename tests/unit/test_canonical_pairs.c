/*
 * test_canonical_pairs.c - a ranks model's pair map holds exactly one split of each token, the
 * one merging can use (src/canonical_pairs.c): the two parts that tiktoken's merge loop, written
 * plainly (unit/tiktoken_merge.h: ranks from ctok_model_token_id, no pair map), leaves of the
 * token's own bytes just before its last merge.  For every token of gpt2, cl100k_base and o200k_base as
 * parsed from their rank files: those two parts merge into the token, no other split of it into
 * two tokens merges, and the map holds nothing else; the built-in encoding (its tables read from
 * the blob) answers the same.  That merging with this map gives tiktoken's ids is what
 * test_vectors, test_bpe_short, test_long_piece and test_char_tokens check.
 */
#include "bpe.h"
#include "unit/test.h"
#include "unit/tiktoken_merge.h"
#include "vocab_blob.h"

static void check_encoding(const char *name)
{
    ctok_model *m = NULL, *builtin = NULL;
    ctok_diag d;
    CHECKF(ctok__encoding_load_parsed(name, NULL, &m, &d) == CTOK_OK, "%s: %s", name, d.message);
    CHECKF(ctok_encoding_load(name, NULL, &builtin, &d) == CTOK_OK, "%s: %s", name, d.message);
    if (!m || !builtin) {
        ctok_model_free(m);
        ctok_model_free(builtin);
        return;
    }
    size_t canonical = 0, other_splits = 0;
    uint32_t parts[512];
    for (uint32_t t = 0; t < m->n_vocab && !test_failures_here; t++) {
        const uint8_t *p = m->arena + m->tok_off[t];
        size_t n = m->tok_len[t];
        if (n < 2 || m->tok_special[t])
            continue;
        CHECKF(n <= sizeof parts / sizeof parts[0], "%s: token %u has %zu bytes", name, t, n);
        size_t k = reference_until(m, p, n, parts, 2);
        uint64_t want = k == 2 ? ctok__pair_key(parts[0], parts[1]) : 0;
        if (k == 2) {
            const uint32_t *v = ctok__u64map_get(&m->pair_to_id, want);
            CHECKF(v && *v == t, "%s: token %u from %u + %u is not in the map", name, t,
                   parts[0], parts[1]);
            CHECKF(ctok__pair_merged(builtin, want) == t, "%s: built-in: token %u from %u + %u",
                   name, t, parts[0], parts[1]);
            canonical++;
        }
        for (size_t at = 1; at < n; at++) {
            uint32_t a, b;
            if (ctok_model_token_id(m, p, at, &a) != CTOK_OK ||
                ctok_model_token_id(m, p + at, n - at, &b) != CTOK_OK)
                continue;
            uint64_t key = ctok__pair_key(a, b);
            if (k == 2 && key == want)
                continue;
            other_splits++;
            CHECKF(!ctok__u64map_get(&m->pair_to_id, key),
                   "%s: token %u's split %u + %u is in the map", name, t, a, b);
            CHECKF(ctok__pair_merged(builtin, key) == CTOK__NO_ID,
                   "%s: built-in: token %u's split %u + %u merges", name, t, a, b);
        }
    }
    CHECKF(m->pair_to_id.n == canonical, "%s: %zu pairs in the map, %zu canonical", name,
           m->pair_to_id.n, canonical);
    printf("  %s: %zu pairs kept, %zu other splits left out\n", name, canonical, other_splits);
    ctok_model_free(m);
    ctok_model_free(builtin);
}

static void gpt2(void) { check_encoding("gpt2"); }
static void cl100k(void) { check_encoding("cl100k_base"); }
static void o200k(void) { check_encoding("o200k_base"); }

int main(void)
{
    RUN(gpt2);
    RUN(cl100k);
    RUN(o200k);
    TEST_EXIT();
}
