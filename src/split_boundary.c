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
    if (!letter_or_mark(cp))
        return true;
    size_t b = s - 1;
    while (b > 0 && s - b < 4 && (text[b] & 0xC0) == 0x80)
        b--;
    return !(ctok__utf8_decode(text + b, s - b, &before) == s - b && letter_or_mark(before));
}

static bool ascii_alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Whether the character that ends at text[end) (exclusive) is white space. */
static bool space_before(const uint8_t *text, size_t end)
{
    size_t b = end - 1;
    while (b > 0 && end - b < 4 && (text[b] & 0xC0) == 0x80)
        b--;
    uint32_t cp;
    return ctok__utf8_decode(text + b, end - b, &cp) == end - b && ctok__unicode_is_space(cp);
}

bool ctok__split_cut_boundary(const uint8_t *text, size_t len, size_t s)
{
    return ctok__split_certain_boundary(text, len, s) && !space_before(text, s);
}

size_t ctok__split_fast_cut(const uint8_t *text, size_t len, size_t limit)
{
    /* "X\n" then an ASCII letter or digit, X not white space: every built-in pattern ends a piece
     * at that newline whether the text goes on or ends there (a white space run of just "\n"
     * splits the same either way; punctuation's [\r\n/]* stops before a letter or digit; no
     * letter piece takes a newline as its optional first character), and starts the next piece at
     * the letter, which does not depend on what came before. */
    if (len < 16)
        return 0;
    size_t hi = limit < len - 16 ? limit : len - 16;
    for (size_t c = hi; c >= 3; c--)
        if (text[c - 1] == '\n' && ascii_alnum(text[c]) && !space_before(text, c - 1))
            return c;
    return 0;
}
