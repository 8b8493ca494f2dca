/*
 * decode.c - token ids back to bytes: the concatenation of each token's bytes.
 */
#include "model.h"

int ctok_decode(const ctok_model *m, const uint32_t *ids, size_t n, uint8_t *out, size_t cap,
                size_t *out_len, ctok_diag *diag)
{
    if (!m || (!ids && n) || !out_len)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ctok__model_has_token(m, ids[i]))
            return ctok__fail(diag, CTOK_EUNKNOWN_ID, 0, i,
                              "unknown token id %u at position %zu (the vocabulary has ids "
                              "below %zu)", ids[i], i, m->n_vocab);
        total += m->tok_len[ids[i]];
    }
    *out_len = total;
    if (!out)
        return CTOK_OK;
    if (total > cap)
        return ctok__fail(diag, CTOK_EBUFFER, 0, 0, "output buffer of %zu bytes is too small "
                          "(%zu needed)", cap, total);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(out + at, m->arena + m->tok_off[ids[i]], m->tok_len[ids[i]]);
        at += m->tok_len[ids[i]];
    }
    return CTOK_OK;
}
