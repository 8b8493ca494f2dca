/*
 * test_encodings.c - the built-in encodings by name and by tiktoken's model names, o200k_harmony's
 * special tokens, and tiktoken's extras: ctok_count, ctok_encode_truncated, ctok_model_eot and
 * ctok_decode_with_offsets (expected offsets from tiktoken's own tests/test_offsets.py).
 */
#include "ctok.h"
#include "unit/test.h"

#include <stdbool.h>

static ctok_model *cl100k, *harmony;

static void names_and_models(void)
{
    CHECK(ctok_encoding_count() == 7);
    const char *want[] = {"gpt2", "r50k_base", "p50k_base", "p50k_edit", "cl100k_base",
                          "o200k_base", "o200k_harmony"};
    for (size_t i = 0; i < 7; i++)
        CHECK(ctok_encoding_name(i) && !strcmp(ctok_encoding_name(i), want[i]));
    CHECK(ctok_encoding_name(7) == NULL);
    const char *map[][2] = {
        {"gpt-4o", "o200k_base"},         {"gpt-4o-mini", "o200k_base"},
        {"gpt-4o-2024-05-13", "o200k_base"}, {"o1", "o200k_base"},
        {"o3-mini", "o200k_base"},        {"gpt-4.1-nano", "o200k_base"},
        {"gpt-5", "o200k_base"},          {"chatgpt-4o-latest", "o200k_base"},
        {"ft:gpt-4o-mini:org::id", "o200k_base"}, {"gpt-oss-120b", "o200k_harmony"},
        {"gpt-4", "cl100k_base"},         {"gpt-4-0613", "cl100k_base"},
        {"gpt-4-32k", "cl100k_base"},     {"gpt-3.5-turbo", "cl100k_base"},
        {"gpt-35-turbo-16k", "cl100k_base"}, {"text-embedding-ada-002", "cl100k_base"},
        {"text-embedding-3-small", "cl100k_base"}, {"ft:gpt-3.5-turbo:x", "cl100k_base"},
        {"text-davinci-003", "p50k_base"}, {"code-davinci-002", "p50k_base"},
        {"text-davinci-edit-001", "p50k_edit"}, {"davinci", "r50k_base"},
        {"text-ada-001", "r50k_base"},    {"gpt2", "gpt2"},
        {"gpt-2", "gpt2"},                {"cl100k_base", "cl100k_base"},
        {"o200k_harmony", "o200k_harmony"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        const char *got = ctok_encoding_for_model(map[i][0]);
        CHECKF(got && !strcmp(got, map[i][1]), "%s -> %s", map[i][0], got ? got : "NULL");
    }
    CHECK(ctok_encoding_for_model("llama-3") == NULL);
    CHECK(ctok_encoding_for_model("gpt") == NULL);
    CHECK(ctok_encoding_for_model(NULL) == NULL);
    ctok_model *m = (ctok_model *)1;
    ctok_diag d;
    CHECK(ctok_encoding_load("no-such-thing", NULL, &m, &d) == CTOK_ENOTFOUND);
    CHECK(m == (ctok_model *)1 && strstr(d.message, "'no-such-thing'") &&
          strstr(d.message, "o200k_harmony"));
    ctok_encoding_info info;
    CHECK(ctok_encoding_info_get("gpt-4", &info) == 0 && !strcmp(info.name, "cl100k_base") &&
          info.n_vocab == 100277 && info.n_special == 5 && info.rank_file.len == 1681126);
    CHECK(ctok_encoding_info_get("nope", &info) == CTOK_ENOTFOUND);
}

static void harmony_specials(void)
{
    CHECK(harmony != NULL);
    if (!harmony)
        return;
    CHECK(ctok_model_n_vocab(harmony) == 201088);
    CHECK(ctok_model_n_special(harmony) == 1091);
    struct {
        const char *text;
        uint32_t id;
    } named[] = {{"<|startoftext|>", 199998}, {"<|endoftext|>", 199999},
                 {"<|reserved_200000|>", 200000}, {"<|return|>", 200002},
                 {"<|constrain|>", 200003}, {"<|channel|>", 200005},
                 {"<|start|>", 200006}, {"<|end|>", 200007},
                 {"<|message|>", 200008}, {"<|reserved_200011|>", 200011},
                 {"<|call|>", 200012}, {"<|reserved_200013|>", 200013},
                 {"<|endofprompt|>", 200018}, {"<|reserved_200018|>", 200018},
                 {"<|reserved_201087|>", 201087}};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
        uint32_t id = 0;
        CHECKF(ctok_model_token_id(harmony, (const uint8_t *)named[i].text,
                                   strlen(named[i].text), &id) == 0 && id == named[i].id,
               "%s -> %u", named[i].text, id);
        uint32_t ids[4];
        size_t n = 0;
        ctok_encode_options all = {{1, NULL, 0}, {1, NULL, 0}};
        CHECK(ctok_encode(harmony, (const uint8_t *)named[i].text, strlen(named[i].text), &all,
                          ids, 4, &n, NULL) == 0 && n == 1 && ids[0] == named[i].id);
    }
    /* 200018 decodes as its first name, o200k_base's */
    ctok_bytes b;
    CHECK(ctok_model_token_bytes(harmony, 200018, &b) == 0 && b.len == 15 &&
          !memcmp(b.ptr, "<|endofprompt|>", 15));
    uint32_t id;
    CHECK(ctok_model_token_id(harmony, (const uint8_t *)"<|reserved_199999|>", 19, &id) ==
          CTOK_ENOTFOUND);
    CHECK(ctok_model_token_id(harmony, (const uint8_t *)"<|reserved_201088|>", 19, &id) ==
          CTOK_ENOTFOUND);
    uint32_t eot;
    CHECK(ctok_model_eot(harmony, &eot) == 0 && eot == 199999);
}

static void eot_ids(void)
{
    const char *names[] = {"gpt2", "p50k_edit", "cl100k_base"};
    uint32_t want[] = {50256, 50256, 100257};
    for (size_t i = 0; i < 3; i++) {
        ctok_model *m = NULL;
        uint32_t eot = 0;
        CHECK(ctok_encoding_load(names[i], NULL, &m, NULL) == 0);
        CHECK(m && ctok_model_eot(m, &eot) == 0 && eot == want[i]);
        ctok_model_free(m);
    }
}

static void count_agrees_with_encode(void)
{
    const char *texts[] = {"", "hello world", "hello world<|endoftext|> green cow",
                           "我非常渴望与人工智能一起工作", "\xff\xfe raw bytes \x80"};
    ctok_encode_options all = {{1, NULL, 0}, {1, NULL, 0}};
    ctok_encode_options none = {{0, NULL, 0}, {0, NULL, 0}};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        const uint8_t *t = (const uint8_t *)texts[i];
        size_t len = strlen(texts[i]), n_enc = 0, n_count = 1;
        uint32_t ids[128];
        CHECK(ctok_encode(cl100k, t, len, &all, ids, 128, &n_enc, NULL) == 0);
        CHECK(ctok_count(cl100k, t, len, &all, &n_count, NULL) == 0);
        CHECKF(n_enc == n_count, "%s: %zu vs %zu", texts[i], n_enc, n_count);
        CHECK(ctok_encode(cl100k, t, len, &none, ids, 128, &n_enc, NULL) == 0);
        CHECK(ctok_count(cl100k, t, len, &none, &n_count, NULL) == 0 && n_enc == n_count);
    }
    size_t n = 0;
    CHECK(ctok_count(cl100k, (const uint8_t *)"hello world", 11, NULL, &n, NULL) == 0 && n == 2);
    ctok_diag d;
    CHECK(ctok_count(cl100k, (const uint8_t *)"a<|endoftext|>", 14, NULL, &n, &d) ==
              CTOK_ESPECIAL && d.offset == 1);
    /* a million 'a' without an id buffer */
    size_t big = 1000000;
    uint8_t *a = malloc(big);
    memset(a, 'a', big);
    CHECK(ctok_count(cl100k, a, big, NULL, &n, NULL) == 0 && n > 0 && n < big / 2);
    free(a);
}

/* A text long enough for the piece cache (64 KB or more), many of whose short pieces are two or
 * three tokens: counting takes those from the cache without an id buffer, and must still count
 * every id that encoding gives. */
static void count_agrees_on_long_text(void)
{
    size_t len = 0;
    unsigned char *t = test_read_file("tests/data/corpora/multilingual-sample.txt", &len);
    CHECK(t != NULL && len >= 1000000);
    uint32_t *ids = t ? malloc(len * sizeof *ids) : NULL;
    size_t n_enc = 0, n_count = 0;
    if (ids) {
        CHECK(ctok_encode(cl100k, t, len, NULL, ids, len, &n_enc, NULL) == 0);
        CHECK(ctok_count(cl100k, t, len, NULL, &n_count, NULL) == 0);
        CHECKF(n_enc == n_count && n_enc > len / 8, "%zu ids encoded, %zu counted", n_enc,
               n_count);
    }
    free(ids);
    free(t);
}

/* The encoder's pair cache shares one block with its piece cache when the piece cache comes
 * first (a long text's first pieces are short), and is a block of its own when a merge needs it
 * first (here a first piece of 100 letters).  Either way, one-shot or on an encoder reused in
 * either order, the same text gives the same ids, and they decode to the text. */
static void encoder_tables_either_order(void)
{
    size_t len = 0;
    unsigned char *sample = test_read_file("tests/data/corpora/multilingual-sample.txt", &len);
    enum { B = 200000, RUN = 100 };
    CHECK(sample != NULL && len >= B);
    uint8_t *a = malloc(RUN + B), *back = malloc(RUN + B);
    uint32_t *want_a = malloc((RUN + B) * sizeof *want_a), *want_b = malloc(B * sizeof *want_b);
    uint32_t *got = malloc((RUN + B) * sizeof *got);
    ctok_encoder *e = NULL;
    CHECK(ctok_encoder_new(cl100k, &e) == 0);
    if (sample && len >= B && a && back && want_a && want_b && got && e) {
        memset(a, 'x', RUN);
        memcpy(a + RUN, sample, B);
        size_t na = 0, nb = 0, n = 0, out = 0;
        CHECK(ctok_encode(cl100k, a, RUN + B, NULL, want_a, RUN + B, &na, NULL) == 0);
        CHECK(ctok_encode(cl100k, sample, B, NULL, want_b, B, &nb, NULL) == 0);
        CHECK(ctok_decode(cl100k, want_a, na, back, RUN + B, &out, NULL) == 0 &&
              out == RUN + B && !memcmp(back, a, out));
        CHECK(ctok_decode(cl100k, want_b, nb, back, B, &out, NULL) == 0 && out == B &&
              !memcmp(back, sample, out));
        for (int round = 0; round < 3; round++) {
            bool with_run = round == 1;
            const uint8_t *t = with_run ? a : sample;
            const uint32_t *want = with_run ? want_a : want_b;
            size_t tl = with_run ? RUN + B : B, nw = with_run ? na : nb;
            CHECK(ctok_encoder_encode(e, t, tl, NULL, got, RUN + B, &n, NULL) == 0);
            CHECKF(n == nw && !memcmp(got, want, n * sizeof *got), "round %d", round);
        }
    }
    ctok_encoder_free(e);
    free(got);
    free(want_b);
    free(want_a);
    free(back);
    free(a);
    free(sample);
}

static void decode_with_offsets_as_tiktoken(void)
{
    struct {
        const char *text;
        size_t n;
        size_t offsets[24];
    } cases[] = {
        {"hello world", 2, {0, 5}},
        {"hello world<|endoftext|> green cow", 5, {0, 5, 11, 24, 30}},
        {"我非常渴望与人工智能一起工作", 17, {0, 1, 2, 3, 3, 4, 4, 5, 6, 7, 8, 8, 9, 10, 11, 12, 13}},
        {"நடிகர் சூர்யா", 19, {0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 8, 8, 9, 9, 10, 11, 12, 12}},
        {" \xC4\xA0\xE9\x99\xA4", 2, {0, 1}}, /* " Ġ除" */
    };
    ctok_encode_options all = {{1, NULL, 0}, {1, NULL, 0}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const char *t = cases[c].text;
        uint32_t ids[64];
        size_t n = 0, offsets[64], len = 0;
        uint8_t out[256];
        CHECK(ctok_encode(cl100k, (const uint8_t *)t, strlen(t), &all, ids, 64, &n, NULL) == 0);
        CHECKF(n == cases[c].n, "case %zu: %zu tokens", c, n);
        int rc = ctok_decode_with_offsets(cl100k, ids, n, out, sizeof out, &len, offsets, NULL);
        CHECK(rc == 0 && len == strlen(t) && !memcmp(out, t, len));
        for (size_t i = 0; i < n && i < cases[c].n; i++)
            CHECKF(offsets[i] == cases[c].offsets[i], "case %zu token %zu: %zu, want %zu", c, i,
                   offsets[i], cases[c].offsets[i]);
    }
    /* invalid UTF-8 is refused (tiktoken's strict decode), naming the byte */
    uint32_t ids[8];
    size_t n = 0, len, offsets[8];
    uint8_t out[64];
    ctok_diag d;
    CHECK(ctok_encode(cl100k, (const uint8_t *)"ab\xff", 3, NULL, ids, 8, &n, NULL) == 0);
    CHECK(ctok_decode_with_offsets(cl100k, ids, n, out, sizeof out, &len, offsets, &d) ==
              CTOK_EUTF8 && d.offset == 2);
    /* measuring only, and an unknown id */
    CHECK(ctok_decode_with_offsets(cl100k, ids, n, NULL, 0, &len, NULL, NULL) == 0 && len == 3);
    ids[0] = 100261; /* a hole between cl100k's special tokens */
    CHECK(ctok_decode_with_offsets(cl100k, ids, 1, out, sizeof out, &len, offsets, &d) ==
          CTOK_EUNKNOWN_ID);
}

/* Whether byte offset at of t falls inside a valid UTF-8 sequence (worked out independently of
 * the library: lead byte, length, continuation bytes). */
static bool ends_inside(const uint8_t *t, size_t len, size_t at)
{
    if (at == 0 || at >= len)
        return false;
    for (size_t s = at > 3 ? at - 3 : 0; s < at; s++) {
        size_t k = (t[s] & 0xE0) == 0xC0   ? 2
                   : (t[s] & 0xF0) == 0xE0 ? 3
                   : (t[s] & 0xF8) == 0xF0 ? 4
                                           : 1;
        bool valid = s + k <= len;
        for (size_t j = 1; valid && j < k; j++)
            valid = (t[s + j] & 0xC0) == 0x80;
        if (valid && k > 1 && s + k > at)
            return true;
    }
    return false;
}

/* The truncation is the longest prefix of the full encoding that fits and ends between
 * characters: check that property for every limit on texts with multi-byte characters. */
static void truncation_at_character_boundaries(void)
{
    const char *texts[] = {"我非常渴望与人工智能一起工作", "நடிகர் சூர்யா", "hello world",
                           "emoji \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9 end",
                           "bad \xff\xfe bytes \xE6\x88"};
    for (size_t c = 0; c < sizeof texts / sizeof *texts; c++) {
        const uint8_t *t = (const uint8_t *)texts[c];
        size_t len = strlen(texts[c]), n_full = 0;
        uint32_t full[128];
        CHECK(ctok_encode(cl100k, t, len, NULL, full, 128, &n_full, NULL) == 0);
        /* byte end of each prefix of the full encoding */
        size_t ends[129] = {0};
        for (size_t i = 0; i < n_full; i++) {
            ctok_bytes b;
            ctok_model_token_bytes(cl100k, full[i], &b);
            ends[i + 1] = ends[i] + b.len;
        }
        for (size_t max = 0; max <= n_full + 1; max++) {
            uint32_t ids[128];
            size_t n = 99, used = 99;
            int rc = ctok_encode_truncated(cl100k, t, len, NULL, max, ids, 128, &n, &used, NULL);
            CHECK(rc == 0 && n <= max && n <= n_full);
            CHECK(!memcmp(ids, full, n * sizeof *ids) && used == ends[n]);
            CHECKF(!ends_inside(t, len, used), "text %zu, max %zu: ends inside a character at "
                   "%zu", c, max, used);
            /* and is the longest such prefix */
            for (size_t k = n + 1; k <= max && k <= n_full; k++)
                CHECKF(ends_inside(t, len, ends[k]), "text %zu, max %zu: %zu ids, could be %zu",
                       c, max, n, k);
        }
    }
    /* the worked example: 渴 is two tokens (offsets 3, 3): 4 tokens keep 3 */
    uint32_t ids[8];
    size_t n, used;
    const char *t = "我非常渴望与人工智能一起工作";
    CHECK(ctok_encode_truncated(cl100k, (const uint8_t *)t, strlen(t), NULL, 4, ids, 8, &n, &used,
                                NULL) == 0 && n == 3 && used == 9);
    /* too small a buffer is an error, never a silent cut */
    ctok_diag d;
    CHECK(ctok_encode_truncated(cl100k, (const uint8_t *)t, strlen(t), NULL, 8, ids, 4, &n,
                                &used, &d) == CTOK_EBUFFER);
    /* disallowed special tokens anywhere in the text still raise */
    CHECK(ctok_encode_truncated(cl100k, (const uint8_t *)"a b <|endoftext|>", 17, NULL, 1, ids, 8,
                                &n, &used, &d) == CTOK_ESPECIAL);
}

int main(void)
{
    ctok_diag d;
    if (ctok_encoding_load("cl100k_base", NULL, &cl100k, &d) ||
        ctok_encoding_load("o200k_harmony", NULL, &harmony, &d)) {
        printf("FAIL load: %s\n", d.message);
        return 1;
    }
    RUN(names_and_models);
    RUN(harmony_specials);
    RUN(eot_ids);
    RUN(count_agrees_with_encode);
    RUN(count_agrees_on_long_text);
    RUN(encoder_tables_either_order);
    RUN(decode_with_offsets_as_tiktoken);
    RUN(truncation_at_character_boundaries);
    ctok_model_free(cl100k);
    ctok_model_free(harmony);
    TEST_EXIT();
}
