/*
 * cmd_train.c - `ctok train`: learn a character vocabulary or BPE merges and write
 * PREFIX.model and PREFIX.vocab.  What it reads is train_input.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "train_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char HELP[] =
    "usage: ctok train --type char|basic|regex -o PREFIX [OPTIONS] [FILE|DIR|-]...\n"
    "\n"
    "Learn a tokenizer from the text of the inputs and write PREFIX.model and PREFIX.vocab.\n"
    "The inputs are one text, concatenated in order with nothing in between (default: standard\n"
    "input, also '-'); a directory stands for the regular files under it, recursively, each\n"
    "directory's entries in byte order of their names.  The text is streamed: only the table of\n"
    "unique chunks grows with it.\n"
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
    "  --jsonl             each input line is a JSON object (or string) holding one document;\n"
    "                      documents are concatenated, but no chunk spans two of them; blank\n"
    "                      lines are skipped\n"
    "  --field NAME        with --jsonl: the member holding the text (default: text)\n"
    "  --max-bytes N       train on the first N bytes of text only (of the documents' decoded\n"
    "                      text with --jsonl; --type char stops before a character it would\n"
    "                      cut); N may end in K, M, G, T (powers of 1024) or KB, MB, GB, TB\n"
    "  -j, --threads N     threads that split and count the text (default: all cores); the\n"
    "                      model is the same for any N.  A custom --pattern splits plain text\n"
    "                      on one thread (JSONL documents still spread over all)\n"
    "  -o, --output PREFIX where to write PREFIX.model and PREFIX.vocab\n"
    "  --progress          progress on stderr even when it is not a terminal\n"
    "  -q, --quiet         no progress and no summary on stderr\n";

typedef struct progress_state {
    cli_progress line; /* enabled, when it started, when it was last drawn (progress.h) */
    double merge_start; /* when counting ended and learning the merges began; 0 before */
    double rate_start;  /* the first report of merges done, to time them from (the learner's
                           setup before the first merge would skew the rate) */
    uint64_t rate_done;
    const train_input *input;
    uint64_t input_total; /* bytes the inputs hold, 0 when unknown */
} progress_state;

/* Called by the trainer after each feed and every 64 merges: a line on stderr, redrawn a few
 * times a second.  Reading: bytes read (of how many), rate, ETA, unique chunks so far.  Merging:
 * merges done of the total, rate, ETA. */
static void on_progress(void *user, const ctok_train_progress *p)
{
    progress_state *s = user;
    double t = cli_now();
    if (p->merges_total && s->merge_start == 0)
        s->merge_start = t;
    bool final = p->merges_total && p->merges_done == p->merges_total;
    if (!s->line.enabled || (t - s->line.last < 0.25 && !final))
        return;
    s->line.last = t;
    if (p->merges_total && p->merges_done && s->rate_start == 0) {
        s->rate_start = t;
        s->rate_done = p->merges_done;
    }
    char text[256];
    size_t n;
    if (p->merges_total) {
        double elapsed = t - s->rate_start;
        double rate = s->rate_start && elapsed > 0 ? (p->merges_done - s->rate_done) / elapsed
                                                   : 0;
        n = (size_t)snprintf(text, sizeof text,
                             "ctok: train: %llu MB, %llu unique chunks; merges %llu/%llu (%.0f/s, ",
                             (unsigned long long)(p->bytes_read >> 20),
                             (unsigned long long)p->unique_chunks,
                             (unsigned long long)p->merges_done,
                             (unsigned long long)p->merges_total, rate);
        if (rate > 0)
            n += (size_t)cli_format_eta(text + n, sizeof text - n,
                                        (p->merges_total - p->merges_done) / rate);
        else
            n += (size_t)snprintf(text + n, sizeof text - n, "ETA ?");
        snprintf(text + n, sizeof text - n, ")");
    } else {
        uint64_t done = s->input->input_bytes, total = s->input_total;
        double elapsed = t - s->line.start;
        double rate = elapsed > 0 ? done / elapsed : 0;
        n = (size_t)snprintf(text, sizeof text, "ctok: train: %llu",
                             (unsigned long long)(done >> 20));
        if (total)
            n += (size_t)snprintf(text + n, sizeof text - n, "/%llu",
                                  (unsigned long long)(total >> 20));
        n += (size_t)snprintf(text + n, sizeof text - n, " MB read (%.1f MB/s", rate / (1 << 20));
        if (total && rate > 0 && done <= total) {
            n += (size_t)snprintf(text + n, sizeof text - n, ", %.0f%%, ",
                                  100.0 * done / total);
            n += (size_t)cli_format_eta(text + n, sizeof text - n, (total - done) / rate);
        }
        snprintf(text + n, sizeof text - n, "), %llu unique chunks",
                 (unsigned long long)p->unique_chunks);
    }
    cli_progress_draw(&s->line, text);
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

int cmd_train(int argc, char **argv)
{
    const char *type = NULL, *pattern = NULL, *output = NULL, *ties = NULL;
    const char *vocab_arg = NULL, *minfreq_arg = NULL, *field = NULL, *max_arg = NULL;
    const char *threads_arg = NULL;
    bool quiet = false, bad = false, jsonl = false, progress = false;
    progress_state prog;
    memset(&prog, 0, sizeof prog);
    prog.line.start = cli_now(); /* last stays 0: the first report is drawn at once */
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
                   cli_opt_value(argc, argv, &i, "--min-frequency", &minfreq_arg, &bad, "train") ||
                   cli_opt_value(argc, argv, &i, "--field", &field, &bad, "train") ||
                   cli_opt_value(argc, argv, &i, "--max-bytes", &max_arg, &bad, "train") ||
                   cli_opt_value(argc, argv, &i, "--threads", &threads_arg, &bad, "train") ||
                   cli_opt_value(argc, argv, &i, "-j", &threads_arg, &bad, "train")) {
            continue;
        } else if (!strcmp(a, "--jsonl")) {
            jsonl = true;
        } else if (cli_opt_value(argc, argv, &i, "--special", &v, &bad, "train")) {
            if (!bad) {
                parse_special(v, &specials[n_special], &special_ids[n_special]);
                n_special++;
            }
        } else if (!strcmp(a, "--progress")) {
            progress = true;
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
    uint64_t threads = cli_cpu_count(), max_bytes = UINT64_MAX;
    if (threads_arg && (!cli_parse_size(threads_arg, &threads) || threads < 1 || threads > 64)) {
        rc = cli_usage_error("train", "-j takes a number of threads from 1 to 64, not '%s'",
                             threads_arg);
        goto done;
    }
    if (max_arg && !train_parse_bytes(max_arg, &max_bytes)) {
        rc = cli_usage_error("train", "--max-bytes takes a number of bytes (such as 500000, "
                                      "100M or 2G), not '%s'", max_arg);
        goto done;
    }
    if (field && !jsonl) {
        rc = cli_usage_error("train", "--field goes with --jsonl");
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
    opt.n_threads = (size_t)threads;

    ctok_diag diag;
    ctok_trainer *trainer = NULL;
    if (ctok_trainer_new(&opt, &trainer, &diag) != CTOK_OK) {
        rc = diag.status == CTOK_EPATTERN ? cli_usage_error("train", "--pattern: %s", diag.message)
                                          : cli_usage_error("train", "%s", diag.message);
        goto done;
    }
    if (n_files == 0)
        files[n_files++] = "-";
    char **inputs = NULL;
    size_t n_inputs = 0;
    train_input in;
    memset(&in, 0, sizeof in);
    in.trainer = trainer;
    in.jsonl = jsonl;
    in.field = field ? field : "text";
    in.max_bytes = max_bytes;
    in.whole_chars = opt.type == CTOK_TRAIN_CHAR;
    prog.input = &in;
    prog.line.enabled = !quiet && (progress || isatty(2));
    rc = train_input_list(files, n_files, &inputs, &n_inputs, &prog.input_total);
    if (rc == EXIT_OK && max_bytes < prog.input_total && !jsonl)
        prog.input_total = max_bytes;
    if (rc == EXIT_OK)
        rc = train_input_feed(&in, inputs, n_inputs);
    train_input_list_free(inputs, n_inputs);
    uint64_t total = in.text_bytes;
    ctok_model *model = NULL;
    if (rc == EXIT_OK && ctok_trainer_finish(trainer, &model, &diag) != CTOK_OK) {
        cli_error("train: %s", diag.message);
        rc = EXIT_INPUT;
    }
    ctok_trainer_free(trainer);
    double end = cli_now();
    if (prog.merge_start == 0)
        prog.merge_start = end;
    cli_progress_break(); /* end the progress line, if one was drawn */
    if (rc == EXIT_OK && ctok_model_save(model, output, &diag) != CTOK_OK) {
        cli_error("%s", diag.message);
        rc = EXIT_INPUT;
    }
    if (rc == EXIT_OK && !quiet) {
        double secs = end - prog.line.start;
        char how[32] = "";
        if (opt.type == CTOK_TRAIN_REGEX)
            snprintf(how, sizeof how, "%llu thread%s", (unsigned long long)threads,
                     threads == 1 ? "" : "s");
        if (opt.type == CTOK_TRAIN_CHAR)
            fprintf(stderr, "ctok: train: %zu characters from %llu bytes in %.2fs -> %s.model\n",
                    ctok_model_n_vocab(model), (unsigned long long)total, secs, output);
        else
            fprintf(stderr, "ctok: train: %zu merges (vocabulary %zu + %zu special) from %llu "
                    "bytes in %.2fs (reading%s%s %.2fs, merges %.2fs) -> %s.model\n",
                    ctok_model_n_merges(model), 256 + ctok_model_n_merges(model),
                    ctok_model_n_special(model), (unsigned long long)total, secs,
                    opt.type == CTOK_TRAIN_REGEX ? " and counting on " : "", how,
                    prog.merge_start - prog.line.start,
                    end - prog.merge_start, output);
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
