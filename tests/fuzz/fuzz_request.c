/* libFuzzer harness for what vsokd parses of a request before any handler runs: the URI
 * (path and query), cookies, route matching with path parameters, and the tus headers
 * (Upload-Metadata, Upload-Length). Any bytes must be parsed or refused, never crash.
 * Built and run by `make fuzz`. */
#include "core/arena.h"
#include "http/router.h"
#include "evidence/tus_meta.h"
#include "core/uri.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void h(request *rq, response *rs)
{
    (void)rq;
    (void)rs;
}

static const route TABLE[] = {
    {"GET", "/api/v1/units", h, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}", h, ROUTE_PUBLIC, BODY_NONE, SCOPE_UNIT, 0},
    {"PATCH", "/api/v1/units/{id}", h, ROUTE_PUBLIC, BODY_JSON, SCOPE_UNIT, 0},
    {"DELETE", "/api/v1/submissions/{id}/evidence/{file_id}", h, ROUTE_PUBLIC, BODY_NONE,
     SCOPE_NONE, 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    arena a;
    arena_init(&a, 4096);
    char *path = NULL, *query = NULL;
    if (uri_split(&a, s, &path, &query) == 0) {
        uri_params params;
        if (uri_parse_query(&a, query, &params) == 0)
            for (size_t i = 0; i < params.count; i++)
                if (!params.items[i].name || !params.items[i].value)
                    abort();
        route_match m;
        route_result r = router_match(&a, TABLE, sizeof TABLE / sizeof TABLE[0], "GET", path, &m);
        if (r == ROUTE_FOUND && (!m.route || m.nparams < 0 || m.nparams > ROUTE_MAX_PARAMS))
            abort();
        for (int i = 0; r == ROUTE_FOUND && i < m.nparams; i++)
            if (!m.params[i])
                abort();
    }
    uri_cookie_get(&a, s, "vsok_refresh");
    const char *v = tus_metadata_get(&a, s, "filename");
    if (v && strlen(v) > size)
        abort();
    tus_metadata_get(&a, s, "submission");
    long long n = tus_parse_number(s);
    if (n < -1)
        abort();
    arena_destroy(&a);
    free(s);
    return 0;
}
