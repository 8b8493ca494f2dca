/*
 * mem.c - the one place that calls malloc and free.  Everything else allocates through a
 * ctok_allocator kept in its handle, so that a caller (or the failing-allocator test) can
 * supply its own.
 */
#include "internal.h"

#include <stdlib.h>

static void *default_alloc(void *opaque, size_t size)
{
    (void)opaque;
    return malloc(size ? size : 1);
}

static void default_free(void *opaque, void *ptr)
{
    (void)opaque;
    free(ptr);
}

void ctok__mem_init(ctok_allocator *dst, const ctok_allocator *src)
{
    if (src && src->alloc && src->free) {
        *dst = *src;
    } else {
        dst->alloc = default_alloc;
        dst->free = default_free;
        dst->opaque = NULL;
    }
}

void *ctok__alloc(const ctok_allocator *m, size_t n)
{
    return m->alloc(m->opaque, n ? n : 1);
}

void *ctok__calloc(const ctok_allocator *m, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    /* the C library's calloc hands out large blocks as fresh zero pages without writing them,
     * so a big table that a call only touches in a few places (a hash map, a cache) costs a few
     * page faults instead of one per page: at process start-up that is most of the time */
    if (m->alloc == default_alloc)
        return count && size ? calloc(count, size) : calloc(1, 1);
    void *p = ctok__alloc(m, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void ctok__free(const ctok_allocator *m, void *p)
{
    if (p)
        m->free(m->opaque, p);
}

int ctok__grow(const ctok_allocator *m, void **ptr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return CTOK_OK;
    size_t new_cap = *cap ? *cap : 16;
    while (new_cap < need) {
        if (new_cap > SIZE_MAX / 2)
            return CTOK_ETOOBIG;
        new_cap *= 2;
    }
    if (new_cap > SIZE_MAX / elem)
        return CTOK_ETOOBIG;
    void *p = ctok__alloc(m, new_cap * elem);
    if (!p)
        return CTOK_ENOMEM;
    if (*ptr && *cap)
        memcpy(p, *ptr, *cap * elem);
    ctok__free(m, *ptr);
    *ptr = p;
    *cap = new_cap;
    return CTOK_OK;
}

uint8_t *ctok__memdup(const ctok_allocator *m, const void *p, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    uint8_t *d = ctok__alloc(m, n + 1);
    if (d) {
        if (n)
            memcpy(d, p, n);
        d[n] = 0;
    }
    return d;
}
