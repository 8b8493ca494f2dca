/*
 * atomic_file.h - a file written under a temporary name (PATH.tmp-PID) and renamed over PATH
 * only when complete, so that an interrupted or failed write never leaves a file that looks
 * whole (atomic_file.c).  Used by every writer of the library: model_save.c and the exports.
 */
#ifndef CTOK_ATOMIC_FILE_H
#define CTOK_ATOMIC_FILE_H

#include "internal.h"

#include <stdio.h>

typedef struct ctok__atomic_file {
    FILE *f;
    const char *path; /* the caller's; must outlive the file */
    char tmp[4200];
} ctok__atomic_file;

/* Create path's temporary file.  CTOK_EINVAL (path too long) or CTOK_EIO, diag naming it. */
int ctok__atomic_open(ctok__atomic_file *a, const char *path, ctok_diag *diag);
/* Close the file and, if rc is CTOK_OK and every write succeeded, rename it over the path;
 * otherwise remove it.  Returns rc, or CTOK_EIO with diag naming the file and the reason. */
int ctok__atomic_close(ctok__atomic_file *a, int rc, ctok_diag *diag);

#endif
