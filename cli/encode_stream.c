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
 * them (the rounds and the threads: stream_parts.c, shared with JSONL).
 */
#define _POSIX_C_SOURCE 200809L
#include "stream_parts.h"

/* One thread reads ONE_THREAD_BLOCK a round instead of STREAM_BLOCK: it reads and encodes by
 * turns, nothing overlaps, and with 1 MB rounds the kernel's part (the copy of each block, and
 * the page faults of the output buffers as they grew) was twice as large: on the corpus,
 * o200k_base, system time 0.037 -> 0.015 s and wall time 0.699 -> 0.683 s (cl100k_base 0.628 ->
 * 0.600 s). */
enum { ONE_THREAD_BLOCK = 1 << 17 };

/* A part of plain text: its ids, written as text on the thread that encoded them (done by the
 * main thread alone, the formatting kept two threads from being twice as fast as one). */
static void encode_part(worker *w, part *p)
{
    round *r = w->r;
    if (!r->print) { /* count: no ids to keep */
        p->status = ctok_encoder_count(w->enc, p->text, p->len, r->opt, &p->n_ids, &p->diag);
        return;
    }
    p->status = ctok_encoder_encode(w->enc, p->text, p->len, r->opt, w->ids, w->ids_cap,
                                    &p->n_ids, &p->diag);
    /* need is at least 8 (CLI_FORMAT_IDS_ROOM) */
    if (p->status == CTOK_OK && stream_part_out_room(p, CLI_FORMAT_IDS_ROOM(p->n_ids)))
        p->out_len = cli_id_text_format(r->id_text, p->out, w->ids, p->n_ids);
}

/* What a plain-text stream's rounds need besides the stream. */
typedef struct plain {
    const ctok_model *model;
    bool first_id; /* no id printed yet */
    uint64_t *count;
    cli_progress *prog;
} plain;

/* A round ends at the last place where the model says the encoding may be cut. */
static size_t plain_cut(const stream *st, void *arg)
{
    const plain *pl = arg;
    return ctok_model_cut(pl->model, st->s.buf, st->s.len, st->s.len);
}

/* A part ends at the last place up to limit where the model says the encoding may be cut (looking
 * at all the text read), or if there is none after start, at the first one after limit. */
static size_t plain_part_end(const stream *st, size_t start, size_t limit, size_t n, void *arg)
{
    const plain *pl = arg;
    size_t c = ctok_model_cut(pl->model, st->s.buf, st->s.len, limit);
    return c > start ? c : ctok_model_cut(pl->model, st->s.buf, st->s.len, n - STREAM_MIN_PART);
}

/* Encode s->buf[0 .. n) with up to n_threads threads and print the ids.  The block is handed
 * over first, so that the main thread reads the next one while the others encode this one. */
static int encode_block(stream *st, size_t n, void *arg)
{
    plain *pl = arg;
    text_stream *s = &st->s;
    round *r = &st->r;
    size_t bounds[STREAM_MAX_PARTS + 1];
    unsigned k = stream_plan(st, n, plain_part_end, pl, bounds);
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
    /* each thread's id buffer holds its longest part (ids never outnumber bytes) */
    for (unsigned t = 0; r->print && t < st->n_threads && t < k; t++) {
        worker *w = &st->workers[t];
        if (!stream_grow((void **)&w->ids, &w->ids_cap, longest, sizeof *w->ids)) {
            cli_error("out of memory");
            text_stream_release(s, &block);
            return EXIT_INPUT;
        }
    }
    stream_run_parts(st);
    int rc = EXIT_OK;
    uint64_t tokens = 0;
    for (unsigned i = 0; i < k && !rc; i++) {
        part *p = &r->parts[i];
        tokens += p->n_ids;
        if (p->status != CTOK_OK) {
            text_stream_report(s, &block, &p->diag, block.start + bounds[i] + p->diag.offset);
            rc = EXIT_INPUT;
        } else if (pl->count) {
            *pl->count += p->n_ids;
        } else if (p->out_len) { /* the output's first id has no space before it */
            cli_out(p->out + pl->first_id, p->out_len - pl->first_id);
            pl->first_id = false;
        }
    }
    if (!rc)
        cli_progress_add(pl->prog, n, tokens);
    text_stream_release(s, &block);
    return rc;
}

int cli_encode_stream(const ctok_model *model, const ctok_encode_options *opt, const char **files,
                      size_t n_files, unsigned n_threads, uint64_t *count, cli_progress *prog)
{
    stream st;
    size_t want = n_threads <= 1 ? ONE_THREAD_BLOCK : (size_t)STREAM_BLOCK * n_threads;
    plain pl = {model, true, count, prog};
    int rc = stream_begin(&st, model, opt, files, n_files, n_threads, want, !count, encode_part)
                 ? stream_rounds(&st, plain_cut, encode_block, &pl)
                 : EXIT_INPUT;
    if (!rc && !count)
        cli_out("\n", 1);
    stream_end(&st);
    return rc;
}
