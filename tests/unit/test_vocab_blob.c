/*
 * test_vocab_blob.c - the built-in encodings loaded from their blobs (src/vocab_blob.c) are the
 * models the ordinary loader builds: every table equal, field by field (but the pair map, which
 * a blob leaves out: every pair of the parsed model's map is answered through the blob's pair
 * table instead; and the token map of the tokens of more than 8 bytes, whose every token the
 * blob's answers as the parsed model's does); loading one allocates almost nothing and frees nothing
 * it borrowed; and a damaged blob is refused with a message (magic, version, sizes, hash
 * function, rank file, variant, number of pairs, sections out of bounds).
 */
#include "bpe.h"
#include "vocab_blob.h"
#include "unit/test.h"

static const char *const NAMES[] = {"gpt2",       "r50k_base",  "p50k_base",    "p50k_edit",
                                    "cl100k_base", "o200k_base", "o200k_harmony"};
#define N_NAMES (sizeof NAMES / sizeof NAMES[0])

/* Whether the blob's model b answers every pair of the parsed model p's pair map as p does,
 * through its pair table (b has no pair map: version 6 left it out). */
static bool pairs_answered(const ctok_model *b, const ctok_model *p)
{
    if (b->pair_to_id.cap || b->pair_to_id.n || !b->pair_table.words)
        return false;
    for (size_t i = 0; i < p->pair_to_id.cap; i++)
        if (p->pair_to_id.tags[i] &&
            ctok__pair_merged(b, p->pair_to_id.slots[i].key) != p->pair_to_id.slots[i].val)
            return false;
    return p->pair_to_id.n > 0;
}

static bool same_bytesmap(const ctok__bytesmap *a, const ctok__bytesmap *b)
{
    return a->cap == b->cap && a->n == b->n && !memcmp(a->tags, b->tags, a->cap) &&
           !memcmp(a->slots, b->slots, a->cap * sizeof *a->slots);
}

static bool same_short_tokens(const ctok__short_tokens *a, const ctok__short_tokens *b)
{
    return a->slots && b->slots && a->log2 == b->log2 && a->n == b->n &&
           !memcmp(a->slots, b->slots, sizeof *a->slots << a->log2);
}

/* Whether the blob's model b has in its token map exactly the parsed model p's tokens, each with
 * p's id: the tokens of more than 8 bytes (both keep the shorter ones in the table of short
 * tokens only). */
static bool tokens_answered(const ctok_model *b, const ctok_model *p)
{
    for (size_t i = 0; i < p->id_by_bytes.cap; i++) {
        if (!p->id_by_bytes.tags[i])
            continue;
        const ctok__bytesslot *s = &p->id_by_bytes.slots[i];
        const uint32_t *v = ctok__bytesmap_get(&b->id_by_bytes, b->arena, p->arena + s->off,
                                               s->len);
        if (s->len <= CTOK__SHORT_TOKEN_BYTES || !v || *v != s->val)
            return false;
    }
    return p->id_by_bytes.n > 0 && b->id_by_bytes.n == p->id_by_bytes.n;
}

static void blob_models_equal_parsed_models(void)
{
    for (size_t i = 0; i < N_NAMES; i++) {
        ctok_model *b = NULL, *p = NULL;
        ctok_diag d;
        CHECKF(ctok_encoding_load(NAMES[i], NULL, &b, &d) == 0, "%s", d.message);
        CHECKF(ctok__encoding_load_parsed(NAMES[i], NULL, &p, &d) == 0, "%s", d.message);
        if (!b || !p) {
            ctok_model_free(b);
            ctok_model_free(p);
            continue;
        }
        const char *n = NAMES[i];
        CHECKF(b->borrowed && !p->borrowed, "%s", n);
        CHECKF(b->kind == p->kind && b->n_vocab == p->n_vocab && b->n_merges == 0 &&
                   p->n_merges == 0, "%s", n);
        CHECKF(b->arena_len == p->arena_len && !memcmp(b->arena, p->arena, p->arena_len), "%s",
               n);
        CHECKF(!memcmp(b->tok_off, p->tok_off, p->n_vocab * sizeof *p->tok_off) &&
                   !memcmp(b->tok_len, p->tok_len, p->n_vocab * sizeof *p->tok_len) &&
                   !memcmp(b->tok_special, p->tok_special, p->n_vocab),
               "%s: token arrays", n);
        CHECKF(!memcmp(b->byte_id, p->byte_id, sizeof p->byte_id), "%s: byte ids", n);
        CHECKF(pairs_answered(b, p), "%s: pairs", n);
        CHECKF(b->pair_filter.log2_words == p->pair_filter.log2_words &&
                   !memcmp(b->pair_filter.words, p->pair_filter.words,
                           sizeof(uint64_t) << p->pair_filter.log2_words),
               "%s: pair filter", n);
        CHECKF(b->pair_table.words && p->pair_table.words &&
                   b->pair_table.log2 == p->pair_table.log2 &&
                   !memcmp(b->pair_table.words, p->pair_table.words,
                           sizeof(uint64_t) << p->pair_table.log2),
               "%s: pair table", n);
        CHECKF(b->byte_pairs && p->byte_pairs &&
                   !memcmp(b->byte_pairs, p->byte_pairs, 256 * 256 * sizeof *p->byte_pairs),
               "%s: byte pair table", n);
        CHECKF(b->char_tokens && p->char_tokens &&
                   !memcmp(b->char_tokens, p->char_tokens,
                           CTOK__CHAR_TOKENS * sizeof *p->char_tokens),
               "%s: character table", n);
        CHECKF(same_short_tokens(&b->short_tokens, &p->short_tokens), "%s: short tokens", n);
        CHECKF(tokens_answered(b, p), "%s: token map", n);
        CHECKF(same_bytesmap(&b->special_by_bytes, &p->special_by_bytes), "%s: special map", n);
        CHECKF(b->n_special == p->n_special &&
                   !memcmp(b->special_ids, p->special_ids, p->n_special * sizeof *p->special_ids) &&
                   !memcmp(b->special_off, p->special_off, p->n_special * sizeof *p->special_off) &&
                   !memcmp(b->special_len, p->special_len, p->n_special * sizeof *p->special_len),
               "%s: special tokens", n);
        CHECKF(!memcmp(b->special_first_mask, p->special_first_mask, sizeof p->special_first_mask) &&
                   !memcmp(b->special_len_mask, p->special_len_mask, sizeof p->special_len_mask) &&
                   b->special_max_len == p->special_max_len &&
                   b->first_duplicate == p->first_duplicate &&
                   b->whole_piece_lookup == p->whole_piece_lookup,
               "%s: special token masks", n);
        CHECKF(b->pattern_len == p->pattern_len && !memcmp(b->pattern, p->pattern, p->pattern_len),
               "%s: pattern", n);
        static const char text[] = "Hello, world! <|endoftext|> 12345 \xF0\x9F\x98\x80 tokens";
        ctok_encode_options all = {{1, NULL, 0}, {0, NULL, 0}};
        uint32_t ib[64], ip[64];
        size_t nb = 0, np = 0;
        CHECKF(ctok_encode(b, (const uint8_t *)text, sizeof text - 1, &all, ib, 64, &nb, NULL) ==
                       0 &&
                   ctok_encode(p, (const uint8_t *)text, sizeof text - 1, &all, ip, 64, &np,
                               NULL) == 0 &&
                   nb == np && !memcmp(ib, ip, nb * sizeof *ib),
               "%s: encodings differ", n);
        ctok_model_free(b);
        ctok_model_free(p);
    }
}

typedef struct counting {
    long calls, live;
} counting;

static void *count_alloc(void *opaque, size_t size)
{
    counting *c = opaque;
    c->calls++;
    c->live++;
    return malloc(size);
}

static void count_free(void *opaque, void *p)
{
    counting *c = opaque;
    if (p) {
        c->live--;
        free(p);
    }
}

/* The point of the blobs: a built-in model is a few small allocations, whatever its size. */
static void loading_allocates_almost_nothing(void)
{
    for (size_t i = 0; i < N_NAMES; i++) {
        counting c = {0, 0};
        ctok_allocator a = {count_alloc, count_free, &c};
        ctok_model *m = NULL;
        CHECK(ctok_encoding_load(NAMES[i], &a, &m, NULL) == 0);
        CHECKF(c.calls <= 4, "%s: %ld allocations", NAMES[i], c.calls);
        ctok_model_free(m);
        CHECKF(c.live == 0, "%s: %ld blocks not freed", NAMES[i], c.live);
    }
}

/* A copy of the r50k blob, 64-byte aligned, that the damage cases edit. */
typedef struct copy {
    uint8_t *mem, *p;
    size_t len;
} copy;

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int load_copy(const copy *c, size_t len, uint32_t variant, const char *name,
                     const char *sha, ctok_diag *d)
{
    ctok_encoding_info info;
    ctok_encoding_info_get("gpt2", &info);
    ctok_model *m = NULL;
    int rc = ctok__model_from_blob(c->p, len, "test", name, variant, sha ? sha : info.sha256,
                                   info.n_vocab, info.n_special, info.pattern, NULL, &m, d);
    ctok_model_free(m);
    return rc;
}

static void damaged_blobs_are_refused(void)
{
    size_t len;
    const uint8_t *blob = ctok__vocab_blob("r50k_base.tiktoken", &len);
    CHECK(blob != NULL && len > CTOK__BH_VARIANTS);
    if (!blob)
        return;
    copy c = {malloc(len + CTOK__BLOB_ALIGN), NULL, len};
    c.p = c.mem + (CTOK__BLOB_ALIGN - (uintptr_t)c.mem % CTOK__BLOB_ALIGN) % CTOK__BLOB_ALIGN;
    const char *name = ctok__encoding_variant_name("r50k_base.tiktoken", 0);
    ctok_diag d;
    memcpy(c.p, blob, len);
    CHECKF(load_copy(&c, len, 0, name, NULL, &d) == 0, "%s", d.message);

    uint64_t byte1 = ctok__get_le32(blob + CTOK__BH_VARIANTS + CTOK__BV_BYTE_ID + 4);
    struct {
        size_t at;      /* a u64 to overwrite */
        uint64_t value;
        int want;
    } cases[] = {
        {CTOK__BH_MAGIC, 0x5858585858585858ull, CTOK_EFORMAT},
        {CTOK__BH_VERSION,
         (CTOK__BLOB_VERSION + 1) | (uint64_t)ctok__get_le32(blob + CTOK__BH_N_VARIANTS) << 32,
         CTOK_EVERSION},
        {CTOK__BH_SIZE, len + 64, CTOK_EFORMAT},
        {CTOK__BH_HASH_CHECK, 12345, CTOK_EFORMAT},
        {CTOK__BH_RESERVED0, (uint64_t)24 << 32, CTOK_EFORMAT},            /* bytes slot size */
        {CTOK__BH_IDS + CTOK__BM_CAP, 1000, CTOK_EFORMAT},                 /* not a power of 2 */
        {CTOK__BH_IDS + CTOK__BM_N, (uint64_t)1 << 40, CTOK_EFORMAT},      /* fuller than half */
        /* pairs that do not fit the table's size, or far too many */
        {CTOK__BH_N_PAIRS, ctok__get_le64(blob + CTOK__BH_N_PAIRS) * 2, CTOK_EFORMAT},
        {CTOK__BH_N_PAIRS, (uint64_t)1 << 41, CTOK_EFORMAT},
        {CTOK__BH_IDS + CTOK__BM_SLOTS, len - 64, CTOK_EFORMAT},           /* runs past the end */
        {CTOK__BH_IDS + CTOK__BM_TAGS, len, CTOK_EFORMAT},
        {CTOK__BH_FILTER, 8, CTOK_EFORMAT},                                 /* misaligned */
        {CTOK__BH_FILTER_LOG2, 30, CTOK_EFORMAT},                          /* past the end */
        {CTOK__BH_FILTER_CHECK, 12345, CTOK_EFORMAT},
        {CTOK__BH_TABLE, 8, CTOK_EFORMAT},                                  /* misaligned */
        {CTOK__BH_TABLE_LOG2, 30, CTOK_EFORMAT},                           /* past the end */
        {CTOK__BH_TABLE_LOG2, ctok__get_le32(blob + CTOK__BH_TABLE_LOG2) - 1u, CTOK_EFORMAT},
        {CTOK__BH_TABLE_LOG2, ctok__get_le32(blob + CTOK__BH_TABLE_LOG2) + 1u, CTOK_EFORMAT},
        {CTOK__BH_SHORT_TOKENS, 8, CTOK_EFORMAT},                           /* misaligned */
        {CTOK__BH_SHORT_TOKENS, len - 64, CTOK_EFORMAT},                    /* past the end */
        {CTOK__BH_SHORT_N, ctok__get_le64(blob + CTOK__BH_SHORT_N) * 2, CTOK_EFORMAT},
        {CTOK__BH_SHORT_LOG2, ctok__get_le32(blob + CTOK__BH_SHORT_LOG2) - 1u, CTOK_EFORMAT},
        {CTOK__BH_SHORT_LOG2, 40, CTOK_EFORMAT},
        {CTOK__BH_BYTE_PAIRS, 8, CTOK_EFORMAT},                             /* misaligned */
        {CTOK__BH_BYTE_PAIRS, len - 64, CTOK_EFORMAT},                      /* past the end */
        {CTOK__BH_CHAR_TOKENS, 8, CTOK_EFORMAT},                            /* misaligned */
        {CTOK__BH_CHAR_TOKENS, len - 64, CTOK_EFORMAT},                     /* past the end */
        {CTOK__BH_VARIANTS + CTOK__BV_TOK_OFF, 8, CTOK_EFORMAT},           /* misaligned */
        {CTOK__BH_VARIANTS + CTOK__BV_ARENA_LEN, len, CTOK_EFORMAT},
        {CTOK__BH_VARIANTS + CTOK__BV_N_VOCAB, 50000, CTOK_EFORMAT},
        {CTOK__BH_VARIANTS + CTOK__BV_N_SPECIAL, 2, CTOK_EFORMAT},
        {CTOK__BH_VARIANTS + CTOK__BV_BYTE_ID, ~0ull, CTOK_EFORMAT},
        /* bytes 0 and 1 as ids 256 and byte 1's: a byte pair table needs the ids 0..255 */
        {CTOK__BH_VARIANTS + CTOK__BV_BYTE_ID, 256 | byte1 << 32, CTOK_EFORMAT},
        {CTOK__BH_VARIANTS + CTOK__BV_BYTE_ID, byte1 | byte1 << 32, CTOK_EFORMAT},
        {CTOK__BH_VARIANTS + CTOK__BV_NAME, 0x78, CTOK_EFORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(c.p, blob, len);
        put64(c.p + cases[i].at, cases[i].value);
        d.message[0] = 0;
        int rc = load_copy(&c, len, 0, name, NULL, &d);
        CHECKF(rc == cases[i].want && d.status == rc && strstr(d.message, "test") != NULL,
               "case %zu (byte %zu): %d, want %d: %s", i, cases[i].at, rc, cases[i].want,
               d.message);
    }
    memcpy(c.p, blob, len);
    CHECK(load_copy(&c, len - 64, 0, name, NULL, &d) == CTOK_EFORMAT);  /* truncated */
    CHECK(load_copy(&c, len, 1, name, NULL, &d) == CTOK_EFORMAT);       /* no variant 1 */
    CHECK(load_copy(&c, len, 0, "r50k_base", NULL, &d) == CTOK_EFORMAT); /* other variant */
    CHECK(load_copy(&c, len, 0, name,
                    "0000000000000000000000000000000000000000000000000000000000000000",
                    &d) == CTOK_EFORMAT);                                /* other rank file */
    copy shifted = {c.mem, c.p + 8, len};
    memmove(shifted.p, blob, len - 64);
    CHECK(load_copy(&shifted, len - 64, 0, name, NULL, &d) == CTOK_EFORMAT); /* misaligned */
    free(c.mem);
}

int main(void)
{
    RUN(blob_models_equal_parsed_models);
    RUN(loading_allocates_almost_nothing);
    RUN(damaged_blobs_are_refused);
    TEST_EXIT();
}
