/*
 * stream_parts.c - the rounds that `ctok encode` and `ctok count` read and the threads that do
 * their parts (stream_parts.h), for plain text (encode_stream.c) and JSONL (jsonl_stream.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "stream_parts.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void stream_part_out_of_memory(part *p, const char *what)
{
    p->status = CTOK_ENOMEM;
    memset(&p->diag, 0, sizeof p->diag);
    p->diag.status = CTOK_ENOMEM;
    snprintf(p->diag.message, sizeof p->diag.message, "out of memory for %s", what);
}

bool stream_part_out_room(part *p, size_t need)
{
    if (need <= p->out_cap)
        return true;
    char *out = realloc(p->out, stream_with_room(need)); /* JSONL adds to what it holds */
    if (!out) {
        stream_part_out_of_memory(p, "the output");
        return false;
    }
    p->out = out;
    p->out_cap = stream_with_room(need);
    return true;
}

bool stream_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    free(*buf);
    *buf = malloc(stream_with_room(need) * elem);
    *cap = *buf ? stream_with_room(need) : 0;
    return *buf != NULL;
}

static void *work(void *arg)
{
    worker *w = arg;
    round *r = w->r;
    for (unsigned i; (i = atomic_fetch_add(&r->next, 1)) < r->n;) {
        part *p = &r->parts[i];
        p->out_len = 0;
        r->do_part(w, p);
    }
    return NULL;
}

unsigned stream_plan(const stream *st, size_t n,
                     size_t (*part_end)(const stream *st, size_t start, size_t limit, size_t n,
                                        void *arg),
                     void *arg, size_t *bounds)
{
    unsigned k = 0;
    bounds[0] = 0;
    while (st->n_threads > 1 && k + 2 < STREAM_MAX_PARTS &&
           n - bounds[k] >= 2 * STREAM_MIN_PART) {
        size_t share = (n - bounds[k]) / (2 * (size_t)st->n_threads);
        size_t limit = bounds[k] + (share > STREAM_MIN_PART ? share : STREAM_MIN_PART);
        size_t c = part_end(st, bounds[k], limit, n, arg);
        if (c <= bounds[k] || c + STREAM_MIN_PART > n)
            break;
        bounds[++k] = c;
    }
    bounds[++k] = n;
    return k;
}

void stream_run_parts(stream *st)
{
    round *r = &st->r;
    atomic_store(&r->next, 0);
    pthread_t tid[STREAM_MAX_THREADS];
    bool started[STREAM_MAX_THREADS] = {false};
    unsigned helpers = st->n_threads - 1 < r->n - 1 ? st->n_threads - 1 : r->n - 1;
    for (unsigned t = 0; t < helpers; t++)
        started[t] = pthread_create(&tid[t], NULL, work, &st->workers[t + 1]) == 0;
    if (helpers) /* with helpers at work, read the next round meanwhile */
        text_stream_fill(&st->s, st->s.len + st->want);
    work(&st->workers[0]); /* the main thread works too; parts a failed start left are taken here */
    for (unsigned t = 0; t < helpers; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
}

bool stream_begin(stream *st, const ctok_model *model, const ctok_encode_options *opt,
                  const char **files, size_t n_files, unsigned n_threads, size_t want, bool print,
                  void (*do_part)(worker *w, part *p))
{
    memset(st, 0, sizeof *st);
    st->n_threads = n_threads < 1 ? 1 : n_threads > STREAM_MAX_THREADS ? STREAM_MAX_THREADS
                                                                        : n_threads;
    st->want = want;
    st->r.opt = opt;
    st->r.print = print;
    st->r.do_part = do_part;
    bool ok = text_stream_init(&st->s, files, n_files);
    st->r.parts = calloc(STREAM_MAX_PARTS, sizeof *st->r.parts);
    ok = ok && st->r.parts;
    if (print) /* without it each id is formatted anew: slower, not wrong */
        st->r.id_text = cli_id_text_new(ctok_model_n_vocab(model));
    for (unsigned i = 0; ok && i < st->n_threads; i++) {
        st->workers[i].r = &st->r;
        ok = ctok_encoder_new(model, &st->workers[i].enc) == CTOK_OK;
    }
    if (!ok)
        cli_error("out of memory");
    return ok;
}

void stream_end(stream *st)
{
    for (unsigned i = 0; i < st->n_threads; i++) {
        ctok_encoder_free(st->workers[i].enc);
        free(st->workers[i].ids);
        free(st->workers[i].text);
    }
    for (unsigned i = 0; st->r.parts && i < STREAM_MAX_PARTS; i++)
        free(st->r.parts[i].out);
    free(st->r.parts);
    cli_id_text_free(st->r.id_text);
    text_stream_free(&st->s);
}

int stream_rounds(stream *st, size_t (*cut)(const stream *st, void *arg),
                  int (*do_round)(stream *st, size_t n, void *arg), void *arg)
{
    text_stream *s = &st->s;
    for (;;) {
        text_stream_fill(s, s->len + (s->len < st->want ? st->want : 0));
        if (s->failed)
            return EXIT_INPUT;
        if (s->len == 0 && s->eof)
            return EXIT_OK;
        size_t n = s->eof ? s->len : cut(st, arg);
        if (n == 0) {
            /* No place to end the round yet (one long piece or line): read more, as much again
             * as is held, so that the search for the end, which rescans the whole buffer, stays
             * linear in its length (a step of one block made a 200 MB run of one letter
             * quadratic: 7.1 s). */
            text_stream_fill(s, s->len + (s->len > st->want ? s->len : st->want));
            continue;
        }
        int rc = do_round(st, n, arg);
        if (rc)
            return rc;
    }
}
