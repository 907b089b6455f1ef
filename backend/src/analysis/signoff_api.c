/* The sign-off of a kindergarten's results (docs/analysis.md, "Sign-off"): its state and
 * history, the steps of each level (confirm, send back with a comment, the kindergarten's
 * resubmission), the coordinators' lists of kindergartens, and the levels a campaign asks
 * for. Every step is audited and tells whoever acts next. */
#include "analysis/handlers.h"
#include "analysis/signoff_reply.h"
#include "org/route_rows.h"
#include "auth/principal.h"

#include "analysis/signoff_notify.h"
#include "analysis/signoff_store.h"
#include "auth/audit.h"
#include "auth/scope.h"
#include "http/form_text.h"
#include "org/unit_store.h"

#include <string.h>

#define SIGNOFF_COMMENT_MAX 4000

static int not_found(request *rq, response *rs, const char *what)
{
    return reply_problem(rq, rs, PK_NOT_FOUND, what);
}

static int invalid(request *rq, response *rs, const char *field, const char *message)
{
    json_t *p = problem_of(PK_VALIDATION, "Проверьте поля запроса.");
    problem_add_error(p, field, message);
    return reply_problem_doc(rq, rs, p);
}

/* The campaign of ?campaign_id= or body.campaign_id; answers itself and returns -1. */
static int load_campaign(request *rq, response *rs, uint64_t id, signoff_campaign *c)
{
    return signoff_campaign_or_respond(rq, rs, id, "Проверьте поля запроса.", c);
}

static uint64_t body_id(const request *rq, const char *key)
{
    json_t *v = json_object_get(rq->json, key);
    return json_is_integer(v) && json_integer_value(v) > 0 ? (uint64_t)json_integer_value(v) : 0;
}

/* The kindergarten of the path as a sign-off row of the campaign; -1 answered. */
static int load_row(request *rq, response *rs, const signoff_campaign *c, signoff_row *row)
{
    scope_unit u;
    signoff_row *rows = NULL;
    size_t n = 0;
    if (route_unit(rq, rs, &u) != 0)
        return -1;
    db_status s = DB_OK;
    if (u.level == LEVEL_KINDERGARTEN)
        s = signoff_rows_load(rq, c, c->unit_path, u.id, &rows, &n);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    if (n != 1) {
        not_found(rq, rs, "Детский сад не найден или не участвует в кампании.");
        return -1;
    }
    *row = rows[0];
    return 0;
}

static int respond_row(request *rq, response *rs, const signoff_campaign *c, const signoff_row *row)
{
    json_t *doc = NULL;
    db_status s = signoff_row_json(rq, c, row, 1, &doc);
    if (s != DB_OK) {
        json_decref(doc);
        return reply_db_error(rq, rs, s);
    }
    return respond_json(rq, rs, 200, doc);
}

int handle_signoff_get(request *rq, response *rs)
{
    signoff_campaign c;
    signoff_row row;
    const char *id = uri_param_get(&rq->args, "campaign_id");
    if (load_campaign(rq, rs, id ? scope_parse_id(id) : 0, &c) != 0 ||
        load_row(rq, rs, &c, &row) != 0)
        return rs->status;
    return respond_row(rq, rs, &c, &row);
}

/* ---------------------------------------------------------------- steps */

typedef enum { STEP_CONFIRM, STEP_RETURN, STEP_RESUBMIT } signoff_step;

static const char *const STEP_NAMES[] = {"confirm", "return", "resubmit"};

/* body.comment: required to send back, optional otherwise; -1 answered. */
static int read_comment(request *rq, response *rs, signoff_step step, const char **out)
{
    json_t *v = json_object_get(rq->json, "comment");
    const char *s = json_string_value(v);
    *out = NULL;
    if ((v && !json_is_null(v) && (!s || strlen(s) != json_string_length(v))) ||
        (s && form_utf8_length(s) > SIGNOFF_COMMENT_MAX) ||
        (step == STEP_RETURN && (!s || form_is_blank(s)))) {
        invalid(rq, rs, "comment",
                step == STEP_RETURN ? "напишите, что исправить: от 1 до 4000 символов"
                                    : "комментарий: до 4000 символов или null");
        return -1;
    }
    *out = s && !form_is_blank(s) ? s : NULL;
    return 0;
}

/* 409 when the state does not allow the caller's step. */
static int check_step(request *rq, response *rs, const signoff_row *row, signoff_step step,
                      const char *level)
{
    const signoff_state *st = &row->state;
    int ok = step == STEP_CONFIRM  ? signoff_may_confirm(st, level)
             : step == STEP_RETURN ? signoff_may_return(st, level)
                                   : signoff_may_resubmit(st);
    if (ok)
        return 0;
    if (step != STEP_RETURN && signoff_chain_index(&st->chain, level) < 0 &&
        strcmp(level, "kindergarten") != 0) {
        reply_problem(rq, rs, PK_FORBIDDEN,
                      "В этой кампании ваш уровень не подтверждает результаты.");
        return -1;
    }
    const char *waiting = signoff_waiting_for(st);
    reply_problem(rq, rs, PK_SIGNOFF_STATE,
                  !waiting ? "Результаты уже подтверждены."
                  : !st->ready && (st->signed_n == 0)
                      ? "Результаты ещё не готовы: листы детского сада не все утверждены или "
                        "нет итогового отчёта эксперта."
                      : "Результаты сейчас ждут другого уровня.");
    return -1;
}

static int take_step(request *rq, response *rs, signoff_step step)
{
    const char *level = signoff_caller_level(rq), *comment;
    signoff_campaign c;
    signoff_row row;
    if (read_comment(rq, rs, step, &comment) != 0 ||
        load_campaign(rq, rs, body_id(rq, "campaign_id"), &c) != 0)
        return rs->status;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = signoff_lock(rq, c.id, rq->scoped_id);
    if (s != DB_OK) {
        db_rollback(rq->db);
        return reply_db_error(rq, rs, s);
    }
    if (load_row(rq, rs, &c, &row) != 0 || check_step(rq, rs, &row, step, level) != 0) {
        db_rollback(rq->db);
        return rs->status;
    }
    int before = row.state.signed_n;
    if (step == STEP_CONFIRM)
        signoff_apply_confirm(&row.state);
    else if (step == STEP_RETURN)
        signoff_apply_return(&row.state, level);
    else
        signoff_apply_resubmit(&row.state);
    row.comment = row.state.returned_by ? comment : NULL;
    s = signoff_store(rq, c.id, &row, level, STEP_NAMES[step], comment);
    if (s == DB_OK)
        s = audit_write(
            rq, arena_sprintf(rq->a, "signoff.%s", STEP_NAMES[step]), "campaign", c.id, row.id,
            json_pack("{s:[n,s], s:[I,I], s:[n,s?]}", "level", level, "signed", (json_int_t)before,
                      (json_int_t)row.state.signed_n, "comment", comment));
    if (s == DB_OK)
        s = signoff_notify(rq, c.id, &row, STEP_NAMES[step], comment);
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_row(rq, rs, &c, &row);
}

int handle_signoff_confirm(request *rq, response *rs)
{
    return take_step(rq, rs, STEP_CONFIRM);
}

int handle_signoff_return(request *rq, response *rs)
{
    return take_step(rq, rs, STEP_RETURN);
}

int handle_signoff_resubmit(request *rq, response *rs)
{
    return take_step(rq, rs, STEP_RESUBMIT);
}

/* ---------------------------------------------------------------- lists and levels */

int handle_campaign_signoffs(request *rq, response *rs)
{
    signoff_campaign c;
    if (load_campaign(rq, rs, scope_parse_id(rq->params[0]), &c) != 0)
        return rs->status;
    const char *mine = uri_param_get(&rq->args, "mine");
    if (mine && strcmp(mine, "0") != 0 && strcmp(mine, "1") != 0)
        return invalid(rq, rs, "mine", "0 или 1");
    signoff_row *rows = NULL;
    size_t n = 0;
    db_status s = signoff_rows_load(rq, &c, c.unit_path, 0, &rows, &n);
    json_t *items = json_array();
    for (size_t i = 0; s == DB_OK && i < n; i++) {
        json_t *doc = NULL;
        s = signoff_row_json(rq, &c, &rows[i], 0, &doc);
        if (s == DB_OK && mine && !strcmp(mine, "1") && !json_is_true(json_object_get(doc, "mine")))
            json_decref(doc);
        else if (s == DB_OK)
            json_array_append_new(items, doc);
    }
    if (s != DB_OK) {
        json_decref(items);
        return reply_db_error(rq, rs, s);
    }
    return respond_json(rq, rs, 200,
                        json_pack("{s:{s:I, s:s, s:I}, s:o, s:b, s:o}", "campaign", "id",
                                  (json_int_t)c.id, "title", c.title, "year", (json_int_t)c.year,
                                  "levels", signoff_chain_json(&c.chain), "editable",
                                  !c.analysis_open && !c.started, "items", items));
}

static int respond_levels(request *rq, response *rs, const signoff_campaign *c)
{
    return respond_json(rq, rs, 200,
                        json_pack("{s:I, s:o, s:b}", "campaign_id", (json_int_t)c->id, "levels",
                                  signoff_chain_json(&c->chain), "editable",
                                  !c->analysis_open && !c->started));
}

int handle_signoff_levels_get(request *rq, response *rs)
{
    signoff_campaign c;
    if (load_campaign(rq, rs, scope_parse_id(rq->params[0]), &c) == 0)
        respond_levels(rq, rs, &c);
    return rs->status;
}

int handle_signoff_levels_put(request *rq, response *rs)
{
    signoff_campaign c;
    signoff_chain chain;
    int given = 0;
    if (load_campaign(rq, rs, scope_parse_id(rq->params[0]), &c) != 0)
        return rs->status;
    json_t *p = problem_of(PK_VALIDATION, "Проверьте поля запроса.");
    if (signoff_levels_read(rq->json, &chain, &given, p) != 0 || !given) {
        if (!given)
            problem_add_error(p, "signoff_levels", "укажите уровни подтверждения");
        return reply_problem_doc(rq, rs, p);
    }
    json_decref(p);
    if (rq->me->role != ROLE_ADMINISTRATOR &&
        strncmp(rq->me->org_path, c.unit_path, strlen(rq->me->org_path)) != 0)
        return reply_problem(rq, rs, PK_FORBIDDEN,
                             "Уровни подтверждения меняет тот, кто проводит кампанию.");
    if (c.analysis_open || c.started)
        return reply_problem(rq, rs, PK_ANALYSIS_STARTED,
                             c.started
                                 ? "Результаты уже подтверждают: уровни подтверждения не меняются."
                                 : "Этап анализа уже начался: уровни подтверждения не меняются.");
    const char *old = signoff_chain_text(rq->a, &c.chain);
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = signoff_levels_store(rq, c.id, &chain);
    if (s == DB_OK)
        s = audit_write(
            rq, "campaign.signoff_levels", "campaign", c.id, rq->me->org_unit_id,
            json_pack("{s:[s,s]}", "signoff_levels", old, signoff_chain_text(rq->a, &chain)));
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    c.chain = chain;
    return respond_levels(rq, rs, &c);
}
