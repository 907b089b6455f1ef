#include "http/http.h"

#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int response_header(arena *a, response *rs, const char *name, const char *value)
{
    size_t add = strlen(name) + strlen(value) + 4;
    char *n = arena_alloc(a, rs->headers_len + add + 1);
    if (!n)
        return -1;
    if (rs->headers_len)
        memcpy(n, rs->headers, rs->headers_len);
    snprintf(n + rs->headers_len, add + 1, "%s: %s\r\n", name, value);
    rs->headers = n;
    rs->headers_len += add;
    return 0;
}

static void decref(void *p)
{
    json_decref((json_t *)p);
}

json_t *arena_json(arena *a, json_t *v)
{
    if (v)
        arena_defer(a, decref, v);
    return v;
}

static int set_body(request *rq, response *rs, int status, const char *ctype, json_t *body)
{
    rs->problem = PK_NONE;
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        rs->status = 500;
        rs->content_type = "application/problem+json";
        rs->body = "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500}";
        rs->body_len = strlen(rs->body);
        return rs->status;
    }
    size_t len = strlen(text);
    char *copy = arena_strndup(rq->a, text, len);
    free(text);
    rs->status = status;
    rs->content_type = ctype;
    rs->body = copy ? copy : "";
    rs->body_len = copy ? len : 0;
    return rs->status;
}

int respond_json(request *rq, response *rs, int status, json_t *body)
{
    return set_body(rq, rs, status, "application/json", body);
}

int respond_empty(response *rs, int status)
{
    rs->problem = PK_NONE;
    rs->status = status;
    rs->content_type = NULL;
    rs->body = NULL;
    rs->body_len = 0;
    return status;
}

int respond_raw(response *rs, int status, const char *content_type, const char *body, size_t len)
{
    rs->problem = PK_NONE;
    rs->status = status;
    rs->content_type = content_type;
    rs->body = body;
    rs->body_len = len;
    return status;
}

json_t *problem_new(int status, const char *type, const char *title, const char *detail)
{
    char type_uri[128];
    if (type)
        snprintf(type_uri, sizeof type_uri, "/problems/%s", type);
    else
        snprintf(type_uri, sizeof type_uri, "about:blank");
    json_t *p = json_pack("{s:s, s:s, s:i}", "type", type_uri, "title",
                          title ? title : http_reason(status), "status", status);
    if (p && detail)
        json_object_set_new(p, "detail", json_string(detail));
    return p;
}

void problem_add_error(json_t *problem, const char *field, const char *message)
{
    if (!problem)
        return;
    json_t *errors = json_object_get(problem, "errors");
    if (!errors) {
        errors = json_array();
        json_object_set_new(problem, "errors", errors);
    }
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", message));
}

int reply_problem_doc(request *rq, response *rs, json_t *problem)
{
    int status = (int)json_integer_value(json_object_get(problem, "status"));
    return set_body(rq, rs, status ? status : 500, "application/problem+json", problem);
}

int respond_problem(request *rq, response *rs, int status, const char *type, const char *title,
                    const char *detail)
{
    return reply_problem_doc(rq, rs, problem_new(status, type, title, detail));
}

int reply_problem(request *rq, response *rs, problem_kind k, const char *detail)
{
    rs->status = problem_status(k);
    rs->problem = k;
    rs->detail = detail ? arena_strdup(rq->a, detail) : NULL;
    rs->content_type = "application/problem+json";
    rs->body = NULL;
    rs->body_len = 0;
    return rs->status;
}

int reply_db_error(request *rq, response *rs, db_status s)
{
    if (s != DB_UNAVAILABLE)
        return reply_problem(rq, rs, PK_INTERNAL, "Внутренняя ошибка сервера.");
    response_header(rq->a, rs, "Retry-After", "5");
    return reply_problem(rq, rs, PK_DB_UNAVAILABLE,
                         "База данных временно недоступна, повторите попытку позже.");
}

int reply_lookup(request *rq, response *rs, db_status s, int found, const char *detail)
{
    if (s != DB_OK)
        reply_db_error(rq, rs, s);
    else if (!found)
        reply_problem(rq, rs, PK_NOT_FOUND, detail);
    return s == DB_OK && found ? 0 : -1;
}

int reply_field_error(request *rq, response *rs, const char *detail, const char *field,
                      const char *message)
{
    json_t *p = problem_of(PK_VALIDATION, detail);
    problem_add_error(p, field, message);
    return reply_problem_doc(rq, rs, p);
}

json_t *body_field(const request *rq, const char *key)
{
    return json_is_object(rq->json) ? json_object_get(rq->json, key) : NULL;
}

json_t *body_problem(const request *rq, const char *detail)
{
    json_t *p = problem_of(PK_VALIDATION, detail);
    if (!json_is_object(rq->json))
        problem_add_error(p, "body", "ожидается объект JSON");
    return p;
}

int reply_field_errors(request *rq, response *rs, json_t *p)
{
    if (p && json_array_size(json_object_get(p, "errors")) == 0) {
        json_decref(p);
        return 0;
    }
    reply_problem_doc(rq, rs, p);
    return -1;
}

json_t *rows_json(const db_result *r, size_t n, db_row_json *row)
{
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, row(r, i));
    return items;
}

int respond_rows(request *rq, response *rs, db_status s, const db_result *r, db_row_json *row)
{
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(rq, rs, 200, json_pack("{s:o}", "items", rows_json(r, r->nrows, row)));
}

int reply_tx_lookup(request *rq, response *rs, db_status s, int found, const char *detail)
{
    if (s == DB_OK && found)
        return 0;
    db_rollback(rq->db);
    return reply_lookup(rq, rs, s, found, detail);
}

db_status select_json(request *rq, const char *sql, const db_val *params, size_t nparams,
                      db_row_json *row, json_t **out)
{
    db_result r;
    db_status s = db_exec(rq->db, rq->a, sql, params, nparams, &r);
    *out = s == DB_OK ? rows_json(&r, r.nrows, row) : NULL;
    return s;
}

int reply_tx_end(request *rq, response *rs, db_status s, json_t *dup)
{
    s = db_end(rq->db, s);
    if (s == DB_OK) {
        json_decref(dup);
        return 0;
    }
    if (s == DB_DUPLICATE && dup)
        reply_problem_doc(rq, rs, dup);
    else {
        json_decref(dup);
        reply_db_error(rq, rs, s);
    }
    return -1;
}

void http_render_problem(request *rq, response *rs)
{
    if (rs->problem != PK_NONE)
        reply_problem_doc(rq, rs, problem_of(rs->problem, rs->detail));
}

const char *request_param(const request *rq, const char *name)
{
    return rq->env ? FCGX_GetParam(name, rq->env) : NULL;
}

const char *http_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 423:
        return "Locked";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 507:
        return "Insufficient Storage";
    default:
        return "Unknown";
    }
}
