/* Who hears of a sign-off step (docs/api-notifications.md, kind "signoff"): the level the
 * results now wait for, or the kindergarten's coordinators when they are sent back to it or
 * confirmed at the top. */
#include "analysis/signoff_notify.h"

#include "notify/notify.h"

#include <string.h>

/* The unit whose coordinators act for a level of the kindergarten's chain. */
static uint64_t unit_of(const signoff_row *row, const char *level, const char **who)
{
    if (strcmp(level, "municipality") == 0) {
        *who = "municipal_coordinator";
        return row->municipality_id;
    }
    if (strcmp(level, "region") == 0) {
        *who = "region_coordinator";
        return row->region_id;
    }
    *who = "doo_coordinator";
    return row->id;
}

db_status signoff_notify(request *rq, uint64_t campaign, const signoff_row *row, const char *action,
                         const char *comment)
{
    const char *waiting = signoff_waiting_for(&row->state);
    const char *to = waiting ? waiting : "kindergarten";
    int back = strcmp(action, "return") == 0;
    notice n = {
        .kind = "signoff",
        .title = back ? arena_sprintf(rq->a, "Результаты возвращены: %s", row->name)
                 : waiting ? arena_sprintf(rq->a, "Результаты ждут подтверждения: %s", row->name)
                           : arena_sprintf(rq->a, "Результаты подтверждены: %s", row->name),
        .body = back && comment ? arena_sprintf(rq->a, "Комментарий: %s", comment)
                : waiting       ? "Подтвердите результаты детского сада или верните их с "
                                  "комментарием."
                          : "Результаты мониторинга детского сада подтверждены.",
        .link = arena_sprintf(rq->a, "/analysis/signoff/%llu/%llu", (unsigned long long)campaign,
                              (unsigned long long)row->id),
        .dedup_key = NULL,
    };
    if (!n.title || !n.body || !n.link)
        return DB_ERROR;
    const char *who;
    uint64_t unit = unit_of(row, to, &who);
    return notify_unit_role(rq->cfg, rq->db, rq->a, unit, who, &n);
}
