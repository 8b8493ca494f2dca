/*
 * cli.h - what the ctok program's files share.  The program uses only the public header.
 *
 * Exit codes (documented in README.md): 0 success, 1 bad input (the message names the file,
 * line or offset and the reason), 2 bad usage.
 */
#ifndef CTOK_CLI_H
#define CTOK_CLI_H

#include "ctok.h"
#include "progress.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

/* Subcommands: argv[0] is the subcommand's name. */
int cmd_train(int argc, char **argv);
int cmd_encode(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_count(int argc, char **argv);
int cmd_encoding(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* Messages on stderr, prefixed "ctok: ". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: the message, then "try 'ctok CMD --help'"; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Options: `--name VALUE` or `--name=VALUE`.  Returns true if argv[*i] is that option and sets
 * *value (advancing *i past a separate value); a missing value is reported and sets *bad. */
bool cli_opt_value(int argc, char **argv, int *i, const char *name, const char **value, bool *bad,
                   const char *cmd);
bool cli_parse_size(const char *s, uint64_t *out);
/* The number of online CPUs (1 to 64): the default number of threads. */
unsigned cli_cpu_count(void);

/* Whole inputs.  "-" is standard input. */
typedef struct cli_input {
    const char *name; /* for messages */
    uint8_t *data;
    size_t len;
} cli_input;
/* Read a whole file; on failure prints the reason and returns false. */
bool cli_read_file(const char *path, cli_input *in);
void cli_input_free(cli_input *in);
/* A file name as messages show it: "<stdin>" for "-". */
const char *cli_display_name(const char *path);

/* Buffered stdout; cli_out_close reports a write error (e.g. a full disk) and returns false. */
void cli_out(const void *p, size_t n);
void cli_out_str(const char *s);
void cli_out_u32(uint32_t v);
/* v in decimal at dst (room for 20 bytes); returns the length. */
size_t cli_format_u64(char *dst, uint64_t v);
/* The ids in decimal at dst, each after a space; returns the length.  dst has room for
 * CLI_FORMAT_IDS_ROOM(n) bytes (a few are written past the end). */
#define CLI_FORMAT_IDS_ROOM(n) ((n) * 11 + 8)
size_t cli_format_ids(char *dst, const uint32_t *ids, size_t n);
/* The same text from a table of the ids' texts, each made when first printed (id_text.c); one
 * table serves all threads.  cli_id_text_new: for ids below n_vocab (NULL when out of memory;
 * cli_id_text_format with NULL formats as cli_format_ids does). */
typedef struct cli_id_text cli_id_text;
cli_id_text *cli_id_text_new(size_t n_vocab);
void cli_id_text_free(cli_id_text *t);
size_t cli_id_text_format(cli_id_text *t, char *dst, const uint32_t *ids, size_t n);
void cli_out_u64(uint64_t v);
bool cli_out_close(void);

/* --special MODE (raise, none, all or TOK,TOK...) as encode options; items points into mode and
 * is the caller's to free.  False for a malformed list. */
typedef struct cli_special {
    ctok_encode_options opt;
    ctok_bytes *items;
} cli_special;
bool cli_parse_special(const char *mode, cli_special *s);

/* The model for encode/decode: -m MODEL or -e ENCODING (an encoding or a model name as tiktoken's
 * encoding_for_model knows it; an unknown name is a usage error).  MODEL is a .model file, a
 * .tiktoken rank file with its sidecar (or with -e NAME: that encoding's pattern and special
 * tokens), a sidecar PREFIX.tiktoken.json, or GPT-2's encoder.json / vocab.bpe / their folder. */
int cli_load_model(const char *cmd, const char *model_path, const char *encoding,
                   ctok_model **out);
/* The help lines of -m and -e, for the commands that load a model this way. */
#define CLI_HELP_MODEL_FILE                                                                       \
    "  -m, --model MODEL   a model file: minbpe .model, ctok char model, NAME.tiktoken (with\n"   \
    "                      its NAME.tiktoken.json, or -e ENCODING for pattern and specials),\n"  \
    "                      or GPT-2's encoder.json / vocab.bpe (or the folder of both)\n"
#define CLI_HELP_MODEL                                                                            \
    CLI_HELP_MODEL_FILE                                                                           \
    "  -e, --encoding NAME a built-in encoding (ctok encoding list) or a model name that\n"       \
    "                      tiktoken knows (gpt-4o, gpt-4, text-davinci-003, ...)\n"

/* Plain text: the files as one stream, block by block, n_threads threads (encode_stream.c).
 * Prints the ids, or with count != NULL only adds their number to *count; returns an exit
 * status.  Each block's bytes and tokens go to prog (cli_progress_add). */
int cli_encode_stream(const ctok_model *model, const ctok_encode_options *opt, const char **files,
                      size_t n_files, unsigned n_threads, uint64_t *count, cli_progress *prog);
/* JSONL, the same way (jsonl_stream.c): each line of path a JSON text, or an object whose field
 * holds it; prints one JSON array of ids per line (with count_only the number of ids), in order,
 * for any number of threads, in bounded memory (but for one line, which is held whole). */
int cli_jsonl_stream(const ctok_model *model, const ctok_encode_options *opt, const char *field,
                     const char *path, unsigned n_threads, bool count_only, cli_progress *prog);

/* The help lines of the progress options of encode and count. */
#define CLI_HELP_PROGRESS                                                                      \
    "  --progress          progress on stderr even when it is not a terminal, and a summary\n" \
    "                      line at the end\n"                                                   \
    "  -q, --quiet         no progress on stderr\n"

/* What `encode` and `count` share (encode_args.c). */
typedef struct cli_encode_args {
    ctok_model *model;
    cli_special special;
    const char *field;
    bool jsonl;
    bool progress, quiet; /* --progress, -q */
    unsigned threads;
    const char **files; /* "-" (standard input) when none was given */
    size_t n_files;
} cli_encode_args;
/* Parse the options of cmd and load the model.  An exit status; *done when --help was printed. */
int cli_encode_args_parse(int argc, char **argv, const char *cmd, const char *help,
                          cli_encode_args *a, bool *done);
void cli_encode_args_free(cli_encode_args *a);
/* cli_jsonl_stream for each of a->files in turn. */
int cli_jsonl_files(const cli_encode_args *a, bool count_only, cli_progress *prog);
/* Start prog for a's files, as --progress and -q say (by default shown when stderr is a
 * terminal and the output is not). */
void cli_encode_progress_start(const cli_encode_args *a, const char *what, cli_progress *prog);
/* "NAME:LINE: byte offset N: what (hint)" for an encoding failure. */
void cli_report_encode_error(const char *name, uint64_t line, uint64_t offset,
                             const ctok_diag *diag);

#endif
