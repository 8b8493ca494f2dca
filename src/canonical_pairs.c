/*
 * canonical_pairs.c - the pair map of a ranks model (tiktoken's): for each token, the one split
 * into two tokens that merging can ever form it from.
 *
 * tiktoken merges any two adjacent tokens whose concatenation is a token, so every split of every
 * token into two tokens is a pair that may merge (o200k_base: 446 thousand of them for 200
 * thousand tokens).  Only one split of each token is ever merged: the two parts that tiktoken's
 * rule ends the token's own bytes in when the token itself is left out (its canonical split).
 * Why: when merging a text forms token t from adjacent x and y, no earlier merge crossed the edges
 * of the stretch x + y covers (symbols never split), so every merge inside the stretch was the
 * lowest-ranked pair of the whole text at its time, hence the lowest of the stretch's own pairs,
 * which only merges inside the stretch change: the stretch went through exactly the merges of t's
 * bytes alone, up to the last, which makes x + y the canonical split.  So a pair that is not a
 * canonical split is never the one merged, and answering "does not merge" for it changes no
 * choice of the lowest pair.  (The same argument is the root of export_merges.c and of
 * rust-gems' `bpe` crate.)
 *
 * That also says how to find the splits without the others: merging t's bytes forms only tokens
 * shorter than t, each from its canonical split, so with the canonical pairs of all shorter
 * tokens in the map, merging t's bytes goes exactly as with every pair.  Tokens are taken by
 * length, shortest first; one that ends in more than two parts is never formed by merging (the
 * whole-piece lookup still finds it).  Among tokens with the same bytes, the lowest id is taken
 * first and the others then merge into it, as tiktoken's lowest rank would.
 *
 * One split a token is half the pairs, and with them the pair filter and the pair table that
 * merging reads on every pair-cache miss (doc/design.md).
 */
#include "model.h"

/* The rank of parts i and i + 1 of ids[0 .. n). */
static uint32_t rank_at(const ctok__u64map *pairs, const uint32_t *ids, size_t n, size_t i)
{
    if (i + 1 >= n)
        return CTOK__NO_ID;
    const uint32_t *v = ctok__u64map_get(pairs, ctok__pair_key(ids[i], ids[i + 1]));
    return v ? *v : CTOK__NO_ID;
}

/* tiktoken's rule on the bytes p[0 .. n) (n >= 2) with the pairs of the map; the ranks of the
 * pairs of two bytes come from byte_rank (indexed by the two bytes) when it is not NULL.  ids and
 * rank have room for n.  Returns how many parts it ends in, in ids[0 ..).  (Not the encoder's
 * merger, bpe_merge.c: it reads the pair filter, table and cache, made from the finished map,
 * while this one runs as the map grows.) */
static size_t merge_bytes(const ctok_model *m, const ctok__u64map *pairs, const uint32_t *byte_rank,
                          const uint8_t *p, size_t n, uint32_t *ids, uint32_t *rank)
{
    for (size_t i = 0; i < n; i++)
        ids[i] = m->byte_id[p[i]];
    for (size_t i = 0; i < n; i++)
        rank[i] = !byte_rank ? rank_at(pairs, ids, n, i)
                  : i + 1 < n ? byte_rank[p[i] << 8 | p[i + 1]]
                              : CTOK__NO_ID;
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
        rank[best] = rank_at(pairs, ids, n, best);
        if (best > 0)
            rank[best - 1] = rank_at(pairs, ids, n, best - 1);
    }
}

/* The ordinary tokens of two bytes or more, by length, ids ascending within a length: order[0
 * .. *n_out).  Returns the longest length, 0 for no memory. */
static size_t tokens_by_length(const ctok_model *m, uint32_t **order_out, size_t *n_out)
{
    size_t max_len = 0;
    for (uint32_t id = 0; id < m->n_vocab; id++)
        if (!m->tok_special[id] && m->tok_len[id] > max_len)
            max_len = m->tok_len[id];
    size_t *start = ctok__calloc(&m->mem, max_len + 2, sizeof *start);
    uint32_t *order = ctok__alloc(&m->mem, (m->n_vocab + 1) * sizeof *order);
    if (!start || !order) {
        ctok__free(&m->mem, start);
        ctok__free(&m->mem, order);
        return 0;
    }
    for (uint32_t id = 0; id < m->n_vocab; id++)
        if (!m->tok_special[id] && m->tok_len[id] >= 2)
            start[m->tok_len[id] + 1]++;
    for (size_t len = 1; len <= max_len; len++)
        start[len + 1] += start[len];
    for (uint32_t id = 0; id < m->n_vocab; id++) /* stable: ids ascending within a length */
        if (!m->tok_special[id] && m->tok_len[id] >= 2)
            order[start[m->tok_len[id]]++] = id;
    *n_out = start[max_len];
    ctok__free(&m->mem, start);
    *order_out = order;
    return max_len > 2 ? max_len : 2;
}

int ctok__canonical_pairs(ctok_model *m)
{
    uint32_t *order = NULL;
    size_t n_tokens = 0;
    size_t max_len = tokens_by_length(m, &order, &n_tokens);
    if (!max_len)
        return CTOK_ENOMEM;
    uint32_t *ids = ctok__alloc(&m->mem, max_len * sizeof *ids);
    uint32_t *rank = ctok__alloc(&m->mem, max_len * sizeof *rank);
    uint32_t *byte_rank = ctok__alloc(&m->mem, (1u << 16) * sizeof *byte_rank);
    int rc = ids && rank && byte_rank ? CTOK_OK : CTOK_ENOMEM;
    bool byte_ranks_ready = false;
    for (size_t k = 0; !rc && k < n_tokens; k++) {
        uint32_t t = order[k];
        size_t n = m->tok_len[t];
        if (n > 2 && !byte_ranks_ready) {
            /* every token of two bytes is in: the pairs of two bytes, looked up once each */
            for (uint32_t b = 0; b < 1u << 16; b++) {
                const uint32_t *v = ctok__u64map_get(
                    &m->pair_to_id, ctok__pair_key(m->byte_id[b >> 8], m->byte_id[b & 255]));
                byte_rank[b] = v ? *v : CTOK__NO_ID;
            }
            byte_ranks_ready = true;
        }
        const uint8_t *p = m->arena + m->tok_off[t];
        if (merge_bytes(m, &m->pair_to_id, byte_ranks_ready ? byte_rank : NULL, p, n, ids,
                        rank) != 2 ||
            ids[0] == CTOK__NO_ID || ids[1] == CTOK__NO_ID) /* a byte with no token */
            continue;
        uint32_t *slot;
        bool found;
        rc = ctok__u64map_put(&m->pair_to_id, &m->mem, ctok__pair_key(ids[0], ids[1]), &slot,
                              &found);
        if (!rc && !found)
            *slot = t;
    }
    ctok__free(&m->mem, order);
    ctok__free(&m->mem, ids);
    ctok__free(&m->mem, rank);
    ctok__free(&m->mem, byte_rank);
    return rc;
}
