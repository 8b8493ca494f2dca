/*
 * bpe_merge.c - byte-pair merging of one piece: start from the single bytes and repeatedly merge
 * the adjacent pair that makes the lowest id, the leftmost one on ties (tiktoken's rule, and
 * minbpe's, since minbpe's ids grow with merge order).
 *
 * Short runs (the vast majority of pieces) go to bpe_short.c: a flat array rescanned for the
 * minimum, O(n^2) but tiny constants.  Longer runs use a linked list and a heap of candidate
 * pairs with lazy invalidation: O(n log n).  A long piece is not merged here in one go but in
 * windows (bpe_long.c), which keeps the heap in the L1 cache and makes the whole linear.
 */
#include "bpe.h"

uint32_t ctok__pair_merged(const ctok_model *m, uint64_t key)
{
    uint64_t h = ctok__pair_filter_hash(key);
    if (!ctok__pair_filter_may_hashed(&m->pair_filter, h))
        return CTOK__NO_ID;
    if (m->pair_table.words)
        return ctok__pair_table_get(&m->pair_table, key, h);
    const uint32_t *v = ctok__u64map_get(&m->pair_to_id, key);
    return v ? *v : CTOK__NO_ID;
}

int ctok__bpe_pair_cache_init(const ctok_allocator *mem, ctok__bpe_scratch *s)
{
    if (s->pairs || s->uncached_pairs)
        return CTOK_OK;
    s->pairs = s->long_text ? ctok__calloc_table(mem, CTOK__PAIR_CACHE_BYTES, 1)
                            : ctok__calloc(mem, CTOK__PAIR_CACHE_BYTES, 1);
    if (!s->pairs)
        return CTOK_ENOMEM;
    return CTOK_OK;
}

int ctok__bpe_work_reserve(const ctok_allocator *mem, ctok__bpe_work *w, size_t n)
{
    if (n <= w->cap)
        return CTOK_OK;
    size_t cap = w->cap;
    while (cap < n)
        cap = cap ? cap * 2 : 256;
    ctok__bpe_work_free(mem, w);
    w->ids = ctok__alloc(mem, cap * sizeof *w->ids);
    w->ranks = ctok__alloc(mem, cap * sizeof *w->ranks);
    w->next = ctok__alloc(mem, cap * sizeof *w->next);
    w->prev = ctok__alloc(mem, cap * sizeof *w->prev);
    w->heap = ctok__alloc(mem, 2 * cap * sizeof *w->heap);
    if (!w->ids || !w->ranks || !w->next || !w->prev || !w->heap) {
        ctok__bpe_work_free(mem, w);
        return CTOK_ENOMEM;
    }
    w->cap = cap;
    return CTOK_OK;
}

void ctok__bpe_work_free(const ctok_allocator *mem, ctok__bpe_work *w)
{
    ctok__free(mem, w->ids);
    ctok__free(mem, w->ranks);
    ctok__free(mem, w->next);
    ctok__free(mem, w->prev);
    ctok__free(mem, w->heap);
    memset(w, 0, sizeof *w);
}

void ctok__bpe_scratch_free(const ctok_allocator *mem, ctok__bpe_scratch *s)
{
    if (!s->pairs_lent)
        ctok__free(mem, s->pairs);
    ctok__free(mem, s->seams);
    ctok__bpe_work_free(mem, &s->window);
    ctok__bpe_work_free(mem, &s->seam);
    ctok__free(mem, s->out);
    memset(s, 0, sizeof *s);
}

/* min-heap of (rank << 32 | position): the lowest rank first, the leftmost on ties.  4-ary: half
 * the depth of a binary heap, and a node's children share a cache line, which is what the long
 * pieces (a megabyte of one letter is a million candidates) spend their time on. */
static void heap_push(uint64_t *heap, size_t *len, uint64_t v)
{
    size_t i = (*len)++;
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (heap[parent] <= v)
            break;
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = v;
}

static uint64_t heap_pop(uint64_t *heap, size_t *len)
{
    uint64_t top = heap[0], last = heap[--*len];
    size_t i = 0, n = *len;
    for (;;) {
        size_t c = 4 * i + 1;
        if (c >= n)
            break;
        size_t best = c;
        size_t end = c + 4 < n ? c + 4 : n;
        for (size_t k = c + 1; k < end; k++)
            if (heap[k] < heap[best])
                best = k;
        if (last <= heap[best])
            break;
        heap[i] = heap[best];
        i = best;
    }
    if (n)
        heap[i] = last;
    return top;
}

static size_t merge_long(const ctok_model *m, ctok__pair_slot *cache, ctok__bpe_work *w, size_t n)
{
    uint32_t *ids = w->ids, *next = w->next, *prev = w->prev;
    uint64_t *heap = w->heap;
    size_t heap_len = 0;
    for (size_t i = 0; i < n; i++) {
        next[i] = i + 1 < n ? (uint32_t)(i + 1) : CTOK__NO_ID;
        prev[i] = i ? (uint32_t)(i - 1) : CTOK__NO_ID;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        uint32_t r = ctok__byte_pair_rank(m, cache, ids[i], ids[i + 1]);
        if (r != CTOK__NO_ID)
            heap_push(heap, &heap_len, (uint64_t)r << 32 | i);
    }
    size_t live = n;
    while (heap_len) {
        uint64_t top = heap_pop(heap, &heap_len);
        uint32_t rank = (uint32_t)(top >> 32), at = (uint32_t)top;
        uint32_t right = next[at];
        /* stale entries: the left symbol was merged away, or its pair changed */
        if (ids[at] == CTOK__NO_ID || right == CTOK__NO_ID ||
            ctok__cached_rank(m, cache, ids[at], ids[right]) != rank)
            continue;
        ids[at] = rank;
        ids[right] = CTOK__NO_ID;
        next[at] = next[right];
        if (next[at] != CTOK__NO_ID)
            prev[next[at]] = at;
        live--;
        /* the new pairs on both sides, looked up together where there are two (bpe.h) */
        uint32_t before = prev[at], after = next[at];
        uint32_t r_before = CTOK__NO_ID, r_after = CTOK__NO_ID;
        if (before != CTOK__NO_ID && after != CTOK__NO_ID)
            ctok__cached_rank2(m, cache, ids[before], rank, rank, ids[after], &r_before,
                               &r_after);
        else if (before != CTOK__NO_ID)
            r_before = ctok__cached_rank(m, cache, ids[before], rank);
        else if (after != CTOK__NO_ID)
            r_after = ctok__cached_rank(m, cache, rank, ids[after]);
        if (r_before != CTOK__NO_ID)
            heap_push(heap, &heap_len, (uint64_t)r_before << 32 | before);
        if (r_after != CTOK__NO_ID)
            heap_push(heap, &heap_len, (uint64_t)r_after << 32 | at);
    }
    size_t k = 0;
    for (uint32_t i = 0; i != CTOK__NO_ID && k < live; i = next[i])
        ids[k++] = ids[i];
    return k;
}

size_t ctok__bpe_merge(const ctok_model *m, ctok__pair_slot *cache, ctok__bpe_work *w, size_t n)
{
    return n <= CTOK__SHORT_PIECE ? ctok__bpe_merge_short(m, cache, w->ids, w->ranks, n)
                                  : merge_long(m, cache, w, n);
}

/* The pair cache made and the window's arrays grown for a merge of up to n symbols. */
static int window_ready(const ctok_model *m, ctok__bpe_scratch *s, size_t n)
{
    int rc = ctok__bpe_pair_cache_init(&m->mem, s);
    return rc ? rc : ctok__bpe_work_reserve(&m->mem, &s->window, n);
}

int ctok__bpe_merge_all(const ctok_model *m, ctok__bpe_scratch *s, const uint8_t *p, size_t n,
                        size_t *n_out)
{
    int rc = window_ready(m, s, n);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        s->window.ids[i] = m->byte_id[p[i]];
    *n_out = ctok__bpe_merge(m, s->pairs, &s->window, n);
    return CTOK_OK;
}

int ctok__bpe_encode_piece(const ctok_model *m, ctok__bpe_scratch *s, const uint8_t *p, size_t n,
                           const uint32_t **ids_out, size_t *n_out)
{
    if (n > UINT32_MAX - 1)
        return CTOK_ETOOBIG;
    if (m->char_tokens && n <= CTOK__CHAR_PIECE_BYTES) {
        /* from the characters' tokens where that is exact: a run of three-byte characters of up
         * to three times the short merger's length still goes there */
        int rc = window_ready(m, s, n);
        if (rc)
            return rc;
        size_t k = ctok__char_symbols(m, p, n, s->window.ids);
        if (k <= CTOK__SHORT_PIECE) {
            *n_out = ctok__bpe_merge_short(m, s->pairs, s->window.ids, s->window.ranks, k);
            *ids_out = s->window.ids;
            return CTOK_OK;
        }
    }
    if (n > CTOK__SHORT_PIECE)
        return ctok__bpe_encode_long(m, s, p, n, ids_out, n_out);
    int rc = ctok__bpe_merge_all(m, s, p, n, n_out);
    *ids_out = s->window.ids;
    return rc;
}
