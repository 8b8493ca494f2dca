/*
 * model_io.c - model files: minbpe's "minbpe v1" .model (read and written byte for byte as
 * minbpe does), ctok's "ctok char v1" character vocabulary, and the human-readable .vocab.
 * Formats are described in doc/format.md.  Files are written to a temporary name and renamed,
 * so an interrupted save never leaves a truncated file that looks whole.
 */
#include "loaders.h"
#include "model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- reading ---- */

typedef struct line_reader {
    const uint8_t *data;
    size_t len, pos;
    uint64_t line_no; /* of the line last returned */
} line_reader;

/* The next line without its "\n" (and a "\r" before it); false at the end of the data. */
static bool next_line(line_reader *r, const uint8_t **line, size_t *n)
{
    if (r->pos >= r->len)
        return false;
    const uint8_t *s = r->data + r->pos;
    const uint8_t *nl = memchr(s, '\n', r->len - r->pos);
    size_t k = nl ? (size_t)(nl - s) : r->len - r->pos;
    r->pos += k + (nl != NULL);
    r->line_no++;
    if (k && s[k - 1] == '\r')
        k--;
    *line = s;
    *n = k;
    return true;
}

/* A decimal number that fills s[0..n) exactly, below limit. */
static bool parse_uint(const uint8_t *s, size_t n, uint64_t limit, uint64_t *out)
{
    if (n == 0 || n > 19)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v >= limit)
        return false;
    *out = v;
    return true;
}

#define FAIL_AT(status, ...) ctok__fail(diag, status, r.line_no, (uint64_t)(line - r.data), __VA_ARGS__)

static int load_minbpe(ctok_model *m, const uint8_t *data, size_t len, const char *name,
                       ctok_diag *diag)
{
    line_reader r = {data, len, 0, 0};
    const uint8_t *line;
    size_t n;
    next_line(&r, &line, &n); /* the magic line, checked by the caller */
    if (!next_line(&r, &line, &n))
        return ctok__fail(diag, CTOK_EFORMAT, 2, len, "%s: line 2: missing the pattern line", name);
    const uint8_t *pattern = line;
    size_t pattern_len = n;
    uint64_t pattern_line = r.line_no;
    if (!next_line(&r, &line, &n))
        return ctok__fail(diag, CTOK_EFORMAT, 3, len,
                          "%s: line 3: missing the number of special tokens", name);
    uint64_t n_special;
    if (!parse_uint(line, n, 1u << 24, &n_special))
        return FAIL_AT(CTOK_EFORMAT, "%s: line %llu: expected the number of special tokens, "
                       "got '%.*s'", name, (unsigned long long)r.line_no, (int)(n > 60 ? 60 : n),
                       (const char *)line);
    /* each special token's line takes at least 4 bytes ("x 0\n"): a count the rest of the file
     * cannot hold is an error now, before the lists below are made for it */
    if (n_special > (r.len - r.pos) / 4 + 1)
        return FAIL_AT(CTOK_EFORMAT, "%s: line %llu: %llu special tokens, but the rest of the file "
                       "has room for at most %zu", name, (unsigned long long)r.line_no,
                       (unsigned long long)n_special, (r.len - r.pos) / 4 + 1);
    /* special tokens come before the merges in the file but take ids after them: read them
     * into a list first */
    const uint8_t **sp_text = ctok__calloc(&m->mem, n_special + 1, sizeof *sp_text);
    size_t *sp_len = ctok__calloc(&m->mem, n_special + 1, sizeof *sp_len);
    uint64_t *sp_id = ctok__calloc(&m->mem, n_special + 1, sizeof *sp_id);
    uint64_t *sp_line = ctok__calloc(&m->mem, n_special + 1, sizeof *sp_line);
    int rc = sp_text && sp_len && sp_id && sp_line ? CTOK_OK : CTOK_ENOMEM;
    for (uint64_t i = 0; !rc && i < n_special; i++) {
        if (!next_line(&r, &line, &n)) {
            rc = ctok__fail(diag, CTOK_EFORMAT, r.line_no + 1, len,
                            "%s: line %llu: expected special token %llu of %llu, found the end "
                            "of the file", name, (unsigned long long)r.line_no + 1,
                            (unsigned long long)i + 1, (unsigned long long)n_special);
            break;
        }
        const uint8_t *sp = memchr(line, ' ', n);
        if (!sp || sp == line || !parse_uint(sp + 1, n - (size_t)(sp + 1 - line), UINT32_MAX,
                                             &sp_id[i])) {
            rc = FAIL_AT(CTOK_EFORMAT, "%s: line %llu: expected 'TOKEN ID' for a special token, "
                         "got '%.*s'", name, (unsigned long long)r.line_no,
                         (int)(n > 60 ? 60 : n), (const char *)line);
            break;
        }
        if (sp_id[i] >= CTOK_ID_LIMIT) {
            rc = FAIL_AT(CTOK_EFORMAT, "%s: line %llu: special token '%.*s' has the id %llu; ids "
                         "must be below %u", name, (unsigned long long)r.line_no,
                         (int)(sp - line > 60 ? 60 : sp - line), (const char *)line,
                         (unsigned long long)sp_id[i], CTOK_ID_LIMIT);
            break;
        }
        sp_text[i] = line;
        sp_len[i] = (size_t)(sp - line);
        sp_line[i] = r.line_no;
    }
    /* merges: "A B" making 256, 257, ... */
    uint32_t next_id = 256;
    while (!rc && next_line(&r, &line, &n)) {
        if (n == 0 && r.pos >= r.len)
            break; /* a blank last line */
        const uint8_t *sp = memchr(line, ' ', n);
        uint64_t a, b;
        if (!sp || !parse_uint(line, (size_t)(sp - line), UINT32_MAX, &a) ||
            !parse_uint(sp + 1, n - (size_t)(sp + 1 - line), UINT32_MAX, &b)) {
            rc = FAIL_AT(CTOK_EFORMAT, "%s: line %llu: expected a merge 'ID ID', got '%.*s'", name,
                         (unsigned long long)r.line_no, (int)(n > 60 ? 60 : n),
                         (const char *)line);
            break;
        }
        if (a >= next_id || b >= next_id) {
            rc = FAIL_AT(CTOK_EFORMAT, "%s: line %llu: merge %u %u uses id %llu, which does not "
                         "exist yet (this merge makes id %u)", name, (unsigned long long)r.line_no,
                         (unsigned)a, (unsigned)b, (unsigned long long)(a >= next_id ? a : b),
                         next_id);
            break;
        }
        rc = ctok__model_add_merge(m, (uint32_t)a, (uint32_t)b, next_id);
        if (rc == CTOK_EINVAL)
            rc = FAIL_AT(CTOK_EFORMAT, "%s: line %llu: invalid merge %u %u", name,
                         (unsigned long long)r.line_no, (unsigned)a, (unsigned)b);
        next_id++;
    }
    for (uint64_t i = 0; !rc && i < n_special; i++) {
        if (sp_id[i] < next_id || ctok__model_has_token(m, (uint32_t)sp_id[i])) {
            rc = ctok__fail(diag, CTOK_EFORMAT, sp_line[i], 0,
                            "%s: line %llu: special token '%.*s' has id %llu, which is already "
                            "taken", name, (unsigned long long)sp_line[i], (int)sp_len[i],
                            (const char *)sp_text[i], (unsigned long long)sp_id[i]);
            break;
        }
        rc = ctok__model_add_special(m, sp_text[i], sp_len[i], (uint32_t)sp_id[i]);
    }
    ctok__free(&m->mem, sp_text);
    ctok__free(&m->mem, sp_len);
    ctok__free(&m->mem, sp_id);
    ctok__free(&m->mem, sp_line);
    if (!rc && pattern_len) {
        rc = ctok__model_set_pattern(m, pattern, pattern_len, diag);
        if (rc == CTOK_EPATTERN) {
            char why[sizeof diag->message] = "";
            if (diag)
                memcpy(why, diag->message, sizeof why);
            rc = ctok__fail(diag, CTOK_EFORMAT, pattern_line, (uint64_t)(pattern - data),
                            "%s: line %llu: %s", name, (unsigned long long)pattern_line, why);
        }
    }
    if (!rc)
        rc = ctok__model_finish(m, false);
    if (rc == CTOK_EINVAL)
        rc = ctok__fail(diag, CTOK_EFORMAT, 0, 0, "%s: the same pair is merged twice", name);
    return rc;
}

static int load_chars(ctok_model *m, const uint8_t *data, size_t len, const char *name,
                      ctok_diag *diag)
{
    line_reader r = {data, len, 0, 0};
    const uint8_t *line;
    size_t n;
    next_line(&r, &line, &n);
    uint64_t count;
    if (!next_line(&r, &line, &n) || !parse_uint(line, n, 0x110001, &count))
        return ctok__fail(diag, CTOK_EFORMAT, 2, r.pos, "%s: line 2: expected the number of "
                          "characters", name);
    uint32_t *cps = ctok__alloc(&m->mem, (count ? count : 1) * sizeof *cps);
    if (!cps)
        return CTOK_ENOMEM;
    int rc = CTOK_OK;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t cp;
        if (!next_line(&r, &line, &n)) {
            rc = ctok__fail(diag, CTOK_EFORMAT, r.line_no + 1, len, "%s: line %llu: expected "
                            "character %llu of %llu, found the end of the file", name,
                            (unsigned long long)r.line_no + 1, (unsigned long long)i + 1,
                            (unsigned long long)count);
            break;
        }
        if (!parse_uint(line, n, 0x110000, &cp) || (cp >= 0xD800 && cp < 0xE000) ||
            (i && cp <= cps[i - 1])) {
            rc = FAIL_AT(CTOK_EFORMAT, "%s: line %llu: expected a code point (decimal, above the "
                         "previous one, not a surrogate), got '%.*s'", name,
                         (unsigned long long)r.line_no, (int)(n > 60 ? 60 : n),
                         (const char *)line);
            break;
        }
        cps[i] = (uint32_t)cp;
    }
    if (!rc && next_line(&r, &line, &n) && (n || r.pos < r.len))
        rc = FAIL_AT(CTOK_EFORMAT, "%s: line %llu: unexpected text after the %llu characters",
                     name, (unsigned long long)r.line_no, (unsigned long long)count);
    if (!rc)
        rc = ctok__model_set_chars(m, cps, count);
    if (!rc)
        rc = ctok__model_finish(m, false);
    ctok__free(&m->mem, cps);
    return rc;
}

static bool starts_line(const uint8_t *data, size_t len, const char *magic)
{
    size_t k = strlen(magic);
    return len >= k && !memcmp(data, magic, k) &&
           (len == k || data[k] == '\n' || (data[k] == '\r' && len > k + 1 && data[k + 1] == '\n'));
}

int ctok_model_load_memory(const uint8_t *data, size_t len, const char *name,
                           const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag)
{
    if ((!data && len) || !out)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    if (!name)
        name = "model";
    bool minbpe = starts_line(data, len, "minbpe v1");
    bool chars = starts_line(data, len, "ctok char v1");
    if (!minbpe && !chars) {
        if (len >= 7 && (!memcmp(data, "minbpe ", 7) || !memcmp(data, "ctok char ", len < 10 ? len : 10)))
            return ctok__fail(diag, CTOK_EVERSION, 1, 0, "%s: line 1: unsupported format "
                              "version (this ctok reads 'minbpe v1' and 'ctok char v1')", name);
        return ctok__fail(diag, CTOK_EFORMAT, 1, 0, "%s: line 1: not a model file (expected "
                          "'minbpe v1' or 'ctok char v1')", name);
    }
    ctok_model *m = NULL;
    int rc = minbpe ? ctok__model_new_bytes(alloc, &m)
                    : ctok__model_new(alloc, CTOK_MODEL_CHAR, &m);
    if (rc)
        return ctok__fail(diag, rc, 0, 0, "%s: %s", name, ctok_strerror(rc));
    rc = minbpe ? load_minbpe(m, data, len, name, diag) : load_chars(m, data, len, name, diag);
    if (rc) {
        ctok_model_free(m);
        if (rc == CTOK_ENOMEM || rc == CTOK_ETOOBIG)
            ctok__fail(diag, rc, 0, 0, "%s: %s", name, ctok_strerror(rc));
        return rc;
    }
    *out = m;
    return CTOK_OK;
}

int ctok_model_load(const char *path, const ctok_allocator *alloc, ctok_model **out,
                    ctok_diag *diag)
{
    if (!path || !out)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    ctok_allocator mem;
    ctok__mem_init(&mem, alloc);
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = ctok__read_file(&mem, path, &buf, &len, diag);
    if (!rc)
        rc = ctok_model_load_memory(buf, len, path, alloc, out, diag);
    ctok__free(&mem, buf);
    return rc;
}
