/*
 * train.c - the trainer object: takes text, keeps what training needs, and makes the model.
 *
 * Character training keeps only the set of code points seen (streaming, any size).  Regex
 * training collects text into batches of a few MiB per thread, splits each batch with the pattern
 * (minbpe's findall: text the pattern does not match is left out) on n_threads threads
 * (count_threads.c) and keeps only the table of unique chunks with their counts, in order of
 * first appearance; only the tail after the last place where the split is certain is carried to
 * the next batch.  Documents (ctok_trainer_feed_document) end segments that no piece spans.
 * Basic training (no split) keeps the text, which is its one chunk (one per document).  Both
 * hand their chunks to the merge learner (train_bpe.c).
 */
#include "count_threads.h"
#include "model.h"
#include "train.h"
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
    /* basic: the text since the last document; regex: the text not yet counted */
    uint8_t *text;
    size_t len, cap;
    /* regex: where documents end in text, and how much of text was carried from the last batch */
    size_t *ends;
    size_t n_ends, ends_cap;
    size_t kept;
    size_t batch_per_thread;
    /* unique chunks counted so far; regex: the threads that split and count */
    ctok__chunk_counter chunks;
    ctok__count_team *team;
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
    ctok__count_team_free(t->team);
    ctok__splitter_free(t->splitter);
    ctok__chunk_counter_free(&t->chunks);
    ctok__free(&m, t->ends);
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
        if (id >= (int64_t)CTOK_ID_LIMIT)
            return ctok__fail(diag, CTOK_EINVAL, 0, 0,
                              "special token '%.*s' has the id %lld; ids must be below %u",
                              (int)s->len, (const char *)s->ptr, (long long)id, CTOK_ID_LIMIT);
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
    if (o->type != CTOK_TRAIN_CHAR && o->vocab_size > CTOK_ID_LIMIT)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0,
                          "vocabulary size %zu is too large (ids must be below %u)",
                          o->vocab_size, CTOK_ID_LIMIT);
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
    t->batch_per_thread = CTOK__TRAIN_BATCH;
    rc = copy_specials(t, o);
    if (!rc && o->type == CTOK_TRAIN_REGEX) {
        t->pattern = ctok__memdup(&mem, o->pattern.ptr, o->pattern.len);
        rc = t->pattern ? ctok__splitter_new(&mem, o->pattern.ptr, o->pattern.len, &t->splitter,
                                             diag)
                        : CTOK_ENOMEM;
        if (!rc)
            rc = ctok__count_team_new(&t->mem, t->splitter, o->n_threads, &t->team);
    }
    if (!rc && o->type != CTOK_TRAIN_CHAR)
        rc = ctok__chunk_counter_init(&t->chunks, &t->mem);
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

void ctok__trainer_set_batch(ctok_trainer *t, size_t batch_per_thread, size_t min_part)
{
    t->batch_per_thread = batch_per_thread ? batch_per_thread : 1;
    if (t->team)
        ctok__count_team_set_min_part(t->team, min_part);
}

/* Split and count the collected text (all of it when final; else up to the last certain
 * boundary of the text after the last document) and keep the rest for the next batch. */
static int count_batch(ctok_trainer *t, bool final)
{
    ctok__count_batch b = {t->text, t->len, t->ends, t->n_ends, final};
    size_t done;
    int rc = ctok__count_team_run(t->team, &b, &t->chunks, &done);
    if (rc)
        return rc;
    /* every document end is at or before done: what is left is plain text */
    if (done < t->len)
        memmove(t->text, t->text + done, t->len - done);
    t->len -= done;
    t->kept = t->len;
    t->n_ends = 0;
    return CTOK_OK;
}

/* End a segment of the regex text at its current end (no piece spans it). */
static int end_segment(ctok_trainer *t)
{
    if (t->len == 0 || (t->n_ends && t->ends[t->n_ends - 1] == t->len))
        return CTOK_OK;
    int rc = ctok__grow(&t->mem, (void **)&t->ends, &t->ends_cap, t->n_ends + 1, sizeof *t->ends);
    if (!rc)
        t->ends[t->n_ends++] = t->len;
    return rc;
}

static int append(ctok_trainer *t, const uint8_t *text, size_t len, ctok_diag *diag)
{
    int rc = ctok__grow(&t->mem, (void **)&t->text, &t->cap, t->len + len, 1);
    if (rc)
        return ctok__fail(diag, rc, 0, t->fed, "cannot hold %zu bytes of text: %s",
                          t->len + len, ctok_strerror(rc));
    if (len)
        memcpy(t->text + t->len, text, len);
    t->len += len;
    return CTOK_OK;
}

static int feed_regex(ctok_trainer *t, const uint8_t *text, size_t len, bool document,
                      ctok_diag *diag)
{
    if (document && end_segment(t))
        return ctok__fail(diag, CTOK_ENOMEM, 0, t->fed, "out of memory");
    int rc = append(t, text, len, diag);
    if (rc)
        return rc;
    if (document && end_segment(t))
        return ctok__fail(diag, CTOK_ENOMEM, 0, t->fed, "out of memory");
    /* A batch is counted once it is full (a part per thread, but at most 16 parts' worth of
     * text held, for many threads).  Text carried over (a tail with no certain boundary, e.g.
     * megabytes of white space) is split again with the next batch, so wait until the new text
     * is at least as long as it: each byte is then split O(1) times on average. */
    size_t n_parts = t->opt.n_threads < 1 ? 1 : t->opt.n_threads > 16 ? 16 : t->opt.n_threads;
    size_t batch = t->batch_per_thread * n_parts;
    if (t->len - t->kept >= batch && t->len - t->kept >= t->kept) {
        rc = count_batch(t, false);
        if (rc)
            return ctok__fail(diag, rc, 0, t->fed, "splitting the text failed: %s",
                              ctok_strerror(rc));
    }
    return rc;
}

static int feed_basic(ctok_trainer *t, const uint8_t *text, size_t len, bool document,
                      ctok_diag *diag)
{
    int rc = CTOK_OK;
    if (document && t->len) {
        rc = ctok__chunk_counter_add(&t->chunks, t->text, t->len, 1);
        t->len = 0;
    }
    if (!rc && document && len)
        rc = ctok__chunk_counter_add(&t->chunks, text, len, 1);
    if (rc)
        return ctok__fail(diag, rc, 0, t->fed, "cannot count the text: %s", ctok_strerror(rc));
    return document ? CTOK_OK : append(t, text, len, diag);
}

static int feed(ctok_trainer *t, const uint8_t *text, size_t len, bool document, ctok_diag *diag)
{
    if (!t || (!text && len) || t->spent)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "invalid argument");
    int rc;
    if (t->opt.type == CTOK_TRAIN_CHAR) {
        if (document && t->carry_len)
            return ctok__fail(diag, CTOK_EUTF8, 0, t->fed - t->carry_len,
                              "truncated UTF-8 sequence before a document (byte offset %llu)",
                              (unsigned long long)(t->fed - t->carry_len));
        rc = feed_chars(t, text, len, diag);
        if (!rc && document && t->carry_len)
            rc = ctok__fail(diag, CTOK_EUTF8, 0, t->fed + len - t->carry_len,
                            "truncated UTF-8 sequence at the end of a document (byte offset "
                            "%llu)", (unsigned long long)(t->fed + len - t->carry_len));
    } else if (t->opt.type == CTOK_TRAIN_REGEX) {
        rc = feed_regex(t, text, len, document, diag);
    } else {
        rc = feed_basic(t, text, len, document, diag);
    }
    if (rc)
        return rc;
    t->fed += len;
    if (t->opt.progress) {
        ctok_train_progress p = {t->fed, t->chunks.n, 0, 0};
        t->opt.progress(t->opt.progress_user, &p);
    }
    return CTOK_OK;
}

int ctok_trainer_feed(ctok_trainer *t, const uint8_t *text, size_t len, ctok_diag *diag)
{
    return feed(t, text, len, false, diag);
}

int ctok_trainer_feed_document(ctok_trainer *t, const uint8_t *text, size_t len, ctok_diag *diag)
{
    return feed(t, text, len, true, diag);
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
    if (t->opt.type == CTOK_TRAIN_REGEX)
        rc = count_batch(t, true);
    else if (t->len)
        rc = ctok__chunk_counter_add(&t->chunks, t->text, t->len, 1);
    /* the text and the threads' tables are no longer needed: free them before the learner
     * allocates */
    ctok__free(&t->mem, t->text);
    t->text = NULL;
    t->len = t->cap = 0;
    ctok__count_team_free(t->team);
    t->team = NULL;
    uint32_t *merges = NULL;
    size_t n_merges = 0;
    if (!rc && t->opt.progress) {
        ctok_train_progress p = {t->fed, t->chunks.n, 0, t->opt.vocab_size - 256};
        t->opt.progress(t->opt.progress_user, &p);
    }
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
