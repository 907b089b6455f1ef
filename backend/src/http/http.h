/* The request as handlers see it and the response they fill in. Errors are RFC 9457
 * problem+json documents. Everything lives in the request arena. */
#ifndef VSOK_HTTP_H
#define VSOK_HTTP_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "db/replica.h"
#include "core/jwt_token.h"
#include "core/roles.h"
#include "http/problem.h"
#include "http/router.h"
#include "core/uri.h"

#include <jansson.h>
#include <stddef.h>

/* Defined above this layer (auth/principal.h, forms/instrument_store.h, org/unit_store.h);
 * the request only carries pointers to them. */
typedef struct principal principal;
typedef struct principal_cache principal_cache;
typedef struct instrument_cache instrument_cache;
typedef struct unit_row unit_row;
typedef struct user_row user_row;

struct request {
    arena *a;
    const config *cfg;
    db_conn *db;
    db_replica *replica; /* NULL: no replica configured (replica.h) */
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
    unit_row *unit;     /* the unit of a SCOPE_UNIT route, loaded by the dispatcher */
    user_row *user;     /* the user of a SCOPE_USER route, loaded by the dispatcher */

    int authenticated;
    token_claims auth;
    role auth_role; /* from the database row, not the token */
    principal *me;  /* the signed-in user (routes that need a token) */
};

struct response {
    int status;
    problem_kind problem; /* set by reply_problem; the dispatcher renders the document */
    const char *detail;
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

/* Answering. Every function fills rs and returns the status, so that a handler ends with
 * `return respond_json(rq, rs, 200, doc);` or `return reply_problem(rq, rs, PK_…, "…");`. */

/* Serialises body (the reference is stolen) as the response. */
int respond_json(request *rq, response *rs, int status, json_t *body);
int respond_empty(response *rs, int status);
/* Any other body (CSV, files): body must live as long as the request. */
int respond_raw(response *rs, int status, const char *content_type, const char *body, size_t len);

/* A problem of a kind from the one table (http/problem.h) with a detail for people (copied
 * into the arena); the dispatcher renders the problem+json document. */
int reply_problem(request *rq, response *rs, problem_kind k, const char *detail);
/* A problem document built with problem_of and problem_add_error (field errors). */
int reply_problem_doc(request *rq, response *rs, json_t *problem);
/* 503 (PK_DB_UNAVAILABLE, with Retry-After) for a database that does not answer, 500
 * (PK_INTERNAL) for anything else. */
int reply_db_error(request *rq, response *rs, db_status s);
/* After reading one row: 0 when the read (s) succeeded and found it; otherwise answers the
 * database error, or 404 (PK_NOT_FOUND) with detail, and returns -1. */
int reply_lookup(request *rq, response *rs, db_status s, int found, const char *detail);

/* A 422 (PK_VALIDATION) with detail for people and one field error: the answer to a body or
 * query that is wrong in one named place. */
int reply_field_error(request *rq, response *rs, const char *detail, const char *field,
                      const char *message);

/* A member of the JSON body, or NULL when the body is not an object or has no such member. */
json_t *body_field(const request *rq, const char *key);
/* The problem to check a body's fields into (problem_of(PK_VALIDATION, detail)), holding the
 * error of "body" already when the body is not a JSON object. */
json_t *body_problem(const request *rq, const char *detail);

/* After checking the fields of a body or query into p (problem_of, then problem_add_error
 * for each bad one): 0 when none was bad (p is released); otherwise answers p and returns -1.
 * So checks add their errors and need no flag of their own. */
int reply_field_errors(request *rq, response *rs, json_t *p);

/* One row of a result as JSON: the row functions of the stores and handlers. */
typedef json_t *db_row_json(const db_result *r, size_t row);
/* Rows [0, n) of r as a JSON array, each made by row. */
json_t *rows_json(const db_result *r, size_t n, db_row_json *row);
/* After the SELECT of a list: the database error (s), or 200 with {"items": [every row of r
 * made by row]}. */
int respond_rows(request *rq, response *rs, db_status s, const db_result *r, db_row_json *row);

/* reply_lookup for a row read (locked) inside the request's transaction: 0 when it was
 * found; otherwise rolls the transaction back, answers and returns -1. */
int reply_tx_lookup(request *rq, response *rs, db_status s, int found, const char *detail);

/* Ends the request's transaction with db_end: 0 when it committed; otherwise answers the
 * error and returns -1. A duplicate key (DB_DUPLICATE) is answered with dup when given (a
 * problem_of document, released when not used), else like any other error. */
int reply_tx_end(request *rq, response *rs, db_status s, json_t *dup);

/* Runs a SELECT and gives *out, the rows_json of every row it read (NULL on an error):
 * SELECT_JSON(rq, "SELECT …", v, x_json, &out). */
db_status select_json(request *rq, const char *sql, const db_val *params, size_t nparams,
                      db_row_json *row, json_t **out);
#define SELECT_JSON(rq, sql, params, row, out)                                                     \
    select_json((rq), (sql), (params), ARRAY_LEN(params), (row), (out))

/* The dispatcher's last step: the document of a problem a handler replied with. */
void http_render_problem(request *rq, response *rs);

/* A problem document of any status and type, for the few answers whose status is computed
 * (tus); everything else names a kind. type is a short slug or NULL ("about:blank"). */
json_t *problem_new(int status, const char *type, const char *title, const char *detail);
void problem_add_error(json_t *problem, const char *field, const char *message);
int respond_problem(request *rq, response *rs, int status, const char *type, const char *title,
                    const char *detail);

/* Older names, kept so that code written against them still builds. */
static inline int respond_problem_doc(request *rq, response *rs, json_t *problem)
{
    return reply_problem_doc(rq, rs, problem);
}
static inline int respond_db_error(request *rq, response *rs, db_status s)
{
    return reply_db_error(rq, rs, s);
}

const char *http_reason(int status);

/* A FastCGI parameter of the request ("HTTP_UPLOAD_OFFSET"), or NULL. Valid until the
 * request ends. */
const char *request_param(const request *rq, const char *name);

/* Registers a jansson value to be released with the arena; returns v. */
json_t *arena_json(arena *a, json_t *v);

#endif
