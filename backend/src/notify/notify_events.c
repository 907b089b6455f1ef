#include "notify/notify_events.h"

#include "notify/notify.h"

#include <string.h>

/* The instrument's title and the target unit's name, for the wording. */
static void sheet_names(request *rq, const submission_row *sub, const char **title,
                        const char **unit)
{
    db_result r;
    db_val p[] = {DB_INT(sub->target_unit_id), DB_INT(sub->instrument_id)};
    *title = "анкета";
    *unit = "";
    if (DB_EXEC(rq->db, rq->a,
                "SELECT i.title, o.name FROM instruments i JOIN org_units o ON o.id = ? "
                "WHERE i.id = ?",
                p, &r) == DB_OK &&
        r.nrows == 1) {
        *title = db_cell(&r, 0, 0);
        *unit = db_cell(&r, 0, 1);
    }
}

db_status notify_sheet_reviewed(request *rq, const submission_row *sub, const char *to,
                                const char *comment)
{
    const char *title, *unit;
    sheet_names(rq, sub, &title, &unit);
    int returned = strcmp(to, "returned") == 0;
    notice n = {
        .kind = returned ? "sheet_returned" : "sheet_approved",
        .title = arena_sprintf(
            rq->a, returned ? "Анкета возвращена на доработку: %s" : "Анкета принята: %s", title),
        .body = returned ? arena_sprintf(rq->a, "%s.%s%s", unit, comment ? " Комментарий: " : "",
                                         comment ? comment : "")
                         : arena_sprintf(rq->a, "%s.", unit),
        .link = arena_sprintf(rq->a, "/forms/%llu", (unsigned long long)sub->id),
        .dedup_key = NULL,
    };
    if (!n.title || !n.body || !n.link)
        return DB_ERROR;
    return notify_user(rq->cfg, rq->db, rq->a, sub->created_by, &n);
}

db_status notify_assignment(request *rq, uint64_t expert_id, uint64_t kindergarten_id,
                            const char *kindergarten_name)
{
    notice n = {
        .kind = "assignment",
        .title = arena_sprintf(rq->a, "Вам назначена экспертиза: %s", kindergarten_name),
        .body = "Детский сад появился в вашем списке для оценки.",
        .link = arena_sprintf(rq->a, "/units/%llu", (unsigned long long)kindergarten_id),
        .dedup_key = NULL,
    };
    if (!n.title || !n.link)
        return DB_ERROR;
    return notify_user(rq->cfg, rq->db, rq->a, expert_id, &n);
}

db_status notify_expert_report(request *rq, uint64_t report_id, uint64_t kindergarten_id,
                               uint64_t expert_id, const char *step)
{
    db_result r;
    db_val p[] = {DB_INT(kindergarten_id)};
    const char *name = "детский сад";
    if (DB_EXEC(rq->db, rq->a, "SELECT name FROM org_units WHERE id = ?", p, &r) == DB_OK &&
        r.nrows == 1)
        name = db_cell(&r, 0, 0);
    int comment = strcmp(step, "comment") == 0, sent = strcmp(step, "send") == 0;
    notice n = {
        .kind = "report",
        .title = comment ? arena_sprintf(rq->a, "Комментарий детского сада к отчёту: %s", name)
                 : sent ? arena_sprintf(rq->a, "Предварительный отчёт эксперта: %s", name)
                        : arena_sprintf(rq->a, "Итоговый отчёт эксперта: %s", name),
        .body = comment ? "Детский сад прокомментировал ваш предварительный отчёт."
                : sent  ? "Эксперт прислал предварительный отчёт: он ждёт ваших комментариев."
                       : "Эксперт утвердил итоговый отчёт с рекомендациями.",
        .link = arena_sprintf(rq->a, "/expert-reports/%llu", (unsigned long long)report_id),
        .dedup_key = NULL,
    };
    if (!n.title || !n.link)
        return DB_ERROR;
    if (comment)
        return notify_user(rq->cfg, rq->db, rq->a, expert_id, &n);
    return notify_unit_role(rq->cfg, rq->db, rq->a, kindergarten_id, "doo_coordinator", &n);
}
