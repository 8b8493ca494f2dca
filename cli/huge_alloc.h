/*
 * huge_alloc.h - the allocator `ctok train` gives the trainer (huge_alloc.c).
 */
#ifndef CTOK_CLI_HUGE_ALLOC_H
#define CTOK_CLI_HUGE_ALLOC_H

#include "ctok.h"

/* malloc/free, asking the kernel for transparent huge pages for blocks of 4 MiB and more.
 * Thread-safe; static, nothing to free. */
const ctok_allocator *cli_huge_allocator(void);

#endif
