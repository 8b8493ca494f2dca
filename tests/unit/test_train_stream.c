/*
 * test_train_stream.c - streaming training is exact: feeding a corpus in pieces of any size
 * (down to single bytes, cutting multi-byte characters, white-space runs and contractions) gives
 * the same merges as feeding it whole, for every built-in pattern and both tie rules.
 * The seed is printed on failure; CTOK_SEED overrides it.
 */
#include "ctok.h"
#include "unit/random_text.h"
#include "unit/test.h"


/* Train with feeds of random sizes up to max_piece (0: one feed); the merges go to out. */
static size_t train(const uint8_t *text, size_t len, const char *pattern, ctok_ties ties,
                    size_t max_piece, uint32_t *out)
{
    ctok_train_options o;
    memset(&o, 0, sizeof o);
    o.type = CTOK_TRAIN_REGEX;
    o.vocab_size = 256 + 400;
    o.pattern.ptr = (const uint8_t *)pattern;
    o.pattern.len = strlen(pattern);
    o.ties = ties;
    ctok_trainer *t;
    ctok_model *m = NULL;
    ctok_diag d;
    if (ctok_trainer_new(&o, &t, &d))
        return 0;
    for (size_t at = 0; at < len;) {
        size_t n = max_piece ? 1 + rnd() % max_piece : len;
        if (n > len - at)
            n = len - at;
        if (ctok_trainer_feed(t, text + at, n, &d))
            break;
        at += n;
    }
    ctok_trainer_finish(t, &m, &d);
    ctok_trainer_free(t);
    size_t n = m ? ctok_model_n_merges(m) : 0;
    for (size_t i = 0; i < n; i++)
        ctok_model_merge(m, i, &out[2 * i], &out[2 * i + 1], NULL);
    ctok_model_free(m);
    return n;
}

/* A text built to stress the carry-over: long white-space runs, \r\n, contractions, digits,
 * CJK and emoji, invalid bytes, and no newline for long stretches. */
static uint8_t *nasty_text(size_t *len)
{
    static const char *parts[] = {
        "don't ", "WE'RE ", "they'll", "  \n\n   ", "\r\n", "\t\t", "   ", "x", "123456",
        "\xe4\xbd\xa0\xe5\xa5\xbd", "\xf0\x9f\x98\x80", "\xc3\xa9t\xc3\xa9", ".\n/", "!!!", "\xff",
        "\xe3\x80\x80", "\xc2\xa0", "Hello", " world", "'s", "'S", "\xc5\xbf", "/*", "*/\n",
        "\n                                        ", "                              \n  \t",
        /* o200k backtracks over runs of capitals and CJK ("中AAA...a" is one piece) */
        "\xe4\xb8\xad", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ", "\xd2\xa8\xd2\xa8\xd2\xa8\xd2\xa8\xd2\xa8\xd2\xa8",
        "XYZW", "a", "\xe6\x97\xa5\xe6\x9c\xac"};
    return glue_fragments(parts, sizeof parts / sizeof parts[0], 200000, len);
}

static void check_corpus(const uint8_t *text, size_t len, const char *label)
{
    static uint32_t whole[2 * 400], pieces[2 * 400];
    const char *names[] = {"gpt2", "gpt4", "o200k"};
    for (size_t p = 0; p < 3; p++) {
        const char *pattern = ctok_pattern_by_name(names[p]);
        for (int ties = 0; ties < 2; ties++) {
            size_t n1 = train(text, len, pattern, (ctok_ties)ties, 0, whole);
            size_t sizes[] = {1, 7, 100, 5000};
            for (size_t s = 0; s < 4; s++) {
                uint64_t seed = rng_state;
                size_t feed_len = sizes[s] == 1 ? len / 8 : len; /* byte feeds: a shorter text */
                size_t n_short = sizes[s] == 1 ? train(text, feed_len, pattern, (ctok_ties)ties, 0, whole) : n1;
                size_t n2 = train(text, feed_len, pattern, (ctok_ties)ties, sizes[s], pieces);
                CHECKF(n_short == n2 && memcmp(whole, pieces, n2 * 2 * sizeof *whole) == 0,
                       "%s, pattern %s, ties %d, feeds up to %zu bytes (seed %llu): merges differ",
                       label, names[p], ties, sizes[s], (unsigned long long)seed);
                if (sizes[s] == 1)
                    train(text, len, pattern, (ctok_ties)ties, 0, whole); /* restore */
            }
        }
    }
}

static void streaming_equals_one_feed_on_real_text(void)
{
    size_t len;
    uint8_t *text = test_read_file("tests/data/corpora/multilingual-sample.txt", &len);
    CHECK(text != NULL);
    if (!text)
        return;
    check_corpus(text, len < 300000 ? len : 300000, "multilingual-sample");
    free(text);
}

static void streaming_equals_one_feed_on_nasty_text(void)
{
    size_t len;
    uint8_t *text = nasty_text(&len);
    check_corpus(text, len, "nasty");
    free(text);
}

int main(void)
{
    const char *env = getenv("CTOK_SEED");
    rng_state = env ? strtoull(env, NULL, 10) : 0x9E3779B97F4A7C15ull;
    if (!rng_state)
        rng_state = 1;
    printf("# test_train_stream seed %llu\n", (unsigned long long)rng_state);
    RUN(streaming_equals_one_feed_on_real_text);
    RUN(streaming_equals_one_feed_on_nasty_text);
    TEST_EXIT();
}
