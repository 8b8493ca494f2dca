/*
 * internal.h - what the library's source files share: memory, diagnostics, UTF-8, hash maps.
 * Not installed; the CLI and the tests outside tests/unit never include it.
 */
#ifndef CTOK_INTERNAL_H
#define CTOK_INTERNAL_H

#include "ctok.h"
#include "hash_bytes.h"

#include <stdbool.h>
#include <stdarg.h>
#include <string.h>

/* ---- compiler hints ---- */

#if defined(__GNUC__)
#define CTOK__CTZ32(x) ((unsigned)__builtin_ctz(x)) /* x != 0 */
#define CTOK__PREFETCH(p) __builtin_prefetch(p)
#define CTOK__ALWAYS_INLINE inline __attribute__((always_inline))
#define CTOK__NOINLINE __attribute__((noinline))
#else
static inline unsigned ctok__ctz32_portable(uint32_t x)
{
    unsigned n = 0;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
}
#define CTOK__CTZ32(x) ctok__ctz32_portable(x)
#define CTOK__PREFETCH(p) ((void)(p))
#define CTOK__ALWAYS_INLINE inline
#define CTOK__NOINLINE
#endif

/* ---- memory (mem.c is the only file that calls malloc/free) ---- */

/* Copy src into dst, or the malloc-based default when src is NULL. */
void ctok__mem_init(ctok_allocator *dst, const ctok_allocator *src);
/* n bytes (n == 0 allowed), NULL on failure. */
void *ctok__alloc(const ctok_allocator *m, size_t n);
/* count * size zeroed bytes, NULL on failure or overflow. */
void *ctok__calloc(const ctok_allocator *m, size_t count, size_t size);
/* ctok__calloc for a large table that is touched all over at once (the encoder's caches): with
 * the default allocator on Linux, backed by transparent huge pages when the system allows. */
void *ctok__calloc_table(const ctok_allocator *m, size_t count, size_t size);
/* The same without zeroing, for a large buffer written all over (a long piece's tokens). */
void *ctok__alloc_table(const ctok_allocator *m, size_t n);
void ctok__free(const ctok_allocator *m, void *p);
/* Make *ptr (an array of *cap elements of elem bytes) hold at least need elements, keeping the
 * contents; capacity grows geometrically.  CTOK_ENOMEM or CTOK_ETOOBIG on failure (unchanged). */
int ctok__grow(const ctok_allocator *m, void **ptr, size_t *cap, size_t need, size_t elem);
/* A copy of (p, n) plus a NUL byte; NULL on failure. */
uint8_t *ctok__memdup(const ctok_allocator *m, const void *p, size_t n);

/* ---- diagnostics ---- */

/* Fill d (if not NULL) and return status, so that `return ctok__fail(d, ...)` reads naturally. */
int ctok__fail(ctok_diag *d, int status, uint64_t line, uint64_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* ---- UTF-8 (utf8.c) ---- */

/* Decode one strictly valid UTF-8 sequence (no overlongs, surrogates or values past U+10FFFF) at
 * s[0..len): its length 1-4 and *cp, or 0 if s does not start with one. */
size_t ctok__utf8_decode(const uint8_t *s, size_t len, uint32_t *cp);
/* Length of the longest prefix of s that is valid UTF-8. */
size_t ctok__utf8_valid_prefix(const uint8_t *s, size_t len);
/* At an invalid position: the length of the maximal subpart to replace by one U+FFFD (Unicode's
 * "substitution of maximal subparts", as Python's and Rust's lossy decoders do); >= 1. */
size_t ctok__utf8_invalid_len(const uint8_t *s, size_t len);
/* Encode cp (<= 0x10FFFF) into out[0..4), returns the length. */
size_t ctok__utf8_encode(uint32_t cp, uint8_t *out);

/* ---- hash maps (hashmap.c) ----
 *
 * Open addressing with linear probing.  Each slot is one small struct (16 bytes, four to a cache
 * line), so a probe reads one line instead of one per field, and each slot has a one-byte tag in
 * a separate dense array: 0 for an empty slot, else 0x80 | 7 bits of the key's hash.  A lookup
 * walks the tags and reads a slot only when its tag matches, so a miss (most pair lookups while
 * merging) rarely leaves the small tag array.  New maps start zeroed.  Tags and slots are plain
 * data without pointers, so a finished model's maps can be written out at build time and used in
 * place from read-only memory (vocab_blob.c). */

/* 64-bit key -> 32-bit value.  Used for (left, right) id pairs. */
typedef struct ctok__u64slot {
    uint64_t key;
    uint32_t val;
    uint32_t pad; /* 0 */
} ctok__u64slot;

typedef struct ctok__u64map {
    uint8_t *tags;
    ctok__u64slot *slots;
    size_t cap; /* power of two */
    size_t n;
} ctok__u64map;

int ctok__u64map_init(ctok__u64map *map, const ctok_allocator *m, size_t expected);
void ctok__u64map_free(ctok__u64map *map, const ctok_allocator *m);
/* Pointer to the value of key, or NULL. */
uint32_t *ctok__u64map_get(const ctok__u64map *map, uint64_t key);
/* Insert or find: *slot points to the value; *found tells whether the key was there. */
int ctok__u64map_put(ctok__u64map *map, const ctok_allocator *m, uint64_t key, uint32_t **slot,
                     bool *found);

/* Byte string -> 32-bit value.  The strings live in the caller's arena: the map keeps
 * (offset, length) into it, so the arena may move (grow) between calls.  Keys are non-empty and
 * lie in the first 4 GiB of the arena (CTOK_ETOOBIG past that). */
typedef struct ctok__bytesslot {
    uint32_t hash; /* low 32 bits of ctok__hash_bytes */
    uint32_t len;
    uint32_t off;  /* into the arena */
    uint32_t val;
} ctok__bytesslot;

typedef struct ctok__bytesmap {
    uint8_t *tags;
    ctok__bytesslot *slots;
    size_t cap; /* power of two */
    size_t n;
} ctok__bytesmap;

int ctok__bytesmap_init(ctok__bytesmap *map, const ctok_allocator *m, size_t expected);
void ctok__bytesmap_free(ctok__bytesmap *map, const ctok_allocator *m);
/* Hint that (p, n) will be looked up soon; returns its hash for ctok__bytesmap_get_hashed. */
uint32_t ctok__bytesmap_prefetch(const ctok__bytesmap *map, const uint8_t *p, size_t n);
/* ctok__bytesmap_get with the hash already computed (by ctok__bytesmap_prefetch). */
uint32_t *ctok__bytesmap_get_hashed(const ctok__bytesmap *map, const uint8_t *arena,
                                    const uint8_t *p, size_t n, uint32_t hash);
/* Look up (p, n); arena is where stored offsets point. */
uint32_t *ctok__bytesmap_get(const ctok__bytesmap *map, const uint8_t *arena, const uint8_t *p,
                             size_t n);
/* Insert the string stored at arena[off .. off+n) unless an equal one is there; *slot -> value.
 * CTOK_EINVAL for n == 0, CTOK_ETOOBIG for an offset or length past 32 bits. */
int ctok__bytesmap_put(ctok__bytesmap *map, const ctok_allocator *m, const uint8_t *arena,
                       uint64_t off, size_t n, uint32_t **slot, bool *found);

static inline uint64_t ctok__pair_key(uint32_t left, uint32_t right)
{
    return ((uint64_t)left << 32) | right;
}

#endif /* CTOK_INTERNAL_H */
