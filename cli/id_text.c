/*
 * id_text.c - the decimal text of each id, made the first time the id is printed and kept.
 *
 * `ctok encode` prints one id per three to four bytes of input, and the same few thousand ids
 * come back all through a text.  Formatting each one anew (decimal.c) took 15% of `ctok encode
 * -j1` on the corpus (perf, gpt2); a kept text is one load, one 8-byte store and a length.
 *
 * An id's entry is 8 bytes: " " and its digits (at most 7 bytes: ids below 10^6), padding, and
 * its length in byte 7; 0 is an entry not made yet.  The threads of `ctok encode` share one table:
 * an entry is written whole (a relaxed atomic store, a plain store on x86-64) and two threads
 * that make the same entry write the same value.
 */
#include "cli.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* ids below this have entries: " 999999" is 7 bytes, byte 7 holds the length */
enum { ID_TEXT_LIMIT = 1000000 };

struct cli_id_text {
    _Atomic uint64_t *entries;
    size_t n;
};

cli_id_text *cli_id_text_new(size_t n_vocab)
{
    cli_id_text *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    t->n = n_vocab < ID_TEXT_LIMIT ? n_vocab : ID_TEXT_LIMIT;
    /* calloc: fresh zero pages, so only the pages of ids that occur are ever touched */
    t->entries = calloc(t->n ? t->n : 1, sizeof *t->entries);
    if (!t->entries) {
        free(t);
        return NULL;
    }
    return t;
}

void cli_id_text_free(cli_id_text *t)
{
    if (!t)
        return;
    free((void *)t->entries);
    free(t);
}

static uint64_t make_entry(uint32_t id)
{
    unsigned char text[24] = {' '};
    size_t len = 1 + cli_format_u64((char *)text + 1, id);
    text[7] = (unsigned char)len; /* len <= 7: the digits end before byte 7 or at it */
    uint64_t e;
    memcpy(&e, text, sizeof e);
    return e;
}

size_t cli_id_text_format(cli_id_text *t, char *dst, const uint32_t *ids, size_t n)
{
    if (!t)
        return cli_format_ids(dst, ids, n);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t id = ids[i];
        if (id >= t->n) {
            len += cli_format_ids(dst + len, &ids[i], 1);
            continue;
        }
        uint64_t e = atomic_load_explicit(&t->entries[id], memory_order_relaxed);
        if (!e) {
            e = make_entry(id);
            atomic_store_explicit(&t->entries[id], e, memory_order_relaxed);
        }
        unsigned char bytes[8];
        memcpy(bytes, &e, sizeof bytes);
        memcpy(dst + len, bytes, sizeof bytes); /* the bytes past the text are in the room */
        len += bytes[7];
    }
    return len;
}
