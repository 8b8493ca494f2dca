/*
 * export.h - what the exporters share (export_tiktoken.c, export_hf.c): a growable output buffer
 * written to a temporary name and renamed, the checks every export makes, and the merges a model
 * implies under tiktoken's rule (export_merges.c).
 */
#ifndef CTOK_EXPORT_H
#define CTOK_EXPORT_H

#include "model.h"

/* Output built in memory (so that its hash can be known before it is written), then written to
 * PATH.tmp-PID and renamed over PATH.  A failed append sets failed and keeps the status; later
 * appends do nothing, so writers check once at the end. */
typedef struct ctok__outbuf {
    const ctok_allocator *mem;
    uint8_t *data;
    size_t len, cap;
    int failed; /* CTOK_OK or the first append's error */
} ctok__outbuf;

void ctok__outbuf_init(ctok__outbuf *o, const ctok_allocator *mem);
void ctok__outbuf_free(ctok__outbuf *o);
void ctok__outbuf_put(ctok__outbuf *o, const void *p, size_t n);
void ctok__outbuf_str(ctok__outbuf *o, const char *s);
void ctok__outbuf_u64(ctok__outbuf *o, uint64_t v);
/* A JSON string literal of text, which must be valid UTF-8 (callers check: ctok_json_quote
 * would replace invalid bytes, and an export must not change a token silently). */
void ctok__outbuf_json(ctok__outbuf *o, const uint8_t *text, size_t len);
/* Write the buffer to path through a temporary file and a rename.  CTOK_EIO with diag naming the
 * file and the system's reason, or the buffer's own failure. */
int ctok__outbuf_commit(const ctok__outbuf *o, const char *path, ctok_diag *diag);

/* What every export needs of a model: byte-level BPE, no two ordinary ids with the same bytes,
 * no unused id among the ordinary ones (a rank file and a vocabulary cannot have holes that are
 * not special ids).  what names the format in messages ("a .tiktoken export"). */
int ctok__export_check(const ctok_model *m, const char *what, ctok_diag *diag);

/* Valid UTF-8 special token texts and pattern (JSON holds text, not bytes). */
int ctok__export_check_text(const ctok_model *m, const char *what, ctok_diag *diag);

/* The largest ordinary id plus one (0 if none). */
uint32_t ctok__export_n_ordinary(const ctok_model *m);

/* Check that tiktoken's rule reproduces the model's merges: for every merge (left, right) ->
 * id, tiktoken's rule applied to id's bytes with the ids below id as ranks (merge the adjacent
 * pair whose concatenation has the lowest rank, leftmost first, until none is left) ends in
 * exactly (left, right).  Then tiktoken's rule and the model's
 * ("lowest merge first") give the same ids for every text (doc/format.md, "Exports").
 * CTOK_EUNSUPPORTED naming the first token where it is not so. */
int ctok__export_check_tiktoken_rule(const ctok_model *m, const char *what, ctok_diag *diag);

/* A model made from ranks (no merge list): the merge of each ordinary token of two bytes or more
 * (the two parts tiktoken's rule ends its bytes in, with the lower ranks), in id order, as 3 ids per merge (left, right, id) in *merges (from the model's allocator; the
 * caller frees it) and their number in *n.  CTOK_EUNSUPPORTED if some token is not made from two
 * lower-ranked tokens by tiktoken's rule (no merge list can reproduce it). */
int ctok__export_recover_merges(const ctok_model *m, const char *what, uint32_t **merges,
                                size_t *n, ctok_diag *diag);

/* Text for a message: at most 40 bytes of a token, in quotes. */
#define CTOK__SHOWN(p, n) (int)((n) > 40 ? 40 : (n)), (const char *)(p)

#endif /* CTOK_EXPORT_H */
