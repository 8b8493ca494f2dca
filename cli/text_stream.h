/*
 * text_stream.h - the files of `ctok encode` read as one stream of text, in blocks (text_stream.c).
 *
 * The text read so far and not yet handed to the encoder is buf[0 .. len), which starts at global
 * offset buf_start (bytes since the first file's first byte).  text_stream_hand_over gives away
 * the head of it as a block that stays where it is while the stream reads on into another buffer:
 * so the next block is read while this one is encoded.  The stream keeps where each file starts
 * and the newlines of each file before the blocks still out, so that an error in a block can be
 * reported as file and line.  One block is out at a time.
 */
#ifndef CTOK_CLI_TEXT_STREAM_H
#define CTOK_CLI_TEXT_STREAM_H

#include "cli.h"

#include <stdio.h>

typedef struct text_stream {
    const char **files;
    size_t n_files, current; /* files[current] is open or next to open */
    FILE *f;
    uint64_t *file_start;     /* global offset of each file's first byte (set when opened) */
    uint64_t *lines_consumed; /* newlines of each file before the block that is out */
    uint8_t *buf, *spare;     /* spare: the buffer the next hand-over moves the rest into */
    size_t len, cap, spare_cap;
    uint64_t buf_start;
    bool eof, failed; /* failed: a file could not be opened or read (already reported) */
} text_stream;

/* A block of text handed over: text[0 .. len) at global offset start. */
typedef struct text_block {
    uint8_t *text;
    size_t len;
    uint64_t start;
    size_t cap; /* of the buffer text points to */
} text_block;

bool text_stream_init(text_stream *s, const char **files, size_t n_files);
void text_stream_free(text_stream *s);
/* Read until buf holds want bytes or the input ends (eof), or on failure (failed). */
void text_stream_fill(text_stream *s, size_t want);
/* Hand buf[0 .. n) over as *block; the rest moves to the spare buffer, which becomes buf.  False
 * (reported) when there is no memory for that. */
bool text_stream_hand_over(text_stream *s, size_t n, text_block *block);
/* The block is encoded: count its lines and take its buffer back as the spare. */
void text_stream_release(text_stream *s, text_block *block);
/* Report an encoding error at global offset `global` inside the block that is out. */
void text_stream_report(const text_stream *s, const text_block *block, const ctok_diag *diag,
                        uint64_t global);

#endif
