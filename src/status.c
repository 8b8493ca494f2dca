/*
 * status.c - status codes, version, and the diagnostics helper every loader uses.
 */
#include "internal.h"

#include <stdio.h>

const char *ctok_strerror(int status)
{
    switch (status) {
#define CTOK__STATUS_CASE(name, value, text) \
    case value:                              \
        return text;
        CTOK_STATUS_LIST(CTOK__STATUS_CASE)
#undef CTOK__STATUS_CASE
    default:
        return "unknown status";
    }
}

unsigned ctok_version_number(void) { return CTOK_VERSION_NUMBER; }

const char *ctok_version_string(void) { return CTOK_VERSION_STRING; }

int ctok__fail(ctok_diag *d, int status, uint64_t line, uint64_t offset, const char *fmt, ...)
{
    if (d) {
        d->status = status;
        d->line = line;
        d->offset = offset;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->message, sizeof d->message, fmt, ap);
        va_end(ap);
    }
    return status;
}
