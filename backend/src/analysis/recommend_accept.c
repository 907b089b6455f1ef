/* The receiver of a recommendation takes it into its improvement plan: one call makes a
 * plan task (plans/) linked to the recommendation, whose status the sender then follows.
 * Contract: docs/analysis.md, "Targeted recommendations". */
#include "analysis/handlers.h"
#include "analysis/recommend.h"

#include "auth/audit.h"
#include "auth/principal.h"
#include "auth/scope.h"
#include "campaigns/stage_kinds.h"
#include "http/form_text.h"

#include <string.h>

typedef struct {
    const char *responsible, *action, *due_on;
} task_fields;

static int read_task(request *rq, response *rs, task_fields *f)
{
    json_t *b = rq->json;
    json_t *p = body_problem(rq, "Проверьте поля задачи.");
    json_t *action = json_object_get(b, "action"), *due = json_object_get(b, "due_on");
    f->responsible = json_string_value(json_object_get(b, "responsible"));
    f->action = json_string_value(action);
    f->due_on = json_string_value(due);
    if (!recommend_text_ok(f->responsible, 300))
        problem_add_error(p, "responsible", "ответственный: от 1 до 300 символов");
    if (action && !json_is_null(action) && !recommend_text_ok(f->action, 2000))
        problem_add_error(p, "action", "мероприятие: текст от 1 до 2000 символов");
    if (due && !json_is_null(due) && !stage_date_valid(f->due_on))
        problem_add_error(p, "due_on", "срок в виде ГГГГ-ММ-ДД");
    return reply_field_errors(rq, rs, p);
}

/* Inside the open transaction: the plan task and the link both ways. */
static db_status make_task(request *rq, const db_result *cur, const task_fields *f, uint64_t id,
                           uint64_t *task_id)
{
    const char *indicator = db_cell(cur, 0, 9) ? db_cell(cur, 0, 9) : db_cell(cur, 0, 8);
    const char *action =
        f->action ? f->action
                  : arena_sprintf(rq->a, "%s. %s", db_cell(cur, 0, 10), db_cell(cur, 0, 11));
    if (form_utf8_length(action) > 2000)
        action = db_cell(cur, 0, 10);
    db_result up;
    long long campaign = db_cell_int(cur, 0, 7, 0);
    db_val v[] = {DB_INT(rq->me->org_unit_id),
                  campaign ? DB_INT((uint64_t)campaign) : DB_NULL,
                  DB_INT(id),
                  indicator ? DB_STR(indicator) : DB_NULL,
                  DB_STR(action),
                  DB_STR(f->responsible),
                  DB_STR(f->due_on ? f->due_on : db_cell(cur, 0, 12)),
                  DB_INT(rq->me->user_id)};
    db_status s = DB_INSERT(rq->db, rq->a,
                            "INSERT INTO plan_tasks (org_unit_id, campaign_id, recommendation_id, "
                            "indicator_code, action, responsible, due_on, created_by) VALUES (?, "
                            "?, ?, ?, ?, ?, ?, ?)",
                            v, task_id);
    if (s != DB_OK)
        return s;
    db_val u[] = {DB_INT(*task_id), DB_INT(id)};
    s = DB_EXEC(rq->db, rq->a,
                "UPDATE recommendations SET plan_task_id = ?, accepted_at = CURRENT_TIMESTAMP "
                "WHERE id = ?",
                u, &up);
    if (s == DB_OK)
        s = audit_write(rq, "recommendation.accept", "recommendation", id, rq->me->org_unit_id,
                        json_pack("{s:I}", "plan_task_id", (json_int_t)*task_id));
    return s;
}

/* POST /recommendations/{id}/plan-task: the receiver's coordinator makes the plan task
 * (responsible required; action defaults to the recommendation's title and text, due_on to
 * its due date). 409 when a live task exists already. */
int handle_recommendation_plan_task(request *rq, response *rs)
{
    uint64_t id = scope_parse_id(rq->params[0]);
    task_fields f;
    if (read_task(rq, rs, &f) != 0)
        return rs->status;
    db_result cur;
    int found = 0;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = recommend_load(rq, id, 1, &cur, &found);
    if (s == DB_OK && !found) {
        db_rollback(rq->db);
        return reply_problem(rq, rs, PK_NOT_FOUND, "Рекомендация не найдена.");
    }
    if (s == DB_OK && (uint64_t)db_cell_int(&cur, 0, 4, 0) != rq->me->org_unit_id) {
        db_rollback(rq->db);
        return reply_problem(rq, rs, PK_FORBIDDEN,
                             "Задачу в план ставит координатор той организации, которой адресована "
                             "рекомендация.");
    }
    if (s == DB_OK && strcmp(db_cell(&cur, 0, RECOMMEND_COL_STATUS), "new") != 0) {
        db_rollback(rq->db);
        json_t *p = problem_of(PK_RECOMMENDATION_IN_PLAN, "Рекомендация уже включена в план.");
        json_object_set_new(p, "current", recommend_json(&cur, 0));
        return reply_problem_doc(rq, rs, p);
    }
    uint64_t task_id = 0;
    if (s == DB_OK)
        s = make_task(rq, &cur, &f, id, &task_id);
    s = db_end(rq->db, s);
    if (s == DB_OK)
        s = recommend_load(rq, id, 0, &cur, &found);
    if (s != DB_OK || !found)
        return reply_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
    return respond_json(rq, rs, 201, recommend_json(&cur, 0));
}
