#include "analysis/status_store.h"
#include "auth/principal.h"

#include <stdlib.h>
#include <string.h>

db_status status_scale_load(request *rq, uint64_t campaign, status_scale *out, int *found)
{
    memset(out, 0, sizeof *out);
    *found = 0;
    db_result r;
    db_val p[] = {DB_INT(campaign)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT source, bands FROM status_scales WHERE campaign_id = ?", p, &r);
    if (s != DB_OK || r.nrows != 1)
        return s;
    json_t *bands = arena_json(rq->a, json_loads(db_cell(&r, 0, 1), 0, NULL));
    json_t *body = arena_json(rq->a, json_pack("{s:s, s:O}", "source", db_cell(&r, 0, 0), "bands",
                                               bands ? bands : json_null()));
    json_t *p2 = arena_json(rq->a, json_object());
    if (!body || !p2 || status_scale_read(rq->a, body, NULL, 0, out, p2) != 0)
        return DB_ERROR;
    *found = 1;
    return DB_OK;
}

db_status status_scale_store(request *rq, uint64_t campaign, const status_scale *sc)
{
    json_t *bands = status_bands_json(sc);
    char *text = bands ? json_dumps(bands, JSON_COMPACT) : NULL;
    json_decref(bands);
    char *kept = text ? arena_strndup(rq->a, text, strlen(text)) : NULL;
    free(text);
    if (!kept)
        return DB_ERROR;
    db_val v[] = {DB_INT(campaign), DB_STR(sc->source), DB_STR(kept), DB_INT(rq->me->user_id)};
    return DB_EXEC(rq->db, rq->a,
                   "INSERT INTO status_scales (campaign_id, source, bands, updated_by) VALUES (?, "
                   "?, ?, ?) ON DUPLICATE KEY UPDATE source = VALUES(source), bands = "
                   "VALUES(bands), updated_by = VALUES(updated_by)",
                   v, NULL);
}

db_status status_names_load(request *rq, uint64_t campaign, const char *ids, strmap *out)
{
    db_result r;
    db_val p[] = {DB_STR(ids), DB_INT(campaign)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT ks.kindergarten_id, ks.status FROM JSON_TABLE(?, '$[*]' COLUMNS "
                          "(id BIGINT UNSIGNED PATH '$')) a JOIN kindergarten_statuses ks ON "
                          "ks.campaign_id = ? AND ks.kindergarten_id = a.id",
                          p, &r);
    if (s != DB_OK)
        return s;
    if (strmap_init(out, rq->a, r.nrows) != 0)
        return DB_ERROR;
    for (size_t i = 0; i < r.nrows; i++)
        if (strmap_put(out, db_cell(&r, i, 0), (void *)db_cell(&r, i, 1)) != 0)
            return DB_ERROR;
    return DB_OK;
}

db_status signoff_confirmed_load(request *rq, uint64_t campaign, const char *path,
                                 signoff_confirmed_set *out)
{
    memset(out, 0, sizeof *out);
    db_result r;
    db_val p[] = {DB_INT(campaign), DB_STR(path)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT k.id, k.path FROM signoffs so JOIN org_units k ON k.id = "
                          "so.kindergarten_id WHERE so.campaign_id = ? AND so.confirmed = 1 AND "
                          "k.active = 1 AND k.path LIKE CONCAT(?, '%')",
                          p, &r);
    if (s != DB_OK)
        return s;
    out->ids = arena_alloc(rq->a, (r.nrows ? r.nrows : 1) * sizeof *out->ids);
    out->paths = arena_alloc(rq->a, (r.nrows ? r.nrows : 1) * sizeof *out->paths);
    if (!out->ids || !out->paths)
        return DB_ERROR;
    for (size_t i = 0; i < r.nrows; i++) {
        out->ids[i] = (uint64_t)db_cell_int(&r, i, 0, 0);
        out->paths[i] = db_cell(&r, i, 1);
    }
    out->n = r.nrows;
    return DB_OK;
}
