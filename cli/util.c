/*
 * util.c - the CLI's plumbing: messages, option values, reading inputs, buffered output, and
 * the model for -m/-e (every kind of model file -m takes).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_error(const char *fmt, ...)
{
    cli_progress_break();
    fflush(stdout);
    fputs("ctok: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    fputs("ctok: ", stderr);
    if (cmd)
        fprintf(stderr, "%s: ", cmd);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'ctok %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return EXIT_USAGE;
}

bool cli_opt_value(int argc, char **argv, int *i, const char *name, const char **value, bool *bad,
                   const char *cmd)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return false;
    if (a[n] == '=') {
        *value = a + n + 1;
        return true;
    }
    if (n == 2 && name[0] == '-' && name[1] != '-' && a[n] != 0) {
        *value = a + n; /* a short option's value may be attached: -j4, -mfile.model */
        return true;
    }
    if (a[n] != 0)
        return false;
    if (*i + 1 >= argc) {
        cli_usage_error(cmd, "option %s needs a value", name);
        *bad = true;
        return true;
    }
    *value = argv[++*i];
    return true;
}

unsigned cli_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

bool cli_parse_size(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return false;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = v;
    return true;
}

bool cli_read_file(const char *path, cli_input *in)
{
    bool is_stdin = strcmp(path, "-") == 0;
    in->name = cli_display_name(path);
    in->data = NULL;
    in->len = 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        cli_error("%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 1 << 16;
    uint8_t *buf = malloc(cap);
    size_t len = 0;
    for (;;) {
        if (!buf) {
            cli_error("%s: out of memory after %zu bytes", in->name, len);
            if (!is_stdin)
                fclose(f);
            return false;
        }
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (k == 0)
            break;
        if (len == cap) {
            uint8_t *bigger = realloc(buf, cap * 2);
            if (!bigger)
                free(buf);
            buf = bigger;
            cap *= 2;
        }
    }
    bool bad = ferror(f) != 0;
    int err = errno;
    if (!is_stdin)
        fclose(f);
    if (bad) {
        cli_error("%s: read error: %s", in->name, strerror(err));
        free(buf);
        return false;
    }
    in->data = buf;
    in->len = len;
    return true;
}

void cli_input_free(cli_input *in)
{
    free(in->data);
    in->data = NULL;
}

const char *cli_display_name(const char *path)
{
    return strcmp(path, "-") ? path : "<stdin>";
}

/* ---- output ---- */

static uint8_t out_buf[1 << 16];
static size_t out_len;
static bool out_failed;

static void out_flush(void)
{
    if (out_len && fwrite(out_buf, 1, out_len, stdout) != out_len)
        out_failed = true;
    out_len = 0;
}

void cli_out(const void *p, size_t n)
{
    if (n > sizeof out_buf - out_len) {
        out_flush();
        if (n > sizeof out_buf) {
            if (fwrite(p, 1, n, stdout) != n)
                out_failed = true;
            return;
        }
    }
    memcpy(out_buf + out_len, p, n);
    out_len += n;
}

void cli_out_str(const char *s) { cli_out(s, strlen(s)); }

void cli_out_u64(uint64_t v)
{
    char tmp[20];
    cli_out(tmp, cli_format_u64(tmp, v));
}

void cli_out_u32(uint32_t v) { cli_out_u64(v); }

bool cli_out_close(void)
{
    out_flush();
    if (fflush(stdout) != 0 || ferror(stdout))
        out_failed = true;
    if (out_failed)
        cli_error("write error on standard output: %s", strerror(errno));
    return !out_failed;
}

bool cli_parse_special(const char *mode, cli_special *s)
{
    memset(&s->opt, 0, sizeof s->opt);
    s->items = NULL;
    if (!strcmp(mode, "raise")) {
        s->opt.disallowed.all = 1;
    } else if (!strcmp(mode, "none")) {
        /* nothing allowed, nothing disallowed: special text is ordinary text */
    } else if (!strcmp(mode, "all")) {
        s->opt.allowed.all = 1;
        s->opt.disallowed.all = 1;
    } else {
        size_t n = 1;
        for (const char *p = mode; *p; p++)
            n += *p == ',';
        s->items = calloc(n, sizeof *s->items);
        if (!s->items)
            return false;
        size_t k = 0;
        for (const char *p = mode;;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            if (len == 0)
                return false;
            s->items[k].ptr = (const uint8_t *)p;
            s->items[k++].len = len;
            if (!comma)
                break;
            p = comma + 1;
        }
        s->opt.allowed.items = s->items;
        s->opt.allowed.n = k;
        s->opt.disallowed.all = 1;
    }
    return true;
}

/* ---- -m FILE: every kind of model file ---- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* path with its last `strip` bytes replaced by `add`, in a new string (NULL if out of memory). */
static char *path_swap(const char *path, size_t strip, const char *add)
{
    size_t n = strlen(path) - strip, k = strlen(add);
    char *s = malloc(n + k + 1);
    if (s) {
        memcpy(s, path, n);
        memcpy(s + n, add, k + 1);
    }
    return s;
}

/* The file `want` beside `path` (whose name ends in `have`): first with the same prefix
 * (gpt2-encoder.json -> gpt2-vocab.bpe), then plainly in the same folder. */
static char *sibling(const char *path, const char *have, const char *want)
{
    char *same_prefix = path_swap(path, strlen(have), want);
    if (!same_prefix || is_file(same_prefix))
        return same_prefix;
    free(same_prefix);
    const char *slash = strrchr(path, '/');
    return path_swap(path, slash ? strlen(slash + 1) : strlen(path), want);
}

static int load_gpt2_files(const char *encoder, const char *vocab, ctok_model **out)
{
    ctok_diag diag;
    if (!is_file(vocab)) {
        cli_error("%s: GPT-2's merges file %s is not there (encoder.json and vocab.bpe go "
                  "together)", encoder, vocab);
        return EXIT_INPUT;
    }
    if (ctok_model_load_gpt2(encoder, vocab, NULL, out, &diag) != CTOK_OK) {
        cli_error("%s", diag.message);
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

/* GPT-2's encoder.json + vocab.bpe: a folder holding both, or either file (the other beside). */
static int load_gpt2(const char *path, ctok_model **out)
{
    char *encoder = NULL, *vocab = NULL;
    if (is_dir(path)) {
        encoder = path_swap(path, 0, ends_with(path, "/") ? "encoder.json" : "/encoder.json");
        vocab = path_swap(path, 0, ends_with(path, "/") ? "vocab.bpe" : "/vocab.bpe");
    } else if (ends_with(path, "encoder.json")) {
        encoder = path_swap(path, 0, "");
        vocab = sibling(path, "encoder.json", "vocab.bpe");
    } else {
        encoder = sibling(path, "vocab.bpe", "encoder.json");
        vocab = path_swap(path, 0, "");
    }
    int rc = EXIT_INPUT;
    if (!encoder || !vocab)
        cli_error("out of memory");
    else if (is_dir(path) && !is_file(encoder))
        cli_error("%s: a folder, but not GPT-2's: it has no encoder.json and vocab.bpe", path);
    else if (!is_file(encoder))
        cli_error("%s: GPT-2's vocabulary file %s is not there (encoder.json and vocab.bpe go "
                  "together)", path, encoder);
    else
        rc = load_gpt2_files(encoder, vocab, out);
    free(encoder);
    free(vocab);
    return rc;
}

/* A rank file with a built-in encoding's pattern and special tokens (-m FILE -e NAME). */
static int load_ranks_as(const char *cmd, const char *path, const char *encoding,
                         ctok_model **out)
{
    ctok_encoding_info info;
    ctok_model *builtin = NULL;
    ctok_diag diag;
    if (ctok_encoding_info_get(encoding, &info) != CTOK_OK) {
        ctok_encoding_load(encoding, NULL, &builtin, &diag); /* for its message */
        return cli_usage_error(cmd, "%s", diag.message);
    }
    if (ctok_encoding_load(encoding, NULL, &builtin, &diag) != CTOK_OK) {
        cli_error("%s", diag.message);
        return EXIT_INPUT;
    }
    size_t n = ctok_model_n_special(builtin);
    ctok_special_token *specials = calloc(n ? n : 1, sizeof *specials);
    int rc = EXIT_INPUT;
    if (!specials) {
        cli_error("out of memory");
    } else {
        for (size_t i = 0; i < n; i++)
            ctok_model_special(builtin, i, &specials[i].text, &specials[i].id);
        if (ctok_model_load_tiktoken(path, info.pattern, specials, n, NULL, out, &diag) == CTOK_OK)
            rc = EXIT_OK;
        else
            cli_error("%s (with %s's pattern and special tokens)", diag.message, info.name);
    }
    free(specials);
    ctok_model_free(builtin);
    return rc;
}

static int load_file(const char *cmd, const char *path, ctok_model **out)
{
    ctok_diag diag;
    int status;
    if (is_dir(path) || ends_with(path, "encoder.json") || ends_with(path, "vocab.bpe"))
        return load_gpt2(path, out);
    if (ends_with(path, ".tiktoken.json")) {
        status = ctok_model_load_tiktoken_json(path, NULL, out, &diag);
    } else if (ends_with(path, ".tiktoken")) {
        char *sidecar = path_swap(path, 0, ".json");
        if (!sidecar) {
            cli_error("out of memory");
            return EXIT_INPUT;
        }
        if (!is_file(sidecar)) {
            if (is_file(path))
                cli_usage_error(cmd, "%s: a rank file has no split pattern or special tokens, "
                                "and its sidecar %s is not there: add -e ENCODING to use a "
                                "built-in encoding's (ctok encoding list), or write the sidecar "
                                "(doc/format.md)", path, sidecar);
            else
                cli_error("%s: cannot open: %s", path, strerror(ENOENT));
            free(sidecar);
            return is_file(path) ? EXIT_USAGE : EXIT_INPUT;
        }
        status = ctok_model_load_tiktoken_json(sidecar, NULL, out, &diag);
        free(sidecar);
    } else {
        status = ctok_model_load(path, NULL, out, &diag);
    }
    if (status != CTOK_OK) {
        cli_error("%s", diag.message);
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

int cli_load_model(const char *cmd, const char *model_path, const char *encoding,
                   ctok_model **out)
{
    if (!model_path && !encoding)
        return cli_usage_error(cmd, "which tokenizer? give -m MODEL or -e ENCODING");
    if (model_path && encoding) {
        if (ends_with(model_path, ".tiktoken"))
            return load_ranks_as(cmd, model_path, encoding, out);
        return cli_usage_error(cmd, "give either -m MODEL or -e ENCODING, not both (both "
                                    "together: a .tiktoken rank file with the encoding's "
                                    "pattern and special tokens)");
    }
    ctok_diag diag;
    if (encoding) {
        if (ctok_encoding_load(encoding, NULL, out, &diag) == CTOK_OK)
            return EXIT_OK;
        if (diag.status == CTOK_ENOTFOUND)
            return cli_usage_error(cmd, "%s", diag.message);
        cli_error("%s", diag.message);
        return EXIT_INPUT;
    }
    return load_file(cmd, model_path, out);
}
