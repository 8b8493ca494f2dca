/*
 * unicode.c - property names and range listing over the Unicode 16.0 tables (unicode.h): what
 * the PCRE2 path needs to rewrite \p{..} and \s into explicit code point classes, so that PCRE2
 * (whose own tables are older) means what tiktoken means.
 */
#include "unicode.h"

#include <string.h>

static const char CAT_NAMES[][3] = {
    "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe",
    "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn",
};

const char *ctok__unicode_category_name(ctok__ucat cat)
{
    return (unsigned)cat <= CTOK__UCAT_CN ? CAT_NAMES[cat] : "??";
}

#define CAT(c) (1u << CTOK__UCAT_##c)
#define GROUP_L (CAT(LU) | CAT(LL) | CAT(LT) | CAT(LM) | CAT(LO))
#define GROUP_M (CAT(MN) | CAT(MC) | CAT(ME))
#define GROUP_N (CAT(ND) | CAT(NL) | CAT(NO))
#define GROUP_P (CAT(PC) | CAT(PD) | CAT(PS) | CAT(PE) | CAT(PI) | CAT(PF) | CAT(PO))
#define GROUP_S (CAT(SM) | CAT(SC) | CAT(SK) | CAT(SO))
#define GROUP_Z (CAT(ZS) | CAT(ZL) | CAT(ZP))
#define GROUP_C (CAT(CC) | CAT(CF) | CAT(CS) | CAT(CO) | CAT(CN))
#define ALL_CATS ((1u << (CTOK__UCAT_CN + 1)) - 1)

/* Loose names (lower case, no '_', '-', ' ') -> category bits.  White_Space is handled apart. */
static const struct {
    const char *name;
    uint32_t cats;
} NAMES[] = {
    {"l", GROUP_L}, {"letter", GROUP_L},
    {"lc", CAT(LU) | CAT(LL) | CAT(LT)}, {"l&", CAT(LU) | CAT(LL) | CAT(LT)},
    {"casedletter", CAT(LU) | CAT(LL) | CAT(LT)},
    {"lu", CAT(LU)}, {"uppercaseletter", CAT(LU)},
    {"ll", CAT(LL)}, {"lowercaseletter", CAT(LL)},
    {"lt", CAT(LT)}, {"titlecaseletter", CAT(LT)},
    {"lm", CAT(LM)}, {"modifierletter", CAT(LM)},
    {"lo", CAT(LO)}, {"otherletter", CAT(LO)},
    {"m", GROUP_M}, {"mark", GROUP_M}, {"combiningmark", GROUP_M},
    {"mn", CAT(MN)}, {"nonspacingmark", CAT(MN)},
    {"mc", CAT(MC)}, {"spacingmark", CAT(MC)},
    {"me", CAT(ME)}, {"enclosingmark", CAT(ME)},
    {"n", GROUP_N}, {"number", GROUP_N},
    {"nd", CAT(ND)}, {"decimalnumber", CAT(ND)}, {"digit", CAT(ND)},
    {"nl", CAT(NL)}, {"letternumber", CAT(NL)},
    {"no", CAT(NO)}, {"othernumber", CAT(NO)},
    {"p", GROUP_P}, {"punctuation", GROUP_P}, {"punct", GROUP_P},
    {"pc", CAT(PC)}, {"connectorpunctuation", CAT(PC)},
    {"pd", CAT(PD)}, {"dashpunctuation", CAT(PD)},
    {"ps", CAT(PS)}, {"openpunctuation", CAT(PS)},
    {"pe", CAT(PE)}, {"closepunctuation", CAT(PE)},
    {"pi", CAT(PI)}, {"initialpunctuation", CAT(PI)},
    {"pf", CAT(PF)}, {"finalpunctuation", CAT(PF)},
    {"po", CAT(PO)}, {"otherpunctuation", CAT(PO)},
    {"s", GROUP_S}, {"symbol", GROUP_S},
    {"sm", CAT(SM)}, {"mathsymbol", CAT(SM)},
    {"sc", CAT(SC)}, {"currencysymbol", CAT(SC)},
    {"sk", CAT(SK)}, {"modifiersymbol", CAT(SK)},
    {"so", CAT(SO)}, {"othersymbol", CAT(SO)},
    {"z", GROUP_Z}, {"separator", GROUP_Z},
    {"zs", CAT(ZS)}, {"spaceseparator", CAT(ZS)},
    {"zl", CAT(ZL)}, {"lineseparator", CAT(ZL)},
    {"zp", CAT(ZP)}, {"paragraphseparator", CAT(ZP)},
    {"c", GROUP_C}, {"other", GROUP_C},
    {"cc", CAT(CC)}, {"control", CAT(CC)}, {"cntrl", CAT(CC)},
    {"cf", CAT(CF)}, {"format", CAT(CF)},
    {"cs", CAT(CS)}, {"surrogate", CAT(CS)},
    {"co", CAT(CO)}, {"privateuse", CAT(CO)},
    {"cn", CAT(CN)}, {"unassigned", CAT(CN)},
    {"any", ALL_CATS}, {"assigned", ALL_CATS & ~CAT(CN)},
};

bool ctok__unicode_property(const char *name, size_t len, uint64_t *mask)
{
    char key[40];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (c == ' ' || c == '_' || c == '-')
            continue;
        if (n + 1 >= sizeof key)
            return false;
        key[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    key[n] = 0;
    /* "gc=Lu", "gc:Lu", "General_Category=Lu" */
    static const char *const prefixes[] = {"gc=", "gc:", "generalcategory=", "generalcategory:"};
    const char *k = key;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t pl = strlen(prefixes[i]);
        if (n > pl && memcmp(key, prefixes[i], pl) == 0) {
            k = key + pl;
            break;
        }
    }
    if (k == key && (!strcmp(k, "whitespace") || !strcmp(k, "wspace") || !strcmp(k, "space"))) {
        *mask = ctok__umask_space();
        return true;
    }
    for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++) {
        if (!strcmp(k, NAMES[i].name)) {
            *mask = ctok__umask_cats(NAMES[i].cats);
            return true;
        }
    }
    return false;
}

/* The range being built, so that neighbouring blocks merge and surrogates are cut out. */
typedef struct range_builder {
    void (*emit)(void *ctx, uint32_t lo, uint32_t hi);
    void *ctx;
    bool open;
    uint32_t lo;
} range_builder;

static void range_close(range_builder *rb, uint32_t end /* exclusive */)
{
    if (!rb->open)
        return;
    rb->open = false;
    uint32_t lo = rb->lo, hi = end - 1;
    if (lo < 0xD800 && hi >= 0xD800) {
        rb->emit(rb->ctx, lo, 0xD7FF);
        lo = 0xE000;
    } else if (lo >= 0xD800 && lo <= 0xDFFF) {
        lo = 0xE000;
    }
    if (hi >= 0xD800 && hi <= 0xDFFF)
        hi = 0xD7FF;
    if (lo <= hi)
        rb->emit(rb->ctx, lo, hi);
}

void ctok__unicode_ranges(uint64_t mask, void (*emit)(void *ctx, uint32_t lo, uint32_t hi),
                          void *ctx)
{
    enum { UNKNOWN, NONE, ALL, MIXED };
    uint8_t status[256] = {0}; /* per distinct stage-2 block: which of its code points are in */
    range_builder rb = {emit, ctx, false, 0};
    const uint32_t block = 1u << CTOK__UCD_SHIFT;
    for (uint32_t bi = 0; bi < (0x110000u >> CTOK__UCD_SHIFT); bi++) {
        uint8_t id = ctok__ucd_stage1[bi];
        const uint8_t *props = ctok__ucd_stage2 + ((size_t)id << CTOK__UCD_SHIFT);
        if (status[id] == UNKNOWN) {
            uint32_t in = 0;
            for (uint32_t j = 0; j < block; j++)
                in += (uint32_t)((mask >> props[j]) & 1);
            status[id] = in == 0 ? NONE : in == block ? ALL : MIXED;
        }
        uint32_t base = bi << CTOK__UCD_SHIFT;
        if (status[id] == ALL) {
            if (!rb.open) {
                rb.open = true;
                rb.lo = base;
            }
            continue;
        }
        if (status[id] == NONE) {
            range_close(&rb, base);
            continue;
        }
        for (uint32_t j = 0; j < block; j++) {
            bool in = (mask >> props[j]) & 1;
            if (in && !rb.open) {
                rb.open = true;
                rb.lo = base + j;
            } else if (!in) {
                range_close(&rb, base + j);
            }
        }
    }
    range_close(&rb, 0x110000);
}
