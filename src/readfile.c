/*
 * readfile.c - reading a whole file into memory for the loaders that parse from memory (rank
 * files, encoder.json, vocab.bpe), through the caller's allocator.
 */
#include "loaders.h"

#include <errno.h>
#include <stdio.h>

int ctok__read_file(const ctok_allocator *mem, const char *path, uint8_t **data, size_t *len,
                    ctok_diag *diag)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ctok__fail(diag, CTOK_EIO, 0, 0, "%s: cannot open: %s", path, strerror(errno));
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    int rc = CTOK_OK;
    /* start from the file's size when it can be known, so one read usually does it */
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0 && (unsigned long)size < SIZE_MAX - 1)
            rc = ctok__grow(mem, (void **)&buf, &cap, (size_t)size + 1, 1);
        rewind(f);
    }
    while (!rc) {
        if (n == cap)
            rc = ctok__grow(mem, (void **)&buf, &cap, n + 65536, 1);
        if (rc)
            break;
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    if (rc)
        ctok__fail(diag, rc, 0, n, "%s: %s", path, ctok_strerror(rc));
    else if (ferror(f))
        rc = ctok__fail(diag, CTOK_EIO, 0, n, "%s: read error: %s", path, strerror(errno));
    fclose(f);
    if (rc) {
        ctok__free(mem, buf);
        return rc;
    }
    *data = buf;
    *len = n;
    return CTOK_OK;
}
