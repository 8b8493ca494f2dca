/*
 * fault_alloc.h - a counting allocator for the out-of-memory tests: it fails its fail_at-th call
 * and counts live blocks, so a test can prove that every failure returns an error and leaks
 * nothing (sqlite's fault injection).
 */
#ifndef CTOK_FAULT_ALLOC_H
#define CTOK_FAULT_ALLOC_H

#include <stdlib.h>

typedef struct fault_alloc {
    long calls, fail_at, live;
} fault_alloc;

static void *fa_alloc(void *opaque, size_t size)
{
    fault_alloc *f = opaque;
    if (++f->calls == f->fail_at)
        return NULL;
    void *p = malloc(size);
    if (p)
        f->live++;
    return p;
}

static void fa_free(void *opaque, void *p)
{
    fault_alloc *f = opaque;
    if (p) {
        f->live--;
        free(p);
    }
}

#endif
