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

#endif
