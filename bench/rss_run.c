/*
 * rss_run.c - run a command and print its wall time and peak RSS: "SECONDS KB" on stderr's last
 * line, or to the file given with -o.  A process's peak RSS counts what it had before exec, so the
 * command must be started by a small process like this one, not forked from the benchmark itself
 * (which holds the vocabularies and inputs).  Usage: rss_run [-o FILE] COMMAND [ARG...]
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *out = NULL;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-o") == 0) {
        out = argv[2];
        first = 3;
    }
    if (first >= argc) {
        fputs("usage: rss_run [-o FILE] COMMAND [ARG...]\n", stderr);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t child = fork();
    if (child == 0) {
        execvp(argv[first], argv + first);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (child < 0 || wait4(child, &status, 0, &ru) != child)
        return 126;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    FILE *f = out ? fopen(out, "w") : stderr;
    if (f) {
        fprintf(f, "%.6f %ld\n", secs, (long)ru.ru_maxrss);
        if (out)
            fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
}
