/*
 * ref.h - a deliberately naive, obviously correct reference implementation of minbpe
 * (Karpathy's BasicTokenizer and RegexTokenizer) in C, for the tests only.
 *
 * Each function mirrors minbpe's Python nearly line by line: training recounts every adjacent
 * pair from scratch on every iteration (get_stats) and rewrites every chunk (merge); encoding
 * repeatedly merges the pair with the lowest merge index (_encode_chunk).  Speed does not
 * matter; readability does.  The randomized tests (tests/unit/test_random.c) compare the fast
 * library against this, and tests/unit/test_ref.c proves this against minbpe's own outputs.
 *
 * Token ids: 0..255 are the bytes, merge i makes id 256 + i.  All results are malloc'd and
 * owned by the caller; allocation failure aborts (this is test code).
 */
#ifndef CTOK_REF_H
#define CTOK_REF_H

#include <stddef.h>
#include <stdint.h>

/* A text cut into chunks (byte strings); BPE never merges across chunks. */
typedef struct ref_chunks {
    size_t n;
    uint8_t **ptr;
    size_t *len;
} ref_chunks;

/* BasicTokenizer: the whole text is one chunk (none if the text is empty). */
void ref_chunks_basic(const uint8_t *text, size_t len, ref_chunks *out);

/* RegexTokenizer: the chunks are the matches of pattern, as Python's re.findall gives them
 * (all non-overlapping matches left to right; text between matches is dropped; empty matches
 * are skipped, and after one the next match must not be empty at the same place).  Matched
 * with PCRE2 in UTF and UCP mode.  text must be valid UTF-8 (minbpe trains on str).
 * Returns 0, or -1 if the pattern does not compile or the text is not valid UTF-8. */
int ref_chunks_regex(const char *pattern, const uint8_t *text, size_t len, ref_chunks *out);

void ref_chunks_free(ref_chunks *c);

typedef struct ref_merge {
    uint32_t left, right;
} ref_merge;

typedef enum ref_ties {
    REF_TIES_FIRST_SEEN = 0,   /* minbpe's max(stats, key=stats.get): first inserted wins */
    REF_TIES_SMALLEST_PAIR = 1 /* the smallest (left, right) wins */
} ref_ties;

/* Train: at most vocab_size - 256 merges, fewer if no adjacent pair is left.  Returns the number
 * of merges, written to *merges (malloc'd).  Uses 4 * vocab_size^2 bytes of counts: meant for
 * vocabularies up to a few thousand. */
size_t ref_train(const ref_chunks *chunks, size_t vocab_size, ref_ties ties, ref_merge **merges);

/* Encode every chunk (minbpe's _encode_chunk) and concatenate the ids.  Returns the number of
 * ids, written to *ids (malloc'd; NULL-safe to free when 0). */
size_t ref_encode(const ref_merge *merges, size_t n_merges, const ref_chunks *chunks,
                  uint32_t **ids);

/* Decode ids to bytes (malloc'd, length in *len).  Returns NULL for an id not in the vocabulary. */
uint8_t *ref_decode(const ref_merge *merges, size_t n_merges, const uint32_t *ids, size_t n,
                    size_t *len);

#endif
