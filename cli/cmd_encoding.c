/*
 * cmd_encoding.c - `ctok encoding list` (the built-in encodings) and `ctok info` (what one
 * tokenizer is: vocabulary size, special tokens, split pattern and the sha256 of its file).
 * Output is "key: value" lines, easy to read and to grep.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char ENCODING_HELP[] =
    "usage: ctok encoding list [-v]\n"
    "\n"
    "List the built-in encodings, one name per line; with -v also the vocabulary size, the\n"
    "number of special tokens and the rank file.  They are part of ctok (no download, no\n"
    "data directory) and give exactly tiktoken's ids.  Wherever an encoding is asked for\n"
    "(-e), a model name that tiktoken knows works too: gpt-4o, gpt-4, gpt-3.5-turbo,\n"
    "text-davinci-003, gpt-oss-20b, ...\n";

static const char INFO_HELP[] =
    "usage: ctok info (-e ENCODING | -m MODEL)\n"
    "\n"
    "Describe a tokenizer: its kind, vocabulary size (one past the largest id), number of\n"
    "ordinary and special tokens, each special token ('special: ID TEXT'), the split pattern,\n"
    "and the sha256 of its file (for a built-in encoding, of the embedded rank file, checked\n"
    "against the published value).\n"
    "\n"
    "  -e, --encoding NAME a built-in encoding or a model name that tiktoken knows\n"
    CLI_HELP_MODEL_FILE;

static void line_str(const char *key, const char *value)
{
    cli_out_str(key);
    cli_out(": ", 2);
    cli_out_str(value);
    cli_out("\n", 1);
}

static void line_size(const char *key, size_t value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", value);
    line_str(key, buf);
}

int cmd_encoding(int argc, char **argv)
{
    bool verbose = false, list = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(ENCODING_HELP, stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
            verbose = true;
        } else if (!strcmp(argv[i], "list") && !list) {
            list = true;
        } else {
            return cli_usage_error("encoding", "unexpected '%s'", argv[i]);
        }
    }
    if (!list)
        return cli_usage_error("encoding", "expected 'list'");
    for (size_t i = 0; i < ctok_encoding_count(); i++) {
        const char *name = ctok_encoding_name(i);
        ctok_encoding_info info;
        if (!verbose || ctok_encoding_info_get(name, &info) != CTOK_OK) {
            cli_out_str(name);
            cli_out("\n", 1);
            continue;
        }
        char buf[256];
        snprintf(buf, sizeof buf, "%-14s n_vocab %-7zu special %-5zu %s\n", name, info.n_vocab,
                 info.n_special, info.file);
        cli_out_str(buf);
    }
    return cli_out_close() ? EXIT_OK : EXIT_INPUT;
}

static void print_head(const ctok_model *model)
{
    line_str("kind", ctok_model_get_kind(model) == CTOK_MODEL_BPE ? "bpe" : "char");
    line_size("n_vocab", ctok_model_n_vocab(model));
}

static void print_specials(const ctok_model *model)
{
    size_t n_special = ctok_model_n_special(model);
    line_size("n_special", n_special);
    uint32_t eot;
    if (ctok_model_eot(model, &eot) == CTOK_OK)
        line_size("eot", eot);
    for (size_t i = 0; i < n_special; i++) {
        ctok_bytes text;
        uint32_t id;
        if (ctok_model_special(model, i, &text, &id) != CTOK_OK)
            continue;
        cli_out_str("special: ");
        cli_out_u32(id);
        cli_out(" ", 1);
        cli_out(text.ptr, text.len);
        cli_out("\n", 1);
    }
    ctok_bytes pattern = ctok_model_pattern(model);
    cli_out_str("pattern: ");
    cli_out(pattern.ptr, pattern.len);
    cli_out("\n", 1);
}

static int info_encoding(const char *name)
{
    ctok_encoding_info info;
    if (ctok_encoding_info_get(name, &info) != CTOK_OK) {
        ctok_diag diag;
        ctok_model *none = NULL;
        ctok_encoding_load(name, NULL, &none, &diag); /* for its message listing the names */
        return cli_usage_error("info", "%s", diag.message);
    }
    ctok_model *model = NULL;
    int rc = cli_load_model("info", NULL, name, &model);
    if (rc)
        return rc;
    line_str("encoding", info.name);
    if (strcmp(name, info.name))
        line_str("model", name);
    print_head(model);
    line_size("n_ordinary", info.n_ranks);
    print_specials(model);
    char buf[300];
    snprintf(buf, sizeof buf, "%s (built in, %zu bytes)", info.file, info.rank_file.len);
    line_str("file", buf);
    char hex[65];
    ctok_sha256_hex(info.rank_file.ptr, info.rank_file.len, hex);
    bool same = !strcmp(hex, info.sha256);
    snprintf(buf, sizeof buf, "%s (%s)", hex,
             same ? "the published value" : "DIFFERS from the published value");
    line_str("sha256", buf);
    if (!same)
        line_str("sha256_published", info.sha256);
    ctok_model_free(model);
    if (!cli_out_close())
        return EXIT_INPUT;
    if (!same) {
        cli_error("%s: the embedded rank file does not match its published sha256", info.name);
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

static int info_model(const char *path)
{
    ctok_model *model = NULL;
    int rc = cli_load_model("info", path, NULL, &model);
    if (rc)
        return rc;
    /* a folder (GPT-2's encoder.json + vocab.bpe) has no one file to hash */
    struct stat st;
    bool one_file = stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
    cli_input in = {0};
    if (one_file && !cli_read_file(path, &in)) {
        ctok_model_free(model);
        return EXIT_INPUT;
    }
    line_str("model", path);
    print_head(model);
    line_size("n_merges", ctok_model_n_merges(model));
    print_specials(model);
    if (one_file) {
        char hex[65];
        ctok_sha256_hex(in.data, in.len, hex);
        line_str("sha256", hex);
        cli_input_free(&in);
    }
    ctok_model_free(model);
    return cli_out_close() ? EXIT_OK : EXIT_INPUT;
}

int cmd_info(int argc, char **argv)
{
    const char *model_path = NULL, *encoding = NULL;
    bool bad = false;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(INFO_HELP, stdout);
            return EXIT_OK;
        } else if (cli_opt_value(argc, argv, &i, "--model", &model_path, &bad, "info") ||
                   cli_opt_value(argc, argv, &i, "-m", &model_path, &bad, "info") ||
                   cli_opt_value(argc, argv, &i, "--encoding", &encoding, &bad, "info") ||
                   cli_opt_value(argc, argv, &i, "-e", &encoding, &bad, "info")) {
            continue;
        } else {
            return cli_usage_error("info", "unexpected '%s'", a);
        }
    }
    if (bad)
        return EXIT_USAGE;
    if (model_path && encoding)
        return cli_usage_error("info", "give either -m MODEL or -e ENCODING, not both");
    if (!model_path && !encoding)
        return cli_usage_error("info", "which tokenizer? give -m MODEL or -e ENCODING");
    return encoding ? info_encoding(encoding) : info_model(model_path);
}
