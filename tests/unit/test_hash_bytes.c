/*
 * test_hash_bytes.c - the word loads behind the piece cache and the maps' hash (src/hash_bytes.h,
 * src/piece_cache.h), which read a string of any length without touching a byte past it:
 *   - ctok__load_partial(p, k) is the k bytes as a little-endian word, zero above them;
 *   - ctok__bytes_equal agrees with memcmp, for every length up to 40 and a difference at every
 *     position;
 *   - the piece cache's key is the piece's bytes zero-padded to three words, whatever text
 *     follows the piece, and two pieces get the same key only if they are the same piece;
 *   - the hash depends on the bytes only, not on where they are (every alignment).
 * Each string is copied to the end of a heap block, so that under ASan a read past it fails.
 */
#include "piece_cache.h"
#include "unit/splitmix.h"
#include "unit/test.h"

#include <stdint.h>

/* A heap copy of src[0..n) that ends exactly at the end of its block. */
static uint8_t *tail_copy(const uint8_t *src, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    if (p && n)
        memcpy(p, src, n);
    return p;
}

static void test_load_partial(void)
{
    uint64_t s = 1;
    for (int round = 0; round < 200; round++) {
        uint8_t bytes[8];
        for (int i = 0; i < 8; i++)
            bytes[i] = (uint8_t)rnd(&s);
        for (size_t k = 0; k <= 8; k++) {
            uint8_t *p = tail_copy(bytes, k);
            uint64_t want = 0;
            for (size_t i = 0; i < k; i++)
                want |= (uint64_t)bytes[i] << (8 * i);
            CHECKF(ctok__load_partial(p, k) == want, "k=%zu", k);
            free(p);
        }
    }
}

static void test_bytes_equal(void)
{
    uint64_t s = 2;
    uint8_t a[40], b[40];
    for (size_t n = 0; n <= 40; n++) {
        for (size_t i = 0; i < n; i++)
            a[i] = (uint8_t)rnd(&s);
        uint8_t *pa = tail_copy(a, n);
        for (size_t at = 0; at <= n; at++) { /* at == n: no difference */
            memcpy(b, a, n);
            if (at < n)
                b[at] ^= (uint8_t)(1 + rnd(&s) % 255);
            uint8_t *pb = tail_copy(b, n);
            CHECKF(!ctok__bytes_equal(pa, pb, n) == (memcmp(pa, pb, n) != 0),
                   "n=%zu difference at %zu", n, at);
            free(pb);
        }
        free(pa);
    }
}

static void test_piece_key(void)
{
    uint64_t s = 3;
    uint8_t a[CTOK__CACHE_MAX_BYTES], b[CTOK__CACHE_MAX_BYTES];
    for (size_t n = 1; n <= CTOK__CACHE_MAX_BYTES; n++) {
        for (int round = 0; round < 50; round++) {
            for (size_t i = 0; i < n; i++)
                a[i] = (uint8_t)rnd(&s);
            uint8_t *p = tail_copy(a, n);
            ctok__piece_key key;
            ctok__piece_key_make(&key, p, n, n);
            uint8_t padded[8 * CTOK__CACHE_WORDS] = {0};
            memcpy(padded, a, n);
            for (int w = 0; w < CTOK__CACHE_WORDS; w++) {
                uint64_t want = 0;
                for (int i = 0; i < 8; i++)
                    want |= (uint64_t)padded[8 * w + i] << (8 * i);
                CHECKF(key.words[w] == want, "n=%zu word %d", n, w);
            }
            /* with more text after the piece (the loads read it, the masks drop it): the same
             * key, whatever those bytes are */
            uint8_t more[2 * CTOK__CACHE_MAX_BYTES];
            memcpy(more, a, n);
            for (size_t i = n; i < sizeof more; i++)
                more[i] = (uint8_t)(1 + rnd(&s) % 255);
            for (size_t avail = n; avail <= sizeof more; avail++) {
                uint8_t *q = tail_copy(more, avail);
                ctok__piece_key same;
                ctok__piece_key_make(&same, q, n, avail);
                CHECKF(memcmp(same.words, key.words, sizeof key.words) == 0 &&
                           same.hash == key.hash,
                       "n=%zu avail=%zu: the bytes after the piece change its key", n, avail);
                if (n <= CTOK__SHORT_MAX_BYTES) { /* the short pieces' maker: the same key */
                    ctok__piece_key_make_short(&same, q, n, avail);
                    CHECKF(memcmp(same.words, key.words, sizeof key.words) == 0 &&
                               same.hash == key.hash,
                           "n=%zu avail=%zu: the short key differs", n, avail);
                }
                free(q);
            }
            /* the same bytes one longer (a zero byte added) are another piece: the length
             * tells them apart in the cache, and the hash includes it */
            if (n < CTOK__CACHE_MAX_BYTES) {
                memcpy(b, a, n);
                b[n] = 0;
                ctok__piece_key longer;
                ctok__piece_key_make(&longer, b, n + 1, n + 1);
                CHECKF(memcmp(longer.words, key.words, sizeof key.words) == 0,
                       "n=%zu: a zero byte more changes the words (it should not)", n);
                CHECKF(ctok__hash_bytes(a, n) != ctok__hash_bytes(b, n + 1),
                       "n=%zu: a zero byte more keeps the hash", n);
            }
            free(p);
        }
    }
}

static void test_hash_alignment(void)
{
    uint64_t s = 4;
    uint8_t text[64], buf[64 + 8];
    for (size_t n = 0; n <= 64; n++) {
        for (size_t i = 0; i < n; i++)
            text[i] = (uint8_t)rnd(&s);
        uint64_t h = ctok__hash_bytes(text, n);
        for (size_t off = 0; off < 8; off++) {
            memcpy(buf + off, text, n);
            CHECKF(ctok__hash_bytes(buf + off, n) == h, "n=%zu offset %zu", n, off);
        }
    }
}

int main(void)
{
    run_test("hash_load_partial", test_load_partial);
    run_test("hash_bytes_equal", test_bytes_equal);
    run_test("hash_piece_key", test_piece_key);
    run_test("hash_alignment", test_hash_alignment);
    return test_failures_total ? 1 : 0;
}
