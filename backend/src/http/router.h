/* Matching a method and path against the route table (routes.c). */
#ifndef VSOK_ROUTER_H
#define VSOK_ROUTER_H

#include "core/arena.h"

#include <stddef.h>

typedef struct request request;
typedef struct response response;
/* A route's handler: answers the request and returns the status it answered with. The
 * subsystems' handlers.h declare theirs as `http_handler handle_a, handle_b;`. */
typedef int http_handler(request *rq, response *rs);
typedef http_handler *route_handler;

#define ROUTE_PUBLIC 0u /* roles mask: no token needed */
#define ROUTE_MAX_PARAMS 4

typedef enum {
    BODY_NONE = 0,
    BODY_JSON, /* application/json up to VSOK_MAX_BODY, parsed into rq->json */
    BODY_CSV   /* a CSV file's bytes up to VSOK_MAX_IMPORT, in rq->body */
} route_body;

/* What the first path parameter names, checked against the caller's scope before the
 * handler runs (404 when outside it). */
typedef enum {
    SCOPE_NONE = 0,
    SCOPE_UNIT, /* {id} is an org unit */
    SCOPE_USER  /* {id} is a user: their org unit must be in scope */
} route_scope;

/* Route flags. */
#define ROUTE_ALLOW_PENDING_PASSWORD 1u /* callable while must_change_password is set */

typedef struct {
    const char *method;  /* "GET", "POST", ... */
    const char *pattern; /* "/api/v1/units/{id}/children": {name} matches one segment,
                            "{name}.ics" one segment ending in ".ics" (without it) */
    route_handler handler;
    unsigned roles;    /* ROUTE_PUBLIC, or a mask of ROLE_BIT(role) */
    route_body body;   /* what the handler expects in the request body */
    route_scope scope; /* which path parameter must lie within the caller's scope */
    unsigned flags;    /* ROUTE_ALLOW_PENDING_PASSWORD */
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
