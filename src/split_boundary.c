/*
 * split_boundary.c - where a text may be cut without changing how it splits: what streaming
 * (training and encoding block by block) and splitting one input across threads rely on.
 */
#include "split.h"
#include "unicode.h"

static bool letter_or_mark(uint32_t cp)
{
    return ctok__unicode_is_letter(cp) || ctok__unicode_is_mark(cp);
}

/* The character that ends at text[end) (exclusive, end >= 1) into *cp: false if the bytes before
 * end are not a complete character. */
static bool char_before(const uint8_t *text, size_t end, uint32_t *cp)
{
    size_t b = end - 1;
    while (b > 0 && end - b < 4 && (text[b] & 0xC0) == 0x80)
        b--;
    return ctok__utf8_decode(text + b, end - b, cp) == end - b;
}

/* The built-in patterns decide where a piece ends by looking at the next character, except
 * across white space (\s+(?!\S), \s*[\r\n]+, \s++$), for a contraction after letters (up to three
 * characters), and within a run of letters and marks, where o200k's [U]*[W]+ backtracks ("中AAA"
 * is one piece if a lowercase letter follows the capitals, "中" and "AAA" otherwise).  So a piece
 * that starts with a complete character that is not white space, not inside a run of letters and
 * marks, at least 16 bytes before the end of the data, starts the same whatever follows. */
bool ctok__split_certain_boundary(const uint8_t *text, size_t len, size_t s)
{
    uint32_t cp, before;
    if (s == 0 || len - s < 16 || !ctok__utf8_decode(text + s, len - s, &cp) ||
        ctok__unicode_is_space(cp))
        return false;
    return !(letter_or_mark(cp) && char_before(text, s, &before) && letter_or_mark(before));
}

/* Whether the character that ends at text[end) (exclusive) is white space. */
static bool space_before(const uint8_t *text, size_t end)
{
    uint32_t cp;
    return char_before(text, end, &cp) && ctok__unicode_is_space(cp);
}

bool ctok__split_cut_boundary(const uint8_t *text, size_t len, size_t s)
{
    return ctok__split_certain_boundary(text, len, s) && !space_before(text, s);
}

/* Whether text[c] starts a character that is complete and not white space (nor '/'). */
static bool solid_at(const uint8_t *text, size_t len, size_t c)
{
    uint32_t cp;
    return ctok__utf8_decode(text + c, len - c, &cp) && !ctok__unicode_is_space(cp) && cp != '/';
}

/* Four kinds of place, where every built-in pattern ends a piece whether the text goes on or ends
 * there, and starts the next piece without looking back (the patterns have no lookbehind):
 *   "X\nY": a newline between characters X and Y that are not white space, Y not '/'.  The newline
 *     is a white space run of its own (so \s+(?!\S) and \s*[\r\n]+ take it alone either way) or
 *     ends a punctuation piece ([\r\n]* / [\r\n/]* stop at Y); no letter piece takes a newline.
 *   "X L": a space between a character X that is not white space and a letter L (any script).  The
 *     piece ending at X (letters, digits or punctuation) stops at the space either way; the space
 *     starts " L..." (` ?\p{L}+`, `[^\r\n\p{L}\p{N}]?\p{L}+`, and o200k's U*W+ or U+W*: every
 *     letter is in U or in W).
 *   "LP": a letter L and a character P that is no letter, mark, white space or apostrophe.  The
 *     letters' piece stops at P as at the end of the text: P is in none of their classes and
 *     starts no contraction (those begin with the ASCII apostrophe), and o200k's
 *     capitals-then-lowercase backtracking looks for a letter or a mark.  P starts the next piece:
 *     `[^\r\n\p{L}\p{N}]?\p{L}+` with a letter after it, ` ?[^\s\p{L}\p{N}]+`, or a digit run
 *     (below).  Text in scripts without spaces (Chinese, Japanese) has these at its punctuation.
 *   "1a": an ASCII digit and an ASCII letter (the other way round is an "LP").  No piece holds
 *     both: digit pieces are digits, letter pieces letters and marks (with a contraction or one
 *     leading character that is neither a letter nor a digit).  The digit run's pieces
 *     (\p{N}{1,3}, \p{N}+) count from its first digit, which the cut leaves where it was, and it
 *     ends at the letter as at the end of the text.  Base64, hex and identifiers such as "utf8"
 *     have these where they have no spaces or newlines for the other kinds.
 * tests/unit/test_pretok.c checks every place found in random strings against PCRE2's pieces. */
static bool ascii_letter(uint8_t b) { return (b | 0x20) >= 'a' && (b | 0x20) <= 'z'; }

static bool ascii_digit(uint8_t b) { return b >= '0' && b <= '9'; }

/* Whether text[c] starts a complete character that is a letter. */
static bool letter_at(const uint8_t *text, size_t len, size_t c)
{
    if (text[c] < 0x80)
        return ascii_letter(text[c]);
    uint32_t cp;
    return ctok__utf8_decode(text + c, len - c, &cp) && ctok__unicode_is_letter(cp);
}

/* Whether the character that ends at text[end) (exclusive) is complete and a letter. */
static bool letter_before(const uint8_t *text, size_t end)
{
    uint32_t cp;
    return char_before(text, end, &cp) && ctok__unicode_is_letter(cp);
}

/* Whether text[c] starts a complete character P that stops a run of letters and starts a piece,
 * after a letter ("LP" above); c >= 1, c + 4 <= len.  Bytes are tested before anything is
 * decoded: the search for a cut passes every byte of a text that has none. */
static bool letter_stops_at(const uint8_t *text, size_t len, size_t c)
{
    uint8_t a = text[c - 1], b = text[c];
    if (a < 0x80 ? !ascii_letter(a) : (a & 0xC0) != 0x80)
        return false; /* no letter, nor the last byte of a character, ends at c */
    if (b < 0x80) {
        if (ascii_letter(b) || b == '\'' || ctok__unicode_is_space(b))
            return false;
    } else {
        uint32_t cp;
        if ((b & 0xC0) != 0xC0 || !ctok__utf8_decode(text + c, len - c, &cp) ||
            letter_or_mark(cp) || ctok__unicode_is_space(cp))
            return false; /* inside a character, not one, or not a P */
    }
    return letter_before(text, c);
}

/* Whether text may be cut at c: one of the four kinds of place above (2 <= c <= len - 16).  It
 * reads text[c - REACH .. c + REACH) and no other byte (in fact five bytes either way). */
enum { REACH = 8 };
static bool cut_at(const uint8_t *text, size_t len, size_t c)
{
    if (ascii_letter(text[c]) && ascii_letter(text[c - 1]))
        return false; /* inside a run of ASCII letters, none of the four (the common case) */
    if (text[c - 1] == '\n' && solid_at(text, len, c) && !space_before(text, c - 1))
        return true;
    if (text[c] == ' ' && letter_at(text, len, c + 1) && !space_before(text, c))
        return true;
    if (ascii_digit(text[c - 1]) && ascii_letter(text[c]))
        return true;
    return letter_stops_at(text, len, c);
}

bool ctok__split_fast_cut_at(const uint8_t *text, size_t len, size_t c)
{
    return len >= 16 && c >= 2 && c <= len - 16 && cut_at(text, len, c);
}

/* A text with no place to cut (one piece of many megabytes) is searched whole each time more of
 * it has been read, and the search took more than half of `ctok count` on a 100 MB run of one
 * letter.  Such runs repeat a few bytes (a letter, a Chinese character, "ab"), and where the bytes
 * within REACH of two places p apart are the same, so is the verdict.  So after SKIP_AFTER places
 * in a row that are not cuts, if the text around repeats with a period p <= MAX_PERIOD, the
 * search goes straight to where the repetition ends (periodic_floor). */
enum { SKIP_AFTER = 32, MAX_PERIOD = 4, FLOOR = REACH + 2 };

/* With the places c .. c + p - 1 checked and none a cut: the least y >= FLOOR such that
 * text[j] == text[j + p] for every j in [y - REACH, c - 1 + REACH).  Each place x in [y, c) then
 * reads the same bytes as x + p, so it has the same verdict: none is a cut. */
static size_t periodic_floor(const uint8_t *text, size_t c, size_t p)
{
    /* the bytes repeat from i to c - 1 + REACH; i goes down 64 bytes at a time, then by one */
    size_t i = c - 1 + REACH, lowest = FLOOR - REACH;
    while (i - lowest >= 64 && !memcmp(text + i - 64, text + i - 64 + p, 64))
        i -= 64;
    while (i > lowest && text[i - 1] == text[i - 1 + p])
        i--;
    return i + REACH;
}

size_t ctok__split_fast_cut(const uint8_t *text, size_t len, size_t limit)
{
    if (len < 16)
        return 0;
    size_t hi = limit < len - 16 ? limit : len - 16;
    unsigned misses = 0; /* places in a row that are not cuts */
    for (size_t c = hi; c >= 2; c--) {
        if (cut_at(text, len, c))
            return c;
        if (++misses < SKIP_AFTER || c < FLOOR)
            continue;
        misses = 0;
        for (size_t p = 1; p <= MAX_PERIOD; p++)
            if (!memcmp(text + c - REACH, text + c - REACH + p, 2 * REACH)) {
                size_t y = periodic_floor(text, c, p);
                c = y < c ? y : c; /* the loop goes on at y - 1 */
                break;
            }
    }
    return 0;
}
