/*
 * gen_vocab_blob.c - generates BUILD/vocab/NAME.blob, the built-in vocabulary blob of one rank
 * file of data/vocab (layout: src/vocab_blob.h and doc/format.md).  The Makefile builds it from
 * the library's own objects (all but vocab_blob_embed.c, which embeds what this makes) and runs
 *
 *     gen_vocab_blob o200k_base.tiktoken BUILD/vocab/o200k_base.blob
 *
 * before it builds the library.  Every encoding of that rank file is loaded the ordinary way
 * (parse the embedded rank file, build the token map, derive the pair map: what
 * ctok_model_load_tiktoken does), and the finished models' tables are written out field by field,
 * little-endian: one copy of the table of short tokens, the token map (of the longer tokens
 * only), the pair filter, the pair table, the byte pair table and the character table (the same
 * for every encoding of the file; checked; the pair map itself is left out, its pairs are all in
 * the table) and one variant per set of special tokens.  The
 * output depends only on the rank file and the library's code, so builds are reproducible.  It is
 * written to a temporary name and renamed.
 */
#include "vocab_blob.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct buf {
    uint8_t *p;
    size_t len, cap;
} buf;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "gen_vocab_blob: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

/* Make room for n more bytes (zeroed). */
static uint8_t *reserve(buf *b, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 20;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p)
            die("out of memory", NULL);
        memset(p + b->cap, 0, cap - b->cap);
        b->p = p;
        b->cap = cap;
    }
    uint8_t *at = b->p + b->len;
    b->len += n;
    return at;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

/* Start a section at the next multiple of CTOK__BLOB_ALIGN; store its offset at field. */
static uint8_t *section(buf *b, size_t field, size_t size)
{
    reserve(b, (CTOK__BLOB_ALIGN - b->len % CTOK__BLOB_ALIGN) % CTOK__BLOB_ALIGN);
    put64(b->p + field, b->len);
    return reserve(b, size);
}

static void put_u64s(buf *b, size_t field, const uint64_t *v, size_t n)
{
    uint8_t *p = section(b, field, n * 8);
    for (size_t i = 0; i < n; i++)
        put64(p + 8 * i, v[i]);
}

static void put_u32s(buf *b, size_t field, const uint32_t *v, size_t n)
{
    uint8_t *p = section(b, field, n * 4);
    for (size_t i = 0; i < n; i++)
        put32(p + 4 * i, v[i]);
}

static void put_bytesmap(buf *b, size_t record, const ctok__bytesmap *map)
{
    put64(b->p + record + CTOK__BM_CAP, map->cap);
    put64(b->p + record + CTOK__BM_N, map->n);
    uint8_t *p = section(b, record + CTOK__BM_SLOTS, map->cap * 16);
    for (size_t i = 0; i < map->cap; i++, p += 16) {
        const ctok__bytesslot *s = &map->slots[i];
        put32(p, s->hash);
        put32(p + 4, s->len);
        put32(p + 8, s->off);
        put32(p + 12, s->val);
    }
    memcpy(section(b, record + CTOK__BM_TAGS, map->cap), map->tags, map->cap);
}

static void put_short_tokens(buf *b, const ctok__short_tokens *t)
{
    put64(b->p + CTOK__BH_SHORT_N, t->n);
    put32(b->p + CTOK__BH_SHORT_LOG2, t->log2);
    size_t n = (size_t)1 << t->log2;
    uint8_t *p = section(b, CTOK__BH_SHORT_TOKENS, n * 16);
    for (size_t i = 0; i < n; i++, p += 16) {
        put64(p, t->slots[i].word);
        put32(p + 8, t->slots[i].val);
    }
}

static bool same_maps(const ctok_model *a, const ctok_model *b)
{
    return a->short_tokens.log2 == b->short_tokens.log2 &&
           a->short_tokens.n == b->short_tokens.n &&
           !memcmp(a->short_tokens.slots, b->short_tokens.slots,
                   sizeof *a->short_tokens.slots << a->short_tokens.log2) &&
           a->pair_to_id.cap == b->pair_to_id.cap && a->pair_to_id.n == b->pair_to_id.n &&
           !memcmp(a->pair_to_id.slots, b->pair_to_id.slots,
                   a->pair_to_id.cap * sizeof *a->pair_to_id.slots) &&
           !memcmp(a->pair_to_id.tags, b->pair_to_id.tags, a->pair_to_id.cap) &&
           a->pair_filter.log2_words == b->pair_filter.log2_words &&
           !memcmp(a->pair_filter.words, b->pair_filter.words,
                   sizeof(uint64_t) << a->pair_filter.log2_words) &&
           a->pair_table.log2 == b->pair_table.log2 && a->pair_table.words &&
           b->pair_table.words &&
           !memcmp(a->pair_table.words, b->pair_table.words,
                   sizeof(uint64_t) << a->pair_table.log2) &&
           a->byte_pairs && b->byte_pairs &&
           !memcmp(a->byte_pairs, b->byte_pairs, 256 * 256 * sizeof *a->byte_pairs) &&
           a->char_tokens && b->char_tokens &&
           !memcmp(a->char_tokens, b->char_tokens, CTOK__CHAR_TOKENS * sizeof *a->char_tokens) &&
           a->id_by_bytes.cap == b->id_by_bytes.cap && a->id_by_bytes.n == b->id_by_bytes.n &&
           !memcmp(a->id_by_bytes.slots, b->id_by_bytes.slots,
                   a->id_by_bytes.cap * sizeof *a->id_by_bytes.slots) &&
           !memcmp(a->id_by_bytes.tags, b->id_by_bytes.tags, a->id_by_bytes.cap);
}

/* The variant record at v for model m (made from encoding name). */
static void put_variant(buf *b, size_t v, const char *name, const ctok_model *m)
{
    if (strlen(name) >= CTOK__BLOB_NAME_MAX)
        die("encoding name too long", name);
    memcpy(b->p + v + CTOK__BV_NAME, name, strlen(name));
    put64(b->p + v + CTOK__BV_N_VOCAB, m->n_vocab);
    put64(b->p + v + CTOK__BV_ARENA_LEN, m->arena_len);
    memcpy(section(b, v + CTOK__BV_ARENA, m->arena_len), m->arena, m->arena_len);
    put_u64s(b, v + CTOK__BV_TOK_OFF, m->tok_off, m->n_vocab);
    put_u32s(b, v + CTOK__BV_TOK_LEN, m->tok_len, m->n_vocab);
    memcpy(section(b, v + CTOK__BV_TOK_SPECIAL, m->n_vocab), m->tok_special, m->n_vocab);
    put64(b->p + v + CTOK__BV_N_SPECIAL, m->n_special);
    put_u32s(b, v + CTOK__BV_SPECIAL_IDS, m->special_ids, m->n_special);
    put_u64s(b, v + CTOK__BV_SPECIAL_OFF, m->special_off, m->n_special);
    put_u32s(b, v + CTOK__BV_SPECIAL_LEN, m->special_len, m->n_special);
    put_bytesmap(b, v + CTOK__BV_SPECIAL_MAP, &m->special_by_bytes);
    put64(b->p + v + CTOK__BV_SPECIAL_MAX, m->special_max_len);
    put32(b->p + v + CTOK__BV_FIRST_DUP, m->first_duplicate);
    for (int i = 0; i < 8; i++) {
        put32(b->p + v + CTOK__BV_FIRST_MASK + 4 * i, m->special_first_mask[i]);
        put32(b->p + v + CTOK__BV_LEN_MASK + 4 * i, m->special_len_mask[i]);
    }
    for (int i = 0; i < 256; i++)
        put32(b->p + v + CTOK__BV_BYTE_ID + 4 * i, m->byte_id[i]);
}

enum { MAX_VARIANTS = 8 };

int main(int argc, char **argv)
{
    if (argc != 3)
        die("usage: gen_vocab_blob RANKFILE.tiktoken OUT.blob", NULL);
    const char *file = argv[1], *path = argv[2];
    ctok_model *models[MAX_VARIANTS];
    const char *names[MAX_VARIANTS];
    uint32_t n = 0;
    for (; n < MAX_VARIANTS && (names[n] = ctok__encoding_variant_name(file, n)); n++) {
        ctok_diag d;
        if (ctok__encoding_load_parsed(names[n], NULL, &models[n], &d))
            die(names[n], d.message);
        const ctok_model *m = models[n];
        if (m->kind != CTOK_MODEL_BPE || m->n_merges || !m->whole_piece_lookup || m->n_chars ||
            m->arena_len > UINT32_MAX)
            die("not a tiktoken model", names[n]);
        if (n && !same_maps(models[0], m))
            die("the encodings of this rank file have different maps", names[n]);
    }
    if (n == 0)
        die("no built-in encoding uses this rank file", file);
    ctok_encoding_info info;
    if (ctok_encoding_info_get(names[0], &info))
        die("no encoding info", names[0]);

    buf b = {NULL, 0, 0};
    reserve(&b, CTOK__BH_VARIANTS + (size_t)n * CTOK__BV_SIZE);
    memcpy(b.p + CTOK__BH_MAGIC, CTOK__BLOB_MAGIC, 8);
    put32(b.p + CTOK__BH_VERSION, CTOK__BLOB_VERSION);
    put32(b.p + CTOK__BH_N_VARIANTS, n);
    put64(b.p + CTOK__BH_HASH_CHECK, ctok__hash_bytes((const uint8_t *)CTOK__BLOB_HASH_PROBE,
                                                       sizeof CTOK__BLOB_HASH_PROBE - 1));
    put32(b.p + CTOK__BH_BYTESSLOT, 16);
    memcpy(b.p + CTOK__BH_SHA256, info.sha256, 64);
    put64(b.p + CTOK__BH_N_PAIRS, models[0]->pair_to_id.n); /* the pairs, in the table */
    if (!models[0]->short_tokens.slots)
        die("no table of short tokens", names[0]);
    put_short_tokens(&b, &models[0]->short_tokens);
    put_bytesmap(&b, CTOK__BH_IDS, &models[0]->id_by_bytes); /* the longer tokens */
    const ctok__pair_filter *filter = &models[0]->pair_filter;
    put32(b.p + CTOK__BH_FILTER_LOG2, filter->log2_words);
    put64(b.p + CTOK__BH_FILTER_CHECK, ctok__pair_filter_hash(CTOK__BLOB_FILTER_PROBE));
    put_u64s(&b, CTOK__BH_FILTER, filter->words, (size_t)1 << filter->log2_words);
    const ctok__pair_table *table = &models[0]->pair_table;
    if (!table->words)
        die("no pair table (an id past 21 bits)", names[0]);
    put32(b.p + CTOK__BH_TABLE_LOG2, table->log2);
    put_u64s(&b, CTOK__BH_TABLE, table->words, (size_t)1 << table->log2);
    if (!models[0]->byte_pairs)
        die("no byte pair table (the single bytes are not ids 0..255)", names[0]);
    put_u32s(&b, CTOK__BH_BYTE_PAIRS, models[0]->byte_pairs, 256 * 256);
    if (!models[0]->char_tokens)
        die("no character table", names[0]);
    put_u32s(&b, CTOK__BH_CHAR_TOKENS, models[0]->char_tokens, CTOK__CHAR_TOKENS);
    for (uint32_t v = 0; v < n; v++)
        put_variant(&b, CTOK__BH_VARIANTS + (size_t)v * CTOK__BV_SIZE, names[v], models[v]);
    reserve(&b, (CTOK__BLOB_ALIGN - b.len % CTOK__BLOB_ALIGN) % CTOK__BLOB_ALIGN);
    put64(b.p + CTOK__BH_SIZE, b.len);

    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        die("output path too long", path);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(b.p, 1, b.len, f) != b.len || fclose(f) || rename(tmp, path))
        die("cannot write", path);
    for (uint32_t v = 0; v < n; v++)
        ctok_model_free(models[v]);
    free(b.p);
    return 0;
}
