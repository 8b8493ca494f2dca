/*
 * test.h - the tiny test harness every tests/unit program uses.  Each test prints "ok NAME" or
 * "FAIL NAME: where: what"; tests/run.sh counts those lines into the final "N passed, N failed".
 * Paths are relative to the repository root (tests/run.sh runs from there).
 */
#ifndef CTOK_TEST_H
#define CTOK_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures_here;
static int test_failures_total;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            if (!test_failures_here)                                                  \
                printf("FAIL %s: %s:%d: %s\n", test_current, __FILE__, __LINE__, #cond); \
            test_failures_here++;                                                     \
        }                                                                             \
    } while (0)

#define CHECKF(cond, ...)                                                             \
    do {                                                                              \
        if (!(cond)) {                                                                \
            if (!test_failures_here) {                                                \
                printf("FAIL %s: %s:%d: %s: ", test_current, __FILE__, __LINE__, #cond); \
                printf(__VA_ARGS__);                                                  \
                printf("\n");                                                         \
            }                                                                         \
            test_failures_here++;                                                     \
        }                                                                             \
    } while (0)

static const char *test_current = "";

static void run_test(const char *name, void (*fn)(void))
{
    test_current = name;
    test_failures_here = 0;
    fn();
    if (test_failures_here)
        test_failures_total++;
    else
        printf("ok %s\n", name);
    fflush(stdout);
}

#define RUN(fn) run_test(#fn, fn)
#define TEST_EXIT() return test_failures_total ? 1 : 0

/* Read a whole file (caller frees); NULL if it cannot be read. */
static inline unsigned char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    *len = n;
    return buf;
}

#endif
