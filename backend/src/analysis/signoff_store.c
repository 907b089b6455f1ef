#include "analysis/signoff_store.h"
#include "auth/principal.h"

#include "auth/scope.h"

#include <string.h>

static const db_field SIGNOFF_CAMPAIGN[] = {
    DB_FIELD(0, ID, signoff_campaign, id),
    DB_FIELD(1, TEXT, signoff_campaign, title),
    DB_FIELD(2, INT, signoff_campaign, year),
    DB_FIELD(3, TEXT, signoff_campaign, unit_path),
    DB_FIELD(4, TEXT, signoff_campaign, participation),
    DB_FIELD(5, INT, signoff_campaign, analysis_open),
    DB_FIELD(6, INT, signoff_campaign, started),
};

db_status signoff_campaign_load(request *rq, uint64_t id, signoff_campaign *out, int *found)
{
    memset(out, 0, sizeof *out);
    db_val p[] = {DB_INT(id), DB_STR(rq->me->org_path), DB_INT(rq->me->user_id)};
    db_status s = DB_ROW_LOAD(
        rq->db, rq->a,
        "SELECT c.id, c.title, c.year, cu.path, c.participation, COALESCE((SELECT MIN(st.opens_on) "
        "<= CURRENT_DATE FROM campaign_stages st WHERE st.campaign_id = c.id AND st.kind = "
        "'final_reports'), c.closes_on < CURRENT_DATE), EXISTS (SELECT 1 FROM signoff_events se "
        "WHERE se.campaign_id = c.id) FROM campaigns c JOIN org_units cu ON "
        "cu.id = c.org_unit_id WHERE c.id = ? AND c.cancelled_at IS NULL AND " CAMPAIGN_VISIBLE_SQL(
            "cu"),
        p, SIGNOFF_CAMPAIGN, out, found);
    if (!*found)
        return s;
    return signoff_levels_load(rq, id, &out->chain);
}

/* The chain's own spelling of a stored level (the state keeps pointers to it). */
static const char *chain_level(const signoff_chain *c, const char *stored)
{
    int i = signoff_chain_index(c, stored);
    return i >= 0 ? c->names[i] : NULL;
}

db_status signoff_rows_load(request *rq, const signoff_campaign *c, const char *path,
                            uint64_t kindergarten, signoff_row **rows, size_t *n)
{
    db_result r;
    db_val p[] = {DB_INT(c->id),
                  DB_INT(c->id),
                  DB_INT(kindergarten),
                  DB_INT(kindergarten),
                  DB_INT(c->id),
                  DB_INT(kindergarten),
                  DB_INT(kindergarten),
                  DB_STR(path),
                  DB_INT(kindergarten),
                  DB_INT(kindergarten),
                  DB_STR(c->participation),
                  DB_INT(c->id),
                  DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT k.id, k.name, m.id, m.name, m.parent_id, COALESCE(so.signed, 0), so.returned_by, "
        "so.comment, COALESCE(rc.approved, 0), COALESCE(rc.open, 0), COALESCE(er.n, 0) FROM "
        "org_units k JOIN org_units m ON m.id = k.parent_id LEFT JOIN signoffs so ON "
        "so.campaign_id = ? AND so.kindergarten_id = k.id LEFT JOIN (SELECT unit_id, "
        "SUM(approved) AS approved, SUM(submitted - approved) AS open FROM rollup_completion "
        "WHERE campaign_id = ? AND source <> 'expert' AND (? = 0 OR unit_id = ?) GROUP BY unit_id) "
        "rc ON rc.unit_id = k.id "
        "LEFT JOIN (SELECT kindergarten_id, COUNT(*) AS n FROM expert_reports WHERE campaign_id "
        "= ? AND status = 'final' AND (? = 0 OR kindergarten_id = ?) GROUP BY kindergarten_id) er "
        "ON er.kindergarten_id = k.id "
        "WHERE k.level = 'kindergarten' AND k.active = 1 AND k.path LIKE CONCAT(?, '%') AND "
        "(? = 0 OR k.id = ?) AND (? = 'all' OR EXISTS (SELECT 1 FROM campaign_participants cp "
        "WHERE cp.campaign_id = ? AND cp.kindergarten_id = k.id)) AND " SCOPE_SQL(
            "k") " ORDER BY m.name, m.id, k.name, k.id LIMIT 5000",
        p, &r);
    if (s != DB_OK)
        return s;
    *n = r.nrows;
    *rows = arena_alloc(rq->a, (r.nrows ? r.nrows : 1) * sizeof **rows);
    if (!*rows)
        return DB_ERROR;
    for (size_t i = 0; i < r.nrows; i++) {
        signoff_row *w = &(*rows)[i];
        memset(w, 0, sizeof *w);
        w->id = (uint64_t)db_cell_int(&r, i, 0, 0);
        w->name = db_cell(&r, i, 1);
        w->municipality_id = (uint64_t)db_cell_int(&r, i, 2, 0);
        w->municipality = db_cell(&r, i, 3);
        w->region_id = (uint64_t)db_cell_int(&r, i, 4, 0);
        w->state.chain = c->chain;
        w->state.signed_n = (int)db_cell_int(&r, i, 5, 0);
        w->state.returned_by = chain_level(&w->state.chain, db_cell(&r, i, 6));
        w->comment = db_cell(&r, i, 7);
        w->approved = (long)db_cell_int(&r, i, 8, 0);
        w->open = (long)db_cell_int(&r, i, 9, 0);
        w->final_reports = (long)db_cell_int(&r, i, 10, 0);
        w->state.ready = w->approved > 0 && w->open == 0 && w->final_reports > 0;
    }
    return DB_OK;
}

db_status signoff_lock(request *rq, uint64_t campaign, uint64_t kindergarten)
{
    db_val p[] = {DB_INT(campaign), DB_INT(kindergarten)};
    db_status s = DB_EXEC(
        rq->db, rq->a, "INSERT IGNORE INTO signoffs (campaign_id, kindergarten_id) VALUES (?, ?)",
        p, NULL);
    db_result r;
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT signed FROM signoffs WHERE campaign_id = ? AND kindergarten_id = ? "
                    "FOR UPDATE",
                    p, &r);
    return s;
}

db_status signoff_store(request *rq, uint64_t campaign, const signoff_row *row, const char *level,
                        const char *action, const char *comment)
{
    const signoff_state *st = &row->state;
    const char *kept = st->returned_by ? comment : NULL;
    db_val v[] = {DB_INT(st->signed_n),
                  st->returned_by ? DB_STR(st->returned_by) : DB_NULL,
                  kept ? DB_STR(kept) : DB_NULL,
                  DB_INT(signoff_confirmed(st)),
                  DB_INT(campaign),
                  DB_INT(row->id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "UPDATE signoffs SET signed = ?, returned_by = ?, comment = ?, confirmed "
                          "= ? WHERE campaign_id = ? AND kindergarten_id = ?",
                          v, NULL);
    db_val e[] = {DB_INT(campaign),
                  DB_INT(row->id),
                  DB_STR(level),
                  DB_STR(action),
                  comment ? DB_STR(comment) : DB_NULL,
                  DB_INT(rq->me->user_id)};
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "INSERT INTO signoff_events (campaign_id, kindergarten_id, level, action, "
                    "comment, actor_id) VALUES (?, ?, ?, ?, ?, ?)",
                    e, NULL);
    return s;
}

static json_t *event_json(const db_result *r, size_t i)
{
    return json_pack("{s:I, s:s, s:s, s:s?, s:{s:I, s:s}, s:s}", "id",
                     (json_int_t)db_cell_int(r, i, 0, 0), "level", db_cell(r, i, 1), "action",
                     db_cell(r, i, 2), "comment", db_cell(r, i, 3), "actor", "id",
                     (json_int_t)db_cell_int(r, i, 4, 0), "full_name", db_cell(r, i, 5), "at",
                     db_cell(r, i, 6));
}

static db_status history_json(request *rq, uint64_t campaign, uint64_t kindergarten, json_t **out)
{
    db_val p[] = {DB_INT(campaign), DB_INT(kindergarten)};
    return SELECT_JSON(rq,
                       "SELECT e.id, e.level, e.action, e.comment, u.id, u.full_name, "
                       "DATE_FORMAT(e.created_at, '%Y-%m-%dT%H:%i:%sZ') FROM signoff_events e "
                       "JOIN users u ON u.id = e.actor_id WHERE e.campaign_id = ? AND "
                       "e.kindergarten_id = ? ORDER BY e.id",
                       p, event_json, out);
}

const char *signoff_caller_level(const request *rq)
{
    switch (rq->me->role) {
    case ROLE_MUNICIPAL_COORDINATOR:
        return "municipality";
    case ROLE_REGION_COORDINATOR:
        return "region";
    case ROLE_DOO_COORDINATOR:
        return "kindergarten";
    default:
        return NULL;
    }
}

static json_t *signed_json(const signoff_state *st)
{
    json_t *a = json_array();
    for (int i = 0; i < st->signed_n && (size_t)i < st->chain.n; i++)
        json_array_append_new(a, json_string(st->chain.names[i]));
    return a;
}

db_status signoff_row_json(request *rq, const signoff_campaign *c, const signoff_row *row,
                           int with_history, json_t **out)
{
    const signoff_state *st = &row->state;
    const char *me = signoff_caller_level(rq);
    const char *waiting = signoff_waiting_for(st);
    json_t *returned =
        st->returned_by ? json_pack("{s:s, s:s?}", "by", st->returned_by, "comment", row->comment)
                        : json_null();
    *out = json_pack(
        "{s:{s:I, s:s, s:I}, s:{s:I, s:s}, s:{s:I, s:s}, s:o, s:s, s:s?, s:o, s:o, "
        "s:{s:b, s:I, s:I, s:I}, s:b, s:b, s:b, s:b}",
        "campaign", "id", (json_int_t)c->id, "title", c->title, "year", (json_int_t)c->year,
        "kindergarten", "id", (json_int_t)row->id, "name", row->name, "municipality", "id",
        (json_int_t)row->municipality_id, "name", row->municipality, "levels",
        signoff_chain_json(&st->chain), "state", signoff_state_name(st), "waiting_for", waiting,
        "signed", signed_json(st), "returned", returned, "readiness", "ready", st->ready,
        "sheets_approved", (json_int_t)row->approved, "sheets_open", (json_int_t)row->open,
        "final_reports", (json_int_t)row->final_reports, "mine",
        me && waiting && !strcmp(me, waiting), "can_confirm", me && signoff_may_confirm(st, me),
        "can_return", me && signoff_may_return(st, me), "can_resubmit",
        me && !strcmp(me, "kindergarten") && signoff_may_resubmit(st));
    if (!*out)
        return DB_ERROR;
    if (!with_history)
        return DB_OK;
    json_t *h = NULL;
    db_status s = history_json(rq, c->id, row->id, &h);
    if (s == DB_OK)
        json_object_set_new(*out, "history", h);
    return s;
}
