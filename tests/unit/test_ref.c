/*
 * test_ref.c - proves the naive reference (tests/ref/) right against minbpe's own outputs, so
 * that the randomized tests can trust it: training on taylorswift.txt to vocab 512 must give
 * exactly the merges of minbpe's .model files (basic and GPT-4-regex), and encoding with those
 * models must give the ids minbpe printed into taylorswift-512-reference.json.  A few small
 * hand-checked cases pin the tie rules, overlapping pairs and findall's empty-match rule.
 */
#include "ref/ref.h"
#include "unit/test.h"

#include <stdint.h>

#define MINBPE "tests/data/minbpe/"

/* A minbpe .model file: "minbpe v1", the pattern line, the special count and lines, then one
 * merge "a b" per line (merge i makes id 256 + i). */
typedef struct minbpe_model {
    char pattern[1024];
    ref_merge *merges;
    size_t n_merges;
} minbpe_model;

static int load_minbpe(const char *path, minbpe_model *m)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char line[1024];
    int n_special = -1, ok = fgets(line, sizeof line, f) && strcmp(line, "minbpe v1\n") == 0 &&
                                fgets(m->pattern, sizeof m->pattern, f) &&
                                fscanf(f, "%d\n", &n_special) == 1 && n_special >= 0;
    m->pattern[strcspn(m->pattern, "\n")] = 0;
    for (int i = 0; ok && i < n_special; i++)
        ok = fgets(line, sizeof line, f) != NULL;
    m->merges = NULL;
    m->n_merges = 0;
    unsigned a, b;
    while (ok && fscanf(f, "%u %u", &a, &b) == 2) {
        m->merges = realloc(m->merges, (m->n_merges + 1) * sizeof *m->merges);
        m->merges[m->n_merges].left = a;
        m->merges[m->n_merges].right = b;
        m->n_merges++;
    }
    fclose(f);
    return ok ? 0 : -1;
}

/* --- a minimal reader for taylorswift-512-reference.json: just what that file uses ---------- */

typedef struct ref_case {
    uint8_t text[4096];
    size_t len;
    uint32_t ids[4096];
    size_t n_ids;
} ref_case;

static void put_utf8(ref_case *c, uint32_t cp)
{
    if (cp < 0x80) {
        c->text[c->len++] = (uint8_t)cp;
    } else if (cp < 0x800) {
        c->text[c->len++] = (uint8_t)(0xC0 | cp >> 6);
        c->text[c->len++] = (uint8_t)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        c->text[c->len++] = (uint8_t)(0xE0 | cp >> 12);
        c->text[c->len++] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        c->text[c->len++] = (uint8_t)(0x80 | (cp & 0x3F));
    } else {
        c->text[c->len++] = (uint8_t)(0xF0 | cp >> 18);
        c->text[c->len++] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
        c->text[c->len++] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        c->text[c->len++] = (uint8_t)(0x80 | (cp & 0x3F));
    }
}

/* Parse the JSON string starting at the quote *p points to; advances *p past it. */
static int parse_string(const char **p, ref_case *c)
{
    const char *s = *p;
    if (*s++ != '"')
        return -1;
    c->len = 0;
    while (*s != '"') {
        if (!*s || c->len + 4 > sizeof c->text)
            return -1;
        if (*s != '\\') {
            c->text[c->len++] = (uint8_t)*s++;
            continue;
        }
        s++;
        const char *esc = "\"\\/bfnrt", *val = "\"\\/\b\f\n\r\t", *hit = strchr(esc, *s);
        if (*s == 'u') {
            unsigned cp, lo;
            if (sscanf(s + 1, "%4x", &cp) != 1)
                return -1;
            s += 5;
            if (cp >= 0xD800 && cp < 0xDC00 && sscanf(s, "\\u%4x", &lo) == 1) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                s += 6;
            }
            put_utf8(c, cp);
        } else if (*s && hit) {
            c->text[c->len++] = (uint8_t)val[hit - esc];
            s++;
        } else {
            return -1;
        }
    }
    *p = s + 1;
    return 0;
}

/* The encode cases of one model ("basic" or "regex"): returns how many were read. */
static size_t load_cases(const char *json, const char *model, ref_case *cases, size_t cap)
{
    char key[64];
    snprintf(key, sizeof key, "\"%s\": {", model);
    const char *p = strstr(json, key);
    p = p ? strstr(p, "\"encode\": [") : NULL;
    size_t n = 0;
    while (p && n < cap && (p = strstr(p, "\"text\": "))) {
        p += 8;
        ref_case *c = &cases[n];
        if (parse_string(&p, c) != 0 || !(p = strstr(p, "\"ids\": [")))
            return n;
        p += 8;
        c->n_ids = 0;
        char *end;
        for (;;) {
            while (*p == ' ' || *p == '\n' || *p == ',')
                p++;
            if (*p == ']')
                break;
            unsigned long id = strtoul(p, &end, 10);
            if (end == p || c->n_ids == 4096)
                return n;
            c->ids[c->n_ids++] = (uint32_t)id;
            p = end;
        }
        n++;
        /* stop at the end of this model's encode list: "]" closing it comes before "}" */
        while (*p == ']' || *p == ' ' || *p == '\n')
            p++;
        if (*p == '}') {
            p++;
            while (*p == ' ' || *p == '\n')
                p++;
            if (*p != ',')
                break;
        }
    }
    return n;
}

/* --- tests ------------------------------------------------------------------------------- */

static void check_training(const char *model_file, int regex)
{
    minbpe_model m;
    CHECK(load_minbpe(model_file, &m) == 0);
    CHECK(m.n_merges == 256);
    size_t len;
    uint8_t *text = test_read_file("tests/data/corpora/taylorswift.txt", &len);
    CHECK(text && len == 185768);
    if (!text)
        return;
    ref_chunks chunks;
    if (regex)
        CHECK(ref_chunks_regex(m.pattern, text, len, &chunks) == 0);
    else
        ref_chunks_basic(text, len, &chunks);
    ref_merge *merges;
    size_t n = ref_train(&chunks, 512, REF_TIES_FIRST_SEEN, &merges);
    CHECKF(n == m.n_merges, "%zu merges", n);
    for (size_t i = 0; i < n && i < m.n_merges; i++)
        CHECKF(merges[i].left == m.merges[i].left && merges[i].right == m.merges[i].right,
               "merge %zu is (%u, %u), minbpe made (%u, %u)", i, merges[i].left,
               merges[i].right, m.merges[i].left, m.merges[i].right);
    free(merges);
    ref_chunks_free(&chunks);
    free(text);
    free(m.merges);
}

static void ref_train_basic_equals_minbpe(void)
{
    check_training(MINBPE "taylorswift-basic512.model", 0);
}

static void ref_train_regex_equals_minbpe(void)
{
    check_training(MINBPE "taylorswift-regex512.model", 1);
}

static void check_encoding(const char *model_file, const char *name, int regex)
{
    minbpe_model m;
    CHECK(load_minbpe(model_file, &m) == 0);
    size_t json_len;
    char *json = (char *)test_read_file(MINBPE "taylorswift-512-reference.json", &json_len);
    CHECK(json != NULL);
    if (!json)
        return;
    json = realloc(json, json_len + 1);
    json[json_len] = 0;
    static ref_case cases[16];
    size_t n_cases = load_cases(json, name, cases, 16);
    CHECKF(n_cases == 10, "%zu cases read", n_cases);
    for (size_t k = 0; k < n_cases; k++) {
        ref_case *c = &cases[k];
        ref_chunks chunks;
        if (regex)
            CHECK(ref_chunks_regex(m.pattern, c->text, c->len, &chunks) == 0);
        else
            ref_chunks_basic(c->text, c->len, &chunks);
        uint32_t *ids;
        size_t n = ref_encode(m.merges, m.n_merges, &chunks, &ids);
        int same = n == c->n_ids && (n == 0 || memcmp(ids, c->ids, n * sizeof *ids) == 0);
        CHECKF(same, "case %zu (%.30s...): %zu ids, minbpe gave %zu", k, (char *)c->text, n,
               c->n_ids);
        size_t back_len;
        uint8_t *back = ref_decode(m.merges, m.n_merges, ids, n, &back_len);
        CHECKF(back && back_len == c->len && memcmp(back, c->text, back_len) == 0,
               "case %zu does not decode back", k);
        free(back);
        free(ids);
        ref_chunks_free(&chunks);
    }
    free(json);
    free(m.merges);
}

static void ref_encode_basic_equals_minbpe(void)
{
    check_encoding(MINBPE "taylorswift-basic512.model", "basic", 0);
}

static void ref_encode_regex_equals_minbpe(void)
{
    check_encoding(MINBPE "taylorswift-regex512.model", "regex", 1);
}

/* Train on text (basic) and compare the merges with the expected flat list of pairs. */
static int trains_to(const char *text, size_t vocab, ref_ties ties, const uint32_t *want,
                     size_t n_want)
{
    ref_chunks chunks;
    ref_chunks_basic((const uint8_t *)text, strlen(text), &chunks);
    ref_merge *merges;
    size_t n = ref_train(&chunks, vocab, ties, &merges);
    int ok = n == n_want;
    for (size_t i = 0; ok && i < n; i++)
        ok = merges[i].left == want[2 * i] && merges[i].right == want[2 * i + 1];
    free(merges);
    ref_chunks_free(&chunks);
    return ok;
}

static void ref_small_cases(void)
{
    /* minbpe's test: "aaabdaaabac" to 259 encodes as [258, 100, 258, 97, 99] */
    const uint32_t wiki[] = {97, 97, 256, 97, 257, 98};
    CHECK(trains_to("aaabdaaabac", 259, REF_TIES_FIRST_SEEN, wiki, 3));
    ref_merge *merges;
    ref_chunks chunks;
    ref_chunks_basic((const uint8_t *)"aaabdaaabac", 11, &chunks);
    size_t n = ref_train(&chunks, 259, REF_TIES_FIRST_SEEN, &merges);
    uint32_t *ids;
    size_t n_ids = ref_encode(merges, n, &chunks, &ids);
    const uint32_t want[] = {258, 100, 258, 97, 99};
    CHECK(n_ids == 5 && memcmp(ids, want, sizeof want) == 0);
    free(ids);
    free(merges);
    ref_chunks_free(&chunks);

    /* ties: every pair of "cdab" occurs once */
    const uint32_t first[] = {'c', 'd'}, smallest[] = {'a', 'b'};
    CHECK(trains_to("cdab", 257, REF_TIES_FIRST_SEEN, first, 1));
    CHECK(trains_to("cdab", 257, REF_TIES_SMALLEST_PAIR, smallest, 1));
    /* overlapping pairs: "aaaaa" counts (a,a) 4 times, merges it as [X, X, a] */
    const uint32_t runs[] = {'a', 'a', 256, 256, 257, 'a'};
    CHECK(trains_to("aaaaa", 300, REF_TIES_FIRST_SEEN, runs, 3)); /* then nothing is left */
    CHECK(trains_to("", 300, REF_TIES_FIRST_SEEN, NULL, 0));
    CHECK(trains_to("x", 300, REF_TIES_FIRST_SEEN, NULL, 0));
}

static void ref_findall_semantics(void)
{
    /* unmatched text is dropped; empty matches give no chunk (re.findall('x*|b', 'ab') is
     * ['', '', 'b', '']) */
    ref_chunks c;
    const char *text = "hi there 42!";
    CHECK(ref_chunks_regex(" ?\\p{L}+|\\p{N}+", (const uint8_t *)text, strlen(text), &c) == 0);
    CHECK(c.n == 3 && c.len[0] == 2 && c.len[1] == 6 && c.len[2] == 2 &&
          memcmp(c.ptr[1], " there", 6) == 0 && memcmp(c.ptr[2], "42", 2) == 0);
    ref_chunks_free(&c);
    CHECK(ref_chunks_regex("x*|b", (const uint8_t *)"ab", 2, &c) == 0);
    CHECK(c.n == 1 && c.len[0] == 1 && c.ptr[0][0] == 'b');
    ref_chunks_free(&c);
    CHECK(ref_chunks_regex("a*", (const uint8_t *)"baac", 4, &c) == 0);
    CHECK(c.n == 1 && c.len[0] == 2);
    ref_chunks_free(&c);
    CHECK(ref_chunks_regex("(", (const uint8_t *)"a", 1, &c) == -1);
    CHECK(ref_chunks_regex("a", (const uint8_t *)"a\xff", 2, &c) == -1);
}

int main(void)
{
    RUN(ref_small_cases);
    RUN(ref_findall_semantics);
    RUN(ref_encode_basic_equals_minbpe);
    RUN(ref_encode_regex_equals_minbpe);
    RUN(ref_train_basic_equals_minbpe);
    RUN(ref_train_regex_equals_minbpe);
    TEST_EXIT();
}
