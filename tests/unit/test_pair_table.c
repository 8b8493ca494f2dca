/*
 * test_pair_table.c - the packed pair table (src/pair_table.h) answers exactly as the pair map
 * does: every pair of the map with its merged id, every other pair "does not merge", for the
 * built-in encodings (tables read from the blobs, against the maps of the same encodings parsed
 * from their rank files) and a minbpe model (table built when it is loaded), and the lookup the
 * merger makes (ctok__pair_merged) agrees.  It is at most 90% full, holds as many pairs as the
 * map, and is not built when an id does not fit in its 21 bits.
 */
#include "bpe.h"
#include "unit/splitmix.h"
#include "unit/test.h"
#include "unit/pair_models.h"

static void sizes_follow_the_pairs(void)
{
    /* the least power of two with room for n pairs and one empty word at 90% */
    CHECK(ctok__pair_table_log2(0) == 1); /* 2 words: 90% of 2 is 1.8 */
    CHECK(ctok__pair_table_log2(13) == 4); /* 16 words: 14.4 */
    CHECK(ctok__pair_table_log2(14) == 5);
    CHECK(ctok__pair_table_log2(446189) == 19); /* 4 MiB (471,859.2 at 90%) */
    CHECK(ctok__pair_table_log2(199742) == 18); /* o200k_base: 2 MiB (235,929.6 at 90%) */
    for (size_t n = 0; n < 100000; n += 997) {
        unsigned l = ctok__pair_table_log2(n);
        size_t words = (size_t)1 << l;
        CHECKF(words * 9 / 10 >= n + 1 && (l == 0 || words / 2 * 9 / 10 < n + 1),
               "%zu pairs: 2^%u words", n, l);
    }
}

/* m's table against ref's map: the same pairs and ids, and random pairs not in the map. */
static void check_table(const char *name, const ctok_model *m, const ctok_model *ref)
{
    const ctok__u64map *map = &ref->pair_to_id;
    const ctok__pair_table *t = &m->pair_table;
    CHECKF(t->words != NULL, "%s: no table", name);
    if (!t->words)
        return;
    CHECKF(t->log2 == ctok__pair_table_log2(map->n), "%s: size", name);
    size_t used = 0;
    for (size_t i = 0; i < (size_t)1 << t->log2; i++)
        used += t->words[i] != 0;
    CHECKF(used == map->n, "%s: %zu words for %zu pairs", name, used, map->n);
    size_t wrong = 0;
    for (size_t i = 0; i < map->cap; i++) {
        if (!map->tags[i])
            continue;
        uint64_t key = map->slots[i].key;
        uint32_t want = map->slots[i].val;
        wrong += ctok__pair_table_get(t, key, ctok__pair_filter_hash(key)) != want ||
                 ctok__pair_merged(m, key) != want;
    }
    CHECKF(wrong == 0, "%s: %zu of %zu pairs answered wrong", name, wrong, map->n);
    uint64_t s = 5;
    size_t asked = 100000;
    wrong = 0;
    for (size_t i = 0; i < asked; i++) {
        uint64_t key = random_non_pair(ref, &s);
        wrong += ctok__pair_table_get(t, key, ctok__pair_filter_hash(key)) != CTOK__NO_ID ||
                 ctok__pair_merged(m, key) != CTOK__NO_ID;
    }
    CHECKF(wrong == 0, "%s: %zu of %zu pairs that do not merge were found", name, wrong, asked);
}

static void model_tables(void) { each_pair_model(check_table); }

/* A pair with an id of 2^21 leaves the table unbuilt (the map answers); one below builds it. */
static void ids_past_21_bits(void)
{
    ctok_allocator mem;
    ctok__mem_init(&mem, NULL);
    static const uint32_t too_big[][3] = {
        {1u << 21, 5, 7}, {5, 1u << 21, 7}, {5, 7, 1u << 21}, {(1u << 21) - 1, 5, 7}};
    for (size_t c = 0; c < sizeof too_big / sizeof too_big[0]; c++) {
        ctok__u64map map;
        CHECK(ctok__u64map_init(&map, &mem, 4) == CTOK_OK);
        uint32_t *slot;
        bool found;
        CHECK(ctok__u64map_put(&map, &mem, ctok__pair_key(1, 2), &slot, &found) == CTOK_OK);
        *slot = 3;
        CHECK(ctok__u64map_put(&map, &mem, ctok__pair_key(too_big[c][0], too_big[c][1]), &slot,
                               &found) == CTOK_OK);
        *slot = too_big[c][2];
        ctok__pair_table t;
        CHECK(ctok__pair_table_build(&t, &mem, &map) == CTOK_OK);
        bool fits = c == 3;
        CHECKF((t.words != NULL) == fits, "case %zu", c);
        if (t.words) {
            uint64_t key = ctok__pair_key(too_big[c][0], too_big[c][1]);
            CHECK(ctok__pair_table_get(&t, key, ctok__pair_filter_hash(key)) == too_big[c][2]);
        }
        ctok__pair_table_free(&t, &mem);
        ctok__u64map_free(&map, &mem);
    }
}

int main(void)
{
    RUN(sizes_follow_the_pairs);
    RUN(model_tables);
    RUN(ids_past_21_bits);
    TEST_EXIT();
}
