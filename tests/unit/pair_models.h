/*
 * pair_models.h - the models whose pair structures test_pair_filter.c, test_pair_table.c,
 * test_byte_pairs.c and test_char_tokens.c check:
 * the built-in encodings of each rank file (structures read from the vocabulary blobs) and a
 * minbpe model (structures built when it is loaded), and the random pairs that do not merge that
 * the first two ask about.  A blob has no pair map (src/vocab_blob.h), so the pairs that a
 * built-in encoding's structures are checked against are those of the same encoding built the
 * ordinary way (its rank file parsed); the minbpe model is its own reference.  Include after
 * unit/test.h.
 */
#ifndef CTOK_TEST_PAIR_MODELS_H
#define CTOK_TEST_PAIR_MODELS_H

#include "model.h"
#include "vocab_blob.h"
#include "unit/splitmix.h"

#define PAIR_MODELS_MINBPE "tests/data/minbpe/taylorswift-regex512.model"

/* check(name, model, ref) for each of those models, ref the model whose pair map (ref->pair_to_id)
 * holds the pairs that merge; a model that fails to load is a failure. */
static inline void each_pair_model(void (*check)(const char *name, const ctok_model *m,
                                                 const ctok_model *ref))
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
        ctok_model *parsed = NULL;
        if (m && builtin) {
            rc = ctok__encoding_load_parsed(name, NULL, &parsed, &d);
            CHECKF(rc == CTOK_OK, "%s parsed: %s", name, d.message);
        }
        if (m && (parsed || !builtin))
            check(name, m, builtin ? parsed : m);
        ctok_model_free(parsed);
        ctok_model_free(m);
    }
}

/* A random pair of m's ids that does not merge (is not in its pair map: m is a reference). */
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
