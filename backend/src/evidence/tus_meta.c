#include "evidence/tus_meta.h"

#include "core/crypto_util.h"
#include "core/uri.h"

#include <string.h>

long long tus_parse_number(const char *s)
{
    return uri_parse_digits(s, 18);
}

/* Standard base64 with optional padding. NULL on bad input or an embedded NUL. */
static char *b64_decode(arena *a, const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == '=')
        n--;
    if (n % 4 == 1)
        return NULL;
    char *out = arena_alloc(a, n * 3 / 4 + 2);
    if (!out)
        return NULL;
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = base64_digit_value(s[i], 0);
        if (v < 0)
            return NULL;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            char c = (char)((acc >> bits) & 0xFF);
            if (c == '\0')
                return NULL;
            out[o++] = c;
        }
    }
    out[o] = '\0';
    return out;
}

const char *tus_metadata_get(arena *a, const char *header, const char *key)
{
    size_t klen = strlen(key), len;
    const char *p = header ? header : "", *e;
    while (header_list_next(&p, ',', &e, &len)) {
        const char *space = memchr(e, ' ', len);
        size_t name_len = space ? (size_t)(space - e) : len;
        if (name_len == klen && strncmp(e, key, klen) == 0)
            return space ? b64_decode(a, space + 1, len - name_len - 1) : "";
    }
    return NULL;
}
