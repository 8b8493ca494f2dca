/*
 * count_threads.h - pre-tokenizing and counting a batch of training text with several threads.
 *
 * The batch is cut into parts where splitting each part on its own gives exactly the pieces of
 * the whole (document ends, and for the built-in patterns the cuts of ctok__split_fast_cut); each
 * part is split and counted by its own thread into its own ctok__chunk_counter, and the counters
 * are merged in text order.  A counter keeps chunks in order of first appearance, so the merged
 * table, and the model learned from it, is the same for any number of threads.
 */
#ifndef CTOK_COUNT_THREADS_H
#define CTOK_COUNT_THREADS_H

#include "chunk_count.h"
#include "split.h"

typedef struct ctok__count_team ctok__count_team;

/* Text to count: segments [0, ends[0]), [ends[0], ends[1]), ..., [ends[n_ends-1], len).  No piece
 * spans the end of a segment (a document's end): each segment is split as a text of its own.
 * The last segment is open unless final (the stream goes on after len): only its pieces up to the
 * last place where the split is certain are counted. */
typedef struct ctok__count_batch {
    const uint8_t *text;
    size_t len;
    const size_t *ends; /* non-decreasing, each <= len */
    size_t n_ends;
    bool final;
} ctok__count_batch;

/* A team of n_threads (at least 1) that splits with sp (shared, read-only).  With more than one
 * thread, the allocator is called from several threads at once. */
int ctok__count_team_new(const ctok_allocator *mem, const ctok__splitter *sp, size_t n_threads,
                         ctok__count_team **out);
void ctok__count_team_free(ctok__count_team *team);

/* Parts are at least min_part bytes (so a small batch uses fewer threads); the default is
 * CTOK__COUNT_MIN_PART.  Tests lower it to cut small texts into many parts. */
#define CTOK__COUNT_MIN_PART ((size_t)1 << 18)
void ctok__count_team_set_min_part(ctok__count_team *team, size_t min_part);

/* Split the batch and count its pieces (minbpe's findall: text the pattern does not match is left
 * out) into dst.  *done is how much of the text was counted: len, or the start of the open
 * segment's tail that must be split again together with the text that follows it.  Threads are
 * started and joined within the call; on error dst may hold part of the batch. */
int ctok__count_team_run(ctok__count_team *team, const ctok__count_batch *batch,
                         ctok__chunk_counter *dst, size_t *done);

#endif /* CTOK_COUNT_THREADS_H */
