/*
 * main.c - the ctok program: subcommand dispatch and the top-level help.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char USAGE[] =
    "usage: ctok COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "Tokenizers for large language models: exact BPE (minbpe, GPT-2, tiktoken) and\n"
    "character-level vocabularies.\n"
    "\n"
    "commands:\n"
    "  train     learn a tokenizer from text (character-level or byte-level BPE)\n"
    "  encode    text to token ids\n"
    "  decode    token ids to text\n"
    "  count     the number of tokens of a text\n"
    "  encoding  the built-in encodings (ctok encoding list)\n"
    "  info      what a tokenizer is: vocabulary size, special tokens, pattern, sha256\n"
    "  export    write a tokenizer as tiktoken's or HF tokenizers' files\n"
    "\n"
    "Files default to standard input.  'ctok COMMAND --help' describes each command.\n"
    "Exit status: 0 success, 1 bad input (the message names the file, line or offset),\n"
    "2 bad usage.\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(USAGE, stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("ctok %s\n", ctok_version_string());
        return EXIT_OK;
    }
    if (!strcmp(cmd, "train"))
        return cmd_train(argc - 1, argv + 1);
    if (!strcmp(cmd, "encode"))
        return cmd_encode(argc - 1, argv + 1);
    if (!strcmp(cmd, "decode"))
        return cmd_decode(argc - 1, argv + 1);
    if (!strcmp(cmd, "count"))
        return cmd_count(argc - 1, argv + 1);
    if (!strcmp(cmd, "encoding") || !strcmp(cmd, "encodings"))
        return cmd_encoding(argc - 1, argv + 1);
    if (!strcmp(cmd, "info"))
        return cmd_info(argc - 1, argv + 1);
    if (!strcmp(cmd, "export"))
        return cmd_export(argc - 1, argv + 1);
    fprintf(stderr, "ctok: unknown command '%s'\n\n%s", cmd, USAGE);
    return EXIT_USAGE;
}
