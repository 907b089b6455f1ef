/* The status flow of a sheet: submit (full validation, scoring on the server), return with
 * comments per indicator, approve. Every change is kept in submission_events. */
#include "forms/handlers.h"
#include "auth/principal.h"

#include "forms/answers.h"
#include "auth/audit.h"
#include "notify/notify_events.h"
#include "forms/instrument_store.h"
#include "dashboards/rollup.h"
#include "auth/scope.h"
#include "forms/scoring.h"
#include "forms/submission_asks.h"
#include "forms/submission_reply.h"
#include "forms/submission_store.h"

#include <stdlib.h>
#include <string.h>

static int finish(request *rq, response *rs, db_status s)
{
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return submission_respond(rq, rs, scope_parse_id(rq->params[0]), 200);
}

static db_status store_score(request *rq, uint64_t id, const char *kind, const char *code,
                             const score_node *n)
{
    if (!n->scored)
        return DB_OK;
    db_val p[] = {DB_INT(id), DB_STR(kind), DB_STR(code), n->level ? DB_INT(n->level) : DB_NULL,
                  DB_STR(arena_sprintf(rq->a, "%.17g", n->mean))};
    return DB_EXEC(rq->db, rq->a,
                   "INSERT INTO submission_scores (submission_id, kind, code, level, score) "
                   "VALUES (?, ?, ?, ?, ?)",
                   p, NULL);
}

/* Replaces the stored scores of a sheet with result. */
static db_status store_scores(request *rq, uint64_t id, const score_result *res)
{
    db_val p[] = {DB_INT(id)};
    db_status s =
        DB_EXEC(rq->db, rq->a, "DELETE FROM submission_scores WHERE submission_id = ?", p, NULL);
    const instrument *ins = res->ins;
    for (size_t i = 0; s == DB_OK && i < ins->n_indicators; i++)
        s = store_score(rq, id, "indicator", ins->indicators[i].code, &res->indicators[i]);
    for (size_t i = 0; s == DB_OK && i < ins->n_sections; i++)
        s = store_score(rq, id, "section", ins->sections[i].code, &res->sections[i]);
    if (s == DB_OK)
        s = store_score(rq, id, "overall", ins->code, &res->overall);
    return s;
}

/* 422 with one error per unanswered or bad item, naming the indicators that lack required
 * photos or justifications (submission_asks.h). */
static int refuse_incomplete(request *rq, response *rs, const instrument *ins,
                             const form_errors *errs)
{
    json_t *p = submission_errors_problem(errs, "Анкета заполнена не полностью.");
    if (p && submission_asks_explain(rq->a, ins, errs, p) != 0) {
        json_decref(p);
        return reply_problem(rq, rs, PK_INTERNAL, "Внутренняя ошибка сервера.");
    }
    return reply_problem_doc(rq, rs, p);
}

/* The submitted sheet's scores and status. */
static db_status store_submitted(request *rq, uint64_t id, const score_result *res)
{
    json_t *scores = scoring_result_json(res);
    char *text = scores ? json_dumps(scores, JSON_COMPACT) : NULL;
    json_decref(scores);
    char *copy = text ? arena_strdup(rq->a, text) : NULL;
    free(text);
    if (!copy)
        return DB_ERROR;
    db_val p[] = {DB_STR(copy),
                  res->overall.scored ? DB_STR(arena_sprintf(rq->a, "%.17g", res->overall.mean))
                                      : DB_NULL,
                  DB_INT(id)};
    return DB_EXEC(rq->db, rq->a,
                   "UPDATE submissions SET status = 'submitted', submitted_at = CURRENT_TIMESTAMP, "
                   "scores = ?, overall_score = ?, version = version + 1 WHERE id = ?",
                   p, NULL);
}

int handle_submission_submit(request *rq, response *rs)
{
    json_t *base = body_field(rq, "base_version");
    if (!json_is_integer(base))
        return reply_field_error(rq, rs, "Укажите base_version.", "base_version",
                                 "целое число: версия отправляемой анкеты");
    submission_row sub;
    if (submission_begin_locked(rq, rs, &sub) != 0)
        return rs->status;
    if (!submission_can_edit(rq, &sub) || !sub.campaign_open) {
        db_rollback(rq->db);
        if (sub.created_by != rq->me->user_id)
            reply_problem(rq, rs, PK_FORBIDDEN,
                          "Отправить анкету может только тот, кто её заполняет.");
        else
            submission_conflict(rq, rs, &sub);
        return rs->status;
    }
    if (json_integer_value(base) != sub.version) {
        db_rollback(rq->db);
        json_t *p =
            problem_of(PK_VERSION_CONFLICT, "Анкету изменили после того, как вы её открыли.");
        json_object_set_new(p, "current_version", json_integer(sub.version));
        return reply_problem_doc(rq, rs, p);
    }
    stored_instrument si;
    int found = 0;
    db_status s =
        instrument_store_get(rq->instruments, rq->db, rq->a, sub.instrument_id, &si, &found);
    if (s != DB_OK || !found) {
        db_rollback(rq->db);
        return reply_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
    }
    json_t *answers = arena_json(rq->a, json_loads(sub.answers, 0, NULL));
    if (json_is_object(answers))
        s = submission_asks_linked(rq->db, rq->a, si.ins, sub.id, answers);
    if (s != DB_OK) {
        db_rollback(rq->db);
        return reply_db_error(rq, rs, s);
    }
    form_errors errs;
    form_errors_init(&errs, rq->a, ANSWERS_MAX_ERRORS);
    answer_set set;
    int rc = answers_check(rq->a, si.ins, answers, ANSWERS_SUBMIT, &set, &errs);
    score_result res;
    if (rc == 0)
        rc = scoring_compute(rq->a, si.ins, &set, &res) == 0 ? 0 : -1;
    if (rc != 0) {
        db_rollback(rq->db);
        if (rc < 0)
            reply_problem(rq, rs, PK_INTERNAL, "Внутренняя ошибка сервера.");
        else
            refuse_incomplete(rq, rs, si.ins, &errs);
        return rs->status;
    }
    s = store_submitted(rq, sub.id, &res);
    if (s == DB_OK)
        s = store_scores(rq, sub.id, &res);
    if (s == DB_OK)
        s = rollup_status_change(rq, sub.id, sub.status, "submitted");
    if (s == DB_OK)
        s = submission_event(rq, sub.id, sub.status, "submitted", NULL, NULL);
    if (s == DB_OK)
        s = audit_write(rq, "submission.submit", "submission", sub.id, sub.kindergarten_id,
                        json_pack("{s:[s,s]}", "status", sub.status, "submitted"));
    return finish(rq, rs, s);
}

static int is_blank(const char *s)
{
    for (; s && *s; s++)
        if (!strchr(" \t\r\n", *s))
            return 0;
    return 1;
}

/* Every key of comments names an indicator of the sheet's instrument; 422 otherwise. */
static int check_indicators(request *rq, response *rs, const submission_row *sub, json_t *comments)
{
    if (!comments || json_object_size(comments) == 0)
        return 0;
    stored_instrument si;
    int found = 0;
    db_status s =
        instrument_store_get(rq->instruments, rq->db, rq->a, sub->instrument_id, &si, &found);
    if (s != DB_OK || !found) {
        reply_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
        return -1;
    }
    json_t *p = problem_of(PK_VALIDATION, "Комментарии относятся к показателям анкеты.");
    const char *code;
    json_t *v;
    json_object_foreach(comments, code, v)
    {
        if (!instrument_indicator(si.ins, code))
            problem_add_error(p, code, "в анкете нет такого показателя");
    }
    return reply_field_errors(rq, rs, p);
}

/* Reads {comment?, indicator_comments?}; 422 on bad shapes. */
static int read_review(request *rq, response *rs, const char **comment, json_t **comments)
{
    json_t *c = body_field(rq, "comment"), *ic = body_field(rq, "indicator_comments");
    json_t *p = body_problem(rq, "Проверьте комментарии.");
    if (c && !json_is_null(c) && (!json_is_string(c) || json_string_length(c) > 10000))
        problem_add_error(p, "comment", "комментарий: текст до 10000 символов");
    if (ic && !json_is_null(ic) && !json_is_object(ic))
        problem_add_error(p, "indicator_comments", "объект {код показателя: текст}");
    const char *code;
    json_t *v;
    if (json_is_object(ic))
        json_object_foreach(ic, code, v)
        {
            if (!json_is_string(v) || json_string_length(v) > 5000 || strlen(code) > 64 ||
                is_blank(json_string_value(v)))
                problem_add_error(p, code, "комментарий: непустой текст до 5000 символов");
        }
    if (reply_field_errors(rq, rs, p) != 0)
        return -1;
    *comment = is_blank(json_string_value(c)) ? NULL : json_string_value(c);
    *comments = json_is_object(ic) ? json_incref(ic) : NULL;
    return 0;
}

/* Keeps the answers and the linked files of a sheet being returned on the return's event
 * (just inserted), for the "what changed since the return" view. */
static db_status keep_returned_state(request *rq, uint64_t id)
{
    db_val p[] = {DB_INT(id), DB_INT(id)};
    return DB_EXEC(rq->db, rq->a,
                   "UPDATE submission_events SET answers_snapshot = (SELECT answers FROM "
                   "submissions WHERE id = ?), evidence_snapshot = (SELECT "
                   "COALESCE(JSON_ARRAYAGG(JSON_OBJECT('indicator', indicator_code, 'file_id', "
                   "file_id)), '[]') FROM evidence_links WHERE submission_id = ?) "
                   "WHERE id = LAST_INSERT_ID()",
                   p, NULL);
}

static int review(request *rq, response *rs, const char *to)
{
    const char *comment = NULL;
    json_t *comments = NULL;
    if (read_review(rq, rs, &comment, &comments) != 0)
        return rs->status;
    submission_row sub;
    if (submission_begin_locked(rq, rs, &sub) != 0) {
        json_decref(comments);
        return rs->status;
    }
    review_verdict v = submission_review_verdict(rq, &sub);
    if (v != REVIEW_ALLOWED || strcmp(sub.status, "submitted") != 0) {
        db_rollback(rq->db);
        json_decref(comments);
        if (v != REVIEW_ALLOWED)
            reply_problem(rq, rs, PK_FORBIDDEN, review_refusal(v));
        else
            reply_problem(rq, rs, PK_NOT_SUBMITTED, "Анкета не ожидает проверки.");
        return rs->status;
    }
    if (!sub.campaign_open) {
        /* A closed stage accepts no more changes, reviews included. */
        db_rollback(rq->db);
        json_decref(comments);
        stage_window_refuse(rq, rs, &sub.window);
        return rs->status;
    }
    if (check_indicators(rq, rs, &sub, comments) != 0) {
        db_rollback(rq->db);
        json_decref(comments);
        return rs->status;
    }
    if (strcmp(to, "returned") == 0 && (!comment || !*comment) &&
        (!comments || json_object_size(comments) == 0)) {
        db_rollback(rq->db);
        json_decref(comments);
        return reply_field_error(rq, rs, "Напишите, что нужно исправить.", "comment",
                                 "при возврате нужен комментарий");
    }
    db_val p[] = {DB_STR(to), DB_INT(sub.id)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                "UPDATE submissions SET status = ?, version = version + 1 WHERE id = ?", p, NULL);
    if (s == DB_OK)
        s = rollup_status_change(rq, sub.id, sub.status, to);
    if (s == DB_OK)
        s = submission_event(rq, sub.id, sub.status, to, comment, comments);
    else
        json_decref(comments);
    if (s == DB_OK && strcmp(to, "returned") == 0)
        s = keep_returned_state(rq, sub.id);
    if (s == DB_OK)
        s = audit_write(rq,
                        strcmp(to, "returned") == 0 ? "submission.return" : "submission.approve",
                        "submission", sub.id, sub.kindergarten_id,
                        json_pack("{s:[s,s]}", "status", sub.status, to));
    if (s == DB_OK)
        s = notify_sheet_reviewed(rq, &sub, to, comment);
    return finish(rq, rs, s);
}

int handle_submission_return(request *rq, response *rs)
{
    return review(rq, rs, "returned");
}

int handle_submission_approve(request *rq, response *rs)
{
    return review(rq, rs, "approved");
}
