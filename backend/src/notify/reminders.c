#include "notify/reminders.h"

#include "core/log.h"
#include "db/maintenance.h"
#include "notify/notify.h"
#include "auth/scope.h"

#include <stdio.h>
#include <string.h>

/* The people a stage speaks to in kindergarten k: its respondents working there, and the
 * experts assigned to it when experts respond. Columns: user id, then what the caller
 * selects. Bound: nothing. */
#define AUDIENCE_FROM                                                                              \
    " FROM campaign_stages st JOIN campaigns c ON c.id = st.campaign_id AND c.cancelled_at IS "    \
    "NULL JOIN org_units cu ON "                                                                   \
    "cu.id = c.org_unit_id JOIN org_units k ON k.level = 'kindergarten' AND k.active = 1 AND "     \
    "k.path LIKE CONCAT(cu.path, '%') AND (c.participation = 'all' OR EXISTS (SELECT 1 FROM "      \
    "campaign_participants p WHERE p.campaign_id = c.id AND p.kindergarten_id = k.id)) JOIN "      \
    "users u ON u.active = 1 AND FIND_IN_SET(u.role, st.respondents) AND ((u.role <> 'expert' "    \
    "AND u.org_unit_id = k.id) OR (u.role = 'expert' AND EXISTS (SELECT 1 FROM "                   \
    "expert_assignments a WHERE a.expert_id = u.id AND a.kindergarten_id = k.id "                  \
    "AND " ASSIGNMENT_CURRENT_SQL(                                                                 \
        "a") "))) LEFT JOIN "                                                                      \
             "stage_deadlines d ON d.stage_id = st.id AND d.municipality_id = k.parent_id "        \
             "WHERE st.instrument_id IS NOT NULL "

#define DEADLINE_SQL "LEAST(st.closes_on, COALESCE(d.due_on, st.closes_on))"

/* Writes the notices of rows (user id, stage id, stage title, campaign title, date, days) as
 * kind; returns the count or -1. */
static long notify_rows(const config *cfg, db_conn *db, arena *a, const db_result *r, int open)
{
    long n = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        long long days = db_cell_int(r, i, 5, 0);
        const char *stage = db_cell(r, i, 2), *campaign = db_cell(r, i, 3),
                   *date = db_cell(r, i, 4);
        notice no = {
            .kind = open ? "stage_open" : "deadline",
            .title = open ? arena_sprintf(a, "Открыт этап «%s»", stage)
                          : arena_sprintf(a, "До конца этапа «%s» %s", stage,
                                          days == 1 ? "остался 1 день" : "осталось 3 дня"),
            .body = arena_sprintf(a, "%s. Срок — %s.", campaign, date),
            .link = "/calendar",
            .dedup_key =
                open ? arena_sprintf(a, "stage-open:%lld", db_cell_int(r, i, 1, 0))
                     : arena_sprintf(a, "deadline:%lld:%lld", db_cell_int(r, i, 1, 0), days),
        };
        if (!no.title || !no.body || !no.dedup_key)
            return -1;
        if (notify_user(cfg, db, a, (uint64_t)db_cell_int(r, i, 0, 0), &no) != DB_OK)
            return -1;
        n++;
    }
    return n;
}

/* One run; the caller holds the lease. */
static long remind_now(const config *cfg, db_conn *db, arena *a)
{
    db_result opened, near;
    db_val p[] = {DB_INT(REMINDERS_BATCH)};
    db_status s = DB_EXEC(
        db, a,
        "SELECT DISTINCT u.id, st.id, st.title, c.title, DATE_FORMAT(" DEADLINE_SQL
        ", '%d.%m.%Y'), 0" AUDIENCE_FROM "AND CURRENT_DATE BETWEEN st.opens_on AND LEAST("
        "st.closes_on, st.opens_on + INTERVAL 6 DAY) AND NOT EXISTS (SELECT 1 FROM "
        "notifications n WHERE n.user_id = u.id AND n.dedup_key = CONCAT('stage-open:', st.id)) "
        "ORDER BY st.id, u.id LIMIT ?",
        p, &opened);
    if (s == DB_OK)
        s = DB_EXEC(
            db, a,
            "SELECT DISTINCT u.id, st.id, st.title, c.title, DATE_FORMAT(" DEADLINE_SQL
            ", '%d.%m.%Y'), DATEDIFF(" DEADLINE_SQL ", CURRENT_DATE)" AUDIENCE_FROM
            "AND CURRENT_DATE >= st.opens_on AND DATEDIFF(" DEADLINE_SQL
            ", CURRENT_DATE) IN (1, 3) AND NOT EXISTS (SELECT 1 FROM submissions s WHERE "
            "s.campaign_id = c.id AND s.instrument_id = st.instrument_id AND s.kindergarten_id = "
            "k.id AND s.created_by = u.id AND s.status IN ('submitted', 'approved')) AND NOT "
            "EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.dedup_key = "
            "CONCAT('deadline:', st.id, ':', DATEDIFF(" DEADLINE_SQL ", CURRENT_DATE))) "
            "ORDER BY st.id, u.id LIMIT ?",
            p, &near);
    if (s != DB_OK)
        return -1;
    long a1 = notify_rows(cfg, db, a, &opened, 1);
    long a2 = a1 < 0 ? -1 : notify_rows(cfg, db, a, &near, 0);
    if (a2 < 0)
        return -1;
    if (a1 + a2)
        log_info("reminders: %ld stage opening(s), %ld deadline(s)", a1, a2);
    return a1 + a2;
}

long reminders_run(const config *cfg, db_conn *db, arena *a, int force)
{
    return maintenance_run(cfg, db, a, "reminders", REMINDERS_INTERVAL, force, remind_now);
}

int reminders_command(const config *cfg)
{
    return maintenance_subcommand(cfg, reminders_run, "reminder(s) written");
}
