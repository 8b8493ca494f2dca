/*
 * test_pair_cache.c - the merger's pair cache (src/bpe.h) answers as the pair map does.
 *
 * A model of the 256 bytes and 3000 merges of random pairs of its tokens: every merge is asked
 * for twice (the second answer comes from the cache, or from the map again when a later pair took
 * the slot), and so are pairs that do not merge, in a random order over several passes.  Once
 * with merges making the ids 256, 257, ... (which the cache holds), once with ids from 2^21 + 7 on,
 * which do not fit its 21-bit fields: that model must bypass the cache, or the ids come back cut.
 * The two-pair lookup (ctok__cached_rank2) is asked the same pairs, each with another random pair
 * or with itself (both lookups in one slot), and must give what the map says for both.
 */
#include "bpe.h"
#include "unit/splitmix.h"
#include "unit/test.h"

#define N_MERGES 3000

typedef struct merge {
    uint32_t left, right, result;
} merge;

/* A model whose merge i joins two random earlier tokens into id first_id + i; the merges in
 * out[0 .. N_MERGES). */
static ctok_model *make_model(uint32_t first_id, merge *out)
{
    ctok_model *m;
    if (ctok__model_new_bytes(NULL, &m) != CTOK_OK)
        return NULL;
    uint64_t s = 7;
    uint32_t ids[256 + N_MERGES];
    for (uint32_t b = 0; b < 256; b++)
        ids[b] = b;
    for (size_t i = 0; i < N_MERGES; i++) {
        merge *g = &out[i];
        bool fresh;
        do { /* a pair not merged before */
            g->left = ids[rnd(&s) % (256 + i)];
            g->right = ids[rnd(&s) % (256 + i)];
            fresh = true;
            for (size_t j = 0; j < i && fresh; j++)
                fresh = out[j].left != g->left || out[j].right != g->right;
        } while (!fresh);
        g->result = first_id + (uint32_t)i;
        ids[256 + i] = g->result;
        if (ctok__model_add_merge(m, g->left, g->right, g->result) != CTOK_OK) {
            ctok_model_free(m);
            return NULL;
        }
    }
    if (ctok__model_finish(m, false) != CTOK_OK) {
        ctok_model_free(m);
        return NULL;
    }
    return m;
}

/* The map's answer for (left, right). */
static uint32_t map_answer(const ctok_model *m, uint32_t left, uint32_t right)
{
    const uint32_t *in_map = ctok__u64map_get(&m->pair_to_id, ctok__pair_key(left, right));
    return in_map ? *in_map : CTOK__NO_ID;
}

/* (left, right) and another pair through ctok__cached_rank2, both ways round. */
static void check_two(const ctok_model *m, ctok__pair_slot *cache, uint32_t left, uint32_t right,
                      uint32_t left2, uint32_t right2)
{
    uint32_t want = map_answer(m, left, right), want2 = map_answer(m, left2, right2), a, b;
    ctok__cached_rank2(m, cache, left, right, left2, right2, &a, &b);
    CHECKF(a == want && b == want2, "(%u, %u) and (%u, %u): %u and %u, the map says %u and %u",
           (unsigned)left, (unsigned)right, (unsigned)left2, (unsigned)right2, (unsigned)a,
           (unsigned)b, (unsigned)want, (unsigned)want2);
    ctok__cached_rank2(m, cache, left2, right2, left, right, &b, &a);
    CHECKF(a == want && b == want2, "(%u, %u) and (%u, %u) the other way round", (unsigned)left2,
           (unsigned)right2, (unsigned)left, (unsigned)right);
}

static void check_model(uint32_t first_id)
{
    merge *merges = malloc(N_MERGES * sizeof *merges);
    ctok__pair_slot *cache = calloc(1, CTOK__PAIR_CACHE_BYTES);
    ctok_model *m = merges && cache ? make_model(first_id, merges) : NULL;
    CHECKF(m != NULL, "first id %u: no model", (unsigned)first_id);
    uint64_t s = 11;
    for (int pass = 0; pass < 4 && !test_failures_here; pass++)
        for (size_t k = 0; k < 2 * N_MERGES && !test_failures_here; k++) {
            const merge *g = &merges[rnd(&s) % N_MERGES];
            /* half the time the result twice: mostly a pair that does not merge (whatever the
             * map says is the answer) */
            bool merges_to = k % 2 == 0;
            uint32_t left = merges_to ? g->left : g->result;
            uint32_t right = merges_to ? g->right : g->result;
            uint32_t want = map_answer(m, left, right);
            if (merges_to)
                CHECKF(want == g->result, "first id %u: the map lost a merge", (unsigned)first_id);
            for (int ask = 0; ask < 2; ask++)
                CHECKF(ctok__cached_rank(m, cache, left, right) == want,
                       "first id %u: (%u, %u) asked %d times: %u, the map says %u",
                       (unsigned)first_id, (unsigned)left, (unsigned)right, ask + 1,
                       (unsigned)ctok__cached_rank(m, cache, left, right), (unsigned)want);
            const merge *g2 = &merges[rnd(&s) % N_MERGES];
            if (k % 7 == 3) /* the same pair twice: both lookups in one slot */
                check_two(m, cache, left, right, left, right);
            else
                check_two(m, cache, left, right, k % 3 ? g2->left : g2->result,
                          k % 3 ? g2->right : g2->left);
        }
    ctok_model_free(m);
    free(cache);
    free(merges);
}

static void test_small_ids(void) { check_model(256); }
static void test_ids_past_the_fields(void) { check_model((1u << 21) + 7); }

int main(void)
{
    RUN(test_small_ids);
    RUN(test_ids_past_the_fields);
    TEST_EXIT();
}
