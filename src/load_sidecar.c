/*
 * load_sidecar.c - PREFIX.tiktoken.json, the sidecar of an exported rank file (its layout is in
 * doc/format.md, "Exports"), and ctok_model_load_tiktoken_json, which loads the pair: the sidecar
 * says where the rank file is, which sha256 it must have, the split pattern and the special
 * tokens; the rank file itself goes through the ordinary tiktoken loader.
 *
 * The reader is strict, as the other loaders are: a key it does not know, a key given twice or a
 * value of the wrong kind is an error naming the line, so that a sidecar that loads means exactly
 * what it says.  A version other than 1 is reported as such even when the file has keys this
 * version does not know.
 */
#include "json.h"
#include "loaders.h"
#include "sha256.h"
#include "sidecar.h"

#include <stdio.h>

void ctok__sidecar_free(ctok__sidecar *s)
{
    if (!s || !s->mem)
        return;
    ctok__free(s->mem, s->pattern);
    ctok__free(s->mem, s->rank_file);
    ctok__free(s->mem, s->specials);
    ctok__free(s->mem, s->text);
    ctok__free(s->mem, s->text_off);
    memset(s, 0, sizeof *s);
}

/* A string value at the cursor, decoded into a new NUL-terminated buffer.  no_nul: refuse
 * "\u0000" (the value becomes a C string). */
static int read_string(ctok__json_cursor *c, const ctok_allocator *mem, const char *key,
                       bool no_nul, char **out, size_t *out_len)
{
    size_t at = ctok__json_peek(c) >= 0 ? c->pos : c->len, n;
    if (ctok__json_peek(c) != '"')
        return ctok__json_fail(c, at, CTOK_EFORMAT, "\"%s\" must be a string", key);
    int rc = ctok__json_string(c, NULL, 0, &n);
    if (rc)
        return rc;
    char *s = ctok__alloc(mem, n + 1);
    if (!s)
        return ctok__json_fail(c, at, CTOK_ENOMEM, "%s", ctok_strerror(CTOK_ENOMEM));
    c->pos = at;
    ctok__json_string(c, (uint8_t *)s, n, &n);
    s[n] = 0;
    if (no_nul && memchr(s, 0, n)) {
        ctok__free(mem, s);
        return ctok__json_fail(c, at, CTOK_EFORMAT, "\"%s\" contains a NUL character", key);
    }
    *out = s;
    if (out_len)
        *out_len = n;
    return CTOK_OK;
}

static int on_special(void *user, ctok__json_cursor *c, size_t key_pos, const uint8_t *key,
                      size_t key_len, uint64_t value)
{
    ctok__sidecar *s = user;
    if (key_len == 0)
        return ctok__json_fail(c, key_pos, CTOK_EFORMAT, "a special token with empty text");
    if (value >= CTOK_ID_LIMIT)
        return ctok__json_fail(c, key_pos, CTOK_EFORMAT, "special token \"%.*s\" has the id %llu; "
                               "ids must be below %u", (int)(key_len > 40 ? 40 : key_len),
                               (const char *)key, (unsigned long long)value, CTOK_ID_LIMIT);
    for (size_t i = 0; i < s->n_special; i++)
        if (s->specials[i].text.len == key_len &&
            !memcmp(s->text + s->text_off[i], key, key_len))
            return ctok__json_fail(c, key_pos, CTOK_EFORMAT,
                                   "special token \"%.*s\" is given twice",
                                   (int)(key_len > 40 ? 40 : key_len), (const char *)key);
    int rc = ctok__grow(s->mem, (void **)&s->specials, &s->special_cap, s->n_special + 1,
                        sizeof *s->specials);
    if (!rc)
        rc = ctok__grow(s->mem, (void **)&s->text_off, &s->off_cap, s->n_special + 1,
                        sizeof *s->text_off);
    if (!rc)
        rc = ctok__grow(s->mem, (void **)&s->text, &s->text_cap, s->text_len + key_len, 1);
    if (rc)
        return ctok__json_fail(c, key_pos, rc, "%s", ctok_strerror(rc));
    /* the text arena may still move: keep offsets now, make pointers at the end */
    memcpy(s->text + s->text_len, key, key_len);
    s->text_off[s->n_special] = s->text_len;
    s->specials[s->n_special].text.ptr = NULL;
    s->specials[s->n_special].text.len = key_len;
    s->specials[s->n_special++].id = (uint32_t)value;
    s->text_len += key_len;
    return CTOK_OK;
}

/* The keys, each a bit so that a repeat is caught. */
enum {
    K_FORMAT = 1, K_VERSION = 2, K_NAME = 4, K_RANK_FILE = 8, K_SHA256 = 16, K_N_VOCAB = 32,
    K_PATTERN = 64, K_SPECIAL = 128
};

static int key_bit(const uint8_t *k, size_t n)
{
    static const struct { const char *name; int bit; } KEYS[] = {
        {"format", K_FORMAT}, {"version", K_VERSION}, {"name", K_NAME},
        {"rank_file", K_RANK_FILE}, {"rank_file_sha256", K_SHA256}, {"n_vocab", K_N_VOCAB},
        {"pat_str", K_PATTERN}, {"special_tokens", K_SPECIAL},
    };
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++)
        if (strlen(KEYS[i].name) == n && !memcmp(KEYS[i].name, k, n))
            return KEYS[i].bit;
    return 0;
}

static bool is_sha256_hex(const char *s, size_t n)
{
    if (n != 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* One member's value (an unknown key's is skipped). */
static int read_member(ctok__json_cursor *c, ctok__sidecar *s, int bit, const char *key,
                       uint64_t *version, bool *format_ok)
{
    int rc;
    size_t at = c->pos;
    char *str = NULL;
    size_t n;
    switch (bit) {
    case K_FORMAT: {
        if (ctok__json_peek(c) != '"')
            return ctok__json_fail(c, c->pos, CTOK_EFORMAT, "\"format\" must be a string");
        rc = ctok__json_string_equals(c, (const uint8_t *)CTOK__SIDECAR_FORMAT,
                                      strlen(CTOK__SIDECAR_FORMAT), format_ok);
        return rc;
    }
    case K_VERSION:
        return ctok__json_uint(c, UINT32_MAX, version);
    case K_NAME:
        rc = read_string(c, s->mem, key, false, &str, NULL);
        ctok__free(s->mem, str);
        return rc;
    case K_RANK_FILE:
        rc = read_string(c, s->mem, key, true, &s->rank_file, &n);
        if (!rc && n == 0)
            return ctok__json_fail(c, at, CTOK_EFORMAT, "\"rank_file\" is empty");
        return rc;
    case K_SHA256:
        rc = read_string(c, s->mem, key, true, &str, &n);
        if (!rc && !is_sha256_hex(str, n))
            rc = ctok__json_fail(c, at, CTOK_EFORMAT,
                                 "\"rank_file_sha256\" must be 64 lowercase hex digits");
        if (!rc)
            memcpy(s->sha256, str, 65);
        ctok__free(s->mem, str);
        return rc;
    case K_N_VOCAB:
        return ctok__json_uint(c, UINT32_MAX, &s->n_vocab);
    case K_PATTERN:
        ctok__free(s->mem, s->pattern);
        s->pattern = NULL;
        return read_string(c, s->mem, key, true, &s->pattern, NULL);
    case K_SPECIAL:
        if (ctok__json_peek(c) != '{')
            return ctok__json_fail(c, c->pos, CTOK_EFORMAT,
                                   "\"special_tokens\" must be an object of text -> id");
        return ctok__json_uint_object(c, UINT32_MAX - 1, s->mem, on_special, s);
    default:
        return ctok__json_skip(c);
    }
}

static int parse(ctok__json_cursor *c, ctok__sidecar *s)
{
    int seen = 0;
    uint64_t version = 0;
    bool format_ok = false;
    size_t unknown_at = SIZE_MAX, format_at = 0, version_at = 0;
    char unknown[48] = "";
    int rc = ctok__json_expect(c, '{');
    if (rc)
        return rc;
    bool first = true;
    while (!rc) {
        int b = ctok__json_peek(c);
        if (b == '}' && first) {
            c->pos++;
            break;
        }
        size_t key_pos = c->pos;
        uint8_t key[48];
        size_t key_len;
        if (b != '"')
            return ctok__json_fail(c, key_pos, CTOK_EJSON, "expected a string key");
        if ((rc = ctok__json_string(c, key, sizeof key - 1, &key_len)) != 0)
            return rc;
        int bit = key_len < sizeof key ? key_bit(key, key_len) : 0;
        key[key_len < sizeof key ? key_len : sizeof key - 1] = 0;
        if (bit & seen)
            return ctok__json_fail(c, key_pos, CTOK_EFORMAT, "\"%s\" is given twice",
                                   (const char *)key);
        seen |= bit;
        if (!bit && unknown_at == SIZE_MAX) {
            unknown_at = key_pos;
            snprintf(unknown, sizeof unknown, "%.40s%s", (const char *)key,
                     key_len > 40 ? "..." : "");
        }
        if (bit == K_FORMAT)
            format_at = key_pos;
        if (bit == K_VERSION)
            version_at = key_pos;
        if ((rc = ctok__json_expect(c, ':')) != 0)
            return rc;
        rc = read_member(c, s, bit, (const char *)key, &version, &format_ok);
        if (rc)
            return rc;
        first = false;
        b = ctok__json_peek(c);
        if (b == ',') {
            c->pos++;
        } else if (b == '}') {
            c->pos++;
            break;
        } else {
            return ctok__json_fail(c, c->pos, CTOK_EJSON, "expected ',' or '}'");
        }
    }
    if ((rc = ctok__json_end(c)) != 0)
        return rc;
    if (!(seen & K_FORMAT) || !format_ok)
        return ctok__json_fail(c, format_at, CTOK_EFORMAT,
                               "not a ctok sidecar: \"format\" must be \"%s\"",
                               CTOK__SIDECAR_FORMAT);
    if (!(seen & K_VERSION))
        return ctok__json_fail(c, 0, CTOK_EFORMAT, "\"version\" is missing");
    if (version != CTOK__SIDECAR_VERSION)
        return ctok__json_fail(c, version_at, CTOK_EVERSION,
                               "version %llu is not supported (this ctok reads version %d)",
                               (unsigned long long)version, CTOK__SIDECAR_VERSION);
    if (unknown_at != SIZE_MAX)
        return ctok__json_fail(c, unknown_at, CTOK_EFORMAT, "unknown key \"%s\"", unknown);
    if (!(seen & K_PATTERN))
        return ctok__json_fail(c, 0, CTOK_EFORMAT, "\"pat_str\" is missing (\"\" for none)");
    if (!(seen & K_SPECIAL))
        return ctok__json_fail(c, 0, CTOK_EFORMAT,
                               "\"special_tokens\" is missing ({} for none)");
    return CTOK_OK;
}

int ctok__sidecar_parse(const uint8_t *data, size_t len, const char *name,
                        const ctok_allocator *mem, ctok__sidecar *out, ctok_diag *diag)
{
    ctok__sidecar s;
    memset(&s, 0, sizeof s);
    s.mem = mem;
    s.n_vocab = UINT64_MAX;
    ctok__json_cursor c;
    ctok__json_init(&c, data, len, name, diag);
    int rc = parse(&c, &s);
    if (rc) {
        ctok__sidecar_free(&s);
        return rc;
    }
    for (size_t i = 0; i < s.n_special; i++)
        s.specials[i].text.ptr = s.text + s.text_off[i];
    *out = s;
    return CTOK_OK;
}

/* The rank file's path: rank_file relative to the sidecar's folder, or the sidecar's path
 * without ".json" when the sidecar does not name it. */
static int rank_path(const char *sidecar_path, const ctok__sidecar *s, char *out, size_t cap,
                     ctok_diag *diag)
{
    size_t n = strlen(sidecar_path);
    if (!s->rank_file) {
        if (n < 6 || strcmp(sidecar_path + n - 5, ".json") != 0)
            return ctok__fail(diag, CTOK_EFORMAT, 0, 0,
                              "%s: the sidecar names no \"rank_file\", and its own name does "
                              "not end in .json to take it from", sidecar_path);
        if (n - 5 >= cap)
            return ctok__fail(diag, CTOK_EINVAL, 0, 0, "%s: path too long", sidecar_path);
        memcpy(out, sidecar_path, n - 5);
        out[n - 5] = 0;
        return CTOK_OK;
    }
    const char *slash = strrchr(sidecar_path, '/');
    int dir_len = s->rank_file[0] == '/' || !slash ? 0 : (int)(slash - sidecar_path + 1);
    if ((size_t)snprintf(out, cap, "%.*s%s", dir_len, sidecar_path, s->rank_file) >= cap)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "%s: path too long", sidecar_path);
    return CTOK_OK;
}

int ctok_model_load_tiktoken_json(const char *path, const ctok_allocator *alloc,
                                  ctok_model **out, ctok_diag *diag)
{
    if (!path || !out)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    ctok_allocator mem;
    ctok__mem_init(&mem, alloc);
    uint8_t *data = NULL, *ranks = NULL;
    size_t len, ranks_len;
    ctok__sidecar s;
    memset(&s, 0, sizeof s);
    char rpath[4200];
    int rc = ctok__read_file(&mem, path, &data, &len, diag);
    if (!rc)
        rc = ctok__sidecar_parse(data, len, path, &mem, &s, diag);
    ctok__free(&mem, data);
    if (!rc)
        rc = rank_path(path, &s, rpath, sizeof rpath, diag);
    if (!rc)
        rc = ctok__read_file(&mem, rpath, &ranks, &ranks_len, diag);
    if (!rc && s.sha256[0]) {
        char hex[65];
        ctok__sha256_hex(ranks, ranks_len, hex);
        if (strcmp(hex, s.sha256))
            rc = ctok__fail(diag, CTOK_EFORMAT, 0, 0,
                            "%s: its sha256 is %s, but the sidecar %s expects %s: the two files "
                            "do not belong together", rpath, hex, path, s.sha256);
    }
    ctok_model *m = NULL;
    if (!rc)
        rc = ctok__tiktoken_build(ranks, ranks_len, rpath, s.pattern, s.specials, s.n_special,
                                  alloc, &m, diag);
    if (!rc && s.n_vocab != UINT64_MAX && ctok_model_n_vocab(m) != s.n_vocab) {
        rc = ctok__fail(diag, CTOK_EFORMAT, 0, 0,
                        "%s: \"n_vocab\" is %llu, but the rank file and the special tokens make "
                        "%zu", path, (unsigned long long)s.n_vocab, ctok_model_n_vocab(m));
        ctok_model_free(m);
    }
    ctok__free(&mem, ranks);
    ctok__sidecar_free(&s);
    if (!rc)
        *out = m;
    return rc;
}
