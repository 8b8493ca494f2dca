/*
 * test_json.c - the JSON reader (src/json.c): hand-checked strings, escapes and surrogate pairs,
 * field extraction past nested values, id arrays, quoting with U+FFFD replacement, error offsets
 * and lines, and GPT-2's encoder.json read in full (its parse time is printed as a '#' line).
 */
#include "json.h"
#include "unit/test.h"

#include <time.h>

/* ---- ctok_json_text ---- */

static uint8_t text_out[4096];
static size_t text_len;
static ctok_diag text_diag;

static int run_text_n(const char *json, size_t len, const char *field, size_t cap)
{
    memset(&text_diag, 0, sizeof text_diag);
    text_len = (size_t)-1;
    return ctok_json_text((const uint8_t *)json, len, field, text_out, cap, &text_len, &text_diag);
}

static int run_text(const char *json, const char *field)
{
    return run_text_n(json, strlen(json), field, sizeof text_out);
}

/* expect is a string literal: sizeof counts its NUL bytes too */
#define TEXT_OK(json, field, expect)                                                          \
    do {                                                                                      \
        int rc_ = run_text(json, field);                                                      \
        CHECKF(rc_ == 0 && text_len == sizeof(expect) - 1 &&                                  \
                   memcmp(text_out, expect, sizeof(expect) - 1) == 0,                         \
               "%s -> rc %d len %zu: %s", json, rc_, text_len, text_diag.message);            \
    } while (0)

#define TEXT_ERR(json, field, want, off)                                                    \
    do {                                                                                      \
        int rc_ = run_text(json, field);                                                      \
        CHECKF(rc_ == (want) && text_diag.status == (want) && text_diag.offset == (off) && \
                   text_diag.line == 1 && text_len == (size_t)-1,                             \
               "%s -> rc %d offset %llu: %s", json, rc_,                                      \
               (unsigned long long)text_diag.offset, text_diag.message);                     \
    } while (0)

static void text_plain_strings_and_escapes(void)
{
    TEXT_OK("\"abc\"", NULL, "abc");
    TEXT_OK("\"\"", NULL, "");
    TEXT_OK(" \t\r\n\"x\" \n", NULL, "x");
    TEXT_OK("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", NULL, "a\"b\\c/d\b\f\n\r\t");
    TEXT_OK("\"\\u0041\\u00e9\\u20AC\"", NULL, "A\xC3\xA9\xE2\x82\xAC");
    TEXT_OK("\"\\u0000x\"", NULL, "\0x");
    TEXT_OK("\"caf\xC3\xA9 \xF0\x9F\x98\x80\"", NULL, "caf\xC3\xA9 \xF0\x9F\x98\x80"); /* raw UTF-8 */
    TEXT_OK("\"\x7F\"", NULL, "\x7F"); /* DEL is not a control character for JSON */
}

static void text_surrogate_pairs(void)
{
    TEXT_OK("\"\\ud83d\\ude00\"", NULL, "\xF0\x9F\x98\x80");
    TEXT_OK("\"\\uD83D\\uDE00!\"", NULL, "\xF0\x9F\x98\x80!");
    TEXT_OK("\"\\udbff\\udfff\"", NULL, "\xF4\x8F\xBF\xBF"); /* U+10FFFF */
    TEXT_OK("\"\\ud800\\udc00\"", NULL, "\xF0\x90\x80\x80"); /* U+10000 */
    TEXT_ERR("\"\\ud83d\"", NULL, CTOK_EJSON, 1);             /* high at the end */
    TEXT_ERR("\"\\ud83dx\"", NULL, CTOK_EJSON, 1);            /* high then a letter */
    TEXT_ERR("\"\\ud83d\\u0041\"", NULL, CTOK_EJSON, 1);      /* high then not a low */
    TEXT_ERR("\"\\ud83d\\ud83d\"", NULL, CTOK_EJSON, 1);      /* high then high */
    TEXT_ERR("\"ab\\ude00\"", NULL, CTOK_EJSON, 3);           /* low alone */
    TEXT_ERR("\"\\ud83d\\uZZZZ\"", NULL, CTOK_EJSON, 7);      /* bad hex in the second */
    TEXT_ERR("\"\\ud83d\\n\"", NULL, CTOK_EJSON, 1);
    CHECK(strstr(text_diag.message, "surrogate") != NULL);
}

static void text_errors_have_offsets(void)
{
    TEXT_ERR("\"a\nb\"", NULL, CTOK_EJSON, 2);        /* raw control character */
    TEXT_ERR("\"a\tb\"", NULL, CTOK_EJSON, 2);
    TEXT_ERR("\"a\xFF" "b\"", NULL, CTOK_EJSON, 2);   /* invalid UTF-8 */
    TEXT_ERR("\"\xC0\xAF\"", NULL, CTOK_EJSON, 1);    /* overlong */
    TEXT_ERR("\"\xED\xA0\x80\"", NULL, CTOK_EJSON, 1); /* encoded surrogate */
    TEXT_ERR("\"ab\xE2\x82\"", NULL, CTOK_EJSON, 3);  /* truncated sequence */
    TEXT_ERR("\"\\x\"", NULL, CTOK_EJSON, 1);         /* unknown escape */
    TEXT_ERR("\"\\u12\"", NULL, CTOK_EJSON, 1);
    TEXT_ERR("\"\\u12", NULL, CTOK_EJSON, 1);
    TEXT_ERR("\"\\", NULL, CTOK_EJSON, 1);
    TEXT_ERR("  \"abc", NULL, CTOK_EJSON, 2);         /* unterminated: where it starts */
    CHECK(strstr(text_diag.message, "unterminated") != NULL);
    TEXT_ERR("\"a\" x", NULL, CTOK_EJSON, 4);         /* trailing garbage */
    TEXT_ERR("\"a\"\"b\"", NULL, CTOK_EJSON, 3);
    TEXT_ERR("", NULL, CTOK_EJSON, 0);
    TEXT_ERR("   ", NULL, CTOK_EJSON, 3);
    TEXT_ERR("'a'", NULL, CTOK_EJSON, 0);
    TEXT_ERR("42", "text", CTOK_EJSON, 0);
    TEXT_ERR("{\"text\": \"a\"}", NULL, CTOK_EJSON, 0); /* objects need a field name */
    /* the place is in diag (the caller names the file and line); the message says what */
    run_text("\"a\" x", NULL);
    CHECKF(text_diag.line == 1 && text_diag.offset == 4, "%s", text_diag.message);
    CHECKF(strstr(text_diag.message, "'x'") != NULL, "%s", text_diag.message);
}

static void text_field_extraction(void)
{
    TEXT_OK("{\"text\": \"hi\"}", "text", "hi");
    TEXT_OK("\"plain\"", "text", "plain"); /* a bare string is accepted with a field too */
    TEXT_OK("{\"id\": 3, \"meta\": {\"a\": [1, -2.5e-3, 0, 1E+9, {\"text\": 1}], \"b\": null,"
            " \"c\": \"}\"}, \"text\": \"hi\", \"z\": [true, false, [], {}, \"\\\"\"]}",
            "text", "hi");
    TEXT_OK("{\"te\\u0078t\": \"escaped key\"}", "text", "escaped key");
    TEXT_OK("{\"tex\": \"no\", \"texts\": \"no\", \"\": \"no\", \"text\": \"ok\"}", "text", "ok");
    TEXT_OK("{\"a\\u0000b\": \"no\", \"a\": \"yes\"}", "a", "yes");
    TEXT_OK("{\"text\": \"a\", \"text\": \"b\"}", "text", "b"); /* last duplicate wins */
    TEXT_OK("{\"text\": 1, \"text\": \"b\"}", "text", "b");
    TEXT_OK(" {\n\"text\"\t:\r\"ws\" } ", "text", "ws");
    TEXT_OK("{\"\": \"empty key\"}", "", "empty key");
    TEXT_ERR("{\"text\": \"a\", \"text\": 1}", "text", CTOK_EJSON, 22);
    TEXT_ERR("{\"other\": \"a\"}", "text", CTOK_EJSON, 0);
    CHECKF(strstr(text_diag.message, "no member \"text\"") != NULL, "%s", text_diag.message);
    TEXT_ERR("{\"x\": {\"text\": \"nested only\"}}", "text", CTOK_EJSON, 0);
    TEXT_ERR("{}", "text", CTOK_EJSON, 0);
    TEXT_ERR("{\"text\": null}", "text", CTOK_EJSON, 9);
    TEXT_ERR("{\"text\": \"a\",}", "text", CTOK_EJSON, 13);   /* trailing comma */
    TEXT_ERR("{\"text\": \"a\" \"b\": 1}", "text", CTOK_EJSON, 13);
    TEXT_ERR("{\"text\" \"a\"}", "text", CTOK_EJSON, 8);      /* missing colon */
    TEXT_ERR("{text: \"a\"}", "text", CTOK_EJSON, 1);        /* unquoted key */
    TEXT_ERR("{\"a\": [1, 2,], \"text\": \"x\"}", "text", CTOK_EJSON, 12);
    TEXT_ERR("{\"a\": 01, \"text\": \"x\"}", "text", CTOK_EJSON, 7);
    TEXT_ERR("{\"a\": 1., \"text\": \"x\"}", "text", CTOK_EJSON, 6);
    TEXT_ERR("{\"a\": -, \"text\": \"x\"}", "text", CTOK_EJSON, 6);
    TEXT_ERR("{\"a\": 1e, \"text\": \"x\"}", "text", CTOK_EJSON, 6);
    TEXT_ERR("{\"a\": tru, \"text\": \"x\"}", "text", CTOK_EJSON, 6);
    TEXT_ERR("{\"a\": nul}", "text", CTOK_EJSON, 6);
    TEXT_ERR("{\"a\": [}, \"text\": \"x\"}", "text", CTOK_EJSON, 7);
    TEXT_ERR("{\"a\": {\"b\"}, \"text\": \"x\"}", "text", CTOK_EJSON, 10);
    TEXT_ERR("{\"a\": \"\xFF\", \"text\": \"x\"}", "text", CTOK_EJSON, 7); /* skipped values too */
    TEXT_ERR("{\"text\": \"x\"} {}", "text", CTOK_EJSON, 14);
    TEXT_ERR("{\"text\": \"x\"", "text", CTOK_EJSON, 12);
}

static void text_error_line_in_multiline_input(void)
{
    const char *json = "{\n \"a\": 1,\n \"text\": 5\n}";
    int rc = run_text(json, "text");
    CHECKF(rc == CTOK_EJSON && text_diag.line == 3 && text_diag.offset == 20, "line %llu off %llu",
           (unsigned long long)text_diag.line, (unsigned long long)text_diag.offset);
    CHECKF(strstr(text_diag.message, "\"text\" is not a string") != NULL, "%s", text_diag.message);
}

static void text_deep_nesting_is_bounded(void)
{
    /* 1000 levels are skipped; 5000 are refused, without recursion either way */
    static char json[16000];
    size_t n = 0;
    n += (size_t)sprintf(json + n, "{\"x\": ");
    for (int i = 0; i < 1000; i++)
        json[n++] = '[';
    for (int i = 0; i < 1000; i++)
        json[n++] = ']';
    n += (size_t)sprintf(json + n, ", \"text\": \"deep\"}");
    CHECKF(run_text_n(json, n, "text", sizeof text_out) == 0 && text_len == 4, "%s",
           text_diag.message);
    n = (size_t)sprintf(json, "{\"x\": ");
    for (int i = 0; i < 2500; i++)
        n += (size_t)sprintf(json + n, "[{\"k\":");
    CHECK(run_text_n(json, n, "text", sizeof text_out) == CTOK_EJSON);
    CHECKF(strstr(text_diag.message, "nesting") != NULL, "%s", text_diag.message);
}

static void text_buffer_too_small(void)
{
    CHECK(run_text_n("\"hello\"", 7, NULL, 5) == 0 && text_len == 5);
    CHECK(run_text_n("\"hello\"", 7, NULL, 4) == CTOK_EBUFFER && text_len == (size_t)-1);
    CHECK(run_text_n("{\"text\":\"\\u00e9\"}", 17, "text", 2) == 0 && text_len == 2);
    CHECK(run_text_n("{\"text\":\"\\u00e9\"}", 17, "text", 1) == CTOK_EBUFFER);
    size_t len = 7;
    CHECK(ctok_json_text((const uint8_t *)"\"\"", 2, NULL, NULL, 0, &len, NULL) == 0 && len == 0);
    CHECK(ctok_json_text((const uint8_t *)"\"a\"", 3, NULL, NULL, 0, &len, NULL) == CTOK_EBUFFER);
    CHECK(ctok_json_text(NULL, 3, NULL, text_out, 1, &len, NULL) == CTOK_EINVAL);
    /* cap >= len always suffices: decoding never grows */
    const char *j = "\"\\u00e9\\ud83d\\ude00\\n\"";
    CHECK(run_text_n(j, strlen(j), NULL, strlen(j)) == 0 && text_len == 7);
}

/* ---- ctok_json_ids ---- */

static uint32_t ids_out[64];
static size_t ids_n;
static ctok_diag ids_diag;

static int run_ids(const char *json, size_t cap)
{
    memset(&ids_diag, 0, sizeof ids_diag);
    ids_n = (size_t)-1;
    return ctok_json_ids((const uint8_t *)json, strlen(json), ids_out, cap, &ids_n, &ids_diag);
}

#define IDS_ERR(json, want, off)                                                            \
    do {                                                                                      \
        int rc_ = run_ids(json, 64);                                                          \
        CHECKF(rc_ == (want) && ids_diag.offset == (off) && ids_n == (size_t)-1,            \
               "%s -> rc %d offset %llu: %s", json, rc_, (unsigned long long)ids_diag.offset, \
               ids_diag.message);                                                             \
    } while (0)

static void ids_parse(void)
{
    CHECK(run_ids("[]", 64) == 0 && ids_n == 0);
    CHECK(run_ids(" [ ] ", 0) == 0 && ids_n == 0);
    CHECK(run_ids("[0]", 64) == 0 && ids_n == 1 && ids_out[0] == 0);
    CHECK(run_ids(" [0, 1 ,\n4294967295,50256] ", 64) == 0 && ids_n == 4 && ids_out[0] == 0 &&
          ids_out[1] == 1 && ids_out[2] == 4294967295u && ids_out[3] == 50256);
    const char *five = "[1,2,3,4,5]"; /* cap = len/2 + 1 suffices */
    CHECK(run_ids(five, strlen(five) / 2 + 1) == 0 && ids_n == 5);
    CHECK(run_ids(five, 5) == 0 && ids_n == 5);
}

static void ids_errors(void)
{
    IDS_ERR("[4294967296]", CTOK_EJSON, 1);
    IDS_ERR("[1, 18446744073709551616]", CTOK_EJSON, 4);
    IDS_ERR("[99999999999999999999999999999]", CTOK_EJSON, 1);
    IDS_ERR("[-1]", CTOK_EJSON, 1);
    IDS_ERR("[-0]", CTOK_EJSON, 1);
    IDS_ERR("[1.0]", CTOK_EJSON, 1);
    IDS_ERR("[1e3]", CTOK_EJSON, 1);
    IDS_ERR("[1E3]", CTOK_EJSON, 1);
    IDS_ERR("[01]", CTOK_EJSON, 1);
    IDS_ERR("[00]", CTOK_EJSON, 1);
    IDS_ERR("[1,]", CTOK_EJSON, 3);
    IDS_ERR("[,1]", CTOK_EJSON, 1);
    IDS_ERR("[1 2]", CTOK_EJSON, 3);
    IDS_ERR("[1]x", CTOK_EJSON, 3);
    IDS_ERR("[\"1\"]", CTOK_EJSON, 1);
    IDS_ERR("[true]", CTOK_EJSON, 1);
    IDS_ERR("[", CTOK_EJSON, 1);
    IDS_ERR("[1", CTOK_EJSON, 2);
    IDS_ERR("", CTOK_EJSON, 0);
    IDS_ERR("{}", CTOK_EJSON, 0);
    IDS_ERR("[+1]", CTOK_EJSON, 1);
    CHECK(run_ids("[1,2,3]", 2) == CTOK_EBUFFER && ids_diag.offset == 5 && ids_n == (size_t)-1);
}

/* ---- ctok_json_quote ---- */

static uint8_t quote_buf[512];
static size_t quote_len;

static int run_quote(const void *text, size_t len)
{
    quote_len = (size_t)-1;
    return ctok_json_quote(text, len, quote_buf, sizeof quote_buf, &quote_len);
}

#define QUOTE_OK(text, expect)                                                                \
    do {                                                                                      \
        int rc_ = run_quote(text, sizeof(text) - 1);                                          \
        CHECKF(rc_ == 0 && quote_len == sizeof(expect) - 1 &&                                 \
                   memcmp(quote_buf, expect, quote_len) == 0,                                 \
               "rc %d got %.*s", rc_, (int)quote_len, (const char *)quote_buf);               \
    } while (0)

static void quote_escapes(void)
{
    QUOTE_OK("", "\"\"");
    QUOTE_OK("abc", "\"abc\"");
    QUOTE_OK("\"\\/\n\r\t\b\f", "\"\\\"\\\\/\\n\\r\\t\\b\\f\"");
    QUOTE_OK("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"");
    QUOTE_OK("a\0b", "\"a\\u0000b\"");
    QUOTE_OK("caf\xC3\xA9 \xF0\x9F\x98\x80", "\"caf\xC3\xA9 \xF0\x9F\x98\x80\""); /* raw UTF-8 */
}

static void quote_replaces_invalid_utf8(void)
{
    /* one U+FFFD per maximal subpart, as Python's errors="replace" (checked against CPython) */
    QUOTE_OK("a\xFF" "b", "\"a\xEF\xBF\xBD" "b\"");
    QUOTE_OK("\xE2\x82", "\"\xEF\xBF\xBD\"");
    QUOTE_OK("\xE2\x82" "A", "\"\xEF\xBF\xBD" "A\"");
    QUOTE_OK("\xF0\x9F\x98", "\"\xEF\xBF\xBD\"");
    QUOTE_OK("\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    QUOTE_OK("\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
    QUOTE_OK("\xF4\x90\x80\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    QUOTE_OK("\x80\n", "\"\xEF\xBF\xBD\\n\"");
}

static void quote_sizes(void)
{
    size_t len = 0;
    CHECK(ctok_json_quote((const uint8_t *)"a\n", 2, NULL, 0, &len) == 0 && len == 5);
    uint8_t small[4];
    len = 0;
    CHECK(ctok_json_quote((const uint8_t *)"a\n", 2, small, 4, &len) == CTOK_EBUFFER && len == 5);
    CHECK(ctok_json_quote((const uint8_t *)"a\n", 2, small, 0, &len) == CTOK_EBUFFER);
    CHECK(ctok_json_quote(NULL, 0, small, 4, &len) == 0 && len == 2);
    /* the bound 6 * len + 2 is reached by control characters */
    CHECK(run_quote("\x01\x02\x03", 3) == 0 && quote_len == 6 * 3 + 2);
}

static void quote_round_trips(void)
{
    static const char *cases[] = {"", "plain", "\"quoted\"", "back\\slash", "tab\tnew\nline",
                                  "\x01\x02\x1f\x7f", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80",
                                  "\xF4\x8F\xBF\xBF", "mixed \\u0041 text"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = strlen(cases[i]);
        CHECK(run_quote(cases[i], n) == 0);
        CHECK(run_text_n((const char *)quote_buf, quote_len, NULL, sizeof text_out) == 0);
        CHECKF(text_len == n && memcmp(text_out, cases[i], n) == 0, "case %zu", i);
    }
    /* with the NUL byte, and invalid UTF-8 coming back replaced */
    CHECK(run_quote("a\0b\xFF", 4) == 0);
    CHECK(run_text_n((const char *)quote_buf, quote_len, NULL, sizeof text_out) == 0);
    CHECK(text_len == 6 && memcmp(text_out, "a\0b\xEF\xBF\xBD", 6) == 0);
}

/* ---- the cursor and the string -> integer object reader ---- */

typedef struct members {
    size_t count;
    uint64_t sum;
    uint8_t *seen;       /* values seen, for the permutation check */
    size_t n_seen;
    int64_t bang, eot, quote, backslash, gthe, inv_excl;
    size_t long_key_len;
    int stop_at;         /* return an error at this member (1-based), 0 = never */
} members;

static int on_member(void *user, ctok__json_cursor *c, size_t key_pos, const uint8_t *key,
                     size_t key_len, uint64_t value)
{
    members *m = user;
    m->count++;
    m->sum += value;
    if (m->seen && value < m->n_seen)
        m->seen[value]++;
#define KEY_IS(s) (key_len == sizeof(s) - 1 && memcmp(key, s, key_len) == 0)
    if (KEY_IS("!")) m->bang = (int64_t)value;
    if (KEY_IS("<|endoftext|>")) m->eot = (int64_t)value;
    if (KEY_IS("\"")) m->quote = (int64_t)value;
    if (KEY_IS("\\")) m->backslash = (int64_t)value;
    if (KEY_IS("\xC4\xA0the")) m->gthe = (int64_t)value; /* "\u0120the" */
    if (KEY_IS("\xC2\xA1")) m->inv_excl = (int64_t)value; /* "\u00a1" */
#undef KEY_IS
    if (key_len > m->long_key_len)
        m->long_key_len = key_len;
    if (m->stop_at && (int)m->count == m->stop_at)
        return ctok__json_fail(c, key_pos, CTOK_EFORMAT, "stopped at member %zu", m->count);
    return 0;
}

static void encoder_json_reads_fully(void)
{
    size_t len;
    uint8_t *data = test_read_file("data/vocab/gpt2/encoder.json", &len);
    CHECK(data != NULL);
    if (!data)
        return;
    members m = {0};
    m.n_seen = 50257;
    m.seen = calloc(m.n_seen, 1);
    m.bang = m.eot = m.quote = m.backslash = m.gthe = m.inv_excl = -1;
    ctok_diag diag = {0};
    int rc = ctok__json_read_uint_object(data, len, "encoder.json", UINT32_MAX, NULL, on_member,
                                         &m, &diag);
    CHECKF(rc == 0, "%s", diag.message);
    CHECK(m.count == 50257);
    CHECK(m.bang == 0 && m.quote == 1 && m.backslash == 59 && m.inv_excl == 94);
    CHECK(m.gthe == 262 && m.eot == 50256);
    size_t once = 0; /* the values are exactly 0 .. 50256 */
    for (size_t i = 0; i < m.n_seen; i++)
        once += m.seen[i] == 1;
    CHECK(once == 50257);
    free(m.seen);

    /* time it: best of a few runs */
    double best = 1e9;
    for (int run = 0; run < 5; run++) {
        struct timespec t0, t1;
        members quiet = {0};
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ctok__json_read_uint_object(data, len, "encoder.json", UINT32_MAX, NULL, on_member,
                                    &quiet, NULL);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (ms < best)
            best = ms;
    }
    printf("# encoder.json (%zu bytes, 50257 members) parsed in %.2f ms\n", len, best);
    free(data);
}

static int read_object(const char *json, members *m, ctok_diag *diag, const ctok_allocator *a)
{
    memset(diag, 0, sizeof *diag);
    return ctok__json_read_uint_object((const uint8_t *)json, strlen(json), "vocab.json",
                                       UINT32_MAX, a, on_member, m, diag);
}

static void object_reader_errors(void)
{
    members m = {0};
    ctok_diag diag;
    CHECK(read_object(" { } ", &m, &diag, NULL) == 0 && m.count == 0);
    CHECK(read_object("{\"a\": 1, \"b\": 2}", &m, &diag, NULL) == 0 && m.count == 2 && m.sum == 3);
    CHECK(read_object("{\"a\": 1, \"a\": 2}", &m, &diag, NULL) == 0); /* duplicates: caller decides */
    int rc = read_object("{\"a\": 1,\n \"b\": -1}", &m, &diag, NULL);
    CHECKF(rc == CTOK_EJSON && diag.line == 2 && diag.offset == 15, "%s", diag.message);
    CHECKF(strncmp(diag.message, "vocab.json: line 2, byte offset 15: ", 36) == 0, "%s",
           diag.message);
    CHECK(read_object("{\"a\": 1 \"b\": 2}", &m, &diag, NULL) == CTOK_EJSON && diag.offset == 8);
    CHECK(read_object("{\"a\": 1,}", &m, &diag, NULL) == CTOK_EJSON && diag.offset == 8);
    CHECK(read_object("{\"a\": 1.5}", &m, &diag, NULL) == CTOK_EJSON && diag.offset == 6);
    CHECK(read_object("{\"a\": \"1\"}", &m, &diag, NULL) == CTOK_EJSON && diag.offset == 6);
    CHECK(read_object("{\"a\": 4294967296}", &m, &diag, NULL) == CTOK_EJSON && diag.offset == 6);
    CHECK(read_object("{1: 1}", &m, &diag, NULL) == CTOK_EJSON && diag.offset == 1);
    CHECK(read_object("{\"a\": 1} x", &m, &diag, NULL) == CTOK_EJSON && diag.offset == 9);
    CHECK(read_object("[]", &m, &diag, NULL) == CTOK_EJSON && diag.offset == 0);
    CHECK(read_object("{\"a\": 1", &m, &diag, NULL) == CTOK_EJSON && diag.offset == 7);
    CHECK(read_object("{\"\\ud800\": 1}", &m, &diag, NULL) == CTOK_EJSON && diag.offset == 2);
    /* a callback's own error comes back unchanged, at the key it names */
    members stop = {0};
    stop.stop_at = 2;
    rc = read_object("{\"a\": 1,\n\"b\": 2, \"c\": 3}", &stop, &diag, NULL);
    CHECKF(rc == CTOK_EFORMAT && diag.line == 2 && diag.offset == 9 && stop.count == 2, "%s",
           diag.message);
}

/* An allocator that fails every call. */
static void *failing_alloc(void *opaque, size_t size)
{
    (void)opaque;
    (void)size;
    return NULL;
}
static void plain_free(void *opaque, void *p)
{
    (void)opaque;
    free(p);
}

static void object_reader_long_keys(void)
{
    /* keys past the 256-byte stack buffer are decoded again into an allocated one */
    static char json[8192];
    size_t n = (size_t)sprintf(json, "{\"short\": 1, \"");
    for (int i = 0; i < 1000; i++)
        n += (size_t)sprintf(json + n, i % 2 ? "x" : "\\u00e9");
    n += (size_t)sprintf(json + n, "\": 2}");
    members m = {0};
    ctok_diag diag;
    CHECKF(read_object(json, &m, &diag, NULL) == 0, "%s", diag.message);
    CHECK(m.count == 2 && m.long_key_len == 1500);
    ctok_allocator failing = {failing_alloc, plain_free, NULL};
    memset(&m, 0, sizeof m);
    CHECK(read_object(json, &m, &diag, &failing) == CTOK_ENOMEM && m.count == 1);
    CHECK(read_object("{\"short\": 1}", &m, &diag, &failing) == 0); /* no allocation needed */
}

static void cursor_tokens(void)
{
    const char *json = " [ {\"k\": [1, \"s\"]}, -0.5e+10 , \"x\\ty\" ] 7";
    ctok__json_cursor c;
    ctok__json_init(&c, (const uint8_t *)json, strlen(json), NULL, NULL);
    CHECK(ctok__json_peek(&c) == '[' && c.pos == 1);
    CHECK(ctok__json_skip(&c) == 0 && json[c.pos] == ' ' && json[c.pos + 1] == '7');
    uint64_t v;
    CHECK(ctok__json_uint(&c, 7, &v) == 0 && v == 7);
    CHECK(ctok__json_end(&c) == 0);

    /* string_equals compares across escapes and raw runs */
    json = "\"a\\u00e9b\" \"a\\u00e9\" \"a\\u00e9bc\"";
    ctok__json_init(&c, (const uint8_t *)json, strlen(json), NULL, NULL);
    bool eq = false;
    CHECK(ctok__json_string_equals(&c, (const uint8_t *)"a\xC3\xA9" "b", 4, &eq) == 0 && eq);
    CHECK(ctok__json_string_equals(&c, (const uint8_t *)"a\xC3\xA9" "b", 4, &eq) == 0 && !eq);
    CHECK(ctok__json_string_equals(&c, (const uint8_t *)"a\xC3\xA9" "b", 4, &eq) == 0 && !eq);
    CHECK(ctok__json_end(&c) == 0);

    /* ctok__json_string writes a prefix and reports the full length */
    json = "\"hello\"";
    ctok__json_init(&c, (const uint8_t *)json, strlen(json), NULL, NULL);
    uint8_t out[3];
    size_t len;
    CHECK(ctok__json_string(&c, out, 3, &len) == 0 && len == 5 && memcmp(out, "hel", 3) == 0);

    /* uint limits */
    json = "255 256 18446744073709551615 18446744073709551616";
    ctok__json_init(&c, (const uint8_t *)json, strlen(json), NULL, NULL);
    CHECK(ctok__json_uint(&c, 255, &v) == 0 && v == 255);
    CHECK(ctok__json_uint(&c, 255, &v) == CTOK_EJSON && c.pos == 4);
    c.pos = 8;
    CHECK(ctok__json_uint(&c, UINT64_MAX, &v) == 0 && v == UINT64_MAX);
    CHECK(ctok__json_uint(&c, UINT64_MAX, &v) == CTOK_EJSON);
}

int main(void)
{
    RUN(text_plain_strings_and_escapes);
    RUN(text_surrogate_pairs);
    RUN(text_errors_have_offsets);
    RUN(text_field_extraction);
    RUN(text_error_line_in_multiline_input);
    RUN(text_deep_nesting_is_bounded);
    RUN(text_buffer_too_small);
    RUN(ids_parse);
    RUN(ids_errors);
    RUN(quote_escapes);
    RUN(quote_replaces_invalid_utf8);
    RUN(quote_sizes);
    RUN(quote_round_trips);
    RUN(encoder_json_reads_fully);
    RUN(object_reader_errors);
    RUN(object_reader_long_keys);
    RUN(cursor_tokens);
    TEST_EXIT();
}
