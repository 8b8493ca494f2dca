/*
 * hashmap.c - two open-addressing hash maps with linear probing: 64-bit keys (id pairs) and byte
 * strings kept in a caller's arena (token bytes, training chunks).  Both grow at 50% load, so
 * probes stay short; neither supports deletion (nothing in ctok needs it).
 */
#include "internal.h"

static uint64_t mix64(uint64_t x)
{
    /* splitmix64's finaliser: every input bit affects every output bit */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static size_t capacity_for(size_t expected)
{
    size_t cap = 16;
    while (cap < expected * 2 + 2)
        cap *= 2;
    return cap;
}

/* ---------------- u64 -> u32 ---------------- */

int ctok__u64map_init(ctok__u64map *map, const ctok_allocator *m, size_t expected)
{
    memset(map, 0, sizeof *map);
    size_t cap = capacity_for(expected);
    map->keys = ctok__alloc(m, cap * sizeof *map->keys);
    map->vals = ctok__alloc(m, cap * sizeof *map->vals);
    map->used = ctok__calloc(m, cap, 1);
    if (!map->keys || !map->vals || !map->used) {
        ctok__u64map_free(map, m);
        return CTOK_ENOMEM;
    }
    map->cap = cap;
    return CTOK_OK;
}

void ctok__u64map_free(ctok__u64map *map, const ctok_allocator *m)
{
    ctok__free(m, map->keys);
    ctok__free(m, map->vals);
    ctok__free(m, map->used);
    memset(map, 0, sizeof *map);
}

uint32_t *ctok__u64map_get(const ctok__u64map *map, uint64_t key)
{
    if (!map->cap)
        return NULL;
    size_t mask = map->cap - 1;
    for (size_t i = mix64(key) & mask;; i = (i + 1) & mask) {
        if (!map->used[i])
            return NULL;
        if (map->keys[i] == key)
            return &map->vals[i];
    }
}

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

void ctok__u64map_prefetch(const ctok__u64map *map, uint64_t key)
{
    if (!map->cap)
        return;
    size_t i = mix64(key) & (map->cap - 1);
    PREFETCH(&map->used[i]);
    PREFETCH(&map->keys[i]);
    PREFETCH(&map->vals[i]);
}

static int u64map_rehash(ctok__u64map *map, const ctok_allocator *m)
{
    ctok__u64map bigger;
    int rc = ctok__u64map_init(&bigger, m, map->cap);
    if (rc)
        return rc;
    size_t mask = bigger.cap - 1;
    for (size_t j = 0; j < map->cap; j++) {
        if (!map->used[j])
            continue;
        size_t i = mix64(map->keys[j]) & mask;
        while (bigger.used[i])
            i = (i + 1) & mask;
        bigger.used[i] = 1;
        bigger.keys[i] = map->keys[j];
        bigger.vals[i] = map->vals[j];
    }
    bigger.n = map->n;
    ctok__u64map_free(map, m);
    *map = bigger;
    return CTOK_OK;
}

int ctok__u64map_put(ctok__u64map *map, const ctok_allocator *m, uint64_t key, uint32_t **slot,
                     bool *found)
{
    if ((map->n + 1) * 2 > map->cap) {
        int rc = u64map_rehash(map, m);
        if (rc)
            return rc;
    }
    size_t mask = map->cap - 1;
    size_t i = mix64(key) & mask;
    while (map->used[i]) {
        if (map->keys[i] == key) {
            *slot = &map->vals[i];
            *found = true;
            return CTOK_OK;
        }
        i = (i + 1) & mask;
    }
    map->used[i] = 1;
    map->keys[i] = key;
    map->vals[i] = 0;
    map->n++;
    *slot = &map->vals[i];
    *found = false;
    return CTOK_OK;
}

/* ---------------- bytes -> u32 ---------------- */

uint64_t ctok__hash_bytes(const uint8_t *p, size_t n)
{
    /* 8 bytes at a time through a multiply-mix; good enough for token and chunk strings */
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ mix64(w)) * 0x9e3779b97f4a7c15ull;
        p += 8;
        n -= 8;
    }
    uint64_t tail = 0;
    memcpy(&tail, p, n);
    h = (h ^ mix64(tail ^ ((uint64_t)n << 56))) * 0x9e3779b97f4a7c15ull;
    return mix64(h);
}

int ctok__bytesmap_init(ctok__bytesmap *map, const ctok_allocator *m, size_t expected)
{
    memset(map, 0, sizeof *map);
    size_t cap = capacity_for(expected);
    map->offs = ctok__alloc(m, cap * sizeof *map->offs);
    map->lens = ctok__alloc(m, cap * sizeof *map->lens);
    map->vals = ctok__alloc(m, cap * sizeof *map->vals);
    map->hashes = ctok__alloc(m, cap * sizeof *map->hashes);
    if (!map->offs || !map->lens || !map->vals || !map->hashes) {
        ctok__bytesmap_free(map, m);
        return CTOK_ENOMEM;
    }
    for (size_t i = 0; i < cap; i++)
        map->offs[i] = UINT64_MAX;
    map->cap = cap;
    return CTOK_OK;
}

void ctok__bytesmap_free(ctok__bytesmap *map, const ctok_allocator *m)
{
    ctok__free(m, map->offs);
    ctok__free(m, map->lens);
    ctok__free(m, map->vals);
    ctok__free(m, map->hashes);
    memset(map, 0, sizeof *map);
}

static size_t bytesmap_find(const ctok__bytesmap *map, const uint8_t *arena, const uint8_t *p,
                            size_t n, uint32_t h)
{
    size_t mask = map->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (map->offs[i] == UINT64_MAX)
            return i;
        if (map->hashes[i] == h && map->lens[i] == n &&
            (n == 0 || memcmp(arena + map->offs[i], p, n) == 0))
            return i;
    }
}

uint32_t ctok__bytesmap_prefetch(const ctok__bytesmap *map, const uint8_t *p, size_t n)
{
    uint32_t h = (uint32_t)ctok__hash_bytes(p, n);
    if (map->cap) {
        size_t i = h & (map->cap - 1);
        PREFETCH(&map->offs[i]);
        PREFETCH(&map->hashes[i]);
        PREFETCH(&map->lens[i]);
    }
    return h;
}

void ctok__bytesmap_prefetch_bytes(const ctok__bytesmap *map, const uint8_t *arena,
                                   uint32_t hash)
{
    if (!map->cap)
        return;
    size_t i = hash & (map->cap - 1);
    if (map->offs[i] != UINT64_MAX && map->hashes[i] == hash)
        PREFETCH(arena + map->offs[i]);
}

uint32_t *ctok__bytesmap_get_hashed(const ctok__bytesmap *map, const uint8_t *arena,
                                    const uint8_t *p, size_t n, uint32_t hash)
{
    if (!map->cap || n > UINT32_MAX)
        return NULL;
    size_t i = bytesmap_find(map, arena, p, n, hash);
    return map->offs[i] == UINT64_MAX ? NULL : &map->vals[i];
}

uint32_t *ctok__bytesmap_get(const ctok__bytesmap *map, const uint8_t *arena, const uint8_t *p,
                             size_t n)
{
    if (!map->cap || n > UINT32_MAX)
        return NULL;
    uint32_t h = (uint32_t)ctok__hash_bytes(p, n);
    size_t i = bytesmap_find(map, arena, p, n, h);
    return map->offs[i] == UINT64_MAX ? NULL : &map->vals[i];
}

static int bytesmap_rehash(ctok__bytesmap *map, const ctok_allocator *m)
{
    ctok__bytesmap bigger;
    int rc = ctok__bytesmap_init(&bigger, m, map->cap);
    if (rc)
        return rc;
    size_t mask = bigger.cap - 1;
    for (size_t j = 0; j < map->cap; j++) {
        if (map->offs[j] == UINT64_MAX)
            continue;
        size_t i = map->hashes[j] & mask;
        while (bigger.offs[i] != UINT64_MAX)
            i = (i + 1) & mask;
        bigger.offs[i] = map->offs[j];
        bigger.lens[i] = map->lens[j];
        bigger.vals[i] = map->vals[j];
        bigger.hashes[i] = map->hashes[j];
    }
    bigger.n = map->n;
    ctok__bytesmap_free(map, m);
    *map = bigger;
    return CTOK_OK;
}

int ctok__bytesmap_put(ctok__bytesmap *map, const ctok_allocator *m, const uint8_t *arena,
                       uint64_t off, size_t n, uint32_t **slot, bool *found)
{
    if (n > UINT32_MAX)
        return CTOK_ETOOBIG;
    if ((map->n + 1) * 2 > map->cap) {
        int rc = bytesmap_rehash(map, m);
        if (rc)
            return rc;
    }
    const uint8_t *p = arena + off;
    uint32_t h = (uint32_t)ctok__hash_bytes(p, n);
    size_t i = bytesmap_find(map, arena, p, n, h);
    if (map->offs[i] != UINT64_MAX) {
        *slot = &map->vals[i];
        *found = true;
        return CTOK_OK;
    }
    map->offs[i] = off;
    map->lens[i] = (uint32_t)n;
    map->vals[i] = 0;
    map->hashes[i] = h;
    map->n++;
    *slot = &map->vals[i];
    *found = false;
    return CTOK_OK;
}
