/*
 * page_faults.c - what a first touch of fresh memory costs on this machine, the figure behind
 * the library's use of transparent huge pages (src/mem.c, doc/design.md):
 *
 *   page_faults [MB]     (default 64)
 *
 * Writes one byte per 4 KiB page of a fresh malloc'd block of MB megabytes, three times (a new
 * block each time), and prints the microseconds per page: first with ordinary pages, then with
 * the block 2 MiB-aligned and marked MADV_HUGEPAGE (Linux; the figure is per 4 KiB of memory, so
 * the two compare directly).
 */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

/* Microseconds per 4 KiB page to touch n fresh bytes, or -1. */
static double touch(size_t n, int huge)
{
    size_t huge_page = 2u << 20; /* aligned_alloc wants a multiple of the alignment */
    char *p = huge ? aligned_alloc(huge_page, (n + huge_page - 1) / huge_page * huge_page)
                   : malloc(n);
    if (!p)
        return -1;
#ifdef MADV_HUGEPAGE
    if (huge)
        (void)madvise(p, n, MADV_HUGEPAGE);
#endif
    double t0 = now();
    for (size_t i = 0; i < n; i += 4096)
        ((volatile char *)p)[i] = 1;
    double dt = now() - t0;
    free(p);
    return dt * 1e6 / (double)(n / 4096);
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 64;
    if (mb == 0 || mb > 4096) {
        fprintf(stderr, "usage: page_faults [MB], 1 to 4096\n");
        return 2;
    }
    size_t n = mb << 20;
    for (int huge = 0; huge < 2; huge++)
        for (int round = 0; round < 3; round++)
            printf("%s pages: %.2f us per 4 KiB page\n", huge ? "huge" : "4 KiB",
                   touch(n, huge));
    return 0;
}
