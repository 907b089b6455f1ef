/* The iCalendar feed of a user's deadlines: a secret per user (stored only as its SHA-256,
 * rotated by POST /me/calendar-feed) in a public URL that phone calendars subscribe to.
 * docs/api-campaigns.md, "iCalendar feed". */
#include "campaigns/handlers.h"
#include "auth/principal.h"

#include "campaigns/calendar.h"
#include "core/crypto_util.h"
#include "campaigns/ics.h"
#include "campaigns/stage_window.h"

#include <string.h>
#include <time.h>

#define FEED_TOKEN_BYTES 32

int handle_calendar_feed_rotate(request *rq, response *rs)
{
    unsigned char raw[FEED_TOKEN_BYTES], hash[32];
    char token[4 * ((FEED_TOKEN_BYTES + 2) / 3) + 1];
    if (random_bytes(raw, sizeof raw) != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Внутренняя ошибка сервера.");
    base64url_encode(raw, sizeof raw, token);
    sha256(token, strlen(token), hash);
    db_val p[] = {DB_INT(rq->me->user_id), DB_BLOB(hash, sizeof hash)};
    db_status s = DB_EXEC(
        rq->db, rq->a, "REPLACE INTO calendar_feeds (user_id, token_hash) VALUES (?, ?)", p, NULL);
    db_result r;
    db_val q[] = {DB_INT(rq->me->user_id)};
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ') FROM calendar_feeds "
                    "WHERE user_id = ?",
                    q, &r);
    if (s != DB_OK || r.nrows != 1)
        return reply_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
    return respond_json(rq, rs, 201,
                        json_pack("{s:s, s:s, s:s}", "token", token, "path",
                                  arena_sprintf(rq->a, "/api/v1/calendar/%s.ics", token),
                                  "created_at", db_cell(&r, 0, 0)));
}

static int feed_not_found(request *rq, response *rs)
{
    return reply_problem(rq, rs, PK_NOT_FOUND, "Календарь не найден.");
}

/* The description of a task event. */
static const char *task_text(request *rq, json_t *t)
{
    json_t *ins = json_object_get(t, "instrument");
    const char *what =
        json_is_object(ins) ? json_string_value(json_object_get(ins, "title")) : "без анкеты";
    const char *municipal = json_string_value(json_object_get(t, "municipal_deadline"));
    return arena_sprintf(
        rq->a, "Кампания: %s\nЧто заполнить: %s\nДля: %s\nЭтап: с %s по %s%s%s\nСтатус: %s%s",
        json_string_value(json_object_get(json_object_get(t, "campaign"), "title")), what,
        json_string_value(json_object_get(json_object_get(t, "unit"), "name")),
        stage_date_ru(rq->a, json_string_value(json_object_get(t, "opens_on"))),
        stage_date_ru(rq->a, json_string_value(json_object_get(t, "stage_closes_on"))),
        municipal ? "\nСрок муниципалитета: " : "",
        municipal ? stage_date_ru(rq->a, municipal) : "",
        calendar_status_ru(json_string_value(json_object_get(t, "status"))),
        json_is_true(json_object_get(t, "late")) ? " (просрочено)" : "");
}

/* GET /calendar/{feed_token}.ics */
int handle_calendar_ics(request *rq, response *rs)
{
    const char *token = rq->params[0];
    size_t len = token ? strlen(token) : 0;
    if (len < 20 || len > 100)
        return feed_not_found(rq, rs);
    unsigned char hash[32];
    sha256(token, len, hash);
    db_result r;
    db_val p[] = {DB_BLOB(hash, sizeof hash)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT f.user_id, DATE_FORMAT(CURRENT_DATE - INTERVAL 60 DAY, "
                          "'%Y-%m-%d'), DATE_FORMAT(CURRENT_DATE + INTERVAL 365 DAY, '%Y-%m-%d') "
                          "FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE "
                          "f.token_hash = ? AND u.active = 1",
                          p, &r);
    principal *me = NULL;
    if (s == DB_OK && r.nrows == 1)
        s = principal_load(rq->principals, rq->db, rq->a, (uint64_t)db_cell_int(&r, 0, 0, 0), &me);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (r.nrows != 1 || !me || !me->user_id || !me->active)
        return feed_not_found(rq, rs);
    rq->me = me;
    json_t *tasks, *stages;
    s = calendar_build(rq, db_cell(&r, 0, 1), db_cell(&r, 0, 2), &tasks, &stages);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    arena_json(rq->a, tasks);
    arena_json(rq->a, stages);
    ics_writer w;
    ics_begin(&w, rq->a, arena_sprintf(rq->a, "ВСОК ДО: план-график — %s", me->full_name));
    time_t now = time(NULL);
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t)
    {
        const char *summary =
            arena_sprintf(rq->a, "Срок: %s — %s",
                          json_string_value(json_object_get(json_object_get(t, "stage"), "title")),
                          json_string_value(json_object_get(json_object_get(t, "unit"), "name")));
        ics_event e = {
            arena_sprintf(rq->a, "%s-user-%llu@vsok", json_string_value(json_object_get(t, "id")),
                          (unsigned long long)me->user_id),
            json_string_value(json_object_get(t, "closes_on")), summary, task_text(rq, t), NULL};
        ics_add_event(&w, &e, now);
    }
    json_array_foreach(stages, i, t)
    {
        json_t *st = json_object_get(t, "stage");
        const char *due = json_string_value(json_object_get(t, "municipal_deadline"));
        ics_event e = {
            arena_sprintf(rq->a, "stage-%lld-user-%llu@vsok",
                          (long long)json_integer_value(json_object_get(st, "id")),
                          (unsigned long long)me->user_id),
            due ? due : json_string_value(json_object_get(t, "closes_on")),
            arena_sprintf(rq->a, "Этап закрывается: %s",
                          json_string_value(json_object_get(st, "title"))),
            arena_sprintf(
                rq->a, "Кампания: %s\nЭтап: с %s по %s\nСдали: %lld из %lld, опаздывают: %lld",
                json_string_value(json_object_get(json_object_get(t, "campaign"), "title")),
                stage_date_ru(rq->a, json_string_value(json_object_get(t, "opens_on"))),
                stage_date_ru(rq->a, json_string_value(json_object_get(t, "closes_on"))),
                (long long)json_integer_value(json_object_get(t, "done")),
                (long long)json_integer_value(json_object_get(t, "expected")),
                (long long)json_integer_value(json_object_get(t, "late"))),
            NULL};
        ics_add_event(&w, &e, now);
    }
    const char *body;
    size_t n;
    if (ics_finish(&w, &body, &n) != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Внутренняя ошибка сервера.");
    response_header(rq->a, rs, "Cache-Control", "private, max-age=300");
    return respond_raw(rs, 200, "text/calendar; charset=utf-8", body, n);
}
