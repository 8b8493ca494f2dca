/*
 * splitmix.h - splitmix64, the seeded generator of the randomized encoder tests (test_random.c,
 * test_long_piece.c, test_bpe_short.c, test_hash_bytes.c): rnd(&state) gives the next number.
 * (random_text.h, for the trainer tests, has a state-free rnd() of its own; include one or the
 * other.)
 */
#ifndef CTOK_TEST_SPLITMIX_H
#define CTOK_TEST_SPLITMIX_H

#include <stdint.h>

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif
