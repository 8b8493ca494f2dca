/*
 * bench_util.h - what the benchmark programs share: a clock, a seeded generator, reading an
 * input file whole, sorting times, and the hash of an id sequence that the peers' script computes
 * too.
 */
#ifndef CTOK_BENCH_UTIL_H
#define CTOK_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Seconds on a monotonic clock. */
static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64: the next pseudo-random number from *state (the generated inputs, gen_inputs.c,
 * and mem_contention.c's random cycles). */
static inline uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* For qsort of doubles, ascending. */
static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The whole file at path (malloc'ed, *len bytes), or NULL if it cannot be read. */
static inline uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Two 32-bit hashes of the id sequence (FNV-1a over whole ids, and a polynomial), printed as 16
 * hex digits.  bench/peers/bench-peers.js computes the same. */
static inline void ids_hash(const uint32_t *ids, size_t n, char out[17])
{
    uint32_t h1 = 0x811c9dc5u, h2 = 0;
    for (size_t i = 0; i < n; i++) {
        h1 = (h1 ^ ids[i]) * 0x01000193u;
        h2 = h2 * 1000003u + ids[i] + 1u;
    }
    snprintf(out, 17, "%08x%08x", (unsigned)h1, (unsigned)h2);
}

#endif /* CTOK_BENCH_UTIL_H */
