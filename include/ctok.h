/*
 * ctok.h - the one public header of ctok, a tokenizer library for large language models.
 *
 * ctok encodes text to token ids and back with byte-level BPE (minbpe's models, GPT-2 and every
 * tiktoken encoding) or with a character-level vocabulary (nanoGPT's shakespeare_char), and it
 * trains such tokenizers.  This header is the manual.
 *
 * Objects
 *   ctok_model    a loaded or trained tokenizer.  Immutable once made: any number of threads may
 *                 share one model without locking.
 *   ctok_encoder  per-thread scratch (buffers, caches) for encoding with one model.  Cheap to make;
 *                 never shared between threads at the same time.
 *   ctok_trainer  the state of one training run.  Single owner.
 *
 * Conventions
 *   - Fallible functions return int: CTOK_OK (0) or a negative ctok_status; results come back
 *     through out-parameters, which are left untouched on error unless documented otherwise.
 *   - Text and token bytes are (const uint8_t *ptr, size_t len): they may hold NUL bytes and need
 *     not be valid UTF-8.  Strings typed `const char *` (file paths, names) are NUL-terminated.
 *   - Loaders and encoders take an optional caller-owned ctok_diag (may be NULL) that receives a
 *     message naming the file, line and byte offset of the problem.  There is no global error slot.
 *   - Every ctok_*_free(NULL) is a no-op.
 *   - Memory: an optional ctok_allocator given at creation is kept in the handle and used for
 *     everything that handle allocates.  NULL means malloc/free.
 *   - Output sizes: every token covers at least one byte of text, so an encoding of len bytes has
 *     at most len ids (ctok_encode_bound).  Too small an output buffer is CTOK_EBUFFER, never a
 *     silent partial write.
 */
#ifndef CTOK_H
#define CTOK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Version
 * ------------------------------------------------------------------------------------------- */
#define CTOK_VERSION_MAJOR 0
#define CTOK_VERSION_MINOR 1
#define CTOK_VERSION_PATCH 0
#define CTOK_VERSION_NUMBER (CTOK_VERSION_MAJOR * 10000 + CTOK_VERSION_MINOR * 100 + CTOK_VERSION_PATCH)
#define CTOK_VERSION_STRING "0.1.0"

/* The version of the library actually linked, as CTOK_VERSION_NUMBER. */
unsigned ctok_version_number(void);
/* The same as a static string, e.g. "0.1.0". */
const char *ctok_version_string(void);

/* ---------------------------------------------------------------------------------------------
 * Status codes: one list, expanded into the enum and into ctok_strerror().
 * ------------------------------------------------------------------------------------------- */
#define CTOK_STATUS_LIST(X)                                                            \
    X(CTOK_OK, 0, "success")                                                           \
    X(CTOK_ENOMEM, -1, "out of memory")                                                \
    X(CTOK_EINVAL, -2, "invalid argument")                                             \
    X(CTOK_EIO, -3, "input/output error")                                              \
    X(CTOK_EFORMAT, -4, "malformed file")                                              \
    X(CTOK_EVERSION, -5, "unsupported file format version")                            \
    X(CTOK_EUTF8, -6, "invalid UTF-8")                                                 \
    X(CTOK_EUNKNOWN_CHAR, -7, "character not in the vocabulary")                       \
    X(CTOK_EUNKNOWN_ID, -8, "unknown token id")                                        \
    X(CTOK_ESPECIAL, -9, "text contains a disallowed special token")                   \
    X(CTOK_EBUFFER, -10, "output buffer too small")                                    \
    X(CTOK_EPATTERN, -11, "invalid split pattern")                                     \
    X(CTOK_ENOTFOUND, -12, "not found")                                                \
    X(CTOK_ETOOBIG, -13, "input too large")                                            \
    X(CTOK_EJSON, -14, "invalid JSON")                                                 \
    X(CTOK_EUNSUPPORTED, -15, "operation not supported by this model")

typedef enum ctok_status {
#define CTOK__STATUS_ENUM(name, value, text) name = value,
    CTOK_STATUS_LIST(CTOK__STATUS_ENUM)
#undef CTOK__STATUS_ENUM
} ctok_status;

/* A static, human-readable description of a status code ("unknown status" for others). */
const char *ctok_strerror(int status);

/* ---------------------------------------------------------------------------------------------
 * Memory and diagnostics
 * ------------------------------------------------------------------------------------------- */

/* A caller-supplied allocator.  alloc returns NULL on failure; free accepts NULL. */
typedef struct ctok_allocator {
    void *(*alloc)(void *opaque, size_t size);
    void (*free)(void *opaque, void *ptr);
    void *opaque;
} ctok_allocator;

/* Where and why something failed.  Filled (when non-NULL) by any call that takes it and fails.
 * Loaders put the file name and line in the message; encoders leave the place to offset (the
 * message says what is wrong, the caller says where, as it knows the file and line). */
typedef struct ctok_diag {
    int status;           /* the status the call returned */
    uint64_t line;        /* 1-based line in the input, 0 if not applicable */
    uint64_t offset;      /* byte offset in the input (or the failing id, see the function) */
    char message[512];    /* full sentence: file, line/offset and what was expected */
} ctok_diag;

/* A byte string. */
typedef struct ctok_bytes {
    const uint8_t *ptr;
    size_t len;
} ctok_bytes;

/* ---------------------------------------------------------------------------------------------
 * Models
 * ------------------------------------------------------------------------------------------- */
typedef struct ctok_model ctok_model;

typedef enum ctok_model_kind {
    CTOK_MODEL_BPE = 1,  /* byte-level BPE: any byte string encodes */
    CTOK_MODEL_CHAR = 2  /* character-level: UTF-8 text made of the vocabulary's characters */
} ctok_model_kind;

/* Load a model file, recognised by its first line: "minbpe v1" (minbpe's .model) or
 * "ctok char v1" (a character vocabulary, see doc/format.md).  name is used in messages
 * (usually the path).  Returns CTOK_EFORMAT / CTOK_EVERSION with diag naming the line. */
int ctok_model_load(const char *path, const ctok_allocator *alloc, ctok_model **out,
                    ctok_diag *diag);

/* The same from memory; name is used in messages only. */
int ctok_model_load_memory(const uint8_t *data, size_t len, const char *name,
                           const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag);

/* Write PREFIX.model and PREFIX.vocab (human-readable, as minbpe's).  Each file is written to a
 * temporary name and renamed when complete. */
int ctok_model_save(const ctok_model *model, const char *prefix, ctok_diag *diag);

/* Exports: a byte-level BPE model in other tools' formats (doc/format.md, "Exports").  Each file
 * is written to a temporary name and renamed when complete.  CTOK_EUNSUPPORTED (diag says why)
 * for a character model, two ids with the same bytes, a gap among the ordinary ids that is not a
 * special id, special texts or a pattern that are not UTF-8; CTOK_EIO naming the file. */

/* PREFIX.tiktoken, tiktoken's rank file ("BASE64 RANK" per ordinary token, rank = id), and
 * PREFIX.tiktoken.json, the sidecar with the split pattern, the special tokens and the rank
 * file's sha256.  tiktoken merges the pair whose concatenation has the lowest rank, not the first
 * pair of a merge list; for a model with a merge list (minbpe's, a trained one) the export checks
 * that both rules give the same ids for every text (true of every trained model) and fails with
 * CTOK_EUNSUPPORTED naming the first token where they would not. */
int ctok_model_export_tiktoken(const ctok_model *model, const char *prefix, ctok_diag *diag);

/* HF tokenizers' tokenizer.json at path: Split(pattern, Isolated) + ByteLevel pre-tokenizer,
 * byte-level BPE with the vocabulary and merges in order, the special tokens as added tokens with
 * their ids, ByteLevel decoder.  A model made from ranks gets the merge list that reproduces
 * tiktoken's rule (CTOK_EUNSUPPORTED if some token is not made of two lower-ranked tokens).  An
 * id with several special texts keeps only its first (HF has one text per id). */
int ctok_model_export_hf(const ctok_model *model, const char *path, ctok_diag *diag);

/* Load what ctok_model_export_tiktoken wrote: path is the sidecar (PREFIX.tiktoken.json); it
 * names the rank file (relative to the sidecar's folder), whose sha256 must match.  Errors name
 * the file, line and problem (CTOK_EFORMAT, CTOK_EJSON, CTOK_EVERSION for another version). */
int ctok_model_load_tiktoken_json(const char *path, const ctok_allocator *alloc,
                                  ctok_model **out, ctok_diag *diag);

void ctok_model_free(ctok_model *model);

ctok_model_kind ctok_model_get_kind(const ctok_model *model);

/* One past the largest token id (ordinary or special). */
size_t ctok_model_n_vocab(const ctok_model *model);

/* Every token id, ordinary or special, is below CTOK_ID_LIMIT (2^24, 83 times o200k_base's
 * vocabulary).  A model keeps tables indexed by id, so a file that gives a token a larger id is
 * refused (CTOK_EFORMAT, naming where), and so is such an id given to a loader or the trainer
 * (CTOK_EINVAL), instead of being allocated for: a minbpe model whose special token had the id
 * 400,000,000 took 13 GB and 22 s to load before. */
#define CTOK_ID_LIMIT 16777216u

/* Number of merges of a BPE model (0 for a character model). */
size_t ctok_model_n_merges(const ctok_model *model);

/* The split pattern (regex) of a BPE model; empty for none.  Valid while the model lives. */
ctok_bytes ctok_model_pattern(const ctok_model *model);

/* Special tokens: count, and the i-th one's text and id. */
size_t ctok_model_n_special(const ctok_model *model);
int ctok_model_special(const ctok_model *model, size_t i, ctok_bytes *text, uint32_t *id);

/* The bytes of token id (ordinary or special), valid while the model lives.
 * CTOK_EUNKNOWN_ID if the id is not in the vocabulary. */
int ctok_model_token_bytes(const ctok_model *model, uint32_t id, ctok_bytes *out);

/* The id of the token whose bytes are exactly (ptr, len), ordinary or special.
 * CTOK_ENOTFOUND if there is none. */
int ctok_model_token_id(const ctok_model *model, const uint8_t *ptr, size_t len, uint32_t *id);

/* Merge i of a BPE model (0-based): the pair (left, right) and the id it makes. */
int ctok_model_merge(const ctok_model *model, size_t i, uint32_t *left, uint32_t *right,
                     uint32_t *result);

/* ---------------------------------------------------------------------------------------------
 * Encoding
 * ------------------------------------------------------------------------------------------- */

/* A set of special tokens, by text: all of the model's, or a list. */
typedef struct ctok_special_set {
    int all;                 /* non-zero: every special token of the model */
    const ctok_bytes *items; /* otherwise these texts: in `allowed`, texts that are not special
                                tokens of the model are ignored; in `disallowed`, any of these
                                texts is refused, special token or not (as tiktoken does) */
    size_t n;
} ctok_special_set;

/* tiktoken's semantics: special tokens in `allowed` are encoded as their ids; if the text contains
 * any token of `disallowed` (with disallowed.all meaning "every special token not allowed") the call
 * fails with CTOK_ESPECIAL and diag names the token and its byte offset; every other special
 * token's text is encoded as ordinary text.  NULL options mean allowed = {}, disallowed = all
 * (tiktoken's and minbpe's default: raise on any special token). */
typedef struct ctok_encode_options {
    ctok_special_set allowed;
    ctok_special_set disallowed;
} ctok_encode_options;

/* The most ids an encoding of len bytes can have. */
static inline size_t ctok_encode_bound(size_t len) { return len; }

typedef struct ctok_encoder ctok_encoder;

/* Make per-thread scratch for encoding with model (which must outlive the encoder).  Keep one
 * encoder per thread for many texts, as a service would: once it has encoded 64 KiB in all, it
 * keeps a cache of the pieces it has seen (up to 3 MiB with its other scratch), and repeated
 * words then cost a lookup instead of a merge (bench/short_calls.c: twice as fast on English
 * texts of 300 bytes). */
int ctok_encoder_new(const ctok_model *model, ctok_encoder **out);
void ctok_encoder_free(ctok_encoder *enc);

/* Encode text into ids[0 .. *n_ids).  cap >= ctok_encode_bound(len) always suffices; a smaller cap
 * that turns out too small is CTOK_EBUFFER.  ids[*n_ids .. cap) is scratch: it may be written.
 * Errors: CTOK_ESPECIAL (diag->offset = byte offset of the disallowed token), for a character
 * model CTOK_EUTF8 / CTOK_EUNKNOWN_CHAR (diag->offset = byte offset of the character).  Not
 * thread-safe for one encoder; use one encoder per thread. */
int ctok_encoder_encode(ctok_encoder *enc, const uint8_t *text, size_t len,
                        const ctok_encode_options *options, uint32_t *ids, size_t cap,
                        size_t *n_ids, ctok_diag *diag);

/* Convenience: the same with a temporary encoder, made and freed in the call (about a microsecond
 * on a short text).  Thread-safe (the model is shared read-only). */
int ctok_encode(const ctok_model *model, const uint8_t *text, size_t len,
                const ctok_encode_options *options, uint32_t *ids, size_t cap, size_t *n_ids,
                ctok_diag *diag);

/* Where text may be cut for encoding in parts: the largest c <= limit such that encoding
 * text[0 .. c) and text[c .. len) separately gives exactly the ids of encoding text[0 .. len), with
 * any options, whatever text comes after text[len) -- or 0 if there is no such place.  For
 * streaming (encode a block up to c, keep the rest for the next block) and for splitting one input
 * between threads.  The built-in patterns (and minbpe's) cut after a newline between two
 * characters that are not white space, before a space between such a character and a letter,
 * after a letter before a character that is no letter, mark, white space or apostrophe, and
 * between an ASCII digit and an ASCII letter; other patterns where a piece starts with
 * a character that is not white space, after one that is not either, outside a run of letters; a
 * character model at any character; a basic (unsplit) model between two bytes that stand next to
 * each other in none of its tokens (a ranks model without a pattern only if it has no special
 * tokens, and leaving both parts longer than its longest token).  c is at least 16 bytes before
 * len and never inside a special token's text.  Thread-safe. */
size_t ctok_model_cut(const ctok_model *model, const uint8_t *text, size_t len, size_t limit);

/* ---------------------------------------------------------------------------------------------
 * Decoding
 * ------------------------------------------------------------------------------------------- */

/* Concatenate the bytes of ids[0 .. n) into out.  With out == NULL only *out_len is computed.
 * CTOK_EBUFFER if cap is too small (*out_len then holds the size needed); CTOK_EUNKNOWN_ID for an
 * id outside the vocabulary (diag->offset = index of the id in ids).  Thread-safe. */
int ctok_decode(const ctok_model *model, const uint32_t *ids, size_t n, uint8_t *out, size_t cap,
                size_t *out_len, ctok_diag *diag);

/* ---------------------------------------------------------------------------------------------
 * Training
 * ------------------------------------------------------------------------------------------- */
typedef enum ctok_train_type {
    CTOK_TRAIN_CHAR = 1,  /* character vocabulary, ids in code-point order */
    CTOK_TRAIN_BASIC = 2, /* byte-level BPE over the whole text (minbpe BasicTokenizer) */
    CTOK_TRAIN_REGEX = 3  /* byte-level BPE within the chunks of a split pattern (RegexTokenizer) */
} ctok_train_type;

typedef enum ctok_ties {
    CTOK_TIES_FIRST_SEEN = 0,   /* minbpe: among equal counts, the pair seen first in the text */
    CTOK_TIES_SMALLEST_PAIR = 1 /* HF tokenizers / rustbpe: the smallest (left, right) */
} ctok_ties;

/* What a progress callback is told: after each feed (merges_total 0), once when counting is done
 * and learning the merges begins (merges_done 0), and every 64 merges. */
typedef struct ctok_train_progress {
    uint64_t bytes_read;
    uint64_t unique_chunks;
    uint64_t merges_done;
    uint64_t merges_total;
} ctok_train_progress;

typedef struct ctok_train_options {
    ctok_train_type type;
    size_t vocab_size;          /* BPE: 256 + number of merges (specials come on top) */
    ctok_bytes pattern;         /* regex training: the split pattern (PCRE2 syntax) */
    ctok_ties ties;
    const ctok_bytes *special;  /* special tokens to register */
    const int64_t *special_ids; /* their ids, or NULL / negative entries for "after the merges" */
    size_t n_special;
    uint64_t min_frequency;     /* stop when the best pair occurs fewer times (0 or 1: never) */
    void (*progress)(void *user, const ctok_train_progress *progress);
    void *progress_user;
    const ctok_allocator *alloc;
    /* Regex training: threads that split and count the text (0 or 1: only the calling thread;
     * at most 64 are used).  The model is the same for any number.  With more than one, alloc
     * is called from several threads at once and must be thread-safe; progress is only ever
     * called from the thread that calls the trainer. */
    size_t n_threads;
} ctok_train_options;

/* The built-in split patterns by name: "gpt2", "gpt4" (minbpe's GPT4_SPLIT_PATTERN, cl100k's),
 * "o200k".  NULL for an unknown name.  The string is static. */
const char *ctok_pattern_by_name(const char *name);

typedef struct ctok_trainer ctok_trainer;

/* Start a training run.  CTOK_EINVAL (diag says which option) or CTOK_EPATTERN. */
int ctok_trainer_new(const ctok_train_options *options, ctok_trainer **out, ctok_diag *diag);

/* Add text.  The corpus is the concatenation of everything fed, in order: the model does not
 * depend on how it is cut into feeds.  The trainer copies what it needs; regex training holds a
 * few MiB of text per thread at most (plus any tail the pattern cannot split yet), and counts it
 * in batches, so errors may surface one call late. */
int ctok_trainer_feed(ctok_trainer *trainer, const uint8_t *text, size_t len, ctok_diag *diag);

/* Add one whole document (a JSONL record, say).  Nothing is inserted between documents, but no
 * chunk spans a document's start or end: regex training splits it as a text of its own (and ends
 * the text fed before it as if the corpus ended there); basic training makes it a chunk of its
 * own (so merges never join the end of one document to the start of the next); character
 * training requires it to hold whole UTF-8 characters.  Documents and ctok_trainer_feed may be
 * mixed. */
int ctok_trainer_feed_document(ctok_trainer *trainer, const uint8_t *text, size_t len,
                               ctok_diag *diag);

/* Learn the merges (or the character vocabulary) and make the model.  The trainer is spent
 * afterwards (only ctok_trainer_free may follow).  If fewer merges are possible than asked, the
 * model has fewer (see ctok_model_n_merges). */
int ctok_trainer_finish(ctok_trainer *trainer, ctok_model **out, ctok_diag *diag);

void ctok_trainer_free(ctok_trainer *trainer);

/* ---------------------------------------------------------------------------------------------
 * Encodings: OpenAI's tokenizers built in, the files they come in, and tiktoken's extras
 *
 * Built-in encodings need no file, network or environment variable: the rank files are part of
 * the library (checked against their published sha256 when ctok is built).  Names are tiktoken's:
 * gpt2, r50k_base, p50k_base, p50k_edit, cl100k_base, o200k_base, o200k_harmony.  The ids are
 * exactly tiktoken's.
 * ------------------------------------------------------------------------------------------- */

/* A special token for the loaders: its text and id. */
typedef struct ctok_special_token {
    ctok_bytes text;
    uint32_t id;
} ctok_special_token;

/* Load a tiktoken rank file: one line per token, "BASE64 RANK" (the token's bytes in standard
 * base64, its rank in decimal), ranks 0, 1, 2, ... in order; the rank is the token's id.  The
 * file carries neither the split pattern nor the special tokens, so the caller gives them:
 * pattern (PCRE2 syntax, NULL or "" for none; ctok_encoding_info has the built-in ones) and
 * specials[0 .. n_special).  A special id may fall in a gap of the ranks (p50k's 50256) or above
 * them; two specials may share an id (the first is what decode gives).  Strict: bad base64, a
 * repeated token or rank, a rank out of order or a gap that is not a special id, a missing single
 * byte, a special id that is an ordinary rank: CTOK_EFORMAT with diag naming the file, line and
 * problem.  The model merges as tiktoken does (the pair whose concatenation has the lowest rank).
 * alloc may be NULL (malloc). */
int ctok_model_load_tiktoken(const char *path, const char *pattern,
                             const ctok_special_token *specials, size_t n_special,
                             const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag);

/* The same from memory; name is used in messages only. */
int ctok_model_load_tiktoken_memory(const uint8_t *data, size_t len, const char *name,
                                    const char *pattern, const ctok_special_token *specials,
                                    size_t n_special, const ctok_allocator *alloc,
                                    ctok_model **out, ctok_diag *diag);

/* Load GPT-2 as OpenAI released it: encoder.json (token text in GPT-2's bytes_to_unicode
 * alphabet -> id) and vocab.bpe ("#version" line, then one merge "A B" per line; line i after
 * the header makes id 256 + i).  Every merge must reproduce encoder.json (A's bytes + B's bytes
 * is the token with that id), ids 0-255 must be the single bytes, and <|endoftext|> is the special
 * token.  The pattern is GPT-2's.  The result encodes exactly as the built-in "gpt2".  Errors
 * (CTOK_EFORMAT, CTOK_EJSON) name the file, line and problem. */
int ctok_model_load_gpt2(const char *encoder_json_path, const char *vocab_bpe_path,
                         const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag);

/* The same from memory; the names are used in messages only. */
int ctok_model_load_gpt2_memory(const uint8_t *encoder_json, size_t encoder_len,
                                const char *encoder_name, const uint8_t *vocab_bpe,
                                size_t vocab_len, const char *vocab_name,
                                const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag);

/* The number of built-in encodings, and the i-th one's name (NULL past the end).  Static. */
size_t ctok_encoding_count(void);
const char *ctok_encoding_name(size_t i);

/* The built-in encoding for name: an encoding name ("cl100k_base") or a model name as tiktoken's
 * encoding_for_model knows it ("gpt-4o", "gpt-4-0613", "text-davinci-003", "gpt-oss-20b", ...:
 * the exact names first, then the name prefixes).  NULL if neither.  Static string. */
const char *ctok_encoding_for_model(const char *name);

/* Load a built-in encoding by encoding or model name.  CTOK_ENOTFOUND (diag lists the names) for
 * an unknown name.  Cheap (microseconds, a few small allocations): the model uses the tables the
 * build precomputed, in place in the library's read-only data.  A model is immutable and
 * thread-safe; one may be shared by any number of threads. */
int ctok_encoding_load(const char *name, const ctok_allocator *alloc, ctok_model **out,
                       ctok_diag *diag);

/* What a built-in encoding is, without loading it.  All pointers are static. */
typedef struct ctok_encoding_info {
    const char *name;        /* the encoding's name */
    const char *file;        /* its rank file's name, e.g. "cl100k_base.tiktoken" */
    const char *pattern;     /* the split pattern (tiktoken's pat_str) */
    const char *sha256;      /* the rank file's published sha256, 64 hex digits (the build checks
                                the embedded copy against it) */
    ctok_bytes rank_file;    /* the embedded rank file itself */
    size_t n_vocab;          /* one past the largest id, as tiktoken's n_vocab */
    size_t n_ranks;          /* ordinary tokens */
    size_t n_special;        /* special tokens (names: o200k_harmony has two for id 200018) */
} ctok_encoding_info;

/* Describe the built-in encoding for name (encoding or model name).  CTOK_ENOTFOUND if none. */
int ctok_encoding_info_get(const char *name, ctok_encoding_info *out);

/* SHA-256 of data[0 .. len), as 64 lowercase hex digits and a NUL. */
void ctok_sha256_hex(const uint8_t *data, size_t len, char hex[65]);

/* tiktoken's eot_token: the id of <|endoftext|>.  CTOK_ENOTFOUND if the model has none. */
int ctok_model_eot(const ctok_model *model, uint32_t *id);

/* The number of ids ctok_encode would give, without storing them (no O(len) id buffer).  Same
 * options and errors as ctok_encode.  Thread-safe. */
int ctok_count(const ctok_model *model, const uint8_t *text, size_t len,
               const ctok_encode_options *options, size_t *n_ids, ctok_diag *diag);

/* The same with an encoder's scratch (faster for many calls; one encoder per thread). */
int ctok_encoder_count(ctok_encoder *enc, const uint8_t *text, size_t len,
                       const ctok_encode_options *options, size_t *n_ids, ctok_diag *diag);

/* Encode text and keep at most max_ids ids: the longest prefix of the full encoding (tiktoken's
 * ids, not the encoding of a cut text) that has at most max_ids ids and ends at a character
 * boundary of the text, so that its decoding is a prefix of the text that never ends inside a
 * UTF-8 character (invalid bytes count as characters of their own).  ids needs room for max_ids
 * (cap >= max_ids, or cap >= ctok_encode_bound(len)).  *n_ids gets the count and *text_len (may
 * be NULL) the number of bytes of text they cover.  Errors as ctok_encode. */
int ctok_encode_truncated(const ctok_model *model, const uint8_t *text, size_t len,
                          const ctok_encode_options *options, size_t max_ids, uint32_t *ids,
                          size_t cap, size_t *n_ids, size_t *text_len, ctok_diag *diag);

/* tiktoken's decode_with_offsets: decode ids[0 .. n) into out (as ctok_decode: out == NULL only
 * measures, CTOK_EBUFFER if cap is too small) and give offsets[i], the character (code point)
 * offset in the decoded text at which token i starts; a token that starts with a UTF-8
 * continuation byte counts as starting at the character it continues.  Like tiktoken, the
 * decoded text must be valid UTF-8: CTOK_EUTF8 otherwise (diag->offset = the byte offset).
 * offsets has room for n entries and may be NULL.  Thread-safe. */
int ctok_decode_with_offsets(const ctok_model *model, const uint32_t *ids, size_t n, uint8_t *out,
                             size_t cap, size_t *out_len, size_t *offsets, ctok_diag *diag);

/* ---------------------------------------------------------------------------------------------
 * JSON helpers for JSONL tools (the CLI's --jsonl and the Python bindings use them)
 * ------------------------------------------------------------------------------------------- */

/* Parse one JSON value: a string, or (when field is not NULL) an object whose member `field` is a
 * string (the last one if the key repeats, as Python's json).  The decoded UTF-8 text is written to
 * out (cap >= len always suffices: decoding never grows the text) and its length to *out_len.
 * CTOK_EJSON for anything else (bad syntax, a missing or non-string field, a lone surrogate escape,
 * raw control characters, invalid UTF-8): diag->offset is the byte at fault (the object's '{' for a
 * missing field, the opening quote of an unterminated string) and the message says what is wrong,
 * not where.  CTOK_EBUFFER if cap is too small. */
int ctok_json_text(const uint8_t *json, size_t len, const char *field, uint8_t *out, size_t cap,
                   size_t *out_len, ctok_diag *diag);

/* Parse a JSON array of non-negative integers below 2^32 into ids (cap >= len/2 + 1 suffices).
 * CTOK_EJSON with diag->offset at the problem; CTOK_EBUFFER if cap is too small. */
int ctok_json_ids(const uint8_t *json, size_t len, uint32_t *ids, size_t cap, size_t *n_ids,
                  ctok_diag *diag);

/* Write bytes as a JSON string literal (with quotes), replacing invalid UTF-8 by U+FFFD as
 * tiktoken's decode does.  cap >= 6 * len + 2 always suffices; with out == NULL only *out_len is
 * computed; CTOK_EBUFFER (with *out_len the size needed) if cap is too small. */
int ctok_json_quote(const uint8_t *text, size_t len, uint8_t *out, size_t cap, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif /* CTOK_H */
