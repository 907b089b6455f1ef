/* Experts' reports (docs/api-experts.md): the expert starts one per campaign and assigned
 * kindergarten, writes the overall text and optional texts per quality area, sends it as
 * preliminary (the kindergarten's people and its coordinators up the tree see it from then
 * on), the kindergarten coordinator comments, the expert finalises it with the
 * recommendations; a final report never changes. Every step is audited. */
#include "experts/handlers.h"
#include "org/route_rows.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "experts/expert_conflict.h"
#include "experts/expert_report_store.h"
#include "http/form_text.h"
#include "notify/notify_events.h"
#include "auth/scope.h"
#include "org/unit_store.h"

#include <stdlib.h>
#include <string.h>

#define NOT_FOUND "Отчёт эксперта не найден."

static int invalid(request *rq, response *rs, const char *field, const char *message)
{
    json_t *p = problem_of(PK_VALIDATION, "Проверьте поля отчёта.");
    problem_add_error(p, field, message);
    return reply_problem_doc(rq, rs, p);
}

/* 409 for a step the report's status does not allow. */
static int wrong_status(request *rq, response *rs, const char *status)
{
    if (strcmp(status, "final") == 0)
        reply_problem(rq, rs, PK_REPORT_FINAL, "Итоговый отчёт закрыт: изменить его нельзя.");
    else if (strcmp(status, "draft") == 0)
        reply_problem(rq, rs, PK_REPORT_STATUS,
                      "Отчёт ещё не отправлен детскому саду как предварительный.");
    else
        reply_problem(rq, rs, PK_REPORT_STATUS,
                      "Предварительный отчёт уже отправлен детскому саду.");
    return rs->status;
}

static uint64_t body_id(json_t *b, const char *key)
{
    json_t *v = json_object_get(b, key);
    return json_is_integer(v) && json_integer_value(v) > 0 ? (uint64_t)json_integer_value(v) : 0;
}

/* ---------------------------------------------------------------- lists */

/* Filters shared by both lists: ?campaign_id=, ?status=. Returns 0, or -1 with a 400. */
static int list_filters(request *rq, response *rs, long long *campaign, const char **status)
{
    const char *c = uri_param_get(&rq->args, "campaign_id");
    const char *st = uri_param_get(&rq->args, "status");
    *campaign = 0;
    *status = "";
    if (c && *c && !(*campaign = (long long)scope_parse_id(c))) {
        reply_problem(rq, rs, PK_BAD_QUERY, "campaign_id: целое число.");
        return -1;
    }
    if (st && *st) {
        if (strcmp(st, "draft") != 0 && strcmp(st, "preliminary") != 0 &&
            strcmp(st, "final") != 0) {
            reply_problem(rq, rs, PK_BAD_QUERY, "status: draft, preliminary или final.");
            return -1;
        }
        *status = st;
    }
    return 0;
}

/* The visible reports of the kindergartens under path ("/" for the whole scope). */
static int respond_list(request *rq, response *rs, const char *path, uint64_t kindergarten)
{
    long long campaign;
    const char *status;
    if (list_filters(rq, rs, &campaign, &status) != 0)
        return rs->status;
    db_result r;
    db_status s = expert_report_list(rq, path, kindergarten, campaign, status, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(rq, rs, 200,
                        json_pack("{s:o}", "items", rows_json(&r, r.nrows, expert_report_json)));
}

int handle_expert_reports_list(request *rq, response *rs)
{
    const char *k = uri_param_get(&rq->args, "kindergarten_id");
    uint64_t kindergarten = 0;
    if (k && *k && !(kindergarten = scope_parse_id(k)))
        return reply_problem(rq, rs, PK_BAD_QUERY, "kindergarten_id: целое число.");
    return respond_list(rq, rs, "/", kindergarten);
}

int handle_unit_expert_reports(request *rq, response *rs)
{
    scope_unit u;
    if (route_unit(rq, rs, &u) != 0)
        return rs->status;
    return respond_list(rq, rs, u.path, 0);
}

/* Answers status with the full document of report id, or 404. */
static int respond_report(request *rq, response *rs, int status, uint64_t id)
{
    json_t *doc = NULL;
    int found = 0;
    db_status s = expert_report_doc(rq, id, &doc, &found);
    if (reply_lookup(rq, rs, s, found, "Отчёт эксперта не найден.") != 0)
        return rs->status;
    return respond_json(rq, rs, status, doc);
}

int handle_expert_report_get(request *rq, response *rs)
{
    report_row r;
    int found = 0;
    db_status s = expert_report_find(rq, scope_parse_id(rq->params[0]), 0, &r, &found);
    if (reply_lookup(rq, rs, s, found, NOT_FOUND) != 0)
        return rs->status;
    return respond_report(rq, rs, 200, r.id);
}

/* ---------------------------------------------------------------- POST /expert-reports */

int handle_expert_report_create(request *rq, response *rs)
{
    json_t *b = rq->json;
    uint64_t campaign = body_id(b, "campaign_id"), kid = body_id(b, "kindergarten_id");
    if (!json_is_object(b) || !campaign || !kid) {
        json_t *p = problem_of(PK_VALIDATION, "Проверьте поля отчёта.");
        if (!campaign)
            problem_add_error(p, "campaign_id", "укажите кампанию — её id");
        if (!kid)
            problem_add_error(p, "kindergarten_id", "укажите детский сад — его id");
        return reply_problem_doc(rq, rs, p);
    }
    scope_unit k;
    int found = 0, conflict = 0, fits = 0;
    db_status s = scope_find_unit(rq, kid, &k, &found);
    if (s == DB_OK && found)
        s = expert_conflict_assign(rq, rq->me->user_id, k.id, &conflict);
    if (s == DB_OK && found) /* run by a unit above the kindergarten (or by it) */
        s = expert_report_campaign_fits(rq, campaign, k.path, &fits);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (!found || k.level != LEVEL_KINDERGARTEN)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Детский сад не найден.");
    if (conflict) {
        expert_conflict_respond(rq, rs, "kindergarten_id");
        return rs->status;
    }
    if (!fits)
        return invalid(rq, rs, "campaign_id", "такой кампании у этого детского сада нет");
    uint64_t id = 0;
    s = db_begin(rq->db);
    if (s == DB_OK)
        s = expert_report_insert(rq, campaign, k.id, &id);
    if (s == DB_OK)
        s = audit_write(rq, "expert_report.create", "expert_report", id, k.id,
                        json_pack("{s:[n,I]}", "campaign_id", (json_int_t)campaign));
    if (s == DB_DUPLICATE) { /* already started: the existing one */
        db_rollback(rq->db);
        s = expert_report_started(rq, campaign, k.id, &id);
        if (s != DB_OK)
            return reply_db_error(rq, rs, s);
        return respond_report(rq, rs, 200, id);
    }
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_report(rq, rs, 201, id);
}

/* ---------------------------------------------------------------- texts */

/* The texts of an edit or of the finalising step, merged into the stored ones. */
typedef struct {
    const char *summary; /* the new overall text (NULL: cleared) */
    int has_summary;
    json_t *areas; /* the merged area texts (arena-owned) */
} report_texts;

/* The stored texts, unchanged. */
static void stored_texts(request *rq, const report_row *cur, report_texts *t)
{
    memset(t, 0, sizeof *t);
    t->summary = cur->summary;
    t->areas = arena_json(rq->a, json_loads(cur->areas ? cur->areas : "{}", 0, NULL));
    if (!json_is_object(t->areas))
        t->areas = arena_json(rq->a, json_object());
}

static int read_texts(request *rq, response *rs, const report_row *cur, report_texts *t)
{
    json_t *b = rq->json;
    stored_texts(rq, cur, t);
    json_t *p = body_problem(rq, "Проверьте поля отчёта.");
    json_t *sv = json_object_get(b, "summary");
    if (sv) {
        const char *s = json_string_value(sv);
        if (!json_is_null(sv) && (!s || strlen(s) != json_string_length(sv) ||
                                  form_utf8_length(s) > REPORT_SUMMARY_MAX)) {
            problem_add_error(p, "summary", "общий текст: до 20000 символов или null");
        } else {
            t->has_summary = 1;
            t->summary = s && !form_is_blank(s) ? s : NULL;
        }
    }
    json_t *av = json_object_get(b, "areas");
    if (av && !json_is_object(av))
        problem_add_error(p, "areas", "тексты по областям: объект «код области: текст»");
    const char *code;
    json_t *text;
    json_object_foreach(json_is_object(av) ? av : NULL, code, text)
    {
        const char *s = json_string_value(text);
        char *field = arena_sprintf(rq->a, "areas.%s", code);
        if (!form_is_code(code)) {
            problem_add_error(p, field ? field : "areas", "код области: латиница, цифры, точка");
        } else if (!json_is_null(text) && (!s || strlen(s) != json_string_length(text) ||
                                           form_utf8_length(s) > REPORT_AREA_MAX)) {
            problem_add_error(p, field ? field : "areas", "текст: до 8000 символов или null");
        } else if (!s || form_is_blank(s)) {
            json_object_del(t->areas, code);
        } else {
            json_object_set_new(t->areas, code, json_string(s));
        }
    }
    return reply_field_errors(rq, rs, p);
}

/* Stores the texts (and a new status when to_status is not NULL); audits action. */
static db_status store_texts(request *rq, const report_row *cur, const report_texts *t,
                             const char *to_status, const char *action)
{
    char *areas = json_dumps(t->areas, JSON_COMPACT | JSON_SORT_KEYS);
    if (!areas)
        return DB_ERROR;
    char *kept = arena_strndup(rq->a, areas, strlen(areas));
    free(areas);
    if (!kept)
        return DB_ERROR;
    const char *status = to_status ? to_status : cur->status;
    db_val v[] = {t->summary ? DB_STR(t->summary) : DB_NULL,
                  DB_STR(kept),
                  DB_STR(status),
                  DB_STR(status),
                  DB_STR(status),
                  DB_INT(cur->id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "UPDATE expert_reports SET summary = ?, areas = ?, status = ?, "
                          "version = version + 1, sent_at = IF(? = 'preliminary', "
                          "CURRENT_TIMESTAMP, sent_at), finalised_at = IF(? = 'final', "
                          "CURRENT_TIMESTAMP, finalised_at) WHERE id = ?",
                          v, NULL);
    if (s != DB_OK)
        return s;
    json_t *changes = json_object();
    audit_diff_str(changes, "summary", cur->summary, t->summary);
    if (changes && strcmp(cur->areas ? cur->areas : "{}", kept) != 0)
        json_object_set_new(changes, "areas",
                            json_pack("[s,s]", cur->areas ? cur->areas : "{}", kept));
    audit_diff_str(changes, "status", cur->status, status);
    return audit_write(rq, action, "expert_report", cur->id, cur->kindergarten_id, changes);
}

/* Starts a transaction and loads the report of the path, locked. 0, or -1 with the answer
 * written (the transaction rolled back). */
static int begin_report(request *rq, response *rs, report_row *r)
{
    int found = 0;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = expert_report_find(rq, scope_parse_id(rq->params[0]), 1, r, &found);
    if (s == DB_OK && found)
        return 0;
    db_rollback(rq->db);
    return reply_lookup(rq, rs, s, found, NOT_FOUND);
}

/* begin_report for the report's expert: -1 with 403 for anyone else. */
static int begin_own(request *rq, response *rs, report_row *r)
{
    if (begin_report(rq, rs, r) != 0)
        return -1;
    if (r->expert_id != rq->me->user_id) {
        db_rollback(rq->db);
        reply_problem(rq, rs, PK_FORBIDDEN, "Отчёт пишет и отправляет только его эксперт.");
        return -1;
    }
    return 0;
}

/* Optional {"version"}: the report changed meanwhile is 409 with the current document. */
static int check_version(request *rq, response *rs, const report_row *r)
{
    json_t *v = json_object_get(rq->json, "version");
    if (!v || (json_is_integer(v) && json_integer_value(v) == r->version))
        return 0;
    db_rollback(rq->db);
    if (!json_is_integer(v)) {
        invalid(rq, rs, "version", "версия — целое число");
        return -1;
    }
    reply_problem(rq, rs, PK_STALE_VERSION, "Отчёт уже изменили в другом окне: обновите страницу.");
    return -1;
}

static int finish(request *rq, response *rs, db_status s, uint64_t id, int status)
{
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_report(rq, rs, status, id);
}

int handle_expert_report_update(request *rq, response *rs)
{
    report_row r;
    report_texts t;
    if (begin_own(rq, rs, &r) != 0)
        return rs->status;
    if (strcmp(r.status, "final") == 0) {
        db_rollback(rq->db);
        return wrong_status(rq, rs, r.status);
    }
    if (check_version(rq, rs, &r) != 0)
        return rs->status;
    if (read_texts(rq, rs, &r, &t) != 0) {
        db_rollback(rq->db);
        return rs->status;
    }
    return finish(rq, rs, store_texts(rq, &r, &t, NULL, "expert_report.update"), r.id, 200);
}

/* The step to to_status from from_status, with the texts of the body (when it has one);
 * the overall text is required. */
static int advance(request *rq, response *rs, const char *from_status, const char *to_status,
                   const char *action)
{
    report_row r;
    report_texts t;
    if (begin_own(rq, rs, &r) != 0)
        return rs->status;
    if (strcmp(r.status, from_status) != 0) {
        db_rollback(rq->db);
        return wrong_status(rq, rs, r.status);
    }
    if (rq->json) {
        if (check_version(rq, rs, &r) != 0)
            return rs->status;
        if (read_texts(rq, rs, &r, &t) != 0) {
            db_rollback(rq->db);
            return rs->status;
        }
    } else {
        stored_texts(rq, &r, &t);
    }
    if (!t.summary) {
        db_rollback(rq->db);
        return invalid(rq, rs, "summary", "напишите общий текст отчёта: выводы и рекомендации");
    }
    db_status s = store_texts(rq, &r, &t, to_status, action);
    if (s == DB_OK) /* the kindergarten's coordinators are told */
        s = notify_expert_report(rq, r.id, r.kindergarten_id, r.expert_id,
                                 strcmp(to_status, "final") == 0 ? "finalise" : "send");
    return finish(rq, rs, s, r.id, 200);
}

int handle_expert_report_send(request *rq, response *rs)
{
    return advance(rq, rs, "draft", "preliminary", "expert_report.send");
}

int handle_expert_report_finalise(request *rq, response *rs)
{
    return advance(rq, rs, "preliminary", "final", "expert_report.finalise");
}

/* ---------------------------------------------------------------- comments */

int handle_expert_report_comment(request *rq, response *rs)
{
    json_t *tv = json_object_get(rq->json, "text");
    const char *text = json_string_value(tv);
    if (!text || strlen(text) != json_string_length(tv) || form_is_blank(text) ||
        form_utf8_length(text) > REPORT_COMMENT_MAX)
        return invalid(rq, rs, "text", "комментарий: от 1 до 8000 символов");
    report_row r;
    if (begin_report(rq, rs, &r) != 0)
        return rs->status;
    if (strcmp(r.status, "preliminary") != 0) {
        db_rollback(rq->db);
        if (strcmp(r.status, "final") == 0)
            wrong_status(rq, rs, r.status);
        else
            reply_problem(rq, rs, PK_REPORT_STATUS,
                          "Комментировать можно только предварительный отчёт.");
        return rs->status;
    }
    db_result ins;
    db_val v[] = {DB_INT(r.id), DB_INT(rq->me->user_id), DB_STR(text)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                "INSERT INTO expert_report_comments (report_id, author_id, body) VALUES (?, ?, ?)",
                v, &ins);
    if (s == DB_OK)
        s = audit_write(rq, "expert_report.comment", "expert_report", r.id, r.kindergarten_id,
                        json_pack("{s:[n,s]}", "comment", text));
    if (s == DB_OK)
        s = notify_expert_report(rq, r.id, r.kindergarten_id, r.expert_id, "comment");
    return finish(rq, rs, s, r.id, 201);
}
