/*
 * jsonl_stream.c - `ctok encode --jsonl` and `ctok count --jsonl`: a file of one JSON text per
 * line, read block by block and encoded with several threads, in bounded memory.
 *
 * As for plain text (encode_stream.c), each round reads up to one block per thread after the text
 * carried from the last round; here the round ends after the last whole line, and its lines are
 * cut into parts at line ends, each part a run of whole lines.  A thread takes a part, decodes
 * and encodes each line and writes its output line; the main thread prints the parts in order.
 * So the output is the same for any number of threads and any block size.  A line longer than a
 * block is read whole before its round.
 */
#define _POSIX_C_SOURCE 200809L
#include "stream_parts.h"

#include <string.h>

/* The end of the line that ends at or after `from` in text[0 .. n): just past its newline, or n. */
static size_t line_end(const uint8_t *text, size_t n, size_t from)
{
    const uint8_t *nl = memchr(text + from, '\n', n - from);
    return nl ? (size_t)(nl - text) + 1 : n;
}

/* One line's output: "[1,2,3]\n", or with count_only "3\n", after p->out[0 .. p->out_len). */
static bool put_line(worker *w, part *p, size_t n_ids)
{
    round *r = w->r;
    if (!stream_part_out_room(p, p->out_len + CLI_FORMAT_IDS_ROOM(n_ids) + 24))
        return false;
    char *o = p->out + p->out_len;
    if (!r->print) {
        o += cli_format_u64(o, n_ids);
    } else if (n_ids == 0) {
        *o++ = '[';
    } else {
        /* " 1 2 3" as plain text prints them, then each space made a comma, the first a '[' */
        size_t k = cli_id_text_format(r->id_text, o, w->ids, n_ids);
        for (size_t i = 0; i < k; i++)
            o[i] = o[i] == ' ' ? ',' : o[i];
        o[0] = '[';
        o += k;
    }
    if (r->print)
        *o++ = ']';
    *o++ = '\n';
    p->out_len = (size_t)(o - p->out);
    return true;
}

/* A part of whole lines, each a JSON text: decoded into the worker's text buffer, encoded, its
 * output line added.  Stops at the first line that fails (p->lines counts it). */
static void jsonl_part(worker *w, part *p)
{
    round *r = w->r;
    p->lines = 0;
    p->n_ids = 0;
    p->status = CTOK_OK;
    for (size_t pos = 0; pos < p->len;) {
        size_t end = line_end(p->text, p->len, pos);
        size_t n = end - pos - (p->text[end - 1] == '\n');
        const uint8_t *line = p->text + pos;
        pos = end;
        p->lines++;
        size_t text_len, n_ids;
        if (!stream_grow((void **)&w->text, &w->text_cap, n + 1, 1) ||
            (r->print && !stream_grow((void **)&w->ids, &w->ids_cap, n + 1, sizeof *w->ids))) {
            stream_part_out_of_memory(p, "a line");
            p->json_error = false;
            return;
        }
        p->status = ctok_json_text(line, n, r->field, w->text, w->text_cap, &text_len, &p->diag);
        p->json_error = p->status != CTOK_OK;
        if (p->status)
            return;
        p->status = r->print ? ctok_encoder_encode(w->enc, w->text, text_len, r->opt, w->ids,
                                                   w->ids_cap, &n_ids, &p->diag)
                             : ctok_encoder_count(w->enc, w->text, text_len, r->opt, &n_ids,
                                                  &p->diag);
        if (p->status || !put_line(w, p, n_ids))
            return;
        p->n_ids += n_ids;
    }
}

/* A part ends at the end of the line that holds its limit's last byte. */
static size_t line_part_end(const stream *st, size_t start, size_t limit, size_t n, void *arg)
{
    (void)start, (void)arg;
    return line_end(st->s.buf, n, limit - 1);
}

/* What a JSONL stream's rounds need besides the stream. */
typedef struct jsonl {
    const char *name; /* the file, as messages name it */
    uint64_t line;    /* lines before the round */
    cli_progress *prog;
} jsonl;

/* A round ends after its last newline. */
static size_t jsonl_cut(const stream *st, void *arg)
{
    (void)arg;
    size_t cut = st->s.len;
    while (cut > 0 && st->s.buf[cut - 1] != '\n')
        cut--;
    return cut;
}

/* Do s->buf[0 .. n) (whole lines) and print it. */
static int jsonl_block(stream *st, size_t n, void *arg)
{
    jsonl *jl = arg;
    round *r = &st->r;
    size_t bounds[STREAM_MAX_PARTS + 1];
    unsigned k = stream_plan(st, n, line_part_end, NULL, bounds);
    text_block block;
    if (!text_stream_hand_over(&st->s, n, &block))
        return EXIT_INPUT;
    for (unsigned i = 0; i < k; i++) {
        r->parts[i].text = block.text + bounds[i];
        r->parts[i].len = bounds[i + 1] - bounds[i];
    }
    r->n = k;
    stream_run_parts(st);
    int rc = EXIT_OK;
    for (unsigned i = 0; i < k && !rc; i++) {
        part *p = &r->parts[i];
        cli_out(p->out, p->out_len); /* the lines done, up to a failing one */
        if (p->status == CTOK_OK) {
            cli_progress_add(jl->prog, p->len, p->n_ids);
            jl->line += p->lines;
            continue;
        }
        uint64_t at = jl->line + p->lines;
        if (p->json_error)
            cli_error("%s:%llu: column %llu: %s", jl->name, (unsigned long long)at,
                      (unsigned long long)p->diag.offset + 1, p->diag.message);
        else
            cli_report_encode_error(jl->name, at, p->diag.offset, &p->diag);
        rc = EXIT_INPUT;
    }
    text_stream_release(&st->s, &block);
    return rc;
}

int cli_jsonl_stream(const ctok_model *model, const ctok_encode_options *opt, const char *field,
                     const char *path, unsigned n_threads, bool count_only, cli_progress *prog)
{
    stream st;
    jsonl jl = {cli_display_name(path), 0, prog};
    size_t want = (size_t)STREAM_BLOCK * (n_threads < 1 ? 1 : n_threads);
    bool ready = stream_begin(&st, model, opt, &path, 1, n_threads, want, !count_only, jsonl_part);
    st.r.field = field;
    int rc = ready ? stream_rounds(&st, jsonl_cut, jsonl_block, &jl) : EXIT_INPUT;
    stream_end(&st);
    return rc;
}
