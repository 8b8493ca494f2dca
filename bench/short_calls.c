/*
 * short_calls.c - short texts, as a service sees them: the time of one call on a text of 30, 300
 * or 3000 bytes, through the one-call function (ctok_count, which makes and frees an encoder
 * each time) and through one encoder kept for all calls (ctok_encoder_count), as tiktoken's
 * Encoding object is kept.
 *
 *   build/bench/short_calls [-e ENC,ENC,...] NAME=FILE...
 *
 * Each round counts the tokens of ROUND_BYTES of text in slices of the length at spread-out
 * places of FILE (moved forward to a character's start); the best of ROUNDS rounds is printed,
 * in microseconds a call and MB/s.  The kept encoder starts fresh for each length and input, so
 * its first round pays for its caches.
 */
#include "bench_util.h"
#include "ctok.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROUNDS = 5, ROUND_BYTES = 3000000, MAX_INPUTS = 8 };
static const size_t LENGTHS[] = {30, 300, 3000};

/* The start of the i-th slice of n bytes of text[0 .. len) (len > n + 4). */
static size_t slice_at(const uint8_t *text, size_t len, size_t n, size_t i)
{
    size_t at = (size_t)((i * 0x9E3779B97F4A7C15ull) >> 20) % (len - n - 4);
    while (at < len - n - 1 && (text[at] & 0xC0) == 0x80)
        at++;
    return at;
}

/* Seconds a call, the best of ROUNDS rounds; enc NULL: ctok_count. */
static double time_calls(const ctok_model *m, ctok_encoder *enc, const uint8_t *text, size_t len,
                         size_t n, size_t *total)
{
    size_t calls = ROUND_BYTES / n;
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now();
        for (size_t i = 0; i < calls; i++) {
            size_t at = slice_at(text, len, n, i), k = 0;
            int rc = enc ? ctok_encoder_count(enc, text + at, n, NULL, &k, NULL)
                         : ctok_count(m, text + at, n, NULL, &k, NULL);
            if (rc) {
                fprintf(stderr, "short_calls: %s\n", ctok_strerror(rc));
                exit(1);
            }
            *total += k;
        }
        double t = (now() - t0) / (double)calls;
        best = t < best ? t : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    const char *encodings = "o200k_base";
    const char *names[MAX_INPUTS], *paths[MAX_INPUTS];
    int n_inputs = 0;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-e") && a + 1 < argc)
            encodings = argv[++a];
        else if (strchr(argv[a], '=') && n_inputs < MAX_INPUTS) {
            names[n_inputs] = argv[a];
            paths[n_inputs++] = strchr(argv[a], '=') + 1;
        } else {
            fprintf(stderr, "usage: short_calls [-e ENC,ENC,...] NAME=FILE...\n");
            return 2;
        }
    }
    printf("%-12s %-16s %6s %14s %14s %14s\n", "encoding", "input", "bytes", "one call us",
           "kept enc. us", "kept MB/s");
    size_t total = 0;
    char list[256];
    snprintf(list, sizeof list, "%s", encodings);
    for (char *enc_name = strtok(list, ","); enc_name; enc_name = strtok(NULL, ",")) {
        ctok_model *m;
        ctok_diag d;
        if (ctok_encoding_load(enc_name, NULL, &m, &d)) {
            fprintf(stderr, "short_calls: %s\n", d.message);
            return 1;
        }
        for (int i = 0; i < n_inputs; i++) {
            size_t len;
            uint8_t *text = read_all(paths[i], &len);
            if (!text || len < 2 * LENGTHS[2]) {
                fprintf(stderr, "short_calls: cannot read enough of %s\n", paths[i]);
                return 1;
            }
            for (size_t l = 0; l < sizeof LENGTHS / sizeof LENGTHS[0]; l++) {
                size_t n = LENGTHS[l];
                ctok_encoder *enc;
                if (ctok_encoder_new(m, &enc))
                    return 1;
                double one = time_calls(m, NULL, text, len, n, &total);
                double kept = time_calls(m, enc, text, len, n, &total);
                ctok_encoder_free(enc);
                printf("%-12s %-16.*s %6zu %14.2f %14.2f %14.1f\n", enc_name,
                       (int)(strchr(names[i], '=') - names[i]), names[i], n, one * 1e6,
                       kept * 1e6, (double)n / kept / 1e6);
            }
            free(text);
        }
        ctok_model_free(m);
    }
    return total == 0;
}
