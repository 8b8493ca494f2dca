/*
 * pair_models.h - the models whose pair structures test_pair_filter.c, test_pair_table.c,
 * test_byte_pairs.c and test_char_tokens.c check:
 * the built-in encodings of each rank file (structures read from the vocabulary blobs) and a
 * minbpe model (structures built when it is loaded), and the random pairs that do not merge that
 * the first two ask about.  Include after unit/test.h.
 */
#ifndef CTOK_TEST_PAIR_MODELS_H
#define CTOK_TEST_PAIR_MODELS_H

#include "model.h"
#include "unit/splitmix.h"

#define PAIR_MODELS_MINBPE "tests/data/minbpe/taylorswift-regex512.model"

/* check(name, model) for each of those models; a model that fails to load is a failure. */
static inline void each_pair_model(void (*check)(const char *name, const ctok_model *m))
{
    static const char *const names[] = {"gpt2", "p50k_base", "cl100k_base", "o200k_base"};
    for (size_t i = 0; i <= sizeof names / sizeof names[0]; i++) {
        bool builtin = i < sizeof names / sizeof names[0];
        const char *name = builtin ? names[i] : PAIR_MODELS_MINBPE;
        ctok_model *m = NULL;
        ctok_diag d;
        int rc = builtin ? ctok_encoding_load(name, NULL, &m, &d)
                         : ctok_model_load(name, NULL, &m, &d);
        CHECKF(rc == CTOK_OK, "%s: %s", name, d.message);
        if (m)
            check(name, m);
        ctok_model_free(m);
    }
}

/* A random pair of m's ids that does not merge (is not in its pair map). */
static inline uint64_t random_non_pair(const ctok_model *m, uint64_t *s)
{
    for (;;) {
        uint64_t key = ctok__pair_key((uint32_t)(rnd(s) % m->n_vocab),
                                      (uint32_t)(rnd(s) % m->n_vocab));
        if (!ctok__u64map_get(&m->pair_to_id, key))
            return key;
    }
}

#endif
