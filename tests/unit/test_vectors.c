/*
 * test_vectors.c - parity with tiktoken: every line of tests/data/vectors/<enc>.jsonl (ids from
 * tiktoken's encode_ordinary) must encode to exactly its ids with the built-in encoding and decode
 * back to its text, gpt2's also with the model loaded from GPT-2's encoder.json + vocab.bpe; every
 * case of special.jsonl must give its ids or its error.  ctok_count must agree with the encoding.
 * Each file goes twice through one encoder, which turns its piece cache on once it has encoded 64
 * KiB in all (src/encode.c), so the second time every line is encoded with the cache on and
 * holding its pieces; each line also goes through ctok_encode and ctok_count, whose encoders last
 * one call and merge a short text without the pair cache.
 * Also checks the built-in table against data/vocab/encodings.json (pattern, special tokens,
 * n_vocab, sha256 of the embedded file).  The first few mismatches are printed as '#' lines.
 */
#include "json.h"
#include "unit/test.h"

#include <time.h>

/* ---- reading the reference files with the library's JSON cursor ---- */

/* The next line of data[0 .. len) from *pos on that is not empty, *n bytes without its newline
 * (*pos moves past it); NULL at the end. */
static const uint8_t *next_line(const uint8_t *data, size_t len, size_t *pos, size_t *n)
{
    while (*pos < len) {
        const uint8_t *s = data + *pos;
        const uint8_t *nl = memchr(s, '\n', len - *pos);
        *n = nl ? (size_t)(nl - s) : len - *pos;
        *pos += *n + (nl != NULL);
        if (*n)
            return s;
    }
    return NULL;
}

/* Position c at the value of member name of the object that is the whole line; false if none. */
static bool find_member(ctok__json_cursor *c, const uint8_t *line, size_t n, const char *name)
{
    ctok__json_init(c, line, n, "vector", NULL);
    if (ctok__json_expect(c, '{'))
        return false;
    if (ctok__json_peek(c) == '}')
        return false;
    for (;;) {
        bool equal;
        if (ctok__json_string_equals(c, (const uint8_t *)name, strlen(name), &equal) ||
            ctok__json_expect(c, ':'))
            return false;
        if (equal)
            return true;
        if (ctok__json_skip(c))
            return false;
        if (ctok__json_peek(c) != ',')
            return false;
        c->pos++;
    }
}

/* The string member name, decoded into out (cap bytes); false if none. */
static bool member_string(const uint8_t *line, size_t n, const char *name, uint8_t *out,
                          size_t cap, size_t *len)
{
    ctok__json_cursor c;
    return find_member(&c, line, n, name) && ctok__json_peek(&c) == '"' &&
           ctok__json_string(&c, out, cap, len) == 0 && *len <= cap;
}

/* The array of integers member name; false if none. */
static bool member_ids(const uint8_t *line, size_t n, const char *name, uint32_t *ids, size_t cap,
                       size_t *n_ids)
{
    ctok__json_cursor c;
    if (!find_member(&c, line, n, name) || ctok__json_expect(&c, '['))
        return false;
    size_t k = 0;
    if (ctok__json_peek(&c) == ']') {
        c.pos++;
        *n_ids = 0;
        return true;
    }
    for (;;) {
        uint64_t v;
        if (k == cap || ctok__json_uint(&c, UINT32_MAX - 1, &v))
            return false;
        ids[k++] = (uint32_t)v;
        int b = ctok__json_peek(&c);
        c.pos++;
        if (b == ']')
            break;
        if (b != ',')
            return false;
    }
    *n_ids = k;
    return true;
}

/* A special-token set: "all" or an array of strings (texts stored in store). */
typedef struct set_buf {
    ctok_special_set set;
    ctok_bytes items[8];
    uint8_t store[256];
} set_buf;

static bool member_set(const uint8_t *line, size_t n, const char *name, set_buf *s)
{
    memset(s, 0, sizeof *s);
    ctok__json_cursor c;
    if (!find_member(&c, line, n, name))
        return false;
    if (ctok__json_peek(&c) == '"') {
        size_t len;
        uint8_t buf[8];
        if (ctok__json_string(&c, buf, sizeof buf, &len) || len != 3 || memcmp(buf, "all", 3))
            return false;
        s->set.all = 1;
        return true;
    }
    if (ctok__json_expect(&c, '['))
        return false;
    size_t used = 0;
    if (ctok__json_peek(&c) == ']')
        return true;
    for (;;) {
        size_t len;
        if (s->set.n == 8 || ctok__json_string(&c, s->store + used, sizeof s->store - used, &len) ||
            len > sizeof s->store - used)
            return false;
        s->items[s->set.n].ptr = s->store + used;
        s->items[s->set.n++].len = len;
        used += len;
        int b = ctok__json_peek(&c);
        c.pos++;
        if (b == ']')
            break;
        if (b != ',')
            return false;
    }
    s->set.items = s->items;
    return true;
}

/* ---- the encodings under test ---- */

static ctok_model *load(const char *name)
{
    ctok_model *m = NULL;
    ctok_diag d;
    double t0 = (double)clock();
    int rc = ctok_encoding_load(name, NULL, &m, &d);
    if (rc) {
        printf("# cannot load %s: %s\n", name, d.message);
        return NULL;
    }
    printf("# %s loaded in %.0f ms (CPU)\n", name, ((double)clock() - t0) * 1e3 / CLOCKS_PER_SEC);
    return m;
}

/* Run every line of path through model: ids, decode, count, twice through one encoder and through
 * the one-call functions.  Returns the number of lines. */
static size_t check_file(const ctok_model *m, const char *path, const char *label)
{
    size_t len;
    unsigned char *data = test_read_file(path, &len);
    CHECKF(data != NULL, "cannot read %s", path);
    if (!data || !m) {
        free(data);
        CHECK(m != NULL);
        return 0;
    }
    uint8_t *text = malloc(len + 1), *back = malloc(len + 1);
    uint32_t *want = malloc((len + 1) * sizeof *want), *got = malloc((len + 1) * sizeof *got);
    uint32_t *one = malloc((len + 1) * sizeof *one);
    ctok_encoder *enc;
    CHECK(ctok_encoder_new(m, &enc) == 0);
    ctok_encode_options none = {{0, NULL, 0}, {0, NULL, 0}};
    size_t lines = 0, bad = 0, text_bytes = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t line = 0, pos = 0, n;
        for (const uint8_t *s; (s = next_line(data, len, &pos, &n));) {
            line++;
            size_t text_len, n_want, n_got = 0, back_len = 0, counted = 0;
            size_t n_one = 0, counted_one = 0;
            ctok_diag d;
            bool parsed = member_string(s, n, "text", text, len, &text_len) &&
                          member_ids(s, n, "ids", want, len, &n_want);
            CHECKF(parsed, "%s line %zu: cannot parse the vector", path, line);
            if (!parsed)
                continue;
            int rc = ctok_encoder_encode(enc, text, text_len, &none, got, len, &n_got, &d);
            bool same = rc == 0 && n_got == n_want && !memcmp(got, want, n_got * sizeof *got);
            int rc2 = rc ? rc : ctok_decode(m, got, n_got, back, len, &back_len, &d);
            bool round = rc2 == 0 && back_len == text_len && !memcmp(back, text, text_len);
            int rc3 = ctok_encoder_count(enc, text, text_len, &none, &counted, &d);
            bool count_ok = rc3 == 0 && counted == n_got;
            int rc4 = ctok_encode(m, text, text_len, &none, one, len, &n_one, &d);
            int rc5 = rc4 ? rc4 : ctok_count(m, text, text_len, &none, &counted_one, &d);
            bool one_ok = rc5 == 0 && n_one == n_want && !memcmp(one, want, n_one * sizeof *one) &&
                          counted_one == n_want;
            text_bytes += pass == 0 ? text_len : 0;
            if (!same || !round || !count_ok || !one_ok) {
                if (bad++ < 5) {
                    size_t k = 0;
                    while (k < n_want && k < n_got && want[k] == got[k])
                        k++;
                    printf("# %s pass %zu line %zu (%zu bytes) %.60s...: rc %d, %zu ids, want %zu; "
                           "first difference at %zu (got %u, want %u)%s%s%s\n",
                           label, pass + 1, line, text_len, (const char *)s, rc, n_got, n_want, k,
                           k < n_got ? got[k] : 0, k < n_want ? want[k] : 0,
                           round ? "" : "; decode differs", count_ok ? "" : "; count differs",
                           one_ok ? "" : "; ctok_encode or ctok_count differs");
                }
            }
        }
        lines = line;
    }
    if (bad)
        printf("# %s: %zu of %zu lines differ\n", label, bad, lines);
    CHECKF(bad == 0, "%s: %zu of %zu lines differ from tiktoken", label, bad, lines);
    CHECKF(lines >= 400, "%s: only %zu lines", label, lines);
    /* encoded and counted, the first pass turns the cache on (64 KiB) before the second */
    CHECKF(2 * text_bytes >= 65536, "%s: only %zu bytes of text", label, text_bytes);
    ctok_encoder_free(enc);
    free(one);
    free(data);
    free(text);
    free(back);
    free(want);
    free(got);
    return lines;
}

static void vectors_gpt2(void)
{
    ctok_model *m = load("gpt2");
    check_file(m, "tests/data/vectors/gpt2.jsonl", "gpt2");
    ctok_model_free(m);
}

static void vectors_gpt2_from_data_gym_files(void)
{
    ctok_model *m = NULL;
    ctok_diag d;
    int rc = ctok_model_load_gpt2("data/vocab/gpt2/encoder.json", "data/vocab/gpt2/vocab.bpe",
                                  NULL, &m, &d);
    CHECKF(rc == 0, "%s", d.message);
    check_file(m, "tests/data/vectors/gpt2.jsonl", "gpt2 (encoder.json + vocab.bpe)");
    ctok_model_free(m);
}

static void vectors_p50k_base(void)
{
    ctok_model *m = load("p50k_base");
    check_file(m, "tests/data/vectors/p50k_base.jsonl", "p50k_base");
    ctok_model_free(m);
}

static void vectors_cl100k_base(void)
{
    ctok_model *m = load("cl100k_base");
    check_file(m, "tests/data/vectors/cl100k_base.jsonl", "cl100k_base");
    ctok_model_free(m);
}

static void vectors_o200k_base(void)
{
    ctok_model *m = load("o200k_base");
    check_file(m, "tests/data/vectors/o200k_base.jsonl", "o200k_base");
    ctok_model_free(m);
}

/* o200k_harmony encodes ordinary text exactly as o200k_base */
static void vectors_o200k_harmony_ordinary(void)
{
    ctok_model *m = load("o200k_harmony");
    check_file(m, "tests/data/vectors/o200k_base.jsonl", "o200k_harmony");
    ctok_model_free(m);
}

/* ---- special.jsonl ---- */

static void special_cases(void)
{
    size_t len;
    unsigned char *data = test_read_file("tests/data/vectors/special.jsonl", &len);
    CHECK(data != NULL);
    if (!data)
        return;
    static const char *const names[] = {"gpt2", "p50k_base", "p50k_edit", "cl100k_base",
                                        "o200k_base"};
    ctok_model *models[5] = {NULL};
    for (size_t i = 0; i < 5; i++) {
        ctok_diag d;
        CHECKF(ctok_encoding_load(names[i], NULL, &models[i], &d) == 0, "%s", d.message);
    }
    uint8_t *text = malloc(len + 1), *msg = malloc(len + 1);
    uint32_t *want = malloc((len + 1) * sizeof *want), *got = malloc((len + 1) * sizeof *got);
    size_t cases = 0, bad = 0, pos = 0, n;
    for (const uint8_t *s; (s = next_line(data, len, &pos, &n));) {
        cases++;
        uint8_t enc_name[32];
        size_t enc_len, text_len, n_want = 0, n_got = 0, msg_len = 0;
        set_buf allowed, disallowed;
        bool parsed = member_string(s, n, "encoding", enc_name, sizeof enc_name - 1, &enc_len) &&
                      member_string(s, n, "text", text, len, &text_len) &&
                      member_set(s, n, "allowed_special", &allowed) &&
                      member_set(s, n, "disallowed_special", &disallowed);
        bool is_error = member_string(s, n, "message", msg, len, &msg_len);
        parsed = parsed && (is_error || member_ids(s, n, "ids", want, len, &n_want));
        CHECKF(parsed, "special.jsonl line %zu: cannot parse", cases);
        if (!parsed)
            continue;
        enc_name[enc_len] = 0;
        ctok_model *m = NULL;
        for (size_t i = 0; i < 5; i++)
            if (!strcmp((const char *)enc_name, names[i]))
                m = models[i];
        CHECKF(m != NULL, "special.jsonl line %zu: encoding %s", cases, enc_name);
        if (!m)
            continue;
        ctok_encode_options o = {allowed.set, disallowed.set};
        ctok_diag d = {0};
        int rc = ctok_encode(m, text, text_len, &o, got, len, &n_got, &d);
        bool ok;
        if (is_error) {
            msg[msg_len] = 0;
            /* tiktoken: "...not allowed: TOKEN"; ours names the token in quotes */
            const char *colon = strstr((const char *)msg, "allowed: ");
            char quoted[64];
            snprintf(quoted, sizeof quoted, "'%s'", colon ? colon + 9 : "?");
            ok = rc == CTOK_ESPECIAL && strstr(d.message, quoted) != NULL;
        } else {
            ok = rc == 0 && n_got == n_want && !memcmp(got, want, n_got * sizeof *got);
        }
        if (!ok && bad++ < 5)
            printf("# special.jsonl line %zu: %.*s -> rc %d (%s), %zu ids\n", cases, (int)n,
                   (const char *)s, rc, rc ? d.message : "", n_got);
    }
    CHECKF(bad == 0, "%zu of %zu cases differ from tiktoken", bad, cases);
    CHECK(cases >= 100);
    for (size_t i = 0; i < 5; i++)
        ctok_model_free(models[i]);
    free(data);
    free(text);
    free(msg);
    free(want);
    free(got);
}

/* ---- the built-in table against data/vocab/encodings.json ---- */

static bool contains(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(hay + i, needle, k))
            return true;
    return false;
}

static void table_matches_encodings_json(void)
{
    size_t len;
    unsigned char *json = test_read_file("data/vocab/encodings.json", &len);
    CHECK(json != NULL);
    if (!json)
        return;
    static const char *const names[] = {"gpt2", "r50k_base", "p50k_base", "p50k_edit",
                                        "cl100k_base", "o200k_base"};
    for (size_t i = 0; i < 6; i++) {
        ctok_encoding_info info;
        CHECK(ctok_encoding_info_get(names[i], &info) == 0);
        /* the encoding's object in the file: from its name to the next "sha256_matches..." */
        char key[64];
        snprintf(key, sizeof key, "\"%s\": {", names[i]);
        const char *start = strstr((const char *)json, key);
        CHECKF(start != NULL, "%s not in encodings.json", names[i]);
        if (!start)
            continue;
        const char *end = strstr(start, "sha256_matches_published_hash");
        size_t n = (size_t)(end - start);
        /* pat_str as JSON: find its value and decode it */
        const char *pat = strstr(start, "\"pat_str\":");
        CHECK(pat && pat < end);
        ctok__json_cursor c;
        ctok__json_init(&c, (const uint8_t *)pat + 10, (size_t)(end - pat - 10), "json", NULL);
        uint8_t decoded[1024];
        size_t dlen = 0;
        CHECK(ctok__json_string(&c, decoded, sizeof decoded, &dlen) == 0);
        CHECKF(dlen == strlen(info.pattern) && !memcmp(decoded, info.pattern, dlen),
               "%s: pattern differs from encodings.json's pat_str", names[i]);
        char want[128];
        snprintf(want, sizeof want, "\"sha256_of_tiktoken_file\": \"%s\"", info.sha256);
        CHECKF(contains(start, n, want), "%s: sha256", names[i]);
        snprintf(want, sizeof want, "\"file\": \"%s\"", info.file);
        CHECKF(contains(start, n, want), "%s: file", names[i]);
        snprintf(want, sizeof want, "\"n_vocab\": %zu,", info.n_vocab);
        CHECKF(contains(start, n, want), "%s: n_vocab", names[i]);
        snprintf(want, sizeof want, "\"n_mergeable\": %zu,", info.n_ranks);
        CHECKF(contains(start, n, want), "%s: n_mergeable", names[i]);
        /* the embedded bytes hash to the published value */
        char hex[65];
        ctok_sha256_hex(info.rank_file.ptr, info.rank_file.len, hex);
        CHECKF(!strcmp(hex, info.sha256), "%s: embedded file hashes to %s", names[i], hex);
        /* every special token of the file, and no other, with its id */
        ctok_model *m = NULL;
        ctok_diag d;
        CHECKF(ctok_encoding_load(names[i], NULL, &m, &d) == 0, "%s", d.message);
        if (!m)
            continue;
        CHECK(ctok_model_n_vocab(m) == info.n_vocab);
        CHECK(ctok_model_n_special(m) == info.n_special);
        for (size_t k = 0; k < ctok_model_n_special(m); k++) {
            ctok_bytes t;
            uint32_t id;
            CHECK(ctok_model_special(m, k, &t, &id) == 0);
            snprintf(want, sizeof want, "\"%.*s\": %u", (int)t.len, (const char *)t.ptr, id);
            CHECKF(contains(start, n, want), "%s: %s", names[i], want);
        }
        ctok_model_free(m);
    }
    free(json);
}

int main(void)
{
    RUN(table_matches_encodings_json);
    RUN(vectors_gpt2);
    RUN(vectors_gpt2_from_data_gym_files);
    RUN(vectors_p50k_base);
    RUN(vectors_cl100k_base);
    RUN(vectors_o200k_base);
    RUN(vectors_o200k_harmony_ordinary);
    RUN(special_cases);
    TEST_EXIT();
}
