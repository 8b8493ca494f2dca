/*
 * text_stream.c - the files of `ctok encode` as one stream of text (see text_stream.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "text_stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

bool text_stream_init(text_stream *s, const char **files, size_t n_files)
{
    memset(s, 0, sizeof *s);
    s->files = files;
    s->n_files = n_files;
    s->file_start = calloc(n_files ? n_files : 1, sizeof *s->file_start);
    s->lines_consumed = calloc(n_files ? n_files : 1, sizeof *s->lines_consumed);
    return s->file_start && s->lines_consumed;
}

void text_stream_free(text_stream *s)
{
    if (s->f && s->f != stdin)
        fclose(s->f);
    free(s->buf);
    free(s->spare);
    free(s->file_start);
    free(s->lines_consumed);
    memset(s, 0, sizeof *s);
}

static bool open_next(text_stream *s)
{
    while (s->current < s->n_files) {
        const char *path = s->files[s->current];
        s->file_start[s->current] = s->buf_start + s->len;
        s->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
        if (s->f)
            return true;
        cli_error("%s: cannot open: %s", path, strerror(errno));
        s->failed = true;
        return false;
    }
    s->eof = true;
    return false;
}

void text_stream_fill(text_stream *s, size_t want)
{
    if (want > s->cap) {
        uint8_t *bigger = realloc(s->buf, want);
        if (!bigger) {
            cli_error("out of memory for a %zu-byte block", want);
            s->failed = true;
            return;
        }
        s->buf = bigger;
        s->cap = want;
    }
    while (!s->eof && !s->failed && s->len < want) {
        if (!s->f && !open_next(s))
            return;
        size_t k = fread(s->buf + s->len, 1, want - s->len, s->f);
        s->len += k;
        if (k == 0) {
            if (ferror(s->f)) {
                cli_error("%s: read error: %s", cli_display_name(s->files[s->current]),
                          strerror(errno));
                s->failed = true;
            }
            if (s->f != stdin)
                fclose(s->f);
            s->f = NULL;
            s->current++;
        }
    }
}

bool text_stream_hand_over(text_stream *s, size_t n, text_block *block)
{
    size_t rest = s->len - n;
    if (rest > s->spare_cap) {
        free(s->spare);
        s->spare = malloc(rest);
        s->spare_cap = s->spare ? rest : 0;
        if (!s->spare) {
            cli_error("out of memory for a %zu-byte block", rest);
            return false;
        }
    }
    if (rest)
        memcpy(s->spare, s->buf + n, rest);
    block->text = s->buf;
    block->len = n;
    block->start = s->buf_start;
    block->cap = s->cap;
    s->buf = s->spare;
    s->cap = s->spare_cap;
    s->spare = NULL;
    s->spare_cap = 0;
    s->len = rest;
    s->buf_start += n;
    return true;
}

/* The newlines in p[0 .. n): every byte of the input goes through here (for the line numbers of
 * messages), on the main thread while no other thread works (after a round), so 16 bytes a step
 * where SSE2 is there.  Each byte lane counts its own newlines (a compare gives -1 where it
 * matches), summed every 255 steps, before a lane could wrap: x86-64's baseline has no popcount
 * instruction, and __builtin_popcount of each step's mask was a call into libgcc. */
static size_t count_newlines(const uint8_t *p, size_t n)
{
    size_t k = 0, i = 0;
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (i + 16 <= n) {
        __m128i lanes = zero;
        for (int step = 0; step < 255 && i + 16 <= n; step++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
            lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, nl));
        }
        __m128i sums = _mm_sad_epu8(lanes, zero); /* two 16-bit sums, in the 64-bit halves */
        k += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
    }
#endif
    for (; i < n; i++)
        k += p[i] == '\n';
    return k;
}

/* A file that has ended (f < current) ends where the next one starts; the open one runs to the
 * end of what was read; later ones have not started. */
static uint64_t file_end(const text_stream *s, size_t f)
{
    return f < s->current && f + 1 < s->n_files ? s->file_start[f + 1] : UINT64_MAX;
}

void text_stream_release(text_stream *s, text_block *block)
{
    uint64_t end = block->start + block->len;
    for (size_t f = 0; f < s->n_files && f <= s->current; f++) {
        uint64_t a = s->file_start[f] > block->start ? s->file_start[f] : block->start;
        uint64_t b = file_end(s, f) < end ? file_end(s, f) : end;
        if (a < b)
            s->lines_consumed[f] +=
                count_newlines(block->text + (a - block->start), (size_t)(b - a));
    }
    free(s->spare); /* (NULL: the hand-over took it) */
    s->spare = block->text;
    s->spare_cap = block->cap;
    block->text = NULL;
}

void text_stream_report(const text_stream *s, const text_block *block, const ctok_diag *diag,
                        uint64_t global)
{
    size_t f = 0;
    while (f + 1 < s->n_files && f + 1 <= s->current && s->file_start[f + 1] <= global)
        f++;
    uint64_t from = s->file_start[f] > block->start ? s->file_start[f] : block->start;
    uint64_t line = 1 + s->lines_consumed[f] +
                    count_newlines(block->text + (from - block->start), (size_t)(global - from));
    cli_report_encode_error(cli_display_name(s->files[f]), line, global - s->file_start[f],
                            diag);
}
