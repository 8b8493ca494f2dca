/*
 * bench_encode.c - encoding speed of ctok next to tiktoken and HF tokenizers, as one table.
 *
 *   bench_encode [-n REPEATS] [-b BUDGET_S] [-e ENC,ENC,...] [--peers FILE] [--ctok PATH]
 *                [--rss-input NAME] [--tsv OUT] NAME=PATH...
 *
 * For each encoding (default gpt2, cl100k_base, o200k_base): load it once (timed apart), then for
 * each input encode the whole of it on one thread, with tiktoken's encode_ordinary semantics (no
 * special token allowed or disallowed: their texts are ordinary text), REPEATS times or until the
 * case has used BUDGET seconds (at least one run), and keep the best and the median wall time.
 * Each run makes a new ctok_encoder (so no run finds pieces cached by an earlier one) and encodes
 * the input with one ctok_encoder_encode call; timing covers both.  The input is in memory and
 * the id buffer is allocated before.
 *
 * --peers FILE holds the lines bench/peers/bench-peers.js printed (tiktoken and HF timed inside
 * their Node process after loading).  Each line names the bytes the peer encoded (the input, or a
 * sample of it for a slow peer) with a count and a hash of its ids: ctok encodes the same bytes,
 * compares (a difference is printed loudly and marks the row) and, for a sample, times itself on it
 * too so that the ratio compares the same bytes.
 *
 * --ctok PATH adds two process-level figures of the CLI: start to exit of `ctok encode -e
 * o200k_base` on a 10-byte file (median of 20 runs), and its peak RSS on the input named by
 * --rss-input (default corpus-41M).
 *
 * Output: the table on stdout; --tsv OUT also writes every figure, tab-separated.  Exit status 1
 * when ctok's ids differ from tiktoken's or a run fails, so that a broken encoder cannot go
 * unnoticed in `make bench`.  A difference from HF tokenizers is printed and marked but is not a
 * failure: HF's BPE merges by pair priority, not by the rank of the result, and may differ.
 */
#include "bench_util.h"
#include "ctok.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 100
#define MAX_INPUTS 16
#define MAX_ENCODINGS 8
#define MAX_PEER_LINES 256
/* A peer's sample of an input: SAMPLE_SLICES evenly spaced slices (bench-peers.js does the same). */
#define SAMPLE_SLICES 16

static int is_continuation(uint8_t b) { return (b & 0xC0) == 0x80; }

/* The bytes a peer encoded when limited to `limit` bytes of text: the whole text if it fits,
 * else SAMPLE_SLICES slices of limit / SAMPLE_SLICES bytes starting at evenly spaced offsets, each
 * moved to character boundaries, concatenated.  Returns a malloc'ed copy (or NULL). */
static uint8_t *sample_of(const uint8_t *text, size_t len, size_t limit, size_t *out_len)
{
    uint8_t *out = malloc(limit < len ? limit + 1 : len + 1);
    if (!out)
        return NULL;
    if (limit == 0 || limit >= len) {
        memcpy(out, text, len);
        *out_len = len;
        return out;
    }
    size_t piece = limit / SAMPLE_SLICES, n = 0;
    for (size_t i = 0; i < SAMPLE_SLICES; i++) {
        size_t start = (size_t)((uint64_t)i * len / SAMPLE_SLICES);
        while (start < len && is_continuation(text[start]))
            start++;
        size_t end = start + piece < len ? start + piece : len;
        while (end > start && end < len && is_continuation(text[end]))
            end--;
        memcpy(out + n, text + start, end - start);
        n += end - start;
    }
    *out_len = n;
    return out;
}

/* ---- timing ctok ------------------------------------------------------------------------------ */

typedef struct timing {
    size_t bytes;
    size_t n_ids;
    char hash[17];
    double best, median; /* seconds */
    int runs;
    int failed;
} timing;

/* Each run encodes with a new encoder, so that nothing one run cached (the encoder's piece and
 * pair caches) helps the next: every run is a first encoding of the text, as it is for a user
 * who encodes a file once.  The encoder's creation is inside the timing (it is cheap; its caches
 * are made by the encode call, which is timed anyway). */
static void time_encode(const ctok_model *model, const uint8_t *text, size_t len, uint32_t *ids,
                        int repeats, double budget, timing *t)
{
    ctok_encode_options ordinary;
    memset(&ordinary, 0, sizeof ordinary); /* allowed {}, disallowed {}: encode_ordinary */
    double times[MAX_RUNS], spent = 0;
    int runs = 0;
    memset(t, 0, sizeof *t);
    t->bytes = len;
    while (runs < repeats && (runs == 0 || spent < budget)) {
        size_t n_ids = 0;
        ctok_diag diag;
        ctok_encoder *enc = NULL;
        double t0 = now();
        int rc = ctok_encoder_new(model, &enc);
        if (rc == CTOK_OK)
            rc = ctok_encoder_encode(enc, text, len, &ordinary, ids, ctok_encode_bound(len),
                                     &n_ids, &diag);
        double dt = now() - t0;
        bool made = enc != NULL;
        ctok_encoder_free(enc);
        if (rc != CTOK_OK) {
            fprintf(stderr, "bench_encode: encode failed: %s (%s)\n", ctok_strerror(rc),
                    made ? diag.message : "no encoder");
            t->failed = 1;
            return;
        }
        times[runs++] = dt;
        spent += dt;
        t->n_ids = n_ids;
    }
    qsort(times, (size_t)runs, sizeof *times, cmp_double);
    t->best = times[0];
    t->median = times[runs / 2];
    t->runs = runs;
    ids_hash(ids, t->n_ids, t->hash);
}

/* ---- the peers' results ----------------------------------------------------------------------- */

typedef struct peer_line {
    char peer[16], encoding[32], input[64], hash[17], status[160];
    size_t limit, bytes, n_ids;
    double best, median, load;
    int runs;
} peer_line;

/* A field of the peers' file, cut to fit (the names are short; a long one is cut, not overrun). */
static void copy_field(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static size_t read_peers(const char *path, peer_line *lines, size_t max)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_encode: no peer results (%s): peers skipped\n", path);
        return 0;
    }
    char buf[1024];
    size_t n = 0;
    while (n < max && fgets(buf, sizeof buf, f)) {
        peer_line *p = &lines[n];
        memset(p, 0, sizeof *p);
        char *field[12];
        int k = 0;
        char *s = buf;
        buf[strcspn(buf, "\n")] = '\0';
        while (k < 12) {
            field[k++] = s;
            char *tab = strchr(s, '\t');
            if (!tab)
                break;
            *tab = '\0';
            s = tab + 1;
        }
        if (k < 12)
            continue;
        copy_field(p->peer, sizeof p->peer, field[0]);
        copy_field(p->encoding, sizeof p->encoding, field[1]);
        copy_field(p->input, sizeof p->input, field[2]);
        p->limit = strtoull(field[3], NULL, 10);
        p->bytes = strtoull(field[4], NULL, 10);
        p->n_ids = strtoull(field[5], NULL, 10);
        copy_field(p->hash, sizeof p->hash, field[6]);
        p->best = strtod(field[7], NULL);
        p->median = strtod(field[8], NULL);
        p->runs = atoi(field[9]);
        p->load = strtod(field[10], NULL);
        copy_field(p->status, sizeof p->status, field[11]);
        n++;
    }
    fclose(f);
    return n;
}

/* One peer's figures for one row, after checking its ids against ctok's on the same bytes. */
typedef struct peer_cell {
    int present;   /* the peer ran this case */
    int sampled;   /* on a sample of the input, not the whole */
    int mismatch;  /* its ids differ from ctok's */
    int failed;    /* it could not run (status) */
    double mbs_best, mbs_median;
    double ratio;  /* ctok best / peer best, on the same bytes */
} peer_cell;

/* ---- process-level figures of the CLI --------------------------------------------------------- */

/* Where rss_run is (next to this program). */
static char rss_run_path[4096] = "build/bench/rss_run";

/* Run argv with stdout and stdin on /dev/null; wall time in *seconds and peak RSS in *rss_kb,
 * measured by bench/rss_run: a process's peak RSS includes what it had before exec, so the command
 * must be started by a small process, not forked from this one (which holds vocabularies and
 * inputs).  0 on success. */
static int run_process(char *const argv[], double *seconds, long *rss_kb)
{
    char out[] = "/tmp/ctok-rss-XXXXXX";
    int fd = mkstemp(out);
    if (fd < 0)
        return -1;
    close(fd);
    char *args[64];
    int n = 0;
    args[n++] = rss_run_path;
    args[n++] = "-o";
    args[n++] = out;
    for (int i = 0; argv[i] && n < 63; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    pid_t child = fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
        }
        execv(args[0], args);
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    FILE *f = fopen(out, "r");
    int got = f ? fscanf(f, "%lf %ld", seconds, rss_kb) : 0;
    if (f)
        fclose(f);
    remove(out);
    return got == 2 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void cli_figures(const char *ctok, const char *rss_name, const char *rss_path, FILE *tsv)
{
    const char *tiny = "bench/out/ten-bytes.txt";
    FILE *f = fopen(tiny, "wb");
    if (!f || fwrite("hello ctok", 1, 10, f) != 10 || fclose(f) != 0) {
        fprintf(stderr, "bench_encode: cannot write %s\n", tiny);
        return;
    }
    char *argv_tiny[] = {(char *)ctok, "encode", "-e", "o200k_base", (char *)tiny, NULL};
    double times[21];
    long rss = 0;
    int runs = 0;
    for (int i = 0; i < 21; i++) { /* the first run warms the page cache and is not counted */
        double dt;
        if (run_process(argv_tiny, &dt, &rss) != 0) {
            fprintf(stderr, "bench_encode: %s encode -e o200k_base %s failed\n", ctok, tiny);
            return;
        }
        if (i > 0)
            times[runs++] = dt;
    }
    qsort(times, (size_t)runs, sizeof *times, cmp_double);
    printf("start-up: `%s encode -e o200k_base` on 10 bytes, process start to exit: "
           "median %.1f ms, best %.1f ms (%d runs), peak RSS %.1f MB\n",
           ctok, times[runs / 2] * 1e3, times[0] * 1e3, runs, rss / 1024.0);
    if (tsv)
        fprintf(tsv, "startup\t%.6f\t%.6f\t%d\t%ld\n", times[0], times[runs / 2], runs, rss);
    if (!rss_path)
        return;
    char *argv_big[] = {(char *)ctok, "encode", "-e", "o200k_base", (char *)rss_path, NULL};
    double dt;
    if (run_process(argv_big, &dt, &rss) != 0) {
        fprintf(stderr, "bench_encode: %s encode -e o200k_base %s failed\n", ctok, rss_path);
        return;
    }
    struct stat st;
    double mb = stat(rss_path, &st) == 0 ? st.st_size / 1e6 : 0;
    printf("peak RSS: `%s encode -e o200k_base` on %s (%.1f MB, ids printed to /dev/null): "
           "%.1f MB, %.2f s wall (%.1f MB/s end to end)\n",
           ctok, rss_name, mb, rss / 1024.0, dt, mb / dt);
    if (tsv)
        fprintf(tsv, "rss\t%s\t%ld\t%.6f\n", rss_name, rss, dt);
}

/* ---- the table -------------------------------------------------------------------------------- */

static void fmt_mbs(char *out, size_t cap, double best, double median, const char *mark)
{
    snprintf(out, cap, "%.*f (%.*f)%s", best < 10 ? 2 : 1, best, median < 10 ? 2 : 1, median,
             mark);
}

static void fmt_ratio(char *out, size_t cap, const peer_cell *c)
{
    if (!c->present || c->failed || c->ratio <= 0)
        snprintf(out, cap, "-");
    else
        snprintf(out, cap, "%.*fx%s", c->ratio < 10 ? 2 : 1, c->ratio, c->sampled ? "*" : "");
}

static void fmt_peer(char *out, size_t cap, const peer_cell *c)
{
    if (!c->present)
        snprintf(out, cap, "-");
    else if (c->failed)
        snprintf(out, cap, "failed");
    else
        fmt_mbs(out, cap, c->mbs_best, c->mbs_median,
                c->mismatch ? (c->sampled ? "*!" : "!") : (c->sampled ? "*" : ""));
}

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_encode [-n REPEATS] [-b BUDGET_S] [-e ENC,ENC,...] [--peers FILE]\n"
            "                    [--ctok PATH] [--rss-input NAME] [--tsv OUT] NAME=PATH...\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *slash = strrchr(argv[0], '/');
    if (slash)
        snprintf(rss_run_path, sizeof rss_run_path, "%.*s/rss_run", (int)(slash - argv[0]), argv[0]);
    int repeats = 5;
    double budget = 10;
    char encodings_arg[256] = "gpt2,cl100k_base,o200k_base";
    const char *peers_path = NULL, *ctok_path = NULL, *rss_input = "corpus-41M", *tsv_path = NULL;
    const char *names[MAX_INPUTS], *paths[MAX_INPUTS];
    size_t n_inputs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "-n") == 0 && has_value)
            repeats = atoi(argv[++i]);
        else if (strcmp(a, "-b") == 0 && has_value)
            budget = atof(argv[++i]);
        else if (strcmp(a, "-e") == 0 && has_value)
            snprintf(encodings_arg, sizeof encodings_arg, "%s", argv[++i]);
        else if (strcmp(a, "--peers") == 0 && has_value)
            peers_path = argv[++i];
        else if (strcmp(a, "--ctok") == 0 && has_value)
            ctok_path = argv[++i];
        else if (strcmp(a, "--rss-input") == 0 && has_value)
            rss_input = argv[++i];
        else if (strcmp(a, "--tsv") == 0 && has_value)
            tsv_path = argv[++i];
        else if (a[0] != '-' && strchr(a, '=') && n_inputs < MAX_INPUTS) {
            char *eq = strchr(argv[i], '=');
            *eq = '\0';
            names[n_inputs] = argv[i];
            paths[n_inputs++] = eq + 1;
        } else
            usage();
    }
    if (repeats < 1 || repeats > MAX_RUNS || n_inputs == 0)
        usage();

    const char *encodings[MAX_ENCODINGS];
    size_t n_encodings = 0;
    for (char *tok = strtok(encodings_arg, ","); tok && n_encodings < MAX_ENCODINGS;
         tok = strtok(NULL, ","))
        encodings[n_encodings++] = tok;

    uint8_t *texts[MAX_INPUTS];
    size_t lens[MAX_INPUTS], max_len = 0;
    for (size_t i = 0; i < n_inputs; i++) {
        texts[i] = read_all(paths[i], &lens[i]);
        if (!texts[i]) {
            fprintf(stderr, "bench_encode: cannot read %s\n", paths[i]);
            return 1;
        }
        if (lens[i] > max_len)
            max_len = lens[i];
    }
    static peer_line peers[MAX_PEER_LINES];
    size_t n_peers = peers_path ? read_peers(peers_path, peers, MAX_PEER_LINES) : 0;
    FILE *tsv = tsv_path ? fopen(tsv_path, "w") : NULL;
    uint32_t *ids = malloc((max_len ? max_len : 1) * sizeof *ids);
    if (!ids)
        return 1;

    printf("%-12s %-12s %6s  %-15s %-11s %-15s %-15s %-13s %-9s %s\n", "encoding", "input", "MB",
           "ctok MB/s", "ctok Mtok/s", "tiktoken MB/s", "HF MB/s", "ctok/tiktoken", "ctok/HF",
           "ids");
    int mismatches = 0, tiktoken_mismatches = 0, failures = 0;
    char load_line[512] = "";
    size_t load_used = 0;
    for (size_t e = 0; e < n_encodings; e++) {
        ctok_model *model = NULL;
        ctok_diag diag;
        double t0 = now();
        int rc = ctok_encoding_load(encodings[e], NULL, &model, &diag);
        double load = now() - t0;
        if (rc != CTOK_OK) {
            fprintf(stderr, "bench_encode: cannot load %s: %s\n", encodings[e],
                    rc == CTOK_ENOTFOUND || rc == CTOK_EFORMAT ? diag.message : ctok_strerror(rc));
            ctok_model_free(model);
            failures++;
            continue;
        }
        load_used += (size_t)snprintf(load_line + load_used, sizeof load_line - load_used,
                                      "%s%s %.0f ms", e ? ", " : "", encodings[e], load * 1e3);
        for (size_t i = 0; i < n_inputs; i++) {
            timing full;
            time_encode(model, texts[i], lens[i], ids, repeats, budget, &full);
            if (full.failed) {
                failures++;
                continue;
            }
            peer_cell cells[2]; /* tiktoken, hf */
            memset(cells, 0, sizeof cells);
            for (size_t p = 0; p < n_peers; p++) {
                const peer_line *pl = &peers[p];
                if (strcmp(pl->encoding, encodings[e]) != 0 || strcmp(pl->input, names[i]) != 0)
                    continue;
                int which = strcmp(pl->peer, "tiktoken") == 0 ? 0 : strcmp(pl->peer, "hf") == 0 ? 1 : -1;
                if (which < 0)
                    continue;
                peer_cell *c = &cells[which];
                c->present = 1;
                if (strcmp(pl->status, "ok") != 0 || pl->runs < 1 || pl->best <= 0) {
                    c->failed = 1;
                    fprintf(stderr, "bench_encode: %s on %s / %s: %s\n", pl->peer, encodings[e],
                            names[i], pl->status);
                    continue;
                }
                /* ctok on exactly the peer's bytes: the same ids, and a ratio of like with like */
                timing same = full;
                uint8_t *sample = NULL;
                c->sampled = pl->limit > 0 && pl->limit < lens[i];
                if (c->sampled) {
                    size_t sample_len;
                    sample = sample_of(texts[i], lens[i], pl->limit, &sample_len);
                    if (!sample)
                        return 1;
                    time_encode(model, sample, sample_len, ids, repeats, budget, &same);
                    free(sample);
                    if (same.failed) {
                        failures++;
                        continue;
                    }
                }
                c->mbs_best = pl->bytes / pl->best / 1e6;
                c->mbs_median = pl->bytes / pl->median / 1e6;
                c->ratio = (same.bytes / same.best) / (pl->bytes / pl->best);
                if (same.bytes != pl->bytes || same.n_ids != pl->n_ids ||
                    strcmp(same.hash, pl->hash) != 0) {
                    c->mismatch = 1;
                    mismatches++;
                    if (which == 0)
                        tiktoken_mismatches++;
                    fprintf(stderr,
                            "\n*** MISMATCH: %s %s %s%s: ctok %zu bytes -> %zu ids (hash %s), "
                            "%s %zu bytes -> %zu ids (hash %s) ***\n\n",
                            pl->peer, encodings[e], names[i], c->sampled ? " (sample)" : "",
                            same.bytes, same.n_ids, same.hash, pl->peer, pl->bytes, pl->n_ids,
                            pl->hash);
                }
                if (tsv)
                    fprintf(tsv, "peer\t%s\t%s\t%s\t%zu\t%zu\t%s\t%.6f\t%.6f\t%d\t%.6f\t%.6f\t%s\n",
                            pl->peer, encodings[e], names[i], pl->bytes, pl->n_ids, pl->hash,
                            pl->best, pl->median, pl->runs, same.best, c->ratio,
                            c->mismatch ? "MISMATCH" : "ok");
            }
            if (tsv)
                fprintf(tsv, "ctok\t%s\t%s\t%zu\t%zu\t%s\t%.6f\t%.6f\t%d\n", encodings[e],
                        names[i], full.bytes, full.n_ids, full.hash, full.best, full.median,
                        full.runs);
            char ctok_mbs[32], tik[32], hf[32], r_tik[24], r_hf[24], ids_col[40];
            fmt_mbs(ctok_mbs, sizeof ctok_mbs, full.bytes / full.best / 1e6,
                    full.bytes / full.median / 1e6, "");
            fmt_peer(tik, sizeof tik, &cells[0]);
            fmt_peer(hf, sizeof hf, &cells[1]);
            fmt_ratio(r_tik, sizeof r_tik, &cells[0]);
            fmt_ratio(r_hf, sizeof r_hf, &cells[1]);
            if (cells[0].mismatch || cells[1].mismatch)
                snprintf(ids_col, sizeof ids_col, "MISMATCH%s%s",
                         cells[0].mismatch ? " tiktoken" : "", cells[1].mismatch ? " HF" : "");
            else if ((cells[0].present && !cells[0].failed) || (cells[1].present && !cells[1].failed))
                snprintf(ids_col, sizeof ids_col, "same");
            else
                snprintf(ids_col, sizeof ids_col, "-");
            printf("%-12s %-12s %6.1f  %-15s %-11.2f %-15s %-15s %-13s %-9s %s\n", encodings[e],
                   names[i], lens[i] / 1e6, ctok_mbs, full.n_ids / full.best / 1e6, tik, hf,
                   r_tik, r_hf, ids_col);
            fflush(stdout);
        }
        ctok_model_free(model);
    }
    printf("\nMB/s: input bytes / wall time of one encode call on one thread, best of at most %d runs "
           "(median in parentheses);\n"
           "Mtok/s: ids / best time; ratios: best / best on the same bytes; ids: the peers' ids "
           "equal ctok's (count and hash).\n"
           "* = the peer was timed on a sample of the input (%d evenly spaced slices; ctok was "
           "timed on the same sample for the ratio).\n"
           "! = the peer's ids differ from ctok's.  Loading is not timed: ctok %s.\n",
           repeats, SAMPLE_SLICES, load_line);
    for (size_t p = 0; p < n_peers; p++) { /* the peers' load times, once per encoding */
        int first = 1;
        for (size_t q = 0; q < p; q++)
            if (strcmp(peers[q].peer, peers[p].peer) == 0)
                first = 0;
        if (!first)
            continue;
        printf("  %s load:", peers[p].peer);
        for (size_t q = p; q < n_peers; q++) {
            int seen = 0;
            for (size_t r = p; r < q; r++)
                if (strcmp(peers[r].peer, peers[q].peer) == 0 &&
                    strcmp(peers[r].encoding, peers[q].encoding) == 0)
                    seen = 1;
            if (!seen && strcmp(peers[q].peer, peers[p].peer) == 0)
                printf(" %s %.0f ms", peers[q].encoding, peers[q].load * 1e3);
        }
        printf("\n");
    }
    if (ctok_path) {
        const char *rss_path = NULL;
        for (size_t i = 0; i < n_inputs; i++)
            if (strcmp(names[i], rss_input) == 0)
                rss_path = paths[i];
        printf("\n");
        cli_figures(ctok_path, rss_input, rss_path, tsv);
        if (!rss_path)
            printf("peak RSS: skipped (no input named %s)\n", rss_input);
    }
    if (mismatches)
        printf("\n*** %d MISMATCH(ES): a peer's ids differ from ctok's (see the lines marked !) ***\n",
               mismatches);
    if (tsv)
        fclose(tsv);
    free(ids);
    for (size_t i = 0; i < n_inputs; i++)
        free(texts[i]);
    return tiktoken_mismatches || failures ? 1 : 0;
}
