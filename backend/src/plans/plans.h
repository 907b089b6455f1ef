/* Improvement plans (plans.c, plans_export.c): the query both the JSON list and the exports
 * read. docs/api-plans.md. */
#ifndef VSOK_PLANS_H
#define VSOK_PLANS_H

#include "http/http.h"
#include "auth/scope.h"

/* Columns of a task row (TASK_COLUMNS in plans.c), by index. */
enum {
    PLAN_COL_ID = 0,
    PLAN_COL_UNIT_ID,
    PLAN_COL_UNIT_NAME,
    PLAN_COL_CAMPAIGN,
    PLAN_COL_INDICATOR,
    PLAN_COL_ACTION,
    PLAN_COL_RESPONSIBLE,
    PLAN_COL_DUE,
    PLAN_COL_STATUS,
    PLAN_COL_RESULT,
    PLAN_COL_EVIDENCE,
    PLAN_COL_VERSION,
    PLAN_COL_OVERDUE,
};

/* The tasks of the route's unit (u) with the filters of the query string (?status=,
 * ?overdue=1, ?subtree=1), by due date. On bad input or a database error answers itself
 * (404, 400, 422, 503) and returns -1. */
int plan_tasks_query(request *rq, response *rs, scope_unit *u, db_result *r);

/* The items of a list of tasks or recommendations, row(r, i) for each row, and their counts:
 * counts holds a 0 under each status to count and under "overdue"; each row adds 1 to its
 * status (at column status_col) and, when the column overdue_col is 1, to "overdue". */
json_t *plans_count_rows(const db_result *r, json_t *(*row)(const db_result *r, size_t i),
                         size_t status_col, size_t overdue_col, json_t *counts);

#endif
