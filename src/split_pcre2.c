/*
 * split_pcre2.c - the pre-tokenizer: the hand-written scanner (pretok.c) for a built-in split
 * pattern, PCRE2 (JIT when available) for any other, with Python's findall iteration rules (an
 * empty match is retried as non-empty before moving on by one character).
 *
 * tiktoken's patterns are Rust regex (fancy-regex) patterns, where \s is Unicode White_Space and
 * \p{..} follows Unicode 16.0.  PCRE2 means other things (its \s includes U+180E; 10.42's tables
 * are Unicode 14), so before compiling, translate() rewrites \s \S \d \D \p{..} \P{..} (general
 * categories, White_Space, Any), inside and outside character classes, into explicit code point
 * classes from our own tables (unicode.h); $ means the end of the text only
 * (PCRE2_DOLLAR_ENDONLY) and . excludes only \n, as in Rust.  PCRE2_UCP stays for (?i), which
 * folds case as Rust does for these patterns (s ~ S ~ U+017F).  Left to PCRE2 as they are: \w \b
 * (Unicode 14 and PCRE2's definition), scripts such as \p{Greek}, and Rust-only class syntax
 * (nested classes, && -- ~~), which PCRE2 reads differently or rejects.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "split.h"

#include "pretok.h"
#include "unicode.h"

#include <pcre2.h>
#include <stdio.h>

struct ctok__splitter {
    ctok_allocator mem;
    ctok__pretok_kind kind; /* a hand-written scanner, or CTOK__PRETOK_NONE for PCRE2 */
    pcre2_general_context *gctx;
    pcre2_code *code;
    bool jit;
};

struct ctok__split_scratch {
    pcre2_match_data *md; /* NULL for a scanner */
};

/* ---- pattern translation ---- */

typedef struct outbuf {
    const ctok_allocator *m;
    uint8_t *p;
    size_t n, cap;
    int err;
} outbuf;

static void put(outbuf *o, const void *s, size_t n)
{
    if (o->err)
        return;
    if ((o->err = ctok__grow(o->m, (void **)&o->p, &o->cap, o->n + n + 1, 1)) != 0)
        return;
    memcpy(o->p + o->n, s, n);
    o->n += n;
    o->p[o->n] = 0;
}

static void put_str(outbuf *o, const char *s) { put(o, s, strlen(s)); }

static void put_range(void *ctx, uint32_t lo, uint32_t hi)
{
    char tmp[32];
    int n = lo == hi ? snprintf(tmp, sizeof tmp, "\\x{%X}", (unsigned)lo)
                     : snprintf(tmp, sizeof tmp, "\\x{%X}-\\x{%X}", (unsigned)lo, (unsigned)hi);
    put(ctx, tmp, (size_t)n);
}

/* If p[i] starts \s \S \d \D \p{NAME} \P{NAME} \pX \PX (or PCRE2's \p{^NAME}) with a name
 * unicode.c knows, set *mask to its set and *next past it. */
static bool property_escape(const uint8_t *p, size_t len, size_t i, uint64_t *mask, size_t *next)
{
    if (i + 1 >= len || p[i] != '\\')
        return false;
    uint8_t c = p[i + 1];
    bool negate = c == 'S' || c == 'D' || c == 'P';
    if (c == 's' || c == 'S') {
        *mask = ctok__umask_space();
        *next = i + 2;
    } else if (c == 'd' || c == 'D') {
        *mask = ctok__umask_cats(1u << CTOK__UCAT_ND);
        *next = i + 2;
    } else if (c == 'p' || c == 'P') {
        size_t a = i + 2, b; /* the name is p[a .. b) */
        if (a >= len)
            return false;
        if (p[a] == '{') {
            a++;
            for (b = a; b < len && p[b] != '}'; b++)
                ;
            if (b >= len)
                return false;
            *next = b + 1;
            if (a < b && p[a] == '^') {
                negate = !negate;
                a++;
            }
        } else {
            b = a + 1;
            *next = b;
        }
        if (!ctok__unicode_property((const char *)p + a, b - a, mask))
            return false;
    } else {
        return false;
    }
    if (negate)
        *mask = ~*mask & CTOK__UMASK_VALID;
    return true;
}

/* The length of the escape at p[i] == '\\' to copy unchanged (\Q..\E whole, \cX three bytes). */
static size_t escape_len(const uint8_t *p, size_t len, size_t i)
{
    if (i + 1 >= len)
        return 1;
    if (p[i + 1] == 'Q') {
        for (size_t k = i + 2; k + 1 < len; k++)
            if (p[k] == '\\' && p[k + 1] == 'E')
                return k + 2 - i;
        return len - i;
    }
    if (p[i + 1] == 'c' && i + 2 < len)
        return 3;
    return 2;
}

/* Put the ranges of mask as class items; false if there are none. */
static bool put_ranges(outbuf *o, uint64_t mask)
{
    size_t before = o->n;
    ctok__unicode_ranges(mask, put_range, o);
    return o->n > before;
}

#define NOTHING "[^\\x{0}-\\x{10FFFF}]" /* a class that matches no character */
#define ANYTHING "[\\x{0}-\\x{10FFFF}]"

/* Translate the character class at p[i] == '['; returns the position after it.  The class's
 * property items become one merged range list, put first; its other items are copied after. */
static size_t translate_class(outbuf *o, const uint8_t *p, size_t len, size_t i, size_t *map)
{
    size_t start = i++;
    bool negated = i < len && p[i] == '^';
    if (negated)
        i++;
    outbuf rest = {o->m, NULL, 0, 0, 0}, ranges = {o->m, NULL, 0, 0, 0};
    uint64_t mask = 0;
    bool first = true;
    while (i < len && (p[i] != ']' || first)) {
        size_t next;
        uint64_t item;
        if (p[i] == ']') { /* a leading ] is a literal */
            put_str(&rest, "\\]");
            next = i + 1;
        } else if (property_escape(p, len, i, &item, &next)) {
            mask |= item;
        } else if (p[i] == '\\') {
            next = i + escape_len(p, len, i);
            put(&rest, p + i, next - i);
        } else if (p[i] == '[' && i + 1 < len &&
                   (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '=')) {
            /* POSIX [:name:] (and [.x.] [=x=]): copy through the closing ":]" */
            next = i + 2;
            while (next + 1 < len && !(p[next] == p[i + 1] && p[next + 1] == ']'))
                next++;
            next = next + 1 < len ? next + 2 : len;
            put(&rest, p + i, next - i);
        } else {
            next = i + 1;
            put(&rest, p + i, 1);
        }
        first = false;
        i = next;
    }
    bool closed = i < len;
    if (closed)
        i++;
    for (size_t k = start; k < i; k++)
        map[k] = o->n;
    bool any_ranges = put_ranges(&ranges, mask);
    if (!any_ranges && rest.n == 0 && closed) {
        put_str(o, negated ? ANYTHING : NOTHING);
    } else {
        put_str(o, negated ? "[^" : "[");
        if (any_ranges)
            put(o, ranges.p, ranges.n);
        if (rest.n)
            put(o, rest.p, rest.n);
        if (closed) /* an unclosed class is left for PCRE2 to report */
            put_str(o, "]");
    }
    if (rest.err || ranges.err)
        o->err = CTOK_ENOMEM;
    ctok__free(o->m, rest.p);
    ctok__free(o->m, ranges.p);
    return i;
}

/* Rewrite pattern[0..len) for PCRE2 (see the top of the file).  map[i] (len + 1 entries) gets
 * the output offset of input byte i, to report compile errors in the caller's terms. */
static int translate(outbuf *o, const uint8_t *p, size_t len, size_t *map)
{
    size_t i = 0;
    while (i < len && !o->err) {
        size_t next;
        uint64_t mask;
        size_t at = o->n;
        if (p[i] == '[') {
            i = translate_class(o, p, len, i, map);
            continue;
        }
        if (property_escape(p, len, i, &mask, &next)) {
            outbuf ranges = {o->m, NULL, 0, 0, 0};
            if (put_ranges(&ranges, mask)) {
                put_str(o, "[");
                put(o, ranges.p, ranges.n);
                put_str(o, "]");
            } else {
                put_str(o, NOTHING);
            }
            if (ranges.err)
                o->err = ranges.err;
            ctok__free(o->m, ranges.p);
        } else if (p[i] == '\\') {
            next = i + escape_len(p, len, i);
            put(o, p + i, next - i);
        } else if (p[i] == '(' && i + 2 < len && p[i + 1] == '?' && p[i + 2] == '#') {
            for (next = i; next < len && p[next] != ')'; next++) /* (?#comment) */
                ;
            next = next < len ? next + 1 : len;
            put(o, p + i, next - i);
        } else {
            next = i + 1;
            put(o, p + i, 1);
        }
        for (size_t k = i; k < next; k++)
            map[k] = at;
        i = next;
    }
    map[len] = o->n;
    if (!o->err && !o->p)
        put(o, "", 0);
    return o->err;
}

int ctok__split_translate(const ctok_allocator *m, const uint8_t *pattern, size_t len,
                          uint8_t **out, size_t *out_len)
{
    size_t *map = ctok__calloc(m, len + 1, sizeof *map);
    if (!map)
        return CTOK_ENOMEM;
    outbuf o = {m, NULL, 0, 0, 0};
    int rc = translate(&o, pattern, len, map);
    ctok__free(m, map);
    if (rc) {
        ctok__free(m, o.p);
        return rc;
    }
    *out = o.p;
    *out_len = o.n;
    return CTOK_OK;
}

/* ---- compiling ---- */

static void *pcre2_alloc_cb(PCRE2_SIZE size, void *data) { return ctok__alloc(data, size); }
static void pcre2_free_cb(void *p, void *data) { ctok__free(data, p); }

static int compile_pcre2(ctok__splitter *sp, const uint8_t *pattern, size_t len, ctok_diag *diag)
{
    const ctok_allocator *m = &sp->mem;
    size_t *map = ctok__calloc(m, len + 1, sizeof *map);
    if (!map)
        return ctok__fail(diag, CTOK_ENOMEM, 0, 0, "out of memory");
    outbuf o = {m, NULL, 0, 0, 0};
    int rc = translate(&o, pattern, len, map);
    pcre2_compile_context *cctx = NULL;
    if (!rc) {
        sp->gctx = pcre2_general_context_create(pcre2_alloc_cb, pcre2_free_cb, &sp->mem);
        cctx = sp->gctx ? pcre2_compile_context_create(sp->gctx) : NULL;
        rc = cctx ? CTOK_OK : CTOK_ENOMEM;
    }
    int err = 0;
    PCRE2_SIZE err_off = 0;
    if (!rc) {
        pcre2_set_newline(cctx, PCRE2_NEWLINE_LF); /* Rust: . excludes \n only */
        sp->code = pcre2_compile(o.p, o.n,
                                 PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK | PCRE2_DOLLAR_ENDONLY,
                                 &err, &err_off, cctx);
        if (!sp->code)
            rc = err == PCRE2_ERROR_NOMEMORY || err == PCRE2_ERROR_HEAP_FAILED ? CTOK_ENOMEM
                                                                                  : CTOK_EPATTERN;
    }
    pcre2_compile_context_free(cctx);
    ctok__free(m, o.p);
    if (rc == CTOK_EPATTERN) {
        size_t at = 0; /* the last input byte whose translation starts at or before the error */
        while (at < len && map[at + 1] <= err_off)
            at++;
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        rc = ctok__fail(diag, CTOK_EPATTERN, 0, at, "invalid split pattern at offset %zu: %s", at,
                        (const char *)msg);
    } else if (rc) {
        rc = ctok__fail(diag, rc, 0, 0, "out of memory");
    }
    ctok__free(m, map);
    if (!rc)
        sp->jit = pcre2_jit_compile(sp->code, PCRE2_JIT_COMPLETE) == 0;
    return rc;
}

int ctok__splitter_new_engine(const ctok_allocator *m, const uint8_t *pattern, size_t len,
                              bool force_pcre2, ctok__splitter **out, ctok_diag *diag)
{
    /* PCRE2 is told the pattern is valid UTF-8 (it crashes on invalid input otherwise) */
    size_t valid = ctok__utf8_valid_prefix(pattern, len);
    if (valid < len)
        return ctok__fail(diag, CTOK_EPATTERN, 0, valid,
                          "the split pattern is not valid UTF-8 (byte 0x%02X at offset %zu)",
                          pattern[valid], valid);
    ctok__splitter *sp = ctok__calloc(m, 1, sizeof *sp);
    if (!sp)
        return ctok__fail(diag, CTOK_ENOMEM, 0, 0, "out of memory");
    ctok__mem_init(&sp->mem, m);
    sp->kind = force_pcre2 ? CTOK__PRETOK_NONE : ctok__pretok_lookup(pattern, len);
    if (sp->kind == CTOK__PRETOK_NONE) {
        int rc = compile_pcre2(sp, pattern, len, diag);
        if (rc) {
            ctok__splitter_free(sp);
            return rc;
        }
    }
    *out = sp;
    return CTOK_OK;
}

int ctok__splitter_new(const ctok_allocator *m, const uint8_t *pattern, size_t len,
                       ctok__splitter **out, ctok_diag *diag)
{
    return ctok__splitter_new_engine(m, pattern, len, false, out, diag);
}

ctok__pretok_kind ctok__splitter_kind(const ctok__splitter *sp) { return sp->kind; }

void ctok__splitter_free(ctok__splitter *sp)
{
    if (!sp)
        return;
    pcre2_code_free(sp->code);
    pcre2_general_context_free(sp->gctx);
    ctok_allocator m = sp->mem;
    ctok__free(&m, sp);
}

int ctok__split_scratch_new(const ctok__splitter *sp, ctok__split_scratch **out)
{
    ctok__split_scratch *s = ctok__calloc(&sp->mem, 1, sizeof *s);
    if (!s)
        return CTOK_ENOMEM;
    if (sp->code) {
        s->md = pcre2_match_data_create_from_pattern(sp->code, NULL);
        if (!s->md) {
            ctok__free(&sp->mem, s);
            return CTOK_ENOMEM;
        }
    }
    *out = s;
    return CTOK_OK;
}

void ctok__split_scratch_free(const ctok__splitter *sp, ctok__split_scratch *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md);
    ctok__free(&sp->mem, s);
}

/* ---- iterating ---- */

void ctok__split_begin(ctok__split_iter *it, const ctok__splitter *sp,
                       ctok__split_scratch *scratch, const uint8_t *text, size_t len,
                       bool cover_gaps)
{
    memset(it, 0, sizeof *it);
    it->sp = sp;
    it->scratch = scratch;
    it->text = text;
    it->len = len;
    it->cover_gaps = cover_gaps;
}

/* One match in the valid run [run_start, run_end) at or after it->match_pos. */
static int find_match(ctok__split_iter *it, size_t run_start, size_t *ms, size_t *me)
{
    const uint8_t *subject = it->text + run_start;
    size_t sub_len = it->run_end - run_start;
    size_t at = it->match_pos - run_start;
    uint32_t opts = PCRE2_NO_UTF_CHECK;
    for (;;) {
        if (at > sub_len)
            return 0;
        int rc = pcre2_match(it->sp->code, subject, sub_len, at, opts, it->scratch->md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH) {
            if (!(opts & PCRE2_NOTEMPTY_ATSTART))
                return 0;
            /* the empty match could not be extended: step over one character */
            uint32_t cp;
            size_t step = at < sub_len ? ctok__utf8_decode(subject + at, sub_len - at, &cp) : 1;
            at += step ? step : 1;
            opts = PCRE2_NO_UTF_CHECK;
            continue;
        }
        if (rc < 0)
            return rc == PCRE2_ERROR_NOMEMORY ? CTOK_ENOMEM : CTOK_EPATTERN; /* match limit .. */
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(it->scratch->md);
        if (ov[1] == ov[0]) {
            /* empty match: retry at the same place, non-empty and anchored (Perl/Python rule) */
            at = ov[0];
            opts = PCRE2_NO_UTF_CHECK | PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED;
            continue;
        }
        *ms = run_start + ov[0];
        *me = run_start + ov[1];
        return 1;
    }
}

/* The rest of ctok__split_next (split.h): a new run, a new batch of scanner pieces, or the next
 * PCRE2 match. */
int ctok__split_next_slow(ctok__split_iter *it, size_t *start, size_t *end)
{
    for (;;) {
        if (it->pos >= it->len)
            return 0;
        if (it->pos == it->run_end) {
            size_t valid = ctok__utf8_valid_prefix(it->text + it->pos, it->len - it->pos);
            if (valid == 0) {
                /* a run of invalid bytes is one piece; it ends where a valid character starts
                 * (one character decoded, not the valid run after it measured: that is done
                 * once, above, when the run begins) */
                size_t e = it->pos;
                uint32_t cp;
                do
                    e += ctok__utf8_invalid_len(it->text + e, it->len - e);
                while (e < it->len && ctok__utf8_decode(it->text + e, it->len - e, &cp) == 0);
                *start = it->pos;
                *end = e;
                it->pos = it->run_end = e;
                return 1;
            }
            it->run_start = it->match_pos = it->pos;
            it->run_end = it->pos + valid;
            it->has_next = false;
            it->batch_i = it->batch_n = 0;
        }
        if (it->sp->kind != CTOK__PRETOK_NONE) {
            /* a scanner: every position starts a non-empty match, so there are no gaps; the
             * pieces of the run are found a batch at a time (the last one ends the run) */
            it->batch_n = (uint32_t)ctok__pretok_pieces(
                it->sp->kind, it->text + it->run_start, it->run_end - it->run_start,
                it->pos - it->run_start, it->batch, CTOK__SPLIT_BATCH);
            it->batch_i = 0;
            *start = it->pos;
            *end = it->run_start + it->batch[it->batch_i++];
            it->pos = *end;
            return 1;
        }
        if (!it->has_next) {
            int rc = find_match(it, it->run_start, &it->next_start, &it->next_end);
            if (rc < 0)
                return rc;
            if (rc == 0)
                it->next_start = it->next_end = it->run_end;
            it->has_next = true;
        }
        if (it->pos < it->next_start) {
            size_t gap_start = it->pos;
            it->pos = it->next_start;
            if (it->cover_gaps) {
                *start = gap_start;
                *end = it->next_start;
                return 1;
            }
        }
        if (it->next_start == it->next_end) { /* no further match in this run */
            it->pos = it->run_end;
            continue;
        }
        *start = it->next_start;
        *end = it->next_end;
        it->pos = it->match_pos = it->next_end;
        it->has_next = false;
        return 1;
    }
}
