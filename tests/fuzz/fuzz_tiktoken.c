/*
 * fuzz_tiktoken.c - tiktoken rank files from arbitrary bytes.  Property: loading never crashes
 * and either fails with a message or gives a model under which any bytes (here, the input
 * itself) encode and decode back exactly, count agrees with encode, and every ordinary token's
 * bytes encode to that token alone (tiktoken's whole-piece rule, without a split pattern).
 */
#include "ctok.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ctok_special_token special = {{(const uint8_t *)"<|eot|>", 7}, 100000};
    ctok_model *m = NULL;
    ctok_diag d;
    if (ctok_model_load_tiktoken_memory(data, size, "fuzz", NULL, &special, 1, NULL, &m, &d) !=
        CTOK_OK) {
        if (!memchr(d.message, 0, sizeof d.message) || d.message[0] == 0 || m != NULL)
            abort(); /* every failure has a message and no model */
        return 0;
    }
    uint32_t *ids = malloc((size ? size : 1) * sizeof *ids);
    uint8_t *back = malloc(size ? size : 1);
    size_t n, back_len, counted;
    ctok_encode_options none = {{0, NULL, 0}, {0, NULL, 0}};
    if (ctok_encode(m, data, size, &none, ids, size, &n, &d) != CTOK_OK ||
        ctok_count(m, data, size, &none, &counted, &d) != CTOK_OK || counted != n)
        abort();
    if (ctok_decode(m, ids, n, back, size, &back_len, &d) != CTOK_OK || back_len != size ||
        (size && memcmp(back, data, size) != 0))
        abort();
    for (uint32_t id = 0; id < ctok_model_n_vocab(m) && id < 100000; id++) {
        ctok_bytes tok;
        uint32_t one[64];
        size_t k;
        if (ctok_model_token_bytes(m, id, &tok) != CTOK_OK || tok.len > 64)
            continue;
        if (ctok_encode(m, tok.ptr, tok.len, &none, one, 64, &k, &d) != CTOK_OK || k != 1 ||
            one[0] != id)
            abort();
    }
    free(ids);
    free(back);
    ctok_model_free(m);
    return 0;
}
