/*
 * pretok.c - hand-written scanners for the built-in split patterns (see pretok.h for the
 * patterns).  Each function below follows its pattern's alternatives in order, the way a
 * backtracking regex engine would try them, but decides each alternative from a few character
 * classes instead of backtracking: greedy runs, the optional leading character, the give-back of
 * \s+(?!\S) and the last-newline rule of \s*[\r\n]+ all reduce to one forward scan plus at most
 * one step back, so every piece costs time linear in its length.
 *
 * Characters are classified into the bits below: a byte table for ASCII and the Unicode 16 props
 * byte (unicode.h) for the rest.  The text is valid UTF-8 (the caller's promise), so decoding
 * needs no checks.  Splitting a run of pieces in one call (ctok__pretok_pieces) lets the compiler
 * inline the scanner into the loop; see pretok.h for what each pattern is.
 */
#include "pretok.h"

#include "ascii_window.h"
#include "unicode.h"

#include <stdbool.h>
#include <string.h>

/* The scanners are inlined into the loop of ctok__pretok_pieces: a call per piece (saving and
 * restoring registers) costs as much as scanning a short word. */
#if defined(__GNUC__)
#define SCANNER static inline __attribute__((always_inline))
#else
#define SCANNER static inline
#endif

enum {
    K_L = 1,    /* \p{L} */
    K_N = 2,    /* \p{N} */
    K_WS = 4,   /* \s: White_Space */
    K_NL = 8,   /* [\r\n] */
    K_O = 16,   /* [^\s\p{L}\p{N}] */
    K_P = 32,   /* [^\r\n\p{L}\p{N}]: the optional first character of a word */
    K_UP = 64,  /* [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] (o200k) */
    K_LO = 128, /* [\p{Ll}\p{Lm}\p{Lo}\p{M}] (o200k) */
    K_HI = 256  /* in BYTE_CLASS only: the first byte of a multi-byte character, look it up */
};

/* Classes of the ASCII characters; any other byte starts a multi-byte character (K_HI). */
#define O_ (K_O | K_P)        /* punctuation, symbols, control characters */
#define SP (K_WS | K_P)       /* space, \t, \v, \f */
#define NL (K_WS | K_NL)      /* \n, \r */
#define UP (K_L | K_UP)       /* A-Z */
#define LO (K_L | K_LO)       /* a-z */
#define DG K_N                /* 0-9 */
#define HI K_HI
#define HI16 HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI
static const uint16_t BYTE_CLASS[256] = {
    O_, O_, O_, O_, O_, O_, O_, O_, O_, SP, NL, SP, SP, NL, O_, O_, /* 0x00 */
    O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, /* 0x10: not White_Space */
    SP, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, /* 0x20 */
    DG, DG, DG, DG, DG, DG, DG, DG, DG, DG, O_, O_, O_, O_, O_, O_, /* 0x30 */
    O_, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, /* 0x40 */
    UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, O_, O_, O_, O_, O_, /* 0x50 */
    O_, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, /* 0x60 */
    LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, O_, O_, O_, O_, O_, /* 0x70 */
    HI16, HI16, HI16, HI16, HI16, HI16, HI16, HI16,
};

/* Classes of non-ASCII characters by props byte (category | White_Space bit).  Non-ASCII white
 * space is never \r or \n; marks are neither letters nor numbers but belong to both o200k sets. */
#define BOTH (K_L | K_UP | K_LO) /* Lm, Lo */
#define MARK (K_O | K_P | K_UP | K_LO)
#define WS_ (K_WS | K_P)
static const uint8_t PROPS_CLASS[64] = {
    UP, LO, UP, BOTH, BOTH,                 /* Lu Ll Lt Lm Lo */
    MARK, MARK, MARK,                       /* Mn Mc Me */
    DG, DG, DG,                             /* Nd Nl No */
    O_, O_, O_, O_, O_, O_, O_,             /* Pc Pd Ps Pe Pi Pf Po */
    O_, O_, O_, O_,                         /* Sm Sc Sk So */
    O_, O_, O_,                             /* Zs Zl Zp (that are not White_Space) */
    O_, O_, O_, O_, O_,                     /* Cc Cf Cs Co Cn */
    O_, O_,                                 /* (unused) */
    WS_, WS_, WS_, WS_, WS_, WS_, WS_, WS_, /* White_Space, whatever the category */
    WS_, WS_, WS_, WS_, WS_, WS_, WS_, WS_, WS_, WS_, WS_, WS_, WS_, WS_, WS_, WS_,
    WS_, WS_, WS_, WS_, WS_, WS_, WS_, WS_,
};

/* The class of the non-ASCII character at p, and its length. */
static inline unsigned class_nonascii(const uint8_t *p, size_t *n)
{
    uint32_t cp;
    uint8_t b = p[0];
    if (b < 0xE0) {
        *n = 2;
        cp = ((uint32_t)(b & 0x1F) << 6) | (p[1] & 0x3F);
    } else if (b < 0xF0) {
        *n = 3;
        cp = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    } else {
        *n = 4;
        cp = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
             ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    }
    unsigned props = ctok__ucd_stage2[((size_t)ctok__ucd_stage1[cp >> CTOK__UCD_SHIFT]
                                       << CTOK__UCD_SHIFT) | (cp & 0xFF)];
    return PROPS_CLASS[props];
}

/* The class of the character at s[k] and its length; 0 (no class) and length 0 at the end. */
static inline unsigned class_at(const uint8_t *s, size_t len, size_t k, size_t *n)
{
    if (k >= len) {
        *n = 0;
        return 0;
    }
    unsigned c = BYTE_CLASS[s[k]];
    if (!(c & K_HI)) {
        *n = 1;
        return c;
    }
    return class_nonascii(s + k, n);
}

/* The end of the run of characters with any of bits starting at k. */
static inline size_t run(const uint8_t *s, size_t len, size_t k, unsigned bits)
{
    while (k < len) {
        unsigned c = BYTE_CLASS[s[k]];
        if (c & bits) {
            k++;
            continue;
        }
        size_t n;
        if (!(c & K_HI) || !(class_nonascii(s + k, &n) & bits))
            return k;
        k += n;
    }
    return k;
}

/* run(s, len, k, bits) for bits K_L, K_UP or K_LO: ASCII letters by the window's masks, 64 at a
 * time (the window is moved along as the run goes on), and from the first other character on as
 * run does it (which a non-ASCII letter continues). */
SCANNER size_t run_letters(ctok__ascii_window *w, const uint8_t *s, size_t len, size_t k,
                           unsigned bits)
{
    for (;;) {
        if (!ctok__ascii_window_has(w, k) && !ctok__ascii_window_fill(w, s, len, k))
            return run(s, len, k, bits);
        uint64_t mask = bits == K_UP ? w->upper : bits == K_LO ? w->lower : w->upper | w->lower;
        bool known;
        k = ctok__ascii_window_run(w, mask, k, &known);
        if (known) /* s[k] is in the window: an ASCII byte out of the class, or not ASCII */
            return s[k] < 0x80 ? k : run(s, len, k, bits);
    }
}

/* \p{N}{1,3} whose first digit ends at k: up to two more digits. */
SCANNER size_t digits_1_to_3(const uint8_t *s, size_t len, size_t k)
{
    size_t n;
    for (int more = 0; more < 2 && (class_at(s, len, k, &n) & K_N); more++)
        k += n;
    return k;
}

/* The length of the contraction 's 't 're 've 'm 'll 'd at s[k] == '\'', or 0.  With icase the
 * letters match in any case by simple case folding: ASCII, plus U+017F (long s) for s. */
static size_t contraction(const uint8_t *s, size_t len, size_t k, bool icase)
{
    if (k + 1 >= len)
        return 0;
    unsigned c = s[k + 1];
    size_t n = 1;
    if (icase) {
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        else if (c == 0xC5 && k + 2 < len && s[k + 2] == 0xBF) {
            c = 's';
            n = 2;
        }
    }
    switch (c) {
    case 's': case 't': case 'm': case 'd':
        return 1 + n;
    case 'r': case 'v': case 'l': {
        if (k + 2 >= len)
            return 0;
        unsigned c2 = s[k + 2];
        if (icase && c2 >= 'A' && c2 <= 'Z')
            c2 += 'a' - 'A';
        return c2 == (c == 'l' ? 'l' : 'e') ? 3 : 0;
    }
    default:
        return 0;
    }
}

/* The white-space alternatives at i (s[i] is white space and nothing before matched):
 *   [\s++$]        with to_end: white space running to the end of the text is one piece;
 *   [\s*[\r\n]+]   with newline: \s* takes the whole run and gives back until [\r\n]+ can match,
 *                  so the piece ends just after the run's last \r or \n (if any);
 *   \s+(?!\S)      the run, or at the end of the text all of it, or before a non-space all but
 *                  its last character (which needs a run of two or more);
 *   \s+            the single white-space character left. */
SCANNER size_t white_space(const uint8_t *s, size_t len, size_t i, bool newline, bool to_end)
{
    size_t k = run(s, len, i, K_WS);
    if (to_end && k == len)
        return k;
    if (newline) {
        for (size_t p = k; p > i; p--)
            if (s[p - 1] == '\n' || s[p - 1] == '\r')
                return p;
    }
    if (k == len)
        return k;
    size_t last = k - 1; /* start of the run's last character */
    while ((s[last] & 0xC0) == 0x80)
        last--;
    return last > i ? last : k;
}

/* 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+ */
SCANNER size_t next_gpt2(ctok__ascii_window *w, const uint8_t *s, size_t len, size_t i)
{
    size_t n, m;
    unsigned c = class_at(s, len, i, &n);
    if (s[i] == '\'' && (m = contraction(s, len, i, false)))
        return i + m;
    size_t j = i;
    if (s[i] == ' ') { /* " ?" takes the space if what follows can continue */
        size_t n2;
        unsigned c2 = class_at(s, len, i + 1, &n2);
        if (c2 & (K_L | K_N | K_O)) {
            j = i + 1;
            c = c2;
            n = n2;
        }
    }
    if (c & K_L)
        return run_letters(w, s, len, j + n, K_L);
    if (c & K_N)
        return run(s, len, j + n, K_N);
    if (c & K_O)
        return run(s, len, j + n, K_O);
    return white_space(s, len, i, false, false);
}

/* (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|
 * \s*[\r\n]+|\s+(?!\S)|\s+   and with py (tiktoken-python 0.14) \s++$ before \s*[\r\n] */
SCANNER size_t next_cl100k(ctok__ascii_window *w, const uint8_t *s, size_t len, size_t i,
                           bool py)
{
    size_t n, n2, m;
    unsigned c = class_at(s, len, i, &n);
    if (c & K_L)
        return run_letters(w, s, len, i + n, K_L);
    if (s[i] == '\'' && (m = contraction(s, len, i, true)))
        return i + m;
    if ((c & K_P) && (class_at(s, len, i + n, &n2) & K_L))
        return run_letters(w, s, len, i + n + n2, K_L);
    if (c & K_N)
        return digits_1_to_3(s, len, i + n);
    if (c & K_O)
        return run(s, len, run(s, len, i + n, K_O), K_NL);
    if (s[i] == ' ' && (class_at(s, len, i + 1, &n2) & K_O))
        return run(s, len, run(s, len, i + 1 + n2, K_O), K_NL);
    return white_space(s, len, i, true, py);
}

/* o200k's word core [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+ at j: the end of
 * the match, or 0 if none.  The first star takes the whole run of "upper" characters; if a
 * "lower" character follows, the plus takes the run of those.  Otherwise the star gives back
 * until the plus can start: at the run's last character that is in both sets (Lm, Lo, M), and as
 * the characters after it are upper-only, the plus then takes just that one. */
SCANNER size_t o200k_word(ctok__ascii_window *w, const uint8_t *s, size_t len, size_t j)
{
    size_t k = j, n, last_both_end = 0;
    unsigned c;
    while ((c = class_at(s, len, k, &n)) & K_UP) {
        k += n;
        if (c & K_LO)
            last_both_end = k;
    }
    if (c & K_LO)
        return run_letters(w, s, len, k + n, K_LO);
    return last_both_end;
}

/* (?i:'s|'t|'re|'ve|'m|'ll|'d)? after o200k's word that ends at e. */
SCANNER size_t o200k_contraction(const uint8_t *s, size_t len, size_t e)
{
    return e < len && s[e] == '\'' ? e + contraction(s, len, e, true) : e;
}

/*  ?[^\s\p{L}\p{N}]+[\r\n/]*  on from k, which is past the optional space and the run's first
 * character. */
SCANNER size_t o200k_punctuation(const uint8_t *s, size_t len, size_t k)
{
    k = run(s, len, k, K_O);
    while (k < len && (s[k] == '\r' || s[k] == '\n' || s[k] == '/'))
        k++;
    return k;
}

/* next_o200k's pieces that start with an ASCII character c that is not a letter.  Which
 * alternatives can match is known from c and the class c2 of the character after it, so each is
 * tried once: the word alternatives need c as their optional first character ([^\r\n\p{L}\p{N}],
 * K_P) and a letter or mark after it (no word core starts at c itself); then come digits, the
 * punctuation run (after an optional space) and white space, in next_o200k's order. */
SCANNER size_t next_o200k_ascii(ctok__ascii_window *w, const uint8_t *s, size_t len, size_t i,
                                unsigned c)
{
    size_t n2, e;
    unsigned c2 = class_at(s, len, i + 1, &n2);
    if ((c & K_P) && (c2 & (K_UP | K_LO))) {
        if (!(c2 & K_UP)) /* lower only (such as a-z): its run is the word core */
            return o200k_contraction(s, len, run_letters(w, s, len, i + 1 + n2, K_LO));
        if ((e = o200k_word(w, s, len, i + 1)))
            return o200k_contraction(s, len, e);
        /* a core that starts with a lower character always matches: c2 is upper, and this is
         * [^\r\n\p{L}\p{N}]?[upper]+ with nothing lower after them */
        return o200k_contraction(s, len, run_letters(w, s, len, i + 1, K_UP));
    }
    if (c & K_N) { /* digits_1_to_3 with the second character's class known (calling it here
                    * took 0.9% more instructions on the corpus sample: gcc laid the loop out
                    * otherwise) */
        if (!(c2 & K_N))
            return i + 1;
        size_t k = i + 1 + n2;
        return k + ((class_at(s, len, k, &n2) & K_N) ? n2 : 0);
    }
    if ((c & K_O) || (s[i] == ' ' && (c2 & K_O)))
        return o200k_punctuation(s, len, i + 1);
    return white_space(s, len, i, true, false);
}

/* next_o200k for a piece that starts with A-Z or a non-ASCII character (not for a space, whose
 * run of punctuation next_o200k_ascii sees to). */
SCANNER size_t next_o200k_general(ctok__ascii_window *w, const uint8_t *s, size_t len, size_t i)
{
    size_t n, n2, e;
    unsigned c = class_at(s, len, i, &n);
    /* alternative 1: [^\r\n\p{L}\p{N}]?  then the word core, first with the optional character */
    if ((c & K_P) && (e = o200k_word(w, s, len, i + n)))
        return o200k_contraction(s, len, e);
    if ((e = o200k_word(w, s, len, i)))
        return o200k_contraction(s, len, e);
    /* alternative 2: [^\r\n\p{L}\p{N}]?[upper]+[lower]*  (alternative 1 failed, so no lower
     * character follows the upper run and the lower star matches empty) */
    if ((c & K_P) && (class_at(s, len, i + n, &n2) & K_UP))
        return o200k_contraction(s, len, run_letters(w, s, len, i + n, K_UP));
    if (c & K_UP)
        return o200k_contraction(s, len, run_letters(w, s, len, i, K_UP));
    if (c & K_N)
        return digits_1_to_3(s, len, i + n);
    if (c & K_O)
        return o200k_punctuation(s, len, i + n);
    return white_space(s, len, i, true, false);
}

/* The piece at i: ASCII lower-case letters and the other ASCII characters that are not letters
 * take the short ways, the rest (A-Z and any non-ASCII character) the general one. */
SCANNER size_t next_o200k(ctok__ascii_window *w, const uint8_t *s, size_t len, size_t i)
{
    unsigned c = BYTE_CLASS[s[i]];
    if (c & K_LO) /* a-z: the word core's lower run, with no upper run before it */
        return o200k_contraction(s, len, run_letters(w, s, len, i + 1, K_LO));
    if (!(c & (K_HI | K_UP)))
        return next_o200k_ascii(w, s, len, i, c);
    return next_o200k_general(w, s, len, i);
}

size_t ctok__pretok_next(ctok__pretok_kind kind, const uint8_t *s, size_t len, size_t pos)
{
    ctok__ascii_window w;
    ctok__ascii_window_reset(&w);
    switch (kind) {
    case CTOK__PRETOK_GPT2: return next_gpt2(&w, s, len, pos);
    case CTOK__PRETOK_CL100K: return next_cl100k(&w, s, len, pos, false);
    case CTOK__PRETOK_CL100K_PY: return next_cl100k(&w, s, len, pos, true);
    case CTOK__PRETOK_O200K: return next_o200k(&w, s, len, pos);
    default: return len; /* not a scanner: the rest is one piece */
    }
}

/* Words in a row, many pieces at once.  In prose most pieces are a word after one space, and a
 * scanner decides each from its first characters: a branch per piece that the CPU often guesses
 * wrong.  Where the text from pos on is ASCII letters and single spaces (up to `end`, the first
 * other byte, or the first of two spaces in a row), every space in it ends a piece under each
 * built-in pattern: a run of letters, with or without one space before it, is a piece of its own
 * that ends at the first byte that is no letter ('s|'t|.. need an apostrophe, and none is there),
 * and a space before a letter always goes with the letter.  o200k_base's [upper]*[lower]+ also
 * ends a piece where an upper-case letter follows a lower-case one (with_case).  So the ends are
 * read off the masks of the letter window; the last piece's end only where the byte at `end`
 * settles it (below).  Returns how many ends were written (0: none, the scanner goes on at pos).
 * Only o200k_base's loop asks it: its scanner tries the word alternatives with and without case
 * for each piece, and there the run gained 4-6% on English (doc/design.md); for gpt2 and
 * cl100k_base, whose scanners find a word in a few steps, it gained nothing and cost 3% on other
 * scripts. */
SCANNER size_t word_run(ctok__ascii_window *w, const uint8_t *s, size_t len, size_t *pos,
                        size_t *ends, size_t room, bool with_case)
{
#ifdef CTOK__ASCII_WINDOW
    size_t p = *pos;
    if (!(BYTE_CLASS[s[p]] & K_L) && s[p] != ' ')
        return 0;
    if (!ctok__ascii_window_has(w, p) || p - w->start > CTOK__WINDOW_BYTES / 2) {
        if (!ctok__ascii_window_fill(w, s, len, p))
            return 0;
    }
    unsigned rel = (unsigned)(p - w->start);
    uint64_t letters = (w->upper | w->lower) >> rel, spaces = w->space >> rel;
    uint64_t other = ~(letters | spaces);  /* ones come in from the top: the window ends */
    uint64_t twice = spaces & (spaces >> 1); /* a space with another after it */
    uint64_t stop = other | twice << 1;      /* the first of two spaces is still in the run */
    /* the run [0, ctz(stop)); a space at 0 must have a letter after it */
    uint64_t in_run = (stop & -stop) - 1;
    if ((spaces & 1) && !(letters & 2))
        return 0;
    uint64_t cut = spaces & in_run & ~(uint64_t)1; /* a piece ends at each space past the first */
    if (with_case)
        cut |= (w->upper >> rel) & (w->lower >> rel) << 1 & in_run;
    /* eight ends written whatever their number (the rest of ends[] is scratch), so that the loop's
     * exit does not depend on how many words there are, most of the time */
    size_t n = 0;
    if (room >= 8) {
        /* n counts the ends found, up to eight, without a popcount: x86-64's baseline has no such
         * instruction, and the library call cost 1% of the corpus */
        uint64_t c = cut;
        for (int i = 0; i < 8; i++, c &= c - 1) {
            ends[i] = p + (size_t)__builtin_ctzll(c | (uint64_t)1 << 63);
            n += c != 0;
        }
        cut = c;
    }
    for (; cut && n < room; cut &= cut - 1)
        ends[n++] = p + (size_t)__builtin_ctzll(cut);
    /* The last piece ends at the run's end too when it has a letter and the byte there is known to
     * end it: ASCII, not a space (two spaces: the white-space rules decide), and for o200k_base
     * not an apostrophe (which may take a contraction into the word). */
    size_t end = (size_t)__builtin_ctzll(stop | (uint64_t)1 << 63), last = n ? ends[n - 1] - p : 0;
    if (!cut && n < room && end < CTOK__WINDOW_BYTES - 1 - rel &&
        ((letters >> last) & 1 || (letters >> (last + 1)) & 1)) {
        uint8_t after = s[p + end]; /* in the window, so in the text */
        if (after < 0x80 && after != ' ' && !(with_case && after == '\''))
            ends[n++] = p + end;
    }
    if (n)
        *pos = ends[n - 1];
    return n;
#else
    (void)w, (void)s, (void)len, (void)pos, (void)ends, (void)room, (void)with_case;
    return 0; /* no masks: the scanners go byte by byte */
#endif
}

/* Many pieces per call: one dispatch, each scanner inlined into its own loop, and one window of
 * letter masks for all of them.  words (a constant): word_run first (o200k_base: see word_run). */
#define SCAN_LOOP(words, next_call)                                                         \
    do {                                                                                    \
        while (n < cap && pos < len) {                                                      \
            size_t k = (words) ? word_run(&w, s, len, &pos, ends + n, cap - n, true) : 0; \
            if (k) {                                                                        \
                n += k;                                                                     \
                continue;                                                                   \
            }                                                                               \
            pos = next_call;                                                                \
            ends[n++] = pos;                                                                \
        }                                                                                   \
    } while (0)

size_t ctok__pretok_pieces(ctok__pretok_kind kind, const uint8_t *s, size_t len, size_t pos,
                           size_t *ends, size_t cap)
{
    size_t n = 0;
    ctok__ascii_window w;
    ctok__ascii_window_reset(&w);
    switch (kind) {
    case CTOK__PRETOK_GPT2: SCAN_LOOP(false, next_gpt2(&w, s, len, pos)); break;
    case CTOK__PRETOK_CL100K: SCAN_LOOP(false, next_cl100k(&w, s, len, pos, false)); break;
    case CTOK__PRETOK_CL100K_PY: SCAN_LOOP(false, next_cl100k(&w, s, len, pos, true)); break;
    case CTOK__PRETOK_O200K: SCAN_LOOP(true, next_o200k(&w, s, len, pos)); break;
    default: SCAN_LOOP(false, len); break;
    }
    return n;
}

/* The spellings recognised: tiktoken's pat_str, tiktoken-python 0.14's, minbpe's GPT4 pattern. */
static const struct {
    const char *text;
    ctok__pretok_kind kind;
} SPELLINGS[] = {
    {"'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
     CTOK__PRETOK_GPT2},
    {"'(?:[sdmt]|ll|ve|re)| ?\\p{L}++| ?\\p{N}++| ?[^\\s\\p{L}\\p{N}]++|\\s++$|\\s+(?!\\S)|\\s",
     CTOK__PRETOK_GPT2},
    {"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+"
     "[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
     CTOK__PRETOK_CL100K},
    {"'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++"
     "[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+",
     CTOK__PRETOK_CL100K},
    {"'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}++|\\p{N}{1,3}+| ?[^\\s\\p{L}\\p{N}]++"
     "[\\r\\n]*+|\\s++$|\\s*[\\r\\n]|\\s+(?!\\S)|\\s",
     CTOK__PRETOK_CL100K_PY},
    {"[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
     "(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
     "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+"
     "[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
     CTOK__PRETOK_O200K},
};

const char *ctok__pretok_spelling(size_t i, ctok__pretok_kind *kind)
{
    if (i >= sizeof SPELLINGS / sizeof *SPELLINGS)
        return NULL;
    if (kind)
        *kind = SPELLINGS[i].kind;
    return SPELLINGS[i].text;
}

ctok__pretok_kind ctok__pretok_lookup(const uint8_t *pattern, size_t len)
{
    for (size_t i = 0; i < sizeof SPELLINGS / sizeof *SPELLINGS; i++)
        if (strlen(SPELLINGS[i].text) == len && memcmp(SPELLINGS[i].text, pattern, len) == 0)
            return SPELLINGS[i].kind;
    return CTOK__PRETOK_NONE;
}
