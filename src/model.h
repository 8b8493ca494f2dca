/*
 * model.h - the inside of a ctok_model, shared by the files that build, read and use models.
 *
 * One representation serves every BPE model: token bytes by id in one arena, the single-byte
 * tokens' ids, and a map from an adjacent id pair to the id it merges into.  A pair's priority is
 * the id it makes: for minbpe models merge i makes id 256+i, and for tiktoken rank files the id
 * is the rank, so "lowest id first, leftmost on ties" is both minbpe's and tiktoken's rule.
 */
#ifndef CTOK_MODEL_H
#define CTOK_MODEL_H

#include "internal.h"
#include "pair_filter.h"
#include "pair_table.h"
#include "short_tokens.h"
#include "split.h"

#define CTOK__NO_ID UINT32_MAX

struct ctok_model {
    ctok_allocator mem;
    ctok_model_kind kind;
    size_t n_vocab; /* one past the largest id */
    /* a built-in encoding used in place (vocab_blob.c): the arena, the token and special token
     * arrays and the maps' slots point into the library's read-only data and are not freed */
    bool borrowed;

    /* token bytes: arena[tok_off[id] .. + tok_len[id]); tok_len == 0 means no token */
    uint8_t *arena;
    size_t arena_len, arena_cap;
    uint64_t *tok_off;
    uint32_t *tok_len;
    uint8_t *tok_special; /* 1 for special tokens */
    size_t tok_cap;

    /* BPE */
    uint32_t byte_id[256];  /* id of each single byte */
    uint32_t *merges;       /* 3 per merge: left, right, result; in training order */
    size_t n_merges, merges_cap;
    ctok__u64map pair_to_id;     /* (left, right) -> merged id; empty in a model made from a
                                    built-in blob, whose pair table holds every pair */
    ctok__pair_filter pair_filter; /* which pairs may be in pair_to_id (pair_filter.h) */
    ctok__pair_table pair_table;   /* pair_to_id packed for lookups (pair_table.h) */
    uint32_t *byte_pairs; /* [left << 8 | right]: the id that single-byte ids left and right
                             merge into, or CTOK__NO_ID; NULL unless the single bytes are ids
                             0..255 (byte_pairs.c) */
    uint32_t *char_tokens; /* [code point], U+0080-U+FFFF: whether a merge may start from the
                              character as its token, and which (char_tokens.c); NULL without
                              byte_pairs */
    uint64_t *spanned; /* a model without a pattern: bit a << 8 | b set when bytes a and b stand
                          next to each other in some token, so that no cut may part them (cut.c);
                          NULL otherwise */
    size_t cut_margin; /* with spanned: how long a cut must leave both parts (cut.c) */
    ctok__bytesmap id_by_bytes;  /* ordinary token bytes of more than 8 -> id (the first id
                                    if duplicated) */
    ctok__short_tokens short_tokens; /* ordinary token bytes of up to 8 -> id, one line a
                                        lookup; ask ctok__model_token_id, which asks the right
                                        one */
    bool whole_piece_lookup;     /* tiktoken: a piece that is a token encodes as that token */
    bool merges_reach_tokens;    /* merging any token's own bytes gives that token, so the
                                    lookup above cannot change an encoding and may be skipped:
                                    true of the built-in encodings' pinned rank files
                                    (tests/unit/test_reach.c checks every one of their tokens) */
    uint32_t first_duplicate;    /* set by finish: the first id whose bytes repeat a lower id's
                                    (CTOK__NO_ID if none); loaders that forbid that report it */

    /* special tokens in registration order, and their lookup.  A special token's text is
     * arena[special_off[i] .. + special_len[i]); usually its id's bytes, but an id may have more
     * than one special text (tiktoken's o200k_harmony names 200018 both <|endofprompt|> and
     * <|reserved_200018|>): the first registered is the id's bytes (what decode gives), later
     * ones are aliases that encode to the same id. */
    uint32_t *special_ids;
    uint64_t *special_off;
    uint32_t *special_len;
    size_t n_special, special_cap;
    ctok__bytesmap special_by_bytes; /* special token bytes -> index in special_ids */
    uint32_t special_first_mask[8];  /* bit B set: some special token starts with byte B */
    uint32_t special_len_mask[8]; /* bit L set: some special token has length L (< 256) */
    size_t special_max_len;

    /* split pattern (NUL-terminated copy) and its compiled form; NULL splitter = no split */
    uint8_t *pattern;
    size_t pattern_len;
    ctok__splitter *splitter;

    /* character models: the code points, sorted; id = index */
    uint32_t *chars;
    size_t n_chars;
    uint32_t ascii_id[128]; /* id of each ASCII character or CTOK__NO_ID */
};

/* Building a model (model.c).  A model is mutable only between new and finish. */
int ctok__model_new(const ctok_allocator *alloc, ctok_model_kind kind, ctok_model **out);
/* A BPE model whose ids 0..255 are the single bytes (minbpe's layout). */
int ctok__model_new_bytes(const ctok_allocator *alloc, ctok_model **out);
/* Make room for ids below n_ids and arena_bytes more token bytes, so that loaders that know
 * their sizes fill the model without regrowing. */
int ctok__model_reserve(ctok_model *m, size_t n_ids, size_t arena_bytes);
/* Give id the bytes (p, n), n >= 1.  CTOK_EINVAL if id already has bytes. */
int ctok__model_set_token(ctok_model *m, uint32_t id, const uint8_t *p, size_t n, bool special);
/* Record a merge; result's bytes become left's + right's. */
int ctok__model_add_merge(ctok_model *m, uint32_t left, uint32_t right, uint32_t result);
/* Register a special token (its bytes are set too).  If id already is a special token, the text
 * becomes another name for it (an alias: it encodes to id; decode gives the first name).
 * CTOK_EINVAL if id is an ordinary token. */
int ctok__model_add_special(ctok_model *m, const uint8_t *p, size_t n, uint32_t id);
int ctok__model_set_pattern(ctok_model *m, const uint8_t *p, size_t n, ctok_diag *diag);
/* Build the lookup tables.  derive_pairs: make the pair map from the tokens' bytes, as
 * tiktoken's byte-based merging implies (ctok__canonical_pairs); otherwise from the merges. */
int ctok__model_finish(ctok_model *m, bool derive_pairs);
/* Make map (empty before) of the model's ordinary tokens of min_len bytes or more: bytes -> the
 * first id that has them.  first_duplicate (if not NULL): the first id whose bytes repeat a lower
 * id's, or CTOK__NO_ID.  CTOK_ENOMEM.  ctok__model_finish makes id_by_bytes with min_len 9 (the
 * shorter tokens are in short_tokens); a test makes a map of all tokens as its reference. */
int ctok__token_map_build(const ctok_model *m, size_t min_len, ctok__bytesmap *map,
                          uint32_t *first_duplicate);
/* Put in the empty pair map each token's canonical split, the one pair that merging can ever
 * merge into it (canonical_pairs.c). */
int ctok__canonical_pairs(ctok_model *m);

/* Make m->spanned for a model without a pattern (cut.c). */
int ctok__spanned_build(ctok_model *m);

/* Make m->byte_pairs (byte_pairs.c), once the pair lookups are in place (ctok__model_finish;
 * the built-in encodings read it, and m->char_tokens, from their blob). */
int ctok__byte_pairs_build(ctok_model *m);
/* Whether byte_id[0 .. 256) are the ids 0..255, each once: what the byte pair table needs. */
bool ctok__bytes_are_first_ids(const uint32_t *byte_id);

/* An entry of m->char_tokens: the character's token id (CTOK__CHAR_ID_MASK), WHOLE if merging
 * its bytes alone gives that one token (0 otherwise), and whether a merge may start from it when
 * the byte before it is a continuation byte (LEFT_OK) or anything else (LEFT_OK << 1), and when
 * the byte after it is a lead byte (RIGHT_OK) or anything else (RIGHT_OK << 1); at the start or
 * end of a piece no flag is needed on that side. */
#define CTOK__CHAR_TOKENS 0x10000u
#define CTOK__CHAR_ID_MASK 0xFFFFFFu
#define CTOK__CHAR_LEFT_OK (1u << 24)
#define CTOK__CHAR_RIGHT_OK (1u << 26)
#define CTOK__CHAR_WHOLE (1u << 28)
/* Make m->char_tokens (char_tokens.c) after m->byte_pairs. */
int ctok__char_tokens_build(ctok_model *m);
/* The flags' shift for the byte before a character (0: a continuation byte, 1: anything else)
 * and for the byte after it (0: a lead byte, 1: anything else). */
static inline unsigned ctok__char_left_class(uint8_t b) { return (b & 0xC0) == 0x80 ? 0 : 1; }
static inline unsigned ctok__char_right_class(uint8_t b) { return b >= 0xC0 ? 0 : 1; }
/* The symbols a merge of p[0 .. n) starts from into ids (room for n): each byte's id, but the
 * token of each character whose entry allows it where it stands; returns how many. */
size_t ctok__char_symbols(const ctok_model *m, const uint8_t *p, size_t n, uint32_t *ids);

/* Character models: set the sorted code points (ids are their indices). */
int ctok__model_set_chars(ctok_model *m, const uint32_t *cps, size_t n);
/* The id of code point cp in a character model, or CTOK__NO_ID. */
uint32_t ctok__model_char_id(const ctok_model *m, uint32_t cp);

/* The id of the ordinary token with bytes p[0 .. n) (the first id if more than one has them), or
 * CTOK__NO_ID: from the table of short tokens or the token map (model.c). */
uint32_t ctok__model_token_id(const ctok_model *m, const uint8_t *p, size_t n);

static inline bool ctok__model_has_token(const ctok_model *m, uint32_t id)
{
    return id < m->n_vocab && m->tok_len[id] != 0;
}

#endif /* CTOK_MODEL_H */
