/*
 * ab_encode.c - two builds of libctok compared in one process, for changes of a few percent on
 * a machine whose speed drifts by more than that from one minute to the next.
 *
 *   build/bench/ab_encode [-r ROUNDS] [-k RUNS] [-e ENC,...] OLD/libctok.so NEW/libctok.so
 *                         NAME=PATH...
 *
 * Both libraries are loaded side by side (each bound to its own symbols); every round encodes
 * each input once with each build, back to back, the order swapped from round to round (a new
 * encoder per run, as in bench_encode).  A slow phase of the machine then slows both runs of a
 * round alike, and the median of the per-round ratios shows the change where best-of-N times of
 * separate processes do not.  With -k RUNS, a round runs the builds RUNS times each, in turn
 * (ABAB..., or BABA...), and its ratio is of the two builds' best times: a run that a moment of
 * the machine's slowed then counts only if all of that build's runs in the round were slowed.
 * The two builds' ids must be the same (count and hash), or the exit status is 1.  For example,
 * against the commit before:
 *
 *   git worktree add /tmp/old HEAD~1 && make -C /tmp/old
 *   build/bench/ab_encode /tmp/old/build/libctok.so build/libctok.so corpus=CORPUS
 */
#define _GNU_SOURCE /* RTLD_DEEPBIND */
#include "bench_util.h"
#include "ctok.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUNDS 200
#define MAX_RUNS 20
#define MAX_INPUTS 16

/* The calls used, from one build. */
typedef struct build {
    const char *path;
    int (*encoding_load)(const char *, const ctok_allocator *, ctok_model **, ctok_diag *);
    void (*model_free)(ctok_model *);
    int (*encoder_new)(const ctok_model *, ctok_encoder **);
    void (*encoder_free)(ctok_encoder *);
    int (*encode)(ctok_encoder *, const uint8_t *, size_t, const ctok_encode_options *,
                  uint32_t *, size_t, size_t *, ctok_diag *);
} build;

/* dlsym's object pointer as a function pointer: POSIX guarantees the conversion works. */
#define BIND(b, field, name)                                                     \
    do {                                                                         \
        void *sym = dlsym(handle, name);                                         \
        if (!sym) {                                                              \
            fprintf(stderr, "ab_encode: %s: no symbol %s\n", (b)->path, name);   \
            return false;                                                        \
        }                                                                        \
        memcpy(&(b)->field, &sym, sizeof sym);                                   \
    } while (0)

static bool open_build(build *b, const char *path)
{
    b->path = path;
    /* RTLD_DEEPBIND: each library's calls to itself stay inside it, whichever was loaded first */
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (!handle) {
        fprintf(stderr, "ab_encode: %s\n", dlerror());
        return false;
    }
    BIND(b, encoding_load, "ctok_encoding_load");
    BIND(b, model_free, "ctok_model_free");
    BIND(b, encoder_new, "ctok_encoder_new");
    BIND(b, encoder_free, "ctok_encoder_free");
    BIND(b, encode, "ctok_encoder_encode");
    return true;
}

/* One encode with a fresh encoder: its seconds, or a negative number on failure; the ids' count
 * and hash (ids_hash). */
static double run_once(const build *b, const ctok_model *model, const uint8_t *text, size_t len,
                       uint32_t *ids, size_t *n_ids, char hash[17])
{
    ctok_encode_options ordinary;
    memset(&ordinary, 0, sizeof ordinary);
    ctok_encoder *enc;
    ctok_diag diag;
    double t0 = now();
    if (b->encoder_new(model, &enc) != CTOK_OK)
        return -1;
    int rc = b->encode(enc, text, len, &ordinary, ids, ctok_encode_bound(len), n_ids, &diag);
    double dt = now() - t0;
    b->encoder_free(enc);
    if (rc != CTOK_OK) {
        fprintf(stderr, "ab_encode: %s: %s\n", b->path, diag.message);
        return -1;
    }
    ids_hash(ids, *n_ids, hash);
    return dt;
}

/* Compare the builds on one encoding and input; false if the ids differ or a run failed. */
static bool compare(const build bs[2], const char *encoding, const char *name,
                    const uint8_t *text, size_t len, int rounds, int runs, uint32_t *ids)
{
    ctok_model *models[2] = {NULL, NULL};
    ctok_diag diag;
    for (int i = 0; i < 2; i++)
        if (bs[i].encoding_load(encoding, NULL, &models[i], &diag) != CTOK_OK) {
            fprintf(stderr, "ab_encode: %s: %s\n", bs[i].path, diag.message);
            for (int j = 0; j < i; j++)
                bs[j].model_free(models[j]);
            return false;
        }
    double best[2] = {1e30, 1e30}, ratio[MAX_ROUNDS];
    size_t count[2] = {0, 0};
    char hash[2][17] = {"", ""};
    bool ok = true;
    for (int r = 0; r < rounds && ok; r++) {
        double t[2] = {1e30, 1e30};
        for (int k = 0; k < 2 * runs && ok; k++) {
            int i = r % 2 ? 1 - k % 2 : k % 2; /* A then B, then B then A */
            double dt = run_once(&bs[i], models[i], text, len, ids, &count[i], hash[i]);
            ok = dt >= 0;
            if (ok && dt < t[i])
                t[i] = dt;
            if (ok && dt < best[i])
                best[i] = dt;
        }
        if (ok && (count[0] != count[1] || strcmp(hash[0], hash[1]))) {
            fprintf(stderr, "ab_encode: %s on %s: the builds' ids differ (%zu and %zu ids)\n",
                    encoding, name, count[0], count[1]);
            ok = false;
        }
        if (ok)
            ratio[r] = t[0] / t[1];
    }
    for (int i = 0; i < 2; i++)
        bs[i].model_free(models[i]);
    if (!ok)
        return false;
    qsort(ratio, (size_t)rounds, sizeof *ratio, cmp_double);
    printf("%-12s %-14s %7.1f %9.1f %9.1f %8.3fx  %.3f-%.3f\n", encoding, name, (double)len / 1e6,
           (double)len / best[0] / 1e6, (double)len / best[1] / 1e6, ratio[rounds / 2], ratio[0],
           ratio[rounds - 1]);
    return true;
}

int main(int argc, char **argv)
{
    int rounds = 12, runs = 1;
    const char *encodings = "gpt2,cl100k_base,o200k_base";
    int a = 1;
    for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
        if (!strcmp(argv[a], "-r"))
            rounds = atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "-k"))
            runs = atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "-e"))
            encodings = argv[a + 1];
        else
            break;
    }
    if (argc - a < 3 || rounds < 1 || rounds > MAX_ROUNDS || runs < 1 || runs > MAX_RUNS ||
        argc - a - 2 > MAX_INPUTS) {
        fprintf(stderr, "usage: ab_encode [-r ROUNDS (1-%d)] [-k RUNS (1-%d)] [-e ENC,...] "
                        "OLD.so NEW.so NAME=PATH...\n",
                MAX_ROUNDS, MAX_RUNS);
        return 2;
    }
    build bs[2];
    if (!open_build(&bs[0], argv[a]) || !open_build(&bs[1], argv[a + 1]))
        return 1;
    int status = 0;
    printf("A: %s\nB: %s\n%d rounds, each running A and B back to back in turn, %d time%s "
           "each\n",
           argv[a], argv[a + 1], rounds, runs, runs > 1 ? "s" : "");
    printf("%-12s %-14s %7s %9s %9s %9s  %s\n", "encoding", "input", "MB", "A MB/s", "B MB/s",
           "B/A", "(median of the rounds' ratios; their range)");
    for (int i = a + 2; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            fprintf(stderr, "ab_encode: '%s' is not NAME=PATH\n", argv[i]);
            return 2;
        }
        *eq = '\0';
        size_t len = 0;
        uint8_t *text = read_all(eq + 1, &len);
        uint32_t *ids = text ? malloc((ctok_encode_bound(len) + 1) * sizeof *ids) : NULL;
        if (!ids) {
            fprintf(stderr, "ab_encode: %s: cannot read it (or no memory)\n", eq + 1);
            free(text);
            return 1;
        }
        char list[256];
        snprintf(list, sizeof list, "%s", encodings);
        for (char *save = NULL, *enc = strtok_r(list, ",", &save); enc;
             enc = strtok_r(NULL, ",", &save))
            if (!compare(bs, enc, argv[i], text, len, rounds, runs, ids))
                status = 1;
        free(ids);
        free(text);
    }
    return status;
}
