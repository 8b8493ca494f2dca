/*
 * test_alloc_fail.c - every out-of-memory path returns an error and leaks nothing (sqlite's
 * fault-injection idea): a counting allocator fails its Nth call, for every N until the
 * operation succeeds, and must end with as many frees as allocations.
 */
#include "ctok.h"
#include "unit/fault_alloc.h"
#include "unit/test.h"

static const char TEXT[] = "the cat sat on the mat; the cat's hat is flat. aaaa bbbb 1234 \xC3\xA9t\xC3\xA9\n";

/* Train, save-free encode and decode with allocator a; returns the first failing status. */
static int train_and_use(const ctok_allocator *a, ctok_train_type type)
{
    ctok_train_options o;
    memset(&o, 0, sizeof o);
    o.type = type;
    o.vocab_size = 280;
    o.alloc = a;
    const char *p = ctok_pattern_by_name("gpt4");
    if (type == CTOK_TRAIN_REGEX) {
        o.pattern.ptr = (const uint8_t *)p;
        o.pattern.len = strlen(p);
    }
    ctok_bytes sp = {(const uint8_t *)"<|eot|>", 7};
    if (type != CTOK_TRAIN_CHAR) {
        o.special = &sp;
        o.n_special = 1;
    }
    ctok_trainer *t = NULL;
    ctok_model *m = NULL;
    ctok_diag d;
    int rc = ctok_trainer_new(&o, &t, &d);
    if (!rc)
        rc = ctok_trainer_feed(t, (const uint8_t *)TEXT, sizeof TEXT - 1, &d);
    if (!rc)
        rc = ctok_trainer_finish(t, &m, &d);
    ctok_trainer_free(t);
    uint32_t ids[256];
    size_t n = 0;
    if (!rc)
        rc = ctok_encode(m, (const uint8_t *)TEXT, sizeof TEXT - 1, NULL, ids, 256, &n, &d);
    ctok_model_free(m);
    return rc;
}

static int load_model(const ctok_allocator *a)
{
    ctok_model *m = NULL;
    ctok_diag d;
    int rc = ctok_model_load("tests/data/minbpe/taylorswift-regex512-special.model", a, &m, &d);
    ctok_model_free(m);
    return rc;
}

static void check_all_failures(int (*op)(const ctok_allocator *, ctok_train_type),
                               ctok_train_type type)
{
    for (long n = 1; n < 100000; n++) {
        fault_alloc f = {0, n, 0};
        ctok_allocator a = {fa_alloc, fa_free, &f};
        int rc = op(&a, type);
        CHECKF(f.live == 0, "fail at %ld: %ld blocks leaked", n, f.live);
        if (rc == CTOK_OK) {
            CHECK(f.calls < n); /* success only once no call failed */
            return;
        }
        CHECKF(rc == CTOK_ENOMEM, "fail at %ld: status %d", n, rc);
        if (f.live || rc != CTOK_ENOMEM)
            return;
    }
    CHECK(!"never succeeded");
}

static int load_wrapper(const ctok_allocator *a, ctok_train_type type)
{
    (void)type;
    return load_model(a);
}

static void oom_in_regex_training(void) { check_all_failures(train_and_use, CTOK_TRAIN_REGEX); }
static void oom_in_basic_training(void) { check_all_failures(train_and_use, CTOK_TRAIN_BASIC); }
static void oom_in_char_training(void) { check_all_failures(train_and_use, CTOK_TRAIN_CHAR); }
static void oom_in_model_load(void) { check_all_failures(load_wrapper, 0); }

int main(void)
{
    RUN(oom_in_regex_training);
    RUN(oom_in_basic_training);
    RUN(oom_in_char_training);
    RUN(oom_in_model_load);
    TEST_EXIT();
}
