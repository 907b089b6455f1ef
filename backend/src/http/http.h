/* The request as handlers see it and the response they fill in. Errors are RFC 9457
 * problem+json documents. Everything lives in the request arena. */
#ifndef VSOK_HTTP_H
#define VSOK_HTTP_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "core/jwt_token.h"
#include "core/roles.h"
#include "http/router.h"
#include "core/uri.h"

#include <jansson.h>
#include <stddef.h>

/* Defined above this layer (auth/principal.h, forms/instrument_store.h); the request only
 * carries pointers to them. */
typedef struct principal principal;
typedef struct principal_cache principal_cache;
typedef struct instrument_cache instrument_cache;

struct request {
    arena *a;
    const config *cfg;
    db_conn *db;
    principal_cache *principals;
    instrument_cache *instruments; /* parsed published instruments of this worker */

    const char *method;
    const char *path;  /* raw path, without the query */
    const char *query; /* raw query string, "" when none */
    uri_params args;   /* parsed query */
    const char *content_type;
    long long content_length; /* -1 when absent */
    const char *authorization;
    const char *cookie;
    const char *remote_addr;
    const char *user_agent;
    char **env; /* every FastCGI parameter, for request_param */

    const char *body; /* raw body (BODY_JSON routes), NUL-terminated */
    size_t body_len;
    json_t *json; /* parsed body; freed with the arena */

    const route *route;
    const char *params[ROUTE_MAX_PARAMS];
    uint64_t scoped_id; /* the unit or user id of a scoped route, checked to be in scope */

    int authenticated;
    token_claims auth;
    role auth_role; /* from the database row, not the token */
    principal *me;  /* the signed-in user (routes that need a token) */
};

struct response {
    int status;
    const char *content_type;
    char *headers; /* extra header lines, each ending in \r\n */
    size_t headers_len;
    const char *body;
    size_t body_len;
    /* Work to do after the answer has gone out (the FastCGI request is finished first, so the
     * client and nginx are not kept waiting): a long job such as the rollup rebuild. */
    void (*after)(request *rq, void *arg);
    void *after_arg;
};

/* Appends "name: value\r\n". Returns 0 or -1 when out of memory. */
int response_header(arena *a, response *rs, const char *name, const char *value);

/* Serialises body (the reference is stolen) as the response. */
void respond_json(request *rq, response *rs, int status, json_t *body);
void respond_empty(response *rs, int status);
/* Any other body (CSV, files): body must live as long as the request. */
void respond_raw(response *rs, int status, const char *content_type, const char *body, size_t len);

/* A problem document; add field errors with problem_add_error, then respond_problem_doc.
 * type is a short slug ("validation") made into "/problems/validation"; NULL means
 * "about:blank". */
json_t *problem_new(int status, const char *type, const char *title, const char *detail);
void problem_add_error(json_t *problem, const char *field, const char *message);
void respond_problem_doc(request *rq, response *rs, json_t *problem);
void respond_problem(request *rq, response *rs, int status, const char *type, const char *title,
                     const char *detail);

/* 503 for a database that does not answer, 500 for anything else. */
void respond_db_error(request *rq, response *rs, db_status s);

const char *http_reason(int status);

/* A FastCGI parameter of the request ("HTTP_UPLOAD_OFFSET"), or NULL. Valid until the
 * request ends. */
const char *request_param(const request *rq, const char *name);

/* Registers a jansson value to be released with the arena; returns v. */
json_t *arena_json(arena *a, json_t *v);

#endif
