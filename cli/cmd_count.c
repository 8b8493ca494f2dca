/*
 * cmd_count.c - `ctok count`: the number of tokens of each input (as wc counts lines), or with
 * --jsonl of each input line.  Plain text and JSONL go through the same streaming, multi-threaded
 * paths as encode (encode_stream.c, jsonl_stream.c) without printing the ids, so a file of any
 * size counts in bounded memory.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: ctok count [-m MODEL | -e ENCODING] [--special MODE] [--jsonl [--field NAME]]\n"
    "                  [FILE...]\n"
    "\n"
    "Print the number of tokens of each file (default standard input): one number for one\n"
    "input; for several, 'COUNT NAME' per file and 'COUNT total', as wc does.\n"
    "\n"
    CLI_HELP_MODEL
    "  --special MODE      special tokens in the text, as for encode: raise (default), none,\n"
    "                      all, or TOK,TOK...\n"
    "  --jsonl             each input line is a JSON string, or an object whose field NAME\n"
    "                      holds the text; print one count per line, in order\n"
    "  --field NAME        the field for --jsonl objects (default: text)\n"
    "  -j, --threads N     threads (default: all cores)\n"
    CLI_HELP_PROGRESS;

static void out_count(uint64_t n, const char *name)
{
    cli_out_u64(n);
    if (name) {
        cli_out(" ", 1);
        cli_out_str(cli_display_name(name));
    }
    cli_out("\n", 1);
}

int cmd_count(int argc, char **argv)
{
    cli_encode_args a;
    bool done;
    int rc = cli_encode_args_parse(argc, argv, "count", HELP, &a, &done);
    bool several = a.n_files > 1;
    uint64_t total = 0;
    cli_progress prog;
    cli_encode_progress_start(&a, "count", &prog);
    if (!rc && !done && a.jsonl)
        rc = cli_jsonl_files(&a, true, &prog);
    for (size_t i = 0; !rc && !done && !a.jsonl && i < a.n_files; i++) {
        uint64_t n = 0;
        rc = cli_encode_stream(a.model, &a.special.opt, &a.files[i], 1, a.threads, &n, &prog);
        if (!rc)
            out_count(n, several ? a.files[i] : NULL);
        total += n;
    }
    if (!rc && !done && several && !a.jsonl)
        out_count(total, "total");
    /* the summary first: the counts wait in the output buffer, and on a shared terminal they
     * then start a line of their own */
    if (!rc && !done)
        cli_progress_finish(&prog);
    if (!cli_out_close() && !rc)
        rc = EXIT_INPUT;
    cli_encode_args_free(&a);
    return rc;
}
