/* The parents' side of the questionnaire, without login: the questionnaire of a link and
 * its answer. Anonymous: the answer row holds the answers, the place and the day, nothing
 * about the person or the device. One answer per browser: a random id in an httpOnly
 * cookie, stored only as a hash with the link (survey_link_browsers), never with the
 * answer. */
#include "survey/handlers.h"

#include "forms/answers.h"
#include "core/crypto_util.h"
#include "forms/instrument_store.h"
#include "dashboards/rollup.h"
#include "forms/submission_store.h"
#include "survey/survey.h"

#include <stdlib.h>
#include <string.h>

#define COOKIE_MAX_AGE (365L * 24 * 3600)

static void no_store(request *rq, response *rs)
{
    response_header(rq->a, rs, "Cache-Control", "no-store");
}

/* 404 for an unknown token, 410 for a link that takes no answers; returns 0 when open. */
static int refuse_unless_open(request *rq, response *rs, const survey_link *l, int found)
{
    if (!found) {
        reply_problem(rq, rs, PK_SURVEY_NOT_FOUND,
                      "Такой анкеты нет. Проверьте адрес ссылки или QR-код.");
        return -1;
    }
    switch (survey_link_state(l)) {
    case SURVEY_OPEN:
        return 0;
    case SURVEY_NOT_STARTED:
        reply_problem(rq, rs, PK_SURVEY_CLOSED,
                      "Анкета ещё не открыта. Попробуйте позже, в дни опроса.");
        return -1;
    case SURVEY_FULL:
        reply_problem(rq, rs, PK_SURVEY_FULL,
                      "Анкета уже собрала все ответы, которые планировались. Спасибо!");
        return -1;
    case SURVEY_CLOSED:
    case SURVEY_ENDED:
        break;
    }
    reply_problem(rq, rs, PK_SURVEY_CLOSED,
                  "Опрос завершён: анкета больше не принимает ответы. Спасибо!");
    return -1;
}

/* The link of the route's token when it takes answers: fills l and returns 0; otherwise
 * answers (the database error, 404 or 410) and returns -1. Nothing of it is cached. */
static int open_link(request *rq, response *rs, survey_link *l)
{
    no_store(rq, rs);
    int found = 0;
    db_status s = survey_link_by_token(rq, rq->params[0], l, &found);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    return refuse_unless_open(rq, rs, l, found);
}

/* Has this browser answered through the link? */
static db_status browser_answered(request *rq, uint64_t link_id, const char *browser, int *answered)
{
    *answered = 0;
    if (!browser)
        return DB_OK;
    unsigned char h[32];
    survey_browser_hash(link_id, browser, h);
    db_result r;
    db_val p[] = {DB_INT(link_id), DB_BLOB(h, sizeof h)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT 1 FROM survey_link_browsers WHERE link_id = ? AND "
                          "browser_hash = ?",
                          p, &r);
    *answered = s == DB_OK && r.nrows > 0;
    return s;
}

/* Gives the browser its random id unless it has one. */
static int ensure_browser_cookie(request *rq, response *rs, const char **browser)
{
    if (*browser)
        return 0;
    unsigned char raw[32];
    char *id = arena_alloc(rq->a, 4 * ((sizeof raw + 2) / 3) + 1);
    if (!id || random_bytes(raw, sizeof raw) != 0)
        return -1;
    base64url_encode(raw, sizeof raw, id);
    char *v = arena_sprintf(rq->a,
                            SURVEY_COOKIE "=%s; Path=/api/v1/public/surveys; Max-Age=%ld; "
                                          "HttpOnly; SameSite=Strict%s",
                            id, COOKIE_MAX_AGE, rq->cfg->cookie_secure ? "; Secure" : "");
    if (!v || response_header(rq->a, rs, "Set-Cookie", v) != 0)
        return -1;
    *browser = id;
    return 0;
}

int handle_public_survey_get(request *rq, response *rs)
{
    survey_link l;
    if (open_link(rq, rs, &l) != 0)
        return rs->status;
    const char *browser = survey_browser_id(rq);
    int answered = 0;
    db_result def;
    db_val p[] = {DB_INT(l.instrument_id)};
    db_status s = browser_answered(rq, l.id, browser, &answered);
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a, "SELECT definition FROM instruments WHERE id = ?", p, &def);
    if (s != DB_OK || def.nrows != 1)
        return reply_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
    json_t *doc = json_loads(db_cell(&def, 0, 0), 0, NULL);
    if (!doc || ensure_browser_cookie(rq, rs, &browser) != 0) {
        json_decref(doc);
        return reply_db_error(rq, rs, DB_ERROR);
    }
    json_t *group =
        l.group_id ? json_pack("{s:s}", "name", l.group_name ? l.group_name : "") : json_null();
    return respond_json(rq, rs, 200,
                        json_pack("{s:{s:s}, s:o, s:s, s:b, s:o}", "kindergarten", "name",
                                  l.kindergarten_name, "group", group, "closes_on", l.closes_on,
                                  "answered", answered, "questionnaire", doc));
}

/* The answers to keep: only the answered items, as given. */
static json_t *answered_only(const instrument *ins, const answer_set *set, const json_t *given)
{
    json_t *out = json_object();
    for (size_t i = 0; i < ins->n_items; i++)
        if (answers_is_answered(&set->items[i]))
            json_object_set(out, ins->items[i].code, json_object_get(given, ins->items[i].code));
    return out;
}

/* A parent's answers checked against the questionnaire of the link: 0 with set filled;
 * otherwise answers 422 (every missing or bad answer) or 500 and returns -1. */
static int check_answers(request *rq, response *rs, const survey_link *l, const json_t *given,
                         stored_instrument *si, answer_set *set)
{
    int found = 0;
    db_status s =
        instrument_store_get(rq->instruments, rq->db, rq->a, l->instrument_id, si, &found);
    if (s != DB_OK || !found) {
        reply_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
        return -1;
    }
    form_errors errs;
    form_errors_init(&errs, rq->a, ANSWERS_MAX_ERRORS);
    int rc = answers_check(rq->a, si->ins, given, ANSWERS_SUBMIT, set, &errs);
    if (rc < 0)
        reply_db_error(rq, rs, DB_ERROR);
    else if (rc > 0)
        reply_problem_doc(
            rq, rs,
            submission_errors_problem(&errs, "Ответьте на все обязательные вопросы анкеты."));
    return rc == 0 ? 0 : -1;
}

/* Adds the stored answer to the parent rollups of the dashboards, in the transaction of
 * its INSERT: the one call site of rollup_parent_response. */
static db_status survey_response_rollup(request *rq, uint64_t response_id)
{
    return rollup_parent_response(rq->db, rq->a, rq->instruments, response_id);
}

/* Stores the answer of the locked, open link: the browser's mark, the row, the count, the
 * rollup. Returns DB_DUPLICATE when this browser answered already. */
static db_status store_answer(request *rq, const survey_link *l, const char *browser,
                              const char *answers)
{
    unsigned char h[32];
    survey_browser_hash(l->id, browser, h);
    db_val mark[] = {DB_INT(l->id), DB_BLOB(h, sizeof h)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "INSERT INTO survey_link_browsers (link_id, browser_hash) VALUES (?, ?)",
                          mark, NULL);
    uint64_t response_id = 0;
    db_val row[] = {DB_INT(l->campaign_id),
                    DB_INT(l->instrument_id),
                    DB_INT(l->kindergarten_id),
                    l->group_id ? DB_INT(l->group_id) : DB_NULL,
                    DB_INT(l->id),
                    DB_STR(answers)};
    if (s == DB_OK)
        s = DB_INSERT(rq->db, rq->a,
                      "INSERT INTO survey_responses (campaign_id, instrument_id, kindergarten_id, "
                      "group_id, link_id, answers, answered_on) VALUES (?, ?, ?, ?, ?, ?, "
                      "CURRENT_DATE)",
                      row, &response_id);
    db_val id[] = {DB_INT(l->id)};
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a, "UPDATE survey_links SET responses = responses + 1 WHERE id = ?",
                    id, NULL);
    if (s == DB_OK)
        s = survey_response_rollup(rq, response_id);
    return s;
}

int handle_public_survey_answer(request *rq, response *rs)
{
    survey_link l;
    if (open_link(rq, rs, &l) != 0)
        return rs->status;
    const char *browser = survey_browser_id(rq);
    if (!browser)
        return reply_problem(
            rq, rs, PK_COOKIE_REQUIRED,
            "Браузер не сохранил отметку анкеты. Разрешите cookie для этого сайта и "
            "откройте ссылку заново.");
    json_t *given = body_field(rq, "answers");
    if (!json_is_object(given))
        return reply_field_error(rq, rs, "Ожидаются ответы.", "answers",
                                 "объект {код вопроса: ответ}");
    stored_instrument si;
    answer_set set;
    if (check_answers(rq, rs, &l, given, &si, &set) != 0)
        return rs->status;
    json_t *kept = arena_json(rq->a, answered_only(si.ins, &set, given));
    char *text = json_dumps(kept, JSON_COMPACT);
    if (!text || arena_defer(rq->a, free, text) != 0)
        return reply_db_error(rq, rs, DB_ERROR);
    /* lock the link, then judge it again: a close or the last place under the cap may have
     * come between */
    db_result locked;
    db_val p[] = {DB_INT(l.id)};
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a, "SELECT id FROM survey_links WHERE id = ? FOR UPDATE", p, NULL);
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a, "SELECT " SURVEY_LINK_COLUMNS SURVEY_LINK_FROM "WHERE l.id = ?",
                    p, &locked);
    if (s == DB_OK && locked.nrows == 1) {
        survey_link_row(&locked, 0, &l);
        if (survey_link_state(&l) != SURVEY_OPEN) {
            db_rollback(rq->db);
            refuse_unless_open(rq, rs, &l, 1);
            return rs->status;
        }
        s = store_answer(rq, &l, browser, text);
    }
    s = db_end(rq->db, s);
    if (s == DB_DUPLICATE)
        return reply_problem(rq, rs, PK_ALREADY_ANSWERED,
                             "С этого устройства уже отправлен ответ на эту анкету. Спасибо!");
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(
        rq, rs, 201,
        json_pack("{s:b, s:s}", "accepted", 1, "message", "Спасибо! Ваш ответ принят."));
}
