/*
 * chunk_count.c - counting unique chunks (see chunk_count.h).  The hash map keys point into the
 * table's own byte array, so each distinct chunk is stored once however often it occurs.
 */
#include "chunk_count.h"

int ctok__chunk_counter_init(ctok__chunk_counter *cc, const ctok_allocator *mem)
{
    memset(cc, 0, sizeof *cc);
    cc->mem = mem;
    return ctok__bytesmap_init(&cc->index, mem, 1024);
}

void ctok__chunk_counter_free(ctok__chunk_counter *cc)
{
    ctok__free(cc->mem, cc->bytes);
    ctok__free(cc->mem, cc->end);
    ctok__free(cc->mem, cc->weight);
    ctok__bytesmap_free(&cc->index, cc->mem);
    memset(cc, 0, sizeof *cc);
}

/* Count chunk p[0..n) whose ctok__hash_bytes is hash (truncated to 32 bits, as the map keeps
 * it). */
static int add_hashed(ctok__chunk_counter *cc, const uint8_t *p, size_t n, uint64_t weight,
                      uint32_t hash)
{
    if (n == 0 || n > UINT32_MAX)
        return n ? CTOK_ETOOBIG : CTOK_EINVAL;
    uint32_t *slot = ctok__bytesmap_get_hashed(&cc->index, cc->bytes, p, n, hash);
    if (slot) {
        cc->weight[*slot] += weight;
        return CTOK_OK;
    }
    if (cc->n >= UINT32_MAX - 1)
        return CTOK_ETOOBIG;
    int rc = ctok__grow(cc->mem, (void **)&cc->bytes, &cc->bytes_cap, cc->n_bytes + n, 1);
    if (!rc)
        rc = ctok__grow(cc->mem, (void **)&cc->end, &cc->end_cap, cc->n + 1, sizeof *cc->end);
    if (!rc)
        rc = ctok__grow(cc->mem, (void **)&cc->weight, &cc->weight_cap, cc->n + 1,
                        sizeof *cc->weight);
    if (rc)
        return rc;
    memcpy(cc->bytes + cc->n_bytes, p, n);
    bool found;
    rc = ctok__bytesmap_put(&cc->index, cc->mem, cc->bytes, cc->n_bytes, n, &slot, &found);
    if (rc)
        return rc;
    *slot = (uint32_t)cc->n;
    cc->n_bytes += n;
    cc->end[cc->n] = cc->n_bytes;
    cc->weight[cc->n++] = weight;
    return CTOK_OK;
}

int ctok__chunk_counter_add(ctok__chunk_counter *cc, const uint8_t *p, size_t n, uint64_t weight)
{
    return add_hashed(cc, p, n, weight, (uint32_t)ctok__hash_bytes(p, n));
}

/* ---- the pipeline ---- */

void ctok__chunk_pipe_init(ctok__chunk_pipe *pipe) { pipe->pushed = pipe->counted = 0; }

/* The second step: the slot is likely in cache now; if it holds this hash, fetch the bytes it
 * points at (to compare) and the chunk's count (to add to).  Only the first slot probed: most
 * lookups end there.  A stale address after the arrays grew is harmless: a prefetch never faults. */
static void fetch_entry(const ctok__chunk_counter *cc, uint32_t hash)
{
    const ctok__bytesmap *map = &cc->index;
    if (!map->cap)
        return;
    const ctok__bytesslot *slot = &map->slots[hash & (map->cap - 1)];
    if (map->tags[hash & (map->cap - 1)] && slot->hash == hash && slot->val < cc->n) {
        CTOK__PREFETCH(cc->bytes + slot->off);
        CTOK__PREFETCH(&cc->weight[slot->val]);
    }
}

static int count_next(ctok__chunk_counter *cc, ctok__chunk_pipe *pipe)
{
    size_t k = pipe->counted++ % CTOK__PIPE;
    return add_hashed(cc, pipe->ptr[k], pipe->len[k], pipe->weight[k], pipe->hash[k]);
}

int ctok__chunk_pipe_push(ctok__chunk_counter *cc, ctok__chunk_pipe *pipe, const uint8_t *p,
                          size_t n, uint64_t weight)
{
    if (pipe->pushed - pipe->counted == CTOK__PIPE) {
        int rc = count_next(cc, pipe);
        if (rc)
            return rc;
    }
    size_t k = pipe->pushed % CTOK__PIPE;
    pipe->ptr[k] = p;
    pipe->len[k] = n;
    pipe->weight[k] = weight;
    pipe->hash[k] = ctok__bytesmap_prefetch(&cc->index, p, n);
    if (pipe->pushed >= pipe->counted + CTOK__PIPE / 2)
        fetch_entry(cc, pipe->hash[(pipe->pushed - CTOK__PIPE / 2) % CTOK__PIPE]);
    pipe->pushed++;
    return CTOK_OK;
}

int ctok__chunk_pipe_drain(ctok__chunk_counter *cc, ctok__chunk_pipe *pipe)
{
    while (pipe->counted < pipe->pushed) {
        int rc = count_next(cc, pipe);
        if (rc)
            return rc;
    }
    return CTOK_OK;
}

/* Merging is the one serial step of threaded counting: through the pipeline, since most of its
 * lookups miss the cache of a large destination table. */
int ctok__chunk_counter_merge(ctok__chunk_counter *dst, const ctok__chunk_counter *src)
{
    ctok__chunk_pipe pipe;
    ctok__chunk_pipe_init(&pipe);
    uint64_t start = 0;
    for (size_t i = 0; i < src->n; i++) {
        int rc = ctok__chunk_pipe_push(dst, &pipe, src->bytes + start,
                                       (size_t)(src->end[i] - start), src->weight[i]);
        if (rc)
            return rc;
        start = src->end[i];
    }
    return ctok__chunk_pipe_drain(dst, &pipe);
}

void ctok__chunk_counter_clear(ctok__chunk_counter *cc)
{
    /* keep the arrays and the map's capacity: the next part of the text needs about as much */
    if (cc->index.cap)
        memset(cc->index.tags, 0, cc->index.cap);
    cc->index.n = 0;
    cc->n_bytes = 0;
    cc->n = 0;
}
