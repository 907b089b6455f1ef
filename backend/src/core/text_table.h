/* Texts of an enum's values in a table indexed by the enum, instead of a switch that returns
 * a string per case:
 *
 *     static const char *const TEXT[] = {[TOKEN_OK] = "ok", [TOKEN_EXPIRED] = "…"};
 *     return TEXT_OF(TEXT, s, "unknown");
 *
 * A value outside the table, or one the table gives no text, reads as the fallback. */
#ifndef VSOK_TEXT_TABLE_H
#define VSOK_TEXT_TABLE_H

#include <stddef.h>

static inline const char *text_of(const char *const *table, size_t n, long k, const char *fallback)
{
    return k >= 0 && (size_t)k < n && table[k] ? table[k] : fallback;
}

#define TEXT_OF(table, k, fallback)                                                                \
    text_of((table), sizeof(table) / sizeof((table)[0]), (long)(k), (fallback))

#endif
