/*
 * mem.c - the one place that calls malloc and free.  Everything else allocates through a
 * ctok_allocator kept in its handle, so that a caller (or the failing-allocator test) can
 * supply its own.  The default one asks Linux for transparent huge pages for big blocks and
 * tables (below), because first touches of fresh pages are most of what a big table costs on a
 * virtual machine.
 */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#endif
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__linux__) && defined(MADV_HUGEPAGE)
#define HUGE_PAGES 1
enum { HUGE_PAGE = 2u << 20, HUGE_TABLE_FROM = 256u << 10, HUGE_BLOCK_FROM = 4u << 20 };

/* Ask for transparent huge pages for the whole 2 MiB pages inside [p, p + n).  A first touch of
 * a 4 KiB page is a page fault: 11-14 us on this project's virtual machine (bench/page_faults.c),
 * 0.24 us per 4 KiB with huge pages; a 2 MiB page takes one fault for 512 of them.  Linux's
 * default THP mode ("madvise") gives huge pages only to regions that ask; where there are none,
 * nothing changes. */
static void *ask_huge_pages(void *p, size_t n)
{
    if (p && n >= HUGE_BLOCK_FROM) {
        uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
        uintptr_t end = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
        if (end > start)
            (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
    }
    return p;
}
#else
static void *ask_huge_pages(void *p, size_t n)
{
    (void)n;
    return p;
}
#endif

static void *default_alloc(void *opaque, size_t size)
{
    (void)opaque;
    return ask_huge_pages(malloc(size ? size : 1), size);
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
        return count && size ? ask_huge_pages(calloc(count, size), count * size) : calloc(1, 1);
    void *p = ctok__alloc(m, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

/* A 2 MiB-aligned block of n bytes (256 KiB <= n < 4 MiB) marked for huge pages, or NULL when
 * that does not apply (not Linux, another allocator, another size) or fails (*failed). */
static void *huge_table(const ctok_allocator *m, size_t n, bool *failed)
{
    *failed = false;
#ifdef HUGE_PAGES
    /* A table the encoder makes is touched all over at once: the 256 pages of its two 512 KiB
     * caches (the pair cache is 256 KiB since) cost ~3.5 ms here, a fifth of encoding
     * tinyshakespeare.  Below the size where the default allocator asks for huge pages itself,
     * a 2 MiB-aligned block marked for them takes one fault instead (the default allocator only:
     * only its free() takes aligned_alloc's blocks). */
    if (m->alloc == default_alloc && n >= HUGE_TABLE_FROM && n < HUGE_BLOCK_FROM) {
        size_t rounded = (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
        void *p = aligned_alloc(HUGE_PAGE, rounded);
        if (p)
            (void)madvise(p, rounded, MADV_HUGEPAGE);
        *failed = !p;
        return p;
    }
#else
    (void)m;
    (void)n;
#endif
    return NULL;
}

void *ctok__alloc_table(const ctok_allocator *m, size_t n)
{
    bool failed;
    void *p = huge_table(m, n, &failed);
    return p || failed ? p : ctok__alloc(m, n);
}

void *ctok__calloc_table(const ctok_allocator *m, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    bool failed;
    void *p = huge_table(m, count * size, &failed);
    if (p)
        memset(p, 0, count * size);
    return p || failed ? p : ctok__calloc(m, count, size);
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
