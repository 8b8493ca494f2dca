/*
 * json.h - the library's one JSON reader: a cursor over an in-memory JSON text with functions to
 * read one token at a time (a string, an unsigned integer, any value skipped, an expected
 * character), and on top of it a one-pass reader for objects of string -> integer members
 * (GPT-2's encoder.json, a vocabulary in tokenizer.json).  No tree is ever built: members go to a
 * callback as they are read, so a 1 MB vocabulary costs one pass and one small key buffer.
 *
 * Errors are CTOK_EJSON (or the status noted) and fill the cursor's diag with the input's name,
 * the 1-based line (counted only when an error happens) and the 0-based byte offset of the
 * problem.  The public helpers ctok_json_text / ctok_json_ids / ctok_json_quote live in json.c too.
 */
#ifndef CTOK_JSON_H
#define CTOK_JSON_H

#include "internal.h"

typedef struct ctok__json_cursor {
    const uint8_t *data; /* the whole input: offsets and lines are counted from here */
    size_t len;
    size_t pos;          /* the next byte to read */
    const char *name;    /* the input's name for messages, or NULL */
    ctok_diag *diag;     /* may be NULL */
} ctok__json_cursor;

/* Start reading data[0 .. len). */
void ctok__json_init(ctok__json_cursor *c, const uint8_t *data, size_t len, const char *name,
                     ctok_diag *diag);

/* Fill the diag with "NAME: line L, byte offset B: MESSAGE" for the byte at pos and return
 * status.  Callbacks use it to report their own errors (a duplicate key, out of memory). */
int ctok__json_fail(const ctok__json_cursor *c, size_t pos, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Skip whitespace and return the next byte without consuming it, or -1 at the end. */
int ctok__json_peek(ctok__json_cursor *c);

/* Skip whitespace and consume ch; CTOK_EJSON ("expected ','") if the next byte is another. */
int ctok__json_expect(ctok__json_cursor *c, char ch);

/* After the last value: only whitespace may remain ("trailing characters" otherwise). */
int ctok__json_end(ctok__json_cursor *c);

/* Read a string literal (after whitespace) and decode it: escapes including \uXXXX surrogate
 * pairs become UTF-8.  The decoded bytes are written to out[0 .. cap) as far as they fit; *len is
 * the full decoded length, so *len > cap means out holds only a prefix (the literal is consumed
 * either way; out may be NULL when cap is 0, to validate and measure only).  Decoding never
 * grows: *len <= the literal's length.  Rejected: raw control bytes, invalid UTF-8, bad escapes,
 * lone surrogates, a missing closing quote. */
int ctok__json_string(ctok__json_cursor *c, uint8_t *out, size_t cap, size_t *len);

/* Read a string literal and tell whether it decodes to exactly s[0 .. n), without a buffer. */
int ctok__json_string_equals(ctok__json_cursor *c, const uint8_t *s, size_t n, bool *equal);

/* Read a non-negative integer <= max in plain decimal: no sign, fraction, exponent or leading
 * zero.  The error offset is the number's first byte. */
int ctok__json_uint(ctok__json_cursor *c, uint64_t max, uint64_t *value);

/* Skip one value of any kind (strings and numbers fully validated), up to
 * CTOK__JSON_MAX_DEPTH levels of nested arrays and objects. */
#define CTOK__JSON_MAX_DEPTH 1024
int ctok__json_skip(ctok__json_cursor *c);

/* Called for each member of a string -> integer object with the decoded key (valid only during
 * the call) and where its literal starts.  Return 0 to go on; anything else stops the reader,
 * which returns it unchanged (fill the diag first, e.g. with ctok__json_fail(c, key_pos, ...)). */
typedef int (*ctok__json_member_fn)(void *user, ctok__json_cursor *c, size_t key_pos,
                                    const uint8_t *key, size_t key_len, uint64_t value);

/* Read an object whose values are integers <= max at the cursor, calling fn for each member in
 * file order (duplicate keys included: the callback decides).  Keys longer than a small stack
 * buffer are decoded into a buffer from alloc (NULL: malloc); CTOK_ENOMEM if that fails. */
int ctok__json_uint_object(ctok__json_cursor *c, uint64_t max, const ctok_allocator *alloc,
                           ctok__json_member_fn fn, void *user);

/* The same for a whole input that is one such object (encoder.json): init, object, end. */
int ctok__json_read_uint_object(const uint8_t *data, size_t len, const char *name, uint64_t max,
                                const ctok_allocator *alloc, ctok__json_member_fn fn, void *user,
                                ctok_diag *diag);

#endif /* CTOK_JSON_H */
