/*
 * vocab_data.h - the embedded rank files (vocab_data.c): each is the bytes from NAME up to
 * NAME_end, exactly the file in data/vocab/.
 */
#ifndef CTOK_VOCAB_DATA_H
#define CTOK_VOCAB_DATA_H

#include <stdint.h>

#if defined(__GNUC__)
#define CTOK__HIDDEN __attribute__((visibility("hidden")))
#else
#define CTOK__HIDDEN
#endif

#define CTOK__DECLARE_VOCAB(sym)                                                            \
    extern const uint8_t sym[] CTOK__HIDDEN;                                                \
    extern const uint8_t sym##_end[] CTOK__HIDDEN;

CTOK__DECLARE_VOCAB(ctok__vocab_r50k_base)
CTOK__DECLARE_VOCAB(ctok__vocab_p50k_base)
CTOK__DECLARE_VOCAB(ctok__vocab_cl100k_base)
CTOK__DECLARE_VOCAB(ctok__vocab_o200k_base)

#endif /* CTOK_VOCAB_DATA_H */
