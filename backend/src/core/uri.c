#include "core/uri.h"

#include "core/crypto_util.h"

#include <string.h>

int uri_split(arena *a, const char *request_uri, char **path, char **query)
{
    if (!request_uri || request_uri[0] != '/')
        return -1;
    const char *q = strchr(request_uri, '?');
    size_t plen = q ? (size_t)(q - request_uri) : strlen(request_uri);
    *path = arena_strndup(a, request_uri, plen);
    *query = arena_strdup(a, q ? q + 1 : "");
    return (*path && *query) ? 0 : -1;
}

char *uri_decode(arena *a, const char *s, size_t len, int plus_is_space)
{
    char *out = arena_alloc(a, len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= len)
                return NULL;
            int hi = hex_digit_value(s[i + 1]), lo = hex_digit_value(s[i + 2]);
            if (hi < 0 || lo < 0)
                return NULL;
            char d = (char)(hi * 16 + lo);
            if (d == '\0')
                return NULL;
            out[o++] = d;
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out[o++] = ' ';
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    return out;
}

int uri_parse_query(arena *a, const char *query, uri_params *out)
{
    out->items = NULL;
    out->count = 0;
    if (!query || !*query)
        return 0;
    size_t n = 1;
    for (const char *p = query; *p; p++)
        if (*p == '&')
            n++;
    out->items = arena_alloc(a, n * sizeof(uri_param));
    if (!out->items)
        return -1;
    const char *p = query;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len > 0) {
            const char *eq = memchr(p, '=', len);
            size_t klen = eq ? (size_t)(eq - p) : len;
            char *k = uri_decode(a, p, klen, 1);
            char *v = eq ? uri_decode(a, eq + 1, len - klen - 1, 1) : arena_strdup(a, "");
            if (!k || !v)
                return -1;
            out->items[out->count].name = k;
            out->items[out->count].value = v;
            out->count++;
        }
        if (!amp)
            break;
        p = amp + 1;
    }
    return 0;
}

const char *uri_param_get(const uri_params *p, const char *name)
{
    for (size_t i = 0; i < p->count; i++)
        if (strcmp(p->items[i].name, name) == 0)
            return p->items[i].value;
    return NULL;
}

int header_list_next(const char **p, char sep, const char **entry, size_t *len)
{
    const char *s = *p;
    while (*s == ' ' || *s == sep)
        s++;
    if (!*s)
        return 0;
    const char *end = strchr(s, sep);
    *entry = s;
    *len = end ? (size_t)(end - s) : strlen(s);
    *p = s + *len;
    return 1;
}

const char *uri_cookie_get(arena *a, const char *cookie_header, const char *name)
{
    size_t nlen = strlen(name), len;
    const char *p = cookie_header ? cookie_header : "", *c;
    while (header_list_next(&p, ';', &c, &len))
        if (len > nlen && strncmp(c, name, nlen) == 0 && c[nlen] == '=')
            return arena_strndup(a, c + nlen + 1, len - nlen - 1);
    return NULL;
}

long long uri_parse_digits(const char *s, size_t max_digits)
{
    if (!s || !*s || strlen(s) > max_digits || max_digits > 18)
        return -1;
    long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}
