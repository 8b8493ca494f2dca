/*
 * fuzz_json.c - arbitrary bytes into every JSON parser of src/json.c.  Property: no crash, no
 * read past the input, errors point inside it, and whatever parses survives a round trip:
 *   - ctok_json_text: the decoded text is valid UTF-8, fits in len bytes, and quoting it with
 *     ctok_json_quote parses back to the same bytes;
 *   - ctok_json_quote: the literal parses back to the input when the input is valid UTF-8, and
 *     to valid UTF-8 of no more than 3 bytes per input byte otherwise;
 *   - ctok_json_ids: cap = len/2 + 1 always suffices, and the ids re-serialised parse back equal;
 *   - the string -> integer object reader: members re-serialised parse back to the same members.
 */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>

#define REQUIRE(cond)                                                                          \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "fuzz_json: %s:%d: %s\n", __FILE__, __LINE__, #cond);              \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

static void check_diag(const ctok_diag *d, int rc, size_t size)
{
    REQUIRE(d->status == rc && d->offset <= size && d->line >= 1 && d->message[0] != 0);
}

/* Quote (p, n) into a new buffer and parse it back with ctok_json_text into back[0 .. *back_len). */
static void quote_and_reparse(const uint8_t *p, size_t n, uint8_t **back, size_t *back_len)
{
    size_t need = 0, len = 0;
    REQUIRE(ctok_json_quote(p, n, NULL, 0, &need) == 0 && need <= 6 * n + 2);
    uint8_t *lit = malloc(need);
    REQUIRE(ctok_json_quote(p, n, lit, need, &len) == 0 && len == need);
    *back = malloc(need);
    ctok_diag d;
    int rc = ctok_json_text(lit, len, NULL, *back, need, back_len, &d);
    REQUIRE(rc == 0);
    free(lit);
}

typedef struct member_list {
    uint8_t *keys; /* concatenated key bytes */
    size_t keys_len, keys_cap;
    uint64_t *values;
    size_t *key_lens;
    size_t n, cap;
} member_list;

static int collect(void *user, ctok__json_cursor *c, size_t key_pos, const uint8_t *key,
                   size_t key_len, uint64_t value)
{
    (void)c;
    (void)key_pos;
    member_list *m = user;
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 16;
        m->values = realloc(m->values, m->cap * sizeof *m->values);
        m->key_lens = realloc(m->key_lens, m->cap * sizeof *m->key_lens);
    }
    if (m->keys_len + key_len > m->keys_cap) {
        m->keys_cap = 2 * (m->keys_len + key_len) + 16;
        m->keys = realloc(m->keys, m->keys_cap);
    }
    if (key_len) {
        memcpy(m->keys + m->keys_len, key, key_len);
        m->keys_len += key_len;
    }
    m->values[m->n] = value;
    m->key_lens[m->n++] = key_len;
    return 0;
}

static void member_list_free(member_list *m)
{
    free(m->keys);
    free(m->values);
    free(m->key_lens);
}

static void fuzz_object_reader(const uint8_t *data, size_t size)
{
    member_list a = {0}, b = {0};
    ctok_diag d;
    int rc = ctok__json_read_uint_object(data, size, "fuzz", UINT32_MAX, NULL, collect, &a, &d);
    if (rc) {
        check_diag(&d, rc, size);
        member_list_free(&a);
        return;
    }
    /* re-serialise as {"key": value, ...} with ctok_json_quote and read it again */
    size_t cap = 2 + a.n * 24 + 6 * a.keys_len + 2 * a.n, len = 0, off = 0;
    uint8_t *json = malloc(cap);
    json[len++] = '{';
    for (size_t i = 0; i < a.n; i++) {
        size_t q;
        const uint8_t *key = a.key_lens[i] ? a.keys + off : NULL;
        REQUIRE(ctok_json_quote(key, a.key_lens[i], json + len, cap - len, &q) == 0);
        len += q;
        off += a.key_lens[i];
        len += (size_t)snprintf((char *)json + len, cap - len, ":%llu%s",
                                (unsigned long long)a.values[i], i + 1 < a.n ? "," : "");
    }
    json[len++] = '}';
    REQUIRE(ctok__json_read_uint_object(json, len, "again", UINT32_MAX, NULL, collect, &b, &d) == 0);
    REQUIRE(a.n == b.n && a.keys_len == b.keys_len);
    REQUIRE(a.n == 0 || memcmp(a.values, b.values, a.n * sizeof *a.values) == 0);
    REQUIRE(a.keys_len == 0 || memcmp(a.keys, b.keys, a.keys_len) == 0);
    free(json);
    member_list_free(&a);
    member_list_free(&b);
}

static void fuzz_ids(const uint8_t *data, size_t size)
{
    size_t cap = size / 2 + 1, n = 0;
    uint32_t *ids = malloc(cap * sizeof *ids);
    ctok_diag d;
    int rc = ctok_json_ids(data, size, ids, cap, &n, &d);
    REQUIRE(rc != CTOK_EBUFFER);
    if (rc) {
        check_diag(&d, rc, size);
        free(ids);
        return;
    }
    char *json = malloc(n * 11 + 2);
    size_t len = 0;
    json[len++] = '[';
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(json + len, i ? ",%u" : "%u", (unsigned)ids[i]);
    json[len++] = ']';
    uint32_t *again = malloc((len / 2 + 1) * sizeof *again);
    size_t n2 = 0;
    REQUIRE(ctok_json_ids((const uint8_t *)json, len, again, len / 2 + 1, &n2, &d) == 0);
    REQUIRE(n2 == n && (n == 0 || memcmp(ids, again, n * sizeof *ids) == 0));
    free(again);
    free(json);
    free(ids);
}

static void fuzz_text(const uint8_t *data, size_t size, const char *field)
{
    uint8_t *out = malloc(size ? size : 1), *back;
    size_t n = 0, back_len;
    ctok_diag d;
    int rc = ctok_json_text(data, size, field, out, size, &n, &d);
    REQUIRE(rc != CTOK_EBUFFER); /* cap >= len always suffices */
    if (rc) {
        check_diag(&d, rc, size);
    } else {
        REQUIRE(n <= size && ctok__utf8_valid_prefix(out, n) == n);
        quote_and_reparse(out, n, &back, &back_len);
        REQUIRE(back_len == n && (n == 0 || memcmp(back, out, n) == 0));
        free(back);
        /* valid JSON text is a value the generic skipper accepts too */
        ctok__json_cursor c;
        ctok__json_init(&c, data, size, NULL, NULL);
        REQUIRE(ctok__json_skip(&c) == 0 && ctok__json_end(&c) == 0);
    }
    free(out);
}

static void fuzz_quote(const uint8_t *data, size_t size)
{
    uint8_t *back;
    size_t back_len;
    quote_and_reparse(data, size, &back, &back_len);
    REQUIRE(ctok__utf8_valid_prefix(back, back_len) == back_len && back_len <= 3 * size);
    if (ctok__utf8_valid_prefix(data, size) == size)
        REQUIRE(back_len == size && (size == 0 || memcmp(back, data, size) == 0));
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_text(data, size, NULL);
    fuzz_text(data, size, "text");
    fuzz_text(data, size, "");
    fuzz_quote(data, size);
    fuzz_ids(data, size);
    fuzz_object_reader(data, size);
    ctok__json_cursor c; /* the skipper alone: no crash, errors inside the input */
    ctok_diag d;
    ctok__json_init(&c, data, size, NULL, &d);
    int rc = ctok__json_skip(&c);
    if (rc)
        check_diag(&d, rc, size);
    REQUIRE(c.pos <= size);
    return 0;
}
