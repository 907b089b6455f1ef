/* Targeted recommendations (recommend_api.c, recommend_accept.c): the row both read and the
 * JSON they answer with. docs/analysis.md, "Targeted recommendations". */
#ifndef VSOK_RECOMMEND_H
#define VSOK_RECOMMEND_H

#include "http/http.h"

/* The status as the sender follows it, read from the plan task the receiver made: new (no
 * task, or the task was cancelled), accepted (a task is planned or in progress), done. */
#define RECOMMEND_STATUS_SQL                                                                       \
    "CASE WHEN t.id IS NULL OR t.status = 'cancelled' THEN 'new' WHEN t.status = 'done' THEN "     \
    "'done' ELSE 'accepted' END"

/* The columns of recommend_json(), over recommendations r, org_units su (sender), ru
 * (receiver) and plan_tasks t (LEFT JOIN on r.plan_task_id). */
#define RECOMMEND_COLUMNS                                                                          \
    "r.id, r.sender_unit_id, su.name, su.level, r.receiver_unit_id, ru.name, ru.level, "           \
    "r.campaign_id, r.area_code, r.indicator_code, r.title, r.body, DATE_FORMAT(r.due_on, "        \
    "'%Y-%m-%d'), " RECOMMEND_STATUS_SQL ", (" RECOMMEND_STATUS_SQL ") <> 'done' AND r.due_on < "  \
    "CURRENT_DATE, t.id, t.status, DATE_FORMAT(r.created_at, '%Y-%m-%dT%H:%i:%s'), "               \
    "DATE_FORMAT(r.accepted_at, '%Y-%m-%dT%H:%i:%s')"

#define RECOMMEND_FROM                                                                             \
    " FROM recommendations r JOIN org_units su ON su.id = r.sender_unit_id JOIN org_units ru ON "  \
    "ru.id = r.receiver_unit_id LEFT JOIN plan_tasks t ON t.id = r.plan_task_id "

enum { RECOMMEND_COL_STATUS = 13, RECOMMEND_COL_OVERDUE = 14, RECOMMEND_COL_TASK = 15 };

json_t *recommend_json(const db_result *r, size_t i);

/* A text field of a recommendation or its task: a string with something other than blanks
 * in it, of at most max characters. */
int recommend_text_ok(const char *s, size_t max);

/* Reads recommendation id if its receiver lies within the caller's scope (found = 0
 * otherwise); lock adds FOR UPDATE on the recommendation. */
db_status recommend_load(request *rq, uint64_t id, int lock, db_result *r, int *found);

#endif
