/*
 * bpe_short_sse41.c - bpe_short.c compiled again for CPUs with SSE4.1, which ctok__bpe_merge_short
 * takes when the CPU has it.  Finding the least rank is most of a short merge; SSE4.1 does a
 * minimum of four ranks in one instruction (pminsd), where SSE2, all that every x86-64 CPU has,
 * needs four.  With it the corpus encodes 7-11% faster (bench/ab_encode, doc/design.md).  The
 * pragmas make the functions defined after them (bpe_short.c's) SSE4.1 functions, so that the
 * SSE4.1 intrinsics can be inlined into them, without an SSE4.1 flag for the whole build (the
 * library must run on any x86-64).  On other CPUs this file compiles to nothing.
 */
#include "bpe.h"

#ifdef CTOK__SHORT_SSE41
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("sse4.1"))), apply_to = function)
#else
#pragma GCC target("sse4.1")
#endif
#define CTOK_SHORT_SSE41
#include "bpe_short.c"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#endif
