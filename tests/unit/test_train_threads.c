/*
 * test_train_threads.c - threaded training is exact: splitting and counting with 1, 2, 3 or 4
 * threads, in batches of any size and from feeds of any size, gives the model of one thread and
 * one feed (itself checked against minbpe's model on taylorswift), for every built-in pattern and
 * a custom (PCRE2) one.  Documents (ctok_trainer_feed_document) are split each on its own: checked
 * against the naive reference trainer (tests/ref) and on hand-counted cases.  Out of memory in a
 * threaded run is an error that leaks nothing.  The seed is printed on failure; CTOK_SEED sets it.
 */
#include "ctok.h"
#include "ref/ref.h"
#include "train.h"
#include "unit/random_text.h"
#include "unit/test.h"

#include <pthread.h>


#define N_MERGES 200
#define SMALL_BATCH 20000 /* bytes per thread: the test corpora go through many batches */
#define SMALL_PART 3000

/* minbpe's GPT-2 pattern without the contractions: not a built-in spelling, so PCRE2 splits */
static const char CUSTOM[] = " ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

typedef struct run {
    const char *pattern;
    ctok_ties ties;
    size_t n_threads;
    size_t max_feed;   /* feeds of 1 .. max_feed bytes at random; 0: one feed */
    bool small_batch;
    size_t vocab_size; /* 0: 256 + N_MERGES */
} run;

static ctok_trainer *new_trainer(const run *r, const ctok_allocator *alloc)
{
    ctok_train_options o;
    memset(&o, 0, sizeof o);
    o.type = CTOK_TRAIN_REGEX;
    o.vocab_size = r->vocab_size ? r->vocab_size : 256 + N_MERGES;
    o.pattern.ptr = (const uint8_t *)r->pattern;
    o.pattern.len = strlen(r->pattern);
    o.ties = r->ties;
    o.n_threads = r->n_threads;
    o.alloc = alloc;
    ctok_trainer *t = NULL;
    ctok_diag d;
    if (ctok_trainer_new(&o, &t, &d))
        return NULL;
    if (r->small_batch)
        ctok__trainer_set_batch(t, SMALL_BATCH, SMALL_PART);
    return t;
}

/* The merges of a model, 2 per merge, into out (room for N_MERGES or 512 merges). */
static size_t merges_of(const ctok_model *m, uint32_t *out)
{
    size_t n = m ? ctok_model_n_merges(m) : 0;
    for (size_t i = 0; i < n; i++)
        ctok_model_merge(m, i, &out[2 * i], &out[2 * i + 1], NULL);
    return n;
}

/* Train on text as r says; returns the number of merges (written to out), or 0 on error. */
static size_t train(const uint8_t *text, size_t len, const run *r, uint32_t *out)
{
    ctok_trainer *t = new_trainer(r, NULL);
    if (!t)
        return 0;
    ctok_diag d;
    int rc = CTOK_OK;
    for (size_t at = 0; at < len && !rc;) {
        size_t n = r->max_feed ? 1 + rnd() % r->max_feed : len;
        if (n > len - at)
            n = len - at;
        rc = ctok_trainer_feed(t, text + at, n, &d);
        at += n;
    }
    ctok_model *m = NULL;
    if (!rc)
        ctok_trainer_finish(t, &m, &d);
    ctok_trainer_free(t);
    size_t n = merges_of(m, out);
    ctok_model_free(m);
    return n;
}

/* Text that stresses the cuts: white-space runs, CRLF, contractions, CJK, emoji, invalid bytes,
 * runs of capitals (o200k backtracks over them) and long stretches without a newline. */
static uint8_t *nasty_text(size_t cap, size_t *len)
{
    static const char *parts[] = {
        "don't ", "WE'RE ", "they'll", "  \n\n   ", "\r\n", "\t\t", "   ", "x", "123456",
        "\xe4\xbd\xa0\xe5\xa5\xbd", "\xf0\x9f\x98\x80", "\xc3\xa9t\xc3\xa9", ".\n/", "!!!", "\xff",
        "\xe3\x80\x80", "\xc2\xa0", "Hello", " world", "'s", "'S", "/*", "*/\n", "\nabc", " a",
        "\n                                        ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "\xe4\xb8\xad",
        "\xd2\xa8\xd2\xa8\xd2\xa8", "XYZW", "a", "\xe6\x97\xa5\xe6\x9c\xac", "\n\n", "\nX"};
    return glue_fragments(parts, sizeof parts / sizeof parts[0], cap, len);
}

static void check_corpus(const uint8_t *text, size_t len, const char *label)
{
    static uint32_t want[2 * N_MERGES], got[2 * N_MERGES];
    const char *names[] = {"gpt2", "gpt4", "o200k", "custom"};
    for (size_t p = 0; p < 4; p++) {
        const char *pattern = p < 3 ? ctok_pattern_by_name(names[p]) : CUSTOM;
        run base = {pattern, CTOK_TIES_FIRST_SEEN, 1, 0, false, 0};
        size_t n_want = train(text, len, &base, want);
        CHECKF(n_want == N_MERGES, "%s, %s: %zu merges", label, names[p], n_want);
        for (size_t threads = 1; threads <= 4; threads++) {
            run runs[] = {{pattern, CTOK_TIES_FIRST_SEEN, threads, 0, false, 0},
                          {pattern, CTOK_TIES_FIRST_SEEN, threads, 50000, true, 0},
                          {pattern, CTOK_TIES_FIRST_SEEN, threads, 700, true, 0}};
            for (size_t k = threads == 1 ? 1 : 0; k < 3; k++) {
                uint64_t seed = rng_state;
                size_t n = train(text, len, &runs[k], got);
                CHECKF(n == n_want && memcmp(want, got, n * 2 * sizeof *got) == 0,
                       "%s, pattern %s, %zu threads, feeds up to %zu bytes, %s batches (seed "
                       "%llu): merges differ from one thread", label, names[p], threads,
                       runs[k].max_feed, runs[k].small_batch ? "small" : "default",
                       (unsigned long long)seed);
            }
        }
    }
}

static void threads_and_feeds_give_one_model_taylorswift(void)
{
    size_t len;
    uint8_t *text = test_read_file("tests/data/corpora/taylorswift.txt", &len);
    CHECK(text != NULL);
    if (text)
        check_corpus(text, len, "taylorswift");
    free(text);
}

static void threads_and_feeds_give_one_model_multilingual(void)
{
    size_t len;
    uint8_t *text = test_read_file("tests/data/corpora/multilingual-sample.txt", &len);
    CHECK(text != NULL);
    if (text)
        check_corpus(text, len < 400000 ? len : 400000, "multilingual-sample");
    free(text);
}

static void threads_and_feeds_give_one_model_nasty(void)
{
    size_t len;
    uint8_t *text = nasty_text(150000, &len);
    check_corpus(text, len, "nasty");
    free(text);
}

/* The other tie rule too, on one corpus. */
static void threads_with_smallest_pair_ties(void)
{
    static uint32_t want[2 * N_MERGES], got[2 * N_MERGES];
    size_t len;
    uint8_t *text = test_read_file("tests/data/corpora/tinyshakespeare.txt", &len);
    CHECK(text != NULL);
    if (!text)
        return;
    const char *gpt4 = ctok_pattern_by_name("gpt4");
    run base = {gpt4, CTOK_TIES_SMALLEST_PAIR, 1, 0, false, 0};
    size_t n_want = train(text, len, &base, want);
    for (size_t threads = 2; threads <= 4; threads++) {
        run r = {gpt4, CTOK_TIES_SMALLEST_PAIR, threads, 100000, true, 0};
        size_t n = train(text, len, &r, got);
        CHECKF(n == n_want && memcmp(want, got, n * 2 * sizeof *got) == 0,
               "%zu threads: merges differ", threads);
    }
    free(text);
}

/* minbpe's own RegexTokenizer model (GPT-4 pattern, 512) from any number of threads. */
static void threads_reproduce_minbpe(void)
{
    static uint32_t want[2 * 256], got[2 * 256];
    ctok_model *ref = NULL;
    ctok_diag d;
    CHECK(ctok_model_load("tests/data/minbpe/taylorswift-regex512.model", NULL, &ref, &d) == 0);
    size_t n_want = merges_of(ref, want);
    CHECK(n_want == 256);
    ctok_model_free(ref);
    size_t len;
    uint8_t *text = test_read_file("tests/data/corpora/taylorswift.txt", &len);
    CHECK(text != NULL);
    if (!text)
        return;
    for (size_t threads = 1; threads <= 4; threads++) {
        for (int small = 0; small < 2; small++) {
            run r = {ctok_pattern_by_name("gpt4"), CTOK_TIES_FIRST_SEEN, threads,
                     small ? 9000 : 0, small, 512};
            size_t n = train(text, len, &r, got);
            CHECKF(n == n_want && memcmp(want, got, n * 2 * sizeof *got) == 0,
                   "%zu threads, %s batches: not minbpe's merges", threads,
                   small ? "small" : "default");
        }
    }
    free(text);
}

/* ---- documents ---- */

/* Feed text's lines (without their newline) as documents, except that every fifth line goes
 * in as plain text in two feeds: plain text runs until the next document. */
static int feed_lines(ctok_trainer *t, const uint8_t *text, size_t len)
{
    ctok_diag d;
    size_t line = 0;
    for (size_t at = 0; at < len; line++) {
        const uint8_t *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        int rc;
        if (line % 5 == 4) {
            rc = ctok_trainer_feed(t, text + at, n / 2, &d);
            if (!rc)
                rc = ctok_trainer_feed(t, text + at + n / 2, n - n / 2, &d);
        } else {
            rc = ctok_trainer_feed_document(t, text + at, n, &d);
        }
        if (rc)
            return rc;
        at += n + (nl != NULL);
    }
    return CTOK_OK;
}

/* The reference's chunks for feed_lines: each document split alone, and each run of plain
 * lines (concatenated without their newlines) split alone. */
static void reference_chunks(const char *pattern, const uint8_t *text, size_t len, ref_chunks *all)
{
    memset(all, 0, sizeof *all);
    uint8_t *plain = malloc(len + 1);
    size_t plain_len = 0, line = 0;
    for (size_t at = 0; at <= len; line++) {
        const uint8_t *nl = at < len ? memchr(text + at, '\n', len - at) : NULL;
        size_t n = at < len ? (nl ? (size_t)(nl - (text + at)) : len - at) : 0;
        bool is_plain = at < len && line % 5 == 4;
        const uint8_t *seg = NULL;
        size_t seg_len = 0;
        if (is_plain) {
            memcpy(plain + plain_len, text + at, n);
            plain_len += n;
        }
        /* a document (or the end) closes the plain run before it */
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 0 && !is_plain && plain_len) {
                seg = plain;
                seg_len = plain_len;
            } else if (pass == 1 && !is_plain && at < len) {
                seg = text + at;
                seg_len = n;
            } else {
                continue;
            }
            ref_chunks c;
            if (ref_chunks_regex(pattern, seg, seg_len, &c) == 0) {
                all->ptr = realloc(all->ptr, (all->n + c.n + 1) * sizeof *all->ptr);
                all->len = realloc(all->len, (all->n + c.n + 1) * sizeof *all->len);
                for (size_t i = 0; i < c.n; i++) {
                    all->ptr[all->n] = c.ptr[i];
                    all->len[all->n++] = c.len[i];
                    c.ptr[i] = NULL;
                }
            }
            ref_chunks_free(&c);
            if (pass == 0)
                plain_len = 0;
        }
        if (at >= len)
            break;
        at += n + (nl != NULL);
    }
    free(plain);
}

static void documents_are_split_alone(void)
{
    enum { DOC_MERGES = 120 };
    size_t len;
    uint8_t *text = test_read_file("tests/data/corpora/taylorswift.txt", &len);
    CHECK(text != NULL);
    if (!text)
        return;
    len = len < 25000 ? len : 25000;
    while (len && (text[len - 1] & 0xC0) == 0x80)
        len--; /* the reference wants whole characters */
    if (len)
        len--;
    const char *gpt4 = ctok_pattern_by_name("gpt4");
    ref_chunks chunks;
    reference_chunks(gpt4, text, len, &chunks);
    ref_merge *want = NULL;
    size_t n_want = ref_train(&chunks, 256 + DOC_MERGES, REF_TIES_FIRST_SEEN, &want);
    ref_chunks_free(&chunks);
    CHECK(n_want == DOC_MERGES);
    static uint32_t got[2 * N_MERGES];
    for (size_t threads = 1; threads <= 4; threads++) {
        for (int small = 0; small < 2; small++) {
            run r = {gpt4, CTOK_TIES_FIRST_SEEN, threads, 0, small, 256 + DOC_MERGES};
            ctok_trainer *t = new_trainer(&r, NULL);
            if (small)
                ctok__trainer_set_batch(t, 1000, 300);
            ctok_model *m = NULL;
            ctok_diag d;
            CHECK(feed_lines(t, text, len) == 0 && ctok_trainer_finish(t, &m, &d) == 0);
            ctok_trainer_free(t);
            size_t n = merges_of(m, got);
            ctok_model_free(m);
            bool same = n == n_want;
            for (size_t i = 0; same && i < n; i++)
                same = got[2 * i] == want[i].left && got[2 * i + 1] == want[i].right;
            CHECKF(same, "%zu threads, %s batches: merges differ from the reference", threads,
                   small ? "small" : "default");
        }
    }
    free(want);
    free(text);
}

/* Train type on the given feeds (documents or plain) and return the model. */
static ctok_model *train_small(ctok_train_type type, const char *const *texts, size_t n,
                               bool documents, size_t n_threads)
{
    ctok_train_options o;
    memset(&o, 0, sizeof o);
    o.type = type;
    o.vocab_size = 300;
    const char *gpt2 = ctok_pattern_by_name("gpt2");
    o.pattern.ptr = (const uint8_t *)gpt2;
    o.pattern.len = type == CTOK_TRAIN_REGEX ? strlen(gpt2) : 0;
    o.n_threads = n_threads;
    ctok_trainer *t = NULL;
    ctok_model *m = NULL;
    ctok_diag d;
    int rc = ctok_trainer_new(&o, &t, &d);
    for (size_t i = 0; i < n && !rc; i++)
        rc = documents ? ctok_trainer_feed_document(t, (const uint8_t *)texts[i], strlen(texts[i]), &d)
                       : ctok_trainer_feed(t, (const uint8_t *)texts[i], strlen(texts[i]), &d);
    if (!rc)
        ctok_trainer_finish(t, &m, &d);
    ctok_trainer_free(t);
    return m;
}

static bool token_is(const ctok_model *m, uint32_t id, const char *s)
{
    ctok_bytes b;
    return m && ctok_model_token_bytes(m, id, &b) == 0 && b.len == strlen(s) &&
           memcmp(b.ptr, s, b.len) == 0;
}

/* Hand-counted: "hello" and "world" as documents are two pieces with 4 pairs each, all seen once,
 * taken in order of first appearance: 8 merges ending in "hello" (259) and "world" (263).  As
 * plain text they are one piece "helloworld" (gpt2's ` ?\p{L}+`): 9 merges, the last "helloworld".
 * Basic: "ab" three times as documents has only the pair (a, b): 1 merge; "ababab" as plain text
 * merges (a, b), then (ab, ab), then (abab, ab): 3 merges. */
static void documents_hand_counted(void)
{
    const char *hw[] = {"hello", "world"}, *ab[] = {"ab", "ab", "ab"};
    for (size_t threads = 1; threads <= 2; threads++) {
        ctok_model *docs = train_small(CTOK_TRAIN_REGEX, hw, 2, true, threads);
        ctok_model *plain = train_small(CTOK_TRAIN_REGEX, hw, 2, false, threads);
        CHECK(docs && ctok_model_n_merges(docs) == 8);
        CHECK(token_is(docs, 259, "hello") && token_is(docs, 263, "world"));
        CHECK(plain && ctok_model_n_merges(plain) == 9);
        CHECK(token_is(plain, 264, "helloworld"));
        ctok_model_free(docs);
        ctok_model_free(plain);
        docs = train_small(CTOK_TRAIN_BASIC, ab, 3, true, threads);
        plain = train_small(CTOK_TRAIN_BASIC, ab, 3, false, threads);
        CHECK(docs && ctok_model_n_merges(docs) == 1 && token_is(docs, 256, "ab"));
        CHECK(plain && ctok_model_n_merges(plain) == 3 && token_is(plain, 258, "ababab"));
        ctok_model_free(docs);
        ctok_model_free(plain);
    }
}

/* A character vocabulary's documents hold whole characters. */
static void char_documents_hold_whole_characters(void)
{
    ctok_train_options o;
    memset(&o, 0, sizeof o);
    o.type = CTOK_TRAIN_CHAR;
    ctok_trainer *t;
    ctok_diag d;
    CHECK(ctok_trainer_new(&o, &t, &d) == 0);
    CHECK(ctok_trainer_feed_document(t, (const uint8_t *)"a\xc3\xa9", 3, &d) == 0);
    CHECK(ctok_trainer_feed_document(t, (const uint8_t *)"b\xc3", 2, &d) == CTOK_EUTF8);
    CHECK(d.offset == 4);
    ctok_trainer_free(t);
    CHECK(ctok_trainer_new(&o, &t, &d) == 0);
    CHECK(ctok_trainer_feed(t, (const uint8_t *)"\xc3", 1, &d) == 0);
    CHECK(ctok_trainer_feed_document(t, (const uint8_t *)"\xa9", 1, &d) == CTOK_EUTF8);
    CHECK(d.offset == 0);
    ctok_trainer_free(t);
}

/* ---- out of memory with threads ---- */

typedef struct locked_fault {
    pthread_mutex_t lock;
    long calls, fail_at, live;
} locked_fault;

static void *lf_alloc(void *opaque, size_t size)
{
    locked_fault *f = opaque;
    pthread_mutex_lock(&f->lock);
    void *p = ++f->calls == f->fail_at ? NULL : malloc(size);
    f->live += p != NULL;
    pthread_mutex_unlock(&f->lock);
    return p;
}

static void lf_free(void *opaque, void *p)
{
    locked_fault *f = opaque;
    if (!p)
        return;
    pthread_mutex_lock(&f->lock);
    f->live--;
    pthread_mutex_unlock(&f->lock);
    free(p);
}

static void out_of_memory_with_threads(void)
{
    size_t len;
    uint8_t *text = nasty_text(30000, &len);
    run r = {ctok_pattern_by_name("o200k"), CTOK_TIES_FIRST_SEEN, 3, 4000, true, 300};
    for (long n = 1; n < 100000; n++) {
        locked_fault f = {PTHREAD_MUTEX_INITIALIZER, 0, n, 0};
        ctok_allocator a = {lf_alloc, lf_free, &f};
        ctok_trainer *t = new_trainer(&r, &a);
        int rc = t ? CTOK_OK : CTOK_ENOMEM;
        ctok_diag d;
        for (size_t at = 0; at < len && !rc; at += 4000)
            rc = ctok_trainer_feed(t, text + at, len - at < 4000 ? len - at : 4000, &d);
        ctok_model *m = NULL;
        if (!rc)
            rc = ctok_trainer_finish(t, &m, &d);
        ctok_trainer_free(t);
        ctok_model_free(m);
        CHECKF(f.live == 0, "fail at %ld: %ld blocks leaked", n, f.live);
        if (rc == CTOK_OK) {
            CHECK(f.calls < n);
            break;
        }
        CHECKF(rc == CTOK_ENOMEM, "fail at %ld: status %d", n, rc);
        if (f.live || rc != CTOK_ENOMEM)
            break;
    }
    free(text);
}

int main(void)
{
    const char *env = getenv("CTOK_SEED");
    rng_state = env ? strtoull(env, NULL, 10) : 0x2545F4914F6CDD1Dull;
    if (!rng_state)
        rng_state = 1;
    printf("# test_train_threads seed %llu\n", (unsigned long long)rng_state);
    RUN(threads_and_feeds_give_one_model_taylorswift);
    RUN(threads_and_feeds_give_one_model_multilingual);
    RUN(threads_and_feeds_give_one_model_nasty);
    RUN(threads_with_smallest_pair_ties);
    RUN(threads_reproduce_minbpe);
    RUN(documents_are_split_alone);
    RUN(documents_hand_counted);
    RUN(char_documents_hold_whole_characters);
    RUN(out_of_memory_with_threads);
    TEST_EXIT();
}
