/* test_smoke.c - the library links and reports its version and status strings. */
#include "ctok.h"
#include "unit/test.h"

static void version_matches_header(void)
{
    CHECK(ctok_version_number() == CTOK_VERSION_NUMBER);
    CHECK(strcmp(ctok_version_string(), CTOK_VERSION_STRING) == 0);
}

static void strerror_names_every_status(void)
{
    CHECK(strcmp(ctok_strerror(CTOK_OK), "success") == 0);
    CHECK(strcmp(ctok_strerror(CTOK_ENOMEM), "out of memory") == 0);
    CHECK(strcmp(ctok_strerror(12345), "unknown status") == 0);
}

int main(void)
{
    RUN(version_matches_header);
    RUN(strerror_names_every_status);
    TEST_EXIT();
}
