/*
 * short_tokens.h - the ordinary tokens of up to 8 bytes, keyed by their bytes as one zero-padded
 * word: "which token is this short piece?" in one cache line.
 *
 * The token map (hashmap.c) answers it from a tag array, a 16-byte slot and the token's bytes in
 * the arena, three loads one after the other, each a trip to memory in a multi-megabyte
 * vocabulary.  The encoder asks it of every piece the piece cache misses (tiktoken's rule: a piece
 * that is a token is that token), and most such pieces are short.  Here a slot holds the token's
 * bytes (the piece cache's short key, piece_cache.h), its length and its id, so a lookup reads one
 * slot, or its neighbours in the same line, at the place the top bits of the piece cache's short
 * hash give, which the encoder has already made.  A model keeps its tokens of 9 bytes or more in
 * the token map; ctok__model_token_id (model.h) asks the right one.
 */
#ifndef CTOK_SHORT_TOKENS_H
#define CTOK_SHORT_TOKENS_H

#include "internal.h"

#define CTOK__SHORT_TOKEN_BYTES 8
#define CTOK__SHORT_TOKEN_ID_MASK 0xFFFFFFu /* ids are below CTOK_ID_LIMIT, 2^24 */

typedef struct ctok__short_token_slot {
    uint64_t word; /* the token's bytes, zero-padded (ctok__load_partial) */
    uint32_t val;  /* its length << 24 | its id; 0 for an empty slot */
    uint32_t zero;
} ctok__short_token_slot;

typedef struct ctok__short_tokens {
    ctok__short_token_slot *slots; /* 1 << log2 of them, at most 5/8 full; NULL: no table */
    size_t n;                      /* the tokens in it */
    unsigned log2;
} ctok__short_tokens;

/* The id of the token whose bytes are the n (1..8) bytes of word, or UINT32_MAX; hash is
 * ctok__short_hash(word, n) (hash_bytes.h). */
static inline uint32_t ctok__short_token_get(const ctok__short_tokens *t, uint64_t word, size_t n,
                                             uint64_t hash)
{
    size_t mask = ((size_t)1 << t->log2) - 1;
    uint32_t want = (uint32_t)n << 24;
    for (size_t i = (size_t)(hash >> (64 - t->log2));; i = (i + 1) & mask) {
        const ctok__short_token_slot *s = &t->slots[i];
        if (s->word == word && (s->val & ~CTOK__SHORT_TOKEN_ID_MASK) == want)
            return s->val & CTOK__SHORT_TOKEN_ID_MASK;
        if (!s->val)
            return UINT32_MAX;
    }
}

/* log2 of the number of slots for n tokens: the least power of two (16 or more) at most 5/8
 * full, so that a lookup of a piece that is no token meets an empty slot soon. */
unsigned ctok__short_tokens_log2(size_t n);

struct ctok_model;
/* Build the table of the finished model's ordinary tokens of up to 8 bytes: the first id of
 * bytes that more than one id has, as in the token map.  first_duplicate (if not NULL): the first
 * of those ids whose bytes repeat a lower id's, or CTOK__NO_ID.  CTOK_ENOMEM.  short_tokens.c. */
int ctok__short_tokens_build(ctok__short_tokens *t, const struct ctok_model *m,
                             uint32_t *first_duplicate);
void ctok__short_tokens_free(ctok__short_tokens *t, const ctok_allocator *mem);

#endif
