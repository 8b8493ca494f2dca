/*
 * sidecar.h - the reader of PREFIX.tiktoken.json (load_sidecar.c), the sidecar that
 * ctok_model_export_tiktoken writes next to a rank file: the split pattern, the special tokens and
 * the rank file's name and sha256 (doc/format.md, "Exports").  Separate from the loading so that
 * the fuzz target can drive the parser alone.
 */
#ifndef CTOK_SIDECAR_H
#define CTOK_SIDECAR_H

#include "internal.h"

#define CTOK__SIDECAR_FORMAT "ctok tiktoken sidecar"
#define CTOK__SIDECAR_VERSION 1

typedef struct ctok__sidecar {
    const ctok_allocator *mem;
    char *pattern;              /* pat_str, NUL-terminated ("" for none); never NULL after parse */
    char *rank_file;            /* rank_file, NUL-terminated, or NULL when absent */
    char sha256[65];            /* rank_file_sha256 (64 lowercase hex digits), or "" */
    uint64_t n_vocab;           /* n_vocab, or UINT64_MAX when absent */
    ctok_special_token *specials; /* special_tokens in file order; texts point into text */
    size_t n_special, special_cap;
    uint8_t *text;              /* the special tokens' texts, one after another */
    size_t text_len, text_cap;
    size_t *text_off;           /* while parsing: each text's offset in text (which may move) */
    size_t off_cap;
} ctok__sidecar;

/* Parse a sidecar from data[0 .. len); name is used in messages.  Strict: the format string,
 * version 1 (another: CTOK_EVERSION), pat_str and special_tokens present, every key known and
 * given once, special texts non-empty and distinct with ids below 2^32 - 1, no NUL in pat_str or
 * rank_file.  CTOK_EJSON / CTOK_EFORMAT with diag naming the line and the problem.  On success the
 * caller frees *out with ctok__sidecar_free; on failure nothing is left to free. */
int ctok__sidecar_parse(const uint8_t *data, size_t len, const char *name,
                        const ctok_allocator *mem, ctok__sidecar *out, ctok_diag *diag);

void ctok__sidecar_free(ctok__sidecar *s);

#endif /* CTOK_SIDECAR_H */
