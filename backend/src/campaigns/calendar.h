/* The plan-schedule as each user sees it: their tasks (what to fill, for which unit, by
 * when, status, late) and, for coordinators, the stages of their scope with how many
 * kindergartens are late. Read by GET /me/calendar and the iCalendar feed.
 * docs/api-campaigns.md, "Calendar". */
#ifndef VSOK_CALENDAR_H
#define VSOK_CALENDAR_H

#include "http/http.h"

#include <stdint.h>

/* The tasks and stages of rq->me whose stage window meets [from, to] (YYYY-MM-DD). */
db_status calendar_build(request *rq, const char *from, const char *to, json_t **tasks,
                         json_t **stages);

/* The kindergartens under path taking part in stage_id, one row each: k.id, k.name, m.id,
 * m.name, deadline (YYYY-MM-DD: the municipal one when earlier, a reopening's when later),
 * past the deadline (0/1), sheets expected, sheets submitted or approved. */
db_status calendar_stage_units(request *rq, uint64_t stage_id, const char *path, db_result *r);

/* Row i of calendar_stage_units is late: past its deadline without every sheet in. */
int calendar_unit_late(const db_result *r, size_t i);

/* Russian name of a task status ("не начато", …). */
const char *calendar_status_ru(const char *status);

#endif
