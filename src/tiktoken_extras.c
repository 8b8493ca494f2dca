/*
 * tiktoken_extras.c - what users of tiktoken ask for beyond encode and decode: counting tokens
 * without storing them, truncating to at most N tokens at a character boundary, decoding with
 * each token's character offset (tiktoken's decode_with_offsets) and the end-of-text id.
 */
#include "encoder.h"
#include "model.h"

int ctok_encoder_count(ctok_encoder *enc, const uint8_t *text, size_t len,
                       const ctok_encode_options *options, size_t *n_ids, ctok_diag *diag)
{
    if (!enc || (!text && len) || !n_ids)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    return ctok__encoder_run(enc, text, len, options, NULL, SIZE_MAX, false, n_ids, NULL, diag);
}

int ctok_count(const ctok_model *model, const uint8_t *text, size_t len,
               const ctok_encode_options *options, size_t *n_ids, ctok_diag *diag)
{
    ctok_encoder *e;
    int rc = ctok__encoder_new_one_call(model, &e);
    if (rc)
        return ctok__fail(diag, rc, 0, 0, "%s", ctok_strerror(rc));
    rc = ctok_encoder_count(e, text, len, options, n_ids, diag);
    ctok_encoder_free(e);
    return rc;
}

/* Whether text[0 .. at) ends between characters: at is not inside a valid UTF-8 sequence that
 * starts before it (a byte of invalid UTF-8 is a character of its own). */
static bool char_boundary(const uint8_t *text, size_t len, size_t at)
{
    if (at == 0 || at >= len)
        return true;
    for (size_t back = 1; back <= 3 && back <= at; back++) {
        uint32_t cp;
        size_t k = ctok__utf8_decode(text + at - back, len - (at - back), &cp);
        if (k > back)
            return false;
    }
    return true;
}

int ctok_encode_truncated(const ctok_model *model, const uint8_t *text, size_t len,
                          const ctok_encode_options *options, size_t max_ids, uint32_t *ids,
                          size_t cap, size_t *n_ids, size_t *text_len, ctok_diag *diag)
{
    if (!model || (!text && len) || (!ids && cap) || !n_ids)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    size_t want = max_ids < len ? max_ids : len; /* an encoding has at most len ids */
    if (cap < want)
        return ctok__fail(diag, CTOK_EBUFFER, 0, 0,
                          "output buffer of %zu ids is too small (%zu needed)", cap, want);
    ctok_encoder *e;
    int rc = ctok__encoder_new_one_call(model, &e);
    if (rc)
        return ctok__fail(diag, rc, 0, 0, "%s", ctok_strerror(rc));
    size_t n = 0;
    rc = ctok__encoder_run(e, text, len, options, ids, want, true, &n, NULL, diag);
    ctok_encoder_free(e);
    if (rc)
        return rc;
    /* the ids cover a prefix of the text; drop ids from the end until it ends at a boundary */
    size_t covered = 0;
    for (size_t i = 0; i < n; i++)
        covered += model->tok_len[ids[i]];
    while (n > 0 && !char_boundary(text, len, covered))
        covered -= model->tok_len[ids[--n]];
    *n_ids = n;
    if (text_len)
        *text_len = covered;
    return CTOK_OK;
}

int ctok_decode_with_offsets(const ctok_model *model, const uint32_t *ids, size_t n, uint8_t *out,
                             size_t cap, size_t *out_len, size_t *offsets, ctok_diag *diag)
{
    if (!model || (!ids && n) || !out_len)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    int rc = ctok_decode(model, ids, n, out, cap, out_len, diag);
    if (rc)
        return rc;
    /* tiktoken: offset = characters before the token (bytes that are not continuation bytes),
     * less one if the token itself starts with a continuation byte, but not below 0 */
    size_t chars = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = model->arena + model->tok_off[ids[i]];
        size_t k = model->tok_len[ids[i]];
        bool continues = (p[0] & 0xC0) == 0x80;
        if (offsets)
            offsets[i] = continues && chars ? chars - 1 : chars;
        for (size_t j = 0; j < k; j++)
            chars += (p[j] & 0xC0) != 0x80;
    }
    if (out) {
        size_t valid = ctok__utf8_valid_prefix(out, *out_len);
        if (valid < *out_len)
            return ctok__fail(diag, CTOK_EUTF8, 0, valid,
                              "the decoded text is not valid UTF-8 at byte %zu (byte 0x%02X); "
                              "offsets in characters need whole characters", valid, out[valid]);
    }
    return CTOK_OK;
}

int ctok_model_eot(const ctok_model *model, uint32_t *id)
{
    if (!model || !id)
        return CTOK_EINVAL;
    static const uint8_t eot[] = "<|endoftext|>";
    const uint32_t *idx =
        model->n_special
            ? ctok__bytesmap_get(&model->special_by_bytes, model->arena, eot, sizeof eot - 1)
            : NULL;
    if (!idx)
        return CTOK_ENOTFOUND;
    *id = model->special_ids[*idx];
    return CTOK_OK;
}
