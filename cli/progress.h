/*
 * progress.h - the progress line of long commands on stderr (train, encode, count): redrawn a
 * few times a second, from half a second into the command on, so that a quick run prints
 * nothing.  Shown when stderr is a terminal (for encode and count: and the output is not, so
 * that ids printed to the screen are not torn), or with --progress; never with -q.
 */
#ifndef CTOK_CLI_PROGRESS_H
#define CTOK_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seconds on a monotonic clock. */
double cli_now(void);
/* "ETA 12s" or "ETA 3m05s" into out[0 .. cap); returns what snprintf returns. */
int cli_format_eta(char *out, size_t cap, double seconds);

/* A progress line: its state on the screen, and for encode and count what it counts (bytes
 * read, tokens made).  train draws its own text through it (cli_progress_draw). */
typedef struct cli_progress {
    bool enabled; /* draw the line */
    bool forced;  /* --progress: print the summary line even after a quick run */
    bool printed; /* a line is on the screen, to be ended */
    int width;    /* its length, to blank what a shorter line leaves of it */
    const char *what; /* the command's name */
    double start, last;
    uint64_t total; /* bytes the inputs hold; 0 when unknown (standard input, a pipe) */
    uint64_t done, tokens; /* bytes encoded so far, and the tokens they made */
} cli_progress;

/* Start the clock.  total: the inputs' size in bytes, 0 if unknown. */
void cli_progress_start(cli_progress *p, const char *what, bool enabled, bool forced,
                        uint64_t total);
/* Draw line as p's line now, over the one on the screen. */
void cli_progress_draw(cli_progress *p, const char *line);
/* bytes more encoded, making tokens more tokens: redraw the line if it is time. */
void cli_progress_add(cli_progress *p, uint64_t bytes, uint64_t tokens);
/* The end: a summary line (bytes, tokens, time, rate) when a line was drawn or with --progress. */
void cli_progress_finish(cli_progress *p);

/* End the progress line on the screen, if any, so that what follows (an error) starts a line. */
void cli_progress_break(void);

/* The size of the files in bytes, if they are all regular files ("-" and pipes are not); else 0. */
uint64_t cli_files_size(const char *const *files, size_t n);

#endif
