/*
 * atomic_file.c - write to PATH.tmp-PID, then rename over PATH (atomic_file.h).
 */
#include "atomic_file.h"

#include <errno.h>
#include <unistd.h>

int ctok__atomic_open(ctok__atomic_file *a, const char *path, ctok_diag *diag)
{
    a->path = path;
    a->f = NULL;
    if ((size_t)snprintf(a->tmp, sizeof a->tmp, "%s.tmp-%ld", path, (long)getpid()) >=
        sizeof a->tmp)
        return ctok__fail(diag, CTOK_EINVAL, 0, 0, "%s: output path is too long", path);
    a->f = fopen(a->tmp, "wb");
    if (!a->f)
        return ctok__fail(diag, CTOK_EIO, 0, 0, "%s: cannot create: %s", a->tmp, strerror(errno));
    return CTOK_OK;
}

int ctok__atomic_close(ctok__atomic_file *a, int rc, ctok_diag *diag)
{
    bool bad = ferror(a->f) != 0;
    int err = errno;
    if (fclose(a->f) != 0 && !bad) {
        bad = true;
        err = errno;
    }
    if (!rc && bad)
        rc = ctok__fail(diag, CTOK_EIO, 0, 0, "%s: write error: %s", a->tmp, strerror(err));
    if (!rc && rename(a->tmp, a->path) != 0)
        rc = ctok__fail(diag, CTOK_EIO, 0, 0, "%s: cannot rename to %s: %s", a->tmp, a->path,
                        strerror(errno));
    if (rc)
        remove(a->tmp);
    return rc;
}
