/*
 * pair_prune.c - the pairs of a ranks model (tiktoken's) that merging can ever merge.
 *
 * tiktoken merges any two adjacent tokens whose concatenation is a token, so the pair map made
 * from the ranks holds every split of every token into two tokens (o200k_base: 446 thousand
 * pairs for 200 thousand tokens).  Only one split of each token is ever merged: the two parts
 * that tiktoken's rule ends the token's own bytes in when the token itself is left out (its
 * canonical split).  Why: when merging a text forms token t from adjacent x and y, no earlier
 * merge crossed the edges of the stretch x + y covers (symbols never split), so every merge
 * inside the stretch was the lowest-ranked pair of the whole text at its time, hence the lowest of
 * the stretch's own pairs, which only merges inside the stretch change: the stretch went through
 * exactly the merges of t's bytes alone, up to the last, which makes x + y the canonical split.
 * So a pair that is not a canonical split is never the one merged, and answering "does not
 * merge" for it changes no choice of the lowest pair.  (The same argument is the root of
 * export_merges.c and of rust-gems' `bpe` crate.)
 *
 * Keeping only the canonical splits halves the pair map, and with it the pair filter and the pair
 * table that merging reads on every pair-cache miss (doc/design.md).  A token whose bytes alone
 * do not end in two parts is never formed by merging (the whole-piece lookup still finds it).
 */
#include "model.h"

/* The rank of parts i and i + 1 of ids[0 .. n): the token they make, unless it is skip. */
static uint32_t rank_without(const ctok__u64map *pairs, const uint32_t *ids, size_t n, size_t i,
                             uint32_t skip)
{
    if (i + 1 >= n)
        return CTOK__NO_ID;
    const uint32_t *v = ctok__u64map_get(pairs, ctok__pair_key(ids[i], ids[i + 1]));
    return v && *v != skip ? *v : CTOK__NO_ID;
}

/* tiktoken's rule on ids[0 .. n) (the bytes of token skip) with every pair of the map but those
 * that make skip; rank has room for n.  Returns how many parts it ends in, in ids[0 ..). */
static size_t merge_without(const ctok__u64map *pairs, uint32_t *ids, uint32_t *rank, size_t n,
                            uint32_t skip)
{
    for (size_t i = 0; i < n; i++)
        rank[i] = rank_without(pairs, ids, n, i, skip);
    for (;;) {
        size_t best = 0;
        for (size_t i = 1; i + 1 < n; i++)
            if (rank[i] < rank[best]) /* the leftmost of the lowest */
                best = i;
        if (rank[best] == CTOK__NO_ID)
            return n;
        /* parts best and best + 1 become one: drop ids[best + 1] and rank[best + 1] */
        ids[best] = rank[best];
        memmove(ids + best + 1, ids + best + 2, (n - best - 2) * sizeof *ids);
        memmove(rank + best + 1, rank + best + 2, (n - best - 2) * sizeof *rank);
        n--;
        rank[best] = rank_without(pairs, ids, n, best, skip);
        if (best > 0)
            rank[best - 1] = rank_without(pairs, ids, n, best - 1, skip);
    }
}

int ctok__pair_prune(ctok_model *m)
{
    size_t max_len = 2;
    for (uint32_t id = 0; id < m->n_vocab; id++)
        if (m->tok_len[id] > max_len)
            max_len = m->tok_len[id];
    ctok__u64map kept;
    memset(&kept, 0, sizeof kept);
    uint32_t *ids = ctok__alloc(&m->mem, max_len * sizeof *ids);
    uint32_t *rank = ctok__alloc(&m->mem, max_len * sizeof *rank);
    int rc = ids && rank ? ctok__u64map_init(&kept, &m->mem, m->n_vocab) : CTOK_ENOMEM;
    for (uint32_t t = 0; !rc && t < m->n_vocab; t++) {
        size_t n = m->tok_len[t];
        if (n < 2 || m->tok_special[t])
            continue;
        const uint8_t *p = m->arena + m->tok_off[t];
        for (size_t i = 0; i < n; i++)
            ids[i] = m->byte_id[p[i]];
        if (merge_without(&m->pair_to_id, ids, rank, n, t) != 2)
            continue;
        uint64_t key = ctok__pair_key(ids[0], ids[1]);
        const uint32_t *v = ctok__u64map_get(&m->pair_to_id, key);
        if (!v || *v != t)
            continue; /* the two parts make a lower-ranked token with the same bytes */
        uint32_t *slot;
        bool found;
        rc = ctok__u64map_put(&kept, &m->mem, key, &slot, &found);
        if (!rc)
            *slot = t;
    }
    ctok__free(&m->mem, ids);
    ctok__free(&m->mem, rank);
    if (rc) {
        ctok__u64map_free(&kept, &m->mem);
        return rc;
    }
    ctok__u64map_free(&m->pair_to_id, &m->mem);
    m->pair_to_id = kept;
    return CTOK_OK;
}
