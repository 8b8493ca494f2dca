/*
 * load_gpt2.c - GPT-2 as OpenAI released it ("data gym" files): encoder.json maps each token,
 * written in GPT-2's bytes_to_unicode alphabet, to its id; vocab.bpe lists the merges, line i
 * after the "#version" header making id 256 + i.  tiktoken's data_gym_to_mergeable_bpe_ranks
 * turns the pair into r50k_base's ranks; this does the same and checks what tiktoken asserts:
 * the single bytes come first in the alphabet's order and every merge reproduces encoder.json.
 *
 * The alphabet: bytes 33-126, 161-172 and 174-255 stand for themselves; the other 68 bytes, in
 * increasing order, are U+0100, U+0101, ...  Rank r < 256 is the r-th byte of "printable bytes
 * first, then the others" (rank('!') = 0, rank(0x00) = 188, rank(' ') = 220).
 */
#include "json.h"
#include "loaders.h"

#include <stdio.h>

static bool printable(unsigned b)
{
    return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
}

#define N_ALPHABET (256 + 68) /* code points U+0000 .. U+0143 */

typedef struct alphabet {
    uint8_t byte_of_rank[256];
    int16_t byte_of_cp[N_ALPHABET]; /* -1: not a code point of the alphabet */
} alphabet;

static void make_alphabet(alphabet *a)
{
    int rank = 0, others = 0;
    for (int cp = 0; cp < N_ALPHABET; cp++)
        a->byte_of_cp[cp] = -1;
    for (unsigned b = 0; b < 256; b++)
        if (printable(b)) {
            a->byte_of_rank[rank++] = (uint8_t)b;
            a->byte_of_cp[b] = (int16_t)b;
        }
    for (unsigned b = 0; b < 256; b++)
        if (!printable(b)) {
            a->byte_of_rank[rank++] = (uint8_t)b;
            a->byte_of_cp[256 + others++] = (int16_t)b;
        }
}

/* Decode GPT-2 alphabet text s[0 .. n) into bytes (out has room for n); the byte count, or 0
 * with *bad at the offending offset. */
static size_t decode_text(const alphabet *a, const uint8_t *s, size_t n, uint8_t *out,
                          size_t *bad)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = ctok__utf8_decode(s + i, n - i, &cp);
        if (len == 0 || cp >= N_ALPHABET || a->byte_of_cp[cp] < 0) {
            *bad = i;
            return 0;
        }
        out[k++] = (uint8_t)a->byte_of_cp[cp];
        i += len;
    }
    if (k == 0)
        *bad = 0;
    return k;
}

typedef struct reader {
    ctok_model *m;
    const alphabet *a;
    uint8_t *buf;
    size_t buf_cap;
    ctok_special_token specials[2];
    uint8_t special_text[2][16];
    size_t n_special;
    size_t n_ordinary;
} reader;

static const char *const SPECIAL_NAMES[2] = {"<|endoftext|>", "<|startoftext|>"};

static int on_member(void *user, ctok__json_cursor *c, size_t key_pos, const uint8_t *key,
                     size_t key_len, uint64_t value)
{
    reader *r = user;
    if (value >= CTOK_ID_LIMIT)
        return ctok__json_fail(c, key_pos, CTOK_EFORMAT, "\"%.*s\" has the id %llu; ids must be "
                               "below %u", (int)(key_len > 40 ? 40 : key_len), (const char *)key,
                               (unsigned long long)value, CTOK_ID_LIMIT);
    for (size_t i = 0; i < 2; i++)
        if (key_len == strlen(SPECIAL_NAMES[i]) && !memcmp(key, SPECIAL_NAMES[i], key_len)) {
            if (r->n_special == 2)
                return ctok__json_fail(c, key_pos, CTOK_EFORMAT, "%s is given twice",
                                       SPECIAL_NAMES[i]);
            memcpy(r->special_text[r->n_special], key, key_len);
            r->specials[r->n_special].text.ptr = r->special_text[r->n_special];
            r->specials[r->n_special].text.len = key_len;
            r->specials[r->n_special++].id = (uint32_t)value;
            return CTOK_OK;
        }
    int rc = ctok__grow(&r->m->mem, (void **)&r->buf, &r->buf_cap, key_len + 1, 1);
    if (rc)
        return ctok__json_fail(c, key_pos, rc, "%s", ctok_strerror(rc));
    size_t bad;
    size_t n = decode_text(r->a, key, key_len, r->buf, &bad);
    if (n == 0 && key_len == 0)
        return ctok__json_fail(c, key_pos, CTOK_EFORMAT, "an empty token");
    if (n == 0)
        return ctok__json_fail(c, key_pos, CTOK_EFORMAT,
                               "token \"%.*s\" has a character outside GPT-2's byte alphabet "
                               "(at byte %zu of the key)", (int)(key_len > 40 ? 40 : key_len),
                               (const char *)key, bad);
    rc = ctok__model_set_token(r->m, (uint32_t)value, r->buf, n, false);
    if (rc == CTOK_EINVAL)
        return ctok__json_fail(c, key_pos, CTOK_EFORMAT, "id %llu is given to two tokens",
                               (unsigned long long)value);
    if (rc)
        return ctok__json_fail(c, key_pos, rc, "%s", ctok_strerror(rc));
    r->n_ordinary++;
    return CTOK_OK;
}

/* Show a token's bytes in a message (GPT-2's alphabet would be unreadable for most bytes). */
static void show(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 5 < cap; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7F && p[i] != '\\' && p[i] != '\'')
            out[k++] = (char)p[i];
        else
            k += (size_t)snprintf(out + k, cap - k, "\\x%02X", p[i]);
    }
    out[k] = 0;
}

static int check_bytes(const ctok_model *m, const alphabet *a, const char *name, ctok_diag *diag)
{
    for (uint32_t r = 0; r < 256; r++) {
        if (ctok__model_has_token(m, r) && m->tok_len[r] == 1 &&
            m->arena[m->tok_off[r]] == a->byte_of_rank[r])
            continue;
        char got[64] = "nothing";
        if (ctok__model_has_token(m, r))
            show(m->arena + m->tok_off[r], m->tok_len[r], got, sizeof got);
        return ctok__fail(diag, CTOK_EFORMAT, 0, 0,
                          "%s: id %u must be the single byte 0x%02X (ids 0-255 are the bytes in "
                          "GPT-2's order), but is '%s'", name, r, a->byte_of_rank[r], got);
    }
    return CTOK_OK;
}

/* vocab.bpe: the header, then "A B" per line; line i makes id 256 + i. */
static int check_merges(reader *r, const uint8_t *data, size_t len, const char *name,
                        size_t *n_merges, ctok_diag *diag)
{
    ctok_model *m = r->m;
    size_t pos = 0;
    uint64_t line_no = 0;
    uint32_t next_id = 256;
    int rc = ctok__grow(&m->mem, (void **)&r->buf, &r->buf_cap, len + 1, 1);
    if (rc)
        return ctok__fail(diag, rc, 0, 0, "%s: %s", name, ctok_strerror(rc));
    while (pos < len) {
        const uint8_t *s = data + pos;
        const uint8_t *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl != NULL);
        line_no++;
        if (n && s[n - 1] == '\r')
            n--;
        if (line_no == 1) {
            if (n < 8 || memcmp(s, "#version", 8))
                return ctok__fail(diag, CTOK_EFORMAT, 1, 0,
                                  "%s: line 1: expected the '#version' header of vocab.bpe",
                                  name);
            continue;
        }
        if (n == 0 && pos >= len)
            break; /* the file's last line break */
        const uint8_t *sp = memchr(s, ' ', n);
        if (!sp || sp == s || sp + 1 == s + n || memchr(sp + 1, ' ', (size_t)(s + n - sp - 1)))
            return ctok__fail(diag, CTOK_EFORMAT, line_no, (uint64_t)(s - data),
                              "%s: line %llu: expected a merge 'A B', got '%.*s'", name,
                              (unsigned long long)line_no, (int)(n > 60 ? 60 : n),
                              (const char *)s);
        size_t bad, left_len = (size_t)(sp - s);
        size_t a = decode_text(r->a, s, left_len, r->buf, &bad);
        size_t b = a ? decode_text(r->a, sp + 1, n - left_len - 1, r->buf + a, &bad) : 0;
        if (!a || !b)
            return ctok__fail(diag, CTOK_EFORMAT, line_no, (uint64_t)(s - data) + bad,
                              "%s: line %llu: '%.*s' has a character outside GPT-2's byte "
                              "alphabet", name, (unsigned long long)line_no,
                              (int)(n > 60 ? 60 : n), (const char *)s);
        char made[160], want[160];
        show(r->buf, a + b, made, sizeof made);
        if (!ctok__model_has_token(m, next_id))
            return ctok__fail(diag, CTOK_EFORMAT, line_no, (uint64_t)(s - data),
                              "%s: line %llu: the merge '%.*s' makes id %u ('%s'), which "
                              "encoder.json does not have", name, (unsigned long long)line_no,
                              (int)(n > 60 ? 60 : n), (const char *)s, next_id, made);
        const uint8_t *tok = m->arena + m->tok_off[next_id];
        if (m->tok_len[next_id] != a + b || memcmp(tok, r->buf, a + b)) {
            show(tok, m->tok_len[next_id], want, sizeof want);
            return ctok__fail(diag, CTOK_EFORMAT, line_no, (uint64_t)(s - data),
                              "%s: line %llu: the merge '%.*s' makes '%s', but encoder.json "
                              "has '%s' for id %u", name, (unsigned long long)line_no,
                              (int)(n > 60 ? 60 : n), (const char *)s, made, want, next_id);
        }
        next_id++;
    }
    if (line_no == 0)
        return ctok__fail(diag, CTOK_EFORMAT, 1, 0, "%s: empty file (expected the '#version' "
                          "header and the merges)", name);
    *n_merges = next_id - 256;
    return CTOK_OK;
}

static int load(ctok_model *m, const uint8_t *enc, size_t enc_len, const char *enc_name,
                const uint8_t *bpe, size_t bpe_len, const char *bpe_name, ctok_diag *diag)
{
    alphabet a;
    make_alphabet(&a);
    reader r = {m, &a, NULL, 0, {{{NULL, 0}, 0}}, {{0}}, 0, 0};
    int rc = ctok__model_reserve(m, 50257, enc_len / 2);
    if (!rc)
        rc = ctok__json_read_uint_object(enc, enc_len, enc_name, UINT32_MAX - 1, &m->mem,
                                         on_member, &r, diag);
    else
        ctok__fail(diag, rc, 0, 0, "%s: %s", enc_name, ctok_strerror(rc));
    if (!rc)
        rc = check_bytes(m, &a, enc_name, diag);
    size_t n_merges = 0;
    if (!rc)
        rc = check_merges(&r, bpe, bpe_len, bpe_name, &n_merges, diag);
    ctok__free(&m->mem, r.buf);
    if (!rc && r.n_ordinary != 256 + n_merges) {
        /* some ordinary id is not made by a merge: name the first */
        uint32_t id = 256 + (uint32_t)n_merges;
        while (id < m->n_vocab && (!ctok__model_has_token(m, id) || m->tok_special[id]))
            id++;
        rc = ctok__fail(diag, CTOK_EFORMAT, 0, 0,
                        "%s: id %u is not made by any merge of %s (which has %zu merges, making "
                        "ids 256-%zu)", enc_name, id, bpe_name, n_merges, 255 + n_merges);
    }
    for (size_t i = 0; !rc && i < r.n_special; i++) {
        rc = ctok__model_add_special(m, r.specials[i].text.ptr, r.specials[i].text.len,
                                     r.specials[i].id);
        if (rc == CTOK_EINVAL)
            rc = ctok__fail(diag, CTOK_EFORMAT, 0, 0, "%s: %.*s has id %u, which is an "
                            "ordinary token's", enc_name, (int)r.specials[i].text.len,
                            (const char *)r.specials[i].text.ptr, r.specials[i].id);
    }
    ctok_encoding_info info;
    if (!rc)
        rc = ctok_encoding_info_get("gpt2", &info);
    if (!rc)
        rc = ctok__model_set_pattern(m, (const uint8_t *)info.pattern, strlen(info.pattern),
                                     diag);
    if (!rc) {
        rc = ctok__model_finish(m, true);
        if (rc == CTOK_EINVAL)
            rc = ctok__fail(diag, CTOK_EFORMAT, 0, 0, "%s: a special token is given twice",
                            enc_name);
    }
    if (!rc && m->first_duplicate != CTOK__NO_ID) {
        char tok[160];
        uint32_t dup = m->first_duplicate;
        show(m->arena + m->tok_off[dup], m->tok_len[dup], tok, sizeof tok);
        rc = ctok__fail(diag, CTOK_EFORMAT, 0, 0, "%s: the token '%s' has two ids (%u and a "
                        "lower one)", enc_name, tok, dup);
    }
    if (rc == CTOK_ENOMEM || rc == CTOK_ETOOBIG)
        ctok__fail(diag, rc, 0, 0, "%s: %s", enc_name, ctok_strerror(rc));
    return rc;
}

int ctok_model_load_gpt2_memory(const uint8_t *encoder_json, size_t encoder_len,
                                const char *encoder_name, const uint8_t *vocab_bpe,
                                size_t vocab_len, const char *vocab_name,
                                const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag)
{
    if ((!encoder_json && encoder_len) || (!vocab_bpe && vocab_len) || !out)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    ctok_model *m = NULL;
    int rc = ctok__model_new(alloc, CTOK_MODEL_BPE, &m);
    if (rc)
        return ctok__fail(diag, rc, 0, 0, "%s", ctok_strerror(rc));
    rc = load(m, encoder_json, encoder_len, encoder_name ? encoder_name : "encoder.json",
              vocab_bpe, vocab_len, vocab_name ? vocab_name : "vocab.bpe", diag);
    if (rc) {
        ctok_model_free(m);
        return rc;
    }
    *out = m;
    return CTOK_OK;
}

int ctok_model_load_gpt2(const char *encoder_json_path, const char *vocab_bpe_path,
                         const ctok_allocator *alloc, ctok_model **out, ctok_diag *diag)
{
    if (!encoder_json_path || !vocab_bpe_path || !out)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    ctok_allocator mem;
    ctok__mem_init(&mem, alloc);
    uint8_t *enc = NULL, *bpe = NULL;
    size_t enc_len = 0, bpe_len = 0;
    int rc = ctok__read_file(&mem, encoder_json_path, &enc, &enc_len, diag);
    if (!rc)
        rc = ctok__read_file(&mem, vocab_bpe_path, &bpe, &bpe_len, diag);
    if (!rc)
        rc = ctok_model_load_gpt2_memory(enc, enc_len, encoder_json_path, bpe, bpe_len,
                                         vocab_bpe_path, alloc, out, diag);
    ctok__free(&mem, enc);
    ctok__free(&mem, bpe);
    return rc;
}
