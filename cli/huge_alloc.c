/*
 * huge_alloc.c - the allocator `ctok train` gives the trainer: malloc, and for big blocks a
 * request for transparent huge pages (madvise MADV_HUGEPAGE; Linux's default "madvise" mode
 * gives them only to regions that ask).  Training fills tables of hundreds of megabytes in
 * random order; with 4 KiB pages every first touch of a page is a fault, which on a virtual
 * machine costs microseconds, with 2 MiB pages there are 512 times fewer (doc/design.md has the
 * numbers).  Where there are no huge pages, madvise fails and nothing changes.
 */
#define _DEFAULT_SOURCE
#include "huge_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

enum { HUGE_PAGE = 2 << 20, BIG = 4 << 20 };

static void *huge_alloc(void *opaque, size_t size)
{
    (void)opaque;
    void *p = malloc(size ? size : 1);
#ifdef MADV_HUGEPAGE
    if (p && size >= BIG) {
        /* the whole huge pages inside the block (malloc's big blocks are mmapped, not shared
         * with other allocations) */
        uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
        uintptr_t end = ((uintptr_t)p + size) & ~(uintptr_t)(HUGE_PAGE - 1);
        if (end > start)
            madvise((void *)start, end - start, MADV_HUGEPAGE);
    }
#endif
    return p;
}

static void huge_free(void *opaque, void *p)
{
    (void)opaque;
    free(p);
}

static const ctok_allocator HUGE_ALLOCATOR = {huge_alloc, huge_free, NULL};

const ctok_allocator *cli_huge_allocator(void) { return &HUGE_ALLOCATOR; }
