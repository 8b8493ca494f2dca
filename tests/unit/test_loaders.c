/*
 * test_loaders.c - the rank-file (.tiktoken) and GPT-2 (encoder.json + vocab.bpe) loaders: small
 * files written by hand (or from a hand-written recipe) whose encodings are worked out by hand,
 * and malformed ones whose errors must name the file, the line and the problem.  Also the real
 * GPT-2 files against the built-in gpt2, and every allocation failure on the way.
 */
#include "ctok.h"
#include "unit/fault_alloc.h"
#include "unit/rank_file.h"
#include "unit/test.h"

#include <stdarg.h>
#include <stdbool.h>
#include <unistd.h>

/* ---- building rank files ---- */

typedef struct text {
    char buf[1 << 14];
    size_t len;
} text;

static void add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    t->len += (size_t)vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
}

/* bytes 0..255 with rank = byte value, skipping `skip` (-1: none) */
static void add_bytes(text *t, int skip)
{
    for (int b = 0; b < 256; b++) {
        if (b == skip)
            continue;
        uint8_t byte = (uint8_t)b;
        char e[8];
        b64(&byte, 1, e);
        add(t, "%s %d\n", e, b);
    }
}

static void add_token(text *t, const char *s, unsigned rank)
{
    char e[64];
    b64((const uint8_t *)s, strlen(s), e);
    add(t, "%s %u\n", e, rank);
}

static ctok_diag diag;

static int load_ranks(const text *t, const ctok_special_token *sp, size_t n_sp, ctok_model **m)
{
    memset(&diag, 0, sizeof diag);
    *m = NULL;
    return ctok_model_load_tiktoken_memory((const uint8_t *)t->buf, t->len, "t.tiktoken", NULL,
                                           sp, n_sp, NULL, m, &diag);
}

#define EXPECT_ERROR(rc, want_status, want_line, fragment)                                  \
    do {                                                                                    \
        CHECKF((rc) == (want_status) && diag.status == (want_status) &&                     \
                   diag.line == (want_line) && strstr(diag.message, fragment),              \
               "rc %d line %llu: %s", rc, (unsigned long long)diag.line, diag.message);     \
    } while (0)

static size_t enc(const ctok_model *m, const char *s, uint32_t *ids)
{
    size_t n = 0;
    ctok_encode_options all = {{1, NULL, 0}, {0, NULL, 0}};
    ctok_diag d;
    if (ctok_encode(m, (const uint8_t *)s, strlen(s), &all, ids, 64, &n, &d))
        return (size_t)-1;
    return n;
}

static const ctok_special_token EOT = {{(const uint8_t *)"<|eot|>", 7}, 300};

/* ---- good rank files ---- */

static void tiktoken_small_file_encodes_by_hand(void)
{
    static text t;
    t.len = 0;
    add_bytes(&t, -1);
    add_token(&t, "ab", 256);
    add_token(&t, "bc", 257);
    add_token(&t, "abc", 258);
    add_token(&t, "cd", 259);
    ctok_model *m;
    int rc = load_ranks(&t, &EOT, 1, &m);
    CHECKF(rc == 0, "%s", diag.message);
    if (rc)
        return;
    uint32_t ids[64];
    CHECK(ctok_model_n_vocab(m) == 301);
    /* whole piece "abc" is a token */
    CHECK(enc(m, "abc", ids) == 1 && ids[0] == 258);
    /* "abcd": a b c d -> (a,b)=256 lowest -> ab c d -> (ab,c)=258 vs (c,d)=259 -> abc d */
    CHECK(enc(m, "abcd", ids) == 2 && ids[0] == 258 && ids[1] == 'd');
    /* "bcd": (b,c)=257 first, then (bc,d) is no token -> bc d */
    CHECK(enc(m, "bcd", ids) == 2 && ids[0] == 257 && ids[1] == 'd');
    /* "abab": ab ab, "abab" no token */
    CHECK(enc(m, "abab", ids) == 2 && ids[0] == 256 && ids[1] == 256);
    CHECK(enc(m, "x<|eot|>", ids) == 2 && ids[0] == 'x' && ids[1] == 300);
    uint32_t eot = 0;
    CHECK(ctok_model_eot(m, &eot) == CTOK_ENOTFOUND);
    ctok_model_free(m);
}

static void tiktoken_crlf_blank_lines_and_special_gap(void)
{
    static text t;
    t.len = 0;
    for (int b = 0; b < 256; b++) {
        uint8_t byte = (uint8_t)b;
        char e[8];
        b64(&byte, 1, e);
        add(&t, "%s %d\r\n", e, b);
    }
    add(&t, "\n");
    /* 256 is the special token's: skipped, as p50k skips 50256 */
    add_token(&t, "ab", 257);
    t.len--; /* no final line break */
    ctok_special_token sp = {{(const uint8_t *)"<|endoftext|>", 13}, 256};
    ctok_model *m;
    int rc = load_ranks(&t, &sp, 1, &m);
    CHECKF(rc == 0, "%s", diag.message);
    if (rc)
        return;
    uint32_t ids[64], eot = 0;
    CHECK(enc(m, "ab<|endoftext|>", ids) == 2 && ids[0] == 257 && ids[1] == 256);
    CHECK(ctok_model_eot(m, &eot) == 0 && eot == 256);
    CHECK(ctok_model_n_vocab(m) == 258);
    ctok_model_free(m);
}

static void tiktoken_special_alias_shares_an_id(void)
{
    static text t;
    t.len = 0;
    add_bytes(&t, -1);
    ctok_special_token sp[2] = {{{(const uint8_t *)"<|a|>", 5}, 260},
                                {{(const uint8_t *)"<|b|>", 5}, 260}};
    ctok_model *m;
    int rc = load_ranks(&t, sp, 2, &m);
    CHECKF(rc == 0, "%s", diag.message);
    if (rc)
        return;
    uint32_t ids[64];
    CHECK(enc(m, "<|a|><|b|>", ids) == 2 && ids[0] == 260 && ids[1] == 260);
    ctok_bytes b;
    CHECK(ctok_model_token_bytes(m, 260, &b) == 0 && b.len == 5 && !memcmp(b.ptr, "<|a|>", 5));
    CHECK(ctok_model_n_special(m) == 2);
    uint32_t id;
    CHECK(ctok_model_special(m, 1, &b, &id) == 0 && id == 260 && !memcmp(b.ptr, "<|b|>", 5));
    ctok_model_free(m);
}

/* ---- malformed rank files ---- */

static void tiktoken_bad_base64(void)
{
    static text t;
    ctok_model *m;
    const char *bad[] = {"YW=b 256\n", "YWJ 256\n", "YW!i 256\n", "YWJ= 256\n", "=== 256\n",
                         "YQ==YQ== 256\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        t.len = 0;
        add_bytes(&t, -1);
        add(&t, "%s", bad[i]);
        int rc = load_ranks(&t, NULL, 0, &m);
        EXPECT_ERROR(rc, CTOK_EFORMAT, 257, "t.tiktoken: line 257: invalid base64");
    }
}

static void tiktoken_malformed_lines(void)
{
    static text t;
    ctok_model *m;
    const char *bad[] = {"YWI=\n", "YWI= \n", "YWI= -1\n", "YWI= 25x\n", "YWI= 4294967295\n",
                         "YWI=  256\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        t.len = 0;
        add_bytes(&t, -1);
        add(&t, "%s", bad[i]);
        int rc = load_ranks(&t, NULL, 0, &m);
        EXPECT_ERROR(rc, CTOK_EFORMAT, 257, "line 257: expected 'BASE64 RANK'");
    }
}

static void tiktoken_duplicate_token(void)
{
    static text t;
    t.len = 0;
    add_bytes(&t, -1);
    add_token(&t, "ab", 256);
    add_token(&t, "cd", 257);
    add_token(&t, "ab", 258);
    ctok_model *m;
    int rc = load_ranks(&t, NULL, 0, &m);
    EXPECT_ERROR(rc, CTOK_EFORMAT, 259,
                 "line 259: the token of rank 258 repeats the token of rank 256 (line 257)");
}

static void tiktoken_duplicate_and_disordered_ranks(void)
{
    static text t;
    ctok_model *m;
    t.len = 0;
    add_bytes(&t, -1);
    add_token(&t, "ab", 256);
    add_token(&t, "cd", 256);
    int rc = load_ranks(&t, NULL, 0, &m);
    EXPECT_ERROR(rc, CTOK_EFORMAT, 258, "line 258: rank 256 appears twice");
    t.len = 0;
    add_bytes(&t, -1);
    add_token(&t, "ab", 256);
    add_token(&t, "cd", 257);
    add_token(&t, "ef", 100);
    rc = load_ranks(&t, NULL, 0, &m);
    EXPECT_ERROR(rc, CTOK_EFORMAT, 259, "line 259: rank 100 is out of order");
}

static void tiktoken_gap_not_special(void)
{
    static text t;
    t.len = 0;
    add_bytes(&t, -1);
    add_token(&t, "ab", 258);
    ctok_model *m;
    int rc = load_ranks(&t, &EOT, 1, &m); /* 300 is special, 256 and 257 are not */
    EXPECT_ERROR(rc, CTOK_EFORMAT, 257,
                 "line 257: rank 258 leaves a gap (the next rank should be 256");
}

static void tiktoken_missing_single_byte(void)
{
    static text t;
    t.len = 0;
    add_bytes(&t, 200); /* ranks 0..199, then 201.. : the gap is found first */
    ctok_model *m;
    int rc = load_ranks(&t, NULL, 0, &m);
    EXPECT_ERROR(rc, CTOK_EFORMAT, 201, "rank 201 leaves a gap");
    /* a complete rank sequence without byte 0x41: "AA" takes its rank */
    t.len = 0;
    for (int b = 0; b < 256; b++) {
        if (b == 0x41) {
            add_token(&t, "AA", 0x41);
            continue;
        }
        uint8_t byte = (uint8_t)b;
        char e[8];
        b64(&byte, 1, e);
        add(&t, "%s %d\n", e, b);
    }
    rc = load_ranks(&t, NULL, 0, &m);
    EXPECT_ERROR(rc, CTOK_EFORMAT, 0, "t.tiktoken: no token is the single byte 0x41");
    t.len = 0;
    rc = load_ranks(&t, NULL, 0, &m);
    EXPECT_ERROR(rc, CTOK_EFORMAT, 0, "no token is the single byte 0x00");
}

static void tiktoken_bad_specials(void)
{
    static text t;
    t.len = 0;
    add_bytes(&t, -1);
    ctok_model *m;
    ctok_special_token on_rank = {{(const uint8_t *)"<|x|>", 5}, 65};
    int rc = load_ranks(&t, &on_rank, 1, &m);
    EXPECT_ERROR(rc, CTOK_EFORMAT, 66, "line 66: rank 65 is also given to a special token");
    ctok_special_token twice[2] = {{{(const uint8_t *)"<|x|>", 5}, 300},
                                   {{(const uint8_t *)"<|x|>", 5}, 301}};
    rc = load_ranks(&t, twice, 2, &m);
    EXPECT_ERROR(rc, CTOK_EFORMAT, 0, "special token '<|x|>' is given twice (ids 300 and 301)");
    ctok_special_token empty = {{(const uint8_t *)"", 0}, 300};
    rc = load_ranks(&t, &empty, 1, &m);
    EXPECT_ERROR(rc, CTOK_EINVAL, 0, "t.tiktoken: special token 0 is empty");
    /* ids are below CTOK_ID_LIMIT (2^24) */
    ctok_special_token huge = {{(const uint8_t *)"<|x|>", 5}, CTOK_ID_LIMIT};
    rc = load_ranks(&t, &huge, 1, &m);
    EXPECT_ERROR(rc, CTOK_EINVAL, 0,
                 "t.tiktoken: special token '<|x|>' has the id 16777216; ids must be below "
                 "16777216");
    /* a special id among the ranks: the rank line says so */
    ctok_special_token mid = {{(const uint8_t *)"<|x|>", 5}, 256};
    add_token(&t, "ab", 256);
    rc = load_ranks(&t, &mid, 1, &m);
    EXPECT_ERROR(rc, CTOK_EFORMAT, 257, "line 257: rank 256 is also given to a special token");
}

static void tiktoken_bad_pattern_and_files(void)
{
    static text t;
    t.len = 0;
    add_bytes(&t, -1);
    ctok_model *m = NULL;
    int rc = ctok_model_load_tiktoken_memory((const uint8_t *)t.buf, t.len, "t", "(unclosed",
                                             NULL, 0, NULL, &m, &diag);
    CHECKF(rc == CTOK_EPATTERN && m == NULL, "rc %d: %s", rc, diag.message);
    rc = ctok_model_load_tiktoken("/nonexistent/x.tiktoken", NULL, NULL, 0, NULL, &m, &diag);
    EXPECT_ERROR(rc, CTOK_EIO, 0, "/nonexistent/x.tiktoken: cannot open");
    /* through a real file in a temporary directory */
    char dir[] = "/tmp/ctok-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof path, "%s/r.tiktoken", dir);
    FILE *f = fopen(path, "wb");
    add(&t, "YW=b 256\n");
    fwrite(t.buf, 1, t.len, f);
    fclose(f);
    rc = ctok_model_load_tiktoken(path, NULL, NULL, 0, NULL, &m, &diag);
    char want[128];
    snprintf(want, sizeof want, "%s: line 257: invalid base64 'YW=b'", path);
    EXPECT_ERROR(rc, CTOK_EFORMAT, 257, want);
    remove(path);
    rmdir(dir);
}

/* ---- GPT-2's files ---- */

/* GPT-2's alphabet: the code point standing for byte b, as UTF-8 into out */
static size_t gpt2_char(unsigned b, char *out)
{
    unsigned cp = b, others = 0;
    bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
    if (!printable) {
        for (unsigned x = 0; x < b; x++)
            others += !((x >= 33 && x <= 126) || (x >= 161 && x <= 172) || (x >= 174));
        cp = 256 + others;
    }
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    out[0] = (char)(0xC0 | cp >> 6);
    out[1] = (char)(0x80 | (cp & 63));
    return 2;
}

/* encoder.json with the 256 bytes in GPT-2's order, then extra members */
static void gpt2_encoder(text *t, const char *extra)
{
    t->len = 0;
    add(t, "{");
    int rank = 0;
    for (int pass = 0; pass < 2; pass++)
        for (unsigned b = 0; b < 256; b++) {
            bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
            if (printable != (pass == 0))
                continue;
            char c[3] = {0};
            gpt2_char(b, c);
            const char *sep = rank ? ", " : "";
            if (c[0] == '"' || c[0] == '\\')
                add(t, "%s\"\\%s\": %d", sep, c, rank++);
            else
                add(t, "%s\"%s\": %d", sep, c, rank++);
            if (rank % 8 == 0)
                add(t, "\n");
        }
    add(t, "%s%s}", *extra ? ", " : "", extra);
}

static ctok_diag gdiag;

static int load_gpt2(const text *e, const char *bpe, ctok_model **m)
{
    memset(&gdiag, 0, sizeof gdiag);
    *m = NULL;
    return ctok_model_load_gpt2_memory((const uint8_t *)e->buf, e->len, "encoder.json",
                                       (const uint8_t *)bpe, strlen(bpe), "vocab.bpe", NULL, m,
                                       &gdiag);
}

#define EXPECT_GPT2_ERROR(rc, want_status, want_line, fragment)                             \
    do {                                                                                    \
        CHECKF((rc) == (want_status) && gdiag.line == (want_line) &&                        \
                   strstr(gdiag.message, fragment),                                         \
               "rc %d line %llu: %s", rc, (unsigned long long)gdiag.line, gdiag.message);   \
    } while (0)

static void gpt2_small_files(void)
{
    static text e;
    /* "Ġ" is the space (0x20 -> U+0120) */
    gpt2_encoder(&e, "\"\xC4\xA0t\": 256, \"he\": 257, \"\xC4\xA0the\": 258, \"<|endoftext|>\": 259");
    ctok_model *m;
    int rc = load_gpt2(&e, "#version: 0.2\n\xC4\xA0 t\nh e\n\xC4\xA0t he\n", &m);
    CHECKF(rc == 0, "%s", gdiag.message);
    if (rc)
        return;
    uint32_t ids[64];
    CHECK(enc(m, " the", ids) == 1 && ids[0] == 258);
    CHECK(enc(m, " he", ids) == 2 && ids[0] == 220 && ids[1] == 257); /* ' ' is rank 220 */
    CHECK(enc(m, "!", ids) == 1 && ids[0] == 0);
    CHECK(enc(m, "<|endoftext|>", ids) == 1 && ids[0] == 259);
    uint32_t eot;
    CHECK(ctok_model_eot(m, &eot) == 0 && eot == 259);
    ctok_model_free(m);
}

static void gpt2_merge_must_reproduce_encoder(void)
{
    static text e;
    gpt2_encoder(&e, "\"\xC4\xA0t\": 256, \"ha\": 257");
    ctok_model *m;
    int rc = load_gpt2(&e, "#version: 0.2\n\xC4\xA0 t\nh e\n", &m);
    EXPECT_GPT2_ERROR(rc, CTOK_EFORMAT, 3,
                      "vocab.bpe: line 3: the merge 'h e' makes 'he', but encoder.json has 'ha' "
                      "for id 257");
    rc = load_gpt2(&e, "#version: 0.2\n\xC4\xA0 t\nh a\nt t\n", &m);
    EXPECT_GPT2_ERROR(rc, CTOK_EFORMAT, 4, "line 4: the merge 't t' makes id 258 ('tt'), which "
                                           "encoder.json does not have");
    rc = load_gpt2(&e, "#version: 0.2\n\xC4\xA0 t\n", &m);
    EXPECT_GPT2_ERROR(rc, CTOK_EFORMAT, 0, "encoder.json: id 257 is not made by any merge");
    rc = load_gpt2(&e, "\xC4\xA0 t\nh a\n", &m);
    EXPECT_GPT2_ERROR(rc, CTOK_EFORMAT, 1, "vocab.bpe: line 1: expected the '#version' header");
    rc = load_gpt2(&e, "#version: 0.2\n\xC4\xA0t\n", &m);
    EXPECT_GPT2_ERROR(rc, CTOK_EFORMAT, 2, "vocab.bpe: line 2: expected a merge 'A B'");
    rc = load_gpt2(&e, "#version: 0.2\nx \x01\n", &m);
    EXPECT_GPT2_ERROR(rc, CTOK_EFORMAT, 2, "outside GPT-2's byte alphabet");
}

static void gpt2_bad_encoder_json(void)
{
    static text e;
    ctok_model *m;
    gpt2_encoder(&e, "\"a b\": 256");
    int rc = load_gpt2(&e, "#version: 0.2\n", &m);
    EXPECT_GPT2_ERROR(rc, CTOK_EFORMAT, 33, "encoder.json: line 33, byte offset");
    CHECKF(strstr(gdiag.message, "token \"a b\" has a character outside GPT-2's byte alphabet"),
           "%s", gdiag.message);
    gpt2_encoder(&e, "\"ab\": 256,");
    rc = load_gpt2(&e, "#version: 0.2\na b\n", &m);
    CHECKF(rc == CTOK_EJSON && strstr(gdiag.message, "encoder.json: line 33"), "rc %d: %s", rc,
           gdiag.message);
    gpt2_encoder(&e, "\"ab\": 255");
    rc = load_gpt2(&e, "#version: 0.2\na b\n", &m);
    EXPECT_GPT2_ERROR(rc, CTOK_EFORMAT, 33, "id 255 is given to two tokens");
    /* ids are below CTOK_ID_LIMIT (2^24), ordinary or special: refused before any table grows */
    gpt2_encoder(&e, "\"ab\": 16777216");
    rc = load_gpt2(&e, "#version: 0.2\na b\n", &m);
    EXPECT_GPT2_ERROR(rc, CTOK_EFORMAT, 33,
                      "\"ab\" has the id 16777216; ids must be below 16777216");
    gpt2_encoder(&e, "\"ab\": 256, \"<|endoftext|>\": 4000000000");
    rc = load_gpt2(&e, "#version: 0.2\na b\n", &m);
    EXPECT_GPT2_ERROR(rc, CTOK_EFORMAT, 33, "\"<|endoftext|>\" has the id 4000000000; ids must be");
    /* bytes out of GPT-2's order: swap the first two members' ids */
    gpt2_encoder(&e, "");
    char *one = strstr(e.buf, ": 1,");
    char *zero = strstr(e.buf, ": 0,");
    one[2] = '0';
    zero[2] = '1';
    rc = load_gpt2(&e, "#version: 0.2\n", &m);
    EXPECT_GPT2_ERROR(rc, CTOK_EFORMAT, 0, "encoder.json: id 0 must be the single byte 0x21");
}

static void gpt2_real_files_equal_builtin(void)
{
    ctok_model *files = NULL, *builtin = NULL;
    ctok_diag d;
    int rc = ctok_model_load_gpt2("data/vocab/gpt2/encoder.json", "data/vocab/gpt2/vocab.bpe",
                                  NULL, &files, &d);
    CHECKF(rc == 0, "%s", d.message);
    CHECK(ctok_encoding_load("gpt2", NULL, &builtin, &d) == 0);
    if (!files || !builtin) {
        ctok_model_free(files);
        ctok_model_free(builtin);
        return;
    }
    CHECK(ctok_model_n_vocab(files) == 50257 && ctok_model_n_vocab(builtin) == 50257);
    size_t differ = 0;
    for (uint32_t id = 0; id < 50257; id++) {
        ctok_bytes a, b;
        if (ctok_model_token_bytes(files, id, &a) || ctok_model_token_bytes(builtin, id, &b) ||
            a.len != b.len || memcmp(a.ptr, b.ptr, a.len))
            differ++;
    }
    CHECKF(differ == 0, "%zu tokens differ", differ);
    CHECK(ctok_model_pattern(files).len == ctok_model_pattern(builtin).len);
    ctok_model_free(files);
    ctok_model_free(builtin);
}

/* ---- every allocation failure returns an error and leaks nothing ---- */

static void loaders_survive_every_allocation_failure(void)
{
    static text t, e;
    t.len = 0;
    add_bytes(&t, -1);
    add_token(&t, "ab", 256);
    gpt2_encoder(&e, "\"he\": 256, \"<|endoftext|>\": 257");
    for (int which = 0; which < 2; which++) {
        int rc = -1;
        long n;
        for (n = 1; rc != 0 && n < 10000; n++) {
            fault_alloc f = {0, n, 0};
            ctok_allocator a = {fa_alloc, fa_free, &f};
            ctok_model *m = NULL;
            ctok_diag d;
            rc = which == 0 ? ctok_model_load_tiktoken_memory((const uint8_t *)t.buf, t.len, "t",
                                                              "\\w+", &EOT, 1, &a, &m, &d)
                            : ctok_model_load_gpt2_memory((const uint8_t *)e.buf, e.len, "e",
                                                          (const uint8_t *)"#version\nh e\n", 13, "v",
                                                          &a, &m, &d);
            CHECKF(rc == 0 || rc == CTOK_ENOMEM, "loader %d, failing allocation %ld: rc %d: %s",
                   which, n, rc, d.message);
            CHECKF(rc == 0 || (m == NULL && d.message[0]), "loader %d, allocation %ld", which, n);
            ctok_model_free(m);
            CHECKF(f.live == 0, "loader %d, failing allocation %ld: %ld blocks leaked", which, n,
                   f.live);
        }
        CHECKF(rc == 0 && n > 5, "loader %d never succeeded", which);
    }
}

int main(void)
{
    RUN(tiktoken_small_file_encodes_by_hand);
    RUN(tiktoken_crlf_blank_lines_and_special_gap);
    RUN(tiktoken_special_alias_shares_an_id);
    RUN(tiktoken_bad_base64);
    RUN(tiktoken_malformed_lines);
    RUN(tiktoken_duplicate_token);
    RUN(tiktoken_duplicate_and_disordered_ranks);
    RUN(tiktoken_gap_not_special);
    RUN(tiktoken_missing_single_byte);
    RUN(tiktoken_bad_specials);
    RUN(tiktoken_bad_pattern_and_files);
    RUN(gpt2_small_files);
    RUN(gpt2_merge_must_reproduce_encoder);
    RUN(gpt2_bad_encoder_json);
    RUN(gpt2_real_files_equal_builtin);
    RUN(loaders_survive_every_allocation_failure);
    TEST_EXIT();
}
