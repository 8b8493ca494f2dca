/*
 * test_char.c - the character-level tokenizer (nanoGPT's shakespeare_char): vocabulary of the
 * text's characters in code-point order, exact errors for characters outside it and for bytes
 * that are not UTF-8, and the "ctok char v1" file round trip.
 */
#include "ctok.h"
#include "unit/test.h"

#include <unistd.h>

static ctok_model *train_chars(const uint8_t *text, size_t len, size_t piece, ctok_diag *d,
                               int *status)
{
    ctok_train_options o;
    memset(&o, 0, sizeof o);
    o.type = CTOK_TRAIN_CHAR;
    ctok_trainer *t;
    ctok_model *m = NULL;
    *status = ctok_trainer_new(&o, &t, d);
    if (*status)
        return NULL;
    /* feed in pieces of `piece` bytes so multi-byte characters are cut between feeds */
    for (size_t at = 0; at < len && !*status; at += piece)
        *status = ctok_trainer_feed(t, text + at, len - at < piece ? len - at : piece, d);
    if (!*status)
        *status = ctok_trainer_finish(t, &m, d);
    ctok_trainer_free(t);
    return m;
}

static void shakespeare_has_65_characters(void)
{
    size_t len = 0;
    unsigned char *text = test_read_file("tests/data/corpora/tinyshakespeare.txt", &len);
    CHECK(text != NULL);
    if (!text)
        return;
    ctok_diag d;
    int rc;
    ctok_model *m = train_chars(text, len, len, &d, &rc);
    CHECK(rc == CTOK_OK && m);
    if (!m) {
        free(text);
        return;
    }
    CHECK(ctok_model_n_vocab(m) == 65);
    CHECK(ctok_model_get_kind(m) == CTOK_MODEL_CHAR);
    /* nanoGPT's shakespeare_char: encode("hii there") */
    uint32_t ids[16], want[] = {46, 47, 47, 1, 58, 46, 43, 56, 43};
    size_t n;
    CHECK(ctok_encode(m, (const uint8_t *)"hii there", 9, NULL, ids, 16, &n, &d) == CTOK_OK);
    CHECK(n == 9 && memcmp(ids, want, sizeof want) == 0);
    /* ids are code-point order: '\n' is 0, ' ' is 1, 'z' the last */
    ctok_bytes b;
    CHECK(ctok_model_token_bytes(m, 0, &b) == CTOK_OK && b.len == 1 && b.ptr[0] == '\n');
    CHECK(ctok_model_token_bytes(m, 64, &b) == CTOK_OK && b.len == 1 && b.ptr[0] == 'z');
    /* the whole corpus round-trips */
    uint32_t *all = malloc(len * sizeof *all);
    uint8_t *back = malloc(len);
    size_t back_len;
    CHECK(ctok_encode(m, text, len, NULL, all, len, &n, &d) == CTOK_OK && n == len);
    CHECK(ctok_decode(m, all, n, back, len, &back_len, &d) == CTOK_OK);
    CHECK(back_len == len && memcmp(back, text, len) == 0);
    free(all);
    free(back);
    ctok_model_free(m);
    free(text);
}

static void multibyte_characters_sorted_by_code_point(void)
{
    /* "é€a😀" fed one byte at a time: ids a=0 é=1 €=2 😀=3 */
    const char *text = "\xC3\xA9\xE2\x82\xAC" "a" "\xF0\x9F\x98\x80";
    ctok_diag d;
    int rc;
    ctok_model *m = train_chars((const uint8_t *)text, strlen(text), 1, &d, &rc);
    CHECKF(rc == CTOK_OK && m, "%s", d.message);
    if (!m)
        return;
    CHECK(ctok_model_n_vocab(m) == 4);
    uint32_t ids[8], want[] = {1, 2, 0, 3};
    size_t n;
    CHECK(ctok_encode(m, (const uint8_t *)text, strlen(text), NULL, ids, 8, &n, &d) == CTOK_OK);
    CHECK(n == 4 && memcmp(ids, want, sizeof want) == 0);
    ctok_model_free(m);
}

static void unknown_character_names_it_and_its_offset(void)
{
    ctok_diag d;
    int rc;
    ctok_model *m = train_chars((const uint8_t *)"abc", 3, 3, &d, &rc);
    CHECK(m != NULL);
    if (!m)
        return;
    uint32_t ids[16];
    size_t n;
    CHECK(ctok_encode(m, (const uint8_t *)"ab\xE2\x82\xAC", 5, NULL, ids, 16, &n, &d) == CTOK_EUNKNOWN_CHAR);
    CHECK(d.offset == 2);
    CHECK(strstr(d.message, "U+20AC") != NULL);
    CHECK(ctok_encode(m, (const uint8_t *)"abd", 3, NULL, ids, 16, &n, &d) == CTOK_EUNKNOWN_CHAR);
    CHECK(d.offset == 2 && strstr(d.message, "'d'") != NULL);
    CHECK(ctok_encode(m, (const uint8_t *)"a\xFF", 2, NULL, ids, 16, &n, &d) == CTOK_EUTF8);
    CHECK(d.offset == 1 && strstr(d.message, "0xFF") != NULL);
    /* too small a buffer is an error, never a partial result */
    CHECK(ctok_encode(m, (const uint8_t *)"abc", 3, NULL, ids, 2, &n, &d) == CTOK_EBUFFER);
    /* an id outside the vocabulary */
    uint32_t bad[] = {0, 3};
    uint8_t out[8];
    size_t out_len;
    CHECK(ctok_decode(m, bad, 2, out, sizeof out, &out_len, &d) == CTOK_EUNKNOWN_ID);
    CHECK(d.offset == 1);
    ctok_model_free(m);
}

static void training_rejects_invalid_utf8(void)
{
    ctok_diag d;
    int rc;
    /* an overlong encoding of '/', a surrogate, and a sequence cut off at the end */
    CHECK(!train_chars((const uint8_t *)"ab\xC0\xAF", 4, 4, &d, &rc) && rc == CTOK_EUTF8 && d.offset == 2);
    CHECK(!train_chars((const uint8_t *)"\xED\xA0\x80", 3, 1, &d, &rc) && rc == CTOK_EUTF8 && d.offset == 0);
    CHECK(!train_chars((const uint8_t *)"abc\xE2\x82", 5, 2, &d, &rc) && rc == CTOK_EUTF8 && d.offset == 3);
}

static void char_model_file_round_trip(void)
{
    ctok_diag d;
    int rc;
    const char *text = "hello, w\xC3\xB6rld\n";
    ctok_model *m = train_chars((const uint8_t *)text, strlen(text), 4, &d, &rc);
    CHECK(m != NULL);
    if (!m)
        return;
    char prefix[] = "/tmp/ctok-char-XXXXXX";
    int fd = mkstemp(prefix);
    close(fd);
    CHECKF(ctok_model_save(m, prefix, &d) == CTOK_OK, "%s", d.message);
    char path[64];
    snprintf(path, sizeof path, "%s.model", prefix);
    size_t len = 0;
    unsigned char *file = test_read_file(path, &len);
    /* hand-checked: 10 characters \n , space d e h l o r w ö */
    const char *want = "ctok char v1\n11\n10\n32\n44\n100\n101\n104\n108\n111\n114\n119\n246\n";
    CHECK(file && len == strlen(want) && memcmp(file, want, len) == 0);
    ctok_model *back = NULL;
    CHECKF(ctok_model_load(path, NULL, &back, &d) == CTOK_OK, "%s", d.message);
    uint32_t a[32], b[32];
    size_t na, nb;
    CHECK(back && ctok_encode(m, (const uint8_t *)text, strlen(text), NULL, a, 32, &na, &d) == CTOK_OK);
    CHECK(back && ctok_encode(back, (const uint8_t *)text, strlen(text), NULL, b, 32, &nb, &d) == CTOK_OK);
    CHECK(na == nb && memcmp(a, b, na * sizeof *a) == 0);
    free(file);
    remove(path);
    snprintf(path, sizeof path, "%s.vocab", prefix);
    remove(path);
    remove(prefix);
    ctok_model_free(back);
    ctok_model_free(m);
}

static void char_model_file_errors_name_the_line(void)
{
    ctok_model *m = NULL;
    ctok_diag d;
    const char *f1 = "ctok char v1\n3\n10\n32\n";
    CHECK(ctok_model_load_memory((const uint8_t *)f1, strlen(f1), "x.model", NULL, &m, &d) == CTOK_EFORMAT);
    CHECK(d.line == 5 && strstr(d.message, "x.model") && strstr(d.message, "line 5"));
    const char *f2 = "ctok char v1\n2\n32\n10\n";
    CHECK(ctok_model_load_memory((const uint8_t *)f2, strlen(f2), "y.model", NULL, &m, &d) == CTOK_EFORMAT);
    CHECK(d.line == 4);
    const char *f3 = "ctok char v2\n0\n";
    CHECK(ctok_model_load_memory((const uint8_t *)f3, strlen(f3), "z.model", NULL, &m, &d) == CTOK_EVERSION);
    const char *f4 = "ctok char v1\n1\n55296\n";
    CHECK(ctok_model_load_memory((const uint8_t *)f4, strlen(f4), "s.model", NULL, &m, &d) == CTOK_EFORMAT);
    CHECK(m == NULL);
}

int main(void)
{
    RUN(shakespeare_has_65_characters);
    RUN(multibyte_characters_sorted_by_code_point);
    RUN(unknown_character_names_it_and_its_offset);
    RUN(training_rejects_invalid_utf8);
    RUN(char_model_file_round_trip);
    RUN(char_model_file_errors_name_the_line);
    TEST_EXIT();
}
