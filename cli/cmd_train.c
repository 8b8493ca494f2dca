/*
 * cmd_train.c - `ctok train`: learn a character vocabulary or BPE merges and write
 * PREFIX.model and PREFIX.vocab.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

static const char HELP[] =
    "usage: ctok train --type char|basic|regex -o PREFIX [OPTIONS] [FILE...]\n"
    "\n"
    "Learn a tokenizer from the text of the files (concatenated, in order; default standard\n"
    "input) and write PREFIX.model and PREFIX.vocab.\n"
    "\n"
    "  --type char         the characters of the text, ids in code-point order\n"
    "                      (nanoGPT's shakespeare_char)\n"
    "  --type basic        byte-level BPE over the whole text (minbpe's BasicTokenizer)\n"
    "  --type regex        byte-level BPE within the pieces of a split pattern (minbpe's\n"
    "                      RegexTokenizer)\n"
    "  --vocab-size N      BPE: 256 single bytes plus N-256 merges (special tokens come on top)\n"
    "  --pattern P         regex: gpt2, gpt4 (default; minbpe's GPT4_SPLIT_PATTERN), o200k, or a\n"
    "                      regular expression (PCRE2 syntax, \\s and \\p{..} as in tiktoken)\n"
    "  --special TOK[=ID]  register a special token (repeatable); ids follow the merges unless\n"
    "                      given\n"
    "  --ties RULE         which pair wins among equal counts: first-seen (default, minbpe: the\n"
    "                      pair seen first in the text) or smallest-pair (HF tokenizers and\n"
    "                      rustbpe: the smallest (left id, right id))\n"
    "  --min-frequency N   stop when the best pair occurs fewer than N times\n"
    "  -o, --output PREFIX where to write PREFIX.model and PREFIX.vocab\n"
    "  --progress          progress on stderr even when it is not a terminal\n"
    "  -q, --quiet         no summary on stderr\n";

typedef struct progress_state {
    bool enabled;
    double last;
    double start;
} progress_state;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_progress(void *user, const ctok_train_progress *p)
{
    progress_state *s = user;
    double t = now_seconds();
    bool final = p->merges_total && p->merges_done == p->merges_total;
    if (!s->enabled || (t - s->last < 0.25 && !final))
        return;
    s->last = t;
    double elapsed = t - s->start;
    if (p->merges_total) {
        double rate = p->merges_done / (elapsed > 0 ? elapsed : 1e-9);
        double eta = rate > 0 ? (p->merges_total - p->merges_done) / rate : 0;
        fprintf(stderr, "\rctok: train: %llu MB read, %llu unique chunks, merges %llu/%llu "
                "(%.0f/s, ETA %.0fs)   ", (unsigned long long)(p->bytes_read >> 20),
                (unsigned long long)p->unique_chunks, (unsigned long long)p->merges_done,
                (unsigned long long)p->merges_total, rate, eta);
    } else {
        fprintf(stderr, "\rctok: train: %llu MB read (%.0f MB/s)   ",
                (unsigned long long)(p->bytes_read >> 20),
                (p->bytes_read / 1e6) / (elapsed > 0 ? elapsed : 1e-9));
    }
}

/* TOKEN or TOKEN=ID (the last '=' followed by digits only). */
static void parse_special(const char *arg, ctok_bytes *tok, int64_t *id)
{
    const char *eq = strrchr(arg, '=');
    uint64_t v;
    if (eq && eq != arg && cli_parse_size(eq + 1, &v) && v < UINT32_MAX) {
        tok->ptr = (const uint8_t *)arg;
        tok->len = (size_t)(eq - arg);
        *id = (int64_t)v;
        return;
    }
    tok->ptr = (const uint8_t *)arg;
    tok->len = strlen(arg);
    *id = -1;
}

/* Stream one file into the trainer in blocks, so the corpus is never held whole; an error
 * names the file and line. */
static int feed_file(ctok_trainer *trainer, const char *path, uint64_t *total)
{
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        cli_error("%s: cannot open: %s", path, strerror(errno));
        return EXIT_INPUT;
    }
    enum { BLOCK = 1 << 22 };
    uint8_t *buf = malloc(BLOCK);
    uint64_t file_offset = 0, line = 1;
    int rc = buf ? EXIT_OK : EXIT_INPUT;
    if (!buf)
        cli_error("out of memory");
    size_t n;
    while (rc == EXIT_OK && (n = fread(buf, 1, BLOCK, f)) > 0) {
        ctok_diag diag;
        if (ctok_trainer_feed(trainer, buf, n, &diag) != CTOK_OK) {
            if (diag.offset >= *total + file_offset && diag.offset < *total + file_offset + n) {
                uint64_t at = diag.offset - *total - file_offset;
                line += cli_line_of(buf, n, at) - 1;
                cli_error("%s:%llu: byte offset %llu: %s", name, (unsigned long long)line,
                          (unsigned long long)(diag.offset - *total), diag.message);
            } else {
                cli_error("%s: %s", name, diag.message);
            }
            rc = EXIT_INPUT;
            break;
        }
        line += cli_line_of(buf, n, n) - 1;
        file_offset += n;
    }
    if (rc == EXIT_OK && ferror(f)) {
        cli_error("%s: read error: %s", name, strerror(errno));
        rc = EXIT_INPUT;
    }
    if (!is_stdin)
        fclose(f);
    free(buf);
    *total += file_offset;
    return rc;
}

int cmd_train(int argc, char **argv)
{
    const char *type = NULL, *pattern = NULL, *output = NULL, *ties = NULL;
    const char *vocab_arg = NULL, *minfreq_arg = NULL;
    bool quiet = false, bad = false;
    progress_state prog = {isatty(2), 0, now_seconds()};
    ctok_bytes *specials = calloc((size_t)argc, sizeof *specials);
    int64_t *special_ids = calloc((size_t)argc, sizeof *special_ids);
    size_t n_special = 0;
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t n_files = 0;
    int rc = EXIT_OK;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i], *v = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(HELP, stdout);
            goto done;
        } else if (cli_opt_value(argc, argv, &i, "--type", &type, &bad, "train") ||
                   cli_opt_value(argc, argv, &i, "--pattern", &pattern, &bad, "train") ||
                   cli_opt_value(argc, argv, &i, "--output", &output, &bad, "train") ||
                   cli_opt_value(argc, argv, &i, "-o", &output, &bad, "train") ||
                   cli_opt_value(argc, argv, &i, "--ties", &ties, &bad, "train") ||
                   cli_opt_value(argc, argv, &i, "--vocab-size", &vocab_arg, &bad, "train") ||
                   cli_opt_value(argc, argv, &i, "--min-frequency", &minfreq_arg, &bad, "train")) {
            continue;
        } else if (cli_opt_value(argc, argv, &i, "--special", &v, &bad, "train")) {
            if (!bad) {
                parse_special(v, &specials[n_special], &special_ids[n_special]);
                n_special++;
            }
        } else if (!strcmp(a, "--progress")) {
            prog.enabled = true;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if (a[0] == '-' && a[1] != 0) {
            rc = cli_usage_error("train", "unknown option '%s'", a);
            goto done;
        } else {
            files[n_files++] = a;
        }
    }
    if (bad) {
        rc = EXIT_USAGE;
        goto done;
    }
    ctok_train_options opt;
    memset(&opt, 0, sizeof opt);
    if (!type) {
        rc = cli_usage_error("train", "--type char|basic|regex is required");
        goto done;
    } else if (!strcmp(type, "char")) {
        opt.type = CTOK_TRAIN_CHAR;
    } else if (!strcmp(type, "basic")) {
        opt.type = CTOK_TRAIN_BASIC;
    } else if (!strcmp(type, "regex")) {
        opt.type = CTOK_TRAIN_REGEX;
    } else {
        rc = cli_usage_error("train", "unknown --type '%s' (expected char, basic or regex)", type);
        goto done;
    }
    if (!output) {
        rc = cli_usage_error("train", "-o PREFIX is required");
        goto done;
    }
    uint64_t vocab = 0, minfreq = 0;
    if (opt.type != CTOK_TRAIN_CHAR) {
        if (!vocab_arg) {
            rc = cli_usage_error("train", "--vocab-size N is required for BPE training");
            goto done;
        }
        if (!cli_parse_size(vocab_arg, &vocab) || vocab < 256 || vocab > (1u << 30)) {
            rc = cli_usage_error("train", "--vocab-size must be a number from 256 to 2^30, "
                                          "not '%s'", vocab_arg);
            goto done;
        }
    } else if (vocab_arg || pattern || n_special || ties || minfreq_arg) {
        rc = cli_usage_error("train", "--type char takes no --vocab-size, --pattern, --special, "
                                      "--ties or --min-frequency");
        goto done;
    }
    if (minfreq_arg && !cli_parse_size(minfreq_arg, &minfreq)) {
        rc = cli_usage_error("train", "--min-frequency must be a number, not '%s'", minfreq_arg);
        goto done;
    }
    if (pattern && opt.type != CTOK_TRAIN_REGEX) {
        rc = cli_usage_error("train", "--pattern goes with --type regex");
        goto done;
    }
    if (opt.type == CTOK_TRAIN_REGEX) {
        const char *named = ctok_pattern_by_name(pattern ? pattern : "gpt4");
        const char *p = named ? named : pattern;
        opt.pattern.ptr = (const uint8_t *)p;
        opt.pattern.len = strlen(p);
    }
    if (!ties || !strcmp(ties, "first-seen")) {
        opt.ties = CTOK_TIES_FIRST_SEEN;
    } else if (!strcmp(ties, "smallest-pair")) {
        opt.ties = CTOK_TIES_SMALLEST_PAIR;
    } else {
        rc = cli_usage_error("train", "unknown --ties '%s' (expected first-seen or smallest-pair)",
                             ties);
        goto done;
    }
    for (size_t i = 0; i < n_special; i++) {
        if (specials[i].len == 0 || strpbrk((const char *)specials[i].ptr, " \t\r\n\v\f")) {
            rc = cli_usage_error("train", "special token '%s' is empty or contains white space "
                                          "(minbpe's .model format cannot hold it)",
                                 (const char *)specials[i].ptr);
            goto done;
        }
    }
    opt.vocab_size = (size_t)vocab;
    opt.min_frequency = minfreq;
    opt.special = specials;
    opt.special_ids = special_ids;
    opt.n_special = n_special;
    opt.progress = on_progress;
    opt.progress_user = &prog;

    ctok_diag diag;
    ctok_trainer *trainer = NULL;
    if (ctok_trainer_new(&opt, &trainer, &diag) != CTOK_OK) {
        rc = diag.status == CTOK_EPATTERN ? cli_usage_error("train", "--pattern: %s", diag.message)
                                          : cli_usage_error("train", "%s", diag.message);
        goto done;
    }
    if (n_files == 0)
        files[n_files++] = "-";
    uint64_t total = 0;
    for (size_t i = 0; i < n_files && rc == EXIT_OK; i++)
        rc = feed_file(trainer, files[i], &total);
    ctok_model *model = NULL;
    if (rc == EXIT_OK && ctok_trainer_finish(trainer, &model, &diag) != CTOK_OK) {
        cli_error("train: %s", diag.message);
        rc = EXIT_INPUT;
    }
    ctok_trainer_free(trainer);
    if (prog.enabled)
        fputc('\n', stderr);
    if (rc == EXIT_OK && ctok_model_save(model, output, &diag) != CTOK_OK) {
        cli_error("%s", diag.message);
        rc = EXIT_INPUT;
    }
    if (rc == EXIT_OK && !quiet) {
        double secs = now_seconds() - prog.start;
        if (opt.type == CTOK_TRAIN_CHAR)
            fprintf(stderr, "ctok: train: %zu characters from %llu bytes in %.2fs -> %s.model\n",
                    ctok_model_n_vocab(model), (unsigned long long)total, secs, output);
        else
            fprintf(stderr, "ctok: train: %zu merges (vocabulary %zu + %zu special) from %llu "
                    "bytes in %.2fs -> %s.model\n", ctok_model_n_merges(model),
                    256 + ctok_model_n_merges(model), ctok_model_n_special(model),
                    (unsigned long long)total, secs, output);
        if (opt.type != CTOK_TRAIN_CHAR && ctok_model_n_merges(model) < vocab - 256)
            fprintf(stderr, "ctok: train: stopped early: no pair %s\n",
                    minfreq > 1 ? "occurs often enough" : "is left to merge");
    }
    ctok_model_free(model);
done:
    free(specials);
    free(special_ids);
    free(files);
    return rc;
}
