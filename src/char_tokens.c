/*
 * char_tokens.c - characters that a merge may start from whole, as one token each.
 *
 * A piece of Chinese or Russian is merged from its bytes, and most of the merges only rebuild
 * its characters (two of every three merges in a run of three-byte characters).  Starting from
 * the characters' tokens is exact when no merge could have joined a part of the character to a
 * neighbour.  Merging the character's own bytes alone gives the token T with merges of rank at
 * most rmax; the symbols at its left end along the way (its first byte, ..., T) are its left
 * parts, those at its right end its right parts.  While the character is not yet whole, one of
 * its own merges, of rank <= rmax, is always there to be made, so no merge of rank above rmax
 * happens anywhere before it is whole; if every pair that joins a symbol ending where the
 * character starts to one of its left parts ranks above rmax, and so every pair joining one of
 * its right parts to what follows, then nothing crosses its edges before it is whole, its own
 * merges go as they would alone, and T's own pairs come after.  The merges outside it are then
 * those, in the same order, of the text with T in its place.
 *
 * Which pairs can join at an edge depends on the byte beside it (the symbol before the
 * character always ends with that byte): after a continuation byte (inside a run of multi-byte
 * characters) or after anything else; before a lead byte or before anything else; and at the
 * start or end of the piece nothing joins.  So each character has four flags (test_char_tokens.c
 * checks them against the reference merger).  Characters of two and three bytes (U+0080-U+FFFF)
 * only.
 */
#include "bpe.h"

/* The least rank of the pairs whose right part is each id, by the class of the left part's last
 * byte (min_left), and of the pairs whose left part is each id, by the class of the right part's
 * first byte (min_right). */
typedef struct edge_ranks {
    uint32_t *min_left[2], *min_right[2];
} edge_ranks;

static void edge_ranks_free(const ctok_allocator *mem, edge_ranks *e)
{
    for (int c = 0; c < 2; c++) {
        ctok__free(mem, e->min_left[c]);
        ctok__free(mem, e->min_right[c]);
    }
}

static int edge_ranks_make(const ctok_model *m, edge_ranks *e)
{
    memset(e, 0, sizeof *e);
    for (int c = 0; c < 2; c++) {
        e->min_left[c] = ctok__alloc(&m->mem, m->n_vocab * sizeof(uint32_t));
        e->min_right[c] = ctok__alloc(&m->mem, m->n_vocab * sizeof(uint32_t));
        if (!e->min_left[c] || !e->min_right[c]) {
            edge_ranks_free(&m->mem, e);
            return CTOK_ENOMEM;
        }
        memset(e->min_left[c], 0xFF, m->n_vocab * sizeof(uint32_t));
        memset(e->min_right[c], 0xFF, m->n_vocab * sizeof(uint32_t));
    }
    const ctok__u64map *map = &m->pair_to_id;
    for (size_t i = 0; i < map->cap; i++) {
        if (!map->tags[i])
            continue;
        uint32_t left = (uint32_t)(map->slots[i].key >> 32), right = (uint32_t)map->slots[i].key;
        uint32_t merged = map->slots[i].val;
        if (left >= m->n_vocab || right >= m->n_vocab || !m->tok_len[left] || !m->tok_len[right])
            continue;
        uint8_t last = m->arena[m->tok_off[left] + m->tok_len[left] - 1];
        uint8_t first = m->arena[m->tok_off[right]];
        uint32_t *l = &e->min_left[ctok__char_left_class(last)][right];
        uint32_t *r = &e->min_right[ctok__char_right_class(first)][left];
        *l = merged < *l ? merged : *l;
        *r = merged < *r ? merged : *r;
    }
    return CTOK_OK;
}

/* The entry of the character whose n (2 or 3) bytes are b: merged alone, step by step (leftmost
 * least rank), then the flags from its left and right parts. */
static uint32_t char_entry(const ctok_model *m, const edge_ranks *e, const uint8_t *b, size_t n)
{
    uint32_t sym[3], rmax = 0;
    uint32_t lefts[3], rights[3]; /* the end symbols along the way (at most n each) */
    size_t k = n, nl = 0, nr = 0;
    for (size_t i = 0; i < n; i++)
        sym[i] = m->byte_id[b[i]];
    lefts[nl++] = sym[0];
    rights[nr++] = sym[n - 1];
    while (k > 1) {
        size_t at = 0;
        uint32_t best = CTOK__NO_ID;
        for (size_t i = 0; i + 1 < k; i++) {
            uint32_t r = ctok__pair_merged(m, ctok__pair_key(sym[i], sym[i + 1]));
            if (r < best) {
                best = r;
                at = i;
            }
        }
        if (best == CTOK__NO_ID)
            return 0; /* not one token */
        rmax = best > rmax ? best : rmax;
        sym[at] = best;
        for (size_t i = at + 1; i + 1 < k; i++)
            sym[i] = sym[i + 1];
        k--;
        if (at == 0)
            lefts[nl++] = sym[0];
        if (at == k - 1)
            rights[nr++] = sym[k - 1];
    }
    if (sym[0] > CTOK__CHAR_ID_MASK)
        return 0;
    uint32_t entry = CTOK__CHAR_WHOLE | sym[0];
    for (unsigned c = 0; c < 2; c++) { /* no pair at all ranks CTOK__NO_ID, above every rmax */
        bool left_ok = true, right_ok = true;
        for (size_t i = 0; i < nl; i++)
            left_ok &= e->min_left[c][lefts[i]] > rmax;
        for (size_t i = 0; i < nr; i++)
            right_ok &= e->min_right[c][rights[i]] > rmax;
        entry |= left_ok ? CTOK__CHAR_LEFT_OK << c : 0;
        entry |= right_ok ? CTOK__CHAR_RIGHT_OK << c : 0;
    }
    return entry;
}

int ctok__char_tokens_build(ctok_model *m)
{
    m->char_tokens = NULL;
    if (!m->byte_pairs)
        return CTOK_OK;
    uint32_t *t = ctok__alloc(&m->mem, CTOK__CHAR_TOKENS * sizeof *t);
    edge_ranks e;
    int rc = t ? edge_ranks_make(m, &e) : CTOK_ENOMEM;
    if (rc) {
        ctok__free(&m->mem, t);
        return rc;
    }
    for (uint32_t cp = 0; cp < CTOK__CHAR_TOKENS; cp++) {
        uint8_t b[3];
        size_t n;
        if (cp < 0x80 || (cp >= 0xD800 && cp < 0xE000)) { /* ASCII; surrogates are not UTF-8 */
            t[cp] = 0;
            continue;
        }
        if (cp < 0x800) {
            b[0] = (uint8_t)(0xC0 | cp >> 6);
            b[1] = (uint8_t)(0x80 | (cp & 0x3F));
            n = 2;
        } else {
            b[0] = (uint8_t)(0xE0 | cp >> 12);
            b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
            b[2] = (uint8_t)(0x80 | (cp & 0x3F));
            n = 3;
        }
        t[cp] = char_entry(m, &e, b, n);
    }
    edge_ranks_free(&m->mem, &e);
    m->char_tokens = t;
    return CTOK_OK;
}

size_t ctok__char_symbols(const ctok_model *m, const uint8_t *p, size_t n, uint32_t *ids)
{
    size_t k = 0, i = 0;
    for (; i < n && p[i] < 0xC2; i++) /* up to the first lead byte (all of an ASCII piece) */
        ids[k++] = m->byte_id[p[i]];
    while (i < n) {
        uint8_t b = p[i];
        uint32_t cp = 0;
        size_t len = 0;
        if (b >= 0xC2 && b < 0xE0 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
            cp = (uint32_t)(b & 0x1F) << 6 | (p[i + 1] & 0x3F);
            len = 2;
        } else if ((b & 0xF0) == 0xE0 && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
                   (p[i + 2] & 0xC0) == 0x80) {
            cp = (uint32_t)(b & 0x0F) << 12 | (uint32_t)(p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F);
            len = cp >= 0x800 ? 3 : 0; /* an overlong form is not the character's bytes */
        }
        if (len) {
            uint32_t e = m->char_tokens[cp];
            uint32_t need = CTOK__CHAR_WHOLE |
                            (i ? CTOK__CHAR_LEFT_OK << ctok__char_left_class(p[i - 1]) : 0) |
                            (i + len < n ? CTOK__CHAR_RIGHT_OK << ctok__char_right_class(p[i + len])
                                         : 0);
            if ((e & need) == need) {
                ids[k++] = e & CTOK__CHAR_ID_MASK;
                i += len;
                continue;
            }
        }
        ids[k++] = m->byte_id[b];
        i++;
    }
    return k;
}
