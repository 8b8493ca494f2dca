/*
 * train_bpe.h - learning BPE merges from a table of unique chunks with counts (train_bpe.c).
 */
#ifndef CTOK_TRAIN_BPE_H
#define CTOK_TRAIN_BPE_H

#include "internal.h"

/* The corpus as the trainer sees it: unique chunks in order of first appearance in the text,
 * concatenated, each with the number of times it occurs. */
typedef struct ctok__chunk_table {
    const uint8_t *bytes;
    const uint64_t *end;    /* chunk i is bytes[end[i-1] .. end[i]) (end[-1] = 0) */
    const uint64_t *weight; /* occurrences of chunk i */
    size_t n_chunks;
} ctok__chunk_table;

typedef struct ctok__merge_options {
    size_t n_merges;        /* how many merges to learn at most */
    ctok_ties ties;
    uint64_t min_frequency; /* stop when the best pair is rarer */
    void (*progress)(void *user, const ctok_train_progress *p);
    void *progress_user;
    ctok_train_progress base; /* fields other than merges_* passed through to progress */
} ctok__merge_options;

/* Learn merges: (*merges)[2i], (*merges)[2i+1] is the pair that makes id 256+i.  The array is
 * allocated with mem; *n_merges may be less than asked when no pair is left. */
int ctok__learn_merges(const ctok_allocator *mem, const ctok__chunk_table *chunks,
                       const ctok__merge_options *options, uint32_t **merges, size_t *n_merges);

#endif
