/*
 * test_byte_pairs.c - the byte pair table (src/byte_pairs.c) answers every pair of single bytes
 * as the pair map does, for the built-in encodings (tables read from the blobs, against the pair
 * maps of the same encodings parsed from their rank files) and a minbpe model (built when it is
 * loaded); a model whose single bytes are not the ids 0..255 has none, and both kinds encode by
 * the merge rule (hand-checked ids).
 */
#include "bpe.h"
#include "unit/test.h"
#include "unit/pair_models.h"
#include "unit/rank_file.h"

/* m's table against the pair map of ref, all 65536 pairs. */
static void check_table(const char *name, const ctok_model *m, const ctok_model *ref)
{
    CHECKF(m->byte_pairs != NULL, "%s: no byte pair table", name);
    if (!m->byte_pairs)
        return;
    size_t wrong = 0, merging = 0;
    for (uint32_t left = 0; left < 256; left++)
        for (uint32_t right = 0; right < 256; right++) {
            const uint32_t *v = ctok__u64map_get(&ref->pair_to_id, ctok__pair_key(left, right));
            uint32_t want = v ? *v : CTOK__NO_ID;
            wrong += m->byte_pairs[left << 8 | right] != want;
            merging += v != NULL;
        }
    CHECKF(wrong == 0, "%s: %zu of 65536 byte pairs answered wrong", name, wrong);
    CHECKF(merging > 0, "%s: no byte pair merges", name);
    printf("  %s: %zu byte pairs merge\n", name, merging);
}

static void model_tables(void) { each_pair_model(check_table); }

/* GPT-2's first merge is "Ġ" "t" -> "Ġt", id 256 (vocab.bpe's first line, encoder.json); the
 * byte ' ' is id 220 there and 't' is id 83. */
static void gpt2_first_merge(void)
{
    ctok_model *m = NULL;
    ctok_diag d;
    CHECKF(ctok_encoding_load("gpt2", NULL, &m, &d) == CTOK_OK, "%s", d.message);
    if (!m)
        return;
    CHECK(m->byte_id[' '] == 220 && m->byte_id['t'] == 83);
    CHECK(m->byte_pairs && m->byte_pairs[220 << 8 | 83] == 256);
    ctok_model_free(m);
}

/* A rank file with "ab" and "cd" at ranks first (0, 1; the bytes after them, at 2..257) or
 * after the bytes (256, 257); the text "xabcdx" merges ab, then cd, and nothing else. */
static void encode_with(bool merges_first, const uint32_t *want)
{
    size_t cap = 300 * 32, n = 0;
    char *file = malloc(cap);
    CHECK(file != NULL);
    if (!file)
        return;
    size_t rank = 0;
    if (merges_first) {
        n += rank_line(file + n, cap - n, (const uint8_t *)"ab", 2, rank++);
        n += rank_line(file + n, cap - n, (const uint8_t *)"cd", 2, rank++);
    }
    for (int b = 0; b < 256; b++, rank++) {
        uint8_t byte = (uint8_t)b;
        n += rank_line(file + n, cap - n, &byte, 1, rank);
    }
    if (!merges_first) {
        n += rank_line(file + n, cap - n, (const uint8_t *)"ab", 2, rank++);
        n += rank_line(file + n, cap - n, (const uint8_t *)"cd", 2, rank++);
    }
    ctok_diag d;
    ctok_model *m = rank_file_load(file, n, "t.tiktoken", &d);
    CHECKF(m != NULL, "%s", d.message);
    free(file);
    if (!m)
        return;
    CHECKF((m->byte_pairs == NULL) == merges_first, "merges first: %d", merges_first);
    uint32_t ids[8];
    size_t k = 0;
    CHECK(ctok_encode(m, (const uint8_t *)"xabcdx", 6, NULL, ids, 8, &k, &d) == CTOK_OK);
    CHECKF(k == 4 && !memcmp(ids, want, sizeof *ids * 4), "merges first: %d, %zu ids", merges_first,
           k);
    ctok_model_free(m);
}

static void bytes_elsewhere_go_without(void)
{
    static const uint32_t first[] = {'x' + 2, 0, 1, 'x' + 2};   /* the bytes at 2..257 */
    static const uint32_t after[] = {'x', 256, 257, 'x'};        /* the bytes at 0..255 */
    encode_with(true, first);
    encode_with(false, after);
}

int main(void)
{
    RUN(model_tables);
    RUN(gpt2_first_merge);
    RUN(bytes_elsewhere_go_without);
    TEST_EXIT();
}
