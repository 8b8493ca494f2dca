/*
 * export_merges.c - the bridge between the two merge rules of byte-level BPE, which exports
 * must cross:
 *
 *   merge list (minbpe, HF tokenizers): merge the adjacent pair that comes first in the list;
 *   ranks      (tiktoken):              merge the adjacent pair whose concatenation has the lowest
 *                                       rank, whatever two tokens it is made of.
 *
 * With ids as ranks and merge i making id 256 + i, the ranks rule can merge pairs the list does
 * not have (a + bc where the list made abc from ab + c).  Both rules agree on every text when, for
 * every token t, the ranks rule applied to t's own bytes with the ranks below t ends in exactly
 * t's merge pair.  Why that suffices: take the first step where the rules would differ; the ranks
 * rule then merges some x + y = t that is not t's merge pair.  x and y cover a stretch of the text
 * that no earlier merge crossed, so the merges inside it were exactly those of the ranks rule on
 * t's bytes alone, below t's rank -- which by the condition end in t's pair, not x + y.  (Every
 * token a trainer learns meets the condition: it merged the pair where the same process had put
 * it.)  split_with computes that per-token run; the check and the recovery of a merge list from
 * ranks (as tiktoken's own conversion scripts do) use it.
 */
#include "export.h"

/* The id of the ordinary token with bytes p[0 .. n), or CTOK__NO_ID. */
static uint32_t lookup(const ctok_model *m, const uint8_t *p, size_t n)
{
    return ctok__model_token_id(m, p, n);
}

/* The rank of the pair of parts i, i+1 (their concatenation's id if below limit). */
static uint32_t pair_rank(const ctok_model *m, const uint8_t *p, const size_t *start, size_t k,
                          size_t i, uint32_t limit)
{
    if (i + 1 >= k)
        return CTOK__NO_ID;
    uint32_t id = lookup(m, p + start[i], start[i + 2] - start[i]);
    return id < limit ? id : CTOK__NO_ID;
}

/* tiktoken's byte_pair_merge on p[0 .. n) with ranks below limit: parts are start[0 .. k) with
 * start[k] = n; rank[i] belongs to the pair (i, i + 1).  O(n^2) in the worst case, which is fine
 * for tokens (a merge only recomputes its two neighbouring pairs). */
static size_t merge_below(const ctok_model *m, const uint8_t *p, size_t n, uint32_t limit,
                          size_t *start, uint32_t *rank)
{
    size_t k = n;
    for (size_t i = 0; i <= n; i++)
        start[i] = i;
    for (size_t i = 0; i < k; i++)
        rank[i] = pair_rank(m, p, start, k, i, limit);
    for (;;) {
        size_t best = k;
        for (size_t i = 0; i + 1 < k; i++)
            if (rank[i] != CTOK__NO_ID && (best == k || rank[i] < rank[best]))
                best = i;
        if (best == k)
            return k;
        /* parts best and best + 1 become one: drop start[best + 1] and rank[best + 1] */
        memmove(start + best + 1, start + best + 2, (k - best - 1) * sizeof *start);
        memmove(rank + best + 1, rank + best + 2, (k - best - 2) * sizeof *rank);
        k--;
        rank[best] = pair_rank(m, p, start, k, best, limit);
        if (best > 0)
            rank[best - 1] = pair_rank(m, p, start, k, best - 1, limit);
    }
}

/* tiktoken's rule on the bytes of token id with the ranks below id, in the caller's scratch (room
 * for len + 1 entries each): true with the two parts' ids if it ends in exactly two parts;
 * *n_parts says how many it ended in. */
static bool split_with(const ctok_model *m, uint32_t id, size_t *start, uint32_t *rank,
                       uint32_t *left, uint32_t *right, size_t *n_parts)
{
    const uint8_t *p = m->arena + m->tok_off[id];
    size_t n = m->tok_len[id];
    size_t k = n < 2 ? n : merge_below(m, p, n, id, start, rank);
    *n_parts = k;
    if (k != 2)
        return false;
    *left = lookup(m, p, start[1]);
    *right = lookup(m, p + start[1], n - start[1]);
    return *left != CTOK__NO_ID && *right != CTOK__NO_ID;
}

/* Scratch for splitting tokens up to max_len bytes. */
typedef struct split_scratch {
    const ctok_allocator *mem;
    size_t *start;
    uint32_t *rank;
} split_scratch;

static int scratch_new(const ctok_model *m, split_scratch *s, ctok_diag *diag)
{
    size_t max_len = 1;
    for (uint32_t id = 0; id < m->n_vocab; id++)
        if (m->tok_len[id] > max_len)
            max_len = m->tok_len[id];
    s->mem = &m->mem;
    s->start = ctok__calloc(&m->mem, max_len + 1, sizeof *s->start);
    s->rank = ctok__calloc(&m->mem, max_len + 1, sizeof *s->rank);
    if (!s->start || !s->rank) {
        ctok__free(&m->mem, s->start);
        ctok__free(&m->mem, s->rank);
        s->start = NULL;
        s->rank = NULL;
        return ctok__fail(diag, CTOK_ENOMEM, 0, 0, "%s", ctok_strerror(CTOK_ENOMEM));
    }
    return CTOK_OK;
}

static void scratch_free(split_scratch *s)
{
    ctok__free(s->mem, s->start);
    ctok__free(s->mem, s->rank);
}

#define TOKEN(id) CTOK__SHOWN(m->arena + m->tok_off[id], m->tok_len[id])

int ctok__export_check_tiktoken_rule(const ctok_model *m, const char *what, ctok_diag *diag)
{
    split_scratch s;
    int rc = scratch_new(m, &s, diag);
    for (size_t i = 0; !rc && i < m->n_merges; i++) {
        const uint32_t *mg = m->merges + 3 * i;
        uint32_t l, r;
        size_t k;
        if (split_with(m, mg[2], s.start, s.rank, &l, &r, &k) && l == mg[0] && r == mg[1])
            continue;
        if (k == 2)
            rc = ctok__fail(diag, CTOK_EUNSUPPORTED, 0, mg[2],
                            "%s is not possible: the model makes token %u '%.*s' from %u + %u, "
                            "but tiktoken's rule (the lowest rank of a concatenation first) "
                            "reaches it from %u '%.*s' + %u '%.*s', so some texts would encode "
                            "differently", what, mg[2], TOKEN(mg[2]), mg[0], mg[1], l, TOKEN(l),
                            r, TOKEN(r));
        else
            rc = ctok__fail(diag, CTOK_EUNSUPPORTED, 0, mg[2],
                            "%s is not possible: the model makes token %u '%.*s' from %u + %u, "
                            "but tiktoken's rule (the lowest rank of a concatenation first) "
                            "ends its bytes in %zu parts, so some texts would encode differently",
                            what, mg[2], TOKEN(mg[2]), mg[0], mg[1], k);
    }
    if (s.start)
        scratch_free(&s);
    return rc;
}

int ctok__export_recover_merges(const ctok_model *m, const char *what, uint32_t **merges,
                                size_t *n, ctok_diag *diag)
{
    size_t count = 0;
    for (uint32_t id = 0; id < m->n_vocab; id++)
        count += m->tok_len[id] >= 2 && !m->tok_special[id];
    uint32_t *out = ctok__calloc(&m->mem, count ? 3 * count : 1, sizeof *out);
    if (!out)
        return ctok__fail(diag, CTOK_ENOMEM, 0, 0, "%s", ctok_strerror(CTOK_ENOMEM));
    split_scratch s;
    int rc = scratch_new(m, &s, diag);
    size_t k = 0;
    for (uint32_t id = 0; !rc && id < m->n_vocab; id++) {
        if (m->tok_len[id] < 2 || m->tok_special[id])
            continue;
        size_t parts;
        if (!split_with(m, id, s.start, s.rank, &out[3 * k], &out[3 * k + 1], &parts)) {
            rc = ctok__fail(diag, CTOK_EUNSUPPORTED, 0, id,
                            "%s is not possible: token %u '%.*s' is not made of two lower-ranked "
                            "tokens by tiktoken's rule (its bytes end in %zu parts), so no merge "
                            "list reproduces it", what, id, TOKEN(id), parts);
            break;
        }
        out[3 * k + 2] = id;
        k++;
    }
    if (s.start)
        scratch_free(&s);
    if (rc) {
        ctok__free(&m->mem, out);
        return rc;
    }
    *merges = out;
    *n = k;
    return CTOK_OK;
}
