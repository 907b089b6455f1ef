#include "evidence/evidence_caption.h"

#include <stdint.h>

/* The length of the UTF-8 sequence at s (at most n bytes) and its code point, or 0 when it
 * is not a valid, shortest-form sequence of a scalar value. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static int is_trim_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

caption_result evidence_caption_clean(arena *a, const char *str, size_t n, const char **out)
{
    const unsigned char *s = (const unsigned char *)str;
    *out = NULL;
    size_t chars = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_next(s + i, n - i, &cp);
        if (len == 0)
            return CAPTION_BAD_UTF8;
        if ((cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t') || (cp >= 0x7F && cp < 0xA0))
            return CAPTION_CONTROL;
        i += len;
        chars++;
    }
    size_t b = 0, e = n;
    while (b < e && is_trim_space(s[b]))
        b++;
    while (e > b && is_trim_space(s[e - 1]))
        e--;
    chars -= (b + (n - e)); /* the trimmed bytes are one character each */
    if (chars > EVIDENCE_CAPTION_MAX)
        return CAPTION_TOO_LONG;
    if (e > b)
        *out = arena_strndup(a, str + b, e - b);
    return CAPTION_OK;
}

const char *evidence_caption_message(caption_result r)
{
    static const char *const messages[] = {
        [CAPTION_BAD_UTF8] = "Подпись должна быть текстом в UTF-8.",
        [CAPTION_CONTROL] = "В подписи есть недопустимые управляющие символы.",
        [CAPTION_TOO_LONG] = "Подпись длиннее 1000 символов.",
    };
    size_t i = (size_t)r;
    return i < sizeof messages / sizeof messages[0] && messages[i] ? messages[i] : "";
}
