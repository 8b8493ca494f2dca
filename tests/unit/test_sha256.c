/*
 * test_sha256.c - SHA-256 (src/sha256.c) against the FIPS 180-2 / NIST examples ("abc", the
 * two-block 448-bit message, a million 'a'), the empty string, the 896-bit message, every length
 * around the 55/56/64-byte padding edges fed in odd pieces, and the published hash of a rank file.
 */
#include "sha256.h"
#include "ctok.h"
#include "unit/test.h"

static void hex_of(const uint8_t d[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void one_call(const char *msg, size_t len, const char *want)
{
    char hex[65];
    ctok_sha256_hex((const uint8_t *)msg, len, hex);
    CHECKF(!strcmp(hex, want), "%zu bytes: %s, want %s", len, hex, want);
}

static void fips_180_examples(void)
{
    one_call("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    one_call("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    one_call(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *long896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmno"
                          "pqklmnopqrlmnopqrsmnopqrstnopqrstu";
    one_call(long896, strlen(long896),
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void million_a_in_pieces(void)
{
    static uint8_t a[1000];
    memset(a, 'a', sizeof a);
    ctok__sha256 s;
    ctok__sha256_init(&s);
    size_t done = 0, piece = 1;
    while (done < 1000000) {
        size_t k = piece < 1000000 - done ? piece : 1000000 - done;
        if (k > sizeof a)
            k = sizeof a;
        ctok__sha256_update(&s, a, k);
        done += k;
        piece = piece * 3 % 997 + 1; /* odd, varying piece sizes */
    }
    uint8_t d[32];
    char hex[65];
    ctok__sha256_final(&s, d);
    hex_of(d, hex);
    CHECKF(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"), "%s",
           hex);
}

/* streaming in pieces gives the one-call digest at every length near the padding edges */
static void padding_edges_streamed(void)
{
    uint8_t msg[200];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 37 + 11);
    for (size_t len = 0; len <= 130; len++) {
        char whole[65], parts[65];
        ctok__sha256_hex(msg, len, whole);
        ctok__sha256 s;
        ctok__sha256_init(&s);
        for (size_t at = 0; at < len;) {
            size_t k = (at % 7) + 1 < len - at ? (at % 7) + 1 : len - at;
            ctok__sha256_update(&s, msg + at, k);
            at += k;
        }
        uint8_t d[32];
        ctok__sha256_final(&s, d);
        hex_of(d, parts);
        CHECKF(!strcmp(whole, parts), "length %zu", len);
    }
    /* 55, 56 and 64 'a': lengths where the padding takes one or two blocks */
    one_call("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 55,
             "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    one_call("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 56,
             "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    one_call("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 64,
             "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static void rank_file_matches_published_hash(void)
{
    size_t len;
    unsigned char *data = test_read_file("data/vocab/r50k_base.tiktoken", &len);
    CHECK(data != NULL);
    if (!data)
        return;
    one_call((const char *)data, len,
             "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930");
    free(data);
}

int main(void)
{
    RUN(fips_180_examples);
    RUN(million_a_in_pieces);
    RUN(padding_edges_streamed);
    RUN(rank_file_matches_published_hash);
    TEST_EXIT();
}
