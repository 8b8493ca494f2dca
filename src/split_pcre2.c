/*
 * split_pcre2.c - the general pre-tokenizer: any split pattern, matched with PCRE2 (JIT when
 * available), with Python's findall iteration rules (an empty match is retried as non-empty
 * before moving on by one character).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "split.h"

#include <pcre2.h>
#include <stdio.h>

struct ctok__splitter {
    ctok_allocator mem;
    pcre2_code *code;
    bool jit;
};

struct ctok__split_scratch {
    pcre2_match_data *md;
};

int ctok__splitter_new(const ctok_allocator *m, const uint8_t *pattern, size_t len,
                       ctok__splitter **out, ctok_diag *diag)
{
    ctok__splitter *sp = ctok__calloc(m, 1, sizeof *sp);
    if (!sp)
        return CTOK_ENOMEM;
    ctok__mem_init(&sp->mem, m);
    int err = 0;
    PCRE2_SIZE err_off = 0;
    sp->code = pcre2_compile(pattern, len, PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &err,
                             &err_off, NULL);
    if (!sp->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        ctok__free(m, sp);
        return ctok__fail(diag, CTOK_EPATTERN, 0, err_off,
                          "invalid split pattern at offset %zu: %s", (size_t)err_off,
                          (const char *)msg);
    }
    sp->jit = pcre2_jit_compile(sp->code, PCRE2_JIT_COMPLETE) == 0;
    *out = sp;
    return CTOK_OK;
}

void ctok__splitter_free(ctok__splitter *sp)
{
    if (!sp)
        return;
    pcre2_code_free(sp->code);
    ctok_allocator m = sp->mem;
    ctok__free(&m, sp);
}

int ctok__split_scratch_new(const ctok__splitter *sp, ctok__split_scratch **out)
{
    ctok__split_scratch *s = ctok__calloc(&sp->mem, 1, sizeof *s);
    if (!s)
        return CTOK_ENOMEM;
    s->md = pcre2_match_data_create_from_pattern(sp->code, NULL);
    if (!s->md) {
        ctok__free(&sp->mem, s);
        return CTOK_ENOMEM;
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
            return CTOK_EPATTERN; /* match limit or similar */
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

int ctok__split_next(ctok__split_iter *it, size_t *start, size_t *end)
{
    for (;;) {
        if (it->pos >= it->len)
            return 0;
        if (it->pos == it->run_end) {
            size_t valid = ctok__utf8_valid_prefix(it->text + it->pos, it->len - it->pos);
            if (valid == 0) {
                /* a run of invalid bytes is one piece */
                size_t e = it->pos;
                do
                    e += ctok__utf8_invalid_len(it->text + e, it->len - e);
                while (e < it->len && ctok__utf8_valid_prefix(it->text + e, it->len - e) == 0);
                *start = it->pos;
                *end = e;
                it->pos = it->run_end = e;
                return 1;
            }
            it->run_start = it->match_pos = it->pos;
            it->run_end = it->pos + valid;
            it->has_next = false;
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
