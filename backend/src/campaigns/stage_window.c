#include "campaigns/stage_window.h"

#include <string.h>

/* The window of a campaign's stage, or of the campaign itself: the stage join is appended
 * by the caller. Parameters: kindergarten id twice, then the join's, then the campaign id. */
#define WINDOW_SELECT                                                                              \
    "SELECT " STAGE_WINDOW_COLUMNS("?") " FROM campaigns c LEFT JOIN campaign_stages st ON "       \
                                        "st.campaign_id = c.id AND "

static db_status window_query(request *rq, const char *sql, db_val join1, db_val join2,
                              int two_joins, uint64_t campaign_id, uint64_t kindergarten_id,
                              stage_window *out)
{
    memset(out, 0, sizeof *out);
    db_val p[5];
    size_t n = 0;
    p[n++] = DB_INT(kindergarten_id);
    p[n++] = DB_INT(kindergarten_id);
    p[n++] = join1;
    if (two_joins)
        p[n++] = join2;
    p[n++] = DB_INT(campaign_id);
    db_result r;
    db_status s = db_exec(rq->db, rq->a, sql, p, n, &r);
    if (s != DB_OK || r.nrows == 0)
        return s;
    stage_window_read(&r, 0, out);
    return DB_OK;
}

void stage_window_read(const db_result *r, size_t col, stage_window *out)
{
    memset(out, 0, sizeof *out);
    out->found = 1;
    out->opens_on = db_cell(r, 0, col);
    out->closes_on = db_cell(r, 0, col + 1);
    out->in_window = (int)db_cell_int(r, 0, col + 2, 0);
    out->in_sample = (int)db_cell_int(r, 0, col + 3, 0);
    out->stage_id = (uint64_t)db_cell_int(r, 0, col + 4, 0);
    out->stage_kind = db_cell(r, 0, col + 5);
    out->stage_title = db_cell(r, 0, col + 6);
    out->reopened_until = db_cell(r, 0, col + 7);
    if (out->reopened_until)
        out->in_window = 1;
    out->open = out->in_window && out->in_sample;
}

db_status stage_window_for_sheet(request *rq, uint64_t campaign_id, uint64_t instrument_id,
                                 const char *respondent_role, uint64_t kindergarten_id,
                                 stage_window *out)
{
    return window_query(
        rq,
        WINDOW_SELECT STAGE_WINDOW_SHEET_STAGE("?", "?") " WHERE c.id = ? "
                                                         "ORDER BY st.position LIMIT 1",
        DB_INT(instrument_id), DB_STR(respondent_role), 1, campaign_id, kindergarten_id, out);
}

db_status stage_window_for_kind(request *rq, uint64_t campaign_id, const char *stage_kind,
                                uint64_t kindergarten_id, stage_window *out)
{
    db_status s = window_query(rq, WINDOW_SELECT "st.kind = ? WHERE c.id = ? LIMIT 1",
                               DB_STR(stage_kind), DB_NULL, 0, campaign_id, kindergarten_id, out);
    if (s == DB_OK && out->found && !out->stage_id)
        memset(out, 0, sizeof *out); /* the campaign has no stage of this kind */
    return s;
}

int stage_open_for(request *rq, uint64_t campaign_id, const char *stage_kind,
                   uint64_t kindergarten_id, stage_window *out)
{
    stage_window w;
    db_status s = stage_window_for_kind(rq, campaign_id, stage_kind, kindergarten_id, &w);
    if (out)
        *out = w;
    if (s != DB_OK)
        return -1;
    return w.found && w.open;
}

const char *stage_date_ru(arena *a, const char *iso)
{
    if (!iso || strlen(iso) != 10)
        return iso ? iso : "";
    return arena_sprintf(a, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
}

int stage_window_refuse(request *rq, response *rs, const stage_window *w)
{
    const char *from = stage_date_ru(rq->a, w->opens_on), *to = stage_date_ru(rq->a, w->closes_on);
    json_t *p;
    if (!w->in_sample) {
        p = problem_of(
            PK_NOT_IN_SAMPLE,
            w->stage_id
                ? arena_sprintf(rq->a,
                                "Этот детский сад не входит в выборку кампании: этап «%s» (с %s "
                                "по %s) принимает анкеты только от детских садов выборки.",
                                w->stage_title, from, to)
                : arena_sprintf(rq->a,
                                "Этот детский сад не входит в выборку кампании (с %s по %s): "
                                "анкеты от него не принимаются.",
                                from, to));
    } else if (w->stage_id) {
        p = problem_of(PK_STAGE_CLOSED,
                       arena_sprintf(rq->a,
                                     "Этап «%s» принимает анкеты с %s по %s; сегодня он "
                                     "закрыт для этого детского сада.",
                                     w->stage_title, from, to));
    } else {
        p = problem_of(PK_CAMPAIGN_CLOSED,
                       arena_sprintf(rq->a, "Кампания принимает анкеты с %s по %s.", from, to));
    }
    if (w->stage_id)
        json_object_set_new(p, "stage",
                            json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)w->stage_id,
                                      "kind", w->stage_kind, "title", w->stage_title, "opens_on",
                                      w->opens_on, "closes_on", w->closes_on));
    else
        json_object_set_new(
            p, "window",
            json_pack("{s:s, s:s}", "opens_on", w->opens_on, "closes_on", w->closes_on));
    return reply_problem_doc(rq, rs, p);
}
