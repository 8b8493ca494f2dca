/*
 * train_input.c - what `ctok train` reads: files, directories (recursively, in a fixed order so
 * that a run is repeatable), standard input and JSONL, streamed into the trainer in blocks of
 * 4 MiB, so the corpus is never held whole.
 *
 * Plain files are one text, concatenated in order with nothing in between (training on a
 * directory is training on `cat` of its files in the listed order).  A JSONL record is one
 * document (ctok_trainer_feed_document): nothing is inserted between documents either, but no
 * chunk spans two of them.  --max-bytes counts training text: the bytes of plain files, the
 * decoded text of JSONL records.
 */
#define _POSIX_C_SOURCE 200809L
#include "train_input.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { BLOCK = 1 << 22 };

/* ---- listing ---- */

typedef struct file_list {
    char **v;
    size_t n, cap;
    uint64_t total;
    bool unknown_size;
} file_list;

static bool list_push(file_list *l, const char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return false;
        l->v = v;
        l->cap = cap;
    }
    return (l->v[l->n++] = strdup(path)) != NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b); /* strcmp orders by unsigned bytes */
}

static int list_dir(file_list *l, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        cli_error("%s: cannot open directory: %s", dir, strerror(errno));
        return EXIT_INPUT;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = EXIT_OK, read_error = 0;
    while (rc == EXIT_OK) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            read_error = errno;
            break;
        }
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **bigger = realloc(names, cap * sizeof *names);
            if (!bigger) {
                rc = EXIT_INPUT;
                break;
            }
            names = bigger;
        }
        if ((names[n] = strdup(e->d_name)) == NULL)
            rc = EXIT_INPUT;
        else
            n++;
    }
    if (rc != EXIT_OK) {
        cli_error("out of memory");
    } else if (read_error) {
        cli_error("%s: cannot read directory: %s", dir, strerror(read_error));
        rc = EXIT_INPUT;
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, by_name);
    size_t dir_len = strlen(dir);
    bool slash = dir_len && dir[dir_len - 1] == '/';
    for (size_t i = 0; i < n && rc == EXIT_OK; i++) {
        size_t len = dir_len + 1 + strlen(names[i]) + 1;
        char *path = malloc(len);
        if (!path) {
            cli_error("out of memory");
            rc = EXIT_INPUT;
            break;
        }
        snprintf(path, len, "%s%s%s", dir, slash ? "" : "/", names[i]);
        struct stat st;
        if (lstat(path, &st) != 0) {
            cli_error("%s: %s", path, strerror(errno));
            rc = EXIT_INPUT;
        } else if (S_ISDIR(st.st_mode)) {
            rc = list_dir(l, path);
        } else if (S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) && stat(path, &st) == 0 &&
                                            S_ISREG(st.st_mode))) {
            if (!list_push(l, path)) {
                cli_error("out of memory");
                rc = EXIT_INPUT;
            }
            l->total += (uint64_t)st.st_size;
        }
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int train_input_list(const char *const *paths, size_t n_paths, char ***files, size_t *n_files,
                     uint64_t *total_size)
{
    file_list l = {NULL, 0, 0, 0, false};
    int rc = EXIT_OK;
    for (size_t i = 0; i < n_paths && rc == EXIT_OK; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") == 0) {
            l.unknown_size = true;
        } else if (stat(paths[i], &st) != 0) {
            cli_error("%s: cannot open: %s", paths[i], strerror(errno));
            rc = EXIT_INPUT;
            break;
        } else if (S_ISDIR(st.st_mode)) {
            rc = list_dir(&l, paths[i]);
            continue;
        } else if (S_ISREG(st.st_mode)) {
            l.total += (uint64_t)st.st_size;
        } else {
            l.unknown_size = true; /* a pipe or a device */
        }
        if (!list_push(&l, paths[i])) {
            cli_error("out of memory");
            rc = EXIT_INPUT;
        }
    }
    if (rc != EXIT_OK) {
        train_input_list_free(l.v, l.n);
        return rc;
    }
    *files = l.v;
    *n_files = l.n;
    *total_size = l.unknown_size ? 0 : l.total;
    return EXIT_OK;
}

void train_input_list_free(char **files, size_t n_files)
{
    for (size_t i = 0; i < n_files; i++)
        free(files[i]);
    free(files);
}

/* ---- plain text ---- */

static uint64_t count_lines(const uint8_t *p, size_t n)
{
    uint64_t lines = 0;
    for (const uint8_t *end = p + n; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        lines++;
    return lines;
}

/* The length of an incomplete UTF-8 sequence at the end of p[0..n) (0 to 3 bytes). */
static size_t incomplete_tail(const uint8_t *p, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        uint8_t b = p[n - k];
        if ((b & 0xC0) == 0x80)
            continue;
        size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return need > k ? k : 0;
    }
    return 0;
}

/* How much of n more bytes of text fit under --max-bytes; for characters, not cutting one
 * (p[0..n) then ends before a character's first byte or at the end of the data). */
static size_t under_limit(const train_input *in, const uint8_t *p, size_t n, bool *stop)
{
    uint64_t room = in->max_bytes - in->text_bytes;
    *stop = n >= room;
    if (!*stop)
        return n;
    size_t take = (size_t)room;
    while (in->whole_chars && take > 0 && take < n && (p[take] & 0xC0) == 0x80)
        take--;
    return take;
}

static int feed_plain(train_input *in, FILE *f, const char *name, uint8_t *buf)
{
    uint64_t lines = 0, file_start = in->text_bytes;
    size_t carry = 0;
    for (;;) {
        size_t r = fread(buf + carry, 1, BLOCK - carry, f);
        bool eof = r < BLOCK - carry;
        in->input_bytes += r;
        size_t n = carry + r;
        /* characters: hold back a sequence the block cuts, so --max-bytes can stop before it */
        size_t hold = in->whole_chars && !eof ? incomplete_tail(buf, n) : 0;
        bool stop;
        size_t take = under_limit(in, buf, n - hold, &stop);
        ctok_diag diag;
        if (ctok_trainer_feed(in->trainer, buf, take, &diag) != CTOK_OK) {
            uint64_t block_start = in->text_bytes;
            if (diag.offset >= block_start && diag.offset < block_start + take) {
                uint64_t at = diag.offset - block_start;
                cli_error("%s:%llu: byte offset %llu: %s", name,
                          (unsigned long long)(lines + count_lines(buf, (size_t)at) + 1),
                          (unsigned long long)(diag.offset - file_start), diag.message);
            } else {
                cli_error("%s: %s", name, diag.message);
            }
            return EXIT_INPUT;
        }
        in->text_bytes += take;
        lines += count_lines(buf, take);
        if (stop || eof)
            break;
        memmove(buf, buf + take, hold);
        carry = hold;
    }
    if (ferror(f)) {
        cli_error("%s: read error: %s", name, strerror(errno));
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

/* ---- JSONL ---- */

typedef struct jsonl_state {
    uint8_t *text; /* a record's decoded text */
    size_t text_cap;
    uint64_t line;
} jsonl_state;

static bool blank(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    return true;
}

/* One line: a document, or nothing if it is blank.  *stop once --max-bytes is reached. */
static int jsonl_record(train_input *in, jsonl_state *js, const char *name, const uint8_t *p,
                        size_t n, bool *stop)
{
    js->line++;
    if (blank(p, n))
        return EXIT_OK;
    if (n > js->text_cap) {
        free(js->text);
        js->text_cap = n;
        js->text = malloc(n);
        if (!js->text) {
            js->text_cap = 0;
            cli_error("%s:%llu: out of memory for a line of %zu bytes", name,
                      (unsigned long long)js->line, n);
            return EXIT_INPUT;
        }
    }
    ctok_diag diag;
    size_t len;
    if (ctok_json_text(p, n, in->field, js->text, js->text_cap, &len, &diag) != CTOK_OK) {
        cli_error("%s:%llu: column %llu: %s", name, (unsigned long long)js->line,
                  (unsigned long long)diag.offset + 1, diag.message);
        return EXIT_INPUT;
    }
    len = under_limit(in, js->text, len, stop);
    if (ctok_trainer_feed_document(in->trainer, js->text, len, &diag) != CTOK_OK) {
        cli_error("%s:%llu: %s", name, (unsigned long long)js->line, diag.message);
        return EXIT_INPUT;
    }
    in->text_bytes += len;
    in->documents++;
    return EXIT_OK;
}

static int feed_jsonl(train_input *in, FILE *f, const char *name, uint8_t **bufp, size_t *capp)
{
    jsonl_state js = {NULL, 0, 0};
    size_t len = 0; /* buf[0..len): the start of a line not yet complete */
    int rc = EXIT_OK;
    bool stop = false, eof = false;
    while (rc == EXIT_OK && !stop && !eof) {
        if (len == *capp) { /* a line longer than the buffer */
            uint8_t *bigger = realloc(*bufp, 2 * *capp);
            if (!bigger) {
                cli_error("%s:%llu: out of memory for a line of over %zu bytes", name,
                          (unsigned long long)js.line + 1, len);
                rc = EXIT_INPUT;
                break;
            }
            *bufp = bigger;
            *capp *= 2;
        }
        uint8_t *buf = *bufp;
        size_t r = fread(buf + len, 1, *capp - len, f);
        eof = r < *capp - len;
        in->input_bytes += r;
        size_t scanned = len, start = 0;
        len += r;
        const uint8_t *nl;
        while (rc == EXIT_OK && !stop && (nl = memchr(buf + scanned, '\n', len - scanned))) {
            size_t end = (size_t)(nl - buf);
            rc = jsonl_record(in, &js, name, buf + start, end - start, &stop);
            start = scanned = end + 1;
        }
        if (rc == EXIT_OK && !stop && eof && start < len) /* a last line without a newline */
            rc = jsonl_record(in, &js, name, buf + start, len - start, &stop);
        memmove(buf, buf + start, len - start);
        len -= start;
    }
    if (rc == EXIT_OK && ferror(f)) {
        cli_error("%s: read error: %s", name, strerror(errno));
        rc = EXIT_INPUT;
    }
    free(js.text);
    return rc;
}

/* ---- all inputs ---- */

int train_input_feed(train_input *in, char *const *files, size_t n_files)
{
    size_t cap = BLOCK;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        cli_error("out of memory");
        return EXIT_INPUT;
    }
    int rc = EXIT_OK;
    for (size_t i = 0; i < n_files && rc == EXIT_OK && in->text_bytes < in->max_bytes; i++) {
        bool is_stdin = strcmp(files[i], "-") == 0;
        const char *name = cli_display_name(files[i]);
        FILE *f = is_stdin ? stdin : fopen(files[i], "rb");
        if (!f) {
            cli_error("%s: cannot open: %s", files[i], strerror(errno));
            rc = EXIT_INPUT;
            break;
        }
        rc = in->jsonl ? feed_jsonl(in, f, name, &buf, &cap) : feed_plain(in, f, name, buf);
        if (!is_stdin)
            fclose(f);
    }
    free(buf);
    return rc;
}

bool train_parse_bytes(const char *s, uint64_t *out)
{
    static const char units[] = "KMGT";
    size_t n = s ? strlen(s) : 0;
    uint64_t scale = 1;
    if (n >= 2 && s[n - 1] == 'B' && strchr(units, s[n - 2])) {
        for (const char *u = units; u <= strchr(units, s[n - 2]); u++)
            scale *= 1000;
        n -= 2;
    } else if (n >= 1 && strchr(units, s[n - 1])) {
        for (const char *u = units; u <= strchr(units, s[n - 1]); u++)
            scale *= 1024;
        n -= 1;
    }
    char digits[32];
    if (n == 0 || n >= sizeof digits)
        return false;
    memcpy(digits, s, n);
    digits[n] = 0;
    uint64_t v;
    if (!cli_parse_size(digits, &v) || v > UINT64_MAX / scale)
        return false;
    *out = v * scale;
    return true;
}
