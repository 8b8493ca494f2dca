/*
 * ref_split.c - the reference chunking (see ref.h): minbpe's BasicTokenizer keeps the text
 * whole; its RegexTokenizer takes re.findall(pattern, text).  Here findall is PCRE2 called
 * directly in a loop, with Python's rule for empty matches, and nothing else: no special cases
 * for invalid UTF-8 (refused) and no gap covering (text between matches is dropped).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "ref.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void push(ref_chunks *c, const uint8_t *p, size_t n)
{
    if ((c->n & (c->n - 1)) == 0) { /* grow at 0, 1, 2, 4, 8, ... chunks */
        c->ptr = realloc(c->ptr, (c->n ? 2 * c->n : 1) * sizeof *c->ptr);
        c->len = realloc(c->len, (c->n ? 2 * c->n : 1) * sizeof *c->len);
    }
    uint8_t *copy = malloc(n ? n : 1);
    if (!c->ptr || !c->len || !copy) {
        fprintf(stderr, "ref: out of memory\n");
        abort();
    }
    memcpy(copy, p, n);
    c->ptr[c->n] = copy;
    c->len[c->n] = n;
    c->n++;
}

void ref_chunks_basic(const uint8_t *text, size_t len, ref_chunks *out)
{
    memset(out, 0, sizeof *out);
    if (len > 0)
        push(out, text, len);
}

int ref_chunks_regex(const char *pattern, const uint8_t *text, size_t len, ref_chunks *out)
{
    memset(out, 0, sizeof *out);
    int err;
    PCRE2_SIZE err_off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP, &err, &err_off, NULL);
    if (!re)
        return -1;
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* only faster: the interpreter if it fails */
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int status = 0;
    size_t pos = 0;
    uint32_t opts = 0; /* PCRE2_NOTEMPTY_ATSTART right after an empty match (Python 3.7+) */
    while (pos <= len) {
        int rc = pcre2_match(re, text, len, pos, opts, md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0) { /* invalid UTF-8 or a matching limit */
            status = -1;
            break;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[1] > ov[0])
            push(out, text + ov[0], ov[1] - ov[0]);
        /* findall would list an empty match as "", which has no bytes and no pairs: skip it */
        opts = ov[1] == ov[0] ? PCRE2_NOTEMPTY_ATSTART : 0;
        opts |= PCRE2_NO_UTF_CHECK; /* checked by the first call; rechecking is quadratic */
        pos = ov[1];
    }
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    if (status != 0)
        ref_chunks_free(out);
    return status;
}

void ref_chunks_free(ref_chunks *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->ptr[i]);
    free(c->ptr);
    free(c->len);
    memset(c, 0, sizeof *c);
}
