/*
 * piece_stats.c - how many of a text's pieces a piece cache can answer, and how many no cache can.
 *
 *   build/bench/piece_stats [-e ENCODING] FILE
 *
 * Splits FILE with the encoding's pattern (default o200k_base), as encoding does, and counts:
 * the pieces by length (one byte: answered by a table; 2 to 24 bytes: what the piece cache
 * takes; longer: merged in windows), the distinct pieces of 2 to 24 bytes (each must be merged
 * or looked up at least once, whatever the cache: the floor) and how many of those are whole
 * tokens, and the misses of caches of the same pieces: the encoder's own (piece_cache.h: its
 * key, its index and its two kinds of entries, the short ones two-way; the rest gate that stops
 * caching random text is left out), then direct-mapped caches of 2^16, 2^18 and 2^20 entries of
 * any length.
 * The text is read whole; any bytes will do (invalid UTF-8 is cut as encoding cuts it).
 */
#include "bench_util.h"
#include "ctok.h"
#include "model.h"
#include "piece_cache.h"
#include "split.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N_BIG = 3 };
static const unsigned BIG_BITS[N_BIG] = {16, 18, 20};

/* The distinct pieces: a set of (offset, length) in the text, compared by their bytes. */
typedef struct piece_set {
    uint64_t *slots; /* offset << 8 | length, 0 = empty (a piece has length >= 2) */
    size_t mask, count;
} piece_set;

/* Add text[off .. off + n); true if it was not there yet. */
static bool set_add(piece_set *s, const uint8_t *text, size_t off, size_t n, uint64_t hash)
{
    for (size_t i = hash & s->mask;; i = (i + 1) & s->mask) {
        uint64_t v = s->slots[i];
        if (!v) {
            s->slots[i] = (uint64_t)off << 8 | n;
            s->count++;
            return true;
        }
        if ((v & 0xFF) == n && !memcmp(text + (v >> 8), text + off, n))
            return false;
    }
}

/* A direct-mapped cache of piece hashes: whether it missed (and now holds the piece). */
static bool cache_miss(uint64_t *slots, unsigned bits, uint64_t hash, uint64_t tag)
{
    uint64_t *slot = &slots[hash >> (64 - bits)];
    bool miss = *slot != tag;
    *slot = tag;
    return miss;
}

/* The same for a two-way cache of as many slots, the one used last first (the encoder's short
 * entries, piece_cache.h). */
static bool pair_miss(uint64_t *slots, unsigned bits, uint64_t hash, uint64_t tag)
{
    uint64_t *pair = &slots[(hash >> (64 - bits + 1)) << 1];
    if (pair[0] == tag)
        return false;
    bool miss = pair[1] != tag;
    pair[1] = pair[0];
    pair[0] = tag;
    return miss;
}

int main(int argc, char **argv)
{
    const char *enc = "o200k_base";
    int i = 1;
    if (i + 1 < argc && !strcmp(argv[i], "-e")) {
        enc = argv[i + 1];
        i += 2;
    }
    if (i + 1 != argc) {
        fprintf(stderr, "usage: piece_stats [-e ENCODING] FILE\n");
        return 2;
    }
    ctok_model *m;
    ctok_diag diag;
    if (ctok_encoding_load(enc, NULL, &m, &diag) != CTOK_OK) {
        fprintf(stderr, "piece_stats: %s\n", diag.message);
        return 1;
    }
    size_t len;
    uint8_t *text = read_all(argv[i], &len);
    if (!text) {
        fprintf(stderr, "piece_stats: cannot read %s\n", argv[i]);
        return 1;
    }
    ctok__split_scratch *scratch;
    size_t set_slots = 1;
    while (set_slots < len / 4 + 16)
        set_slots <<= 1;
    piece_set set = {calloc(set_slots, sizeof *set.slots), set_slots - 1, 0};
    uint64_t *shorts = calloc((size_t)1 << CTOK__SHORT_BITS, sizeof *shorts);
    uint64_t *longs = calloc((size_t)1 << CTOK__CACHE_BITS, sizeof *longs);
    uint64_t *big[N_BIG];
    bool big_ok = true;
    for (int b = 0; b < N_BIG; b++)
        big_ok &= (big[b] = calloc((size_t)1 << BIG_BITS[b], sizeof **big)) != NULL;
    if (!set.slots || !shorts || !longs || !big_ok ||
        ctok__split_scratch_new(m->splitter, &scratch) != CTOK_OK) {
        fprintf(stderr, "piece_stats: out of memory\n");
        return 1;
    }
    size_t ones = 0, cached = 0, longer = 0, whole = 0, first_misses = 0, big_misses[N_BIG] = {0};
    ctok__split_iter it;
    ctok__split_begin(&it, m->splitter, scratch, text, len, true);
    size_t ps, pe;
    while (ctok__split_next(&it, &ps, &pe) == 1) {
        size_t n = pe - ps;
        if (n == 1 || n > CTOK__CACHE_MAX_BYTES) {
            ones += n == 1;
            longer += n > 1;
            continue;
        }
        cached++;
        ctok__piece_key key;
        ctok__piece_key_make(&key, text + ps, n, len - ps);
        /* a tag that tells pieces apart (a false match would only undercount misses) */
        uint64_t tag = (key.hash ^ (key.words[0] * 0x2545f4914f6cdd1dull)) | 1;
        bool short_piece = n <= CTOK__SHORT_MAX_BYTES;
        first_misses += short_piece ? pair_miss(shorts, CTOK__SHORT_BITS, key.hash, tag)
                                    : cache_miss(longs, CTOK__CACHE_BITS, key.hash, tag);
        for (int b = 0; b < N_BIG; b++)
            big_misses[b] += cache_miss(big[b], BIG_BITS[b], key.hash, tag);
        uint32_t id;
        if (set_add(&set, text, ps, n, key.hash >> 20) &&
            ctok_model_token_id(m, text + ps, n, &id) == CTOK_OK)
            whole++;
    }
    double c = cached ? (double)cached : 1;
    printf("%s, %s (%.1f MB)\n", enc, argv[i], len / 1e6);
    printf("pieces of 1 byte         %10zu\n", ones);
    printf("pieces of 2-%d bytes     %10zu\n", CTOK__CACHE_MAX_BYTES, cached);
    printf("pieces of more bytes     %10zu\n", longer);
    printf("distinct of 2-%d bytes   %10zu (%.1f%%; %zu of them whole tokens)\n",
           CTOK__CACHE_MAX_BYTES, set.count, 100 * set.count / c, whole);
    printf("misses, the encoder's cache (2^%d two-way + 2^%d) %10zu (%.1f%%)\n",
           CTOK__SHORT_BITS, CTOK__CACHE_BITS, first_misses, 100 * first_misses / c);
    for (int b = 0; b < N_BIG; b++)
        printf("misses, a cache of 2^%d entries               %10zu (%.1f%%)\n", BIG_BITS[b],
               big_misses[b], 100 * big_misses[b] / c);
    ctok__split_scratch_free(m->splitter, scratch);
    for (int b = 0; b < N_BIG; b++)
        free(big[b]);
    free(shorts);
    free(longs);
    free(set.slots);
    free(text);
    ctok_model_free(m);
    return 0;
}
