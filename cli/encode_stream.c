/*
 * encode_stream.c - `ctok encode` on plain text: the files as one stream, read block by block and
 * encoded with several threads, in bounded memory.
 *
 * Each round reads up to one block per thread after the text carried from the last round, cuts
 * the buffer where the model says the encoding may be cut (ctok_model_cut: the parts encode to
 * exactly the ids of the whole, whatever follows), cuts that part again between the threads, and
 * prints the ids in order.  The text after the cut waits for the next round.  So the ids are those
 * of the whole input encoded at once, for any block size and number of threads.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per round, BLOCK bytes per thread, cut into PARTS_PER_THREAD parts per thread of at least
 * MIN_PART bytes. */
enum { BLOCK = 1 << 20, MIN_PART = 1 << 16, PARTS_PER_THREAD = 8, MAX_THREADS = 64,
       MAX_PARTS = MAX_THREADS * PARTS_PER_THREAD };

/* One piece of a round's text, encoded by whichever thread takes it. */
typedef struct part {
    const uint8_t *text;
    size_t len;
    uint32_t *ids;
    size_t ids_cap, n_ids;
    char *out; /* with print: the ids as text, each after a space */
    size_t out_len, out_cap;
    int status;
    ctok_diag diag;
} part;

/* A round: parts[0 .. n) taken in turn by the threads (an atomic counter), so that a thread
 * that finishes early takes the next part instead of waiting for the slowest: text varies in
 * cost (a part of rare words merges far more than one of common ones). */
typedef struct round {
    part *parts;
    unsigned n;
    atomic_uint next;
    const ctok_encode_options *opt;
    bool print;
} round;

typedef struct worker {
    ctok_encoder *enc;
    round *r;
} worker;

/* Write p's ids as text (the printing is as much work as the encoding: done by the main thread
 * alone, it kept two threads from being twice as fast as one). */
static void format_ids(part *p)
{
    size_t need = p->n_ids * 11; /* a space and up to 10 digits */
    if (need > p->out_cap) {
        free(p->out);
        p->out = malloc(need ? need : 1);
        p->out_cap = p->out ? need : 0;
        if (!p->out) {
            p->status = CTOK_ENOMEM;
            memset(&p->diag, 0, sizeof p->diag);
            p->diag.status = CTOK_ENOMEM;
            snprintf(p->diag.message, sizeof p->diag.message, "out of memory for the output");
            return;
        }
    }
    for (size_t j = 0; j < p->n_ids; j++) {
        p->out[p->out_len++] = ' ';
        p->out_len += cli_format_u64(p->out + p->out_len, p->ids[j]);
    }
}

static void *work(void *arg)
{
    worker *w = arg;
    round *r = w->r;
    for (unsigned i; (i = atomic_fetch_add(&r->next, 1)) < r->n;) {
        part *p = &r->parts[i];
        p->out_len = 0;
        p->status = ctok_encoder_encode(w->enc, p->text, p->len, r->opt, p->ids, p->len,
                                        &p->n_ids, &p->diag);
        if (p->status == CTOK_OK && r->print)
            format_ids(p);
    }
    return NULL;
}

/* The input: the files in order, read as one stream; where each file starts, and how many
 * newlines of it went by before the buffer's first byte (for messages naming file and line). */
typedef struct stream {
    const char **files;
    size_t n_files, current;
    FILE *f;
    uint64_t *file_start;     /* global offset of each file's first byte */
    uint64_t *lines_consumed; /* newlines of each file before the buffer */
    uint8_t *buf;
    size_t len, cap;
    uint64_t buf_start; /* global offset of buf[0] */
    bool eof, failed;
} stream;

static bool open_next(stream *s)
{
    while (s->current < s->n_files) {
        const char *path = s->files[s->current];
        s->file_start[s->current] = s->buf_start + s->len;
        s->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
        if (s->f)
            return true;
        cli_error("%s: cannot open: %s", path, strerror(errno));
        s->failed = true;
        return false;
    }
    s->eof = true;
    return false;
}

/* Read until the buffer holds want bytes or the input ends. */
static void fill(stream *s, size_t want)
{
    if (want > s->cap) {
        uint8_t *bigger = realloc(s->buf, want);
        if (!bigger) {
            cli_error("out of memory for a %zu-byte block", want);
            s->failed = true;
            return;
        }
        s->buf = bigger;
        s->cap = want;
    }
    while (!s->eof && !s->failed && s->len < want) {
        if (!s->f && !open_next(s))
            return;
        size_t k = fread(s->buf + s->len, 1, want - s->len, s->f);
        s->len += k;
        if (k == 0) {
            const char *name = strcmp(s->files[s->current], "-") ? s->files[s->current] : "<stdin>";
            if (ferror(s->f)) {
                cli_error("%s: read error: %s", name, strerror(errno));
                s->failed = true;
            }
            if (s->f != stdin)
                fclose(s->f);
            s->f = NULL;
            s->current++;
        }
    }
}

static size_t count_newlines(const uint8_t *p, size_t n)
{
    size_t k = 0;
    for (const uint8_t *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
        k++;
    return k;
}

/* Drop buf[0 .. n), keeping each file's line count. */
static void consume(stream *s, size_t n)
{
    for (size_t f = 0; f < s->n_files; f++) {
        uint64_t fs = s->file_start[f], fe = f + 1 < s->n_files ? s->file_start[f + 1] : UINT64_MAX;
        if (f >= s->current + 1 && fs >= s->buf_start + s->len)
            break;
        uint64_t a = fs > s->buf_start ? fs : s->buf_start, b = s->buf_start + n;
        if (fe < b)
            b = fe;
        if (a < b)
            s->lines_consumed[f] += count_newlines(s->buf + (a - s->buf_start), (size_t)(b - a));
    }
    memmove(s->buf, s->buf + n, s->len - n);
    s->len -= n;
    s->buf_start += n;
}

static void report_at(const stream *s, const ctok_diag *diag, uint64_t global)
{
    size_t f = 0;
    while (f + 1 < s->n_files && f + 1 <= s->current && s->file_start[f + 1] <= global)
        f++;
    uint64_t from = s->file_start[f] > s->buf_start ? s->file_start[f] : s->buf_start;
    uint64_t line = 1 + s->lines_consumed[f] +
                    count_newlines(s->buf + (from - s->buf_start), (size_t)(global - from));
    const char *name = strcmp(s->files[f], "-") ? s->files[f] : "<stdin>";
    cli_report_encode_error(name, line, global - s->file_start[f], diag);
}

/* Encode buf[0 .. n) with up to n_threads threads and print the ids. */
static int encode_block(const ctok_model *model, stream *s, round *r, worker *workers,
                        unsigned n_threads, size_t n, bool *first_id, uint64_t *count)
{
    size_t bounds[MAX_PARTS + 1];
    unsigned k = 0, want = n_threads > 1 ? n_threads * PARTS_PER_THREAD : 1;
    bounds[0] = 0;
    for (unsigned i = 1; i < want && n >= 2 * MIN_PART; i++) {
        size_t c = ctok_model_cut(model, s->buf, s->len, (size_t)((uint64_t)n * i / want));
        if (c > bounds[k] + MIN_PART && c + MIN_PART < n)
            bounds[++k] = c;
    }
    bounds[++k] = n;
    for (unsigned i = 0; i < k; i++) {
        part *p = &r->parts[i];
        p->text = s->buf + bounds[i];
        p->len = bounds[i + 1] - bounds[i];
        if (p->len > p->ids_cap) {
            free(p->ids);
            p->ids = malloc(p->len * sizeof *p->ids);
            p->ids_cap = p->ids ? p->len : 0;
            if (!p->ids) {
                cli_error("out of memory");
                return EXIT_INPUT;
            }
        }
    }
    r->n = k;
    r->print = !count;
    atomic_store(&r->next, 0);
    pthread_t tid[MAX_THREADS];
    bool started[MAX_THREADS] = {false};
    unsigned helpers = n_threads - 1 < k - 1 ? n_threads - 1 : k - 1;
    for (unsigned t = 0; t < helpers; t++)
        started[t] = pthread_create(&tid[t], NULL, work, &workers[t + 1]) == 0;
    work(&workers[0]); /* the main thread works too; parts a failed start left are taken here */
    for (unsigned t = 0; t < helpers; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
    for (unsigned i = 0; i < k; i++) {
        part *p = &r->parts[i];
        if (p->status != CTOK_OK) {
            report_at(s, &p->diag, s->buf_start + bounds[i] + p->diag.offset);
            return EXIT_INPUT;
        }
        if (count) {
            *count += p->n_ids;
            continue;
        }
        if (p->out_len) { /* the output's first id has no space before it */
            cli_out(p->out + *first_id, p->out_len - *first_id);
            *first_id = false;
        }
    }
    return EXIT_OK;
}

int cli_encode_stream(const ctok_model *model, const ctok_encode_options *opt, const char **files,
                      size_t n_files, unsigned n_threads, uint64_t *count)
{
    if (n_threads < 1)
        n_threads = 1;
    if (n_threads > MAX_THREADS)
        n_threads = MAX_THREADS;
    stream s = {files, n_files, 0, NULL, calloc(n_files, sizeof(uint64_t)),
                calloc(n_files, sizeof(uint64_t)), NULL, 0, 0, 0, false, false};
    part *parts = calloc(MAX_PARTS, sizeof *parts);
    worker workers[MAX_THREADS];
    memset(workers, 0, sizeof workers);
    round r = {.parts = parts, .opt = opt};
    int rc = s.file_start && s.lines_consumed && parts ? EXIT_OK : EXIT_INPUT;
    if (rc)
        cli_error("out of memory");
    for (unsigned i = 0; !rc && i < n_threads; i++) {
        workers[i].r = &r;
        if (ctok_encoder_new(model, &workers[i].enc) != CTOK_OK) {
            cli_error("out of memory");
            rc = EXIT_INPUT;
        }
    }
    size_t want = (size_t)BLOCK * n_threads;
    bool first_id = true;
    while (!rc) {
        fill(&s, s.len + want);
        if (s.failed) {
            rc = EXIT_INPUT;
            break;
        }
        if (s.len == 0 && s.eof)
            break;
        size_t cut = s.eof ? s.len : ctok_model_cut(model, s.buf, s.len, s.len);
        if (cut == 0 && !s.eof)
            continue; /* no place to cut yet: read more (the buffer grows) */
        rc = encode_block(model, &s, &r, workers, n_threads, cut, &first_id, count);
        consume(&s, cut);
    }
    if (!rc && !count)
        cli_out("\n", 1);
    if (s.f && s.f != stdin)
        fclose(s.f);
    for (unsigned i = 0; i < n_threads; i++)
        ctok_encoder_free(workers[i].enc);
    for (unsigned i = 0; parts && i < MAX_PARTS; i++) {
        free(parts[i].ids);
        free(parts[i].out);
    }
    free(parts);
    free(s.buf);
    free(s.file_start);
    free(s.lines_consumed);
    return rc;
}
