/*
 * train.h - the trainer's internals that tests reach: how much text regex training collects
 * before it splits and counts it (train.c).
 */
#ifndef CTOK_TRAIN_H
#define CTOK_TRAIN_H

#include "internal.h"

/* Regex training counts text in batches of batch_per_thread bytes per thread; a bigger batch
 * has fewer unique chunks per byte to merge between the threads' tables, but holds more text. */
#define CTOK__TRAIN_BATCH ((size_t)4 << 20)

/* Tests: smaller batches and parts, so that small texts go through many batches and threads.
 * Call before the first feed. */
void ctok__trainer_set_batch(ctok_trainer *trainer, size_t batch_per_thread, size_t min_part);

#endif /* CTOK_TRAIN_H */
