/*
 * model.c - building, querying and freeing models.  Loaders (model_io.c, later the tiktoken and
 * GPT-2 loaders) and the trainer fill a model through the ctok__model_* builders, then call
 * ctok__model_finish, after which the model is immutable and may be shared between threads.
 */
#include "model.h"

int ctok__model_new(const ctok_allocator *alloc, ctok_model_kind kind, ctok_model **out)
{
    ctok_allocator mem;
    ctok__mem_init(&mem, alloc);
    ctok_model *m = ctok__calloc(&mem, 1, sizeof *m);
    if (!m)
        return CTOK_ENOMEM;
    m->mem = mem;
    m->kind = kind;
    m->first_duplicate = CTOK__NO_ID;
    for (int b = 0; b < 256; b++)
        m->byte_id[b] = CTOK__NO_ID;
    for (int c = 0; c < 128; c++)
        m->ascii_id[c] = CTOK__NO_ID;
    *out = m;
    return CTOK_OK;
}

void ctok_model_free(ctok_model *m)
{
    if (!m)
        return;
    ctok_allocator mem = m->mem;
    if (!m->borrowed) {
        ctok__free(&mem, m->arena);
        ctok__free(&mem, m->tok_off);
        ctok__free(&mem, m->tok_len);
        ctok__free(&mem, m->tok_special);
        ctok__free(&mem, m->merges);
        ctok__u64map_free(&m->pair_to_id, &mem);
        ctok__pair_filter_free(&m->pair_filter, &mem);
        ctok__pair_table_free(&m->pair_table, &mem);
        ctok__free(&mem, m->byte_pairs);
        ctok__free(&mem, m->char_tokens);
        ctok__free(&mem, m->spanned);
        ctok__bytesmap_free(&m->id_by_bytes, &mem);
        ctok__short_tokens_free(&m->short_tokens, &mem);
        ctok__free(&mem, m->special_ids);
        ctok__free(&mem, m->special_off);
        ctok__free(&mem, m->special_len);
        ctok__bytesmap_free(&m->special_by_bytes, &mem);
    }
    ctok__free(&mem, m->pattern);
    ctok__splitter_free(m->splitter);
    ctok__free(&mem, m->chars);
    ctok__free(&mem, m);
}

static int ensure_ids(ctok_model *m, size_t n)
{
    if (n <= m->tok_cap)
        return CTOK_OK;
    size_t cap = m->tok_cap, cap2 = m->tok_cap, cap3 = m->tok_cap;
    int rc = ctok__grow(&m->mem, (void **)&m->tok_off, &cap, n, sizeof *m->tok_off);
    if (!rc)
        rc = ctok__grow(&m->mem, (void **)&m->tok_len, &cap2, n, sizeof *m->tok_len);
    if (!rc)
        rc = ctok__grow(&m->mem, (void **)&m->tok_special, &cap3, n, 1);
    if (rc)
        return rc;
    /* the three grew in step unless one failed above; zero the new tail (a gap's offset too, so
     * that a model's arrays, and the blobs made from them, do not depend on what malloc left) */
    memset(m->tok_off + m->tok_cap, 0, (cap - m->tok_cap) * sizeof *m->tok_off);
    memset(m->tok_len + m->tok_cap, 0, (cap2 - m->tok_cap) * sizeof *m->tok_len);
    memset(m->tok_special + m->tok_cap, 0, cap3 - m->tok_cap);
    m->tok_cap = cap2 < cap ? (cap2 < cap3 ? cap2 : cap3) : (cap < cap3 ? cap : cap3);
    return CTOK_OK;
}

int ctok__model_reserve(ctok_model *m, size_t n_ids, size_t arena_bytes)
{
    int rc = n_ids > CTOK_ID_LIMIT ? CTOK_ETOOBIG : ensure_ids(m, n_ids);
    if (!rc && arena_bytes > SIZE_MAX - m->arena_len)
        rc = CTOK_ETOOBIG;
    if (!rc)
        rc = ctok__grow(&m->mem, (void **)&m->arena, &m->arena_cap, m->arena_len + arena_bytes, 1);
    return rc;
}

/* Give id the n bytes already appended at arena[off ..). */
static int place_token(ctok_model *m, uint32_t id, size_t off, size_t n, bool special)
{
    if (n == 0 || n > UINT32_MAX || id == CTOK__NO_ID)
        return CTOK_EINVAL;
    if (id >= CTOK_ID_LIMIT) /* the loaders say which id; this keeps any caller from the tables */
        return CTOK_ETOOBIG;
    int rc = ensure_ids(m, (size_t)id + 1);
    if (rc)
        return rc;
    if (m->tok_len[id])
        return CTOK_EINVAL;
    m->tok_off[id] = off;
    m->tok_len[id] = (uint32_t)n;
    m->tok_special[id] = special;
    m->arena_len = off + n;
    if (id + 1 > m->n_vocab)
        m->n_vocab = (size_t)id + 1;
    if (n == 1 && !special && m->byte_id[m->arena[off]] == CTOK__NO_ID)
        m->byte_id[m->arena[off]] = id;
    return CTOK_OK;
}

int ctok__model_set_token(ctok_model *m, uint32_t id, const uint8_t *p, size_t n, bool special)
{
    int rc = ctok__grow(&m->mem, (void **)&m->arena, &m->arena_cap, m->arena_len + n, 1);
    if (rc)
        return rc;
    memcpy(m->arena + m->arena_len, p, n);
    return place_token(m, id, m->arena_len, n, special);
}

int ctok__model_add_merge(ctok_model *m, uint32_t left, uint32_t right, uint32_t result)
{
    if (!ctok__model_has_token(m, left) || !ctok__model_has_token(m, right) ||
        m->tok_special[left] || m->tok_special[right])
        return CTOK_EINVAL;
    size_t ll = m->tok_len[left], rl = m->tok_len[right];
    int rc = ctok__grow(&m->mem, (void **)&m->arena, &m->arena_cap, m->arena_len + ll + rl, 1);
    if (!rc)
        rc = ctok__grow(&m->mem, (void **)&m->merges, &m->merges_cap, (m->n_merges + 1) * 3,
                        sizeof *m->merges);
    if (rc)
        return rc;
    uint8_t *dst = m->arena + m->arena_len;
    memcpy(dst, m->arena + m->tok_off[left], ll);
    memcpy(dst + ll, m->arena + m->tok_off[right], rl);
    rc = place_token(m, result, m->arena_len, ll + rl, false);
    if (rc)
        return rc;
    m->merges[m->n_merges * 3] = left;
    m->merges[m->n_merges * 3 + 1] = right;
    m->merges[m->n_merges * 3 + 2] = result;
    m->n_merges++;
    return CTOK_OK;
}

int ctok__model_add_special(ctok_model *m, const uint8_t *p, size_t n, uint32_t id)
{
    if (n == 0 || n > UINT32_MAX || id == CTOK__NO_ID)
        return CTOK_EINVAL;
    size_t cap1 = m->special_cap, cap2 = m->special_cap, cap3 = m->special_cap;
    int rc = ctok__grow(&m->mem, (void **)&m->special_ids, &cap1, m->n_special + 1,
                        sizeof *m->special_ids);
    if (!rc)
        rc = ctok__grow(&m->mem, (void **)&m->special_off, &cap2, m->n_special + 1,
                        sizeof *m->special_off);
    if (!rc)
        rc = ctok__grow(&m->mem, (void **)&m->special_len, &cap3, m->n_special + 1,
                        sizeof *m->special_len);
    if (rc)
        return rc;
    m->special_cap = cap1 < cap2 ? (cap1 < cap3 ? cap1 : cap3) : (cap2 < cap3 ? cap2 : cap3);
    bool alias = ctok__model_has_token(m, id);
    if (alias && !m->tok_special[id])
        return CTOK_EINVAL; /* an ordinary token's id */
    if (alias) {
        /* another name for a special id: its text goes to the arena, the id keeps its bytes */
        rc = ctok__grow(&m->mem, (void **)&m->arena, &m->arena_cap, m->arena_len + n, 1);
        if (rc)
            return rc;
        memcpy(m->arena + m->arena_len, p, n);
        m->special_off[m->n_special] = m->arena_len;
        m->arena_len += n;
    } else {
        rc = ctok__model_set_token(m, id, p, n, true);
        if (rc)
            return rc;
        m->special_off[m->n_special] = m->tok_off[id];
    }
    m->special_len[m->n_special] = (uint32_t)n;
    m->special_ids[m->n_special++] = id;
    return CTOK_OK;
}

int ctok__model_set_pattern(ctok_model *m, const uint8_t *p, size_t n, ctok_diag *diag)
{
    uint8_t *copy = ctok__memdup(&m->mem, p, n);
    if (!copy)
        return CTOK_ENOMEM;
    ctok__splitter *sp = NULL;
    if (n) {
        int rc = ctok__splitter_new(&m->mem, p, n, &sp, diag);
        if (rc) {
            ctok__free(&m->mem, copy);
            return rc;
        }
    }
    ctok__free(&m->mem, m->pattern);
    ctok__splitter_free(m->splitter);
    m->pattern = copy;
    m->pattern_len = n;
    m->splitter = sp;
    return CTOK_OK;
}

int ctok__model_set_chars(ctok_model *m, const uint32_t *cps, size_t n)
{
    m->chars = ctok__alloc(&m->mem, n * sizeof *cps);
    if (!m->chars)
        return CTOK_ENOMEM;
    m->n_chars = n;
    for (size_t i = 0; i < n; i++) {
        m->chars[i] = cps[i];
        if (i && cps[i] <= cps[i - 1])
            return CTOK_EINVAL;
        uint8_t buf[4];
        size_t len = ctok__utf8_encode(cps[i], buf);
        int rc = ctok__model_set_token(m, (uint32_t)i, buf, len, false);
        if (rc)
            return rc;
        if (cps[i] < 128)
            m->ascii_id[cps[i]] = (uint32_t)i;
    }
    return CTOK_OK;
}

uint32_t ctok__model_char_id(const ctok_model *m, uint32_t cp)
{
    if (cp < 128)
        return m->ascii_id[cp];
    size_t lo = 0, hi = m->n_chars;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->chars[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n_chars && m->chars[lo] == cp ? (uint32_t)lo : CTOK__NO_ID;
}

/* The pair map of a model with merges (minbpe's): each merge's pair, once. */
static int pairs_from_merges(ctok_model *m)
{
    for (size_t i = 0; i < m->n_merges; i++) {
        uint32_t *slot;
        bool found;
        int rc = ctok__u64map_put(&m->pair_to_id, &m->mem,
                                  ctok__pair_key(m->merges[3 * i], m->merges[3 * i + 1]), &slot,
                                  &found);
        if (rc)
            return rc;
        if (found)
            return CTOK_EINVAL; /* the same pair merged twice */
        *slot = m->merges[3 * i + 2];
    }
    return CTOK_OK;
}

int ctok__token_map_build(const ctok_model *m, size_t min_len, ctok__bytesmap *map,
                          uint32_t *first_duplicate)
{
    /* size the map by the tokens there are, not by the id range (which may have holes) */
    size_t n = 0;
    for (uint32_t id = 0; id < m->n_vocab; id++)
        n += m->tok_len[id] >= min_len && !m->tok_special[id];
    int rc = ctok__bytesmap_init(map, &m->mem, n);
    if (rc)
        return rc;
    if (first_duplicate)
        *first_duplicate = CTOK__NO_ID;
    uint32_t *slot;
    bool found;
    for (uint32_t id = 0; id < m->n_vocab; id++) {
        /* prefetch the slots a little ahead, so that the puts' cache misses overlap */
        uint32_t ahead = id + 16;
        if ((id & 15) == 0 && ahead < m->n_vocab)
            for (uint32_t k = ahead; k < ahead + 16 && k < m->n_vocab; k++)
                if (m->tok_len[k] >= min_len)
                    ctok__bytesmap_prefetch(map, m->arena + m->tok_off[k], m->tok_len[k]);
        if (m->tok_len[id] < min_len || m->tok_special[id])
            continue;
        rc = ctok__bytesmap_put(map, &m->mem, m->arena, m->tok_off[id], m->tok_len[id], &slot,
                                &found);
        if (rc)
            return rc;
        if (!found)
            *slot = id;
        else if (first_duplicate && *first_duplicate == CTOK__NO_ID)
            *first_duplicate = id;
    }
    return CTOK_OK;
}

int ctok__model_finish(ctok_model *m, bool derive)
{
    m->whole_piece_lookup = derive;
    size_t n_tokens = 0;
    for (uint32_t id = 0; id < m->n_vocab; id++)
        n_tokens += m->tok_len[id] != 0;
    /* the short tokens go in their own table only (ctok__model_token_id asks it), so the token
     * map holds the longer ones; either may find the first id that repeats another's bytes */
    uint32_t long_duplicate = CTOK__NO_ID, short_duplicate = CTOK__NO_ID;
    int rc = ctok__token_map_build(m, CTOK__SHORT_TOKEN_BYTES + 1, &m->id_by_bytes,
                                   &long_duplicate);
    if (!rc)
        rc = ctok__short_tokens_build(&m->short_tokens, m, &short_duplicate);
    m->first_duplicate = long_duplicate < short_duplicate ? long_duplicate : short_duplicate;
    if (!rc)
        rc = ctok__bytesmap_init(&m->special_by_bytes, &m->mem, m->n_special);
    if (!rc)
        rc = ctok__u64map_init(&m->pair_to_id, &m->mem, derive ? n_tokens : m->n_merges);
    if (rc)
        return rc;
    uint32_t *slot;
    bool found;
    /* special tokens map to their index in special_ids (the encoder keeps per-call flags) */
    for (size_t i = 0; i < m->n_special; i++) {
        size_t len = m->special_len[i];
        rc = ctok__bytesmap_put(&m->special_by_bytes, &m->mem, m->arena, m->special_off[i], len,
                                &slot, &found);
        if (rc)
            return rc;
        if (found)
            return CTOK_EINVAL; /* two special tokens with the same text */
        *slot = (uint32_t)i;
        if (len < 256)
            m->special_len_mask[len / 32] |= 1u << (len % 32);
        if (len > m->special_max_len)
            m->special_max_len = len;
        uint8_t first = m->arena[m->special_off[i]];
        m->special_first_mask[first / 32] |= 1u << (first % 32);
    }
    rc = derive ? ctok__canonical_pairs(m) : pairs_from_merges(m);
    if (!rc)
        rc = ctok__pair_filter_build(&m->pair_filter, &m->mem, &m->pair_to_id);
    if (!rc)
        rc = ctok__pair_table_build(&m->pair_table, &m->mem, &m->pair_to_id);
    if (!rc)
        rc = ctok__byte_pairs_build(m);
    if (!rc)
        rc = ctok__char_tokens_build(m);
    if (!rc && !m->splitter && m->kind != CTOK_MODEL_CHAR)
        rc = ctok__spanned_build(m);
    return rc;
}

uint32_t ctok__model_token_id(const ctok_model *m, const uint8_t *p, size_t n)
{
    if (n >= 1 && n <= CTOK__SHORT_TOKEN_BYTES && m->short_tokens.slots) {
        uint64_t word = ctok__load_partial(p, n);
        return ctok__short_token_get(&m->short_tokens, word, n, ctok__short_hash(word, n));
    }
    const uint32_t *id = ctok__bytesmap_get(&m->id_by_bytes, m->arena, p, n);
    return id ? *id : CTOK__NO_ID;
}

/* ---- public queries ---- */

ctok_model_kind ctok_model_get_kind(const ctok_model *m) { return m->kind; }

size_t ctok_model_n_vocab(const ctok_model *m) { return m->n_vocab; }

size_t ctok_model_n_merges(const ctok_model *m) { return m->n_merges; }

ctok_bytes ctok_model_pattern(const ctok_model *m)
{
    ctok_bytes b = {m->pattern ? m->pattern : (const uint8_t *)"", m->pattern_len};
    return b;
}

size_t ctok_model_n_special(const ctok_model *m) { return m->n_special; }

int ctok_model_special(const ctok_model *m, size_t i, ctok_bytes *text, uint32_t *id)
{
    if (i >= m->n_special)
        return CTOK_EINVAL;
    if (text) {
        text->ptr = m->arena + m->special_off[i];
        text->len = m->special_len[i];
    }
    if (id)
        *id = m->special_ids[i];
    return CTOK_OK;
}

int ctok_model_token_bytes(const ctok_model *m, uint32_t id, ctok_bytes *out)
{
    if (!ctok__model_has_token(m, id))
        return CTOK_EUNKNOWN_ID;
    out->ptr = m->arena + m->tok_off[id];
    out->len = m->tok_len[id];
    return CTOK_OK;
}

int ctok_model_token_id(const ctok_model *m, const uint8_t *p, size_t n, uint32_t *id)
{
    uint32_t ordinary = ctok__model_token_id(m, p, n);
    if (ordinary != CTOK__NO_ID) {
        *id = ordinary;
        return CTOK_OK;
    }
    const uint32_t *v = ctok__bytesmap_get(&m->special_by_bytes, m->arena, p, n);
    if (!v)
        return CTOK_ENOTFOUND;
    *id = m->special_ids[*v];
    return CTOK_OK;
}

int ctok_model_merge(const ctok_model *m, size_t i, uint32_t *left, uint32_t *right,
                     uint32_t *result)
{
    if (i >= m->n_merges)
        return CTOK_EINVAL;
    if (left)
        *left = m->merges[3 * i];
    if (right)
        *right = m->merges[3 * i + 1];
    if (result)
        *result = m->merges[3 * i + 2];
    return CTOK_OK;
}

int ctok__model_new_bytes(const ctok_allocator *alloc, ctok_model **out)
{
    ctok_model *m = NULL;
    int rc = ctok__model_new(alloc, CTOK_MODEL_BPE, &m);
    for (int b = 0; !rc && b < 256; b++) {
        uint8_t byte = (uint8_t)b;
        rc = ctok__model_set_token(m, (uint32_t)b, &byte, 1, false);
    }
    if (rc) {
        ctok_model_free(m);
        return rc;
    }
    *out = m;
    return CTOK_OK;
}
