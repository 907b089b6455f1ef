/* Pure parsing of request URIs, query strings and cookie headers into arena memory. */
#ifndef VSOK_URI_H
#define VSOK_URI_H

#include "core/arena.h"

#include <stddef.h>

typedef struct {
    const char *name;
    const char *value;
} uri_param;

typedef struct {
    uri_param *items;
    size_t count;
} uri_params;

/* Splits REQUEST_URI into path (still percent-encoded) and query (without '?', "" if none).
 * Returns 0 or -1 when the URI does not start with '/'. */
int uri_split(arena *a, const char *request_uri, char **path, char **query);

/* Percent-decodes s; '+' stays '+' unless plus_is_space. Returns NULL on a bad escape, on
 * an encoded NUL, or when out of memory. */
char *uri_decode(arena *a, const char *s, size_t len, int plus_is_space);

/* Parses "a=1&b=x%20y" into params (decoded, '+' as space). Returns 0 or -1 on a bad
 * escape. Keys without '=' get the value "". */
int uri_parse_query(arena *a, const char *query, uri_params *out);

/* First value of name, or NULL. */
const char *uri_param_get(const uri_params *p, const char *name);

/* Steps through a header that lists entries separated by sep ("a=1; b=2" of Cookie with ';',
 * "name bXk=,type aW1n" of tus's Upload-Metadata with ','): skips spaces and separators at
 * *p, sets *entry and *len to the next entry (up to the next sep or the end) and moves *p
 * past it. Returns 0 when no entry is left. */
int header_list_next(const char **p, char sep, const char **entry, size_t *len);

/* A value written in decimal digits only (a query parameter, a header) as a number; -1 when s
 * is NULL or empty, longer than max_digits (at most 18, so that it cannot overflow) or holds
 * anything but the digits 0-9 (no sign, no spaces). */
long long uri_parse_digits(const char *s, size_t max_digits);

/* Value of the cookie called name in a Cookie header, copied to the arena, or NULL. */
const char *uri_cookie_get(arena *a, const char *cookie_header, const char *name);

#endif
