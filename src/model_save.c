/*
 * model_save.c - writing PREFIX.model and PREFIX.vocab.  BPE models are written in minbpe's
 * "minbpe v1" format exactly as minbpe's save() does (so minbpe can load them and a model made
 * from minbpe's merges is byte-identical); character models in "ctok char v1".  The .vocab file
 * renders each token as minbpe's render_token: lossy UTF-8 with control characters escaped.
 */
#include "atomic_file.h"
#include "model.h"

/* PREFIX + SUFFIX, opened through atomic_file.h. */
typedef struct out_file {
    char path[4096];
    ctok__atomic_file file;
} out_file;

static int out_open(out_file *o, const char *prefix, const char *suffix, ctok_diag *diag)
{
    if ((size_t)snprintf(o->path, sizeof o->path, "%s%s", prefix, suffix) >= sizeof o->path)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "output path is too long");
    return ctok__atomic_open(&o->file, o->path, diag);
}

static int check_minbpe_representable(const ctok_model *m, ctok_diag *diag)
{
    if (m->pattern_len && (memchr(m->pattern, '\n', m->pattern_len) ||
                           memchr(m->pattern, '\r', m->pattern_len)))
        return ctok__fail(diag, CTOK_EUNSUPPORTED, 0, 0,
                          "the split pattern contains a line break, which minbpe's .model format "
                          "cannot hold");
    for (size_t i = 0; i < m->n_special; i++) {
        uint32_t id = m->special_ids[i];
        const uint8_t *p = m->arena + m->tok_off[id];
        for (size_t k = 0; k < m->tok_len[id]; k++)
            if (p[k] == ' ' || p[k] == '\n' || p[k] == '\r' || p[k] == '\t' || p[k] == '\v' ||
                p[k] == '\f')
                return ctok__fail(diag, CTOK_EUNSUPPORTED, 0, 0,
                                  "special token '%.*s' contains white space, which minbpe's "
                                  ".model format cannot hold", (int)m->tok_len[id], (const char *)p);
    }
    for (uint32_t b = 0; b < 256; b++)
        if (m->byte_id[b] != b)
            return ctok__fail(diag, CTOK_EUNSUPPORTED, 0, 0,
                              "this model's single bytes are not ids 0-255, which minbpe's "
                              ".model format requires");
    return CTOK_OK;
}

static void write_minbpe(const ctok_model *m, FILE *f)
{
    fputs("minbpe v1\n", f);
    if (m->pattern_len)
        fwrite(m->pattern, 1, m->pattern_len, f);
    fprintf(f, "\n%zu\n", m->n_special);
    for (size_t i = 0; i < m->n_special; i++) {
        uint32_t id = m->special_ids[i];
        fwrite(m->arena + m->tok_off[id], 1, m->tok_len[id], f);
        fprintf(f, " %u\n", id);
    }
    for (size_t i = 0; i < m->n_merges; i++)
        fprintf(f, "%u %u\n", m->merges[3 * i], m->merges[3 * i + 1]);
}

static void write_chars(const ctok_model *m, FILE *f)
{
    fprintf(f, "ctok char v1\n%zu\n", m->n_chars);
    for (size_t i = 0; i < m->n_chars; i++)
        fprintf(f, "%u\n", m->chars[i]);
}

/* Characters minbpe escapes: general category C*.  For now the controls (Cc) and the
 * non-characters that matter in practice; the full table comes with the Unicode tables. */
static bool is_other(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
           (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xFFF0 && cp <= 0xFFFB) || cp >= 0xF0000;
}

/* minbpe's render_token: decode with U+FFFD for invalid bytes, then write every character of
 * general category C* (controls, format, unassigned...) as \uXXXX. */
static void render_token(const ctok_model *m, uint32_t id, FILE *f)
{
    const uint8_t *p = m->arena + m->tok_off[id];
    size_t n = m->tok_len[id];
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = ctok__utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            fputs("\xEF\xBF\xBD", f);
            i += ctok__utf8_invalid_len(p + i, n - i);
            continue;
        }
        if (is_other(cp))
            fprintf(f, "\\u%04x", cp);
        else
            fwrite(p + i, 1, k, f);
        i += k;
    }
}

static void write_vocab(const ctok_model *m, FILE *f)
{
    if (m->kind == CTOK_MODEL_CHAR) {
        for (size_t i = 0; i < m->n_chars; i++) {
            fputc('[', f);
            render_token(m, (uint32_t)i, f);
            fprintf(f, "] %zu\n", i);
        }
        return;
    }
    /* minbpe's order: the 256 bytes, the merges in order, then the special tokens */
    for (uint32_t b = 0; b < 256; b++) {
        fputc('[', f);
        render_token(m, b, f);
        fprintf(f, "] %u\n", b);
    }
    for (size_t i = 0; i < m->n_merges; i++) {
        const uint32_t *mg = m->merges + 3 * i;
        fputc('[', f);
        render_token(m, mg[0], f);
        fputs("][", f);
        render_token(m, mg[1], f);
        fputs("] -> [", f);
        render_token(m, mg[2], f);
        fprintf(f, "] %u\n", mg[2]);
    }
    for (size_t i = 0; i < m->n_special; i++) {
        fputc('[', f);
        render_token(m, m->special_ids[i], f);
        fprintf(f, "] %u\n", m->special_ids[i]);
    }
}

int ctok_model_save(const ctok_model *m, const char *prefix, ctok_diag *diag)
{
    if (!m || !prefix)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    if (m->kind == CTOK_MODEL_BPE) {
        int rc = check_minbpe_representable(m, diag);
        if (rc)
            return rc;
    }
    out_file o;
    int rc = out_open(&o, prefix, ".model", diag);
    if (rc)
        return rc;
    if (m->kind == CTOK_MODEL_BPE)
        write_minbpe(m, o.file.f);
    else
        write_chars(m, o.file.f);
    rc = ctok__atomic_close(&o.file, CTOK_OK, diag);
    if (rc)
        return rc;
    rc = out_open(&o, prefix, ".vocab", diag);
    if (rc)
        return rc;
    write_vocab(m, o.file.f);
    return ctok__atomic_close(&o.file, CTOK_OK, diag);
}
