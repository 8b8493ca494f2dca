/*
 * vocab_data.c - the rank files of the built-in encodings (the .tiktoken files in data/vocab),
 * embedded in the library with the assembler's .incbin, so ctok needs no data file at run time:
 * it works from any directory, offline, from the build tree and installed.  The Makefile rebuilds
 * this object when a file changes and refuses to build if a file's sha256 differs from the one
 * published in data/vocab/encodings.json (tools/check-vocab.sh).
 *
 * The compiler runs from the repository root (the Makefile's paths all are relative to it), so
 * the files are named relative to it; CTOK_VOCAB_DIR may point elsewhere.  The symbols are hidden:
 * visible inside libctok, not exported from libctok.so.
 */
#include "vocab_data.h"

#ifndef CTOK_VOCAB_DIR
#define CTOK_VOCAB_DIR "data/vocab"
#endif

/* start and end symbols around one embedded file, in read-only data */
#define EMBED(sym, file)                                                                   \
    "  .section .rodata.ctok_vocab,\"a\",%progbits\n"                                     \
    "  .balign 16\n"                                                                       \
    "  .globl " #sym "\n  .hidden " #sym "\n" #sym ":\n"                                   \
    "  .incbin \"" CTOK_VOCAB_DIR "/" file "\"\n"                                          \
    "  .globl " #sym "_end\n  .hidden " #sym "_end\n" #sym "_end:\n"                       \
    "  .byte 0\n"                                                                          \
    "  .previous\n"

__asm__(EMBED(ctok__vocab_r50k_base, "r50k_base.tiktoken")
        EMBED(ctok__vocab_p50k_base, "p50k_base.tiktoken")
        EMBED(ctok__vocab_cl100k_base, "cl100k_base.tiktoken")
        EMBED(ctok__vocab_o200k_base, "o200k_base.tiktoken"));
