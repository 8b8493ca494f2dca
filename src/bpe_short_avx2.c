/*
 * bpe_short_avx2.c - bpe_short.c compiled again for CPUs with AVX2, which ctok__bpe_merge_short
 * takes when the CPU has it.  In this form a piece of up to 17 symbols keeps its pairs' keys in
 * two 256-bit registers instead of an array (bpe_short.c says why); longer pieces are merged as
 * in the SSE4.1 form, which AVX2 includes.  As in bpe_short_sse41.c, the pragmas make the
 * functions after them AVX2 functions without an AVX2 flag for the whole build, and on other
 * CPUs this file compiles to nothing.
 */
#include "bpe.h"

#ifdef CTOK__SHORT_SSE41
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC target("avx2")
#endif
#define CTOK_SHORT_AVX2
#include "bpe_short.c"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#endif
