/* The workflow of an analytic report (docs/analysis.md, "Workflow"): the unit's coordinator
 * sends it to the level above, which publishes it or returns it with a comment; the region's
 * own report is published by its coordinator. Publishing keeps the figures as they are then
 * (snapshot); a return clears them. Each step writes an audit row. */
#include "analysis/handlers.h"
#include "analysis/report_reply.h"
#include "analysis/report_data.h"
#include "analysis/report_store.h"
#include "auth/audit.h"
#include "http/form_text.h"

#include <stdlib.h>
#include <string.h>

typedef enum { STEP_SEND, STEP_PUBLISH, STEP_RETURN } step;

static int is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* Why the caller may not take the step now (NULL: they may); *code the status. */
static const char *refusal(const request *rq, const report_row *r, step st, int *code)
{
    int open = is(r->status, "draft") || is(r->status, "returned");
    int region = r->unit.level == LEVEL_REGION;
    *code = 403;
    switch (st) {
    case STEP_SEND:
        if (!report_is_author(rq, &r->unit))
            return "Справку отправляет координатор её организации.";
        *code = 409;
        if (region)
            return "Справка региона публикуется, а не отправляется выше.";
        return open ? NULL : "Справка уже отправлена или опубликована.";
    case STEP_PUBLISH:
        if (region ? !report_is_author(rq, &r->unit) : !report_is_above(rq, &r->unit))
            return region ? "Справку региона публикует его координатор."
                          : "Справку публикует уровень выше.";
        *code = 409;
        return (region ? open : is(r->status, "sent")) ? NULL
                                                       : "Справку можно опубликовать, когда её "
                                                         "отправили на уровень выше.";
    case STEP_RETURN:
        if (!report_is_above(rq, &r->unit))
            return "Справку возвращает уровень выше.";
        *code = 409;
        return is(r->status, "sent") || is(r->status, "published")
                   ? NULL
                   : "Вернуть можно отправленную или опубликованную справку.";
    }
    return NULL;
}

static const char *const NEXT[] = {"sent", "published", "returned"};
static const char *const ACTION[] = {"report.send", "report.publish", "report.return"};

/* The return's comment: required, up to 4000 characters. */
static int read_comment(request *rq, response *rs, const char **out)
{
    *out = json_string_value(json_object_get(rq->json, "comment"));
    if (*out && (*out)[strspn(*out, " \t\r\n")] && form_utf8_length(*out) <= 4000)
        return 0;
    json_t *p = problem_of(PK_VALIDATION, "Напишите, что исправить.");
    problem_add_error(p, "comment", "комментарий от 1 до 4000 символов");
    reply_problem_doc(rq, rs, p);
    return -1;
}

static db_status apply(request *rq, const report_row *r, step st, const char *comment)
{
    json_t *data = NULL;
    char *snapshot = NULL;
    db_status s = DB_OK;
    if (st == STEP_PUBLISH) {
        s = report_data_json(rq, &r->unit, r->campaign_id, r->instrument_id, &data);
        snapshot = s == DB_OK ? json_dumps(data, JSON_COMPACT) : NULL;
        json_decref(data);
        if (s == DB_OK && !snapshot)
            s = DB_ERROR;
    }
    db_val v[] = {DB_STR(NEXT[st]),
                  DB_INT(st == STEP_SEND),
                  DB_INT(st == STEP_PUBLISH),
                  snapshot ? DB_STR(snapshot) : DB_NULL,
                  DB_INT(st == STEP_RETURN),
                  comment ? DB_STR(comment) : DB_NULL,
                  DB_INT(r->id)};
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE analytic_reports SET status = ?, sent_at = IF(?, NOW(), sent_at), "
                    "published_at = IF(?, NOW(), published_at), snapshot = ?, return_comment = "
                    "IF(?, ?, return_comment), version = version + 1 WHERE id = ?",
                    v, NULL);
    free(snapshot);
    if (s == DB_OK)
        s = audit_write(
            rq, ACTION[st], "analytic_report", r->id, r->unit.id,
            json_pack("{s:[s,s], s:s?}", "status", r->status, NEXT[st], "comment", comment));
    return s;
}

static int take(request *rq, response *rs, step st)
{
    const char *comment = NULL;
    if (st == STEP_RETURN && read_comment(rq, rs, &comment) != 0)
        return rs->status;
    uint64_t id = scope_parse_id(rq->params[0]);
    report_row r;
    int found = 0, code = 404;
    db_status s = report_begin(rq, id, &r, &found);
    const char *why = found ? refusal(rq, &r, st, &code) : "Справка не найдена.";
    if (s == DB_OK && !why)
        s = apply(rq, &r, st, comment);
    if (s != DB_OK || why)
        return report_refuse(rq, rs, s, code, why);
    s = db_commit(rq->db);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return report_respond(rq, rs, 200, id);
}

int handle_report_send(request *rq, response *rs)
{
    return take(rq, rs, STEP_SEND);
}

int handle_report_publish(request *rq, response *rs)
{
    return take(rq, rs, STEP_PUBLISH);
}

int handle_report_return(request *rq, response *rs)
{
    return take(rq, rs, STEP_RETURN);
}
