/*
 * cmd_encode.c - `ctok encode`: text to token ids, as one line of ids for plain text (streamed,
 * multi-threaded: encode_stream.c) or, with --jsonl, one JSON array per input line (the same way:
 * jsonl_stream.c).
 */
#include "cli.h"

#include <stdio.h>

static const char HELP[] =
    "usage: ctok encode [-m MODEL | -e ENCODING] [--special MODE] [--jsonl [--field NAME]]\n"
    "                   [FILE...]\n"
    "\n"
    "Encode the text of the files (concatenated; default standard input) and print the ids\n"
    "separated by spaces, then a newline.  Any bytes encode, valid UTF-8 or not.\n"
    "\n"
    CLI_HELP_MODEL
    "  --special MODE      special tokens in the text, as tiktoken:\n"
    "                        raise  (default) an error naming the token and where it is\n"
    "                        none   encode their text as ordinary text\n"
    "                        all    encode them as their special ids\n"
    "                        TOK,TOK...  these as special ids; any other is an error\n"
    "  --jsonl             each input line is a JSON string, or an object whose field NAME\n"
    "                      holds the text; print one JSON array of ids per line, in order\n"
    "  --field NAME        the field for --jsonl objects (default: text)\n"
    "  -j, --threads N     threads (default: all cores); the ids are the same for any N.\n"
    "                      Plain text and JSONL are read and encoded block by block, so\n"
    "                      any size fits in bounded memory.\n"
    CLI_HELP_PROGRESS;

int cmd_encode(int argc, char **argv)
{
    cli_encode_args a;
    bool done;
    int rc = cli_encode_args_parse(argc, argv, "encode", HELP, &a, &done);
    cli_progress prog;
    cli_encode_progress_start(&a, "encode", &prog);
    if (!rc && !done)
        rc = a.jsonl ? cli_jsonl_files(&a, false, &prog)
                     : cli_encode_stream(a.model, &a.special.opt, a.files, a.n_files, a.threads,
                                         NULL, &prog);
    if (!cli_out_close() && !rc)
        rc = EXIT_INPUT;
    if (!rc && !done)
        cli_progress_finish(&prog);
    cli_encode_args_free(&a);
    return rc;
}
