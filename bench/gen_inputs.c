/*
 * gen_inputs.c - the generated inputs of the encoding benchmark (bench/inputs.sh runs it).
 *
 * The pathological inputs of STYLE.md, deterministic so that every run and every machine
 * measures the same bytes:
 *   gen_inputs letter SIZE OUT        SIZE copies of "a" (one pre-tokenizer piece of SIZE bytes:
 *                                     a quadratic merge loop shows here)
 *   gen_inputs base64 SIZE SEED OUT   SIZE characters of standard base64 of pseudo-random bytes
 *                                     (splitmix64 seeded with SEED), no newlines: short,
 *                                     unpredictable pieces that defeat a piece cache
 *   gen_inputs lower SIZE SEED OUT    SIZE pseudo-random lowercase letters: one piece of SIZE
 *                                     bytes under every built-in pattern, with nothing for a
 *                                     cache to reuse (the long-piece merger's worst case)
 *   gen_inputs bytes SIZE SEED OUT    SIZE pseudo-random bytes: invalid UTF-8 every few bytes,
 *                                     each run of it a piece of its own, between short runs of
 *                                     valid text (the slowest input found, doc/design.md)
 * and a sample of a big text, for measurements that take too long on all of it (doc/design.md's
 * cachegrind figures use `sample CORPUS 16 250000`):
 *   gen_inputs sample IN K SIZE OUT   K slices of IN, slice i from the line start at or after
 *                                     i/K of the way in, SIZE bytes each, cut back to the
 *                                     slice's last newline; concatenated
 * and JSONL made of a text, for `ctok encode --jsonl` (bench/threads.sh):
 *   gen_inputs jsonl IN K OUT         every K lines of IN as one JSON string, a line each
 * OUT is written to OUT.tmp and renamed when complete.  Exit status 0, or 1 with a message.
 */
#include "bench_util.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Standard base64 of a pseudo-random byte stream: every 3 bytes give 4 characters. */
static void fill_base64(char *out, size_t size, uint64_t seed)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint64_t state = seed;
    size_t i = 0;
    while (i < size) {
        uint64_t r = splitmix64(&state);
        for (int group = 0; group < 2 && i < size; group++, r >>= 24) {
            uint32_t triple = (uint32_t)(r & 0xFFFFFF);
            for (int k = 3; k >= 0 && i < size; k--)
                out[i++] = alphabet[(triple >> (6 * k)) & 63];
        }
    }
}

/* Pseudo-random lowercase letters. */
static void fill_lower(char *out, size_t size, uint64_t seed)
{
    uint64_t state = seed;
    for (size_t i = 0; i < size; i++)
        out[i] = (char)('a' + splitmix64(&state) % 26);
}

/* Pseudo-random bytes. */
static void fill_bytes(char *out, size_t size, uint64_t seed)
{
    uint64_t state = seed;
    for (size_t i = 0; i < size; i++)
        out[i] = (char)(uint8_t)splitmix64(&state);
}

static int write_file(const char *path, const char *data, size_t size)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 5);
    if (!tmp)
        return -1;
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp", 5);
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(data, 1, size, f) == size;
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "gen_inputs: cannot write %s\n", path);
        remove(tmp);
    }
    free(tmp);
    return ok ? 0 : -1;
}

/* The `sample` input (see the head of the file). */
static int sample(const char *in, size_t k, size_t slice, const char *out)
{
    FILE *f = fopen(in, "rb");
    char *text = NULL, *data = NULL;
    long len = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (text = malloc((size_t)len + 1)) && fread(text, 1, (size_t)len, f) == (size_t)len)
        data = malloc(k * slice + 1);
    if (f)
        fclose(f);
    if (!data) {
        fprintf(stderr, "gen_inputs: cannot read %s\n", in);
        free(text);
        return -1;
    }
    size_t n = 0, size = (size_t)len;
    for (size_t i = 0; i < k; i++) {
        size_t start = (size_t)((unsigned long long)i * size / k);
        const char *nl = memchr(text + start, '\n', size - start);
        start = nl ? (size_t)(nl - text) + 1 : 0;
        size_t end = start + slice < size ? start + slice : size;
        while (end > start && text[end - 1] != '\n')
            end--;
        memcpy(data + n, text + start, end - start);
        n += end - start;
    }
    int rc = write_file(out, data, n);
    free(text);
    free(data);
    return rc;
}

/* The `jsonl` input (see the head of the file). */
static int jsonl(const char *in, size_t k, const char *out)
{
    size_t len;
    uint8_t *text = read_all(in, &len);
    /* at most 6 bytes a byte (\u00XX), and 3 more a line */
    char *data = text && len < SIZE_MAX / 8 ? malloc(6 * len + 3 * (len / k + 2)) : NULL;
    if (!data) {
        fprintf(stderr, "gen_inputs: cannot read %s\n", in);
        free(text);
        return -1;
    }
    size_t n = 0, lines = 0;
    for (size_t i = 0; i < len; i++) {
        if (lines == 0 && (i == 0 || text[i - 1] == '\n'))
            data[n++] = '"';
        uint8_t c = text[i];
        if (c == '"' || c == '\\') {
            data[n++] = '\\';
            data[n++] = (char)c;
        } else if (c == '\n') {
            data[n++] = '\\';
            data[n++] = 'n';
        } else if (c < 0x20) {
            n += (size_t)sprintf(data + n, "\\u%04x", c);
        } else {
            data[n++] = (char)c;
        }
        if ((c == '\n' && ++lines == k) || i + 1 == len) {
            data[n++] = '"';
            data[n++] = '\n';
            lines = 0;
        }
    }
    int rc = write_file(out, data, n);
    free(text);
    free(data);
    return rc;
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v == 0 || v > (1ull << 32))
        return -1;
    *out = (size_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    size_t size;
    if (argc == 4 && strcmp(argv[1], "letter") == 0 && parse_size(argv[2], &size) == 0) {
        char *data = malloc(size);
        if (!data)
            return 1;
        memset(data, 'a', size);
        int rc = write_file(argv[3], data, size);
        free(data);
        return rc ? 1 : 0;
    }
    bool base64 = argc == 5 && strcmp(argv[1], "base64") == 0;
    bool lower = argc == 5 && strcmp(argv[1], "lower") == 0;
    bool bytes = argc == 5 && strcmp(argv[1], "bytes") == 0;
    if ((base64 || lower || bytes) && parse_size(argv[2], &size) == 0) {
        char *end;
        uint64_t seed = strtoull(argv[3], &end, 10);
        if (*end != '\0') {
            fprintf(stderr, "gen_inputs: bad seed '%s'\n", argv[3]);
            return 2;
        }
        char *data = malloc(size);
        if (!data)
            return 1;
        (base64 ? fill_base64 : lower ? fill_lower : fill_bytes)(data, size, seed);
        int rc = write_file(argv[4], data, size);
        free(data);
        return rc ? 1 : 0;
    }
    if (argc == 6 && strcmp(argv[1], "sample") == 0) {
        size_t k, slice;
        if (parse_size(argv[3], &k) || parse_size(argv[4], &slice)) {
            fprintf(stderr, "gen_inputs: bad slice count or size\n");
            return 2;
        }
        return sample(argv[2], k, slice, argv[5]) ? 1 : 0;
    }
    if (argc == 5 && strcmp(argv[1], "jsonl") == 0) {
        size_t k;
        if (parse_size(argv[3], &k)) {
            fprintf(stderr, "gen_inputs: bad line count\n");
            return 2;
        }
        return jsonl(argv[2], k, argv[4]) ? 1 : 0;
    }
    fprintf(stderr, "usage: gen_inputs letter SIZE OUT\n"
                    "       gen_inputs base64 SIZE SEED OUT\n"
                    "       gen_inputs lower SIZE SEED OUT\n"
                    "       gen_inputs bytes SIZE SEED OUT\n"
                    "       gen_inputs sample IN K SIZE OUT\n"
                    "       gen_inputs jsonl IN K OUT\n");
    return 2;
}
