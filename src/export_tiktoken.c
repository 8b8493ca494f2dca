/*
 * export_tiktoken.c - a model as tiktoken's files: PREFIX.tiktoken, the rank file ("BASE64 RANK"
 * per ordinary token, rank = id, the format of the files in data/vocab), and PREFIX.tiktoken.json,
 * the sidecar with what a rank file leaves out (the split pattern, the special tokens) and the
 * rank file's sha256.  Layout in doc/format.md ("Exports").
 *
 * tiktoken merges by rank, not by a merge list, so a model with a merge list (minbpe's, a trained
 * one) is first checked to encode the same under tiktoken's rule (export_merges.c); trained models
 * always do.  Both files are built in memory, then each is written to a temporary name and
 * renamed, the rank file first: a sidecar on disk always has its whole rank file.
 */
#include "export.h"
#include "sha256.h"

#include <stdio.h>

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with '=' padding, as tiktoken's files use. */
static void put_base64(ctok__outbuf *o, const uint8_t *p, size_t n)
{
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        q[0] = B64[v >> 18];
        q[1] = B64[(v >> 12) & 63];
        q[2] = i + 1 < n ? B64[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? B64[v & 63] : '=';
        ctok__outbuf_put(o, q, 4);
    }
}

static void write_ranks(const ctok_model *m, ctok__outbuf *o)
{
    uint32_t n = ctok__export_n_ordinary(m);
    for (uint32_t id = 0; id < n; id++) {
        if (m->tok_special[id])
            continue; /* a special id among the ranks (p50k's 50256): a gap in the file */
        put_base64(o, m->arena + m->tok_off[id], m->tok_len[id]);
        ctok__outbuf_put(o, " ", 1);
        ctok__outbuf_u64(o, id);
        ctok__outbuf_put(o, "\n", 1);
    }
}

/* The last path component. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void write_sidecar(const ctok_model *m, const char *prefix, const char *rank_file,
                          const char *sha256, ctok__outbuf *o)
{
    const char *name = base_name(prefix);
    ctok__outbuf_str(o, "{\n  \"format\": \"ctok tiktoken sidecar\",\n  \"version\": 1,\n"
                        "  \"name\": ");
    ctok__outbuf_json(o, (const uint8_t *)name, strlen(name));
    ctok__outbuf_str(o, ",\n  \"rank_file\": ");
    ctok__outbuf_json(o, (const uint8_t *)rank_file, strlen(rank_file));
    ctok__outbuf_str(o, ",\n  \"rank_file_sha256\": \"");
    ctok__outbuf_str(o, sha256);
    ctok__outbuf_str(o, "\",\n  \"n_vocab\": ");
    ctok__outbuf_u64(o, m->n_vocab);
    ctok__outbuf_str(o, ",\n  \"pat_str\": ");
    ctok__outbuf_json(o, m->pattern, m->pattern_len);
    ctok__outbuf_str(o, ",\n  \"special_tokens\": {");
    for (size_t i = 0; i < m->n_special; i++) {
        ctok__outbuf_str(o, i ? ",\n    " : "\n    ");
        ctok__outbuf_json(o, m->arena + m->special_off[i], m->special_len[i]);
        ctok__outbuf_str(o, ": ");
        ctok__outbuf_u64(o, m->special_ids[i]);
    }
    ctok__outbuf_str(o, m->n_special ? "\n  }\n}\n" : "}\n}\n");
}

int ctok_model_export_tiktoken(const ctok_model *m, const char *prefix, ctok_diag *diag)
{
    static const char what[] = "a .tiktoken export";
    if (!m || !prefix || !*prefix)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    int rc = ctok__export_check(m, what, diag);
    if (!rc)
        rc = ctok__export_check_text(m, what, diag);
    if (!rc && !m->whole_piece_lookup)
        rc = ctok__export_check_tiktoken_rule(m, what, diag);
    if (rc)
        return rc;
    const char *name = base_name(prefix);
    if (!*name || ctok__utf8_valid_prefix((const uint8_t *)name, strlen(name)) != strlen(name))
        return ctok__fail(diag, CTOK_EINVAL, 0, 0,
                          "%s: the file name must be non-empty UTF-8 (the sidecar names the rank "
                          "file)", prefix);
    char rank_path[4096], sidecar_path[4096];
    if ((size_t)snprintf(sidecar_path, sizeof sidecar_path, "%s.tiktoken.json", prefix) >=
        sizeof sidecar_path)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "%s: output path is too long", prefix);
    snprintf(rank_path, sizeof rank_path, "%s.tiktoken", prefix);
    ctok__outbuf ranks, sidecar;
    ctok__outbuf_init(&ranks, &m->mem);
    ctok__outbuf_init(&sidecar, &m->mem);
    write_ranks(m, &ranks);
    char hex[65] = "";
    if (!ranks.failed)
        ctok__sha256_hex(ranks.data, ranks.len, hex);
    write_sidecar(m, prefix, base_name(rank_path), hex, &sidecar);
    rc = ctok__outbuf_commit(&ranks, rank_path, diag);
    if (!rc)
        rc = ctok__outbuf_commit(&sidecar, sidecar_path, diag);
    ctok__outbuf_free(&ranks);
    ctok__outbuf_free(&sidecar);
    return rc;
}
