/*
 * encode.c - text to token ids: special tokens with tiktoken's allowed/disallowed semantics,
 * pre-tokenization by the model's split pattern, then byte-pair merging of each piece; and the
 * character models' code-point lookup.
 */
#include "bpe.h"
#include "encoder.h"
#include "piece_cache.h"

#include <stdio.h>

struct ctok_encoder {
    const ctok_model *model;
    ctok__split_scratch *split;
    ctok__bpe_scratch bpe;
    ctok__piece_cache cache;
    uint8_t *special_flags; /* per special token: ALLOWED / DISALLOWED for this call */
    /* the whole-token lookups of pieces the cache missed: tries and hits in this window, and
     * how many more misses go without the lookup (see whole_piece) */
    uint32_t whole_tries, whole_hits, whole_resting;
    bool one_call; /* freed after one call (ctok__encoder_new_one_call) */
    size_t seen;   /* bytes encoded in all calls so far (up to CACHE_FROM_BYTES) */
};

enum { ALLOWED = 1, DISALLOWED = 2 };
enum { CACHE_FROM_BYTES = 1 << 16 };
/* An encoder made for one call merges a shorter text without the pair cache: at 30 to 3000 bytes
 * that was faster, at 30 KB slower, between 6 and 24 KB the same within the noise (doc/design.md,
 * eighteenth session). */
enum { ONE_CALL_PAIRS_FROM = 8192 };

/* Where ids go: into ids[0 .. cap), or only counted (ids == NULL).  A full sink is CTOK_EBUFFER,
 * or with stop_when_full the end of the encoding (truncation wants the first cap ids). */
typedef struct sink {
    uint32_t *ids;
    size_t cap, count;
    bool stop_when_full, full;
} sink;

/* Add k ids; STOP when the sink filled up and wants no more. */
enum { STOP = 1 };
static int sink_put(sink *s, const uint32_t *ids, size_t k, size_t offset, ctok_diag *diag)
{
    if (k > s->cap - s->count) {
        if (!s->stop_when_full)
            return ctok__fail(diag, CTOK_EBUFFER, 0, offset,
                              "output buffer of %zu ids is too small", s->cap);
        k = s->cap - s->count;
        s->full = true;
    }
    if (s->ids)
        for (size_t i = 0; i < k; i++) /* a few ids: a loop beats a call to memcpy */
            s->ids[s->count + i] = ids[i];
    s->count += k;
    return s->full ? STOP : CTOK_OK;
}


/* sink_put of one id, the common case, inline. */
static CTOK__ALWAYS_INLINE int sink_put1(sink *s, uint32_t id, size_t offset, ctok_diag *diag)
{
    if (s->count < s->cap) {
        if (s->ids)
            s->ids[s->count] = id;
        s->count++;
        return CTOK_OK;
    }
    return sink_put(s, &id, 1, offset, diag);
}

/* sink_put of a cache entry's ids, inline: when there is room for all CTOK__CACHE_MAX_IDS, they
 * are copied whatever their number (two 16-byte moves; the ones past n_ids are overwritten by
 * what comes next or lie past the end), with no loop and no branch on the number. */
static CTOK__ALWAYS_INLINE int sink_put_cached(sink *s, const ctok__cache_entry *e, size_t offset,
                                               ctok_diag *diag)
{
    if (s->cap - s->count >= CTOK__CACHE_MAX_IDS) {
        if (s->ids)
            memcpy(s->ids + s->count, e->ids, sizeof e->ids);
        s->count += e->n_ids;
        return CTOK_OK;
    }
    return sink_put(s, e->ids, e->n_ids, offset, diag);
}

/* sink_put of a short entry's ids, inline: its three id fields are stored whatever their number
 * when there is room, as above.  Straight into the output: copied from an array on the stack,
 * two ids went as one 8-byte load of two 4-byte stores, which the CPU cannot forward, and every
 * cached piece waited for the stores to reach the cache. */
static CTOK__ALWAYS_INLINE int sink_put_short(sink *s, const ctok__short_entry *e, size_t offset,
                                              ctok_diag *diag)
{
    bool room = s->cap - s->count >= CTOK__SHORT_MAX_IDS;
    if (room && s->ids) {
        s->count += ctok__short_ids(e, s->ids + s->count);
        return CTOK_OK;
    }
    uint32_t ids[CTOK__SHORT_MAX_IDS];
    size_t k = ctok__short_ids(e, ids);
    if (room) { /* counting only */
        s->count += k;
        return CTOK_OK;
    }
    return sink_put(s, ids, k, offset, diag);
}

int ctok_encoder_new(const ctok_model *model, ctok_encoder **out)
{
    if (!model || !out)
        return CTOK_EINVAL;
    ctok_encoder *e = ctok__calloc(&model->mem, 1, sizeof *e);
    if (!e)
        return CTOK_ENOMEM;
    e->model = model;
    int rc = CTOK_OK;
    if (model->splitter)
        rc = ctok__split_scratch_new(model->splitter, &e->split);
    if (!rc && model->n_special) {
        e->special_flags = ctok__alloc(&model->mem, model->n_special);
        if (!e->special_flags)
            rc = CTOK_ENOMEM;
    }
    if (rc) {
        ctok_encoder_free(e);
        return rc;
    }
    *out = e;
    return CTOK_OK;
}

int ctok__encoder_new_one_call(const ctok_model *model, ctok_encoder **out)
{
    int rc = ctok_encoder_new(model, out);
    if (!rc)
        (*out)->one_call = true;
    return rc;
}

void ctok_encoder_free(ctok_encoder *e)
{
    if (!e)
        return;
    const ctok_model *m = e->model;
    ctok__split_scratch_free(m->splitter, e->split);
    ctok__bpe_scratch_free(&m->mem, &e->bpe);
    ctok__free(&m->mem, e->cache.entries);
    ctok__free(&m->mem, e->special_flags);
    ctok__free(&m->mem, e);
}

/* ---- character models ---- */

static int encode_chars(const ctok_model *m, const uint8_t *text, size_t len, sink *out,
                        ctok_diag *diag)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = ctok__utf8_decode(text + i, len - i, &cp);
        if (k == 0)
            return ctok__fail(diag, CTOK_EUTF8, 0, i,
                              "invalid UTF-8 (byte 0x%02X)", text[i]);
        uint32_t id = ctok__model_char_id(m, cp);
        if (id == CTOK__NO_ID) {
            if (cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0))
                return ctok__fail(diag, CTOK_EUNKNOWN_CHAR, 0, i,
                                  "character '%.*s' (U+%04X) is not in the vocabulary", (int)k,
                                  (const char *)text + i, cp);
            return ctok__fail(diag, CTOK_EUNKNOWN_CHAR, 0, i,
                              "character U+%04X is not in the vocabulary", cp);
        }
        int rc = sink_put(out, &id, 1, i, diag);
        if (rc)
            return rc;
        i += k;
    }
    return CTOK_OK;
}

/* ---- special tokens ---- */

static void mark_set(const ctok_model *m, uint8_t *flags, const ctok_special_set *set,
                     uint8_t flag)
{
    if (set->all) {
        for (size_t i = 0; i < m->n_special; i++)
            flags[i] |= flag;
        return;
    }
    for (size_t j = 0; j < set->n; j++) {
        const uint32_t *idx =
            ctok__bytesmap_get(&m->special_by_bytes, m->arena, set->items[j].ptr, set->items[j].len);
        if (idx)
            flags[*idx] |= flag;
    }
}

/* tiktoken: disallowed "all" means every special token that is not allowed. */
static bool resolve_specials(const ctok_model *m, uint8_t *flags, const ctok_encode_options *o)
{
    static const ctok_encode_options defaults = {{0, NULL, 0}, {1, NULL, 0}};
    if (!o)
        o = &defaults;
    memset(flags, 0, m->n_special);
    mark_set(m, flags, &o->allowed, ALLOWED);
    bool any = false;
    for (size_t i = 0; i < m->n_special; i++) {
        if (o->disallowed.all ? !(flags[i] & ALLOWED) : false)
            flags[i] |= DISALLOWED;
        any |= flags[i] != 0;
    }
    if (!o->disallowed.all)
        mark_set(m, flags, &o->disallowed, DISALLOWED);
    for (size_t i = 0; i < m->n_special; i++)
        any |= flags[i] != 0;
    return any;
}

/* The byte every special token starts with, if they all start with the same one; else -1. */
static int only_first_byte(const ctok_model *m)
{
    int only = -1;
    for (int w = 0; w < 8; w++) {
        uint32_t bits = m->special_first_mask[w];
        if (!bits)
            continue;
        if (only >= 0 || (bits & (bits - 1)))
            return -1;
        only = 32 * w + (int)CTOK__CTZ32(bits);
    }
    return only;
}

/* The leftmost (longest at that place) special token in text[from..len) whose flags include
 * want.  Returns its start or len if none; *index gets its index in special_ids. */
static size_t find_special(const ctok_model *m, const uint8_t *flags, uint8_t want,
                           const uint8_t *text, size_t len, size_t from, size_t *index)
{
    size_t max_len = m->special_max_len;
    /* every special token of the built-in encodings starts with '<': then memchr finds the
     * candidates many bytes at a time */
    int only = only_first_byte(m);
    for (size_t i = from; i < len; i++) {
        if (only >= 0) {
            const uint8_t *at = memchr(text + i, only, len - i);
            if (!at)
                break;
            i = (size_t)(at - text);
        } else if (!(m->special_first_mask[text[i] / 32] & (1u << (text[i] % 32)))) {
            continue;
        }
        size_t room = len - i < max_len ? len - i : max_len;
        for (size_t l = room; l >= 1; l--) {
            if (l < 256 && !(m->special_len_mask[l / 32] & (1u << (l % 32))))
                continue;
            const uint32_t *idx = ctok__bytesmap_get(&m->special_by_bytes, m->arena, text + i, l);
            if (idx && (flags[*idx] & want)) {
                *index = *idx;
                return i;
            }
        }
    }
    return len;
}

/* tiktoken refuses the leftmost text of the disallowed set, special token of this model or not
 * (gpt2 refuses "<|endofprompt|>" when told to).  The model's own special tokens are found by
 * find_special, the other listed texts by a plain search (such lists are short). */
static int check_disallowed(const ctok_model *m, const uint8_t *flags, bool specials,
                            const ctok_encode_options *o, const uint8_t *text, size_t len,
                            ctok_diag *diag)
{
    size_t at = len, index;
    const uint8_t *tok = NULL;
    size_t tok_len = 0;
    if (specials) {
        at = find_special(m, flags, DISALLOWED, text, len, 0, &index);
        if (at < len) {
            tok = m->arena + m->special_off[index];
            tok_len = m->special_len[index];
        }
    }
    for (size_t j = 0; o && !o->disallowed.all && j < o->disallowed.n; j++) {
        const uint8_t *p = o->disallowed.items[j].ptr;
        size_t n = o->disallowed.items[j].len;
        if (n == 0 || (m->n_special && ctok__bytesmap_get(&m->special_by_bytes, m->arena, p, n)))
            continue;
        for (size_t i = 0; i + n <= len && i < at; i++)
            if (text[i] == p[0] && !memcmp(text + i, p, n)) {
                at = i;
                tok = p;
                tok_len = n;
                break;
            }
    }
    if (at < len)
        return ctok__fail(diag, CTOK_ESPECIAL, 0, at,
                          "the text contains the special token '%.*s', which is not allowed",
                          (int)tok_len, (const char *)tok);
    return CTOK_OK;
}

/* ---- ordinary text ---- */

/* Whole-token lookups go to a multi-megabyte table, a trip to memory each.  On English most pieces
 * the cache misses are tokens and the lookup saves a merge; on rare or random text few are, and
 * the lookup is wasted.  Where merging a token's bytes always gives that token (the built-in
 * encodings, model.h), the lookup cannot change the ids: then, when fewer than one lookup in
 * three hit over WHOLE_WINDOW of them, the next WHOLE_REST misses are merged without it. */
enum { WHOLE_WINDOW = 4096, WHOLE_REST = 65536 };

/* The token that the piece p[0 .. n) is, or CTOK__NO_ID: looked up, or not (counted for the
 * verdict).  key: the piece cache's key of the piece, or NULL. */
static uint32_t whole_piece(ctok_encoder *e, const uint8_t *p, size_t n,
                            const ctok__piece_key *key)
{
    const ctok_model *m = e->model;
    if (!m->whole_piece_lookup)
        return CTOK__NO_ID;
    if (e->whole_resting) {
        e->whole_resting--;
        return CTOK__NO_ID;
    }
    /* a short piece's word and hash are its key's (hash_bytes.h) */
    uint32_t id = key && n <= CTOK__SHORT_TOKEN_BYTES && m->short_tokens.slots
                      ? ctok__short_token_get(&m->short_tokens, key->words[0], n, key->hash)
                      : ctok__model_token_id(m, p, n);
    e->whole_hits += id != CTOK__NO_ID;
    if (++e->whole_tries == WHOLE_WINDOW) {
        if (m->merges_reach_tokens && e->whole_hits * 3 < WHOLE_WINDOW)
            e->whole_resting = WHOLE_REST;
        e->whole_tries = e->whole_hits = 0;
    }
    return id;
}

/* A piece the cache did not answer: the whole piece as one token (tiktoken's rule), or merged;
 * then remembered in slot or short_slot (if not NULL).  Out of line, so that the loop around the
 * cache lookup stays small. */
static CTOK__NOINLINE int emit_uncached(ctok_encoder *e, const uint8_t *p, size_t n,
                                        ctok__cache_entry *slot, ctok__short_entry *short_slot,
                                        const ctok__piece_key *key, sink *out, ctok_diag *diag,
                                        size_t offset)
{
    const ctok_model *m = e->model;
    const uint32_t *piece_ids;
    size_t k;
    uint32_t single = whole_piece(e, p, n, key);
    if (single != CTOK__NO_ID) {
        piece_ids = &single;
        k = 1;
    } else {
        int rc = ctok__bpe_encode_piece(m, &e->bpe, p, n, &piece_ids, &k);
        if (rc)
            return ctok__fail(diag, rc, 0, offset, "%s", ctok_strerror(rc));
    }
    if (slot)
        ctok__cache_put(slot, key, n, piece_ids, k);
    else if (short_slot)
        ctok__short_put(short_slot, key, n, piece_ids, k);
    return sink_put(out, piece_ids, k, offset, diag);
}

_Static_assert(CTOK__PAIR_CACHE_BYTES % sizeof(ctok__cache_entry) == 0,
               "the pair cache fills whole lines of the piece cache's block");

/* The piece cache, made when the first piece to cache comes (a text of one long piece, or of
 * single bytes, never needs it).  Without memory for it, encoding goes on uncached. */
static CTOK__NOINLINE bool make_cache(ctok_encoder *e)
{
    /* one block: the 64-byte entries, then the short ones (as many cache lines' worth) */
    enum { SHORTS_PER_LINE = sizeof(ctok__cache_entry) / sizeof(ctok__short_entry) };
    size_t lines =
        ((size_t)1 << CTOK__CACHE_BITS) + ((size_t)1 << CTOK__SHORT_BITS) / SHORTS_PER_LINE;
    ctok__piece_cache *c = &e->cache;
    /* the pair cache after them, if merging has not made it yet: the block takes one huge page
     * (2 MiB, cleared by the kernel at the first touch) where the two took one each */
    bool with_pairs = e->bpe.long_text && !e->bpe.pairs;
    size_t pair_lines = with_pairs ? CTOK__PAIR_CACHE_BYTES / sizeof *c->entries : 0;
    c->entries = ctok__calloc_table(&e->model->mem, lines + pair_lines, sizeof *c->entries);
    if (!c->entries) {
        c->max_bytes = 0;
        return false;
    }
    if (with_pairs) {
        e->bpe.pairs = (ctok__pair_slot *)(c->entries + lines);
        e->bpe.pairs_lent = true;
    }
    bool ids_fit = e->model->n_vocab <= (size_t)CTOK__SHORT_ID_MASK + 1;
    c->shorts = ids_fit ? (ctok__short_entry *)(c->entries + ((size_t)1 << CTOK__CACHE_BITS))
                        : NULL;
    return true;
}

/* The piece p[0 .. n), with avail >= n bytes readable at p (for the cache's key). */
static CTOK__ALWAYS_INLINE int emit_piece(ctok_encoder *e, const uint8_t *p, size_t n,
                                          size_t avail, sink *out, ctok_diag *diag, size_t offset)
{
    if (n == 1)
        return sink_put1(out, e->model->byte_id[p[0]], offset, diag);
    ctok__piece_cache *c = &e->cache;
    if (n <= c->max_bytes && (c->entries || make_cache(e))) {
        ctok__piece_key key;
        if (n <= CTOK__SHORT_MAX_BYTES && c->shorts) {
            ctok__piece_key_make_short(&key, p, n, avail);
            ctok__short_entry *pair = ctok__short_pair(c, &key);
            if (ctok__short_holds(&pair[0], &key, n)) {
                c->long_hits += n >= CTOK__CACHE_GATE_BYTES;
                return sink_put_short(out, &pair[0], offset, diag);
            }
            ctok__short_entry older = pair[1];
            if (ctok__short_holds(&older, &key, n)) { /* now the one used last */
                pair[1] = pair[0];
                pair[0] = older;
                c->long_hits += n >= CTOK__CACHE_GATE_BYTES;
                return sink_put_short(out, &older, offset, diag);
            }
            ctok__cache_count_miss(c, n);
            pair[1] = pair[0]; /* the older one goes; the piece will be the first */
            return emit_uncached(e, p, n, NULL, &pair[0], &key, out, diag, offset);
        }
        ctok__piece_key_make(&key, p, n, avail);
        ctok__cache_entry *slot = ctok__cache_slot(c, &key);
        if (ctok__cache_holds(slot, &key, n)) {
            c->long_hits += n >= CTOK__CACHE_GATE_BYTES;
            return sink_put_cached(out, slot, offset, diag);
        }
        ctok__cache_count_miss(c, n);
        return emit_uncached(e, p, n, slot, NULL, &key, out, diag, offset);
    }
    ctok__cache_count_rest(c, n);
    return emit_uncached(e, p, n, NULL, NULL, NULL, out, diag, offset);
}

static int encode_ordinary(ctok_encoder *e, const uint8_t *text, size_t start, size_t end,
                           sink *out, ctok_diag *diag)
{
    if (start == end)
        return CTOK_OK;
    if (!e->model->splitter)
        return emit_piece(e, text + start, end - start, end - start, out, diag, start);
    ctok__split_iter it;
    ctok__split_begin(&it, e->model->splitter, e->split, text + start, end - start, true);
    size_t ps, pe;
    int rc;
    while ((rc = ctok__split_next(&it, &ps, &pe)) == 1) {
        rc = emit_piece(e, text + start + ps, pe - ps, end - start - ps, out, diag, start + ps);
        if (rc)
            return rc;
    }
    if (rc < 0)
        return ctok__fail(diag, rc, 0, start, "split pattern failed: %s", ctok_strerror(rc));
    return CTOK_OK;
}

int ctok__encoder_run(ctok_encoder *e, const uint8_t *text, size_t len,
                      const ctok_encode_options *options, uint32_t *ids, size_t cap,
                      bool stop_when_full, size_t *n_ids, bool *full, ctok_diag *diag)
{
    const ctok_model *m = e->model;
    sink out = {ids, cap, 0, stop_when_full, false};
    int rc;
    /* the piece cache pays off on long texts, or on many short ones (a service's requests)
     * through one encoder; one short text would spend more on clearing 512 KiB than it saves.
     * Without memory for it, encoding goes on uncached.  For a long text the pair cache goes on
     * a huge page too (bpe.h). */
    e->seen += len < CACHE_FROM_BYTES - e->seen ? len : CACHE_FROM_BYTES - e->seen;
    bool cache = m->kind == CTOK_MODEL_BPE && (e->cache.entries || e->seen >= CACHE_FROM_BYTES);
    e->cache.max_bytes = !cache               ? 0
                         : e->cache.resting ? CTOK__CACHE_GATE_BYTES - 1
                                            : CTOK__CACHE_MAX_BYTES;
    e->bpe.long_text = len >= CACHE_FROM_BYTES;
    e->bpe.uncached_pairs = e->one_call && len < ONE_CALL_PAIRS_FROM;
    if (m->kind == CTOK_MODEL_CHAR) {
        rc = encode_chars(m, text, len, &out, diag);
    } else {
        bool specials = m->n_special && resolve_specials(m, e->special_flags, options);
        rc = check_disallowed(m, e->special_flags, specials, options, text, len, diag);
        for (size_t pos = 0; !rc && pos < len;) {
            size_t index;
            size_t at = specials ? find_special(m, e->special_flags, ALLOWED, text, len, pos,
                                                &index)
                                 : len;
            rc = encode_ordinary(e, text, pos, at, &out, diag);
            if (rc || at == len)
                break;
            rc = sink_put(&out, &m->special_ids[index], 1, at, diag);
            pos = at + m->special_len[index];
        }
    }
    if (rc < 0)
        return rc;
    *n_ids = out.count;
    if (full)
        *full = out.full;
    return CTOK_OK;
}

int ctok_encoder_encode(ctok_encoder *e, const uint8_t *text, size_t len,
                        const ctok_encode_options *options, uint32_t *ids, size_t cap,
                        size_t *n_ids, ctok_diag *diag)
{
    if (!e || (!text && len) || (!ids && cap) || !n_ids)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    return ctok__encoder_run(e, text, len, options, ids, cap, false, n_ids, NULL, diag);
}

int ctok_encode(const ctok_model *model, const uint8_t *text, size_t len,
                const ctok_encode_options *options, uint32_t *ids, size_t cap, size_t *n_ids,
                ctok_diag *diag)
{
    ctok_encoder *e;
    int rc = ctok__encoder_new_one_call(model, &e);
    if (rc)
        return ctok__fail(diag, rc, 0, 0, "%s", ctok_strerror(rc));
    rc = ctok_encoder_encode(e, text, len, options, ids, cap, n_ids, diag);
    ctok_encoder_free(e);
    return rc;
}
