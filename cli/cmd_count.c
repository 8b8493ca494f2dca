/*
 * cmd_count.c - `ctok count`: the number of tokens of each input (as wc counts lines), or with
 * --jsonl of each input line.  Counting does not store the ids (ctok_encoder_count), so a large
 * file costs no id buffer.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: ctok count [-m MODEL | -e ENCODING] [--special MODE] [--jsonl [--field NAME]]\n"
    "                  [FILE...]\n"
    "\n"
    "Print the number of tokens of each file (default standard input): one number for one\n"
    "input; for several, 'COUNT NAME' per file and 'COUNT total', as wc does.\n"
    "\n"
    "  -m, --model MODEL   a model file (minbpe .model or ctok char model)\n"
    "  -e, --encoding NAME a built-in encoding (ctok encoding list) or a model name that\n"
    "                      tiktoken knows (gpt-4o, gpt-4, text-davinci-003, ...)\n"
    "  --special MODE      special tokens in the text, as for encode: raise (default), none,\n"
    "                      all, or TOK,TOK...\n"
    "  --jsonl             each input line is a JSON string, or an object whose field NAME\n"
    "                      holds the text; print one count per line, in order\n"
    "  --field NAME        the field for --jsonl objects (default: text)\n";

/* Report a failure at byte offset of in (line 0: work it out). */
static void report(const cli_input *in, const ctok_diag *diag, uint64_t offset, uint64_t line)
{
    const char *hint = diag->status == CTOK_ESPECIAL
                           ? " (--special all counts it as one special token, --special none as "
                             "text)"
                           : "";
    if (!line)
        line = cli_line_of(in->data, in->len, offset);
    cli_error("%s:%llu: byte offset %llu: %s%s", in->name, (unsigned long long)line,
              (unsigned long long)offset, diag->message, hint);
}

static void out_count(size_t n, const char *name)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", n);
    cli_out_str(buf);
    if (name) {
        cli_out(" ", 1);
        cli_out_str(name);
    }
    cli_out("\n", 1);
}

static int count_jsonl(ctok_encoder *enc, const ctok_encode_options *opt, const char *field,
                       const cli_input *in)
{
    uint8_t *text = malloc(in->len ? in->len : 1);
    if (!text) {
        cli_error("%s: out of memory", in->name);
        return EXIT_INPUT;
    }
    int rc = EXIT_OK;
    uint64_t line = 0;
    for (size_t pos = 0; !rc && pos < in->len;) {
        const uint8_t *s = in->data + pos;
        const uint8_t *nl = memchr(s, '\n', in->len - pos);
        size_t n = nl ? (size_t)(nl - s) : in->len - pos;
        line++;
        ctok_diag diag;
        size_t text_len, count;
        if (ctok_json_text(s, n, field, text, in->len, &text_len, &diag) != CTOK_OK) {
            cli_error("%s:%llu: column %llu: %s", in->name, (unsigned long long)line,
                      (unsigned long long)diag.offset + 1, diag.message);
            rc = EXIT_INPUT;
        } else if (ctok_encoder_count(enc, text, text_len, opt, &count, &diag) != CTOK_OK) {
            report(in, &diag, diag.offset, line);
            rc = EXIT_INPUT;
        } else {
            out_count(count, NULL);
        }
        pos += n + (nl != NULL);
    }
    free(text);
    return rc;
}

int cmd_count(int argc, char **argv)
{
    const char *model_path = NULL, *encoding = NULL, *special = "raise", *field = "text";
    bool jsonl = false, bad = false, field_given = false;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t n_files = 0;
    if (!files) {
        cli_error("out of memory");
        return EXIT_INPUT;
    }
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i], *f = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(HELP, stdout);
            free(files);
            return EXIT_OK;
        } else if (cli_opt_value(argc, argv, &i, "--model", &model_path, &bad, "count") ||
                   cli_opt_value(argc, argv, &i, "-m", &model_path, &bad, "count") ||
                   cli_opt_value(argc, argv, &i, "--encoding", &encoding, &bad, "count") ||
                   cli_opt_value(argc, argv, &i, "-e", &encoding, &bad, "count") ||
                   cli_opt_value(argc, argv, &i, "--special", &special, &bad, "count")) {
            continue;
        } else if (cli_opt_value(argc, argv, &i, "--field", &f, &bad, "count")) {
            field = f ? f : field;
            field_given = true;
        } else if (!strcmp(a, "--jsonl")) {
            jsonl = true;
        } else if (a[0] == '-' && a[1] != 0) {
            free(files);
            return cli_usage_error("count", "unknown option '%s'", a);
        } else {
            files[n_files++] = a;
        }
    }
    cli_special sp = {{{0, NULL, 0}, {0, NULL, 0}}, NULL};
    int rc = EXIT_OK;
    if (bad)
        rc = EXIT_USAGE;
    else if (field_given && !jsonl)
        rc = cli_usage_error("count", "--field goes with --jsonl");
    else if (!cli_parse_special(special, &sp))
        rc = cli_usage_error("count", "--special: expected raise, none, all or a comma-"
                                      "separated list of special tokens, not '%s'", special);
    ctok_model *model = NULL;
    ctok_encoder *enc = NULL;
    if (!rc)
        rc = cli_load_model("count", model_path, encoding, &model);
    if (!rc && ctok_encoder_new(model, &enc) != CTOK_OK) {
        cli_error("out of memory");
        rc = EXIT_INPUT;
    }
    bool several = n_files > 1;
    if (n_files == 0)
        files[n_files++] = "-";
    size_t total = 0;
    for (size_t i = 0; !rc && i < n_files; i++) {
        cli_input in;
        if (!cli_read_file(files[i], &in)) {
            rc = EXIT_INPUT;
            break;
        }
        if (jsonl) {
            rc = count_jsonl(enc, &sp.opt, field, &in);
        } else {
            ctok_diag diag;
            size_t n;
            if (ctok_encoder_count(enc, in.data, in.len, &sp.opt, &n, &diag) != CTOK_OK) {
                report(&in, &diag, diag.offset, 0);
                rc = EXIT_INPUT;
            } else {
                out_count(n, several ? in.name : NULL);
                total += n;
            }
        }
        cli_input_free(&in);
    }
    if (!rc && several && !jsonl)
        out_count(total, "total");
    if (!cli_out_close() && !rc)
        rc = EXIT_INPUT;
    ctok_encoder_free(enc);
    ctok_model_free(model);
    free(sp.items);
    free(files);
    return rc;
}
