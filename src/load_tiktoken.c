/*
 * load_tiktoken.c - tiktoken's rank files ("BASE64 RANK" per line, no header), the format every
 * OpenAI encoding ships in, turned into a ctok model: rank = id, specials from the caller, and
 * tiktoken's merge rule (ctok__model_finish with derived pairs).
 *
 * The reader is strict where tiktoken is lax (tiktoken's base64 decoder skips stray characters and
 * it takes ranks in any order): a file that loads here means exactly one thing.  It is also the
 * load path of the built-in encodings, so it is written for speed: one pass, a table-driven base64
 * decoder, the model's arrays reserved up front.
 */
#include "loaders.h"

#include <stdlib.h>

/* 0-63 for the base64 alphabet, 64 for '=', 255 for anything else */
static const uint8_t B64[256] = {
    ['A'] = 0,  ['B'] = 1,  ['C'] = 2,  ['D'] = 3,  ['E'] = 4,  ['F'] = 5,  ['G'] = 6,
    ['H'] = 7,  ['I'] = 8,  ['J'] = 9,  ['K'] = 10, ['L'] = 11, ['M'] = 12, ['N'] = 13,
    ['O'] = 14, ['P'] = 15, ['Q'] = 16, ['R'] = 17, ['S'] = 18, ['T'] = 19, ['U'] = 20,
    ['V'] = 21, ['W'] = 22, ['X'] = 23, ['Y'] = 24, ['Z'] = 25, ['a'] = 26, ['b'] = 27,
    ['c'] = 28, ['d'] = 29, ['e'] = 30, ['f'] = 31, ['g'] = 32, ['h'] = 33, ['i'] = 34,
    ['j'] = 35, ['k'] = 36, ['l'] = 37, ['m'] = 38, ['n'] = 39, ['o'] = 40, ['p'] = 41,
    ['q'] = 42, ['r'] = 43, ['s'] = 44, ['t'] = 45, ['u'] = 46, ['v'] = 47, ['w'] = 48,
    ['x'] = 49, ['y'] = 50, ['z'] = 51, ['0'] = 52, ['1'] = 53, ['2'] = 54, ['3'] = 55,
    ['4'] = 56, ['5'] = 57, ['6'] = 58, ['7'] = 59, ['8'] = 60, ['9'] = 61, ['+'] = 62,
    ['/'] = 63, ['='] = 64,
};

/* B64 with the zero entries that are not 'A' made invalid (255): built once per load, on the
 * stack, so that the table above stays readable and the library keeps no mutable globals. */
static void b64_table(uint8_t t[256])
{
    for (int c = 0; c < 256; c++)
        t[c] = (B64[c] || c == 'A') ? B64[c] : 255;
}

/* Decode s[0 .. n) (standard alphabet, padded, canonical) into out; the decoded length, or 0 if
 * s is not such base64 (*bad = offset of the first wrong character in s). */
static size_t b64_decode(const uint8_t t[256], const uint8_t *s, size_t n, uint8_t *out,
                         size_t *bad)
{
    if (n == 0 || n % 4) {
        *bad = n;
        return 0;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i += 4) {
        uint8_t a = t[s[i]], b = t[s[i + 1]], c = t[s[i + 2]], d = t[s[i + 3]];
        bool last = i + 4 == n;
        if ((a | b | c | d) < 64) {
            out[o++] = (uint8_t)(a << 2 | b >> 4);
            out[o++] = (uint8_t)(b << 4 | c >> 2);
            out[o++] = (uint8_t)(c << 6 | d);
            continue;
        }
        /* padding: only in the last group, as "xx==" or "xxx=", with the unused bits zero */
        bool ok = last && a < 64 && b < 64 && d == 64 &&
                  ((c == 64 && !(b & 15)) || (c < 64 && !(c & 3)));
        if (!ok) {
            size_t k = 0;
            while (k < 3 && t[s[i + k]] < 64)
                k++;
            *bad = i + k;
            return 0;
        }
        out[o++] = (uint8_t)(a << 2 | b >> 4);
        if (c < 64)
            out[o++] = (uint8_t)(b << 4 | c >> 2);
    }
    return o;
}

/* A decimal number filling s[0 .. n) exactly, below UINT32_MAX (which ctok reserves). */
static bool parse_rank(const uint8_t *s, size_t n, uint32_t *out)
{
    if (n == 0 || n > 10)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v >= UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* How many of the sorted, distinct ids are in [lo, hi). */
static size_t count_in(const uint32_t *ids, size_t n, uint32_t lo, uint32_t hi)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (ids[mid] < lo)
            a = mid + 1;
        else
            b = mid;
    }
    size_t first = a;
    b = n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (ids[mid] < hi)
            a = mid + 1;
        else
            b = mid;
    }
    return a - first;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* One line of the file. */
typedef struct line {
    const uint8_t *p; /* start */
    size_t n;         /* length without "\n" or "\r\n" */
    uint64_t no;      /* 1-based */
} line;

/* The next non-empty line at *pos, or false at the end. */
static bool next_line(const uint8_t *data, size_t len, size_t *pos, uint64_t *line_no, line *l)
{
    while (*pos < len) {
        const uint8_t *s = data + *pos;
        const uint8_t *nl = memchr(s, '\n', len - *pos);
        size_t k = nl ? (size_t)(nl - s) : len - *pos;
        *pos += k + (nl != NULL);
        ++*line_no;
        if (k && s[k - 1] == '\r')
            k--;
        if (k) {
            l->p = s;
            l->n = k;
            l->no = *line_no;
            return true;
        }
    }
    return false;
}

/* The line that gives rank, for messages about a rank found bad after the pass (0 if none). */
static uint64_t line_of_rank(const uint8_t *data, size_t len, uint32_t rank)
{
    size_t pos = 0;
    uint64_t no = 0;
    line l;
    while (next_line(data, len, &pos, &no, &l)) {
        const uint8_t *sp = memchr(l.p, ' ', l.n);
        uint32_t r;
        if (sp && parse_rank(sp + 1, l.n - (size_t)(sp + 1 - l.p), &r) && r == rank)
            return l.no;
    }
    return 0;
}

/* Text for a message: at most 40 bytes, in quotes. */
#define SHOWN(p, n) (int)((n) > 40 ? 40 : (n)), (const char *)(p)

static int parse_ranks(ctok_model *m, const uint8_t *data, size_t len, const char *name,
                       const uint32_t *special_ids, size_t n_special_ids, ctok_diag *diag)
{
    uint8_t table[256];
    b64_table(table);
    uint8_t *buf = NULL;
    size_t buf_cap = 0, pos = 0;
    uint64_t no = 0;
    uint32_t expect = 0; /* the next rank, unless special ids are skipped */
    line l;
    int rc = CTOK_OK;
    while (!rc && next_line(data, len, &pos, &no, &l)) {
        const uint8_t *sp = memchr(l.p, ' ', l.n);
        uint32_t rank;
        if (!sp || !parse_rank(sp + 1, l.n - (size_t)(sp + 1 - l.p), &rank)) {
            rc = ctok__fail(diag, CTOK_EFORMAT, l.no, (uint64_t)(l.p - data),
                            "%s: line %llu: expected 'BASE64 RANK' (a token in base64, a space "
                            "and its rank in decimal), got '%.*s'", name,
                            (unsigned long long)l.no, SHOWN(l.p, l.n));
            break;
        }
        size_t b64_len = (size_t)(sp - l.p);
        rc = ctok__grow(&m->mem, (void **)&buf, &buf_cap, b64_len / 4 * 3 + 3, 1);
        if (rc)
            break;
        size_t bad = 0;
        size_t n = b64_decode(table, l.p, b64_len, buf, &bad);
        if (n == 0) {
            rc = ctok__fail(diag, CTOK_EFORMAT, l.no, (uint64_t)(l.p - data) + bad,
                            "%s: line %llu: invalid base64 '%.*s' (%s)", name,
                            (unsigned long long)l.no, SHOWN(l.p, b64_len),
                            b64_len == 0 ? "empty token"
                            : b64_len % 4 ? "its length is not a multiple of 4"
                                          : "a character outside the alphabet, misplaced "
                                            "padding or non-zero padding bits");
            break;
        }
        if (rank != expect) {
            uint64_t at = (uint64_t)(sp + 1 - data);
            if (expect > 0 && rank == expect - 1)
                rc = ctok__fail(diag, CTOK_EFORMAT, l.no, at,
                                "%s: line %llu: rank %u appears twice (the line before has it "
                                "too)", name, (unsigned long long)l.no, rank);
            else if (rank < expect)
                rc = ctok__fail(diag, CTOK_EFORMAT, l.no, at,
                                "%s: line %llu: rank %u is out of order (it follows rank %u; "
                                "ranks must increase by one)", name, (unsigned long long)l.no,
                                rank, expect - 1);
            else if (count_in(special_ids, n_special_ids, expect, rank) != rank - expect)
                rc = ctok__fail(diag, CTOK_EFORMAT, l.no, at,
                                "%s: line %llu: rank %u leaves a gap (the next rank should be "
                                "%u; only the ids of special tokens may be skipped)", name,
                                (unsigned long long)l.no, rank, expect);
            if (rc)
                break;
        }
        if (n_special_ids && rank >= special_ids[0] && rank <= special_ids[n_special_ids - 1] &&
            count_in(special_ids, n_special_ids, rank, rank + 1)) {
            rc = ctok__fail(diag, CTOK_EFORMAT, l.no, (uint64_t)(sp + 1 - data),
                            "%s: line %llu: rank %u is also given to a special token", name,
                            (unsigned long long)l.no, rank);
            break;
        }
        rc = ctok__model_set_token(m, rank, buf, n, false);
        expect = rank + 1;
    }
    ctok__free(&m->mem, buf);
    if (rc == CTOK_ENOMEM || rc == CTOK_ETOOBIG)
        return ctok__fail(diag, rc, 0, 0, "%s: %s", name, ctok_strerror(rc));
    if (rc)
        return rc;
    for (int b = 0; b < 256; b++)
        if (m->byte_id[b] == CTOK__NO_ID)
            return ctok__fail(diag, CTOK_EFORMAT, 0, len,
                              "%s: no token is the single byte 0x%02X (every byte needs one, or "
                              "some text could not be encoded)", name, b);
    return CTOK_OK;
}

/* After finish: a token that repeats another's bytes makes the file ambiguous. */
static int check_duplicates(const ctok_model *m, const uint8_t *data, size_t len,
                            const char *name, ctok_diag *diag)
{
    uint32_t dup = m->first_duplicate;
    if (dup == CTOK__NO_ID)
        return CTOK_OK;
    uint32_t first = ctok__model_token_id(m, m->arena + m->tok_off[dup], m->tok_len[dup]);
    uint32_t other = first != CTOK__NO_ID ? first : dup;
    uint64_t line_no = line_of_rank(data, len, dup);
    return ctok__fail(diag, CTOK_EFORMAT, line_no, 0,
                      "%s: line %llu: the token of rank %u repeats the token of rank %u (line "
                      "%llu); every token must be different", name, (unsigned long long)line_no,
                      dup, other, (unsigned long long)line_of_rank(data, len, other));
}

static int add_specials(ctok_model *m, const char *name, const ctok_special_token *specials,
                        size_t n_special, ctok_diag *diag)
{
    for (size_t i = 0; i < n_special; i++) {
        const ctok_special_token *s = &specials[i];
        int rc = ctok__model_add_special(m, s->text.ptr, s->text.len, s->id);
        if (rc == CTOK_EINVAL)
            return ctok__fail(diag, CTOK_EFORMAT, 0, 0,
                              "%s: special token '%.*s' has id %u, which is the rank of an "
                              "ordinary token", name, SHOWN(s->text.ptr, s->text.len), s->id);
        if (rc)
            return ctok__fail(diag, rc, 0, 0, "%s: %s", name, ctok_strerror(rc));
    }
    return CTOK_OK;
}

/* The caller's list: non-empty texts, ids below UINT32_MAX; sorted distinct ids out. */
static int check_specials(const ctok_allocator *mem, const char *name,
                          const ctok_special_token *specials, size_t n_special, uint32_t **ids,
                          size_t *n_ids, ctok_diag *diag)
{
    if (n_special && !specials)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "%s: no special token list", name);
    uint32_t *sorted = ctok__alloc(mem, (n_special ? n_special : 1) * sizeof *sorted);
    if (!sorted)
        return ctok__fail(diag, CTOK_ENOMEM, 0, 0, "%s: %s", name, ctok_strerror(CTOK_ENOMEM));
    for (size_t i = 0; i < n_special; i++) {
        if (!specials[i].text.ptr || specials[i].text.len == 0) {
            ctok__free(mem, sorted);
            return ctok__fail(diag, CTOK_EINVAL, 0, 0, "%s: special token %zu is empty", name, i);
        }
        if (specials[i].id >= CTOK_ID_LIMIT) {
            ctok__free(mem, sorted);
            return ctok__fail(diag, CTOK_EINVAL, 0, 0,
                              "%s: special token '%.*s' has the id %u; ids must be below %u",
                              name, SHOWN(specials[i].text.ptr, specials[i].text.len),
                              specials[i].id, CTOK_ID_LIMIT);
        }
        sorted[i] = specials[i].id;
    }
    qsort(sorted, n_special, sizeof *sorted, cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < n_special; i++)
        if (k == 0 || sorted[i] != sorted[k - 1])
            sorted[k++] = sorted[i];
    *ids = sorted;
    *n_ids = k;
    return CTOK_OK;
}

/* Name the two special tokens with the same text (finish refused them). */
static int same_special_text(const ctok_special_token *s, size_t n, const char *name,
                             ctok_diag *diag)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (s[i].text.len == s[j].text.len && !memcmp(s[i].text.ptr, s[j].text.ptr, s[i].text.len))
                return ctok__fail(diag, CTOK_EFORMAT, 0, 0,
                                  "%s: special token '%.*s' is given twice (ids %u and %u)", name,
                                  SHOWN(s[i].text.ptr, s[i].text.len), s[i].id, s[j].id);
    return ctok__fail(diag, CTOK_EFORMAT, 0, 0, "%s: two special tokens have the same text", name);
}

int ctok__tiktoken_build(const uint8_t *data, size_t len, const char *name, const char *pattern,
                         const ctok_special_token *specials, size_t n_special,
                         const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag)
{
    ctok_model *m = NULL;
    uint32_t *special_ids = NULL;
    size_t n_special_ids = 0;
    int rc = ctok__model_new(alloc, CTOK_MODEL_BPE, &m);
    if (rc)
        return ctok__fail(diag, rc, 0, 0, "%s: %s", name, ctok_strerror(rc));
    rc = check_specials(&m->mem, name, specials, n_special, &special_ids, &n_special_ids, diag);
    /* one id per line (a count of newlines is cheap next to parsing); tokens take at most 3/4
     * of the file */
    size_t n_lines = 1;
    for (const uint8_t *p = data, *end = data + len; p < end; n_lines++) {
        p = memchr(p, '\n', (size_t)(end - p));
        if (!p)
            break;
        p++;
    }
    size_t max_special = n_special_ids ? special_ids[n_special_ids - 1] + (size_t)1 : 0;
    size_t special_bytes = 0;
    for (size_t i = 0; !rc && i < n_special; i++)
        special_bytes += specials[i].text.len;
    if (!rc) {
        rc = ctok__model_reserve(m, n_lines > max_special ? n_lines : max_special,
                                 len / 4 * 3 + special_bytes);
        if (rc)
            ctok__fail(diag, rc, 0, 0, "%s: %s", name, ctok_strerror(rc));
    }
    if (!rc)
        rc = parse_ranks(m, data, len, name, special_ids, n_special_ids, diag);
    ctok__free(&m->mem, special_ids);
    if (!rc)
        rc = add_specials(m, name, specials, n_special, diag);
    if (!rc && pattern && *pattern)
        rc = ctok__model_set_pattern(m, (const uint8_t *)pattern, strlen(pattern), diag);
    if (!rc) {
        rc = ctok__model_finish(m, true);
        if (rc == CTOK_EINVAL)
            rc = same_special_text(specials, n_special, name, diag);
        else if (rc)
            ctok__fail(diag, rc, 0, 0, "%s: %s", name, ctok_strerror(rc));
    }
    if (!rc)
        rc = check_duplicates(m, data, len, name, diag);
    if (rc) {
        ctok_model_free(m);
        return rc;
    }
    *out = m;
    return CTOK_OK;
}

int ctok_model_load_tiktoken_memory(const uint8_t *data, size_t len, const char *name,
                                    const char *pattern, const ctok_special_token *specials,
                                    size_t n_special, const ctok_allocator *alloc,
                                    ctok_model **out, ctok_diag *diag)
{
    if ((!data && len) || !out)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    return ctok__tiktoken_build(data, len, name ? name : "rank file", pattern, specials,
                                n_special, alloc, out, diag);
}

int ctok_model_load_tiktoken(const char *path, const char *pattern,
                             const ctok_special_token *specials, size_t n_special,
                             const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag)
{
    if (!path || !out)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    ctok_allocator mem;
    ctok__mem_init(&mem, alloc);
    uint8_t *data;
    size_t len;
    int rc = ctok__read_file(&mem, path, &data, &len, diag);
    if (rc)
        return rc;
    rc = ctok__tiktoken_build(data, len, path, pattern, specials, n_special, alloc, out, diag);
    ctok__free(&mem, data);
    return rc;
}
