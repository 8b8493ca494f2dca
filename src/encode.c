/*
 * encode.c - text to token ids: special tokens with tiktoken's allowed/disallowed semantics,
 * pre-tokenization by the model's split pattern, then byte-pair merging of each piece; and the
 * character models' code-point lookup.
 */
#include "bpe.h"

#include <stdio.h>

struct ctok_encoder {
    const ctok_model *model;
    ctok__split_scratch *split;
    ctok__bpe_scratch bpe;
    uint8_t *special_flags; /* per special token: ALLOWED / DISALLOWED for this call */
};

enum { ALLOWED = 1, DISALLOWED = 2 };

int ctok_encoder_new(const ctok_model *model, ctok_encoder **out)
{
    if (!model || !out)
        return CTOK_EINVAL;
    ctok_encoder *e = ctok__calloc(&model->mem, 1, sizeof *e);
    if (!e)
        return CTOK_ENOMEM;
    e->model = model;
    int rc = CTOK_OK;
    if (model->splitter)
        rc = ctok__split_scratch_new(model->splitter, &e->split);
    if (!rc && model->n_special) {
        e->special_flags = ctok__alloc(&model->mem, model->n_special);
        if (!e->special_flags)
            rc = CTOK_ENOMEM;
    }
    if (rc) {
        ctok_encoder_free(e);
        return rc;
    }
    *out = e;
    return CTOK_OK;
}

void ctok_encoder_free(ctok_encoder *e)
{
    if (!e)
        return;
    const ctok_model *m = e->model;
    ctok__split_scratch_free(m->splitter, e->split);
    ctok__bpe_scratch_free(&m->mem, &e->bpe);
    ctok__free(&m->mem, e->special_flags);
    ctok__free(&m->mem, e);
}

/* ---- character models ---- */

static int encode_chars(const ctok_model *m, const uint8_t *text, size_t len, uint32_t *ids,
                        size_t cap, size_t *n_ids, ctok_diag *diag)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = ctok__utf8_decode(text + i, len - i, &cp);
        if (k == 0)
            return ctok__fail(diag, CTOK_EUTF8, 0, i,
                              "invalid UTF-8 (byte 0x%02X)", text[i]);
        uint32_t id = ctok__model_char_id(m, cp);
        if (id == CTOK__NO_ID) {
            if (cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0))
                return ctok__fail(diag, CTOK_EUNKNOWN_CHAR, 0, i,
                                  "character '%.*s' (U+%04X) is not in the vocabulary", (int)k,
                                  (const char *)text + i, cp);
            return ctok__fail(diag, CTOK_EUNKNOWN_CHAR, 0, i,
                              "character U+%04X is not in the vocabulary", cp);
        }
        if (n == cap)
            return ctok__fail(diag, CTOK_EBUFFER, 0, i, "output buffer of %zu ids is too small",
                              cap);
        ids[n++] = id;
        i += k;
    }
    *n_ids = n;
    return CTOK_OK;
}

/* ---- special tokens ---- */

static void mark_set(const ctok_model *m, uint8_t *flags, const ctok_special_set *set,
                     uint8_t flag)
{
    if (set->all) {
        for (size_t i = 0; i < m->n_special; i++)
            flags[i] |= flag;
        return;
    }
    for (size_t j = 0; j < set->n; j++) {
        const uint32_t *idx =
            ctok__bytesmap_get(&m->special_by_bytes, m->arena, set->items[j].ptr, set->items[j].len);
        if (idx)
            flags[*idx] |= flag;
    }
}

/* tiktoken: disallowed "all" means every special token that is not allowed. */
static bool resolve_specials(const ctok_model *m, uint8_t *flags, const ctok_encode_options *o)
{
    static const ctok_encode_options defaults = {{0, NULL, 0}, {1, NULL, 0}};
    if (!o)
        o = &defaults;
    memset(flags, 0, m->n_special);
    mark_set(m, flags, &o->allowed, ALLOWED);
    bool any = false;
    for (size_t i = 0; i < m->n_special; i++) {
        if (o->disallowed.all ? !(flags[i] & ALLOWED) : false)
            flags[i] |= DISALLOWED;
        any |= flags[i] != 0;
    }
    if (!o->disallowed.all)
        mark_set(m, flags, &o->disallowed, DISALLOWED);
    for (size_t i = 0; i < m->n_special; i++)
        any |= flags[i] != 0;
    return any;
}

/* The leftmost (longest at that place) special token in text[from..len) whose flags include
 * want.  Returns its start or len if none; *index gets its index in special_ids. */
static size_t find_special(const ctok_model *m, const uint8_t *flags, uint8_t want,
                           const uint8_t *text, size_t len, size_t from, size_t *index)
{
    size_t max_len = m->special_max_len;
    for (size_t i = from; i < len; i++) {
        size_t room = len - i < max_len ? len - i : max_len;
        for (size_t l = room; l >= 1; l--) {
            if (l < 256 && !(m->special_len_mask[l / 32] & (1u << (l % 32))))
                continue;
            const uint32_t *idx = ctok__bytesmap_get(&m->special_by_bytes, m->arena, text + i, l);
            if (idx && (flags[*idx] & want)) {
                *index = *idx;
                return i;
            }
        }
    }
    return len;
}

/* ---- ordinary text ---- */

static int emit_piece(ctok_encoder *e, const uint8_t *p, size_t n, uint32_t *ids, size_t cap,
                      size_t *count, ctok_diag *diag, size_t offset)
{
    const ctok_model *m = e->model;
    const uint32_t *piece_ids;
    size_t k;
    uint32_t single;
    const uint32_t *whole =
        m->whole_piece_lookup ? ctok__bytesmap_get(&m->id_by_bytes, m->arena, p, n) : NULL;
    if (whole) {
        single = *whole;
        piece_ids = &single;
        k = 1;
    } else if (n == 1) {
        single = m->byte_id[p[0]];
        piece_ids = &single;
        k = 1;
    } else {
        int rc = ctok__bpe_encode_piece(m, &e->bpe, p, n, &piece_ids, &k);
        if (rc)
            return ctok__fail(diag, rc, 0, offset, "%s", ctok_strerror(rc));
    }
    if (k > cap - *count)
        return ctok__fail(diag, CTOK_EBUFFER, 0, offset, "output buffer of %zu ids is too small",
                          cap);
    memcpy(ids + *count, piece_ids, k * sizeof *ids);
    *count += k;
    return CTOK_OK;
}

static int encode_ordinary(ctok_encoder *e, const uint8_t *text, size_t start, size_t end,
                           uint32_t *ids, size_t cap, size_t *count, ctok_diag *diag)
{
    if (start == end)
        return CTOK_OK;
    if (!e->model->splitter)
        return emit_piece(e, text + start, end - start, ids, cap, count, diag, start);
    ctok__split_iter it;
    ctok__split_begin(&it, e->model->splitter, e->split, text + start, end - start, true);
    size_t ps, pe;
    int rc;
    while ((rc = ctok__split_next(&it, &ps, &pe)) == 1) {
        rc = emit_piece(e, text + start + ps, pe - ps, ids, cap, count, diag, start + ps);
        if (rc)
            return rc;
    }
    if (rc < 0)
        return ctok__fail(diag, rc, 0, start, "split pattern failed: %s", ctok_strerror(rc));
    return CTOK_OK;
}

int ctok_encoder_encode(ctok_encoder *e, const uint8_t *text, size_t len,
                        const ctok_encode_options *options, uint32_t *ids, size_t cap,
                        size_t *n_ids, ctok_diag *diag)
{
    if (!e || (!text && len) || (!ids && cap) || !n_ids)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    const ctok_model *m = e->model;
    if (m->kind == CTOK_MODEL_CHAR)
        return encode_chars(m, text, len, ids, cap, n_ids, diag);
    size_t count = 0;
    bool specials = m->n_special && resolve_specials(m, e->special_flags, options);
    size_t index;
    if (specials) {
        size_t at = find_special(m, e->special_flags, DISALLOWED, text, len, 0, &index);
        if (at < len) {
            uint32_t id = m->special_ids[index];
            return ctok__fail(diag, CTOK_ESPECIAL, 0, at,
                              "the text contains the special token '%.*s', which is not allowed",
                              (int)m->tok_len[id], (const char *)m->arena + m->tok_off[id]);
        }
    }
    size_t pos = 0;
    while (pos < len) {
        size_t at = specials ? find_special(m, e->special_flags, ALLOWED, text, len, pos, &index)
                             : len;
        int rc = encode_ordinary(e, text, pos, at, ids, cap, &count, diag);
        if (rc)
            return rc;
        if (at == len)
            break;
        uint32_t id = m->special_ids[index];
        if (count == cap)
            return ctok__fail(diag, CTOK_EBUFFER, 0, at, "output buffer of %zu ids is too small",
                              cap);
        ids[count++] = id;
        pos = at + m->tok_len[id];
    }
    *n_ids = count;
    return CTOK_OK;
}

int ctok_encode(const ctok_model *model, const uint8_t *text, size_t len,
                const ctok_encode_options *options, uint32_t *ids, size_t cap, size_t *n_ids,
                ctok_diag *diag)
{
    ctok_encoder *e;
    int rc = ctok_encoder_new(model, &e);
    if (rc)
        return ctok__fail(diag, rc, 0, 0, "%s", ctok_strerror(rc));
    rc = ctok_encoder_encode(e, text, len, options, ids, cap, n_ids, diag);
    ctok_encoder_free(e);
    return rc;
}
