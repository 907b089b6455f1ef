/* Matching a method and path against the route table (routes.c). */
#ifndef VSOK_ROUTER_H
#define VSOK_ROUTER_H

#include "arena.h"

#include <stddef.h>

typedef struct request request;
typedef struct response response;
typedef void (*route_handler)(request *rq, response *rs);

#define ROUTE_PUBLIC 0u /* roles mask: no token needed */
#define ROUTE_MAX_PARAMS 4

typedef enum { BODY_NONE = 0, BODY_JSON } route_body;

typedef struct {
    const char *method;  /* "GET", "POST", ... */
    const char *pattern; /* "/api/v1/units/{id}/children": {name} matches one segment */
    route_handler handler;
    unsigned roles;  /* ROUTE_PUBLIC, or a mask of ROLE_BIT(role) */
    route_body body; /* what the handler expects in the request body */
} route;

typedef enum {
    ROUTE_FOUND,
    ROUTE_NOT_FOUND,
    ROUTE_METHOD_NOT_ALLOWED,
    ROUTE_BAD_PATH
} route_result;

typedef struct {
    const route *route;
    const char *params[ROUTE_MAX_PARAMS]; /* percent-decoded, in pattern order */
    int nparams;
    char allow[96]; /* for 405: "GET, POST" */
} route_match;

/* HEAD is matched as GET. path is the raw (percent-encoded) path without the query. */
route_result router_match(arena *a, const route *table, size_t n, const char *method,
                          const char *path, route_match *m);

extern const route ROUTES[];
extern const size_t ROUTES_COUNT;

#endif
