/*
 * train.c - the trainer object: takes text, keeps what training needs, and makes the model.
 *
 * Character training keeps only the set of code points seen (streaming, any size).  Regex
 * training splits the text with the pattern as it arrives (minbpe's findall: text the pattern does
 * not match is left out) and keeps only the table of unique chunks with their counts, in order of
 * first appearance; only the tail after the last place where the split is certain is carried to
 * the next feed.  Basic training (no split) keeps the whole text, which is its one chunk.  Both
 * hand their chunks to the merge learner (train_bpe.c).
 */
#include "chunk_count.h"
#include "model.h"
#include "train_bpe.h"

struct ctok_trainer {
    ctok_allocator mem;
    ctok_train_options opt;
    uint8_t *pattern;
    ctok__splitter *splitter;
    /* specials, copied */
    uint8_t **special_text;
    size_t *special_len;
    int64_t *special_id;
    /* basic: the corpus so far; regex: the tail not yet split for certain */
    uint8_t *text;
    size_t len, cap;
    /* regex: unique chunks counted so far, and pieces found since the last certain boundary */
    ctok__chunk_counter chunks;
    ctok__split_scratch *scratch;
    size_t *pending;
    size_t pending_len, pending_cap;
    /* character training: code points seen, and an incomplete UTF-8 sequence between feeds */
    uint8_t *seen;
    uint8_t carry[4];
    size_t carry_len;
    uint64_t fed; /* bytes fed so far */
    bool spent;
};

#define N_CODEPOINTS 0x110000

static const char PATTERN_GPT2[] =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
static const char PATTERN_GPT4[] =
    "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|"
    "\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";
static const char PATTERN_O200K[] =
    "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
    "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+"
    "[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const char *ctok_pattern_by_name(const char *name)
{
    if (!name)
        return NULL;
    if (!strcmp(name, "gpt2"))
        return PATTERN_GPT2;
    if (!strcmp(name, "gpt4") || !strcmp(name, "cl100k"))
        return PATTERN_GPT4;
    if (!strcmp(name, "o200k"))
        return PATTERN_O200K;
    return NULL;
}

void ctok_trainer_free(ctok_trainer *t)
{
    if (!t)
        return;
    ctok_allocator m = t->mem;
    for (size_t i = 0; t->special_text && i < t->opt.n_special; i++)
        ctok__free(&m, t->special_text[i]);
    ctok__free(&m, t->special_text);
    ctok__free(&m, t->special_len);
    ctok__free(&m, t->special_id);
    ctok__free(&m, t->pattern);
    ctok__split_scratch_free(t->splitter, t->scratch);
    ctok__splitter_free(t->splitter);
    ctok__chunk_counter_free(&t->chunks);
    ctok__free(&m, t->pending);
    ctok__free(&m, t->text);
    ctok__free(&m, t->seen);
    ctok__free(&m, t);
}

static int check_specials(const ctok_train_options *o, ctok_diag *diag)
{
    for (size_t i = 0; i < o->n_special; i++) {
        const ctok_bytes *s = &o->special[i];
        if (!s->ptr || s->len == 0)
            return ctok__fail(diag, CTOK_EINVAL, 0, 0, "special token %zu is empty", i + 1);
        int64_t id = o->special_ids ? o->special_ids[i] : -1;
        if (id >= 0 && (uint64_t)id < o->vocab_size)
            return ctok__fail(diag, CTOK_EINVAL, 0, 0,
                              "special token '%.*s' has id %lld, inside the %zu ids of the "
                              "ordinary vocabulary", (int)s->len, (const char *)s->ptr,
                              (long long)id, o->vocab_size);
        if (id >= (int64_t)UINT32_MAX)
            return ctok__fail(diag, CTOK_EINVAL, 0, 0, "special token id %lld is too large",
                              (long long)id);
        for (size_t j = 0; j < i; j++) {
            const ctok_bytes *r = &o->special[j];
            if (r->len == s->len && !memcmp(r->ptr, s->ptr, s->len))
                return ctok__fail(diag, CTOK_EINVAL, 0, 0, "special token '%.*s' is given twice",
                                  (int)s->len, (const char *)s->ptr);
            if (id >= 0 && o->special_ids[j] == id)
                return ctok__fail(diag, CTOK_EINVAL, 0, 0, "two special tokens have id %lld",
                                  (long long)id);
        }
    }
    return CTOK_OK;
}

static int copy_specials(ctok_trainer *t, const ctok_train_options *o)
{
    size_t n = o->n_special;
    t->special_text = ctok__calloc(&t->mem, n + 1, sizeof *t->special_text);
    t->special_len = ctok__calloc(&t->mem, n + 1, sizeof *t->special_len);
    t->special_id = ctok__calloc(&t->mem, n + 1, sizeof *t->special_id);
    if (!t->special_text || !t->special_len || !t->special_id)
        return CTOK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        t->special_text[i] = ctok__memdup(&t->mem, o->special[i].ptr, o->special[i].len);
        if (!t->special_text[i])
            return CTOK_ENOMEM;
        t->special_len[i] = o->special[i].len;
        t->special_id[i] = o->special_ids ? o->special_ids[i] : -1;
    }
    return CTOK_OK;
}

int ctok_trainer_new(const ctok_train_options *o, ctok_trainer **out, ctok_diag *diag)
{
    if (!o || !out)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    if (o->type != CTOK_TRAIN_CHAR && o->type != CTOK_TRAIN_BASIC && o->type != CTOK_TRAIN_REGEX)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "unknown training type %d", (int)o->type);
    if (o->type != CTOK_TRAIN_CHAR && o->vocab_size < 256)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0,
                          "vocabulary size %zu is below 256 (the single bytes)", o->vocab_size);
    if (o->type != CTOK_TRAIN_CHAR && o->vocab_size > (size_t)UINT32_MAX / 2)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "vocabulary size %zu is too large",
                          o->vocab_size);
    if (o->type == CTOK_TRAIN_REGEX && o->pattern.len == 0)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "regex training needs a split pattern");
    if (o->ties != CTOK_TIES_FIRST_SEEN && o->ties != CTOK_TIES_SMALLEST_PAIR)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "unknown tie rule %d", (int)o->ties);
    if (o->type == CTOK_TRAIN_CHAR && o->n_special)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0,
                          "character vocabularies do not take special tokens");
    int rc = check_specials(o, diag);
    if (rc)
        return rc;
    ctok_allocator mem;
    ctok__mem_init(&mem, o->alloc);
    ctok_trainer *t = ctok__calloc(&mem, 1, sizeof *t);
    if (!t)
        return ctok__fail(diag, CTOK_ENOMEM, 0, 0, "out of memory");
    t->mem = mem;
    t->opt = *o;
    rc = copy_specials(t, o);
    if (!rc && o->type == CTOK_TRAIN_REGEX) {
        t->pattern = ctok__memdup(&mem, o->pattern.ptr, o->pattern.len);
        rc = t->pattern ? ctok__splitter_new(&mem, o->pattern.ptr, o->pattern.len, &t->splitter,
                                             diag)
                        : CTOK_ENOMEM;
        if (!rc)
            rc = ctok__split_scratch_new(t->splitter, &t->scratch);
        if (!rc)
            rc = ctok__chunk_counter_init(&t->chunks, &t->mem);
    }
    if (!rc && o->type == CTOK_TRAIN_CHAR) {
        t->seen = ctok__calloc(&mem, N_CODEPOINTS / 8, 1);
        rc = t->seen ? CTOK_OK : CTOK_ENOMEM;
    }
    /* the options now point at the trainer's own copies */
    t->opt.special = NULL;
    t->opt.special_ids = NULL;
    t->opt.pattern.ptr = t->pattern;
    if (rc) {
        ctok_trainer_free(t);
        if (rc == CTOK_ENOMEM)
            ctok__fail(diag, rc, 0, 0, "out of memory");
        return rc;
    }
    *out = t;
    return CTOK_OK;
}

/* s[0..n) is the start of a well-formed multi-byte sequence cut off by the end of the input. */
static bool utf8_truncated(const uint8_t *s, size_t n)
{
    if (n == 0 || n >= 4 || s[0] < 0xC2 || s[0] > 0xF4)
        return false;
    size_t need = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
    return n < need && ctok__utf8_invalid_len(s, n) == n;
}

static int feed_chars(ctok_trainer *t, const uint8_t *text, size_t len, ctok_diag *diag)
{
    size_t i = 0;
    /* finish a sequence split across feeds */
    while (t->carry_len && i < len) {
        t->carry[t->carry_len++] = text[i++];
        uint32_t cp;
        size_t k = ctok__utf8_decode(t->carry, t->carry_len, &cp);
        if (k) {
            t->seen[cp / 8] |= (uint8_t)(1u << (cp % 8));
            t->carry_len = 0;
        } else if (!utf8_truncated(t->carry, t->carry_len)) {
            uint64_t at = t->fed - (t->carry_len - 1 - (i - 1));
            return ctok__fail(diag, CTOK_EUTF8, 0, at,
                              "invalid UTF-8 byte 0x%02X at byte offset %llu", t->carry[0],
                              (unsigned long long)at);
        }
    }
    while (i < len) {
        uint32_t cp;
        size_t k = ctok__utf8_decode(text + i, len - i, &cp);
        if (k == 0) {
            if (utf8_truncated(text + i, len - i)) {
                memcpy(t->carry, text + i, len - i);
                t->carry_len = len - i;
                break;
            }
            uint64_t at = t->fed + i;
            return ctok__fail(diag, CTOK_EUTF8, 0, at,
                              "invalid UTF-8 byte 0x%02X at byte offset %llu", text[i],
                              (unsigned long long)at);
        }
        t->seen[cp / 8] |= (uint8_t)(1u << (cp % 8));
        i += k;
    }
    return CTOK_OK;
}

/* Split t->text[0 .. t->len) and count the pieces up to the last certain boundary (all of them
 * when final); keep the rest for the next feed. */
static int count_pieces(ctok_trainer *t, bool final)
{
    ctok__split_iter it;
    ctok__split_begin(&it, t->splitter, t->scratch, t->text, t->len, false);
    size_t s, e, done = 0;
    int rc;
    t->pending_len = 0;
    while ((rc = ctok__split_next(&it, &s, &e)) == 1) {
        if (!final && ctok__split_certain_boundary(t->text, t->len, s)) {
            for (size_t i = 0; i < t->pending_len; i += 2) {
                rc = ctok__chunk_counter_add(&t->chunks, t->text + t->pending[i],
                                             t->pending[i + 1] - t->pending[i], 1);
                if (rc)
                    return rc;
            }
            t->pending_len = 0;
            done = s;
        }
        rc = ctok__grow(&t->mem, (void **)&t->pending, &t->pending_cap, t->pending_len + 2,
                        sizeof *t->pending);
        if (rc)
            return rc;
        t->pending[t->pending_len++] = s;
        t->pending[t->pending_len++] = e;
    }
    if (rc < 0)
        return rc;
    if (final) {
        for (size_t i = 0; i < t->pending_len; i += 2) {
            rc = ctok__chunk_counter_add(&t->chunks, t->text + t->pending[i],
                                         t->pending[i + 1] - t->pending[i], 1);
            if (rc)
                return rc;
        }
        done = t->len;
    }
    if (done) {
        memmove(t->text, t->text + done, t->len - done);
        t->len -= done;
    }
    return CTOK_OK;
}

int ctok_trainer_feed(ctok_trainer *t, const uint8_t *text, size_t len, ctok_diag *diag)
{
    if (!t || (!text && len) || t->spent)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    int rc;
    if (t->opt.type == CTOK_TRAIN_CHAR) {
        rc = feed_chars(t, text, len, diag);
    } else {
        rc = ctok__grow(&t->mem, (void **)&t->text, &t->cap, t->len + len, 1);
        if (rc)
            return ctok__fail(diag, rc, 0, t->fed, "cannot hold %zu bytes of text: %s",
                              t->len + len, ctok_strerror(rc));
        if (len)
            memcpy(t->text + t->len, text, len);
        t->len += len;
        if (t->opt.type == CTOK_TRAIN_REGEX) {
            rc = count_pieces(t, false);
            if (rc)
                return ctok__fail(diag, rc, 0, t->fed, "splitting the text failed: %s",
                                  ctok_strerror(rc));
        }
    }
    t->fed += len;
    if (!rc && t->opt.progress) {
        ctok_train_progress p = {t->fed, t->chunks.n, 0, 0};
        t->opt.progress(t->opt.progress_user, &p);
    }
    return rc;
}

static int finish_chars(ctok_trainer *t, ctok_model **out, ctok_diag *diag)
{
    if (t->carry_len)
        return ctok__fail(diag, CTOK_EUTF8, 0, t->fed - t->carry_len,
                          "truncated UTF-8 sequence at the end of the text (byte offset %llu)",
                          (unsigned long long)(t->fed - t->carry_len));
    size_t n = 0;
    for (uint32_t cp = 0; cp < N_CODEPOINTS; cp++)
        n += (t->seen[cp / 8] >> (cp % 8)) & 1;
    uint32_t *cps = ctok__alloc(&t->mem, (n ? n : 1) * sizeof *cps);
    if (!cps)
        return ctok__fail(diag, CTOK_ENOMEM, 0, 0, "out of memory");
    n = 0;
    for (uint32_t cp = 0; cp < N_CODEPOINTS; cp++)
        if ((t->seen[cp / 8] >> (cp % 8)) & 1)
            cps[n++] = cp;
    ctok_model *m = NULL;
    int rc = ctok__model_new(&t->mem, CTOK_MODEL_CHAR, &m);
    if (!rc)
        rc = ctok__model_set_chars(m, cps, n);
    if (!rc)
        rc = ctok__model_finish(m, false);
    ctok__free(&t->mem, cps);
    if (rc) {
        ctok_model_free(m);
        return ctok__fail(diag, rc, 0, 0, "%s", ctok_strerror(rc));
    }
    *out = m;
    return CTOK_OK;
}

static int build_bpe_model(ctok_trainer *t, const uint32_t *merges, size_t n_merges,
                           ctok_model **out, ctok_diag *diag)
{
    ctok_model *m = NULL;
    int rc = ctok__model_new_bytes(&t->mem, &m);
    for (size_t i = 0; !rc && i < n_merges; i++)
        rc = ctok__model_add_merge(m, merges[2 * i], merges[2 * i + 1], (uint32_t)(256 + i));
    /* specials: given ids, the others in order after the merges (skipping given ids) */
    uint64_t next_id = 256 + n_merges;
    for (size_t i = 0; !rc && i < t->opt.n_special; i++) {
        int64_t id = t->special_id[i];
        if (id < 0) {
            for (bool taken = true; taken;) {
                taken = false;
                for (size_t j = 0; j < t->opt.n_special; j++)
                    if (t->special_id[j] == (int64_t)next_id)
                        taken = true;
                if (taken)
                    next_id++;
            }
            id = (int64_t)next_id++;
        }
        rc = ctok__model_add_special(m, t->special_text[i], t->special_len[i], (uint32_t)id);
    }
    if (!rc && t->opt.type == CTOK_TRAIN_REGEX)
        rc = ctok__model_set_pattern(m, t->pattern, t->opt.pattern.len, diag);
    if (!rc)
        rc = ctok__model_finish(m, false);
    if (rc) {
        ctok_model_free(m);
        return ctok__fail(diag, rc, 0, 0, "cannot build the model: %s", ctok_strerror(rc));
    }
    *out = m;
    return CTOK_OK;
}

int ctok_trainer_finish(ctok_trainer *t, ctok_model **out, ctok_diag *diag)
{
    if (!t || !out || t->spent)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    t->spent = true;
    if (t->opt.type == CTOK_TRAIN_CHAR)
        return finish_chars(t, out, diag);
    int rc = CTOK_OK;
    if (t->opt.type == CTOK_TRAIN_REGEX) {
        rc = count_pieces(t, true);
    } else {
        rc = ctok__chunk_counter_init(&t->chunks, &t->mem);
        if (!rc && t->len)
            rc = ctok__chunk_counter_add(&t->chunks, t->text, t->len, 1);
    }
    /* the text is no longer needed: free it before the learner allocates */
    ctok__free(&t->mem, t->text);
    t->text = NULL;
    t->len = t->cap = 0;
    uint32_t *merges = NULL;
    size_t n_merges = 0;
    if (!rc) {
        ctok__chunk_table table = {t->chunks.bytes, t->chunks.end, t->chunks.weight, t->chunks.n};
        ctok__merge_options mo = {t->opt.vocab_size - 256, t->opt.ties, t->opt.min_frequency,
                                  t->opt.progress, t->opt.progress_user,
                                  {t->fed, t->chunks.n, 0, t->opt.vocab_size - 256}};
        rc = ctok__learn_merges(&t->mem, &table, &mo, &merges, &n_merges);
    }
    ctok__chunk_counter_free(&t->chunks);
    if (rc) {
        ctok__free(&t->mem, merges);
        return ctok__fail(diag, rc, 0, 0, "training failed: %s", ctok_strerror(rc));
    }
    rc = build_bpe_model(t, merges, n_merges, out, diag);
    ctok__free(&t->mem, merges);
    return rc;
}
