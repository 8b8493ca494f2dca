/*
 * fuzz_sidecar.c - the sidecar of an exported rank file (PREFIX.tiktoken.json) from arbitrary
 * bytes.  Property: parsing never crashes and either fails with a message or gives a pattern (a C
 * string) and non-empty, distinct special tokens; a model built from them over a small rank file
 * (the 256 bytes and "ab") either fails with a message or encodes the input itself and decodes it
 * back exactly (with special tokens allowed too, unless two special texts share an id: decode
 * gives the first).
 */
#include "loaders.h"
#include "sidecar.h"

#include <stdio.h>
#include <stdlib.h>

static void fail_needs_message(const ctok_diag *d)
{
    if (!memchr(d->message, 0, sizeof d->message) || d->message[0] == 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    ctok_allocator mem;
    ctok__mem_init(&mem, NULL);
    ctok__sidecar s;
    ctok_diag d;
    if (ctok__sidecar_parse(data, size, "fuzz.tiktoken.json", &mem, &s, &d) != CTOK_OK) {
        fail_needs_message(&d);
        return 0;
    }
    if (!s.pattern)
        abort();
    for (size_t i = 0; i < s.n_special; i++) {
        if (s.specials[i].text.len == 0)
            abort();
        for (size_t j = 0; j < i; j++)
            if (s.specials[j].text.len == s.specials[i].text.len &&
                !memcmp(s.specials[j].text.ptr, s.specials[i].text.ptr, s.specials[i].text.len))
                abort();
    }
    char ranks[4096];
    size_t k = 0;
    for (int b = 0; b < 256; b++)
        k += (size_t)snprintf(ranks + k, sizeof ranks - k, "%c%c== %d\n", A[b >> 2],
                              A[(b & 3) << 4], b);
    k += (size_t)snprintf(ranks + k, sizeof ranks - k, "YWI= 256\n");
    ctok_model *m = NULL;
    if (ctok__tiktoken_build((const uint8_t *)ranks, k, "fuzz.tiktoken", s.pattern, s.specials,
                             s.n_special, NULL, &m, &d) != CTOK_OK) {
        fail_needs_message(&d);
        if (m)
            abort();
        ctok__sidecar_free(&s);
        return 0;
    }
    uint32_t *ids = malloc((size ? size : 1) * sizeof *ids);
    uint8_t *back = malloc(size ? size : 1);
    size_t n, back_len;
    /* special texts as ordinary text: always a round trip */
    ctok_encode_options none = {{0, NULL, 0}, {0, NULL, 0}};
    if (ctok_encode(m, data, size, &none, ids, size, &n, &d) != CTOK_OK ||
        ctok_decode(m, ids, n, back, size, &back_len, &d) != CTOK_OK || back_len != size ||
        (size && memcmp(back, data, size) != 0))
        abort();
    /* special tokens allowed: a round trip unless two texts share an id (decode gives the
     * first) */
    bool aliases = false;
    for (size_t i = 0; i < s.n_special; i++)
        for (size_t j = 0; j < i; j++)
            aliases |= s.specials[i].id == s.specials[j].id;
    ctok_encode_options all = {{1, NULL, 0}, {1, NULL, 0}};
    if (ctok_encode(m, data, size, &all, ids, size, &n, &d) != CTOK_OK ||
        ctok_decode(m, ids, n, NULL, 0, &back_len, &d) != CTOK_OK)
        abort();
    if (!aliases && (ctok_decode(m, ids, n, back, size, &back_len, &d) != CTOK_OK ||
                     back_len != size || (size && memcmp(back, data, size) != 0)))
        abort();
    free(ids);
    free(back);
    ctok_model_free(m);
    ctok__sidecar_free(&s);
    return 0;
}
