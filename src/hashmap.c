/*
 * hashmap.c - two open-addressing hash maps with linear probing: 64-bit keys (id pairs) and byte
 * strings kept in a caller's arena (token bytes, training chunks).  Both grow at 50% load, so
 * probes stay short; neither supports deletion (nothing in ctok needs it).
 *
 * Layout (internal.h): a dense array of one-byte tags (0 = empty, else 0x80 | 7 hash bits) and
 * an array of 16-byte slots, the key (or the string's hash, length and offset) next to the value.
 * A probe reads the tag, and the slot only when the tag matches: a miss costs a byte in an array
 * a sixteenth the size of the slots (which stays in cache far better), a hit one slot line.  The
 * separate array per field that came before cost three or four lines per hit.  Zeroed memory is
 * an empty map.
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

/* the tag of a hash: its top 7 bits (of 64 for pairs, of the stored 32 for strings), which the
 * slot index (the low bits) does not use unless the map has 2^25 slots or more */
static inline uint8_t tag64(uint64_t h) { return (uint8_t)(0x80 | h >> 57); }
static inline uint8_t tag32(uint32_t h) { return (uint8_t)(0x80 | h >> 25); }

/* ---------------- u64 -> u32 ---------------- */

int ctok__u64map_init(ctok__u64map *map, const ctok_allocator *m, size_t expected)
{
    memset(map, 0, sizeof *map);
    size_t cap = capacity_for(expected);
    map->tags = ctok__calloc_table(m, cap, 1);
    map->slots = ctok__calloc_table(m, cap, sizeof *map->slots);
    if (!map->tags || !map->slots) {
        ctok__u64map_free(map, m);
        return CTOK_ENOMEM;
    }
    map->cap = cap;
    return CTOK_OK;
}

void ctok__u64map_free(ctok__u64map *map, const ctok_allocator *m)
{
    ctok__free(m, map->tags);
    ctok__free(m, map->slots);
    memset(map, 0, sizeof *map);
}

uint32_t *ctok__u64map_get(const ctok__u64map *map, uint64_t key)
{
    if (!map->cap)
        return NULL;
    uint64_t h = mix64(key);
    uint8_t tag = tag64(h);
    size_t mask = map->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint8_t t = map->tags[i];
        if (t == tag && map->slots[i].key == key)
            return &map->slots[i].val;
        if (!t)
            return NULL;
    }
}

static int u64map_rehash(ctok__u64map *map, const ctok_allocator *m)
{
    ctok__u64map bigger;
    /* twice the slots: capacity_for(cap / 2) is 2 * cap (capacity_for(cap) would be 4 * cap) */
    int rc = ctok__u64map_init(&bigger, m, map->cap / 2);
    if (rc)
        return rc;
    size_t mask = bigger.cap - 1;
    for (size_t j = 0; j < map->cap; j++) {
        if (!map->tags[j])
            continue;
        size_t i = mix64(map->slots[j].key) & mask;
        while (bigger.tags[i])
            i = (i + 1) & mask;
        bigger.tags[i] = map->tags[j];
        bigger.slots[i] = map->slots[j];
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
    uint64_t h = mix64(key);
    uint8_t tag = tag64(h);
    size_t mask = map->cap - 1;
    size_t i = h & mask;
    for (; map->tags[i]; i = (i + 1) & mask) {
        if (map->tags[i] == tag && map->slots[i].key == key) {
            *slot = &map->slots[i].val;
            *found = true;
            return CTOK_OK;
        }
    }
    map->tags[i] = tag;
    map->slots[i] = (ctok__u64slot){key, 0, 0};
    map->n++;
    *slot = &map->slots[i].val;
    *found = false;
    return CTOK_OK;
}

/* ---------------- bytes -> u32 ---------------- */

int ctok__bytesmap_init(ctok__bytesmap *map, const ctok_allocator *m, size_t expected)
{
    memset(map, 0, sizeof *map);
    size_t cap = capacity_for(expected);
    map->tags = ctok__calloc_table(m, cap, 1);
    map->slots = ctok__calloc_table(m, cap, sizeof *map->slots);
    if (!map->tags || !map->slots) {
        ctok__bytesmap_free(map, m);
        return CTOK_ENOMEM;
    }
    map->cap = cap;
    return CTOK_OK;
}

void ctok__bytesmap_free(ctok__bytesmap *map, const ctok_allocator *m)
{
    ctok__free(m, map->tags);
    ctok__free(m, map->slots);
    memset(map, 0, sizeof *map);
}

/* The index of the slot holding (p, n), or of the empty slot where it would go. */
static size_t bytesmap_find(const ctok__bytesmap *map, const uint8_t *arena, const uint8_t *p,
                            size_t n, uint32_t h)
{
    uint8_t tag = tag32(h);
    size_t mask = map->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint8_t t = map->tags[i];
        if (!t)
            return i;
        const ctok__bytesslot *s = &map->slots[i];
        if (t == tag && s->hash == h && s->len == n && ctok__bytes_equal(arena + s->off, p, n))
            return i;
    }
}

uint32_t ctok__bytesmap_prefetch(const ctok__bytesmap *map, const uint8_t *p, size_t n)
{
    uint32_t h = (uint32_t)ctok__hash_bytes(p, n);
    if (map->cap) {
        size_t i = h & (map->cap - 1);
        CTOK__PREFETCH(&map->tags[i]);
        CTOK__PREFETCH(&map->slots[i]);
    }
    return h;
}

uint32_t *ctok__bytesmap_get_hashed(const ctok__bytesmap *map, const uint8_t *arena,
                                    const uint8_t *p, size_t n, uint32_t hash)
{
    if (!map->cap || n == 0 || n > UINT32_MAX)
        return NULL;
    size_t i = bytesmap_find(map, arena, p, n, hash);
    return map->tags[i] ? &map->slots[i].val : NULL;
}

uint32_t *ctok__bytesmap_get(const ctok__bytesmap *map, const uint8_t *arena, const uint8_t *p,
                             size_t n)
{
    if (!map->cap || n == 0 || n > UINT32_MAX)
        return NULL;
    return ctok__bytesmap_get_hashed(map, arena, p, n, (uint32_t)ctok__hash_bytes(p, n));
}

static int bytesmap_rehash(ctok__bytesmap *map, const ctok_allocator *m)
{
    ctok__bytesmap bigger;
    /* twice the slots, as in u64map_rehash */
    int rc = ctok__bytesmap_init(&bigger, m, map->cap / 2);
    if (rc)
        return rc;
    size_t mask = bigger.cap - 1;
    for (size_t j = 0; j < map->cap; j++) {
        if (!map->tags[j])
            continue;
        size_t i = map->slots[j].hash & mask;
        while (bigger.tags[i])
            i = (i + 1) & mask;
        bigger.tags[i] = map->tags[j];
        bigger.slots[i] = map->slots[j];
    }
    bigger.n = map->n;
    ctok__bytesmap_free(map, m);
    *map = bigger;
    return CTOK_OK;
}

int ctok__bytesmap_put(ctok__bytesmap *map, const ctok_allocator *m, const uint8_t *arena,
                       uint64_t off, size_t n, uint32_t **slot, bool *found)
{
    if (n == 0)
        return CTOK_EINVAL;
    if (n > UINT32_MAX || off > UINT32_MAX)
        return CTOK_ETOOBIG;
    if ((map->n + 1) * 2 > map->cap) {
        int rc = bytesmap_rehash(map, m);
        if (rc)
            return rc;
    }
    const uint8_t *p = arena + off;
    uint32_t h = (uint32_t)ctok__hash_bytes(p, n);
    size_t i = bytesmap_find(map, arena, p, n, h);
    *found = map->tags[i] != 0;
    if (!*found) {
        map->tags[i] = tag32(h);
        map->slots[i] = (ctok__bytesslot){h, (uint32_t)n, (uint32_t)off, 0};
        map->n++;
    }
    *slot = &map->slots[i].val;
    return CTOK_OK;
}
