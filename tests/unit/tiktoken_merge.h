/*
 * tiktoken_merge.h - tiktoken's merge loop, written plainly against the public API, as the
 * reference that the library's mergers are checked against (test_long_piece.c,
 * test_bpe_short.c): the piece starts as single bytes; repeatedly, the adjacent pair whose
 * concatenated bytes have the lowest rank (ctok_model_token_id) is joined, the leftmost on
 * ties; the parts' ranks are the ids.  reference_until stops early (test_canonical_pairs.c: the
 * two parts a token is made from).
 */
#ifndef CTOK_TEST_TIKTOKEN_MERGE_H
#define CTOK_TEST_TIKTOKEN_MERGE_H

#include "ctok.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The rank of the concatenation of parts i and i+1, or UINT32_MAX. */
static uint32_t pair_rank(const ctok_model *m, const uint8_t *p, const size_t *start, size_t parts,
                          size_t i)
{
    uint32_t r;
    if (i + 1 >= parts ||
        ctok_model_token_id(m, p + start[i], start[i + 2] - start[i], &r) != CTOK_OK)
        return UINT32_MAX;
    return r;
}

/* The parts of p[0..n) (n >= 1) into ids, merging while more than min_parts are left; returns
 * how many.  Parts are [start[i], start[i+1]), rank[i] joins i and i+1. */
static size_t reference_until(const ctok_model *m, const uint8_t *p, size_t n, uint32_t *ids,
                              size_t min_parts)
{
    size_t *start = malloc((n + 1) * sizeof *start);
    uint32_t *rank = malloc(n * sizeof *rank);
    size_t parts = n;
    for (size_t i = 0; i <= n; i++)
        start[i] = i;
    for (size_t i = 0; i < parts; i++)
        rank[i] = pair_rank(m, p, start, parts, i);
    while (parts > min_parts) {
        uint32_t best = UINT32_MAX;
        size_t at = 0;
        for (size_t i = 0; i + 1 < parts; i++)
            if (rank[i] < best) {
                best = rank[i];
                at = i;
            }
        if (best == UINT32_MAX)
            break;
        memmove(start + at + 1, start + at + 2, (parts - at - 1) * sizeof *start);
        memmove(rank + at + 1, rank + at + 2, (parts - at - 2) * sizeof *rank);
        parts--;
        rank[at] = pair_rank(m, p, start, parts, at);
        if (at > 0)
            rank[at - 1] = pair_rank(m, p, start, parts, at - 1);
    }
    for (size_t i = 0; i < parts; i++)
        if (ctok_model_token_id(m, p + start[i], start[i + 1] - start[i], &ids[i]) != CTOK_OK)
            ids[i] = UINT32_MAX;
    free(rank);
    free(start);
    return parts;
}

/* The tokens of p[0..n) (n >= 1) into ids; returns how many. */
static inline size_t reference(const ctok_model *m, const uint8_t *p, size_t n, uint32_t *ids)
{
    return reference_until(m, p, n, ids, 1);
}

#endif
