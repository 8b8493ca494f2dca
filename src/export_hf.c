/*
 * export_hf.c - a model as HF tokenizers' tokenizer.json: byte-level BPE the way GPT-2's own
 * tokenizer.json is, with the model's split pattern in front.
 *
 *   pre_tokenizer  Split(pattern, Isolated): every match is a piece and so is the text between
 *                  matches (ctok keeps that text too), then ByteLevel without its own regex, which
 *                  only maps bytes to characters.  No pattern: ByteLevel alone, the whole text is
 *                  one piece.
 *   model          BPE: vocab in GPT-2's bytes_to_unicode alphabet, merges in order ("A B").  HF
 *                  merges the pair that comes first in the list, leftmost first: minbpe's rule.
 *                  A model made from ranks (tiktoken, GPT-2's files) gets the merge list that
 *                  reproduces tiktoken's rule (export_merges.c).
 *   added_tokens   the special tokens, also in the BPE vocab with their ids: HF gives an added
 *                  token the id the model has for its text, else the next free one, so this is
 *                  how a special keeps its id.  An id with several texts (o200k_harmony's
 *                  200018) keeps its first: HF has one text per id.
 *   decoder        ByteLevel.
 *
 * Field names and defaults follow HF tokenizers' serialization (tokenizer.json version "1.0").
 */
#include "export.h"

/* GPT-2's bytes_to_unicode: bytes 33-126, 161-172 and 174-255 are the characters with those code
 * points; the other 68 bytes, in increasing order, are U+0100 upwards. */
static void make_alphabet(uint32_t cp_of_byte[256])
{
    uint32_t next = 256;
    for (uint32_t b = 0; b < 256; b++) {
        bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
        cp_of_byte[b] = printable ? b : next++;
    }
}

/* Bytes in the alphabet, as the inside of a JSON string literal.  Only '"' and '\' need
 * escaping: every other character of the alphabet is printable. */
static void put_mapped_body(ctok__outbuf *o, const uint32_t cp_of_byte[256], const uint8_t *p,
                            size_t n)
{
    uint8_t buf[256];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k + 6 > sizeof buf) {
            ctok__outbuf_put(o, buf, k);
            k = 0;
        }
        if (p[i] == '"' || p[i] == '\\')
            buf[k++] = '\\';
        k += ctok__utf8_encode(cp_of_byte[p[i]], buf + k);
    }
    ctok__outbuf_put(o, buf, k);
}

/* Token id's bytes as a JSON string in the alphabet. */
static void put_mapped(ctok__outbuf *o, const uint32_t cp_of_byte[256], const ctok_model *m,
                       uint32_t id)
{
    ctok__outbuf_put(o, "\"", 1);
    put_mapped_body(o, cp_of_byte, m->arena + m->tok_off[id], m->tok_len[id]);
    ctok__outbuf_put(o, "\"", 1);
}

/* A special token's text read back through the alphabet, if every character is in it: the
 * ordinary token whose vocab key the text would be (CTOK__NO_ID if none). */
static uint32_t colliding_token(const ctok_model *m, const uint32_t cp_of_byte[256],
                                const uint8_t *p, size_t n, uint8_t *scratch)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = ctok__utf8_decode(p + i, n - i, &cp);
        if (!len)
            return CTOK__NO_ID;
        int b = 0;
        while (b < 256 && cp_of_byte[b] != cp)
            b++;
        if (b == 256)
            return CTOK__NO_ID;
        scratch[k++] = (uint8_t)b;
        i += len;
    }
    return ctok__model_token_id(m, scratch, k);
}

/* The special tokens HF gets: the first text of each id, in registration order. */
static bool first_text_of_id(const ctok_model *m, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (m->special_ids[j] == m->special_ids[i])
            return false;
    return true;
}

static int check_specials(const ctok_model *m, const uint32_t cp_of_byte[256], ctok_diag *diag)
{
    size_t max = 1;
    for (size_t i = 0; i < m->n_special; i++)
        if (m->special_len[i] > max)
            max = m->special_len[i];
    uint8_t *scratch = ctok__alloc(&m->mem, max);
    if (!scratch)
        return ctok__fail(diag, CTOK_ENOMEM, 0, 0, "%s", ctok_strerror(CTOK_ENOMEM));
    int rc = CTOK_OK;
    for (size_t i = 0; !rc && i < m->n_special; i++) {
        const uint8_t *p = m->arena + m->special_off[i];
        uint32_t other = colliding_token(m, cp_of_byte, p, m->special_len[i], scratch);
        if (other != CTOK__NO_ID)
            rc = ctok__fail(diag, CTOK_EUNSUPPORTED, 0, m->special_ids[i],
                            "a tokenizer.json export is not possible: the special token '%.*s' "
                            "is also the vocabulary key of ordinary token %u in HF's byte-level "
                            "alphabet", CTOK__SHOWN(p, m->special_len[i]), other);
    }
    ctok__free(&m->mem, scratch);
    return rc;
}

static void put_pre_tokenizer(const ctok_model *m, ctok__outbuf *o)
{
    static const char byte_level[] = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, "
                                     "\"trim_offsets\": true, \"use_regex\": false}";
    if (!m->pattern_len) {
        ctok__outbuf_str(o, byte_level);
        return;
    }
    ctok__outbuf_str(o, "{\"type\": \"Sequence\", \"pretokenizers\": [\n"
                        "    {\"type\": \"Split\", \"pattern\": {\"Regex\": ");
    ctok__outbuf_json(o, m->pattern, m->pattern_len);
    ctok__outbuf_str(o, "}, \"behavior\": \"Isolated\", \"invert\": false},\n    ");
    ctok__outbuf_str(o, byte_level);
    ctok__outbuf_str(o, "]}");
}

static void put_added_tokens(const ctok_model *m, ctok__outbuf *o)
{
    bool any = false;
    ctok__outbuf_str(o, "  \"added_tokens\": [");
    for (size_t i = 0; i < m->n_special; i++) {
        if (!first_text_of_id(m, i))
            continue;
        ctok__outbuf_str(o, any ? ",\n    {\"id\": " : "\n    {\"id\": ");
        ctok__outbuf_u64(o, m->special_ids[i]);
        ctok__outbuf_str(o, ", \"content\": ");
        ctok__outbuf_json(o, m->arena + m->special_off[i], m->special_len[i]);
        ctok__outbuf_str(o, ", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, "
                            "\"normalized\": false, \"special\": true}");
        any = true;
    }
    ctok__outbuf_str(o, any ? "\n  ],\n" : "],\n");
}

static void put_model(const ctok_model *m, const uint32_t cp_of_byte[256], const uint32_t *merges,
                      size_t n_merges, ctok__outbuf *o)
{
    ctok__outbuf_str(o, "  \"model\": {\"type\": \"BPE\", \"dropout\": null, \"unk_token\": null, "
                        "\"continuing_subword_prefix\": null, \"end_of_word_suffix\": null, "
                        "\"fuse_unk\": false, \"byte_fallback\": false, \"ignore_merges\": false,"
                        "\n  \"vocab\": {");
    bool any = false;
    for (uint32_t id = 0; id < m->n_vocab; id++) {
        if (!m->tok_len[id] || m->tok_special[id])
            continue;
        ctok__outbuf_str(o, any ? ",\n    " : "\n    ");
        put_mapped(o, cp_of_byte, m, id);
        ctok__outbuf_str(o, ": ");
        ctok__outbuf_u64(o, id);
        any = true;
    }
    for (size_t i = 0; i < m->n_special; i++) {
        if (!first_text_of_id(m, i))
            continue;
        ctok__outbuf_str(o, ",\n    ");
        ctok__outbuf_json(o, m->arena + m->special_off[i], m->special_len[i]);
        ctok__outbuf_str(o, ": ");
        ctok__outbuf_u64(o, m->special_ids[i]);
    }
    ctok__outbuf_str(o, "\n  },\n  \"merges\": [");
    for (size_t i = 0; i < n_merges; i++) {
        const uint32_t *mg = merges + 3 * i;
        ctok__outbuf_str(o, i ? ",\n    " : "\n    ");
        /* "A B": the space is the separator HF splits on (no token's text has one) */
        ctok__outbuf_put(o, "\"", 1);
        put_mapped_body(o, cp_of_byte, m->arena + m->tok_off[mg[0]], m->tok_len[mg[0]]);
        ctok__outbuf_put(o, " ", 1);
        put_mapped_body(o, cp_of_byte, m->arena + m->tok_off[mg[1]], m->tok_len[mg[1]]);
        ctok__outbuf_put(o, "\"", 1);
    }
    ctok__outbuf_str(o, "\n  ]}\n}\n");
}

int ctok_model_export_hf(const ctok_model *m, const char *path, ctok_diag *diag)
{
    static const char what[] = "a tokenizer.json export";
    if (!m || !path || !*path)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    int rc = ctok__export_check(m, what, diag);
    if (!rc)
        rc = ctok__export_check_text(m, what, diag);
    uint32_t cp_of_byte[256];
    make_alphabet(cp_of_byte);
    if (!rc)
        rc = check_specials(m, cp_of_byte, diag);
    uint32_t *recovered = NULL;
    const uint32_t *merges = m->merges;
    size_t n_merges = m->n_merges;
    if (!rc && m->whole_piece_lookup) {
        rc = ctok__export_recover_merges(m, what, &recovered, &n_merges, diag);
        merges = recovered;
    }
    if (rc)
        return rc;
    ctok__outbuf o;
    ctok__outbuf_init(&o, &m->mem);
    ctok__outbuf_str(&o, "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n"
                         "  \"padding\": null,\n");
    put_added_tokens(m, &o);
    ctok__outbuf_str(&o, "  \"normalizer\": null,\n  \"pre_tokenizer\": ");
    put_pre_tokenizer(m, &o);
    ctok__outbuf_str(&o, ",\n  \"post_processor\": null,\n  \"decoder\": {\"type\": \"ByteLevel\", "
                         "\"add_prefix_space\": false, \"trim_offsets\": true, "
                         "\"use_regex\": false},\n");
    put_model(m, cp_of_byte, merges, n_merges, &o);
    rc = ctok__outbuf_commit(&o, path, diag);
    ctok__outbuf_free(&o);
    ctok__free(&m->mem, recovered);
    return rc;
}
