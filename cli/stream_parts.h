/*
 * stream_parts.h - what the two streaming loops of `ctok encode` and `ctok count` share (plain
 * text in encode_stream.c, JSONL in jsonl_stream.c): a round's text cut into parts, and threads
 * that take the parts in turn while the main thread reads the next round.
 */
#ifndef CTOK_CLI_STREAM_PARTS_H
#define CTOK_CLI_STREAM_PARTS_H

#include "cli.h"
#include "text_stream.h"

#include <stdatomic.h>

/* Per round, STREAM_BLOCK bytes per thread, cut into parts of at least STREAM_MIN_PART bytes
 * (stream_plan). */
enum {
    STREAM_MAX_THREADS = 64,
    STREAM_MAX_PARTS = 512,
    STREAM_BLOCK = 1 << 20,
    STREAM_MIN_PART = 1 << 14
};

/* One piece of a round's text, done by whichever thread takes it. */
typedef struct part {
    const uint8_t *text;
    size_t len;
    size_t n_ids;
    char *out; /* with print: what the part prints */
    size_t out_len, out_cap;
    int status;
    ctok_diag diag;
    uint64_t lines;  /* JSONL: the lines done, a failing one included */
    bool json_error; /* JSONL: the failing line is not JSON text (diag.offset: its column - 1) */
} part;

typedef struct worker worker;

/* A round: parts[0 .. n) taken in turn by the threads (an atomic counter), so that a thread
 * that finishes early takes the next part instead of waiting for the slowest: text varies in
 * cost (a part of rare words merges far more than one of common ones). */
typedef struct round {
    part *parts;
    unsigned n;
    atomic_uint next;
    const ctok_encode_options *opt;
    bool print;
    cli_id_text *id_text;  /* with print; NULL formats each id anew */
    const char *field;     /* JSONL: the field that holds the text */
    void (*do_part)(worker *w, part *p); /* on the thread that took p */
} round;

/* A thread's encoder and buffers: a part's ids (and a JSONL line's text) go there, so one
 * buffer per thread (which stays in the CPU's cache) serves all its parts. */
struct worker {
    ctok_encoder *enc;
    uint32_t *ids;
    size_t ids_cap;
    uint8_t *text;
    size_t text_cap;
    round *r;
};

/* The size to give a buffer that must hold need bytes: half as much again.  Parts differ in size
 * from round to round, and a buffer made anew whenever one was longer than any before came with
 * fresh pages to fault in every few rounds (the corpus with -j2: 5,300 -> 3,600 page faults). */
static inline size_t stream_with_room(size_t need) { return need + need / 2; }

/* p failed with CTOK_ENOMEM, for want of memory for what (a line, the output). */
void stream_part_out_of_memory(part *p, const char *what);
/* Make p->out hold at least need bytes (what it holds is kept); false (p failed with
 * CTOK_ENOMEM) without memory. */
bool stream_part_out_room(part *p, size_t need);
/* Make the buffer *buf of *cap elements of elem bytes hold at least need (what it holds is not
 * kept); false without memory. */
bool stream_grow(void **buf, size_t *cap, size_t need, size_t elem);

/* A stream of rounds: the text, the round's parts and a worker a thread. */
typedef struct stream {
    text_stream s;
    round r;
    worker workers[STREAM_MAX_THREADS];
    unsigned n_threads;
    size_t want; /* bytes a round reads */
} stream;

/* Set up st to encode files with model on n_threads threads (at most STREAM_MAX_THREADS), rounds
 * of want bytes, each part done by do_part; print: the ids are printed.  False (reported) on
 * failure; stream_end frees st either way. */
bool stream_begin(stream *st, const ctok_model *model, const ctok_encode_options *opt,
                  const char **files, size_t n_files, unsigned n_threads, size_t want, bool print,
                  void (*do_part)(worker *w, part *p));
void stream_end(stream *st);

/* Read and do rounds to the end: each reads up to st->want bytes more and ends where cut(st, arg)
 * says (0: no place yet, so as much again as is held is read first), and do_round(st, n, arg)
 * does its first n bytes.  Returns an exit status. */
int stream_rounds(stream *st, size_t (*cut)(const stream *st, void *arg),
                  int (*do_round)(stream *st, size_t n, void *arg), void *arg);

/* Where the first n bytes of the text read are cut into parts: bounds[0] = 0 < ... < bounds[k] =
 * n, returns k.  The parts shrink as the round goes on: each is a 1/(2 n_threads) share of what
 * is left, and at least STREAM_MIN_PART, and it ends at part_end(st, start, limit, n, arg), the
 * place at or after its start where a part from start that should end at limit may end (the
 * round's text is st->s.buf[0 .. n)), or at most start if there is none.  The threads take the
 * parts in turn, so the big ones go first and the last ones are small: a thread that runs out of
 * parts waits for the others' last part, and with 16 parts of one size that wait, half a part on
 * average at the end of every round, was a few percent of a run on two threads. */
unsigned stream_plan(const stream *st, size_t n,
                     size_t (*part_end)(const stream *st, size_t start, size_t limit, size_t n,
                                        void *arg),
                     void *arg, size_t *bounds);

/* Do the round's parts st->r.parts[0 .. st->r.n) on up to st->n_threads threads; with helpers at
 * work, the main thread first reads the next round's bytes, then takes parts too. */
void stream_run_parts(stream *st);

#endif
