/*
 * chunk_count.h - the table of unique chunks a BPE trainer learns from: each distinct chunk's
 * bytes once, in order of first appearance, with its number of occurrences (64-bit).  This is
 * all that training keeps of the corpus, so it is what grows with the input.
 */
#ifndef CTOK_CHUNK_COUNT_H
#define CTOK_CHUNK_COUNT_H

#include "internal.h"

typedef struct ctok__chunk_counter {
    const ctok_allocator *mem;
    uint8_t *bytes;  /* the unique chunks, concatenated in order of first appearance */
    size_t n_bytes, bytes_cap;
    uint64_t *end;   /* chunk i is bytes[end[i-1] .. end[i]) */
    uint64_t *weight;
    size_t n, end_cap, weight_cap;
    ctok__bytesmap index; /* chunk bytes (offsets into bytes) -> chunk number */
} ctok__chunk_counter;

int ctok__chunk_counter_init(ctok__chunk_counter *cc, const ctok_allocator *mem);
void ctok__chunk_counter_free(ctok__chunk_counter *cc);
/* Count one occurrence (weight times) of the chunk p[0..n), n >= 1. */
int ctok__chunk_counter_add(ctok__chunk_counter *cc, const uint8_t *p, size_t n, uint64_t weight);
/* Counting through a pipeline: a lookup in a large table misses the cache three times (the
 * slot, the stored bytes to compare, the count), so each chunk is hashed and its slot fetched
 * when it is pushed, its bytes and count fetched CTOK__PIPE/2 pushes later, and it is counted
 * CTOK__PIPE pushes later, or at the drain.  The chunks' bytes must stay in place until then.
 * The table is the same as with ctok__chunk_counter_add, in the same order. */
#define CTOK__PIPE 16
typedef struct ctok__chunk_pipe {
    const uint8_t *ptr[CTOK__PIPE];
    size_t len[CTOK__PIPE];
    uint64_t weight[CTOK__PIPE];
    uint32_t hash[CTOK__PIPE];
    size_t pushed, counted;
} ctok__chunk_pipe;

void ctok__chunk_pipe_init(ctok__chunk_pipe *pipe);
int ctok__chunk_pipe_push(ctok__chunk_counter *cc, ctok__chunk_pipe *pipe, const uint8_t *p,
                          size_t n, uint64_t weight);
int ctok__chunk_pipe_drain(ctok__chunk_counter *cc, ctok__chunk_pipe *pipe);
/* Add every chunk of src, in src's order, to dst: counting a text's parts separately and merging
 * them in text order gives the same table as counting the whole text. */
int ctok__chunk_counter_merge(ctok__chunk_counter *dst, const ctok__chunk_counter *src);
/* Forget every chunk but keep the memory, for counting the next part of a text. */
void ctok__chunk_counter_clear(ctok__chunk_counter *cc);

#endif
