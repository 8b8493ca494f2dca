/*
 * test_export.c - the exports (ctok_model_export_tiktoken, ctok_model_export_hf) and the sidecar
 * loader (ctok_model_load_tiktoken_json).
 *
 * Reference checks: the built-in encodings exported as .tiktoken are byte for byte OpenAI's rank
 * files (data/vocab) and the sidecar carries their published sha256; gpt2 exported as
 * tokenizer.json has exactly GPT-2's encoder.json vocabulary and vocab.bpe merges.  Round trips:
 * minbpe's models and trained ones, exported and loaded back through tiktoken's merge rule, give
 * the same ids as the original on every corpus of tests/data.  Hand-made models show why the
 * export checks what it checks (a merge list tiktoken's rule would not follow; two ids with the
 * same bytes), and hand-written sidecars every error of the reader.
 */
#include "ctok.h"
#include "json.h"
#include "unit/fault_alloc.h"
#include "unit/test.h"

#include <stdarg.h>
#include <unistd.h>

static char dir[] = "/tmp/ctok-test-export-XXXXXX";

static const char *CORPORA[] = {
    "tests/data/corpora/taylorswift.txt",
    "tests/data/corpora/tinyshakespeare.txt",
    "tests/data/corpora/multilingual-sample.txt",
};
#define N_CORPORA (sizeof CORPORA / sizeof CORPORA[0])
static unsigned char *corpus[N_CORPORA];
static size_t corpus_len[N_CORPORA];

static const ctok_encode_options ALL = {{1, NULL, 0}, {1, NULL, 0}};

static char *tmp_path(const char *name)
{
    static char buf[4][256];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

/* A whole file as a NUL-terminated string (test_read_file's buffer is not terminated). */
static char *read_text(const char *path, size_t *len)
{
    unsigned char *p = test_read_file(path, len);
    if (!p)
        return NULL;
    char *s = realloc(p, *len + 1);
    if (s)
        s[*len] = 0;
    return s;
}

/* Whether a and b give the same ids (special tokens allowed) on text. */
static bool same_ids(const ctok_model *a, const ctok_model *b, const uint8_t *text, size_t len,
                     size_t *where)
{
    uint32_t *x = malloc((len + 1) * sizeof *x), *y = malloc((len + 1) * sizeof *y);
    size_t nx = 0, ny = 0;
    ctok_diag d;
    bool ok = ctok_encode(a, text, len, &ALL, x, len + 1, &nx, &d) == CTOK_OK &&
              ctok_encode(b, text, len, &ALL, y, len + 1, &ny, &d) == CTOK_OK && nx == ny &&
              (nx == 0 || !memcmp(x, y, nx * sizeof *x));
    *where = 0;
    while (!ok && *where < nx && *where < ny && x[*where] == y[*where])
        ++*where;
    free(x);
    free(y);
    return ok;
}

/* Export m as PREFIX.tiktoken and load it back both ways (the sidecar, and the rank file with
 * the original's pattern and specials); check they encode every corpus as m does. */
static void check_tiktoken_roundtrip(const ctok_model *m, const char *prefix)
{
    ctok_diag d;
    int rc = ctok_model_export_tiktoken(m, tmp_path(prefix), &d);
    CHECKF(rc == CTOK_OK, "%s: %s", prefix, d.message);
    if (rc)
        return;
    char sidecar[300], ranks[300];
    snprintf(sidecar, sizeof sidecar, "%s.tiktoken.json", tmp_path(prefix));
    snprintf(ranks, sizeof ranks, "%s.tiktoken", tmp_path(prefix));
    ctok_model *back = NULL, *plain = NULL;
    rc = ctok_model_load_tiktoken_json(sidecar, NULL, &back, &d);
    CHECKF(rc == CTOK_OK, "%s", d.message);
    size_t n = ctok_model_n_special(m);
    ctok_special_token *sp = calloc(n + 1, sizeof *sp);
    for (size_t i = 0; i < n; i++)
        ctok_model_special(m, i, &sp[i].text, &sp[i].id);
    ctok_bytes pat = ctok_model_pattern(m);
    char *pattern = calloc(pat.len + 1, 1);
    memcpy(pattern, pat.ptr, pat.len);
    rc = ctok_model_load_tiktoken(ranks, pattern, sp, n, NULL, &plain, &d);
    CHECKF(rc == CTOK_OK, "%s", d.message);
    if (back && plain) {
        CHECK(ctok_model_n_vocab(back) == ctok_model_n_vocab(m));
        CHECK(ctok_model_n_special(back) == n);
        ctok_bytes bp = ctok_model_pattern(back);
        CHECK(bp.len == pat.len && (!pat.len || !memcmp(bp.ptr, pat.ptr, pat.len)));
        for (size_t c = 0; c < N_CORPORA; c++) {
            size_t at;
            CHECKF(same_ids(m, back, corpus[c], corpus_len[c], &at), "%s on %s: id %zu",
                   prefix, CORPORA[c], at);
            CHECKF(same_ids(m, plain, corpus[c], corpus_len[c], &at), "%s on %s: id %zu",
                   prefix, CORPORA[c], at);
        }
    }
    ctok_model_free(back);
    ctok_model_free(plain);
    free(sp);
    free(pattern);
}

/* ---- reference: the built-in encodings are OpenAI's files ---- */

static void test_builtin_rank_files_identical(void)
{
    static const char *NAMES[] = {"r50k_base", "p50k_base", "cl100k_base", "o200k_base"};
    for (size_t i = 0; i < 4; i++) {
        ctok_model *m = NULL;
        ctok_diag d;
        ctok_encoding_info info;
        CHECK(ctok_encoding_info_get(NAMES[i], &info) == CTOK_OK);
        CHECK(ctok_encoding_load(NAMES[i], NULL, &m, &d) == CTOK_OK);
        int rc = ctok_model_export_tiktoken(m, tmp_path(NAMES[i]), &d);
        CHECKF(rc == CTOK_OK, "%s: %s", NAMES[i], d.message);
        char path[300];
        snprintf(path, sizeof path, "data/vocab/%s.tiktoken", NAMES[i]);
        size_t want_len = 0, got_len = 0;
        unsigned char *want = test_read_file(path, &want_len);
        snprintf(path, sizeof path, "%s.tiktoken", tmp_path(NAMES[i]));
        unsigned char *got = test_read_file(path, &got_len);
        CHECKF(want && got && want_len == got_len && !memcmp(want, got, want_len),
               "%s: the exported rank file differs from data/vocab's", NAMES[i]);
        /* the sidecar names the published sha256 and loads back to the same encoding */
        snprintf(path, sizeof path, "%s.tiktoken.json", tmp_path(NAMES[i]));
        size_t side_len;
        char *side = read_text(path, &side_len);
        char want_sha[100];
        snprintf(want_sha, sizeof want_sha, "\"rank_file_sha256\": \"%s\"", info.sha256);
        CHECKF(side && strstr(side, want_sha), "%s: sidecar lacks %s", NAMES[i], want_sha);
        ctok_model *back = NULL;
        CHECKF(ctok_model_load_tiktoken_json(path, NULL, &back, &d) == CTOK_OK, "%s", d.message);
        if (back) {
            CHECK(ctok_model_n_vocab(back) == info.n_vocab);
            CHECK(ctok_model_n_special(back) == info.n_special);
            ctok_bytes p = ctok_model_pattern(back);
            CHECK(p.len == strlen(info.pattern) && !memcmp(p.ptr, info.pattern, p.len));
            size_t at;
            CHECKF(same_ids(m, back, corpus[2], corpus_len[2], &at), "%s: id %zu", NAMES[i], at);
        }
        ctok_model_free(back);
        free(want);
        free(got);
        free(side);
        ctok_model_free(m);
    }
}

/* ---- reference: gpt2 as tokenizer.json is GPT-2's own files ---- */

typedef struct vocab_entry {
    char key[128];
    uint64_t id;
} vocab_entry;

typedef struct vocab_list {
    vocab_entry *e;
    size_t n, cap;
} vocab_list;

static int collect(void *user, ctok__json_cursor *c, size_t key_pos, const uint8_t *key,
                   size_t key_len, uint64_t value)
{
    (void)c;
    (void)key_pos;
    vocab_list *v = user;
    if (v->n == v->cap)
        v->e = realloc(v->e, (v->cap = v->cap ? 2 * v->cap : 1024) * sizeof *v->e);
    size_t k = key_len < 127 ? key_len : 127;
    memcpy(v->e[v->n].key, key, k);
    v->e[v->n].key[k] = 0;
    v->e[v->n++].id = value;
    return 0;
}

static int by_id(const void *a, const void *b)
{
    const vocab_entry *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void test_hf_gpt2_is_gpt2s_files(void)
{
    ctok_model *m = NULL;
    ctok_diag d;
    CHECK(ctok_encoding_load("gpt2", NULL, &m, &d) == CTOK_OK);
    const char *out = tmp_path("gpt2.json");
    int rc = ctok_model_export_hf(m, out, &d);
    CHECKF(rc == CTOK_OK, "%s", d.message);
    ctok_model_free(m);
    size_t len = 0, enc_len = 0, bpe_len = 0;
    char *json = read_text(out, &len);
    char *enc = read_text("data/vocab/gpt2/encoder.json", &enc_len);
    char *bpe = read_text("data/vocab/gpt2/vocab.bpe", &bpe_len);
    CHECK(json && enc && bpe);
    if (!json || !enc || !bpe)
        return;
    /* the vocabulary: the same keys and ids as encoder.json (<|endoftext|> included) */
    vocab_list mine = {0}, theirs = {0};
    const char *at = strstr(json, "\"vocab\": ");
    CHECK(at != NULL);
    ctok__json_cursor c;
    ctok__json_init(&c, (const uint8_t *)json, len, "export", &d);
    c.pos = (size_t)(at - json) + 9;
    CHECKF(at && ctok__json_uint_object(&c, UINT32_MAX, NULL, collect, &mine) == 0, "%s",
           d.message);
    CHECK(ctok__json_read_uint_object((const uint8_t *)enc, enc_len, "encoder.json", UINT32_MAX,
                                      NULL, collect, &theirs, &d) == 0);
    qsort(mine.e, mine.n, sizeof *mine.e, by_id);
    qsort(theirs.e, theirs.n, sizeof *theirs.e, by_id);
    CHECKF(mine.n == theirs.n && mine.n == 50257, "%zu vs %zu entries", mine.n, theirs.n);
    for (size_t i = 0; i < mine.n && i < theirs.n; i++)
        CHECKF(mine.e[i].id == theirs.e[i].id && !strcmp(mine.e[i].key, theirs.e[i].key),
               "entry %zu: '%s' %llu vs '%s' %llu", i, mine.e[i].key,
               (unsigned long long)mine.e[i].id, theirs.e[i].key,
               (unsigned long long)theirs.e[i].id);
    /* the merges: vocab.bpe's lines after the header, in order */
    const char *mp = strstr(json, "\"merges\": [");
    CHECK(mp != NULL);
    c.pos = mp ? (size_t)(mp - json) + 11 : len;
    size_t n_lines = 0, n_same = 0;
    const char *line = strchr(bpe, '\n') + 1;
    while (line < bpe + bpe_len && *line != '\n') {
        const char *nl = memchr(line, '\n', (size_t)(bpe + bpe_len - line));
        size_t k = nl ? (size_t)(nl - line) : (size_t)(bpe + bpe_len - line);
        uint8_t merge[1024]; /* the longest merge line is 274 bytes */
        size_t merge_len = 0;
        n_lines++;
        if (ctok__json_string(&c, merge, sizeof merge, &merge_len) == 0 && merge_len == k &&
            !memcmp(merge, line, k))
            n_same++;
        ctok__json_expect(&c, n_lines < 50000 ? ',' : ']');
        line += k + 1;
    }
    CHECKF(n_lines == 50000 && n_same == n_lines, "%zu of %zu merges as in vocab.bpe", n_same,
           n_lines);
    CHECK(strstr(json, "{\"id\": 50256, \"content\": \"<|endoftext|>\"") != NULL);
    free(mine.e);
    free(theirs.e);
    free(json);
    free(enc);
    free(bpe);
}

/* ---- round trips ---- */

static void test_minbpe_models_roundtrip(void)
{
    static const char *NAMES[] = {"taylorswift-basic512", "taylorswift-regex512",
                                  "taylorswift-regex512-special"};
    for (size_t i = 0; i < 3; i++) {
        char path[200];
        snprintf(path, sizeof path, "tests/data/minbpe/%s.model", NAMES[i]);
        ctok_model *m = NULL;
        ctok_diag d;
        CHECKF(ctok_model_load(path, NULL, &m, &d) == CTOK_OK, "%s", d.message);
        if (m)
            check_tiktoken_roundtrip(m, NAMES[i]);
        ctok_model_free(m);
    }
    /* by hand: the rank file starts with the bytes, and merge 0 of the regex model, "101 114",
     * is "er", base64 "ZXI=", rank 256 */
    size_t len = 0;
    char *r = read_text(tmp_path("taylorswift-regex512.tiktoken"), &len);
    CHECK(r && !strncmp(r, "AA== 0\nAQ== 1\n", 14) && strstr(r, "\nZXI= 256\n"));
    CHECK(r && len > 1 && r[len - 1] == '\n' && !memchr(r, '\r', len));
    free(r);
    char *s = read_text(tmp_path("taylorswift-regex512-special.tiktoken.json"), &len);
    CHECK(s && strstr(s, "\"special_tokens\": {\n    \"<|endoftext|>\": 512,\n"
                         "    \"<|fim_prefix|>\": 513\n  }"));
    CHECK(s && strstr(s, "\"version\": 1,") && strstr(s, "\"n_vocab\": 514,"));
    free(s);
}

static ctok_model *train(ctok_train_type type, const char *pattern, size_t vocab, ctok_ties ties,
                         const char *special, int64_t special_id, size_t corpus_i)
{
    ctok_train_options o;
    memset(&o, 0, sizeof o);
    o.type = type;
    o.vocab_size = vocab;
    o.ties = ties;
    if (pattern) {
        const char *p = ctok_pattern_by_name(pattern);
        o.pattern.ptr = (const uint8_t *)p;
        o.pattern.len = strlen(p);
    }
    ctok_bytes sp = {(const uint8_t *)special, special ? strlen(special) : 0};
    if (special) {
        o.special = &sp;
        o.special_ids = &special_id;
        o.n_special = 1;
    }
    ctok_trainer *t = NULL;
    ctok_model *m = NULL;
    ctok_diag d;
    int rc = ctok_trainer_new(&o, &t, &d);
    if (!rc)
        rc = ctok_trainer_feed(t, corpus[corpus_i], corpus_len[corpus_i], &d);
    if (!rc)
        rc = ctok_trainer_finish(t, &m, &d);
    CHECKF(rc == CTOK_OK, "%s", d.message);
    ctok_trainer_free(t);
    return m;
}

static void test_trained_models_roundtrip(void)
{
    ctok_model *m = train(CTOK_TRAIN_REGEX, "gpt2", 1000, CTOK_TIES_FIRST_SEEN, "<|endoftext|>",
                          -1, 1);
    if (m)
        check_tiktoken_roundtrip(m, "shakespeare-gpt2-1000");
    ctok_model_free(m);
    m = train(CTOK_TRAIN_REGEX, "o200k", 2000, CTOK_TIES_SMALLEST_PAIR, NULL, -1, 2);
    if (m)
        check_tiktoken_roundtrip(m, "multilingual-o200k-2000");
    ctok_model_free(m);
    m = train(CTOK_TRAIN_BASIC, NULL, 400, CTOK_TIES_FIRST_SEEN, NULL, -1, 0);
    if (m)
        check_tiktoken_roundtrip(m, "taylor-basic-400");
    ctok_model_free(m);
    /* a special id far above the ranks: a rank file leaves it out, the sidecar gives it */
    m = train(CTOK_TRAIN_REGEX, "gpt4", 300, CTOK_TIES_FIRST_SEEN, "<|eot|>", 1000, 0);
    if (m) {
        check_tiktoken_roundtrip(m, "taylor-gap");
        size_t len;
        char *s = read_text(tmp_path("taylor-gap.tiktoken.json"), &len);
        CHECK(s && strstr(s, "\"n_vocab\": 1001,") && strstr(s, "\"<|eot|>\": 1000\n"));
        free(s);
    }
    ctok_model_free(m);
}

/* ---- what cannot be exported ---- */

static ctok_model *model_from(const char *text)
{
    ctok_model *m = NULL;
    ctok_diag d;
    CHECKF(ctok_model_load_memory((const uint8_t *)text, strlen(text), "hand", NULL, &m, &d) ==
               CTOK_OK, "%s", d.message);
    return m;
}

static void test_merge_list_tiktoken_would_not_follow(void)
{
    /* bc (256), then ab (257), then abc = ab + c (258).  The list never merges a + bc, so "abc"
     * is a, bc = 97 256.  tiktoken's rule merges by the rank of the concatenation: after bc, the
     * pair a + bc concatenates to abc, rank 258, so it gives 258: not the same tokenizer. */
    ctok_model *m = model_from("minbpe v1\n\n0\n98 99\n97 98\n257 99\n");
    if (!m)
        return;
    uint32_t ids[8];
    size_t n;
    ctok_diag d;
    CHECK(ctok_encode(m, (const uint8_t *)"abc", 3, NULL, ids, 8, &n, &d) == CTOK_OK && n == 2 &&
          ids[0] == 97 && ids[1] == 256);
    CHECK(ctok_model_export_tiktoken(m, tmp_path("inexact"), &d) == CTOK_EUNSUPPORTED);
    CHECKF(strstr(d.message, "token 258 'abc' from 257 + 99") &&
               strstr(d.message, "from 97 'a' + 256 'bc'"), "%s", d.message);
    CHECK(access(tmp_path("inexact.tiktoken"), F_OK) != 0);
    /* a merge list is what HF's BPE follows: that export is fine */
    CHECKF(ctok_model_export_hf(m, tmp_path("inexact.json"), &d) == CTOK_OK, "%s", d.message);
    /* the same tokens as ranks, loaded the tiktoken way, give 258 as worked out above */
    ctok_model *ranks = NULL;
    ctok_special_token none;
    char rank_text[8192];
    size_t k = 0;
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int b = 0; b < 256; b++)
        k += (size_t)snprintf(rank_text + k, sizeof rank_text - k, "%c%c== %d\n", A[b >> 2],
                              A[(b & 3) << 4], b);
    k += (size_t)snprintf(rank_text + k, sizeof rank_text - k, "YmM= 256\nYWI= 257\nYWJj 258\n");
    CHECK(ctok_model_load_tiktoken_memory((const uint8_t *)rank_text, k, "r", NULL, &none, 0, NULL,
                                          &ranks, &d) == CTOK_OK);
    CHECK(ranks && ctok_encode(ranks, (const uint8_t *)"abc", 3, NULL, ids, 8, &n, &d) ==
                       CTOK_OK && n == 1 && ids[0] == 258);
    ctok_model_free(ranks);
    ctok_model_free(m);
}

static void test_duplicate_bytes(void)
{
    /* ab (256), abc = ab + c (257), bc (258), abc = a + bc (259): two ids for "abc" */
    ctok_model *m = model_from("minbpe v1\n\n0\n97 98\n256 99\n98 99\n97 258\n");
    if (!m)
        return;
    ctok_diag d;
    CHECK(ctok_model_export_tiktoken(m, tmp_path("dup"), &d) == CTOK_EUNSUPPORTED);
    CHECKF(strstr(d.message, "ids 257 and 259 are the same bytes 'abc'"), "%s", d.message);
    CHECK(ctok_model_export_hf(m, tmp_path("dup.json"), &d) == CTOK_EUNSUPPORTED);
    CHECKF(strstr(d.message, "ids 257 and 259"), "%s", d.message);
    ctok_model_free(m);
}

static void test_unsupported_models(void)
{
    ctok_model *m = train(CTOK_TRAIN_CHAR, NULL, 0, CTOK_TIES_FIRST_SEEN, NULL, -1, 0);
    ctok_diag d;
    if (m) {
        CHECK(ctok_model_export_tiktoken(m, tmp_path("char"), &d) == CTOK_EUNSUPPORTED);
        CHECKF(strstr(d.message, "character-level"), "%s", d.message);
        CHECK(ctok_model_export_hf(m, tmp_path("char.json"), &d) == CTOK_EUNSUPPORTED);
    }
    ctok_model_free(m);
    /* a special token whose text is an ordinary token's vocab key in HF's alphabet ("e" is the
     * byte 0x65, which the alphabet writes as "e"): HF would give both one key */
    m = train(CTOK_TRAIN_REGEX, "gpt4", 260, CTOK_TIES_FIRST_SEEN, "e", -1, 0);
    if (m) {
        CHECK(ctok_model_export_hf(m, tmp_path("e.json"), &d) == CTOK_EUNSUPPORTED);
        CHECKF(strstr(d.message, "special token 'e'") && strstr(d.message, "ordinary token 101"),
               "%s", d.message);
        CHECKF(ctok_model_export_tiktoken(m, tmp_path("e"), &d) == CTOK_OK, "%s", d.message);
    }
    ctok_model_free(m);
    /* nowhere to write: an error naming the file, no temporary file left */
    m = model_from("minbpe v1\n\n0\n97 98\n");
    if (m) {
        CHECK(ctok_model_export_hf(m, "/nonexistent-ctok-dir/t.json", &d) == CTOK_EIO);
        CHECKF(strstr(d.message, "/nonexistent-ctok-dir/t.json"), "%s", d.message);
        CHECK(ctok_model_export_tiktoken(m, "/nonexistent-ctok-dir/t", &d) == CTOK_EIO);
        CHECK(ctok_model_export_tiktoken(m, tmp_path(""), &d) == CTOK_EINVAL); /* "dir/" */
        CHECK(ctok_model_export_tiktoken(NULL, "x", &d) == CTOK_EINVAL);
        CHECK(ctok_model_export_hf(m, NULL, &d) == CTOK_EINVAL);
    }
    ctok_model_free(m);
}

/* ---- the sidecar reader ---- */

/* A rank file of the 256 bytes and "ab" (256), for hand-written sidecars. */
static void write_small_ranks(const char *path)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char buf[8192];
    size_t k = 0;
    for (int b = 0; b < 256; b++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%c%c== %d\n", A[b >> 2], A[(b & 3) << 4],
                              b);
    k += (size_t)snprintf(buf + k, sizeof buf - k, "YWI= 256\n");
    write_file(path, buf, k);
}

/* Load a sidecar with the given text; the status, and the message in d. */
static int load_sidecar(const char *text, ctok_diag *d, ctok_model **out)
{
    const char *path = tmp_path("small.tiktoken.json");
    write_file(path, text, strlen(text));
    ctok_model *m = NULL;
    int rc = ctok_model_load_tiktoken_json(path, NULL, &m, d);
    if (out)
        *out = m;
    else
        ctok_model_free(m);
    return rc;
}

#define HEAD "{\"format\": \"ctok tiktoken sidecar\", \"version\": 1, "

static void expect_error(const char *text, int status, const char *needle)
{
    ctok_diag d;
    int rc = load_sidecar(text, &d, NULL);
    CHECKF(rc == status && strstr(d.message, needle), "%s -> %d '%s' (wanted %d, '%s')", text,
           rc, d.message, status, needle);
}

static void test_sidecar_reader(void)
{
    write_small_ranks(tmp_path("small.tiktoken"));
    ctok_diag d;
    ctok_model *m = NULL;
    /* the least a sidecar needs; rank_file defaults to the sidecar's name without .json */
    int rc = load_sidecar(HEAD "\"pat_str\": \"\", \"special_tokens\": {\"<|x|>\": 300}}", &d, &m);
    CHECKF(rc == CTOK_OK, "%s", d.message);
    if (m) {
        uint32_t ids[8];
        size_t n;
        CHECK(ctok_model_n_vocab(m) == 301);
        CHECK(ctok_encode(m, (const uint8_t *)"ab<|x|>", 7, &ALL, ids, 8, &n, &d) == CTOK_OK &&
              n == 2 && ids[0] == 256 && ids[1] == 300);
    }
    ctok_model_free(m);
    /* everything given, with the rank file's sha256 (computed independently: sha256sum) */
    size_t len = 0;
    unsigned char *ranks = test_read_file(tmp_path("small.tiktoken"), &len);
    char hex[65], text[1024];
    ctok_sha256_hex(ranks, len, hex);
    free(ranks);
    snprintf(text, sizeof text,
             HEAD "\"name\": \"small\", \"rank_file\": \"small.tiktoken\", "
                  "\"rank_file_sha256\": \"%s\", \"n_vocab\": 257, \"pat_str\": \"\\\\s+|\\\\S+\", "
                  "\"special_tokens\": {}}", hex);
    rc = load_sidecar(text, &d, &m);
    CHECKF(rc == CTOK_OK, "%s", d.message);
    if (m) {
        ctok_bytes p = ctok_model_pattern(m);
        CHECK(p.len == 7 && !memcmp(p.ptr, "\\s+|\\S+", 7));
    }
    ctok_model_free(m);
    hex[0] = hex[0] == '0' ? '1' : '0';
    snprintf(text, sizeof text, HEAD "\"rank_file_sha256\": \"%s\", \"pat_str\": \"\", "
                                     "\"special_tokens\": {}}", hex);
    expect_error(text, CTOK_EFORMAT, "do not belong together");

    expect_error("{\"format\": \"ctok tiktoken sidecar\", \"version\": 2, \"new\": 1}",
                 CTOK_EVERSION, "version 2 is not supported");
    expect_error("{\"format\": \"something else\", \"version\": 1}", CTOK_EFORMAT,
                 "not a ctok sidecar");
    expect_error("{\"version\": 1, \"pat_str\": \"\", \"special_tokens\": {}}", CTOK_EFORMAT,
                 "not a ctok sidecar");
    expect_error(HEAD "\"pat_str\": \"\", \"special_tokens\": {},\n \"extra\": 1}", CTOK_EFORMAT,
                 "line 2, byte offset 88: unknown key \"extra\"");
    expect_error(HEAD "\"pat_str\": \"\", \"pat_str\": \"\", \"special_tokens\": {}}",
                 CTOK_EFORMAT, "\"pat_str\" is given twice");
    expect_error(HEAD "\"special_tokens\": {}}", CTOK_EFORMAT, "\"pat_str\" is missing");
    expect_error(HEAD "\"pat_str\": \"\", \"special_tokens\": {\"<|x|>\": 16777216}}", CTOK_EFORMAT,
                 "special token \"<|x|>\" has the id 16777216; ids must be below 16777216");
    expect_error(HEAD "\"pat_str\": \"\"}", CTOK_EFORMAT, "\"special_tokens\" is missing");
    expect_error(HEAD "\"pat_str\": 5, \"special_tokens\": {}}", CTOK_EFORMAT,
                 "\"pat_str\" must be a string");
    expect_error(HEAD "\"pat_str\": \"a\\u0000\", \"special_tokens\": {}}", CTOK_EFORMAT,
                 "contains a NUL");
    expect_error(HEAD "\"pat_str\": \"\", \"special_tokens\": {\"x\": 1, \"x\": 2}}",
                 CTOK_EFORMAT, "special token \"x\" is given twice");
    expect_error(HEAD "\"pat_str\": \"\", \"special_tokens\": {\"\": 300}}", CTOK_EFORMAT,
                 "empty text");
    expect_error(HEAD "\"pat_str\": \"\", \"special_tokens\": {\"x\": -1}}", CTOK_EJSON,
                 "negative");
    expect_error(HEAD "\"pat_str\": \"\", \"special_tokens\": [\"x\"]}", CTOK_EFORMAT,
                 "must be an object");
    expect_error(HEAD "\"pat_str\": \"\", \"special_tokens\": {},}", CTOK_EJSON,
                 "expected a string key");
    expect_error(HEAD "\"pat_str\": \"\", \"special_tokens\": {}} x", CTOK_EJSON,
                 "after the JSON value");
    expect_error(HEAD "\"rank_file_sha256\": \"ABC\", \"pat_str\": \"\", \"special_tokens\": {}}",
                 CTOK_EFORMAT, "64 lowercase hex digits");
    expect_error(HEAD "\"n_vocab\": 5, \"pat_str\": \"\", \"special_tokens\": {}}", CTOK_EFORMAT,
                 "\"n_vocab\" is 5, but the rank file and the special tokens make 257");
    expect_error(HEAD "\"rank_file\": \"missing.tiktoken\", \"pat_str\": \"\", "
                      "\"special_tokens\": {}}", CTOK_EIO, "missing.tiktoken: cannot open");
    expect_error(HEAD "\"pat_str\": \"(\", \"special_tokens\": {}}", CTOK_EPATTERN, "");
    /* a special token on an ordinary rank: the rank file loader's error, naming it */
    expect_error(HEAD "\"pat_str\": \"\", \"special_tokens\": {\"<|x|>\": 256}}", CTOK_EFORMAT,
                 "rank 256 is also given to a special token");
}

/* ---- out of memory ---- */

static void test_alloc_failures(void)
{
    fault_alloc f = {0, 0, 0};
    ctok_allocator a = {fa_alloc, fa_free, &f};
    ctok_model *m = NULL;
    ctok_diag d;
    CHECK(ctok_model_load("tests/data/minbpe/taylorswift-regex512-special.model", &a, &m, &d) ==
          CTOK_OK);
    if (!m)
        return;
    long live = f.live;
    int ok_tik = 0, ok_hf = 0;
    for (long n = 1; n < 1000 && !(ok_tik && ok_hf); n++) {
        if (!ok_tik) {
            f.fail_at = f.calls + n;
            int rc = ctok_model_export_tiktoken(m, tmp_path("oom"), &d);
            CHECKF(rc == CTOK_OK || rc == CTOK_ENOMEM, "tiktoken, call %ld: %d", n, rc);
            ok_tik = rc == CTOK_OK;
        }
        if (!ok_hf) {
            f.fail_at = f.calls + n;
            int rc = ctok_model_export_hf(m, tmp_path("oom.json"), &d);
            CHECKF(rc == CTOK_OK || rc == CTOK_ENOMEM, "hf, call %ld: %d", n, rc);
            ok_hf = rc == CTOK_OK;
        }
        CHECKF(f.live == live, "leak after failing call %ld", n);
    }
    CHECK(ok_tik && ok_hf);
    ctok_model_free(m);
    CHECK(f.live == 0);
    /* the sidecar loader */
    char sidecar[300];
    snprintf(sidecar, sizeof sidecar, "%s.tiktoken.json", tmp_path("oom"));
    bool loaded = false;
    for (long n = 1; n < 100000 && !loaded; n++) {
        fault_alloc g = {0, n, 0};
        ctok_allocator b = {fa_alloc, fa_free, &g};
        ctok_model *back = NULL;
        int rc = ctok_model_load_tiktoken_json(sidecar, &b, &back, &d);
        CHECKF(rc == CTOK_OK || rc == CTOK_ENOMEM, "load, call %ld: %d %s", n, rc, d.message);
        loaded = rc == CTOK_OK;
        ctok_model_free(back);
        CHECKF(g.live == 0, "leak after failing call %ld", n);
        if (rc != CTOK_OK && rc != CTOK_ENOMEM)
            break;
    }
    CHECK(loaded);
}

static void remove_dir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        printf("FAIL test_export: cannot make a scratch folder\n");
        return 1;
    }
    for (size_t i = 0; i < N_CORPORA; i++) {
        corpus[i] = test_read_file(CORPORA[i], &corpus_len[i]);
        if (!corpus[i]) {
            printf("FAIL test_export: cannot read %s\n", CORPORA[i]);
            return 1;
        }
    }
    RUN(test_builtin_rank_files_identical);
    RUN(test_hf_gpt2_is_gpt2s_files);
    RUN(test_minbpe_models_roundtrip);
    RUN(test_trained_models_roundtrip);
    RUN(test_merge_list_tiktoken_would_not_follow);
    RUN(test_duplicate_bytes);
    RUN(test_unsupported_models);
    RUN(test_sidecar_reader);
    RUN(test_alloc_failures);
    for (size_t i = 0; i < N_CORPORA; i++)
        free(corpus[i]);
    remove_dir();
    TEST_EXIT();
}
