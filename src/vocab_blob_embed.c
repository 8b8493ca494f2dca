/*
 * vocab_blob_embed.c - the built-in vocabulary blobs (vocab_blob.h) inside the library: the
 * Makefile has tools/gen_vocab_blob.c write BUILD/vocab/NAME.blob for each rank file of
 * data/vocab, and this file pulls them in with the assembler's .incbin (as vocab_data.c does the
 * rank files), read-only and 64-byte aligned.  Read-only data of a shared library or program is
 * mapped from the file, so its pages are loaded on first touch and shared between processes.
 *
 * CTOK_BLOB_DIR names the folder (the Makefile passes BUILD/vocab).  Built with
 * CTOK_VOCAB_NO_BLOBS (the generator itself, which makes them) or for a big-endian target (the
 * blobs are little-endian and used in place), it embeds nothing and ctok__vocab_blob says so: the
 * built-in encodings are then parsed from their rank files.
 */
#include "vocab_blob.h"
#include "vocab_data.h"

#if !defined(CTOK_VOCAB_NO_BLOBS) && defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) \
    && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__

#ifndef CTOK_BLOB_DIR
#define CTOK_BLOB_DIR "build/vocab"
#endif

#define EMBED_BLOB(sym, file)                                                              \
    "  .section .rodata.ctok_blob,\"a\",%progbits\n"                                      \
    "  .balign 64\n"                                                                       \
    "  .globl " #sym "\n  .hidden " #sym "\n" #sym ":\n"                                   \
    "  .incbin \"" CTOK_BLOB_DIR "/" file "\"\n"                                           \
    "  .globl " #sym "_end\n  .hidden " #sym "_end\n" #sym "_end:\n"                       \
    "  .byte 0\n"                                                                          \
    "  .previous\n"

__asm__(EMBED_BLOB(ctok__blob_r50k_base, "r50k_base.blob")
        EMBED_BLOB(ctok__blob_p50k_base, "p50k_base.blob")
        EMBED_BLOB(ctok__blob_cl100k_base, "cl100k_base.blob")
        EMBED_BLOB(ctok__blob_o200k_base, "o200k_base.blob"));

CTOK__DECLARE_VOCAB(ctok__blob_r50k_base)
CTOK__DECLARE_VOCAB(ctok__blob_p50k_base)
CTOK__DECLARE_VOCAB(ctok__blob_cl100k_base)
CTOK__DECLARE_VOCAB(ctok__blob_o200k_base)

const uint8_t *ctok__vocab_blob(const char *file, size_t *len)
{
    static const struct {
        const char *file;
        const uint8_t *start, *end;
    } BLOBS[] = {
        {"r50k_base.tiktoken", ctok__blob_r50k_base, ctok__blob_r50k_base_end},
        {"p50k_base.tiktoken", ctok__blob_p50k_base, ctok__blob_p50k_base_end},
        {"cl100k_base.tiktoken", ctok__blob_cl100k_base, ctok__blob_cl100k_base_end},
        {"o200k_base.tiktoken", ctok__blob_o200k_base, ctok__blob_o200k_base_end},
    };
    for (size_t i = 0; file && i < sizeof BLOBS / sizeof BLOBS[0]; i++)
        if (!strcmp(file, BLOBS[i].file)) {
            *len = (size_t)(BLOBS[i].end - BLOBS[i].start);
            return BLOBS[i].start;
        }
    *len = 0;
    return NULL;
}

#else

const uint8_t *ctok__vocab_blob(const char *file, size_t *len)
{
    (void)file;
    *len = 0;
    return NULL;
}

#endif
