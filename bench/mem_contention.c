/*
 * mem_contention.c - what one core's memory accesses cost while the other core makes its own: the
 * ceiling of `ctok encode -j 2` on this machine.
 *
 *   mem_contention [-r ROUNDS] [KB...]      (default 5 rounds; 256 1024 4096 32768 KB)
 *
 * Encoding waits on chains of dependent loads (a pair's rank, then the next pair's), into an
 * encoder's caches and the model's tables.  This program times such a chain on its own: a walk
 * through a table of KB kilobytes, one 8-byte load per 64-byte line, each load's address the
 * value of the last (a random cycle, so no prefetcher guesses it).  For each size it walks on one
 * thread, then on two threads at once, each through a table of its own (as each encoder has its
 * own caches), in alternating rounds.  It prints the nanoseconds per load of each (the best
 * round) and the median of the rounds' ratios, two threads over one: 1.00 means that the cores do
 * not slow each other down; a chain that fits in a core's own L2 should stay near 1.00, and what
 * the cores share (the last-level cache, memory) shows above it.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench_util.h"

#include <pthread.h>
#include <string.h>

enum { LINE = 64, MAX_ROUNDS = 50, MAX_SIZES = 16 };

typedef struct walk {
    uint64_t *table; /* one entry per line: entry i * 8 holds the next line's entry index */
    size_t steps;
    uint64_t end; /* where the walk ended: stored, so that the loads are not optimised away */
    double seconds;
} walk;

/* A random cycle through all n lines (Sattolo's shuffle), seeded by splitmix64. */
static uint64_t *make_table(size_t n, uint64_t seed)
{
    uint64_t *t = malloc(n * LINE);
    size_t *order = malloc(n * sizeof *order);
    if (!t || !order) {
        free(t);
        free(order);
        return NULL;
    }
    memset(t, 0, n * LINE);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)(splitmix64(&seed) % i);
        size_t tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
    for (size_t i = 0; i < n; i++) /* order[i] -> order[i + 1]: one cycle through every line */
        t[order[i] * (LINE / 8)] = order[(i + 1) % n] * (LINE / 8);
    free(order);
    return t;
}

static void *run_walk(void *arg)
{
    walk *w = arg;
    double start = now();
    uint64_t at = 0;
    for (size_t s = 0; s < w->steps; s++)
        at = w->table[at];
    w->seconds = now() - start;
    w->end = at;
    return NULL;
}

/* One round of one size: one thread alone, then two at once; the ns per load of each. */
static int round_once(walk *a, walk *b, double *ns1, double *ns2)
{
    run_walk(a);
    *ns1 = a->seconds * 1e9 / (double)a->steps;
    pthread_t tid;
    if (pthread_create(&tid, NULL, run_walk, b) != 0)
        return -1;
    run_walk(a);
    pthread_join(tid, NULL);
    double slower = a->seconds > b->seconds ? a->seconds : b->seconds;
    *ns2 = slower * 1e9 / (double)a->steps;
    return 0;
}

int main(int argc, char **argv)
{
    int rounds = 5;
    size_t kb[MAX_SIZES] = {256, 1024, 4096, 32768}, n_sizes = 4, given = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-r") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (given < MAX_SIZES && atol(argv[i]) > 0)
            kb[given++] = (size_t)atol(argv[i]);
        else {
            fprintf(stderr, "usage: mem_contention [-r ROUNDS] [KB...]\n");
            return 2;
        }
    }
    if (given)
        n_sizes = given;
    if (rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "mem_contention: 1 to %d rounds\n", MAX_ROUNDS);
        return 2;
    }
    printf("%10s %12s %12s %8s\n", "table KB", "1 thread ns", "2 threads ns", "2/1");
    for (size_t k = 0; k < n_sizes; k++) {
        size_t lines = kb[k] * 1024 / LINE;
        if (lines < 2)
            continue;
        walk a = {make_table(lines, 1), 0, 0, 0}, b = {make_table(lines, 2), 0, 0, 0};
        if (!a.table || !b.table) {
            fprintf(stderr, "mem_contention: no memory for %zu KB\n", kb[k]);
            return 1;
        }
        /* as many steps as take 0.2 s alone (the first walks also touch the tables) */
        a.steps = b.steps = lines;
        run_walk(&b);
        for (run_walk(&a); a.seconds < 0.2; run_walk(&a))
            a.steps = b.steps = a.steps * 2;
        double best1 = 0, best2 = 0, ratio[MAX_ROUNDS];
        for (int r = 0; r < rounds; r++) {
            double ns1, ns2;
            if (round_once(&a, &b, &ns1, &ns2) != 0) {
                fprintf(stderr, "mem_contention: cannot start a thread\n");
                return 1;
            }
            best1 = r == 0 || ns1 < best1 ? ns1 : best1;
            best2 = r == 0 || ns2 < best2 ? ns2 : best2;
            ratio[r] = ns2 / ns1;
        }
        qsort(ratio, (size_t)rounds, sizeof *ratio, cmp_double);
        double median = rounds % 2 ? ratio[rounds / 2]
                                   : (ratio[rounds / 2 - 1] + ratio[rounds / 2]) / 2;
        printf("%10zu %12.2f %12.2f %7.2fx\n", kb[k], best1, best2, median);
        free(a.table);
        free(b.table);
    }
    return 0;
}
