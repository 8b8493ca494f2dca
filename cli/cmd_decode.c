/*
 * cmd_decode.c - `ctok decode`: token ids back to text.  Plain ids give the raw bytes; with
 * --jsonl each line's JSON array becomes a JSON string (invalid UTF-8 as U+FFFD, as tiktoken's
 * decode).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: ctok decode [-m MODEL | -e ENCODING] [--jsonl] [FILE...]\n"
    "\n"
    "Decode token ids (decimal, separated by white space; default standard input) and write the\n"
    "raw bytes to standard output.  An id outside the vocabulary is an error naming it.\n"
    "\n"
    CLI_HELP_MODEL
    "  --jsonl             each input line is a JSON array of ids; print each line's text as a\n"
    "                      JSON string (invalid UTF-8 replaced by U+FFFD, as tiktoken's decode)\n";

static bool is_space(uint8_t c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Whitespace-separated decimal ids: all are checked before any byte is written, so an error
 * never leaves partial output behind. */
static int decode_plain(const ctok_model *model, const cli_input *in)
{
    size_t cap = in->len / 2 + 1, n = 0;
    uint32_t *ids = malloc(cap * sizeof *ids);
    if (!ids) {
        cli_error("%s: out of memory", in->name);
        return EXIT_INPUT;
    }
    uint64_t line = 1;
    int rc = EXIT_OK;
    for (size_t i = 0; i < in->len && !rc;) {
        if (is_space(in->data[i])) {
            line += in->data[i++] == '\n';
            continue;
        }
        size_t start = i;
        uint64_t v = 0;
        bool ok = true;
        while (i < in->len && !is_space(in->data[i])) {
            uint8_t c = in->data[i++];
            if (c < '0' || c > '9' || v > UINT32_MAX)
                ok = false;
            else
                v = v * 10 + (c - '0');
        }
        ctok_bytes tok;
        if (!ok || v >= UINT32_MAX) {
            cli_error("%s:%llu: '%.*s' is not a token id", in->name, (unsigned long long)line,
                      (int)(i - start > 40 ? 40 : i - start), (const char *)in->data + start);
            rc = EXIT_INPUT;
        } else if (ctok_model_token_bytes(model, (uint32_t)v, &tok) != CTOK_OK) {
            cli_error("%s:%llu: unknown token id %llu (the vocabulary has ids below %zu)",
                      in->name, (unsigned long long)line, (unsigned long long)v,
                      ctok_model_n_vocab(model));
            rc = EXIT_INPUT;
        } else {
            ids[n++] = (uint32_t)v;
        }
    }
    for (size_t k = 0; !rc && k < n; k++) {
        ctok_bytes tok;
        ctok_model_token_bytes(model, ids[k], &tok);
        cli_out(tok.ptr, tok.len);
    }
    free(ids);
    return rc;
}

static int decode_jsonl(const ctok_model *model, const cli_input *in)
{
    size_t cap = in->len / 2 + 1;
    uint32_t *ids = malloc(cap * sizeof *ids);
    uint8_t *bytes = NULL, *quoted = NULL;
    size_t bytes_cap = 0, quoted_cap = 0;
    uint64_t line = 0;
    int rc = EXIT_OK;
    for (size_t pos = 0; !rc && pos < in->len;) {
        const uint8_t *s = in->data + pos;
        const uint8_t *nl = memchr(s, '\n', in->len - pos);
        size_t n = nl ? (size_t)(nl - s) : in->len - pos;
        line++;
        pos += n + (nl != NULL);
        ctok_diag diag;
        size_t n_ids, len, qlen;
        if (ctok_json_ids(s, n, ids, cap, &n_ids, &diag) != CTOK_OK) {
            cli_error("%s:%llu: column %llu: %s", in->name, (unsigned long long)line,
                      (unsigned long long)diag.offset + 1, diag.message);
            rc = EXIT_INPUT;
            break;
        }
        if (ctok_decode(model, ids, n_ids, NULL, 0, &len, &diag) != CTOK_OK) {
            cli_error("%s:%llu: %s", in->name, (unsigned long long)line, diag.message);
            rc = EXIT_INPUT;
            break;
        }
        if (len > bytes_cap || 6 * len + 2 > quoted_cap) {
            free(bytes);
            free(quoted);
            bytes_cap = len + 1;
            quoted_cap = 6 * len + 3;
            bytes = malloc(bytes_cap);
            quoted = malloc(quoted_cap);
        }
        ctok_decode(model, ids, n_ids, bytes, bytes_cap, &len, NULL);
        ctok_json_quote(bytes, len, quoted, quoted_cap, &qlen);
        cli_out(quoted, qlen);
        cli_out("\n", 1);
    }
    free(ids);
    free(bytes);
    free(quoted);
    return rc;
}

int cmd_decode(int argc, char **argv)
{
    const char *model_path = NULL, *encoding = NULL;
    bool jsonl = false, bad = false;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t n_files = 0;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(HELP, stdout);
            free(files);
            return EXIT_OK;
        } else if (cli_opt_value(argc, argv, &i, "--model", &model_path, &bad, "decode") ||
                   cli_opt_value(argc, argv, &i, "-m", &model_path, &bad, "decode") ||
                   cli_opt_value(argc, argv, &i, "--encoding", &encoding, &bad, "decode") ||
                   cli_opt_value(argc, argv, &i, "-e", &encoding, &bad, "decode")) {
            continue;
        } else if (!strcmp(a, "--jsonl")) {
            jsonl = true;
        } else if (a[0] == '-' && a[1] != 0) {
            free(files);
            return cli_usage_error("decode", "unknown option '%s'", a);
        } else {
            files[n_files++] = a;
        }
    }
    if (bad) {
        free(files);
        return EXIT_USAGE;
    }
    ctok_model *model = NULL;
    int rc = cli_load_model("decode", model_path, encoding, &model);
    if (n_files == 0)
        files[n_files++] = "-";
    for (size_t i = 0; !rc && i < n_files; i++) {
        cli_input in;
        if (!cli_read_file(files[i], &in)) {
            rc = EXIT_INPUT;
            break;
        }
        rc = jsonl ? decode_jsonl(model, &in) : decode_plain(model, &in);
        cli_input_free(&in);
    }
    if (!cli_out_close() && !rc)
        rc = EXIT_INPUT;
    ctok_model_free(model);
    free(files);
    return rc;
}
