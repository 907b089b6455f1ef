#include "server/dispatch.h"

#include "auth/auth_guard.h"
#include "http/http.h"
#include "core/log.h"
#include "auth/scope.h"
#include "org/unit_store.h"
#include "org/user_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *param(FCGX_Request *fr, arena *a, const char *name)
{
    const char *v = FCGX_GetParam(name, fr->envp);
    return v ? arena_strdup(a, v) : NULL;
}

/* -1 when absent, -2 when malformed. */
static long long parse_content_length(const char *v)
{
    if (!v || !*v)
        return -1;
    long long n = 0;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9' || n > (1LL << 50))
            return -2;
        n = n * 10 + (*p - '0');
    }
    return n;
}

static int is_json_type(const char *ct)
{
    if (!ct)
        return 0;
    size_t n = strlen("application/json");
    if (strncasecmp(ct, "application/json", n) != 0)
        return 0;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* Reads exactly content_length bytes. Returns 0, or -1 when the client went away. */
static int read_body(FCGX_Request *fr, request *rq)
{
    size_t want = (size_t)rq->content_length;
    char *buf = arena_alloc(rq->a, want + 1);
    if (!buf)
        return -1;
    size_t got = 0;
    while (got < want) {
        size_t chunk = want - got > 65536 ? 65536 : want - got;
        int n = FCGX_GetStr(buf + got, (int)chunk, fr->in);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got != want || FCGX_GetError(fr->in))
        return -1;
    buf[got] = '\0';
    rq->body = buf;
    rq->body_len = got;
    return 0;
}

static int is_csv_type(const char *ct)
{
    static const char *const OK[] = {"text/csv", "application/csv", "text/plain",
                                     "application/vnd.ms-excel", "application/octet-stream"};
    if (!ct)
        return 0;
    for (size_t i = 0; i < sizeof OK / sizeof OK[0]; i++) {
        size_t n = strlen(OK[i]);
        if (strncasecmp(ct, OK[i], n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
            return 1;
    }
    return 0;
}

/* Length checks and reading of a body of at most max bytes. Fills rs on failure. */
static int take_body(FCGX_Request *fr, request *rq, response *rs, size_t max)
{
    if (rq->content_length == -2) {
        reply_problem(rq, rs, PK_BAD_REQUEST, "Некорректный заголовок Content-Length.");
        return -1;
    }
    if (rq->content_length <= 0) {
        reply_problem(rq, rs, PK_INVALID_JSON, "Тело запроса пустое, ожидается JSON.");
        return -1;
    }
    if ((unsigned long long)rq->content_length > max) {
        char detail[160];
        snprintf(detail, sizeof detail, "Тело запроса больше допустимых %zu байт.", max);
        reply_problem(rq, rs, PK_PAYLOAD_TOO_LARGE, detail);
        return -1;
    }
    if (read_body(fr, rq) != 0) {
        reply_problem(rq, rs, PK_BAD_REQUEST, "Тело запроса получено не полностью.");
        return -1;
    }
    return 0;
}

static int take_csv_body(FCGX_Request *fr, request *rq, response *rs)
{
    if (!is_csv_type(rq->content_type)) {
        reply_problem(rq, rs, PK_UNSUPPORTED_MEDIA_TYPE, "Ожидается файл CSV (text/csv).");
        return -1;
    }
    return take_body(fr, rq, rs, rq->cfg->max_import);
}

/* Content type, size limit, reading and JSON parsing of the body. Fills rs on failure. */
static int take_json_body(FCGX_Request *fr, request *rq, response *rs)
{
    if (!is_json_type(rq->content_type)) {
        reply_problem(rq, rs, PK_UNSUPPORTED_MEDIA_TYPE,
                      "Тело запроса должно быть в формате application/json.");
        return -1;
    }
    if (take_body(fr, rq, rs, rq->cfg->max_body) != 0)
        return -1;
    json_error_t jerr;
    rq->json = arena_json(rq->a, json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr));
    if (!rq->json) {
        json_t *p =
            problem_of(PK_INVALID_JSON, "Тело запроса не является корректным JSON в UTF-8.");
        char where[256];
        snprintf(where, sizeof where, "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        problem_add_error(p, "body", where);
        reply_problem_doc(rq, rs, p);
        return -1;
    }
    return 0;
}

/* The path parameter of a scoped route must name a unit or user within the caller's scope;
 * anything else, existing or not, is 404. */
static int check_scope(request *rq, response *rs)
{
    if (rq->route->scope == SCOPE_NONE)
        return 0;
    uint64_t id = scope_parse_id(rq->params[0]);
    db_status s = DB_OK;
    int found = 0;
    if (id && rq->route->scope == SCOPE_UNIT) {
        /* the handler gets the row: it does not read the unit (or the user) again */
        rq->unit = arena_alloc(rq->a, sizeof *rq->unit);
        s = rq->unit ? unit_store_find_in_scope(rq, id, rq->unit, &found) : DB_ERROR;
    } else if (id) {
        rq->user = arena_alloc(rq->a, sizeof *rq->user);
        s = rq->user ? user_store_find_in_scope(rq, id, rq->user, &found) : DB_ERROR;
    }
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    if (!found) {
        reply_problem(rq, rs, PK_NOT_FOUND,
                      rq->route->scope == SCOPE_UNIT ? "Организация не найдена."
                                                     : "Пользователь не найден.");
        return -1;
    }
    rq->scoped_id = id;
    return 0;
}

/* ---------------------------------------------------------------- reads on the replica */

#define GTID_COOKIE "vsok_gtid"
#define GTID_COOKIE_AGE 60 /* seconds a write's GTID is waited for: far above the lag allowed */

static int is_read_method(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* The dashboards and their exports may be read from the replica (replica.h). */
static int replica_reads(const request *rq)
{
    static const char PREFIX[] = "/api/v1/dashboards/";
    return is_read_method(rq->method) && strncmp(rq->path, PREFIX, sizeof PREFIX - 1) == 0;
}

/* Runs a read that the replica may serve: on the replica when it can serve this caller, who
 * may have written a moment ago (the GTID of their last write comes back in a cookie);
 * when the replica fails under it (stopped, gone), again on the primary. The handlers of
 * these routes only read, so running one twice is safe. X-Vsok-Read-From says which server
 * answered. */
static int run_read(request *rq, response *rs)
{
    db_conn *primary = rq->db, *r = NULL;
    if (rq->replica)
        r = db_replica_for_read(rq->replica, rq->a, uri_cookie_get(rq->a, rq->cookie, GTID_COOKIE));
    if (r) {
        rq->db = r;
        rq->route->handler(rq, rs);
        rq->db = primary;
        if (rs->status != 503) {
            response_header(rq->a, rs, "X-Vsok-Read-From", "replica");
            return rs->status;
        }
        db_replica_failed(rq->replica);
        memset(rs, 0, sizeof *rs);
    }
    rq->route->handler(rq, rs);
    response_header(rq->a, rs, "X-Vsok-Read-From", "primary");
    return rs->status;
}

/* After a signed-in user's write: the GTID of their last commit, for their next dashboard
 * reads (the parents' anonymous questionnaire gets no cookie). */
static void remember_write(request *rq, response *rs)
{
    const char *gtid = db_last_gtid(rq->db, rq->a);
    if (!gtid)
        return;
    const char *v = arena_sprintf(rq->a,
                                  GTID_COOKIE "=%s; Path=/api/; Max-Age=%d; HttpOnly; "
                                              "SameSite=Strict%s",
                                  gtid, GTID_COOKIE_AGE, rq->cfg->cookie_secure ? "; Secure" : "");
    if (v)
        response_header(rq->a, rs, "Set-Cookie", v);
}

/* Every handler ends its transaction on any error, so a write that lost a deadlock (or a
 * lock wait) to another transaction left nothing behind: it runs again from the start, up to
 * LOCK_CONFLICT_TRIES times in all, instead of answering 500 (many coordinators approving at
 * once lock the same rollup rows). Not for bodies read as a stream (uploads), nor after an
 * answer with work after it. */
#define LOCK_CONFLICT_TRIES 3

static void run_write(request *rq, response *rs)
{
    for (int t = 1;; t++) {
        db_clear_error(rq->db);
        rq->route->handler(rq, rs);
        if (t == LOCK_CONFLICT_TRIES || rs->status < 500 || rs->after ||
            (rq->route->body == BODY_NONE && rq->content_length > 0) ||
            !db_lost_lock_conflict(rq->db))
            return;
        log_info("dispatch: %s %s lost a lock conflict, try %d of %d", rq->method, rq->path, t + 1,
                 LOCK_CONFLICT_TRIES);
        memset(rs, 0, sizeof *rs);
    }
}

static int route_request(FCGX_Request *fr, request *rq, response *rs)
{
    char *path = NULL, *query = NULL;
    const char *uri = rq->path;
    if (uri_split(rq->a, uri, &path, &query) != 0 || uri_parse_query(rq->a, query, &rq->args) != 0)
        return reply_problem(rq, rs, PK_BAD_REQUEST, "Некорректный адрес запроса.");
    rq->path = path;
    rq->query = query;
    route_match m;
    switch (router_match(rq->a, ROUTES, ROUTES_COUNT, rq->method, path, &m)) {
    case ROUTE_NOT_FOUND:
        return reply_problem(rq, rs, PK_NOT_FOUND, "Такого адреса нет.");
    case ROUTE_BAD_PATH:
        return reply_problem(rq, rs, PK_BAD_REQUEST, "Некорректный адрес запроса.");
    case ROUTE_METHOD_NOT_ALLOWED:
        response_header(rq->a, rs, "Allow", m.allow);
        return reply_problem(rq, rs, PK_METHOD_NOT_ALLOWED,
                             "Этот метод не поддерживается для данного адреса.");
    case ROUTE_FOUND:
        break;
    }
    rq->route = m.route;
    memcpy(rq->params, m.params, sizeof rq->params);
    if (m.route->roles != ROUTE_PUBLIC) {
        if (auth_guard_authenticate(rq, rs) != 0)
            return rs->status;
        if (rq->me->must_change_password && !(m.route->flags & ROUTE_ALLOW_PENDING_PASSWORD))
            return reply_problem(rq, rs, PK_PASSWORD_CHANGE_REQUIRED,
                                 "Смените временный пароль, чтобы продолжить работу.");
        if (!(m.route->roles & ROLE_BIT(rq->auth_role)))
            return reply_problem(rq, rs, PK_FORBIDDEN, "Недостаточно прав для этого действия.");
        if (check_scope(rq, rs) != 0)
            return rs->status;
    }
    if (m.route->body == BODY_JSON && take_json_body(fr, rq, rs) != 0)
        return rs->status;
    if (m.route->body == BODY_CSV && take_csv_body(fr, rq, rs) != 0)
        return rs->status;
    if (replica_reads(rq))
        return run_read(rq, rs);
    run_write(rq, rs);
    if (rq->replica && rq->authenticated && !is_read_method(rq->method) && rs->status < 400)
        remember_write(rq, rs);
    return rs->status;
}

static void write_response(FCGX_Request *fr, request *rq, response *rs)
{
    char head[512];
    int n = snprintf(head, sizeof head, "Status: %d %s\r\n", rs->status, http_reason(rs->status));
    if (rs->content_type)
        n += snprintf(head + n, sizeof head - (size_t)n, "Content-Type: %s\r\n", rs->content_type);
    n += snprintf(head + n, sizeof head - (size_t)n, "Content-Length: %zu\r\n", rs->body_len);
    if (!strstr(rs->headers ? rs->headers : "", "Cache-Control:"))
        n += snprintf(head + n, sizeof head - (size_t)n, "Cache-Control: no-store\r\n");
    FCGX_PutStr(head, n, fr->out);
    if (rs->headers_len)
        FCGX_PutStr(rs->headers, (int)rs->headers_len, fr->out);
    FCGX_PutStr("\r\n", 2, fr->out);
    if (rs->body_len && strcmp(rq->method, "HEAD") != 0)
        FCGX_PutStr(rs->body, (int)rs->body_len, fr->out);
}

static double elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e3 +
           (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

#define FINISH_MAX_UNREAD (64 * 1024)

/* Ends the request. libfcgi's own close shuts the socket for writing and then waits (up to
 * 2 s) until nginx has read the answer and closed its end, so that unread request bytes
 * cannot reset the connection under the answer; under load that wait held the worker for
 * milliseconds after every answer. When the request body has been read to its end (nearly
 * every request: most have none, and what is left of a small one is read here) the answer
 * already sits in nginx's receive queue of the unix socket, so the worker closes at once
 * (FCGX_Detach: libfcgi then closes without the wait). A larger unread body keeps the wait. */
void dispatch_finish(FCGX_Request *fr)
{
    if (!fr->in) /* finished already (a response with work after it) */
        return;
    char buf[4096];
    int n, unread = 0;
    while (unread < FINISH_MAX_UNREAD && (n = FCGX_GetStr(buf, sizeof buf, fr->in)) > 0)
        unread += n;
    if (FCGX_HasSeenEOF(fr->in))
        FCGX_Detach(fr);
    FCGX_Finish_r(fr);
}

void dispatch_request(FCGX_Request *fr, const config *cfg, db_conn *db, db_replica *replica,
                      principal_cache *principals, instrument_cache *instruments, arena *a)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    request rq;
    response rs;
    memset(&rq, 0, sizeof rq);
    memset(&rs, 0, sizeof rs);
    rq.a = a;
    rq.cfg = cfg;
    rq.db = db;
    rq.replica = replica;
    rq.principals = principals;
    rq.env = fr->envp;
    rq.instruments = instruments;
    rq.method = param(fr, a, "REQUEST_METHOD");
    rq.path = param(fr, a, "REQUEST_URI");
    rq.content_type = param(fr, a, "CONTENT_TYPE");
    rq.content_length = parse_content_length(FCGX_GetParam("CONTENT_LENGTH", fr->envp));
    rq.authorization = param(fr, a, "HTTP_AUTHORIZATION");
    rq.cookie = param(fr, a, "HTTP_COOKIE");
    rq.remote_addr = param(fr, a, "REMOTE_ADDR");
    rq.user_agent = param(fr, a, "HTTP_USER_AGENT");
    if (!rq.method)
        rq.method = "GET";
    const char *logged_path = rq.path ? rq.path : "-";

    if (!rq.path)
        reply_problem(&rq, &rs, PK_BAD_REQUEST, "Нет адреса запроса.");
    else
        route_request(fr, &rq, &rs);
    if (rs.status == 0)
        reply_problem(&rq, &rs, PK_INTERNAL, "Внутренняя ошибка сервера.");
    http_render_problem(&rq, &rs);

    write_response(fr, &rq, &rs);
    log_access(rq.method, rq.path ? rq.path : logged_path, rs.status, elapsed_ms(&start),
               rq.authenticated ? (unsigned long long)rq.auth.user_id : 0ULL);
    if (rs.after) {
        dispatch_finish(fr);
        rs.after(&rq, rs.after_arg);
    }
}
