/*
 * test_minbpe.c - golden parity with minbpe: the three models in tests/data/minbpe/ are
 * reproduced byte for byte from taylorswift.txt, and encoding with them (as trained, and as
 * loaded from minbpe's own files) gives minbpe's ids from taylorswift-512-reference.json.
 */
#include "ctok.h"
#include "unit/test.h"

#include <unistd.h>

#define DATA "tests/data/"
#define GPT4 "gpt4"

static unsigned char *corpus;
static size_t corpus_len;

static ctok_model *train(ctok_train_type type, const ctok_bytes *specials, const int64_t *ids,
                         size_t n_special)
{
    ctok_train_options o;
    memset(&o, 0, sizeof o);
    o.type = type;
    o.vocab_size = 512;
    if (type == CTOK_TRAIN_REGEX) {
        const char *p = ctok_pattern_by_name(GPT4);
        o.pattern.ptr = (const uint8_t *)p;
        o.pattern.len = strlen(p);
    }
    o.special = specials;
    o.special_ids = ids;
    o.n_special = n_special;
    ctok_trainer *t;
    ctok_model *m = NULL;
    ctok_diag d;
    if (ctok_trainer_new(&o, &t, &d) != CTOK_OK)
        return NULL;
    if (ctok_trainer_feed(t, corpus, corpus_len, &d) == CTOK_OK)
        ctok_trainer_finish(t, &m, &d);
    ctok_trainer_free(t);
    return m;
}

/* Save m and compare PREFIX.model with the reference file byte for byte. */
static int saved_equals(const ctok_model *m, const char *reference)
{
    char prefix[] = "/tmp/ctok-test-XXXXXX";
    int fd = mkstemp(prefix);
    if (fd < 0)
        return 0;
    close(fd);
    ctok_diag d;
    int same = 0;
    if (ctok_model_save(m, prefix, &d) == CTOK_OK) {
        char path[64];
        snprintf(path, sizeof path, "%s.model", prefix);
        size_t a_len = 0, b_len = 0;
        unsigned char *a = test_read_file(path, &a_len), *b = test_read_file(reference, &b_len);
        same = a && b && a_len == b_len && memcmp(a, b, a_len) == 0;
        free(a);
        free(b);
        remove(path);
        snprintf(path, sizeof path, "%s.vocab", prefix);
        remove(path);
    }
    remove(prefix);
    return same;
}

static void basic_512_reproduces_minbpe(void)
{
    ctok_model *m = train(CTOK_TRAIN_BASIC, NULL, NULL, 0);
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK(ctok_model_n_merges(m) == 256);
    CHECK(saved_equals(m, DATA "minbpe/taylorswift-basic512.model"));
    ctok_model_free(m);
}

static void regex_512_reproduces_minbpe(void)
{
    ctok_model *m = train(CTOK_TRAIN_REGEX, NULL, NULL, 0);
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK(saved_equals(m, DATA "minbpe/taylorswift-regex512.model"));
    ctok_model_free(m);
}

static void regex_512_special_reproduces_minbpe(void)
{
    ctok_bytes sp[2] = {{(const uint8_t *)"<|endoftext|>", 13}, {(const uint8_t *)"<|fim_prefix|>", 14}};
    int64_t ids[2] = {512, 513};
    ctok_model *m = train(CTOK_TRAIN_REGEX, sp, ids, 2);
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK(saved_equals(m, DATA "minbpe/taylorswift-regex512-special.model"));
    /* default ids follow the merges: the same model */
    ctok_model *m2 = train(CTOK_TRAIN_REGEX, sp, NULL, 2);
    CHECK(m2 && saved_equals(m2, DATA "minbpe/taylorswift-regex512-special.model"));
    ctok_model_free(m);
    ctok_model_free(m2);
}

/* Every case of reference-cases.jsonl (minbpe's own encode outputs, flattened from
 * taylorswift-512-reference.json by tools/minbpe_reference_to_jsonl.py): the model file as minbpe
 * wrote it must encode "text" to "ids", and decode back. */
static void minbpe_reference_encodings_match(void)
{
    size_t len;
    unsigned char *jsonl = test_read_file(DATA "minbpe/reference-cases.jsonl", &len);
    CHECK(jsonl != NULL);
    if (!jsonl)
        return;
    int cases = 0;
    for (char *line = (char *)jsonl; line < (char *)jsonl + len;) {
        char *nl = memchr(line, '\n', (size_t)((char *)jsonl + len - line));
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        ctok_diag d;
        uint8_t model_name[128], special[16], text[4096];
        size_t model_len, special_len, text_len, n_want, n_got, back_len;
        CHECK(ctok_json_text((uint8_t *)line, n, "model", model_name, sizeof model_name - 1, &model_len, &d) == CTOK_OK);
        CHECK(ctok_json_text((uint8_t *)line, n, "special", special, sizeof special - 1, &special_len, &d) == CTOK_OK);
        CHECK(ctok_json_text((uint8_t *)line, n, "text", text, sizeof text, &text_len, &d) == CTOK_OK);
        model_name[model_len] = 0;
        special[special_len] = 0;
        /* "ids" is the last member: its array runs to the closing bracket before the '}' */
        char *ids_open = strstr(line, "\"ids\": [") + 7;
        char *ids_close = memchr(ids_open, ']', (size_t)(line + n - ids_open));
        uint32_t want[4096], got[4096];
        CHECK(ctok_json_ids((uint8_t *)ids_open, (size_t)(ids_close - ids_open) + 1, want, 4096, &n_want, &d) == CTOK_OK);
        char path[256];
        snprintf(path, sizeof path, DATA "minbpe/%s", (char *)model_name);
        ctok_model *m = NULL;
        CHECKF(ctok_model_load(path, NULL, &m, &d) == CTOK_OK, "%s", d.message);
        int all = strcmp((char *)special, "all") == 0;
        ctok_encode_options opt = {{all, NULL, 0}, {all, NULL, 0}};
        if (m) {
            CHECKF(ctok_encode(m, text, text_len, &opt, got, 4096, &n_got, &d) == CTOK_OK, "%s", d.message);
            CHECKF(n_got == n_want && memcmp(got, want, n_got * sizeof *got) == 0,
                   "%s: '%.*s' encodes differently", path, (int)text_len, text);
            uint8_t back[4096];
            CHECK(ctok_decode(m, got, n_got, back, sizeof back, &back_len, &d) == CTOK_OK);
            CHECK(back_len == text_len && memcmp(back, text, text_len) == 0);
        }
        ctok_model_free(m);
        cases++;
        line += n + 1;
    }
    CHECKF(cases == 21, "%d cases", cases);
    free(jsonl);
}

static void special_tokens_raise_by_default(void)
{
    ctok_model *m = NULL;
    ctok_diag d;
    CHECK(ctok_model_load(DATA "minbpe/taylorswift-regex512-special.model", NULL, &m, &d) == CTOK_OK);
    if (!m)
        return;
    const char *text = "hello <|endoftext|>";
    uint32_t ids[64];
    size_t n;
    CHECK(ctok_encode(m, (const uint8_t *)text, strlen(text), NULL, ids, 64, &n, &d) == CTOK_ESPECIAL);
    CHECK(d.offset == 6);
    CHECK(strstr(d.message, "<|endoftext|>") != NULL);
    ctok_model_free(m);
}

int main(void)
{
    corpus = test_read_file(DATA "corpora/taylorswift.txt", &corpus_len);
    if (!corpus) {
        printf("FAIL test_minbpe: cannot read the corpus\n");
        return 1;
    }
    RUN(basic_512_reproduces_minbpe);
    RUN(regex_512_reproduces_minbpe);
    RUN(regex_512_special_reproduces_minbpe);
    RUN(minbpe_reference_encodings_match);
    RUN(special_tokens_raise_by_default);
    free(corpus);
    TEST_EXIT();
}
