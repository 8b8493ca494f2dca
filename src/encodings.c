/*
 * encodings.c - OpenAI's encodings by name (gpt2, r50k_base, p50k_base, p50k_edit, cl100k_base,
 * o200k_base, o200k_harmony) and tiktoken's map from model names to them.
 *
 * Each encoding is an embedded rank file (vocab_data.c) plus what tiktoken's
 * tiktoken_ext/openai_public.py adds to it: the split pattern and the special tokens.  Loading
 * one uses the model that the build made from these (a blob, vocab_blob.h) in place; the rank
 * file is parsed only where there is no blob (the generator that makes them, big-endian hosts).
 * The
 * patterns are data/vocab/encodings.json's pat_str, the spelling the reference ids were made with
 * (tests/unit/test_vectors.c checks this table against that file, and the build checks the
 * embedded files against its sha256 values).  The model names are tiktoken's model.py (0.12):
 * exact names first, then prefixes in its order.
 */
#include "loaders.h"
#include "vocab_blob.h"
#include "vocab_data.h"

#include <stdio.h>

static const char PAT_R50K[] =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
static const char PAT_CL100K[] =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
    "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
static const char PAT_O200K[] =
    "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
    "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| "
    "?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

typedef struct special {
    const char *text;
    uint32_t id;
} special;

/* in tiktoken's order (its dicts keep insertion order; ctok_model_special follows it) */
static const special SP_R50K[] = {{"<|endoftext|>", 50256}};
static const special SP_P50K_EDIT[] = {{"<|endoftext|>", 50256},
                                       {"<|fim_prefix|>", 50281},
                                       {"<|fim_middle|>", 50282},
                                       {"<|fim_suffix|>", 50283}};
static const special SP_CL100K[] = {{"<|endoftext|>", 100257},
                                    {"<|fim_prefix|>", 100258},
                                    {"<|fim_middle|>", 100259},
                                    {"<|fim_suffix|>", 100260},
                                    {"<|endofprompt|>", 100276}};
/* o200k_harmony: o200k_base's two, these, then <|reserved_N|> for N = 200013 .. 201087 (200018
 * included, so that id has two names; <|endofprompt|> came first and is what decode gives) */
static const special SP_O200K[] = {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}};
static const special SP_HARMONY[] = {
    {"<|startoftext|>", 199998},    {"<|reserved_200000|>", 200000},
    {"<|reserved_200001|>", 200001}, {"<|return|>", 200002},
    {"<|constrain|>", 200003},      {"<|reserved_200004|>", 200004},
    {"<|channel|>", 200005},        {"<|start|>", 200006},
    {"<|end|>", 200007},            {"<|message|>", 200008},
    {"<|reserved_200009|>", 200009}, {"<|reserved_200010|>", 200010},
    {"<|reserved_200011|>", 200011}, {"<|call|>", 200012}};
#define HARMONY_RESERVED_FIRST 200013u
#define HARMONY_RESERVED_END 201088u

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

typedef struct encoding {
    const char *name;
    const char *file;
    const uint8_t *start, *end; /* the embedded file */
    const char *sha256;
    const char *pattern;
    const special *specials, *more_specials;
    size_t n_specials, n_more_specials;
    bool harmony_reserved;
    size_t n_vocab, n_ranks;
    uint32_t variant; /* which variant of its rank file's blob: one per set of special tokens */
} encoding;

#define SHA_R50K "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930"
#define SHA_P50K "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069"
#define SHA_CL100K "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
#define SHA_O200K "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"

#define R50K "r50k_base.tiktoken", ctok__vocab_r50k_base, ctok__vocab_r50k_base_end, SHA_R50K
#define P50K "p50k_base.tiktoken", ctok__vocab_p50k_base, ctok__vocab_p50k_base_end, SHA_P50K
#define CL100K                                                                               \
    "cl100k_base.tiktoken", ctok__vocab_cl100k_base, ctok__vocab_cl100k_base_end, SHA_CL100K
#define O200K "o200k_base.tiktoken", ctok__vocab_o200k_base, ctok__vocab_o200k_base_end, SHA_O200K

static const encoding ENCODINGS[] = {
    {"gpt2", R50K, PAT_R50K, SP_R50K, NULL, COUNT(SP_R50K), 0, false, 50257, 50256, 0},
    {"r50k_base", R50K, PAT_R50K, SP_R50K, NULL, COUNT(SP_R50K), 0, false, 50257, 50256, 0},
    {"p50k_base", P50K, PAT_R50K, SP_R50K, NULL, COUNT(SP_R50K), 0, false, 50281, 50280, 0},
    {"p50k_edit", P50K, PAT_R50K, SP_P50K_EDIT, NULL, COUNT(SP_P50K_EDIT), 0, false, 50284,
     50280, 1},
    {"cl100k_base", CL100K, PAT_CL100K, SP_CL100K, NULL, COUNT(SP_CL100K), 0, false, 100277,
     100256, 0},
    {"o200k_base", O200K, PAT_O200K, SP_O200K, NULL, COUNT(SP_O200K), 0, false, 200019, 199998,
     0},
    {"o200k_harmony", O200K, PAT_O200K, SP_O200K, SP_HARMONY, COUNT(SP_O200K), COUNT(SP_HARMONY),
     true, HARMONY_RESERVED_END, 199998, 1},
};

/* tiktoken's MODEL_TO_ENCODING */
static const char *const MODELS[][2] = {
    {"o1", "o200k_base"},
    {"o3", "o200k_base"},
    {"o4-mini", "o200k_base"},
    {"gpt-5", "o200k_base"},
    {"gpt-4.1", "o200k_base"},
    {"gpt-4o", "o200k_base"},
    {"gpt-4", "cl100k_base"},
    {"gpt-3.5-turbo", "cl100k_base"},
    {"gpt-3.5", "cl100k_base"},
    {"gpt-35-turbo", "cl100k_base"},
    {"davinci-002", "cl100k_base"},
    {"babbage-002", "cl100k_base"},
    {"text-embedding-ada-002", "cl100k_base"},
    {"text-embedding-3-small", "cl100k_base"},
    {"text-embedding-3-large", "cl100k_base"},
    {"text-davinci-003", "p50k_base"},
    {"text-davinci-002", "p50k_base"},
    {"text-davinci-001", "r50k_base"},
    {"text-curie-001", "r50k_base"},
    {"text-babbage-001", "r50k_base"},
    {"text-ada-001", "r50k_base"},
    {"davinci", "r50k_base"},
    {"curie", "r50k_base"},
    {"babbage", "r50k_base"},
    {"ada", "r50k_base"},
    {"code-davinci-002", "p50k_base"},
    {"code-davinci-001", "p50k_base"},
    {"code-cushman-002", "p50k_base"},
    {"code-cushman-001", "p50k_base"},
    {"davinci-codex", "p50k_base"},
    {"cushman-codex", "p50k_base"},
    {"text-davinci-edit-001", "p50k_edit"},
    {"code-davinci-edit-001", "p50k_edit"},
    {"text-similarity-davinci-001", "r50k_base"},
    {"text-similarity-curie-001", "r50k_base"},
    {"text-similarity-babbage-001", "r50k_base"},
    {"text-similarity-ada-001", "r50k_base"},
    {"text-search-davinci-doc-001", "r50k_base"},
    {"text-search-curie-doc-001", "r50k_base"},
    {"text-search-babbage-doc-001", "r50k_base"},
    {"text-search-ada-doc-001", "r50k_base"},
    {"code-search-babbage-code-001", "r50k_base"},
    {"code-search-ada-code-001", "r50k_base"},
    {"gpt2", "gpt2"},
    {"gpt-2", "gpt2"},
};

/* tiktoken's MODEL_PREFIX_TO_ENCODING, in its order (the first match wins) */
static const char *const MODEL_PREFIXES[][2] = {
    {"o1-", "o200k_base"},
    {"o3-", "o200k_base"},
    {"o4-mini-", "o200k_base"},
    {"gpt-5-", "o200k_base"},
    {"gpt-4.5-", "o200k_base"},
    {"gpt-4.1-", "o200k_base"},
    {"chatgpt-4o-", "o200k_base"},
    {"gpt-4o-", "o200k_base"},
    {"gpt-4-", "cl100k_base"},
    {"gpt-3.5-turbo-", "cl100k_base"},
    {"gpt-35-turbo-", "cl100k_base"},
    {"gpt-oss-", "o200k_harmony"},
    {"ft:gpt-4o", "o200k_base"},
    {"ft:gpt-4", "cl100k_base"},
    {"ft:gpt-3.5-turbo", "cl100k_base"},
    {"ft:davinci-002", "cl100k_base"},
    {"ft:babbage-002", "cl100k_base"},
};

size_t ctok_encoding_count(void) { return COUNT(ENCODINGS); }

const char *ctok_encoding_name(size_t i) { return i < COUNT(ENCODINGS) ? ENCODINGS[i].name : NULL; }

static const encoding *find_encoding(const char *name)
{
    for (size_t i = 0; name && i < COUNT(ENCODINGS); i++)
        if (!strcmp(name, ENCODINGS[i].name))
            return &ENCODINGS[i];
    return NULL;
}

const char *ctok_encoding_for_model(const char *name)
{
    if (!name)
        return NULL;
    const encoding *e = find_encoding(name);
    if (e)
        return e->name;
    for (size_t i = 0; i < COUNT(MODELS); i++)
        if (!strcmp(name, MODELS[i][0]))
            return find_encoding(MODELS[i][1])->name;
    for (size_t i = 0; i < COUNT(MODEL_PREFIXES); i++)
        if (!strncmp(name, MODEL_PREFIXES[i][0], strlen(MODEL_PREFIXES[i][0])))
            return find_encoding(MODEL_PREFIXES[i][1])->name;
    return NULL;
}

static size_t n_special_of(const encoding *e)
{
    return e->n_specials + e->n_more_specials +
           (e->harmony_reserved ? HARMONY_RESERVED_END - HARMONY_RESERVED_FIRST : 0);
}

int ctok_encoding_info_get(const char *name, ctok_encoding_info *out)
{
    const encoding *e = find_encoding(ctok_encoding_for_model(name));
    if (!e || !out)
        return e ? CTOK_EINVAL : CTOK_ENOTFOUND;
    out->name = e->name;
    out->file = e->file;
    out->pattern = e->pattern;
    out->sha256 = e->sha256;
    out->rank_file.ptr = e->start;
    out->rank_file.len = (size_t)(e->end - e->start);
    out->n_vocab = e->n_vocab;
    out->n_ranks = e->n_ranks;
    out->n_special = n_special_of(e);
    return CTOK_OK;
}

static int unknown(const char *name, ctok_diag *diag)
{
    char list[256] = "";
    size_t at = 0;
    for (size_t i = 0; i < COUNT(ENCODINGS) && at < sizeof list; i++)
        at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "",
                               ENCODINGS[i].name);
    return ctok__fail(diag, CTOK_ENOTFOUND, 0, 0,
                      "unknown encoding or model name '%.100s' (encodings: %s; model names as "
                      "tiktoken's encoding_for_model, e.g. gpt-4o, gpt-4, text-davinci-003)",
                      name ? name : "(null)", list);
}

const char *ctok__encoding_variant_name(const char *file, uint32_t variant)
{
    for (size_t i = 0; file && i < COUNT(ENCODINGS); i++)
        if (!strcmp(file, ENCODINGS[i].file) && ENCODINGS[i].variant == variant)
            return ENCODINGS[i].name;
    return NULL;
}

/* Parse the embedded rank file and build the model as ctok_model_load_tiktoken would. */
static int load_parsed(const encoding *e, const ctok_allocator *alloc, ctok_model **out,
                       ctok_diag *diag)
{
    ctok_allocator mem;
    ctok__mem_init(&mem, alloc);
    size_t n = n_special_of(e);
    size_t n_reserved = e->harmony_reserved ? HARMONY_RESERVED_END - HARMONY_RESERVED_FIRST : 0;
    enum { RESERVED_LEN = sizeof "<|reserved_201087|>" - 1 };
    ctok_special_token *sp = ctok__alloc(&mem, n * sizeof *sp);
    char *names = n_reserved ? ctok__alloc(&mem, n_reserved * (RESERVED_LEN + 1)) : NULL;
    if (!sp || (n_reserved && !names)) {
        ctok__free(&mem, sp);
        ctok__free(&mem, names);
        return ctok__fail(diag, CTOK_ENOMEM, 0, 0, "%s: %s", e->name,
                          ctok_strerror(CTOK_ENOMEM));
    }
    size_t k = 0;
    for (size_t i = 0; i < e->n_specials; i++, k++)
        sp[k] = (ctok_special_token){{(const uint8_t *)e->specials[i].text,
                                      strlen(e->specials[i].text)},
                                     e->specials[i].id};
    for (size_t i = 0; i < e->n_more_specials; i++, k++)
        sp[k] = (ctok_special_token){{(const uint8_t *)e->more_specials[i].text,
                                      strlen(e->more_specials[i].text)},
                                     e->more_specials[i].id};
    for (size_t i = 0; i < n_reserved; i++, k++) {
        char *t = names + i * (RESERVED_LEN + 1);
        uint32_t id = HARMONY_RESERVED_FIRST + (uint32_t)i;
        int len = snprintf(t, RESERVED_LEN + 1, "<|reserved_%u|>", (unsigned)id);
        sp[k] = (ctok_special_token){{(const uint8_t *)t, (size_t)len}, id};
    }
    char label[64];
    snprintf(label, sizeof label, "%s (built in)", e->name);
    int rc = ctok__tiktoken_build(e->start, (size_t)(e->end - e->start), label, e->pattern, sp, n,
                                  alloc, out, diag);
    ctok__free(&mem, sp);
    ctok__free(&mem, names);
    return rc;
}

int ctok__encoding_load_parsed(const char *name, const ctok_allocator *alloc, ctok_model **out,
                               ctok_diag *diag)
{
    if (!out)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    const encoding *e = find_encoding(ctok_encoding_for_model(name));
    return e ? load_parsed(e, alloc, out, diag) : unknown(name, diag);
}

int ctok_encoding_load(const char *name, const ctok_allocator *alloc, ctok_model **out,
                       ctok_diag *diag)
{
    if (!out)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    const encoding *e = find_encoding(ctok_encoding_for_model(name));
    if (!e)
        return unknown(name, diag);
    size_t len;
    const uint8_t *blob = ctok__vocab_blob(e->file, &len);
    if (!blob)
        return load_parsed(e, alloc, out, diag);
    char label[64];
    snprintf(label, sizeof label, "%s (built in)", e->name);
    int rc = ctok__model_from_blob(blob, len, label,
                                   ctok__encoding_variant_name(e->file, e->variant), e->variant,
                                   e->sha256, e->n_vocab, n_special_of(e), e->pattern, alloc, out,
                                   diag);
    return rc == CTOK_EUNSUPPORTED ? load_parsed(e, alloc, out, diag) : rc;
}
