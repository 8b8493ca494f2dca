/*
 * loaders.h - what the encoding loaders share: reading a whole file, parsing a tiktoken rank file
 * into a model (load_tiktoken.c; the built-in encodings in encodings.c parse their embedded copies
 * with it), and the public ctok_special_token lists they take.
 */
#ifndef CTOK_LOADERS_H
#define CTOK_LOADERS_H

#include "model.h"

/* Read the whole file at path into a buffer from mem (the caller frees it).  CTOK_EIO with diag
 * naming the file and the system's reason. */
int ctok__read_file(const ctok_allocator *mem, const char *path, uint8_t **data, size_t *len,
                    ctok_diag *diag);

/* Build a complete tiktoken-style model from a rank file in memory: every line's token gets its
 * rank as id, the specials are registered, the pattern is compiled (NULL or "" for none) and the
 * model is finished with tiktoken's byte-based merging.  name is used in messages. */
int ctok__tiktoken_build(const uint8_t *data, size_t len, const char *name, const char *pattern,
                         const ctok_special_token *specials, size_t n_special,
                         const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag);

#endif /* CTOK_LOADERS_H */
