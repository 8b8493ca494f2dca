/*
 * vocab_blob.h - the built-in vocabularies in ready-to-use form: one "blob" per rank file of
 * data/vocab, made at build time by tools/gen_vocab_blob.c from a model that the ordinary loader
 * built, embedded read-only in the library (vocab_blob_embed.c), and used in place by
 * vocab_blob.c.  Loading a built-in encoding then costs no parsing, no hashing and no copying: the
 * model points at the blob's arrays, and only the pages a call touches are ever read (and they
 * are shared by every process that maps the library).
 *
 * The layout is in doc/format.md ("Built-in vocabulary blob"); the offsets below are its tables.
 * All numbers are little-endian; every section starts at a multiple of 64 bytes from the start of
 * the blob, which is itself 64-byte aligned.  A blob has one token map, one pair filter and
 * one pair table, one byte pair table, one character table and one table of short tokens (the
 * token bytes -> id maps, the pairs' filter and packed table, what two bytes merge into and which
 * characters a merge may start from depend only on the ordinary tokens) and
 * one "variant" per set of special tokens that the encodings of that file use (o200k_base and
 * o200k_harmony, p50k_base and p50k_edit): token arrays, arena and special tokens.
 *
 * The token map holds only the tokens of 9 bytes or more (since version 7): the shorter ones are
 * in the table of short tokens (short_tokens.h), which answers their lookups in one cache line.
 *
 * The pair map (pair -> merged id) is not in it (since version 6): the pair table holds the same
 * pairs and answers every lookup, and the map was 46% of the blobs (o200k_base's 17.8 of 40.1 MB),
 * in every program that links the library.  A model made from a blob has an empty pair map.
 */
#ifndef CTOK_VOCAB_BLOB_H
#define CTOK_VOCAB_BLOB_H

#include "model.h"

#define CTOK__BLOB_MAGIC "ctokvblb"
#define CTOK__BLOB_VERSION 7u
#define CTOK__BLOB_ALIGN 64u
#define CTOK__BLOB_NAME_MAX 32u /* variant names, NUL-padded */

/* header: byte offsets */
enum {
    CTOK__BH_MAGIC = 0,        /* 8 bytes, CTOK__BLOB_MAGIC */
    CTOK__BH_VERSION = 8,      /* u32 */
    CTOK__BH_N_VARIANTS = 12,  /* u32 */
    CTOK__BH_SIZE = 16,        /* u64: the whole blob */
    CTOK__BH_HASH_CHECK = 24,  /* u64: ctok__hash_bytes of CTOK__BLOB_HASH_PROBE */
    CTOK__BH_RESERVED0 = 32,   /* u32: 0 (version 5's pair slot size) */
    CTOK__BH_BYTESSLOT = 36,   /* u32: sizeof(ctok__bytesslot) */
    CTOK__BH_SHA256 = 40,      /* 64 ASCII hex digits: sha256 of the rank file */
    CTOK__BH_N_PAIRS = 104,    /* u64: the pairs that merge (the pair table's entries) */
    CTOK__BH_SHORT_TOKENS = 112, /* u64 offset of the short tokens' slots (short_tokens.h) */
    CTOK__BH_SHORT_N = 120,    /* u64: the tokens in them */
    CTOK__BH_SHORT_LOG2 = 128, /* u32: log2 of the number of slots */
    CTOK__BH_RESERVED3 = 132,  /* u32: 0 */
    CTOK__BH_IDS = 136,        /* map: ordinary token bytes -> id, tokens of 9 bytes or more */
    CTOK__BH_FILTER = 168,     /* u64 offset of the pair filter's words (pair_filter.h) */
    CTOK__BH_FILTER_LOG2 = 176, /* u32: log2 of their number */
    CTOK__BH_RESERVED = 180,   /* u32: 0 */
    CTOK__BH_FILTER_CHECK = 184, /* u64: ctok__pair_filter_hash(CTOK__BLOB_FILTER_PROBE) */
    CTOK__BH_TABLE = 192,      /* u64 offset of the pair table's words (pair_table.h) */
    CTOK__BH_TABLE_LOG2 = 200, /* u32: log2 of their number */
    CTOK__BH_RESERVED2 = 204,  /* u32: 0 */
    CTOK__BH_BYTE_PAIRS = 208, /* u64 offset of u32[65536]: the byte pair table (byte_pairs.c) */
    CTOK__BH_CHAR_TOKENS = 216, /* u64 offset of u32[65536]: the character table (char_tokens.c) */
    CTOK__BH_VARIANTS = 224,   /* n_variants variant records follow */
};

/* a map record (32 bytes; the token map, a variant's special token map): slot count (a power of
 * two), keys, offsets of the slot array and of the tag array (hashmap.c) */
enum { CTOK__BM_CAP = 0, CTOK__BM_N = 8, CTOK__BM_SLOTS = 16, CTOK__BM_TAGS = 24,
       CTOK__BM_SIZE = 32 };

/* variant record: byte offsets inside it; "offset" fields are from the start of the blob */
enum {
    CTOK__BV_NAME = 0,           /* the encoding it was made from, NUL-padded */
    CTOK__BV_N_VOCAB = 32,       /* u64 */
    CTOK__BV_ARENA = 40,         /* u64 offset of the token bytes */
    CTOK__BV_ARENA_LEN = 48,     /* u64 */
    CTOK__BV_TOK_OFF = 56,       /* u64 offset of u64[n_vocab] */
    CTOK__BV_TOK_LEN = 64,       /* u64 offset of u32[n_vocab] */
    CTOK__BV_TOK_SPECIAL = 72,   /* u64 offset of u8[n_vocab] */
    CTOK__BV_N_SPECIAL = 80,     /* u64 */
    CTOK__BV_SPECIAL_IDS = 88,   /* u64 offset of u32[n_special] */
    CTOK__BV_SPECIAL_OFF = 96,   /* u64 offset of u64[n_special] */
    CTOK__BV_SPECIAL_LEN = 104,  /* u64 offset of u32[n_special] */
    CTOK__BV_SPECIAL_MAP = 112,  /* map record: special token bytes -> index */
    CTOK__BV_SPECIAL_MAX = 144,  /* u64: longest special token */
    CTOK__BV_FIRST_DUP = 152,    /* u32: first_duplicate */
    CTOK__BV_RESERVED = 156,     /* u32: 0 */
    CTOK__BV_FIRST_MASK = 160,   /* u32[8] */
    CTOK__BV_LEN_MASK = 192,     /* u32[8] */
    CTOK__BV_BYTE_ID = 224,      /* u32[256] */
    CTOK__BV_SIZE = 1248
};

/* What the header's hash check is taken of: a blob made with another hash function is stale. */
#define CTOK__BLOB_HASH_PROBE "ctok vocabulary blob"
/* ...and the pair filter's hash of this key: a blob made with another filter hash is stale too. */
#define CTOK__BLOB_FILTER_PROBE 0x0123456789ABCDEFull

static inline uint32_t ctok__get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t ctok__get_le64(const uint8_t *p)
{
    return (uint64_t)ctok__get_le32(p) | (uint64_t)ctok__get_le32(p + 4) << 32;
}

/* The embedded blob of a rank file ("o200k_base.tiktoken"), or NULL when the library has none
 * (built with CTOK_VOCAB_NO_BLOBS, as the generator is, or for a big-endian target).
 * vocab_blob_embed.c. */
const uint8_t *ctok__vocab_blob(const char *file, size_t *len);

/* Make a model that uses variant `variant` of blob[0 .. len) in place.  The blob must say it was
 * made from the rank file with this sha256 (64 hex digits), the variant must be named
 * variant_name and have n_vocab ids and n_special special tokens, or the result is CTOK_EFORMAT
 * (CTOK_EVERSION for another format version) with diag saying what is wrong.  CTOK_EUNSUPPORTED
 * if this machine cannot use the blob in place (not little-endian).  pattern: the split pattern.
 * vocab_blob.c. */
int ctok__model_from_blob(const uint8_t *blob, size_t len, const char *label,
                          const char *variant_name, uint32_t variant, const char *sha256,
                          size_t n_vocab, size_t n_special, const char *pattern,
                          const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag);

/* encodings.c, for the generator and the tests: build encoding `name` the ordinary way (parse
 * its embedded rank file), and name the encoding that defines variant `variant` of a rank file's
 * blob (NULL past the last). */
int ctok__encoding_load_parsed(const char *name, const ctok_allocator *alloc, ctok_model **out,
                               ctok_diag *diag);
const char *ctok__encoding_variant_name(const char *file, uint32_t variant);

#endif /* CTOK_VOCAB_BLOB_H */
