/*
 * export_common.c - what the exporters share: an output buffer that is written to a temporary
 * name and renamed when complete (an interrupted export never leaves a file that looks whole),
 * and the checks that decide whether a model can be written in another tool's format at all.
 */
#include "atomic_file.h"
#include "export.h"

void ctok__outbuf_init(ctok__outbuf *o, const ctok_allocator *mem)
{
    memset(o, 0, sizeof *o);
    o->mem = mem;
}

void ctok__outbuf_free(ctok__outbuf *o)
{
    ctok__free(o->mem, o->data);
    o->data = NULL;
    o->len = o->cap = 0;
}

void ctok__outbuf_put(ctok__outbuf *o, const void *p, size_t n)
{
    if (o->failed || n == 0)
        return;
    if (n > SIZE_MAX - o->len) {
        o->failed = CTOK_ETOOBIG;
        return;
    }
    int rc = ctok__grow(o->mem, (void **)&o->data, &o->cap, o->len + n, 1);
    if (rc) {
        o->failed = rc;
        return;
    }
    memcpy(o->data + o->len, p, n);
    o->len += n;
}

void ctok__outbuf_str(ctok__outbuf *o, const char *s) { ctok__outbuf_put(o, s, strlen(s)); }

void ctok__outbuf_u64(ctok__outbuf *o, uint64_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    ctok__outbuf_put(o, tmp + sizeof tmp - n, (size_t)n);
}

void ctok__outbuf_json(ctok__outbuf *o, const uint8_t *text, size_t len)
{
    size_t need = 0;
    ctok_json_quote(text, len, NULL, 0, &need);
    if (o->failed)
        return;
    int rc = ctok__grow(o->mem, (void **)&o->data, &o->cap, o->len + need, 1);
    if (rc) {
        o->failed = rc;
        return;
    }
    size_t n = 0;
    ctok_json_quote(text, len, o->data + o->len, o->cap - o->len, &n);
    o->len += n;
}

int ctok__outbuf_commit(const ctok__outbuf *o, const char *path, ctok_diag *diag)
{
    if (o->failed)
        return ctok__fail(diag, o->failed, 0, 0, "%s: %s", path, ctok_strerror(o->failed));
    ctok__atomic_file file;
    int rc = ctok__atomic_open(&file, path, diag);
    if (rc)
        return rc;
    if (o->len)
        fwrite(o->data, 1, o->len, file.f);
    return ctok__atomic_close(&file, CTOK_OK, diag);
}

uint32_t ctok__export_n_ordinary(const ctok_model *m)
{
    uint32_t n = 0;
    for (uint32_t id = 0; id < m->n_vocab; id++)
        if (m->tok_len[id] && !m->tok_special[id])
            n = id + 1;
    return n;
}

int ctok__export_check(const ctok_model *m, const char *what, ctok_diag *diag)
{
    if (m->kind != CTOK_MODEL_BPE)
        return ctok__fail(diag, CTOK_EUNSUPPORTED, 0, 0,
                          "%s needs a byte-level BPE model; this is a character-level model",
                          what);
    if (m->first_duplicate != CTOK__NO_ID) {
        uint32_t dup = m->first_duplicate;
        const uint8_t *p = m->arena + m->tok_off[dup];
        uint32_t first = ctok__model_token_id(m, p, m->tok_len[dup]);
        return ctok__fail(diag, CTOK_EUNSUPPORTED, 0, dup,
                          "%s is not possible: ids %u and %u are the same bytes '%.*s' (a rank "
                          "file and a vocabulary name each token once)", what,
                          first != CTOK__NO_ID ? first : dup, dup,
                          CTOK__SHOWN(p, m->tok_len[dup]));
    }
    for (int b = 0; b < 256; b++)
        if (m->byte_id[b] == CTOK__NO_ID)
            return ctok__fail(diag, CTOK_EUNSUPPORTED, 0, 0,
                              "%s is not possible: the byte 0x%02X is not a token", what, b);
    uint32_t n = ctok__export_n_ordinary(m);
    for (uint32_t id = 0; id < n; id++)
        if (!m->tok_len[id])
            return ctok__fail(diag, CTOK_EUNSUPPORTED, 0, id,
                              "%s is not possible: id %u is unused, below ordinary ids (a gap in "
                              "the ranks may only be a special token's id)", what, id);
    return CTOK_OK;
}

int ctok__export_check_text(const ctok_model *m, const char *what, ctok_diag *diag)
{
    if (ctok__utf8_valid_prefix(m->pattern, m->pattern_len) != m->pattern_len)
        return ctok__fail(diag, CTOK_EUNSUPPORTED, 0, 0,
                          "%s is not possible: the split pattern is not valid UTF-8", what);
    for (size_t i = 0; i < m->n_special; i++) {
        const uint8_t *p = m->arena + m->special_off[i];
        size_t n = m->special_len[i];
        if (ctok__utf8_valid_prefix(p, n) != n)
            return ctok__fail(diag, CTOK_EUNSUPPORTED, 0, m->special_ids[i],
                              "%s is not possible: special token %u is not valid UTF-8 text "
                              "(JSON holds text)", what, m->special_ids[i]);
    }
    return CTOK_OK;
}
