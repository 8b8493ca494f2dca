/*
 * vocab_blob.c - a built-in encoding's model straight from its embedded blob (vocab_blob.h,
 * doc/format.md): check the header and the variant record, then point a model at the blob's
 * arrays.  Nothing is parsed, hashed or copied, so loading o200k_base costs about as much as
 * loading nothing, and the tables' pages are read only when an encoding call touches them.
 *
 * The blob is ours (the build made it from the rank files, with the ordinary loader), but it is
 * still checked like any file: magic, version, sizes of the slot records, the hash function it was
 * made with, the rank file's sha256, and every section inside the blob and aligned.  What is not
 * checked is the content of the arrays (that would touch every page, which is the cost this file
 * exists to avoid); the unit test compares every table with a model built by parsing.
 */
#include "vocab_blob.h"

#include <stddef.h>

/* The maps' slots are used in place, so they must be laid out as the blob's slot records. */
_Static_assert(sizeof(ctok__bytesslot) == 16 && offsetof(ctok__bytesslot, hash) == 0 &&
                   offsetof(ctok__bytesslot, len) == 4 && offsetof(ctok__bytesslot, off) == 8 &&
                   offsetof(ctok__bytesslot, val) == 12,
               "ctok__bytesslot must match the blob's bytes slot record");

/* ...and so must the short tokens' slots (short_tokens.h). */
_Static_assert(sizeof(ctok__short_token_slot) == 16 &&
                   offsetof(ctok__short_token_slot, word) == 0 &&
                   offsetof(ctok__short_token_slot, val) == 8,
               "ctok__short_token_slot must match the blob's short token slot");

static bool little_endian(void)
{
    const uint16_t one = 1;
    uint8_t first;
    memcpy(&first, &one, 1);
    return first == 1;
}

typedef struct reader {
    const uint8_t *blob;
    size_t len;
    const char *label;
    ctok_diag *diag;
} reader;

static int bad(const reader *r, uint64_t at, const char *what)
{
    return ctok__fail(r->diag, CTOK_EFORMAT, 0, at,
                      "%s: the built-in vocabulary blob is damaged or stale (%s at byte %llu); "
                      "rebuild ctok", r->label, what, (unsigned long long)at);
}

/* count elements of elem bytes at the blob offset stored at field; NULL if the section is not
 * inside the blob or not aligned. */
static const void *section(const reader *r, size_t field, uint64_t count, size_t elem)
{
    uint64_t off = ctok__get_le64(r->blob + field);
    if (off % CTOK__BLOB_ALIGN || off > r->len || count > (r->len - off) / elem)
        return NULL;
    return r->blob + off;
}

/* The map record at field; false if it does not describe a map inside the blob. */
static bool map_at(const reader *r, size_t field, size_t slot_size, uint8_t **tags, void **slots,
                   size_t *cap, size_t *n)
{
    uint64_t c = ctok__get_le64(r->blob + field + CTOK__BM_CAP);
    uint64_t k = ctok__get_le64(r->blob + field + CTOK__BM_N);
    if (c < 16 || (c & (c - 1)) || k * 2 > c || c > SIZE_MAX)
        return false;
    const void *s = section(r, field + CTOK__BM_SLOTS, c, slot_size);
    const void *t = section(r, field + CTOK__BM_TAGS, c, 1);
    if (!s || !t)
        return false;
    /* read-only memory behind non-const pointers: a finished model is never written */
    *slots = (void *)(uintptr_t)s;
    *tags = (uint8_t *)(uintptr_t)t;
    *cap = (size_t)c;
    *n = (size_t)k;
    return true;
}

/* Check the header; the variant record's offset in *variant_at. */
static int check_header(const reader *r, const char *sha256, uint32_t variant,
                        const char *variant_name, size_t *variant_at)
{
    const uint8_t *b = r->blob;
    if ((uintptr_t)b % CTOK__BLOB_ALIGN || r->len < CTOK__BH_VARIANTS ||
        memcmp(b + CTOK__BH_MAGIC, CTOK__BLOB_MAGIC, 8))
        return bad(r, 0, "no blob header");
    uint32_t version = ctok__get_le32(b + CTOK__BH_VERSION);
    if (version != CTOK__BLOB_VERSION)
        return ctok__fail(r->diag, CTOK_EVERSION, 0, CTOK__BH_VERSION,
                          "%s: the built-in vocabulary blob has version %u, this library reads "
                          "version %u; rebuild ctok", r->label, version, CTOK__BLOB_VERSION);
    if (ctok__get_le64(b + CTOK__BH_SIZE) != r->len)
        return bad(r, CTOK__BH_SIZE, "size");
    uint64_t probe = ctok__hash_bytes((const uint8_t *)CTOK__BLOB_HASH_PROBE,
                                      sizeof CTOK__BLOB_HASH_PROBE - 1);
    if (ctok__get_le64(b + CTOK__BH_HASH_CHECK) != probe)
        return bad(r, CTOK__BH_HASH_CHECK, "made with another hash function");
    if (ctok__get_le64(b + CTOK__BH_FILTER_CHECK) !=
        ctok__pair_filter_hash(CTOK__BLOB_FILTER_PROBE))
        return bad(r, CTOK__BH_FILTER_CHECK, "made with another pair filter hash");
    if (ctok__get_le32(b + CTOK__BH_BYTESSLOT) != sizeof(ctok__bytesslot))
        return bad(r, CTOK__BH_BYTESSLOT, "slot size");
    if (!sha256 || strlen(sha256) != 64 || memcmp(b + CTOK__BH_SHA256, sha256, 64))
        return bad(r, CTOK__BH_SHA256, "made from another rank file");
    uint32_t n_variants = ctok__get_le32(b + CTOK__BH_N_VARIANTS);
    if (variant >= n_variants ||
        (r->len - CTOK__BH_VARIANTS) / CTOK__BV_SIZE < (size_t)variant + 1)
        return bad(r, CTOK__BH_N_VARIANTS, "no such variant");
    size_t at = CTOK__BH_VARIANTS + (size_t)variant * CTOK__BV_SIZE;
    char name[CTOK__BLOB_NAME_MAX + 1] = {0};
    memcpy(name, b + at + CTOK__BV_NAME, CTOK__BLOB_NAME_MAX);
    if (!variant_name || strcmp(name, variant_name))
        return bad(r, at + CTOK__BV_NAME, "variant name");
    *variant_at = at;
    return CTOK_OK;
}

/* Point m at variant record v of the blob. */
static int fill(const reader *r, size_t v, size_t n_vocab, size_t n_special, ctok_model *m)
{
    const uint8_t *b = r->blob;
    if (ctok__get_le64(b + v + CTOK__BV_N_VOCAB) != n_vocab || n_vocab >= UINT32_MAX)
        return bad(r, v + CTOK__BV_N_VOCAB, "vocabulary size");
    if (ctok__get_le64(b + v + CTOK__BV_N_SPECIAL) != n_special)
        return bad(r, v + CTOK__BV_N_SPECIAL, "number of special tokens");
    uint64_t arena_len = ctok__get_le64(b + v + CTOK__BV_ARENA_LEN);
    const void *arena = section(r, v + CTOK__BV_ARENA, arena_len, 1);
    const void *tok_off = section(r, v + CTOK__BV_TOK_OFF, n_vocab, sizeof *m->tok_off);
    const void *tok_len = section(r, v + CTOK__BV_TOK_LEN, n_vocab, sizeof *m->tok_len);
    const void *tok_special = section(r, v + CTOK__BV_TOK_SPECIAL, n_vocab, 1);
    const void *sp_ids = section(r, v + CTOK__BV_SPECIAL_IDS, n_special, sizeof *m->special_ids);
    const void *sp_off = section(r, v + CTOK__BV_SPECIAL_OFF, n_special, sizeof *m->special_off);
    const void *sp_len = section(r, v + CTOK__BV_SPECIAL_LEN, n_special, sizeof *m->special_len);
    if (!arena || arena_len > UINT32_MAX || !tok_off || !tok_len || !tok_special || !sp_ids ||
        !sp_off || !sp_len)
        return bad(r, v, "a section outside the blob");
    /* read-only memory behind non-const pointers: a finished model is never written */
    m->arena = (uint8_t *)(uintptr_t)arena;
    m->arena_len = m->arena_cap = (size_t)arena_len;
    m->tok_off = (uint64_t *)(uintptr_t)tok_off;
    m->tok_len = (uint32_t *)(uintptr_t)tok_len;
    m->tok_special = (uint8_t *)(uintptr_t)tok_special;
    m->tok_cap = m->n_vocab = n_vocab;
    m->special_ids = (uint32_t *)(uintptr_t)sp_ids;
    m->special_off = (uint64_t *)(uintptr_t)sp_off;
    m->special_len = (uint32_t *)(uintptr_t)sp_len;
    m->n_special = m->special_cap = n_special;
    /* no pair map (m->pair_to_id stays empty): the pair table answers every pair */
    uint64_t n_pairs = ctok__get_le64(b + CTOK__BH_N_PAIRS);
    uint32_t log2_words = ctok__get_le32(b + CTOK__BH_FILTER_LOG2);
    const void *words = log2_words < 40 ? section(r, CTOK__BH_FILTER, (uint64_t)1 << log2_words,
                                                  sizeof(uint64_t))
                                        : NULL;
    if (!words)
        return bad(r, CTOK__BH_FILTER, "pair filter");
    m->pair_filter.words = (uint64_t *)(uintptr_t)words;
    m->pair_filter.log2_words = log2_words;
    /* the table is at most 90% full (so that a lookup always meets an empty word) */
    uint32_t table_log2 = ctok__get_le32(b + CTOK__BH_TABLE_LOG2);
    words = table_log2 < 40 && n_pairs < ((uint64_t)1 << 40) &&
                    ctok__pair_table_log2((size_t)n_pairs) == table_log2
                ? section(r, CTOK__BH_TABLE, (uint64_t)1 << table_log2, sizeof(uint64_t))
                : NULL;
    if (!words)
        return bad(r, CTOK__BH_TABLE, "pair table");
    m->pair_table.words = (uint64_t *)(uintptr_t)words;
    m->pair_table.log2 = table_log2;
    const void *byte_pairs = section(r, CTOK__BH_BYTE_PAIRS, 256 * 256, sizeof(uint32_t));
    if (!byte_pairs)
        return bad(r, CTOK__BH_BYTE_PAIRS, "byte pair table");
    m->byte_pairs = (uint32_t *)(uintptr_t)byte_pairs;
    const void *char_tokens = section(r, CTOK__BH_CHAR_TOKENS, CTOK__CHAR_TOKENS, sizeof(uint32_t));
    if (!char_tokens)
        return bad(r, CTOK__BH_CHAR_TOKENS, "character table");
    m->char_tokens = (uint32_t *)(uintptr_t)char_tokens;
    uint64_t n_short = ctok__get_le64(b + CTOK__BH_SHORT_N);
    uint32_t short_log2 = ctok__get_le32(b + CTOK__BH_SHORT_LOG2);
    const void *short_slots =
        short_log2 < 40 && n_short < ((uint64_t)1 << 40) &&
                ctok__short_tokens_log2((size_t)n_short) == short_log2
            ? section(r, CTOK__BH_SHORT_TOKENS, (uint64_t)1 << short_log2,
                      sizeof(ctok__short_token_slot))
            : NULL;
    if (!short_slots)
        return bad(r, CTOK__BH_SHORT_TOKENS, "table of short tokens");
    m->short_tokens.slots = (ctok__short_token_slot *)(uintptr_t)short_slots;
    m->short_tokens.n = (size_t)n_short;
    m->short_tokens.log2 = short_log2;
    void *slots;
    if (!map_at(r, CTOK__BH_IDS, sizeof(ctok__bytesslot), &m->id_by_bytes.tags, &slots,
                &m->id_by_bytes.cap, &m->id_by_bytes.n))
        return bad(r, CTOK__BH_IDS, "token map");
    m->id_by_bytes.slots = slots;
    if (!map_at(r, v + CTOK__BV_SPECIAL_MAP, sizeof(ctok__bytesslot), &m->special_by_bytes.tags,
                &slots, &m->special_by_bytes.cap, &m->special_by_bytes.n))
        return bad(r, v + CTOK__BV_SPECIAL_MAP, "special token map");
    m->special_by_bytes.slots = slots;
    m->special_max_len = (size_t)ctok__get_le64(b + v + CTOK__BV_SPECIAL_MAX);
    m->first_duplicate = ctok__get_le32(b + v + CTOK__BV_FIRST_DUP);
    for (int i = 0; i < 8; i++) {
        m->special_first_mask[i] = ctok__get_le32(b + v + CTOK__BV_FIRST_MASK + 4 * i);
        m->special_len_mask[i] = ctok__get_le32(b + v + CTOK__BV_LEN_MASK + 4 * i);
    }
    for (int i = 0; i < 256; i++) {
        m->byte_id[i] = ctok__get_le32(b + v + CTOK__BV_BYTE_ID + 4 * i);
        if (m->byte_id[i] >= n_vocab)
            return bad(r, v + CTOK__BV_BYTE_ID + 4 * (size_t)i, "byte token");
    }
    /* the byte pair table is indexed by the single bytes' ids */
    if (!ctok__bytes_are_first_ids(m->byte_id))
        return bad(r, v + CTOK__BV_BYTE_ID, "byte tokens not the ids 0..255");
    m->whole_piece_lookup = true; /* tiktoken's rule, as ctok__tiktoken_build sets it */
    m->merges_reach_tokens = true; /* a fact of the built-in rank files (model.h) */
    return CTOK_OK;
}

int ctok__model_from_blob(const uint8_t *blob, size_t len, const char *label,
                          const char *variant_name, uint32_t variant, const char *sha256,
                          size_t n_vocab, size_t n_special, const char *pattern,
                          const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag)
{
    if (!little_endian())
        return CTOK_EUNSUPPORTED;
    reader r = {blob, len, label, diag};
    size_t v = 0;
    int rc = blob ? check_header(&r, sha256, variant, variant_name, &v) : bad(&r, 0, "no blob");
    if (rc)
        return rc;
    ctok_model *m;
    rc = ctok__model_new(alloc, CTOK_MODEL_BPE, &m);
    if (rc)
        return ctok__fail(diag, rc, 0, 0, "%s: %s", label, ctok_strerror(rc));
    m->borrowed = true; /* before any pointer into the blob is set: free never frees them */
    rc = fill(&r, v, n_vocab, n_special, m);
    if (!rc && pattern && *pattern) {
        rc = ctok__model_set_pattern(m, (const uint8_t *)pattern, strlen(pattern), diag);
        if (rc == CTOK_ENOMEM)
            ctok__fail(diag, rc, 0, 0, "%s: %s", label, ctok_strerror(rc));
    }
    if (rc) {
        ctok_model_free(m);
        return rc;
    }
    *out = m;
    return CTOK_OK;
}
