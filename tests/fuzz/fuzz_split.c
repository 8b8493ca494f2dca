/*
 * fuzz_split.c - arbitrary bytes through ctok__split_next with every built-in split pattern, once
 * with its hand-written scanner (src/pretok.c) and once with PCRE2 and the translated pattern.
 * Property: the pieces are non-empty and contiguous, cover every byte, and both engines cut at
 * the same places.  And the place to cut that ctok__split_fast_cut finds (streaming and threads
 * cut there) is the last one its rules allow, and leaves the pieces of both sides as they were,
 * by PCRE2.  The splitters are compiled once, on the first input.
 */
#include "split.h"

#include <stdio.h>
#include <stdlib.h>

#define REQUIRE(cond)                                                                          \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "fuzz_split: %s:%d: %s\n", __FILE__, __LINE__, #cond);             \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

#define MAX_SPELLINGS 8

static ctok_allocator mem;
static size_t n_spellings;
static ctok__splitter *sp[MAX_SPELLINGS][2]; /* [spelling][0: scanner, 1: PCRE2] */
static ctok__split_scratch *scratch[MAX_SPELLINGS][2];

static void setup(void)
{
    ctok__mem_init(&mem, NULL);
    const char *p;
    for (; (p = ctok__pretok_spelling(n_spellings, NULL)) != NULL; n_spellings++) {
        REQUIRE(n_spellings < MAX_SPELLINGS);
        for (int e = 0; e < 2; e++) {
            REQUIRE(ctok__splitter_new_engine(&mem, (const uint8_t *)p, strlen(p), e == 1,
                                              &sp[n_spellings][e], NULL) == 0);
            REQUIRE(ctok__split_scratch_new(sp[n_spellings][e], &scratch[n_spellings][e]) == 0);
            REQUIRE((ctok__splitter_kind(sp[n_spellings][e]) == CTOK__PRETOK_NONE) == (e == 1));
        }
    }
}

/* The ends of the pieces of text[0 .. len) by spelling s and PCRE2, shifted by base, appended to
 * ends[*n ..) (room for len more). */
static void piece_ends(size_t s, const uint8_t *text, size_t len, size_t base, size_t *ends,
                       size_t *n)
{
    ctok__split_iter it;
    ctok__split_begin(&it, sp[s][1], scratch[s][1], text, len, true);
    size_t a, b;
    int rc;
    while ((rc = ctok__split_next(&it, &a, &b)) == 1)
        ends[(*n)++] = base + b;
    REQUIRE(rc == 0);
}

static void check_cut(const uint8_t *data, size_t size, size_t limit)
{
    size_t c = ctok__split_fast_cut(data, size, limit), want = 0;
    for (size_t x = limit < size ? limit : size; x >= 2 && !want; x--)
        if (ctok__split_fast_cut_at(data, size, x))
            want = x;
    REQUIRE(c == want);
    if (c == 0)
        return;
    size_t *whole = malloc(2 * size * sizeof *whole), *parts = whole + size;
    REQUIRE(whole != NULL);
    for (size_t s = 0; s < n_spellings; s++) {
        size_t n1 = 0, n2 = 0;
        piece_ends(s, data, size, 0, whole, &n1);
        piece_ends(s, data, c, 0, parts, &n2);
        piece_ends(s, data + c, size - c, c, parts, &n2);
        REQUIRE(n1 == n2 && !memcmp(whole, parts, n1 * sizeof *whole));
    }
    free(whole);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!n_spellings)
        setup();
    if (size >= 16) {
        check_cut(data, size, size);
        check_cut(data, size, size / 2);
    }
    for (size_t s = 0; s < n_spellings; s++) {
        ctok__split_iter a, b;
        ctok__split_begin(&a, sp[s][0], scratch[s][0], data, size, true);
        ctok__split_begin(&b, sp[s][1], scratch[s][1], data, size, true);
        size_t prev = 0;
        for (;;) {
            size_t as, ae, bs, be;
            int ra = ctok__split_next(&a, &as, &ae);
            int rb = ctok__split_next(&b, &bs, &be);
            REQUIRE(ra >= 0 && rb >= 0);
            REQUIRE(ra == rb);
            if (ra == 0)
                break;
            REQUIRE(as == prev && ae > as && ae <= size);
            REQUIRE(bs == as && be == ae);
            prev = ae;
        }
        REQUIRE(prev == size);
    }
    return 0;
}
