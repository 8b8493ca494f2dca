/*
 * bench_train.c - training times on the corpora that ship with ctok (minbpe's figures for
 * comparison: 3.9 s for basic 512 on taylorswift, from taylorswift-512-reference.json).
 * Each case runs several times; the best and the median wall time are printed.
 * Usage: bench_train [REPEATS]
 */
#define _POSIX_C_SOURCE 200809L
#include "bench_util.h"
#include "ctok.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double train_once(const unsigned char *text, size_t len, ctok_train_type type,
                         size_t vocab, size_t *merges)
{
    ctok_train_options o;
    memset(&o, 0, sizeof o);
    o.type = type;
    o.vocab_size = vocab;
    const char *p = ctok_pattern_by_name("gpt4");
    o.pattern.ptr = (const uint8_t *)p;
    o.pattern.len = strlen(p);
    double t0 = now();
    ctok_trainer *t;
    ctok_model *m = NULL;
    ctok_diag d;
    if (ctok_trainer_new(&o, &t, &d) || ctok_trainer_feed(t, text, len, &d) ||
        ctok_trainer_finish(t, &m, &d)) {
        fprintf(stderr, "bench_train: %s\n", d.message);
        exit(1);
    }
    double dt = now() - t0;
    *merges = ctok_model_n_merges(m);
    ctok_trainer_free(t);
    ctok_model_free(m);
    return dt;
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 5;
    if (repeats < 1 || repeats > 100)
        repeats = 5;
    struct {
        const char *corpus;
        ctok_train_type type;
        const char *type_name;
        size_t vocab;
    } cases[] = {
        {"tests/data/corpora/taylorswift.txt", CTOK_TRAIN_BASIC, "basic", 512},
        {"tests/data/corpora/taylorswift.txt", CTOK_TRAIN_REGEX, "regex gpt4", 512},
        {"tests/data/corpora/tinyshakespeare.txt", CTOK_TRAIN_BASIC, "basic", 4096},
        {"tests/data/corpora/tinyshakespeare.txt", CTOK_TRAIN_REGEX, "regex gpt4", 4096},
        {"tests/data/corpora/multilingual-sample.txt", CTOK_TRAIN_REGEX, "regex gpt4", 8192},
    };
    printf("%-28s %-11s %6s %8s %10s %10s\n", "corpus", "type", "vocab", "merges", "best s",
           "median s");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t len;
        uint8_t *text = read_all(cases[c].corpus, &len);
        if (!text) {
            fprintf(stderr, "bench_train: cannot read %s\n", cases[c].corpus);
            return 1;
        }
        double times[100];
        size_t merges = 0;
        for (int r = 0; r < repeats; r++)
            times[r] = train_once(text, len, cases[c].type, cases[c].vocab, &merges);
        qsort(times, (size_t)repeats, sizeof *times, cmp_double);
        const char *name = strrchr(cases[c].corpus, '/') + 1;
        printf("%-28s %-11s %6zu %8zu %10.3f %10.3f\n", name, cases[c].type_name, cases[c].vocab,
               merges, times[0], times[repeats / 2]);
        free(text);
    }
    return 0;
}
