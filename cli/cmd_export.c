/*
 * cmd_export.c - `ctok export`: write a tokenizer in another tool's format, tiktoken's rank file
 * plus sidecar or HF tokenizers' tokenizer.json (the library's ctok_model_export_*).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char HELP[] =
    "usage: ctok export -m MODEL | -e ENCODING --format tiktoken|hf -o PREFIX\n"
    "\n"
    "Write a byte-level BPE tokenizer in another tool's format.\n"
    "\n"
    "  --format tiktoken   PREFIX.tiktoken (tiktoken's rank file: one 'BASE64 RANK' line per\n"
    "                      token, rank = id) and PREFIX.tiktoken.json (split pattern, special\n"
    "                      tokens, the rank file's sha256); ctok -m PREFIX.tiktoken loads them\n"
    "  --format hf         PREFIX.tokenizer.json, or DIR/tokenizer.json when -o is a folder:\n"
    "                      HF tokenizers' byte-level BPE with the split pattern and the special\n"
    "                      tokens (Tokenizer.from_file)\n"
    "  -m, --model MODEL   the tokenizer: a .model file, a .tiktoken rank file with its\n"
    "                      .tiktoken.json sidecar (or with -e NAME: that encoding's pattern and\n"
    "                      special tokens), GPT-2's encoder.json (vocab.bpe beside it)\n"
    "  -e, --encoding NAME a built-in encoding (ctok encoding list)\n"
    "  -o, --output PREFIX where to write\n"
    "  -q, --quiet         no summary on stderr\n"
    "\n"
    "The ids are the model's; the export fails (status 1, with the reason) when the other\n"
    "format cannot give exactly the same ids: a character model, two ids with the same bytes,\n"
    "or (tiktoken) a hand-made merge list that tiktoken's rank rule would merge differently.\n";

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int cmd_export(int argc, char **argv)
{
    const char *model_path = NULL, *encoding = NULL, *format = NULL, *output = NULL;
    bool bad = false, quiet = false;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(HELP, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if (cli_opt_value(argc, argv, &i, "--model", &model_path, &bad, "export") ||
                   cli_opt_value(argc, argv, &i, "-m", &model_path, &bad, "export") ||
                   cli_opt_value(argc, argv, &i, "--encoding", &encoding, &bad, "export") ||
                   cli_opt_value(argc, argv, &i, "-e", &encoding, &bad, "export") ||
                   cli_opt_value(argc, argv, &i, "--format", &format, &bad, "export") ||
                   cli_opt_value(argc, argv, &i, "--output", &output, &bad, "export") ||
                   cli_opt_value(argc, argv, &i, "-o", &output, &bad, "export")) {
            continue;
        } else {
            return cli_usage_error("export", "unexpected '%s'", a);
        }
    }
    if (bad)
        return EXIT_USAGE;
    if (!format)
        return cli_usage_error("export", "which format? give --format tiktoken or --format hf");
    bool hf = !strcmp(format, "hf");
    if (!hf && strcmp(format, "tiktoken"))
        return cli_usage_error("export", "--format takes tiktoken or hf, not '%s'", format);
    if (!output || !*output)
        return cli_usage_error("export", "where to? give -o PREFIX");
    ctok_model *model = NULL;
    int rc = cli_load_model("export", model_path, encoding, &model);
    if (rc)
        return rc;
    size_t n = strlen(output);
    char *path = malloc(n + 32);
    if (!path) {
        ctok_model_free(model);
        cli_error("out of memory");
        return EXIT_INPUT;
    }
    if (hf && is_dir(output))
        snprintf(path, n + 32, "%s%stokenizer.json", output, output[n - 1] == '/' ? "" : "/");
    else
        snprintf(path, n + 32, hf ? "%s.tokenizer.json" : "%s.tiktoken", output);
    ctok_diag diag;
    int status = hf ? ctok_model_export_hf(model, path, &diag)
                    : ctok_model_export_tiktoken(model, output, &diag);
    if (status != CTOK_OK) {
        cli_error("export: %s", diag.message);
        rc = EXIT_INPUT;
    } else if (!quiet) {
        fprintf(stderr, "ctok: export: %zu ids, %zu special -> %s%s\n", ctok_model_n_vocab(model),
                ctok_model_n_special(model), path, hf ? "" : " (+ .json)");
    }
    free(path);
    ctok_model_free(model);
    return rc;
}
