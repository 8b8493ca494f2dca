/*
 * encode_args.c - what `ctok encode` and `ctok count` share: their options (-m/-e, --special,
 * --jsonl/--field, -j, files), loading the model, and the JSONL files one after the other
 * (jsonl_stream.c: one JSON text per line in, one JSON array of ids or one count per line out).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_encode_args_free(cli_encode_args *a)
{
    ctok_model_free(a->model);
    free(a->special.items);
    free(a->files);
    memset(a, 0, sizeof *a);
}

int cli_encode_args_parse(int argc, char **argv, const char *cmd, const char *help,
                          cli_encode_args *a, bool *done)
{
    memset(a, 0, sizeof *a);
    *done = false;
    const char *model_path = NULL, *encoding = NULL, *special = "raise", *threads_arg = NULL;
    bool bad = false, field_given = false;
    a->field = "text";
    a->files = calloc((size_t)argc + 1, sizeof *a->files);
    if (!a->files) {
        cli_error("out of memory");
        return EXIT_INPUT;
    }
    for (int i = 1; i < argc && !bad; i++) {
        const char *arg = argv[i], *f = NULL;
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            fputs(help, stdout);
            *done = true;
            return EXIT_OK;
        } else if (cli_opt_value(argc, argv, &i, "--model", &model_path, &bad, cmd) ||
                   cli_opt_value(argc, argv, &i, "-m", &model_path, &bad, cmd) ||
                   cli_opt_value(argc, argv, &i, "--encoding", &encoding, &bad, cmd) ||
                   cli_opt_value(argc, argv, &i, "-e", &encoding, &bad, cmd) ||
                   cli_opt_value(argc, argv, &i, "--special", &special, &bad, cmd) ||
                   cli_opt_value(argc, argv, &i, "--threads", &threads_arg, &bad, cmd) ||
                   cli_opt_value(argc, argv, &i, "-j", &threads_arg, &bad, cmd)) {
            continue;
        } else if (cli_opt_value(argc, argv, &i, "--field", &f, &bad, cmd)) {
            a->field = f ? f : a->field;
            field_given = true;
        } else if (!strcmp(arg, "--jsonl")) {
            a->jsonl = true;
        } else if (!strcmp(arg, "--progress")) {
            a->progress = true;
        } else if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet")) {
            a->quiet = true;
        } else if (arg[0] == '-' && arg[1] != 0) {
            return cli_usage_error(cmd, "unknown option '%s'", arg);
        } else {
            a->files[a->n_files++] = arg;
        }
    }
    if (bad)
        return EXIT_USAGE;
    uint64_t threads = cli_cpu_count();
    if (threads_arg && (!cli_parse_size(threads_arg, &threads) || threads < 1 || threads > 64))
        return cli_usage_error(cmd, "-j takes a number of threads from 1 to 64, not '%s'",
                               threads_arg);
    a->threads = (unsigned)threads;
    if (field_given && !a->jsonl)
        return cli_usage_error(cmd, "--field goes with --jsonl");
    if (!cli_parse_special(special, &a->special))
        return cli_usage_error(cmd, "--special: expected raise, none, all or a comma-separated "
                                    "list of special tokens, not '%s'", special);
    int rc = cli_load_model(cmd, model_path, encoding, &a->model);
    if (a->n_files == 0)
        a->files[a->n_files++] = "-";
    return rc;
}

void cli_report_encode_error(const char *name, uint64_t line, uint64_t offset,
                             const ctok_diag *diag)
{
    const char *hint = diag->status == CTOK_ESPECIAL
                           ? " (--special all takes it as a special token, --special none as "
                             "text)"
                           : "";
    cli_error("%s:%llu: byte offset %llu: %s%s", name, (unsigned long long)line,
              (unsigned long long)offset, diag->message, hint);
}

void cli_encode_progress_start(const cli_encode_args *a, const char *what, cli_progress *prog)
{
    /* by default only when the output goes elsewhere than the terminal: ids streaming to the
     * same screen would be torn by the redrawn line */
    bool terminal = isatty(2) && !isatty(1);
    cli_progress_start(prog, what, !a->quiet && terminal, !a->quiet && a->progress,
                       cli_files_size(a->files, a->n_files));
}

int cli_jsonl_files(const cli_encode_args *a, bool count_only, cli_progress *prog)
{
    int rc = EXIT_OK;
    for (size_t i = 0; !rc && i < a->n_files; i++) {
        rc = cli_jsonl_stream(a->model, &a->special.opt, a->field, a->files[i], a->threads,
                              count_only, prog);
    }
    return rc;
}
