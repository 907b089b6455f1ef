#include "http/router.h"

#include "core/uri.h"

#include <stdio.h>
#include <string.h>

/* Compares one route pattern with the path. Returns 1 on a match (filling params), 0 when
 * the shapes differ, -1 when a parameter segment has a bad percent escape. */
static int match_pattern(arena *a, const char *pattern, const char *path, route_match *m)
{
    const char *p = pattern, *s = path;
    int nparams = 0;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return 0;
        p++;
        s++;
        const char *pend = strchr(p, '/');
        const char *send = strchr(s, '/');
        size_t plen = pend ? (size_t)(pend - p) : strlen(p);
        size_t slen = send ? (size_t)(send - s) : strlen(s);
        const char *close = plen >= 2 && p[0] == '{' ? memchr(p, '}', plen) : NULL;
        if (close) {
            /* "{name}" or "{name}.ext": the segment ends with the literal suffix */
            size_t suffix = plen - (size_t)(close + 1 - p);
            if (slen <= suffix || nparams >= ROUTE_MAX_PARAMS ||
                memcmp(s + slen - suffix, close + 1, suffix) != 0)
                return 0;
            char *v = uri_decode(a, s, slen - suffix, 0);
            if (!v)
                return -1;
            m->params[nparams++] = v;
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return 0;
        }
        p += plen;
        s += slen;
    }
    if (*p || *s)
        return 0;
    m->nparams = nparams;
    return 1;
}

static void allow_add(route_match *m, const char *method)
{
    if (strstr(m->allow, method))
        return;
    size_t len = strlen(m->allow);
    snprintf(m->allow + len, sizeof m->allow - len, "%s%s", len ? ", " : "", method);
}

route_result router_match(arena *a, const route *table, size_t n, const char *method,
                          const char *path, route_match *m)
{
    memset(m, 0, sizeof *m);
    if (strcmp(method, "HEAD") == 0)
        method = "GET";
    int path_known = 0;
    for (size_t i = 0; i < n; i++) {
        route_match tmp;
        memset(&tmp, 0, sizeof tmp);
        int r = match_pattern(a, table[i].pattern, path, &tmp);
        if (r < 0)
            return ROUTE_BAD_PATH;
        if (r == 0)
            continue;
        path_known = 1;
        allow_add(m, table[i].method);
        if (strcmp(table[i].method, method) == 0) {
            memcpy(m->params, tmp.params, sizeof m->params);
            m->nparams = tmp.nparams;
            m->route = &table[i];
            return ROUTE_FOUND;
        }
    }
    return path_known ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
}
