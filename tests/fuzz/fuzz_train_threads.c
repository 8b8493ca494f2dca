/*
 * fuzz_train_threads.c - arbitrary bytes through regex training with every built-in pattern,
 * once with one thread and one feed, once with three threads, tiny batches (so the text is cut
 * between threads and carried between batches at many places) and feeds of sizes taken from
 * the data.  Property: the merges are the same.
 */
#include "ctok.h"
#include "train.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(cond)                                                                          \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "fuzz_train_threads: %s:%d: %s\n", __FILE__, __LINE__, #cond);     \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

#define N_MERGES 64

static size_t train(const uint8_t *data, size_t size, const char *pattern, bool threaded,
                    uint32_t *merges)
{
    ctok_train_options o;
    memset(&o, 0, sizeof o);
    o.type = CTOK_TRAIN_REGEX;
    o.vocab_size = 256 + N_MERGES;
    o.pattern.ptr = (const uint8_t *)pattern;
    o.pattern.len = strlen(pattern);
    o.n_threads = threaded ? 3 : 1;
    ctok_trainer *t;
    ctok_diag d;
    REQUIRE(ctok_trainer_new(&o, &t, &d) == 0);
    if (threaded)
        ctok__trainer_set_batch(t, 48, 16);
    for (size_t at = 0, i = 0; at < size; i++) {
        size_t n = threaded ? 1 + (size_t)data[i % size] % 61 : size;
        n = n < size - at ? n : size - at;
        REQUIRE(ctok_trainer_feed(t, data + at, n, &d) == 0);
        at += n;
    }
    ctok_model *m = NULL;
    REQUIRE(ctok_trainer_finish(t, &m, &d) == 0);
    ctok_trainer_free(t);
    size_t n = ctok_model_n_merges(m);
    for (size_t i = 0; i < n; i++)
        ctok_model_merge(m, i, &merges[2 * i], &merges[2 * i + 1], NULL);
    ctok_model_free(m);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *names[] = {"gpt2", "gpt4", "o200k"};
    uint32_t one[2 * N_MERGES], three[2 * N_MERGES];
    for (size_t p = 0; p < 3; p++) {
        const char *pattern = ctok_pattern_by_name(names[p]);
        size_t n1 = train(data, size, pattern, false, one);
        size_t n3 = train(data, size, pattern, true, three);
        REQUIRE(n1 == n3 && memcmp(one, three, n1 * 2 * sizeof *one) == 0);
    }
    return 0;
}
