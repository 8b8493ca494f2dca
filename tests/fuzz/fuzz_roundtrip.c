/*
 * fuzz_roundtrip.c - any bytes encode with every built-in encoding, and with a small basic
 * (unsplit) model, and decode back exactly (decode(encode(x)) == x), with special tokens as text
 * and as tokens; a streaming cut never changes the ids.  The models are loaded once per process
 * (they are immutable).
 */
#include "ctok.h"

#include <stdlib.h>
#include <string.h>

static ctok_model *models[8];
static size_t n_models;

/* tokens "e ", "th", "the" and a special token: cut wherever two bytes are not one of those */
static const char BASIC[] = "minbpe v1\n\n1\n<|endoftext|> 259\n101 32\n116 104\n257 101\n";

static void load_models(void)
{
    if (n_models)
        return;
    ctok_diag d;
    for (size_t i = 0; i < ctok_encoding_count() && n_models < 7; i++) {
        if (ctok_encoding_load(ctok_encoding_name(i), NULL, &models[n_models], &d) != CTOK_OK)
            abort();
        n_models++;
    }
    if (ctok_model_load_memory((const uint8_t *)BASIC, strlen(BASIC), "basic", NULL,
                               &models[n_models], &d) != CTOK_OK)
        abort();
    n_models++;
}

static void check(const ctok_model *m, const uint8_t *data, size_t size,
                  const ctok_encode_options *opt)
{
    uint32_t *ids = malloc((size ? size : 1) * sizeof *ids), *parts = malloc((size ? size : 1) * sizeof *ids);
    uint8_t *back = malloc(size ? size : 1);
    size_t n, n1, n2, back_len;
    ctok_diag d;
    if (ctok_encode(m, data, size, opt, ids, size, &n, &d) != CTOK_OK)
        abort(); /* nothing is disallowed here: any bytes encode */
    if (ctok_decode(m, ids, n, back, size, &back_len, &d) != CTOK_OK || back_len != size ||
        (size && memcmp(back, data, size) != 0))
        abort();
    size_t c = ctok_model_cut(m, data, size, size / 2);
    if (c) {
        if (ctok_encode(m, data, c, opt, parts, size, &n1, &d) != CTOK_OK ||
            ctok_encode(m, data + c, size - c, opt, parts + n1, size - n1, &n2, &d) != CTOK_OK ||
            n1 + n2 != n || memcmp(parts, ids, n * sizeof *ids) != 0)
            abort();
    }
    free(ids);
    free(parts);
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load_models();
    ctok_encode_options none = {{0, NULL, 0}, {0, NULL, 0}}, all = {{1, NULL, 0}, {1, NULL, 0}};
    for (size_t i = 0; i < n_models; i++) {
        check(models[i], data, size, &none);
        check(models[i], data, size, &all);
    }
    return 0;
}
