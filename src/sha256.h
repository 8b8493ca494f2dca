/*
 * sha256.h - SHA-256 (FIPS 180-4), so that `ctok info` can show the hash of an encoding's rank
 * file and callers can check a file they bring against a published value.  Streaming interface:
 * init, update any number of times, final.
 */
#ifndef CTOK_SHA256_H
#define CTOK_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct ctok__sha256 {
    uint32_t state[8];
    uint64_t n_bytes;   /* total message length so far */
    uint8_t block[64];  /* the unprocessed tail, block[0 .. n_bytes % 64) */
} ctok__sha256;

void ctok__sha256_init(ctok__sha256 *s);
void ctok__sha256_update(ctok__sha256 *s, const uint8_t *p, size_t n);
void ctok__sha256_final(ctok__sha256 *s, uint8_t digest[32]);

/* One call: the digest of p[0 .. n) as 64 lowercase hex digits and a NUL. */
void ctok__sha256_hex(const uint8_t *p, size_t n, char hex[65]);

#endif /* CTOK_SHA256_H */
