/*
 * test_pair_filter.c - the pair filter (src/pair_filter.h) lets every pair of the pair map
 * through, and stops most pairs that are not in it, for the built-in encodings (filters read from
 * the blobs, against the maps of the same encodings parsed from their rank files) and for a minbpe
 * model (filter built when it is loaded); its size follows the number of pairs.  It prints the
 * share of pairs that do not merge but pass ("# ..." lines).
 */
#include "bpe.h"
#include "unit/splitmix.h"
#include "unit/test.h"
#include "unit/pair_models.h"

/* Let through more than this share of pairs that do not merge and the filter saves little: about
 * 3% is what three bits in a word at 8 pairs a word give. */
#define MAX_FALSE_SHARE 0.10

static void sizes_follow_the_pairs(void)
{
    /* at most 8 pairs a word, in a power of two of words */
    CHECK(ctok__pair_filter_log2_words(0) == 0);
    CHECK(ctok__pair_filter_log2_words(8) == 0);
    CHECK(ctok__pair_filter_log2_words(9) == 1);
    CHECK(ctok__pair_filter_log2_words(16) == 1);
    CHECK(ctok__pair_filter_log2_words(17) == 2);
    CHECK(ctok__pair_filter_log2_words(446189) == 16); /* 55,774 words wanted */
    CHECK(ctok__pair_filter_log2_words(199742) == 15); /* o200k_base: 24,968 words wanted */
    CHECK(ctok__pair_filter_log2_words(524288) == 16);
    CHECK(ctok__pair_filter_log2_words(524289) == 17);
}

/* Every pair of ref's map passes m's filter; of random id pairs not in the map, at most
 * MAX_FALSE_SHARE. */
static void check_filter(const char *name, const ctok_model *m, const ctok_model *ref)
{
    const ctok__u64map *map = &ref->pair_to_id;
    CHECKF(m->pair_filter.words != NULL, "%s: no filter", name);
    if (!m->pair_filter.words)
        return;
    CHECKF(m->pair_filter.log2_words == ctok__pair_filter_log2_words(map->n), "%s: size", name);
    size_t stopped = 0;
    for (size_t i = 0; i < map->cap; i++)
        if (map->tags[i] && !ctok__pair_filter_may(&m->pair_filter, map->slots[i].key))
            stopped++;
    CHECKF(stopped == 0, "%s: %zu of %zu pairs that merge were stopped", name, stopped, map->n);
    uint64_t s = 11;
    size_t asked = 200000, passed = 0;
    for (size_t i = 0; i < asked; i++)
        passed += ctok__pair_filter_may(&m->pair_filter, random_non_pair(ref, &s));
    printf("# %s: %.1f%% of %zu random pairs that do not merge passed\n", name,
           100.0 * (double)passed / (double)asked, asked);
    CHECKF((double)passed / (double)asked <= MAX_FALSE_SHARE,
           "%s: %zu of %zu pairs that do not merge passed", name, passed, asked);
}

/* The minbpe model has 256 pairs (512 - 256 merges); then the filter's checks. */
static void check_model(const char *name, const ctok_model *m, const ctok_model *ref)
{
    if (!strcmp(name, PAIR_MODELS_MINBPE))
        CHECKF(m->pair_to_id.n == 256, "%zu pairs", m->pair_to_id.n);
    check_filter(name, m, ref);
}

static void model_filters(void) { each_pair_model(check_model); }

int main(void)
{
    RUN(sizes_follow_the_pairs);
    RUN(model_filters);
    TEST_EXIT();
}
