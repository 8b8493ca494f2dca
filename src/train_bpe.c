/*
 * train_bpe.c - the BPE merge learner.
 *
 * minbpe recounts every pair over the whole text for every merge: O(merges x text).  Here the
 * pairs are counted once, over the unique chunks weighted by their counts, and each merge only
 * touches the places where its pair occurs:
 *   - symbols live in one array with prev/next links inside each chunk (merged-away symbols are
 *     marked dead), so a merge is a local relinking;
 *   - every pair keeps the sorted list of positions where it occurs (stale entries are skipped
 *     when read: a position holds the pair only while its left symbol still has the pair's left
 *     id and the next live symbol the right id);
 *   - pair counts change incrementally and a binary heap ordered by (count, tie key) finds the
 *     best pair in O(log pairs).
 * A pair (u, v) only ever appears when its newer token is made, so every position list is built
 * in one step, in text order: lists stay sorted without any sorting.
 *
 * Ties.  minbpe takes max() over a dict filled scanning the text, so among equal counts the pair
 * whose first occurrence comes first in the current text wins.  Positions are laid out in order
 * of first appearance (chunk order, then offset), so that is the smallest live position of the
 * pair.  A pair's heap key keeps the first entry of its list, which can only be stale by being
 * too early (occurrences are removed, never added before it); the top of the heap is re-checked
 * and pushed down until its key is exact, which is enough for the top to be the true best.
 * The other rule, smallest (left, right), needs no such care.
 */
#include "train_bpe.h"

#define NONE UINT32_MAX
#define BLOCK_BITS 6

typedef struct pair_rec {
    uint32_t left, right;
    int64_t count;
    uint64_t occ_start; /* this pair's positions are pool[occ_start .. occ_start + occ_len) */
    uint32_t occ_len;
    uint32_t occ_first; /* entries before this one are known stale */
    uint32_t first_pos; /* tie key for FIRST_SEEN: a lower bound of the first live position */
    uint32_t heap_at;
} pair_rec;

typedef struct learner {
    const ctok_allocator *mem;
    const ctok__merge_options *opt;
    /* symbols */
    uint32_t *id, *next, *prev;
    /* the weight of a position's chunk: block_chunk[b] is the chunk holding position b * BLOCK,
     * and end[] is walked from there (a few steps: chunks average a dozen bytes).  A chunk
     * number per position would cost as much memory as next[] */
    uint32_t *block_chunk;
    const uint64_t *end, *weight;
    /* pairs */
    pair_rec *pairs;
    size_t n_pairs, pairs_cap;
    ctok__u64map index;
    uint32_t *pool;
    size_t pool_len, pool_cap;
    uint32_t *heap;
    size_t heap_len, heap_cap;
    /* occurrences created during the current merge: (pair, position) */
    uint32_t *fresh;
    size_t fresh_len, fresh_cap;
} learner;

/* ---- heap of pair indices, best pair on top ---- */

static bool better(const learner *L, uint32_t a, uint32_t b)
{
    const pair_rec *x = &L->pairs[a], *y = &L->pairs[b];
    if (x->count != y->count)
        return x->count > y->count;
    if (L->opt->ties == CTOK_TIES_SMALLEST_PAIR) {
        if (x->left != y->left)
            return x->left < y->left;
        return x->right < y->right;
    }
    if (x->first_pos != y->first_pos)
        return x->first_pos < y->first_pos;
    return a < b;
}

static void heap_set(learner *L, size_t at, uint32_t p)
{
    L->heap[at] = p;
    L->pairs[p].heap_at = (uint32_t)at;
}

static void sift_up(learner *L, size_t at)
{
    uint32_t p = L->heap[at];
    while (at > 0) {
        size_t parent = (at - 1) / 2;
        if (!better(L, p, L->heap[parent]))
            break;
        heap_set(L, at, L->heap[parent]);
        at = parent;
    }
    heap_set(L, at, p);
}

static void sift_down(learner *L, size_t at)
{
    uint32_t p = L->heap[at];
    for (;;) {
        size_t c = 2 * at + 1;
        if (c >= L->heap_len)
            break;
        if (c + 1 < L->heap_len && better(L, L->heap[c + 1], L->heap[c]))
            c++;
        if (!better(L, L->heap[c], p))
            break;
        heap_set(L, at, L->heap[c]);
        at = c;
    }
    heap_set(L, at, p);
}

/* ---- pairs ---- */

static int pair_get(learner *L, uint32_t left, uint32_t right, uint32_t *out)
{
    uint32_t *slot;
    bool found;
    int rc = ctok__u64map_put(&L->index, L->mem, ctok__pair_key(left, right), &slot, &found);
    if (rc)
        return rc;
    if (!found) {
        if (L->n_pairs >= NONE - 1)
            return CTOK_ETOOBIG;
        rc = ctok__grow(L->mem, (void **)&L->pairs, &L->pairs_cap, L->n_pairs + 1,
                        sizeof *L->pairs);
        if (!rc)
            rc = ctok__grow(L->mem, (void **)&L->heap, &L->heap_cap, L->heap_len + 1,
                            sizeof *L->heap);
        if (rc)
            return rc;
        pair_rec *p = &L->pairs[L->n_pairs];
        memset(p, 0, sizeof *p);
        p->left = left;
        p->right = right;
        p->first_pos = NONE;
        *slot = (uint32_t)L->n_pairs++;
        heap_set(L, L->heap_len++, *slot);
    }
    *out = *slot;
    return CTOK_OK;
}

static void pair_sub(learner *L, uint32_t left, uint32_t right, int64_t w)
{
    uint32_t *idx = ctok__u64map_get(&L->index, ctok__pair_key(left, right));
    pair_rec *p = &L->pairs[*idx]; /* a pair that occurs is always in the index */
    p->count -= w;
    sift_down(L, p->heap_at);
}

/* A new occurrence at pos of a pair made in this merge step. */
static int pair_add(learner *L, uint32_t left, uint32_t right, int64_t w, uint32_t pos)
{
    uint32_t idx;
    int rc = pair_get(L, left, right, &idx);
    if (!rc)
        rc = ctok__grow(L->mem, (void **)&L->fresh, &L->fresh_cap, L->fresh_len + 2,
                        sizeof *L->fresh);
    if (rc)
        return rc;
    pair_rec *p = &L->pairs[idx];
    if (p->first_pos == NONE)
        p->first_pos = pos; /* occurrences arrive in text order: the first is the smallest */
    p->count += w;
    sift_up(L, p->heap_at);
    L->fresh[L->fresh_len++] = idx;
    L->fresh[L->fresh_len++] = pos;
    return CTOK_OK;
}

static bool occurs_at(const learner *L, const pair_rec *p, uint32_t pos)
{
    uint32_t nx = L->next[pos];
    return L->id[pos] == p->left && nx != NONE && L->id[nx] == p->right;
}

/* Drop the stale entries of every position list, keeping each list's order.  Lists lie in the
 * pool in pair order, so entries only move left.  Without this the pool grows with every merge
 * (each one appends the occurrences it makes and never takes back the ones it consumes): on
 * 41 MB of text 18 million entries, against 9 million live at most. */
static void compact_pool(learner *L)
{
    uint64_t at = 0;
    for (size_t k = 0; k < L->n_pairs; k++) {
        pair_rec *p = &L->pairs[k];
        uint64_t start = at;
        for (uint32_t i = p->occ_first; p->count > 0 && i < p->occ_len; i++) {
            uint32_t pos = L->pool[p->occ_start + i];
            if (occurs_at(L, p, pos))
                L->pool[at++] = pos;
        }
        p->occ_start = start;
        p->occ_len = (uint32_t)(at - start);
        p->occ_first = 0;
    }
    L->pool_len = at;
}

/* Room for n more pool entries: compact when full, and grow by a quarter only when compacting
 * freed less than a quarter (ctok__grow's doubling would hold three times the pool while it
 * copies). */
static int pool_reserve(learner *L, size_t n)
{
    if (L->pool_len + n <= L->pool_cap)
        return CTOK_OK;
    if (L->pool_cap) /* not while count_initial_pairs is laying the lists out */
        compact_pool(L);
    size_t need = L->pool_len + n;
    if (need <= L->pool_cap - L->pool_cap / 4)
        return CTOK_OK;
    size_t cap = need + need / 4;
    uint32_t *pool = ctok__alloc(L->mem, cap * sizeof *pool);
    if (!pool)
        return CTOK_ENOMEM;
    if (L->pool_len)
        memcpy(pool, L->pool, L->pool_len * sizeof *pool);
    ctok__free(L->mem, L->pool);
    L->pool = pool;
    L->pool_cap = cap;
    return CTOK_OK;
}

/* Move the fresh occurrences of pairs [first_new, n_pairs) into their position lists (a
 * counting sort by pair, stable, so each list stays in text order). */
static int file_fresh(learner *L, size_t first_new)
{
    size_t n_new = L->n_pairs - first_new, n_occ = L->fresh_len / 2;
    int rc = pool_reserve(L, n_occ);
    if (rc)
        return rc;
    for (size_t i = 0; i < n_occ; i++)
        L->pairs[L->fresh[2 * i]].occ_len++;
    uint64_t at = L->pool_len;
    for (size_t k = 0; k < n_new; k++) {
        pair_rec *p = &L->pairs[first_new + k];
        p->occ_start = at;
        at += p->occ_len;
        p->occ_len = 0;
    }
    for (size_t i = 0; i < n_occ; i++) {
        pair_rec *p = &L->pairs[L->fresh[2 * i]];
        L->pool[p->occ_start + p->occ_len++] = L->fresh[2 * i + 1];
    }
    L->pool_len = at;
    L->fresh_len = 0;
    return CTOK_OK;
}

/* ---- setup ---- */

static int load_symbols(learner *L, const ctok__chunk_table *t, size_t n)
{
    const ctok_allocator *m = L->mem;
    size_t n_blocks = (n >> BLOCK_BITS) + 1;
    L->id = ctok__alloc(m, n * sizeof *L->id);
    L->next = ctok__alloc(m, n * sizeof *L->next);
    L->prev = ctok__alloc(m, n * sizeof *L->prev);
    L->block_chunk = ctok__alloc(m, n_blocks * sizeof *L->block_chunk);
    if (!L->id || !L->next || !L->prev || !L->block_chunk)
        return CTOK_ENOMEM;
    uint64_t start = 0;
    for (size_t c = 0; c < t->n_chunks; c++) {
        uint64_t end = t->end[c];
        for (uint64_t i = start; i < end; i++) {
            L->id[i] = t->bytes[i];
            if (!(i & ((1u << BLOCK_BITS) - 1)))
                L->block_chunk[i >> BLOCK_BITS] = (uint32_t)c;
            L->prev[i] = i > start ? (uint32_t)(i - 1) : NONE;
            L->next[i] = i + 1 < end ? (uint32_t)(i + 1) : NONE;
        }
        start = end;
    }
    L->end = t->end;
    L->weight = t->weight;
    return CTOK_OK;
}

static int64_t weight_at(const learner *L, uint32_t pos)
{
    uint32_t c = L->block_chunk[pos >> BLOCK_BITS];
    while (L->end[c] <= pos)
        c++;
    return (int64_t)L->weight[c];
}

/* Count the initial byte pairs and lay out their position lists (two passes). */
static int count_initial_pairs(learner *L, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (L->next[i] == NONE)
            continue;
        uint32_t idx;
        int rc = pair_get(L, L->id[i], L->id[i + 1], &idx);
        if (rc)
            return rc;
        pair_rec *p = &L->pairs[idx];
        p->count += weight_at(L, (uint32_t)i);
        if (p->first_pos == NONE)
            p->first_pos = (uint32_t)i;
        p->occ_len++;
        total++;
    }
    int rc = pool_reserve(L, total);
    if (rc)
        return rc;
    uint64_t at = 0;
    for (size_t k = 0; k < L->n_pairs; k++) {
        L->pairs[k].occ_start = at;
        at += L->pairs[k].occ_len;
        L->pairs[k].occ_len = 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (L->next[i] == NONE)
            continue;
        pair_rec *p = &L->pairs[*ctok__u64map_get(&L->index, ctok__pair_key(L->id[i], L->id[i + 1]))];
        L->pool[p->occ_start + p->occ_len++] = (uint32_t)i;
    }
    L->pool_len = total;
    for (size_t k = L->heap_len / 2; k-- > 0;)
        sift_down(L, k);
    return CTOK_OK;
}

/* ---- the merge loop ---- */

/* Make the top of the heap exact (FIRST_SEEN keys may be stale), return it or NONE. */
static uint32_t best_pair(learner *L)
{
    while (L->heap_len) {
        uint32_t top = L->heap[0];
        pair_rec *p = &L->pairs[top];
        if (p->count <= 0 || L->opt->ties == CTOK_TIES_SMALLEST_PAIR)
            return p->count > 0 ? top : NONE;
        while (p->occ_first < p->occ_len &&
               !occurs_at(L, p, L->pool[p->occ_start + p->occ_first]))
            p->occ_first++;
        if (p->occ_first == p->occ_len) { /* cannot happen: a counted pair occurs somewhere */
            p->count = 0;
            sift_down(L, 0);
            continue;
        }
        uint32_t first = L->pool[p->occ_start + p->occ_first];
        if (first == p->first_pos)
            return top;
        p->first_pos = first;
        sift_down(L, 0);
    }
    return NONE;
}

static int apply_merge(learner *L, uint32_t best, uint32_t new_id)
{
    pair_rec p = L->pairs[best]; /* copy: the pairs array may move while we add pairs */
    size_t first_new = L->n_pairs;
    for (uint32_t k = p.occ_first; k < p.occ_len; k++) {
        uint32_t pos = L->pool[p.occ_start + k];
        if (!occurs_at(L, &p, pos))
            continue; /* stale, or consumed by an overlapping merge just before ("aaa") */
        uint32_t q = L->next[pos], before = L->prev[pos], after = L->next[q];
        int64_t w = weight_at(L, pos);
        if (before != NONE)
            pair_sub(L, L->id[before], p.left, w);
        if (after != NONE)
            pair_sub(L, p.right, L->id[after], w);
        pair_sub(L, p.left, p.right, w);
        L->id[pos] = new_id;
        L->id[q] = NONE;
        L->next[pos] = after;
        if (after != NONE)
            L->prev[after] = pos;
        int rc = CTOK_OK;
        if (before != NONE)
            rc = pair_add(L, L->id[before], new_id, w, before);
        if (!rc && after != NONE)
            rc = pair_add(L, new_id, L->id[after], w, pos);
        if (rc)
            return rc;
    }
    return file_fresh(L, first_new);
}

static void learner_free(learner *L)
{
    const ctok_allocator *m = L->mem;
    ctok__free(m, L->id);
    ctok__free(m, L->next);
    ctok__free(m, L->prev);
    ctok__free(m, L->block_chunk);
    ctok__free(m, L->pairs);
    ctok__u64map_free(&L->index, m);
    ctok__free(m, L->pool);
    ctok__free(m, L->heap);
    ctok__free(m, L->fresh);
}

int ctok__learn_merges(const ctok_allocator *mem, const ctok__chunk_table *t,
                       const ctok__merge_options *opt, uint32_t **merges_out, size_t *n_out)
{
    size_t n = t->n_chunks ? (size_t)t->end[t->n_chunks - 1] : 0;
    if (n >= NONE || t->n_chunks >= NONE || opt->n_merges > NONE - 256)
        return CTOK_ETOOBIG;
    learner L;
    memset(&L, 0, sizeof L);
    L.mem = mem;
    L.opt = opt;
    uint32_t *merges = ctok__alloc(mem, (opt->n_merges ? opt->n_merges : 1) * 2 * sizeof *merges);
    int rc = merges ? CTOK_OK : CTOK_ENOMEM;
    if (!rc)
        rc = ctok__u64map_init(&L.index, mem, 1024);
    if (!rc)
        rc = load_symbols(&L, t, n);
    if (!rc)
        rc = count_initial_pairs(&L, n);
    size_t done = 0;
    ctok_train_progress progress = opt->base;
    progress.merges_total = opt->n_merges;
    while (!rc && done < opt->n_merges) {
        uint32_t best = best_pair(&L);
        if (best == NONE || (uint64_t)L.pairs[best].count < opt->min_frequency)
            break;
        merges[2 * done] = L.pairs[best].left;
        merges[2 * done + 1] = L.pairs[best].right;
        rc = apply_merge(&L, best, (uint32_t)(256 + done));
        done++;
        if (opt->progress && (done % 64 == 0 || done == opt->n_merges)) {
            progress.merges_done = done;
            opt->progress(opt->progress_user, &progress);
        }
    }
    learner_free(&L);
    if (rc) {
        ctok__free(mem, merges);
        return rc;
    }
    *merges_out = merges;
    *n_out = done;
    return CTOK_OK;
}
