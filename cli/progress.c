/*
 * progress.c - the progress line of long commands (progress.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* the line starts this late, and is redrawn this often (seconds) */
#define FIRST_DRAW 0.5
#define REDRAW 0.25

/* The progress whose line is on the screen (one command runs per process): an error message
 * goes on a line of its own after it (cli_progress_break). */
static cli_progress *shown;

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int cli_format_eta(char *out, size_t cap, double seconds)
{
    unsigned long s = (unsigned long)(seconds + 0.5);
    return s < 60 ? snprintf(out, cap, "ETA %lus", s)
                  : snprintf(out, cap, "ETA %lum%02lus", s / 60, s % 60);
}

void cli_progress_start(cli_progress *p, const char *what, bool enabled, bool forced,
                        uint64_t total)
{
    memset(p, 0, sizeof *p);
    p->enabled = enabled || forced;
    p->forced = forced;
    p->what = what;
    p->total = total;
    p->start = p->last = cli_now();
}

/* Draw line over the one on the screen (spaces over what is left of a longer one). */
static void draw(cli_progress *p, const char *line, const char *end)
{
    int n = (int)strlen(line);
    fprintf(stderr, "%s%s%*s%s", p->printed ? "\r" : "", line, p->width > n ? p->width - n : 0,
            "", end);
    p->width = n;
}

void cli_progress_draw(cli_progress *p, const char *line)
{
    draw(p, line, "");
    p->printed = true;
    shown = p;
}

static double mb(double bytes) { return bytes / 1e6; }

void cli_progress_add(cli_progress *p, uint64_t bytes, uint64_t tokens)
{
    p->done += bytes;
    p->tokens += tokens;
    if (!p->enabled)
        return;
    uint64_t done = p->done;
    double t = cli_now(), elapsed = t - p->start;
    if (elapsed < FIRST_DRAW || t - p->last < REDRAW)
        return;
    p->last = t;
    double rate = (double)done / elapsed;
    char line[256];
    size_t n = (size_t)snprintf(line, sizeof line, "ctok: %s: %.1f", p->what, mb((double)done));
    if (p->total)
        n += (size_t)snprintf(line + n, sizeof line - n, "/%.1f", mb((double)p->total));
    n += (size_t)snprintf(line + n, sizeof line - n, " MB (%.1f MB/s", mb(rate));
    if (p->total && done <= p->total && rate > 0) {
        n += (size_t)snprintf(line + n, sizeof line - n, ", %.0f%%, ",
                              100.0 * (double)done / (double)p->total);
        n += (size_t)cli_format_eta(line + n, sizeof line - n, (double)(p->total - done) / rate);
    }
    snprintf(line + n, sizeof line - n, "), %llu tokens", (unsigned long long)p->tokens);
    cli_progress_draw(p, line);
}

void cli_progress_finish(cli_progress *p)
{
    if (!p->enabled || (!p->printed && !p->forced))
        return;
    double elapsed = cli_now() - p->start;
    char line[256];
    snprintf(line, sizeof line, "ctok: %s: %.1f MB, %llu tokens in %.2fs (%.1f MB/s)", p->what,
             mb((double)p->done), (unsigned long long)p->tokens, elapsed,
             elapsed > 0 ? mb((double)p->done) / elapsed : 0.0);
    draw(p, line, "\n");
    p->printed = false;
    shown = NULL;
}

void cli_progress_break(void)
{
    if (!shown)
        return;
    if (shown->printed)
        fputc('\n', stderr);
    shown->printed = false;
    shown = NULL;
}

uint64_t cli_files_size(const char *const *files, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (!strcmp(files[i], "-") || stat(files[i], &st) != 0 || !S_ISREG(st.st_mode))
            return 0;
        total += (uint64_t)st.st_size;
    }
    return total;
}
