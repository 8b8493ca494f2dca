/*
 * encode_stream.c - `ctok encode` on plain text: the files as one stream, read block by block and
 * encoded with several threads, in bounded memory.
 *
 * Each round reads up to one block per thread after the text carried from the last round, cuts
 * the buffer where the model says the encoding may be cut (ctok_model_cut: the parts encode to
 * exactly the ids of the whole, whatever follows), cuts that part again between the threads, and
 * prints the ids in order.  The text after the cut waits for the next round.  So the ids are those
 * of the whole input encoded at once, for any block size and number of threads.  While the other
 * threads encode a round, the main thread reads the next one (text_stream.c) before it joins
 * them.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "text_stream.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per round, BLOCK bytes per thread, cut into parts of at least MIN_PART bytes (plan_parts).
 * One thread reads ONE_THREAD_BLOCK a round instead: it reads and encodes by turns, nothing
 * overlaps, and with 1 MB rounds the kernel's part (the copy of each block, and the page faults
 * of the output buffers as they grew) was twice as large: on the corpus, o200k_base, system time
 * 0.037 -> 0.015 s and wall time 0.699 -> 0.683 s (cl100k_base 0.628 -> 0.600 s). */
enum {
    BLOCK = 1 << 20,
    ONE_THREAD_BLOCK = 1 << 17,
    MIN_PART = 1 << 14,
    MAX_THREADS = 64,
    MAX_PARTS = 512
};

/* One piece of a round's text, encoded by whichever thread takes it. */
typedef struct part {
    const uint8_t *text;
    size_t len;
    size_t n_ids;
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
    cli_id_text *id_text; /* with print; NULL formats each id anew */
} round;

/* A thread's encoder, and its id buffer: a part's ids are written there and formatted as text
 * right away, so one buffer per thread (which stays in the CPU's cache) serves all its parts. */
typedef struct worker {
    ctok_encoder *enc;
    uint32_t *ids;
    size_t ids_cap;
    round *r;
} worker;

/* The size to give a buffer that must hold need bytes: half as much again.  Parts differ in size
 * from round to round, and a buffer made anew whenever one was longer than any before came with
 * fresh pages to fault in every few rounds (the corpus with -j2: 5,300 -> 3,600 page faults). */
static size_t with_room(size_t need) { return need + need / 2; }

/* Write p's ids as text, on the thread that encoded them (done by the main thread alone, the
 * formatting kept two threads from being twice as fast as one). */
static void format_ids(part *p, cli_id_text *id_text, const uint32_t *ids)
{
    size_t need = CLI_FORMAT_IDS_ROOM(p->n_ids);
    if (need > p->out_cap) {
        free(p->out);
        p->out = malloc(with_room(need)); /* need is at least 8 (CLI_FORMAT_IDS_ROOM) */
        p->out_cap = p->out ? with_room(need) : 0;
        if (!p->out) {
            p->status = CTOK_ENOMEM;
            memset(&p->diag, 0, sizeof p->diag);
            p->diag.status = CTOK_ENOMEM;
            snprintf(p->diag.message, sizeof p->diag.message, "out of memory for the output");
            return;
        }
    }
    p->out_len = cli_id_text_format(id_text, p->out, ids, p->n_ids);
}

static void *work(void *arg)
{
    worker *w = arg;
    round *r = w->r;
    for (unsigned i; (i = atomic_fetch_add(&r->next, 1)) < r->n;) {
        part *p = &r->parts[i];
        p->out_len = 0;
        if (!r->print) { /* count: no ids to keep */
            p->status = ctok_encoder_count(w->enc, p->text, p->len, r->opt, &p->n_ids, &p->diag);
            continue;
        }
        p->status = ctok_encoder_encode(w->enc, p->text, p->len, r->opt, w->ids, w->ids_cap,
                                        &p->n_ids, &p->diag);
        if (p->status == CTOK_OK)
            format_ids(p, r->id_text, w->ids);
    }
    return NULL;
}

/* Where a round's parts begin, at places where the model says the encoding may be cut (looking
 * at all the text read, s->buf[0 .. s->len)); bounds[k] is n.  Returns k.  The parts shrink as
 * the round goes on: each is a 1/(2 n_threads) share of what is left, and at least MIN_PART.  The
 * threads take them in turn, so the big ones go first and the last ones are small: a thread that
 * runs out of parts waits for the others' last part, and with 16 parts of one size that wait,
 * half a part on average at the end of every round, was a few percent of a run on two threads. */
static unsigned plan_parts(const ctok_model *model, const text_stream *s, size_t n,
                           unsigned n_threads, size_t *bounds)
{
    unsigned k = 0;
    bounds[0] = 0;
    while (n_threads > 1 && k + 2 < MAX_PARTS && n - bounds[k] >= 2 * MIN_PART) {
        size_t share = (n - bounds[k]) / (2 * (size_t)n_threads);
        size_t limit = bounds[k] + (share > MIN_PART ? share : MIN_PART);
        size_t c = ctok_model_cut(model, s->buf, s->len, limit);
        if (c <= bounds[k]) /* no place to cut up to the limit: the first one after it */
            c = ctok_model_cut(model, s->buf, s->len, n - MIN_PART);
        if (c <= bounds[k] || c + MIN_PART > n)
            break;
        bounds[++k] = c;
    }
    bounds[++k] = n;
    return k;
}

/* Encode s->buf[0 .. n) with up to n_threads threads and print the ids.  The block is handed
 * over first, so that the main thread reads the next one while the others encode this one. */
static int encode_block(const ctok_model *model, text_stream *s, round *r, worker *workers,
                        unsigned n_threads, size_t n, size_t read_ahead, bool *first_id,
                        uint64_t *count, cli_progress *prog)
{
    size_t bounds[MAX_PARTS + 1];
    unsigned k = plan_parts(model, s, n, n_threads, bounds);
    text_block block;
    if (!text_stream_hand_over(s, n, &block))
        return EXIT_INPUT;
    size_t longest = 0;
    for (unsigned i = 0; i < k; i++) {
        part *p = &r->parts[i];
        p->text = block.text + bounds[i];
        p->len = bounds[i + 1] - bounds[i];
        if (p->len > longest)
            longest = p->len;
    }
    r->n = k;
    r->print = !count;
    atomic_store(&r->next, 0);
    pthread_t tid[MAX_THREADS];
    bool started[MAX_THREADS] = {false};
    unsigned helpers = n_threads - 1 < k - 1 ? n_threads - 1 : k - 1;
    /* each working thread's id buffer holds its longest part (ids never outnumber bytes) */
    for (unsigned t = 0; r->print && t <= helpers; t++) {
        worker *w = &workers[t];
        if (w->ids_cap >= longest)
            continue;
        free(w->ids);
        w->ids = malloc(with_room(longest) * sizeof *w->ids);
        w->ids_cap = w->ids ? with_room(longest) : 0;
        if (!w->ids) {
            cli_error("out of memory");
            text_stream_release(s, &block);
            return EXIT_INPUT;
        }
    }
    for (unsigned t = 0; t < helpers; t++)
        started[t] = pthread_create(&tid[t], NULL, work, &workers[t + 1]) == 0;
    if (helpers) /* with helpers at work, read the next block meanwhile */
        text_stream_fill(s, s->len + read_ahead);
    work(&workers[0]); /* the main thread works too; parts a failed start left are taken here */
    for (unsigned t = 0; t < helpers; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
    int rc = EXIT_OK;
    uint64_t tokens = 0;
    for (unsigned i = 0; i < k && !rc; i++) {
        part *p = &r->parts[i];
        tokens += p->n_ids;
        if (p->status != CTOK_OK) {
            text_stream_report(s, &block, &p->diag, block.start + bounds[i] + p->diag.offset);
            rc = EXIT_INPUT;
        } else if (count) {
            *count += p->n_ids;
        } else if (p->out_len) { /* the output's first id has no space before it */
            cli_out(p->out + *first_id, p->out_len - *first_id);
            *first_id = false;
        }
    }
    if (!rc)
        cli_progress_add(prog, n, tokens);
    text_stream_release(s, &block);
    return rc;
}

int cli_encode_stream(const ctok_model *model, const ctok_encode_options *opt, const char **files,
                      size_t n_files, unsigned n_threads, uint64_t *count, cli_progress *prog)
{
    if (n_threads < 1)
        n_threads = 1;
    if (n_threads > MAX_THREADS)
        n_threads = MAX_THREADS;
    text_stream s;
    bool ready = text_stream_init(&s, files, n_files);
    part *parts = calloc(MAX_PARTS, sizeof *parts);
    worker workers[MAX_THREADS];
    memset(workers, 0, sizeof workers);
    round r = {.parts = parts, .opt = opt};
    if (!count) /* without it each id is formatted anew: slower, not wrong */
        r.id_text = cli_id_text_new(ctok_model_n_vocab(model));
    int rc = ready && parts ? EXIT_OK : EXIT_INPUT;
    if (rc)
        cli_error("out of memory");
    for (unsigned i = 0; !rc && i < n_threads; i++) {
        workers[i].r = &r;
        if (ctok_encoder_new(model, &workers[i].enc) != CTOK_OK) {
            cli_error("out of memory");
            rc = EXIT_INPUT;
        }
    }
    size_t want = n_threads == 1 ? ONE_THREAD_BLOCK : (size_t)BLOCK * n_threads;
    bool first_id = true;
    while (!rc) {
        text_stream_fill(&s, s.len + (s.len < want ? want : 0));
        if (s.failed) {
            rc = EXIT_INPUT;
            break;
        }
        if (s.len == 0 && s.eof)
            break;
        size_t cut = s.eof ? s.len : ctok_model_cut(model, s.buf, s.len, s.len);
        if (cut == 0 && !s.eof) {
            /* No place to cut yet (one long piece): read more, as much again as is held, so that
             * the cut search, which rescans the whole buffer, stays linear in the piece's length
             * (a step of one block made a 200 MB run of one letter quadratic: 7.1 s). */
            text_stream_fill(&s, s.len + (s.len > want ? s.len : want));
            continue;
        }
        rc = encode_block(model, &s, &r, workers, n_threads, cut, want, &first_id, count, prog);
    }
    if (!rc && !count)
        cli_out("\n", 1);
    for (unsigned i = 0; i < n_threads; i++) {
        ctok_encoder_free(workers[i].enc);
        free(workers[i].ids);
    }
    for (unsigned i = 0; parts && i < MAX_PARTS; i++)
        free(parts[i].out);
    free(parts);
    cli_id_text_free(r.id_text);
    text_stream_free(&s);
    return rc;
}
