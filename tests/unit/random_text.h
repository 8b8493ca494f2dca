/*
 * random_text.h - a seeded xorshift generator and texts glued from random fragments, shared by
 * the trainer tests (test_train_stream.c, test_train_threads.c).  Seed by setting rng_state.
 */
#ifndef CTOK_TEST_RANDOM_TEXT_H
#define CTOK_TEST_RANDOM_TEXT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Fragments picked at random and concatenated until there are at least cap bytes (*len gets
 * the total); the caller frees.  Fragments must be shorter than 64 bytes. */
static uint8_t *glue_fragments(const char *const *parts, size_t n_parts, size_t cap, size_t *len)
{
    size_t n = 0;
    uint8_t *buf = malloc(cap + 64);
    while (n < cap) {
        const char *p = parts[rnd() % n_parts];
        size_t k = strlen(p);
        memcpy(buf + n, p, k);
        n += k;
    }
    *len = n;
    return buf;
}

#endif
