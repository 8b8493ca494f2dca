/*
 * json.c - a small, strict JSON reader (RFC 8259) and the public JSON helpers built on it.
 *
 * ctok reads JSON in three places: one value per line of a JSONL file (ctok_json_text,
 * ctok_json_ids), and big vocabulary objects such as GPT-2's encoder.json (50257 members, 1 MB).
 * Neither needs a document tree, so there is none: a cursor reads one token at a time and
 * anything not wanted is skipped in place.  All string decoding goes through string_piece(),
 * which yields either a run of literal bytes (pointing into the input, no copy) or one decoded
 * escape; ctok__json_string copies the pieces out and ctok__json_string_equals compares them.
 *
 * Strictness: raw control bytes in strings, invalid UTF-8, lone surrogate escapes, trailing
 * commas, leading zeros and trailing garbage are errors.  Nesting is skipped without recursion
 * (a bit stack), so hostile input cannot exhaust the C stack.  Line numbers are counted only
 * when an error is reported, which keeps the happy path a single tight loop.
 */
#include "json.h"

#include <stdio.h>

void ctok__json_init(ctok__json_cursor *c, const uint8_t *data, size_t len, const char *name,
                     ctok_diag *diag)
{
    c->data = data;
    c->len = len;
    c->pos = 0;
    c->name = name;
    c->diag = diag;
}

int ctok__json_fail(const ctok__json_cursor *c, size_t pos, int status, const char *fmt, ...)
{
    if (!c->diag)
        return status;
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (pos > c->len)
        pos = c->len;
    uint64_t line = 1;
    for (size_t i = 0; i < pos; i++) {
        const uint8_t *nl = memchr(c->data + i, '\n', pos - i);
        if (!nl)
            break;
        line++;
        i = (size_t)(nl - c->data);
    }
    /* a named input (a file) gets its place in the message; for the public one-line helpers
     * the caller says where (it knows the file and line), and diag has the offset */
    if (!c->name)
        return ctok__fail(c->diag, status, line, pos, "%s", what);
    return ctok__fail(c->diag, status, line, pos, "%s: line %llu, byte offset %llu: %s", c->name,
                      (unsigned long long)line, (unsigned long long)pos, what);
}

/* A byte for a message: "'x'", "byte 0xFF" or "the end of the input". */
static const char *describe(int b, char buf[24])
{
    if (b < 0)
        return "the end of the input";
    if (b >= 0x20 && b < 0x7F)
        snprintf(buf, 24, "'%c'", b);
    else
        snprintf(buf, 24, "byte 0x%02X", (unsigned)b);
    return buf;
}

int ctok__json_peek(ctok__json_cursor *c)
{
    const uint8_t *d = c->data;
    size_t i = c->pos, n = c->len;
    while (i < n && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t'))
        i++;
    c->pos = i;
    return i < n ? d[i] : -1;
}

int ctok__json_expect(ctok__json_cursor *c, char ch)
{
    int b = ctok__json_peek(c);
    if (b != (uint8_t)ch) {
        char buf[24];
        return ctok__json_fail(c, c->pos, CTOK_EJSON, "expected '%c' but found %s", ch,
                               describe(b, buf));
    }
    c->pos++;
    return CTOK_OK;
}

int ctok__json_end(ctok__json_cursor *c)
{
    int b = ctok__json_peek(c);
    if (b >= 0) {
        char buf[24];
        return ctok__json_fail(c, c->pos, CTOK_EJSON, "unexpected %s after the JSON value",
                               describe(b, buf));
    }
    return CTOK_OK;
}

/* ---- strings ---- */

static int hex4(const uint8_t *p, uint32_t *value)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t b = p[i];
        uint32_t d;
        if (b >= '0' && b <= '9')
            d = b - '0';
        else if ((b | 0x20) >= 'a' && (b | 0x20) <= 'f')
            d = (b | 0x20) - 'a' + 10;
        else
            return 0;
        v = v << 4 | d;
    }
    *value = v;
    return 1;
}

/* Decode the escape at c->pos (a backslash) into tmp. */
static int string_escape(ctok__json_cursor *c, uint8_t tmp[4], size_t *n)
{
    const uint8_t *d = c->data;
    size_t at = c->pos, len = c->len;
    if (at + 1 >= len)
        return ctok__json_fail(c, at, CTOK_EJSON, "unterminated escape at the end of the input");
    uint8_t simple;
    switch (d[at + 1]) {
    case '"': simple = '"'; break;
    case '\\': simple = '\\'; break;
    case '/': simple = '/'; break;
    case 'b': simple = '\b'; break;
    case 'f': simple = '\f'; break;
    case 'n': simple = '\n'; break;
    case 'r': simple = '\r'; break;
    case 't': simple = '\t'; break;
    case 'u': {
        uint32_t u, lo = 0;
        if (len - at < 6 || !hex4(d + at + 2, &u))
            return ctok__json_fail(c, at, CTOK_EJSON, "\\u must be followed by 4 hex digits");
        size_t next = at + 6;
        if (u >= 0xDC00 && u <= 0xDFFF)
            return ctok__json_fail(c, at, CTOK_EJSON,
                                   "lone surrogate \\u%04X (a low surrogate without a high one)",
                                   (unsigned)u);
        if (u >= 0xD800 && u <= 0xDBFF) {
            /* a high surrogate must be followed by a low one; together they are one code point */
            if (len - next >= 2 && d[next] == '\\' && d[next + 1] == 'u' &&
                (len - next < 6 || !hex4(d + next + 2, &lo)))
                return ctok__json_fail(c, next, CTOK_EJSON,
                                       "\\u must be followed by 4 hex digits");
            if (len - next < 6 || d[next] != '\\' || d[next + 1] != 'u' || lo < 0xDC00 ||
                lo > 0xDFFF)
                return ctok__json_fail(c, at, CTOK_EJSON,
                                       "lone surrogate \\u%04X (a high surrogate must be "
                                       "followed by a low surrogate escape)",
                                       (unsigned)u);
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            next += 6;
        }
        *n = ctok__utf8_encode(u, tmp);
        c->pos = next;
        return 1;
    }
    default: {
        char buf[24];
        return ctok__json_fail(c, at, CTOK_EJSON, "invalid escape: backslash followed by %s",
                               describe(d[at + 1], buf));
    }
    }
    tmp[0] = simple;
    *n = 1;
    c->pos = at + 2;
    return 1;
}

/* The next piece of a string literal whose opening quote (at start) is consumed: a run of
 * literal bytes pointing into the input, or one escape decoded into tmp.  Returns 1 with a
 * piece, 0 after consuming the closing quote, or a negative status. */
static int string_piece(ctok__json_cursor *c, size_t start, uint8_t tmp[4], const uint8_t **piece,
                        size_t *n)
{
    const uint8_t *d = c->data;
    size_t i = c->pos, len = c->len;
    if (i >= len)
        return ctok__json_fail(c, start, CTOK_EJSON, "unterminated string");
    if (d[i] == '"') {
        c->pos = i + 1;
        return 0;
    }
    if (d[i] == '\\') {
        *piece = tmp;
        return string_escape(c, tmp, n);
    }
    size_t run = i;
    while (i < len) {
        uint8_t b = d[i];
        if (b >= 0x20 && b < 0x80 && b != '"' && b != '\\') {
            i++;
        } else if (b >= 0x80) {
            uint32_t cp;
            size_t k = ctok__utf8_decode(d + i, len - i, &cp);
            if (k == 0)
                return ctok__json_fail(c, i, CTOK_EJSON, "invalid UTF-8 (byte 0x%02X)", b);
            i += k;
        } else if (b < 0x20) {
            return ctok__json_fail(c, i, CTOK_EJSON,
                                   "raw control character 0x%02X in a string (must be escaped)",
                                   b);
        } else {
            break; /* quote or backslash */
        }
    }
    *piece = d + run;
    *n = i - run;
    c->pos = i;
    return 1;
}

/* Skip whitespace and consume the opening quote; its offset goes to *start. */
static int string_open(ctok__json_cursor *c, size_t *start)
{
    int b = ctok__json_peek(c);
    if (b != '"') {
        char buf[24];
        return ctok__json_fail(c, c->pos, CTOK_EJSON, "expected a string but found %s",
                               describe(b, buf));
    }
    *start = c->pos++;
    return CTOK_OK;
}

int ctok__json_string(ctok__json_cursor *c, uint8_t *out, size_t cap, size_t *len)
{
    size_t start = 0, total = 0, n; /* set by string_open; gcc -O3 cannot see that */
    uint8_t tmp[4];
    const uint8_t *piece;
    int rc = string_open(c, &start);
    if (rc)
        return rc;
    while ((rc = string_piece(c, start, tmp, &piece, &n)) == 1) {
        if (total < cap)
            memcpy(out + total, piece, n < cap - total ? n : cap - total);
        total += n;
    }
    if (rc < 0)
        return rc;
    *len = total;
    return CTOK_OK;
}

int ctok__json_string_equals(ctok__json_cursor *c, const uint8_t *s, size_t n, bool *equal)
{
    size_t start = 0, done = 0, k; /* as above */
    uint8_t tmp[4];
    const uint8_t *piece;
    bool same = true;
    int rc = string_open(c, &start);
    if (rc)
        return rc;
    while ((rc = string_piece(c, start, tmp, &piece, &k)) == 1) {
        if (same && (k > n - done || memcmp(s + done, piece, k) != 0))
            same = false;
        if (same)
            done += k;
    }
    if (rc < 0)
        return rc;
    *equal = same && done == n;
    return CTOK_OK;
}

/* ---- numbers and literals ---- */

static bool is_digit(int b) { return b >= '0' && b <= '9'; }

int ctok__json_uint(ctok__json_cursor *c, uint64_t max, uint64_t *value)
{
    char buf[24];
    int b = ctok__json_peek(c);
    const uint8_t *d = c->data;
    size_t start = c->pos, i = start, len = c->len;
    if (b == '-')
        return ctok__json_fail(c, start, CTOK_EJSON,
                               "expected a non-negative integer but found a negative number");
    if (!is_digit(b))
        return ctok__json_fail(c, start, CTOK_EJSON, "expected an integer but found %s",
                               describe(b, buf));
    if (b == '0' && i + 1 < len && is_digit(d[i + 1]))
        return ctok__json_fail(c, start, CTOK_EJSON, "leading zero in an integer");
    uint64_t v = 0;
    bool overflow = false;
    for (; i < len && is_digit(d[i]); i++) {
        unsigned digit = (unsigned)(d[i] - '0');
        if (v > max / 10 || digit > max - v * 10)
            overflow = true;
        else
            v = v * 10 + digit;
    }
    if (i < len && (d[i] == '.' || d[i] == 'e' || d[i] == 'E'))
        return ctok__json_fail(c, start, CTOK_EJSON,
                               "expected an integer but found a number with %s",
                               d[i] == '.' ? "a fraction" : "an exponent");
    if (overflow)
        return ctok__json_fail(c, start, CTOK_EJSON, "integer %.*s%s is larger than %llu",
                               (int)(i - start < 24 ? i - start : 24), (const char *)d + start,
                               i - start > 24 ? "..." : "", (unsigned long long)max);
    c->pos = i;
    *value = v;
    return CTOK_OK;
}

/* Validate and skip a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int skip_number(ctok__json_cursor *c)
{
    const uint8_t *d = c->data;
    size_t start = c->pos, i = start, len = c->len;
    if (i < len && d[i] == '-')
        i++;
    if (i < len && d[i] == '0')
        i++;
    else if (i < len && is_digit(d[i]))
        while (i < len && is_digit(d[i]))
            i++;
    else
        return ctok__json_fail(c, start, CTOK_EJSON, "invalid number: no digits after '-'");
    if (i < len && d[i] == '.') {
        if (++i >= len || !is_digit(d[i]))
            return ctok__json_fail(c, start, CTOK_EJSON, "invalid number: no digits after '.'");
        while (i < len && is_digit(d[i]))
            i++;
    }
    if (i < len && (d[i] == 'e' || d[i] == 'E')) {
        if (++i < len && (d[i] == '+' || d[i] == '-'))
            i++;
        if (i >= len || !is_digit(d[i]))
            return ctok__json_fail(c, start, CTOK_EJSON,
                                   "invalid number: no digits in the exponent");
        while (i < len && is_digit(d[i]))
            i++;
    }
    c->pos = i;
    return CTOK_OK;
}

static int skip_literal(ctok__json_cursor *c, const char *word)
{
    size_t n = strlen(word);
    if (c->len - c->pos < n || memcmp(c->data + c->pos, word, n) != 0) {
        return ctok__json_fail(c, c->pos, CTOK_EJSON, "invalid literal: expected '%s'", word);
    }
    c->pos += n;
    return CTOK_OK;
}

/* An object member's key and colon, skipped. */
static int skip_key(ctok__json_cursor *c)
{
    size_t n;
    int rc = ctok__json_string(c, NULL, 0, &n);
    return rc ? rc : ctok__json_expect(c, ':');
}

int ctok__json_skip(ctok__json_cursor *c)
{
    /* bit k of open_objects: is the container at depth k an object (1) or an array (0)? */
    uint8_t open_objects[CTOK__JSON_MAX_DEPTH / 8];
    size_t depth = 0, n;
    char buf[24];
    for (;;) {
        int rc, b = ctok__json_peek(c);
        if (b == '{' || b == '[') {
            if (depth == CTOK__JSON_MAX_DEPTH)
                return ctok__json_fail(c, c->pos, CTOK_EJSON, "nesting deeper than %d levels",
                                       CTOK__JSON_MAX_DEPTH);
            uint8_t bit = (uint8_t)(1u << (depth % 8));
            if (b == '{')
                open_objects[depth / 8] |= bit;
            else
                open_objects[depth / 8] &= (uint8_t)~bit;
            depth++;
            c->pos++;
            if (ctok__json_peek(c) != (b == '{' ? '}' : ']')) {
                if (b == '{' && (rc = skip_key(c)) != 0)
                    return rc;
                continue; /* now read the first element */
            }
            c->pos++;
            depth--; /* an empty container is a complete value */
        } else {
            if (b == '"')
                rc = ctok__json_string(c, NULL, 0, &n);
            else if (b == '-' || is_digit(b))
                rc = skip_number(c);
            else if (b == 't')
                rc = skip_literal(c, "true");
            else if (b == 'f')
                rc = skip_literal(c, "false");
            else if (b == 'n')
                rc = skip_literal(c, "null");
            else
                rc = ctok__json_fail(c, c->pos, CTOK_EJSON, "expected a JSON value but found %s",
                                     describe(b, buf));
            if (rc)
                return rc;
        }
        /* a value is complete: close the containers it completes, or go on after a comma */
        while (depth > 0) {
            bool in_object = open_objects[(depth - 1) / 8] >> ((depth - 1) % 8) & 1;
            int close = in_object ? '}' : ']';
            b = ctok__json_peek(c);
            if (b == ',') {
                c->pos++;
                if (in_object && (rc = skip_key(c)) != 0)
                    return rc;
                break;
            }
            if (b != close)
                return ctok__json_fail(c, c->pos, CTOK_EJSON, "expected ',' or '%c' but found %s",
                                       close, describe(b, buf));
            c->pos++;
            depth--;
        }
        if (depth == 0)
            return CTOK_OK;
    }
}

/* ---- string -> integer objects (encoder.json) ---- */

int ctok__json_uint_object(ctok__json_cursor *c, uint64_t max, const ctok_allocator *alloc,
                           ctok__json_member_fn fn, void *user)
{
    ctok_allocator m;
    ctok__mem_init(&m, alloc);
    uint8_t small[256], *heap = NULL, *key = small;
    size_t key_cap = sizeof small, key_len;
    char buf[24];
    int rc = ctok__json_expect(c, '{');
    if (rc)
        return rc;
    if (ctok__json_peek(c) == '}') {
        c->pos++;
        return CTOK_OK;
    }
    for (;;) {
        int b = ctok__json_peek(c);
        size_t key_pos = c->pos;
        uint64_t value;
        if (b != '"') {
            rc = ctok__json_fail(c, key_pos, CTOK_EJSON, "expected a string key but found %s",
                                 describe(b, buf));
            break;
        }
        if ((rc = ctok__json_string(c, key, key_cap, &key_len)) != 0)
            break;
        if (key_len > key_cap) { /* rare: a long key; decode it again into a big enough buffer */
            ctok__free(&m, heap);
            if ((heap = ctok__alloc(&m, key_len)) == NULL) {
                rc = ctok__json_fail(c, key_pos, CTOK_ENOMEM, "out of memory for a %zu-byte key",
                                     key_len);
                break;
            }
            key = heap;
            key_cap = key_len;
            c->pos = key_pos;
            if ((rc = ctok__json_string(c, key, key_cap, &key_len)) != 0)
                break;
        }
        if ((rc = ctok__json_expect(c, ':')) != 0 || (rc = ctok__json_uint(c, max, &value)) != 0)
            break;
        if ((rc = fn(user, c, key_pos, key, key_len, value)) != 0)
            break;
        b = ctok__json_peek(c);
        if (b == ',') {
            c->pos++;
            continue;
        }
        if (b == '}')
            c->pos++;
        else
            rc = ctok__json_fail(c, c->pos, CTOK_EJSON, "expected ',' or '}' but found %s",
                                 describe(b, buf));
        break;
    }
    ctok__free(&m, heap);
    return rc;
}

int ctok__json_read_uint_object(const uint8_t *data, size_t len, const char *name, uint64_t max,
                                const ctok_allocator *alloc, ctok__json_member_fn fn, void *user,
                                ctok_diag *diag)
{
    ctok__json_cursor c;
    ctok__json_init(&c, data, len, name, diag);
    int rc = ctok__json_uint_object(&c, max, alloc, fn, user);
    return rc ? rc : ctok__json_end(&c);
}

/* ---- public helpers ---- */

/* The object at the cursor: decode its (last) member named field into out. */
static int object_field(ctok__json_cursor *c, const char *field, uint8_t *out, size_t cap,
                        size_t *n, size_t *value_pos)
{
    size_t field_len = strlen(field), object_pos = c->pos;
    bool found = false, is_string = false, equal;
    char buf[24];
    int rc, b;
    c->pos++; /* '{' */
    if (ctok__json_peek(c) == '}') {
        c->pos++;
    } else {
        for (;;) {
            if ((rc = ctok__json_string_equals(c, (const uint8_t *)field, field_len, &equal)) ||
                (rc = ctok__json_expect(c, ':')))
                return rc;
            b = ctok__json_peek(c);
            if (equal) { /* a later duplicate replaces an earlier one, as in Python's json */
                found = true;
                *value_pos = c->pos;
                is_string = b == '"';
            }
            if ((rc = equal && is_string ? ctok__json_string(c, out, cap, n) : ctok__json_skip(c)))
                return rc;
            b = ctok__json_peek(c);
            if (b == '}') {
                c->pos++;
                break;
            }
            if (b != ',')
                return ctok__json_fail(c, c->pos, CTOK_EJSON, "expected ',' or '}' but found %s",
                                       describe(b, buf));
            c->pos++;
        }
    }
    if (!found)
        return ctok__json_fail(c, object_pos, CTOK_EJSON, "the object has no member \"%.100s\"",
                               field);
    if (!is_string)
        return ctok__json_fail(c, *value_pos, CTOK_EJSON, "member \"%.100s\" is not a string",
                               field);
    return CTOK_OK;
}

int ctok_json_text(const uint8_t *json, size_t len, const char *field, uint8_t *out, size_t cap,
                   size_t *out_len, ctok_diag *diag)
{
    if ((!json && len) || (!out && cap) || !out_len)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "ctok_json_text: NULL argument");
    ctok__json_cursor c;
    ctok__json_init(&c, json, len, NULL, diag);
    size_t n = 0, value_pos;
    char buf[24];
    int rc, b = ctok__json_peek(&c);
    value_pos = c.pos;
    if (b == '"')
        rc = ctok__json_string(&c, out, cap, &n);
    else if (b == '{' && field)
        rc = object_field(&c, field, out, cap, &n, &value_pos);
    else
        rc = ctok__json_fail(&c, c.pos, CTOK_EJSON, "expected a JSON string%s but found %s",
                             field ? " or object" : "", describe(b, buf));
    if (rc || (rc = ctok__json_end(&c)) != 0)
        return rc;
    if (n > cap)
        return ctok__json_fail(&c, value_pos, CTOK_EBUFFER,
                               "the decoded text is %zu bytes but the buffer holds %zu", n, cap);
    *out_len = n;
    return CTOK_OK;
}

int ctok_json_ids(const uint8_t *json, size_t len, uint32_t *ids, size_t cap, size_t *n_ids,
                  ctok_diag *diag)
{
    if ((!json && len) || (!ids && cap) || !n_ids)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "ctok_json_ids: NULL argument");
    ctok__json_cursor c;
    ctok__json_init(&c, json, len, NULL, diag);
    size_t n = 0;
    char buf[24];
    int rc = ctok__json_expect(&c, '[');
    if (rc)
        return rc;
    if (ctok__json_peek(&c) == ']') {
        c.pos++;
    } else {
        for (;;) {
            uint64_t v;
            ctok__json_peek(&c);
            size_t at = c.pos;
            if ((rc = ctok__json_uint(&c, UINT32_MAX, &v)) != 0)
                return rc;
            if (n == cap)
                return ctok__json_fail(&c, at, CTOK_EBUFFER, "more than %zu ids", cap);
            ids[n++] = (uint32_t)v;
            int b = ctok__json_peek(&c);
            if (b == ']') {
                c.pos++;
                break;
            }
            if (b != ',')
                return ctok__json_fail(&c, c.pos, CTOK_EJSON, "expected ',' or ']' but found %s",
                                       describe(b, buf));
            c.pos++;
        }
    }
    if ((rc = ctok__json_end(&c)) != 0)
        return rc;
    *n_ids = n;
    return CTOK_OK;
}

/* Output of ctok_json_quote: writes what fits, counts everything. */
typedef struct quote_out {
    uint8_t *out;
    size_t cap, n;
} quote_out;

static void quote_put(quote_out *q, const void *p, size_t k)
{
    if (q->out && q->n <= q->cap && k <= q->cap - q->n)
        memcpy(q->out + q->n, p, k);
    q->n += k;
}

int ctok_json_quote(const uint8_t *text, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    static const char hex[] = "0123456789abcdef";
    static const uint8_t replacement[3] = {0xEF, 0xBF, 0xBD}; /* U+FFFD */
    if ((!text && len) || !out_len)
        return CTOK_EINVAL;
    quote_out q = {out, cap, 0};
    size_t i = 0;
    quote_put(&q, "\"", 1);
    while (i < len) {
        /* copy the longest run that needs no escaping: printable ASCII and valid UTF-8 */
        size_t run = i;
        uint32_t cp;
        size_t k;
        while (i < len) {
            uint8_t b = text[i];
            if (b >= 0x20 && b < 0x80 && b != '"' && b != '\\')
                i++;
            else if (b >= 0x80 && (k = ctok__utf8_decode(text + i, len - i, &cp)) != 0)
                i += k;
            else
                break;
        }
        quote_put(&q, text + run, i - run);
        if (i >= len)
            break;
        uint8_t b = text[i];
        if (b >= 0x80) { /* invalid UTF-8: one U+FFFD per maximal subpart */
            quote_put(&q, replacement, 3);
            i += ctok__utf8_invalid_len(text + i, len - i);
            continue;
        }
        char esc[6] = {'\\', 0, '0', '0', hex[b >> 4], hex[b & 15]};
        switch (b) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default: esc[1] = 'u'; break;
        }
        quote_put(&q, esc, esc[1] == 'u' ? 6 : 2);
        i++;
    }
    quote_put(&q, "\"", 1);
    *out_len = q.n;
    return out && q.n > cap ? CTOK_EBUFFER : CTOK_OK;
}
