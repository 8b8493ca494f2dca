/*
 * encoder.h - the encoder's internal entry point, for the calls that want more control over the
 * output than ctok_encoder_encode gives: counting without storing ids (ctok_count) and keeping
 * only the first N ids (truncation).  Both live in tiktoken_extras.c; the encoder itself is encode.c.
 */
#ifndef CTOK_ENCODER_H
#define CTOK_ENCODER_H

#include "internal.h"

/* Encode as ctok_encoder_encode does, but: ids == NULL only counts (give cap = SIZE_MAX); with
 * stop_when_full, the encoding stops once cap ids are out (*full = true; cap ids are the first
 * cap ids of the whole encoding) instead of failing with CTOK_EBUFFER.  Disallowed special tokens
 * are looked for in the whole text either way, as tiktoken does.  full may be NULL. */
int ctok__encoder_run(ctok_encoder *e, const uint8_t *text, size_t len,
                      const ctok_encode_options *options, uint32_t *ids, size_t cap,
                      bool stop_when_full, size_t *n_ids, bool *full, ctok_diag *diag);

/* An encoder for one call, freed after it (ctok_encode, ctok_count, ctok_encode_truncated): a
 * short text merges without the pair cache, whose clearing would cost more than it saves. */
int ctok__encoder_new_one_call(const ctok_model *model, ctok_encoder **out);

#endif /* CTOK_ENCODER_H */
