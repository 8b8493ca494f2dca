/*
 * train_input.h - what `ctok train` reads (train_input.c): files, directories, standard input and
 * JSONL, streamed into a trainer block by block, optionally only a prefix of --max-bytes.
 */
#ifndef CTOK_CLI_TRAIN_INPUT_H
#define CTOK_CLI_TRAIN_INPUT_H

#include "cli.h"

typedef struct train_input {
    ctok_trainer *trainer;
    bool jsonl;          /* each line is a JSON document (its field `field`, or a JSON string) */
    const char *field;
    uint64_t max_bytes;  /* of training text; UINT64_MAX for all */
    bool whole_chars;    /* --type char: --max-bytes stops before a character it would cut */
    /* counters, read by the progress display */
    uint64_t text_bytes;  /* fed to the trainer */
    uint64_t input_bytes; /* read from the inputs */
    uint64_t documents;   /* JSONL records */
} train_input;

/* The inputs as a list of files: a file as given, "-" for standard input, a directory as the
 * regular files under it (recursively, depth first, each directory's entries sorted by the bytes
 * of their names; symbolic links to regular files are followed, to directories not).  *files
 * (strings and array malloc'd, free with train_input_list_free) and *total_size (the sum of the
 * regular files' sizes, 0 when standard input or a pipe is among them).  An exit status. */
int train_input_list(const char *const *paths, size_t n_paths, char ***files, size_t *n_files,
                     uint64_t *total_size);
void train_input_list_free(char **files, size_t n_files);

/* Feed the files to the trainer in order.  An exit status; errors name the file and line. */
int train_input_feed(train_input *in, char *const *files, size_t n_files);

/* "100M" and the like: a number with an optional suffix K, M, G or T (powers of 1024) or KB, MB,
 * GB, TB (powers of 1000). */
bool train_parse_bytes(const char *s, uint64_t *out);

#endif
