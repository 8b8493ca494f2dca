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

int ctok__chunk_counter_add(ctok__chunk_counter *cc, const uint8_t *p, size_t n, uint64_t weight)
{
    uint32_t *slot = ctok__bytesmap_get(&cc->index, cc->bytes, p, n);
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

int ctok__chunk_counter_merge(ctok__chunk_counter *dst, const ctok__chunk_counter *src)
{
    uint64_t start = 0;
    for (size_t i = 0; i < src->n; i++) {
        int rc = ctok__chunk_counter_add(dst, src->bytes + start, (size_t)(src->end[i] - start),
                                         src->weight[i]);
        if (rc)
            return rc;
        start = src->end[i];
    }
    return CTOK_OK;
}
