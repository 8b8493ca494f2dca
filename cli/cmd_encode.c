/*
 * cmd_encode.c - `ctok encode`: text to token ids, as one line of ids or, with --jsonl, one JSON
 * array per input line.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: ctok encode [-m MODEL | -e ENCODING] [--special MODE] [--jsonl [--field NAME]]\n"
    "                   [FILE...]\n"
    "\n"
    "Encode the text of the files (concatenated; default standard input) and print the ids\n"
    "separated by spaces, then a newline.  Any bytes encode, valid UTF-8 or not.\n"
    "\n"
    "  -m, --model MODEL   a model file (minbpe .model or ctok char model)\n"
    "  -e, --encoding NAME a built-in encoding (ctok encoding list) or a model name that\n"
    "                      tiktoken knows (gpt-4o, gpt-4, text-davinci-003, ...)\n"
    "  --special MODE      special tokens in the text, as tiktoken:\n"
    "                        raise  (default) an error naming the token and where it is\n"
    "                        none   encode their text as ordinary text\n"
    "                        all    encode them as their special ids\n"
    "                        TOK,TOK...  these as special ids; any other is an error\n"
    "  --jsonl             each input line is a JSON string, or an object whose field NAME\n"
    "                      holds the text; print one JSON array of ids per line, in order\n"
    "  --field NAME        the field for --jsonl objects (default: text)\n"
    "  -j, --threads N     threads for plain text (default: all cores); the ids are the same\n"
    "                      for any N.  Plain text is read and encoded block by block, so any\n"
    "                      size fits in bounded memory.\n";

/* Report an encoding failure at offset of input in. */
static void report(const cli_input *in, const ctok_diag *diag, uint64_t offset, uint64_t line)
{
    const char *hint = diag->status == CTOK_ESPECIAL
                           ? " (--special all encodes it as a special token, --special none as "
                             "text)"
                           : "";
    if (!line)
        line = cli_line_of(in->data, in->len, offset);
    cli_error("%s:%llu: byte offset %llu: %s%s", in->name, (unsigned long long)line,
              (unsigned long long)offset, diag->message, hint);
}

static void print_ids(const uint32_t *ids, size_t n, bool json)
{
    if (json)
        cli_out("[", 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            cli_out(json ? "," : " ", 1);
        cli_out_u32(ids[i]);
    }
    cli_out(json ? "]\n" : "\n", json ? 2 : 1);
}

static int encode_jsonl(ctok_encoder *enc, const ctok_encode_options *opt, const char *field,
                        const cli_input *in)
{
    uint8_t *text = malloc(in->len ? in->len : 1);
    uint32_t *ids = malloc((in->len ? in->len : 1) * sizeof *ids);
    int rc = text && ids ? EXIT_OK : EXIT_INPUT;
    if (rc)
        cli_error("%s: out of memory", in->name);
    uint64_t line = 0;
    for (size_t pos = 0; !rc && pos < in->len;) {
        const uint8_t *s = in->data + pos;
        const uint8_t *nl = memchr(s, '\n', in->len - pos);
        size_t n = nl ? (size_t)(nl - s) : in->len - pos;
        line++;
        ctok_diag diag;
        size_t text_len, n_ids;
        if (ctok_json_text(s, n, field, text, in->len, &text_len, &diag) != CTOK_OK) {
            cli_error("%s:%llu: column %llu: %s", in->name, (unsigned long long)line,
                      (unsigned long long)diag.offset + 1, diag.message);
            rc = EXIT_INPUT;
        } else if (ctok_encoder_encode(enc, text, text_len, opt, ids, text_len, &n_ids, &diag) !=
                   CTOK_OK) {
            report(in, &diag, diag.offset, line);
            rc = EXIT_INPUT;
        } else {
            print_ids(ids, n_ids, true);
        }
        pos += n + (nl != NULL);
    }
    free(text);
    free(ids);
    return rc;
}

int cmd_encode(int argc, char **argv)
{
    const char *model_path = NULL, *encoding = NULL, *special = "raise", *field = "text";
    const char *threads_arg = NULL;
    bool jsonl = false, bad = false, field_given = false;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t n_files = 0;
    int rc = EXIT_OK;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i], *f = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(HELP, stdout);
            free(files);
            return EXIT_OK;
        } else if (cli_opt_value(argc, argv, &i, "--model", &model_path, &bad, "encode") ||
                   cli_opt_value(argc, argv, &i, "-m", &model_path, &bad, "encode") ||
                   cli_opt_value(argc, argv, &i, "--encoding", &encoding, &bad, "encode") ||
                   cli_opt_value(argc, argv, &i, "-e", &encoding, &bad, "encode") ||
                   cli_opt_value(argc, argv, &i, "--special", &special, &bad, "encode") ||
                   cli_opt_value(argc, argv, &i, "--threads", &threads_arg, &bad, "encode") ||
                   cli_opt_value(argc, argv, &i, "-j", &threads_arg, &bad, "encode")) {
            continue;
        } else if (cli_opt_value(argc, argv, &i, "--field", &f, &bad, "encode")) {
            field = f ? f : field;
            field_given = true;
        } else if (!strcmp(a, "--jsonl")) {
            jsonl = true;
        } else if (a[0] == '-' && a[1] != 0) {
            free(files);
            return cli_usage_error("encode", "unknown option '%s'", a);
        } else {
            files[n_files++] = a;
        }
    }
    if (bad) {
        free(files);
        return EXIT_USAGE;
    }
    uint64_t threads = 0;
    if (threads_arg && (!cli_parse_size(threads_arg, &threads) || threads < 1 || threads > 64)) {
        free(files);
        return cli_usage_error("encode", "-j takes a number of threads from 1 to 64, not '%s'",
                               threads_arg);
    }
    if (!threads_arg)
        threads = cli_cpu_count();
    if (field_given && !jsonl) {
        free(files);
        return cli_usage_error("encode", "--field goes with --jsonl");
    }
    cli_special sp;
    if (!cli_parse_special(special, &sp)) {
        free(sp.items);
        free(files);
        return cli_usage_error("encode", "--special: expected raise, none, all or a comma-"
                                         "separated list of special tokens, not '%s'", special);
    }
    ctok_model *model = NULL;
    rc = cli_load_model("encode", model_path, encoding, &model);
    ctok_encoder *enc = NULL;
    if (!rc && ctok_encoder_new(model, &enc) != CTOK_OK) {
        cli_error("out of memory");
        rc = EXIT_INPUT;
    }
    if (n_files == 0)
        files[n_files++] = "-";
    if (!rc && !jsonl) {
        rc = cli_encode_stream(model, &sp.opt, files, n_files, threads);
    } else {
        for (size_t i = 0; !rc && i < n_files; i++) {
            cli_input in;
            if (!cli_read_file(files[i], &in)) {
                rc = EXIT_INPUT;
                break;
            }
            rc = encode_jsonl(enc, &sp.opt, field, &in);
            cli_input_free(&in);
        }
    }
    if (!cli_out_close() && !rc)
        rc = EXIT_INPUT;
    ctok_encoder_free(enc);
    ctok_model_free(model);
    free(sp.items);
    free(files);
    return rc;
}
