/*
 * test_decimal.c - the CLI's decimal printing (cli/decimal.c) against snprintf: every id below
 * 2,000,000, the numbers around each power of ten, the largest 32- and 64-bit values and random
 * ones; one at a time and as runs of ids after spaces, in a buffer sized by CLI_FORMAT_IDS_ROOM
 * (at the end of its heap block, so that ASan catches a write past the room it promises).
 * The same through the table of ids' texts (cli/id_text.c): made on a first pass, read on a
 * second, and for ids past the table's end.
 */
#include "../cli/decimal.c"
#include "../cli/id_text.c"

#include "unit/splitmix.h"
#include "unit/test.h"

#include <inttypes.h>

/* The table check_ids formats through when it is not NULL. */
static cli_id_text *table;

/* ids[0 .. n) through cli_format_ids (or the table), compared with snprintf's " %u" for each. */
static void check_ids(const uint32_t *ids, size_t n)
{
    size_t room = CLI_FORMAT_IDS_ROOM(n);
    char *out = malloc(room), *want = malloc(room);
    if (!out || !want) {
        free(out);
        free(want);
        return;
    }
    size_t want_len = 0;
    for (size_t i = 0; i < n; i++)
        want_len += (size_t)snprintf(want + want_len, room - want_len, " %" PRIu32, ids[i]);
    size_t len = table ? cli_id_text_format(table, out, ids, n) : cli_format_ids(out, ids, n);
    CHECKF(len == want_len && !memcmp(out, want, len), "%zu ids from %" PRIu32 ": '%.40s' vs '%.40s'",
           n, ids[0], out, want);
    free(out);
    free(want);
}

static void test_decimal_every_small_id(void)
{
    enum { RUN = 1000 };
    uint32_t ids[RUN];
    for (uint32_t base = 0; base < 2000000 && !test_failures_here; base += RUN) {
        for (uint32_t i = 0; i < RUN; i++)
            ids[i] = base + i;
        check_ids(ids, RUN);
    }
}

static void test_decimal_edges(void)
{
    uint32_t ids[64];
    size_t n = 0;
    for (uint64_t p = 1; p <= 1000000000u; p *= 10) {
        ids[n++] = (uint32_t)p - 1;
        ids[n++] = (uint32_t)p;
        ids[n++] = (uint32_t)p + 1;
    }
    ids[n++] = 99999999;
    ids[n++] = UINT32_MAX;
    for (size_t i = 0; i < n; i++)
        check_ids(&ids[i], 1); /* alone: the last id of a buffer writes the most past its end */
    check_ids(ids, n);
    uint64_t s = 7, big[] = {0, 9, 10, UINT32_MAX, (uint64_t)UINT32_MAX + 1, UINT64_MAX};
    for (size_t i = 0; i < 1000 + sizeof big / sizeof *big; i++) {
        uint64_t v = i < sizeof big / sizeof *big ? big[i] : rnd(&s) >> (rnd(&s) % 64);
        char got[24], want[24];
        size_t len = cli_format_u64(got, v);
        snprintf(want, sizeof want, "%" PRIu64, v);
        CHECKF(len == strlen(want) && !memcmp(got, want, len), "%" PRIu64, v);
    }
}

static void test_decimal_random_ids(void)
{
    uint64_t s = 11;
    uint32_t ids[257];
    for (int c = 0; c < 2000 && !test_failures_here; c++) {
        size_t n = 1 + rnd(&s) % 257;
        for (size_t i = 0; i < n; i++)
            ids[i] = (uint32_t)(rnd(&s) >> (32 + rnd(&s) % 32));
        check_ids(ids, n);
    }
}

/* Every test above again through a table: ids below 10^6 have entries (a vocabulary of 1.5
 * million ids is cut there), the rest are formatted as before; each test runs twice, first
 * making the entries, then reading them. */
static void test_id_text_big_table(void)
{
    table = cli_id_text_new(1500000);
    CHECK(table != NULL);
    for (int pass = 0; table && pass < 2; pass++) {
        test_decimal_every_small_id();
        test_decimal_edges();
        test_decimal_random_ids();
    }
    cli_id_text_free(table);
    table = NULL;
}

/* A small vocabulary: ids from 1000 on are past the table. */
static void test_id_text_small_table(void)
{
    table = cli_id_text_new(1000);
    CHECK(table != NULL);
    for (int pass = 0; table && pass < 2; pass++) {
        test_decimal_edges();
        test_decimal_random_ids();
    }
    cli_id_text_free(table);
    table = NULL;
}

int main(void)
{
    RUN(test_decimal_every_small_id);
    RUN(test_decimal_edges);
    RUN(test_decimal_random_ids);
    RUN(test_id_text_big_table);
    RUN(test_id_text_small_table);
    TEST_EXIT();
}
