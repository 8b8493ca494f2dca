/*
 * fuzz_gpt2.c - GPT-2's encoder.json + vocab.bpe from arbitrary bytes: the input up to its first
 * NUL byte is encoder.json, the rest is vocab.bpe.  Property: loading never crashes and either
 * fails with a message or gives a model under which the input itself encodes and decodes back
 * exactly.
 */
#include "ctok.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t enc_len = nul ? (size_t)(nul - data) : size;
    const uint8_t *bpe = nul ? nul + 1 : data + size;
    size_t bpe_len = size - enc_len - (nul != NULL);
    ctok_model *m = NULL;
    ctok_diag d;
    if (ctok_model_load_gpt2_memory(data, enc_len, "encoder.json", bpe, bpe_len, "vocab.bpe",
                                    NULL, &m, &d) != CTOK_OK) {
        if (!memchr(d.message, 0, sizeof d.message) || d.message[0] == 0 || m != NULL)
            abort();
        return 0;
    }
    uint32_t *ids = malloc((size ? size : 1) * sizeof *ids);
    uint8_t *back = malloc(size ? size : 1);
    size_t n, back_len;
    ctok_encode_options none = {{0, NULL, 0}, {0, NULL, 0}};
    if (ctok_encode(m, data, size, &none, ids, size, &n, &d) != CTOK_OK)
        abort();
    if (ctok_decode(m, ids, n, back, size, &back_len, &d) != CTOK_OK || back_len != size ||
        (size && memcmp(back, data, size) != 0))
        abort();
    free(ids);
    free(back);
    ctok_model_free(m);
    return 0;
}
