/*
 * count_threads.c - pre-tokenizing and counting a batch of training text with several threads
 * (see count_threads.h).
 *
 * Where the batch is cut: at document ends, which no piece spans, and for the built-in patterns
 * at the places ctok__split_fast_cut finds (the same cuts the streaming encoder makes, proven
 * there to leave the pieces of both sides unchanged), each as close below len*k/n as one exists.
 * A custom pattern has no such rule, so its plain text is counted by one thread; its documents
 * still spread over the threads.  The first part is counted straight into the caller's table (it
 * comes first in the text); the others into per-thread counters that are merged after the join,
 * in order, and then cleared but kept, so each batch reuses their memory.
 */
#include "count_threads.h"

#include <pthread.h>

enum {
    MAX_THREADS = 64
};

typedef struct worker {
    ctok__count_team *team;
    ctok__chunk_counter counter; /* parts after the first count here */
    bool counter_ready;
    ctok__split_scratch *scratch;
    size_t *pending; /* the open segment's pieces (start, end) since its last certain boundary */
    size_t pending_cap;
    /* the job */
    const ctok__count_batch *batch;
    ctok__chunk_counter *out;
    size_t from, to;
    size_t done;
    int rc;
} worker;

struct ctok__count_team {
    ctok_allocator mem;
    const ctok__splitter *sp;
    size_t n;
    size_t min_part; /* below this a part costs more to start and merge than it saves */
    worker w[MAX_THREADS];
};

void ctok__count_team_free(ctok__count_team *team)
{
    if (!team)
        return;
    ctok_allocator m = team->mem;
    for (size_t i = 0; i < team->n; i++) {
        worker *w = &team->w[i];
        if (w->counter_ready)
            ctok__chunk_counter_free(&w->counter);
        ctok__split_scratch_free(team->sp, w->scratch);
        ctok__free(&m, w->pending);
    }
    ctok__free(&m, team);
}

int ctok__count_team_new(const ctok_allocator *mem, const ctok__splitter *sp, size_t n_threads,
                         ctok__count_team **out)
{
    ctok__count_team *team = ctok__calloc(mem, 1, sizeof *team);
    if (!team)
        return CTOK_ENOMEM;
    team->mem = *mem;
    team->sp = sp;
    team->min_part = CTOK__COUNT_MIN_PART;
    team->n = n_threads < 1 ? 1 : n_threads > MAX_THREADS ? MAX_THREADS : n_threads;
    int rc = CTOK_OK;
    for (size_t i = 0; i < team->n && !rc; i++) {
        team->w[i].team = team;
        rc = ctok__split_scratch_new(sp, &team->w[i].scratch);
        if (!rc && i > 0) {
            rc = ctok__chunk_counter_init(&team->w[i].counter, &team->mem);
            team->w[i].counter_ready = rc == CTOK_OK;
        }
    }
    if (rc) {
        ctok__count_team_free(team);
        return rc;
    }
    *out = team;
    return CTOK_OK;
}

void ctok__count_team_set_min_part(ctok__count_team *team, size_t min_part)
{
    team->min_part = min_part ? min_part : 1;
}

/* ---- one part ---- */

/* A closed segment text[0, len): every piece counts. */
static int count_closed(worker *w, const uint8_t *text, size_t len)
{
    ctok__split_iter it;
    ctok__split_begin(&it, w->team->sp, w->scratch, text, len, false);
    ctok__chunk_pipe pipe;
    ctok__chunk_pipe_init(&pipe);
    size_t s, e;
    int rc;
    while ((rc = ctok__split_next(&it, &s, &e)) == 1)
        if ((rc = ctok__chunk_pipe_push(w->out, &pipe, text + s, e - s, 1)) != 0)
            return rc;
    return rc < 0 ? rc : ctok__chunk_pipe_drain(w->out, &pipe);
}

/* The open segment text[0, len): count the pieces before the last piece start that cannot move
 * whatever follows len; *done is that start (0 when there is none). */
static int count_open(worker *w, const uint8_t *text, size_t len, size_t *done)
{
    ctok__split_iter it;
    ctok__split_begin(&it, w->team->sp, w->scratch, text, len, false);
    ctok__chunk_pipe pipe;
    ctok__chunk_pipe_init(&pipe);
    size_t s, e, n_pending = 0;
    int rc;
    *done = 0;
    while ((rc = ctok__split_next(&it, &s, &e)) == 1) {
        if (ctok__split_certain_boundary(text, len, s)) {
            for (size_t i = 0; i < n_pending; i += 2)
                if ((rc = ctok__chunk_pipe_push(w->out, &pipe, text + w->pending[i],
                                                w->pending[i + 1] - w->pending[i], 1)) != 0)
                    return rc;
            n_pending = 0;
            *done = s;
        }
        rc = ctok__grow(&w->team->mem, (void **)&w->pending, &w->pending_cap, n_pending + 2,
                        sizeof *w->pending);
        if (rc)
            return rc;
        w->pending[n_pending++] = s;
        w->pending[n_pending++] = e;
    }
    return rc < 0 ? rc : ctok__chunk_pipe_drain(w->out, &pipe);
}

/* The index of the first segment end after pos. */
static size_t first_end_after(const ctok__count_batch *b, size_t pos)
{
    size_t lo = 0, hi = b->n_ends;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->ends[mid] <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Count the worker's part [from, to) of the batch, segment by segment. */
static int count_part(worker *w)
{
    const ctok__count_batch *b = w->batch;
    size_t lo = first_end_after(b, w->from);
    w->done = w->to;
    for (size_t s = w->from, j = lo; s < w->to;) {
        size_t e = w->to;
        bool closed = b->final || e < b->len;
        if (j < b->n_ends && b->ends[j] <= w->to) {
            e = b->ends[j++];
            closed = true;
        }
        if (e <= s)
            continue;
        int rc;
        if (closed) {
            rc = count_closed(w, b->text + s, e - s);
        } else {
            size_t done;
            rc = count_open(w, b->text + s, e - s, &done);
            w->done = s + done;
        }
        if (rc)
            return rc;
        s = e;
    }
    return CTOK_OK;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    w->rc = count_part(w);
    return NULL;
}

/* ---- cutting the batch ---- */

/* The cut for a part that should end near target (and not before lo): the start of the segment
 * holding target, or with a built-in pattern the last fast cut in that segment before target,
 * or the segment's end when that is closer. */
static size_t cut_near(const ctok__count_team *team, const ctok__count_batch *b, size_t target,
                       size_t lo)
{
    size_t j = first_end_after(b, target);
    size_t seg_start = j ? b->ends[j - 1] : 0, seg_end = j < b->n_ends ? b->ends[j] : b->len;
    size_t c = seg_start;
    if (ctok__splitter_kind(team->sp) != CTOK__PRETOK_NONE) {
        size_t f = ctok__split_fast_cut(b->text + seg_start, seg_end - seg_start,
                                        target - seg_start);
        if (f)
            c = seg_start + f;
    }
    if (seg_end - target < target - c && seg_end < b->len)
        c = seg_end;
    return c < lo ? lo : c;
}

int ctok__count_team_run(ctok__count_team *team, const ctok__count_batch *b,
                         ctok__chunk_counter *dst, size_t *done)
{
    size_t n = team->n;
    if (n > 1 + b->len / team->min_part)
        n = 1 + b->len / team->min_part;
    size_t cut[MAX_THREADS + 1];
    cut[0] = 0;
    cut[n] = b->len;
    for (size_t k = 1; k < n; k++)
        cut[k] = cut_near(team, b, (size_t)((uint64_t)b->len * k / n), cut[k - 1]);
    pthread_t tid[MAX_THREADS];
    bool started[MAX_THREADS] = {false};
    for (size_t k = 0; k < n; k++) {
        worker *w = &team->w[k];
        w->batch = b;
        w->out = k ? &w->counter : dst;
        w->from = cut[k];
        w->to = cut[k + 1];
        w->rc = CTOK_OK;
        if (k > 0 && w->to > w->from)
            started[k] = pthread_create(&tid[k], NULL, run_worker, w) == 0;
    }
    run_worker(&team->w[0]);
    int rc = CTOK_OK;
    for (size_t k = 1; k < n; k++) {
        worker *w = &team->w[k];
        if (started[k])
            pthread_join(tid[k], NULL);
        else if (w->to > w->from)
            run_worker(w); /* no thread to spare: count it here */
    }
    /* merge in text order; the last part that ran decides how much was counted */
    *done = b->len;
    for (size_t k = 0; k < n; k++) {
        worker *w = &team->w[k];
        if (!rc)
            rc = w->rc;
        if (!rc && k > 0)
            rc = ctok__chunk_counter_merge(dst, &w->counter);
        if (k > 0)
            ctok__chunk_counter_clear(&w->counter);
        if (w->to > w->from)
            *done = w->done;
    }
    return rc;
}
