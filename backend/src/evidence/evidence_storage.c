/* GET /units/{id}/storage and the storage warnings (evidence_storage.h). Stored bytes are
 * the sizes of the kindergarten's evidence_files rows, the quota rule of tus creation;
 * unfinished uploads are shown apart (`uploading`): they count against the quota while they
 * last but not towards the warnings, which speak of what is kept. */
#include "evidence/handlers.h"
#include "org/route_rows.h"

#include "evidence/evidence_storage.h"
#include "core/log.h"
#include "db/maintenance.h"
#include "notify/notify.h"
#include "auth/scope.h"
#include "org/unit_store.h"

#include <stdio.h>

/* The least byte count that is at least pct per cent of quota: ceil(quota * pct / 100),
 * without overflow for any quota. */
static long long threshold(long long quota, int pct)
{
    return quota / 100 * pct + (quota % 100 * pct + 99) / 100;
}

int storage_level(long long stored, long long quota)
{
    if (quota <= 0)
        return 0;
    return stored >= threshold(quota, 95) ? 95 : stored >= threshold(quota, 80) ? 80 : 0;
}

#define USAGE_SQL                                                                                  \
    "SELECT (SELECT COALESCE(SUM(size), 0) FROM evidence_files WHERE kindergarten_id = ?), "       \
    "(SELECT COALESCE(SUM(length), 0) FROM uploads WHERE kindergarten_id = ? AND file_id IS "      \
    "NULL AND expires_at > UTC_TIMESTAMP())"

int handle_unit_storage(request *rq, response *rs)
{
    scope_unit k;
    if (route_unit(rq, rs, &k) != 0)
        return rs->status;
    if (k.level != LEVEL_KINDERGARTEN)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Детский сад не найден.");
    db_result r;
    db_val p[] = {DB_INT(k.id), DB_INT(k.id)};
    db_status s = DB_EXEC(rq->db, rq->a, USAGE_SQL, p, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    long long stored = db_cell_int(&r, 0, 0, 0), uploading = db_cell_int(&r, 0, 1, 0);
    long long quota = rq->cfg->kindergarten_quota;
    double percent = quota > 0 ? (double)stored * 100.0 / (double)quota : 0;
    int level = storage_level(stored, quota);
    return respond_json(rq, rs, 200,
                        json_pack("{s:I, s:I, s:I, s:I, s:f, s:s}", "kindergarten_id",
                                  (json_int_t)k.id, "stored", (json_int_t)stored, "uploading",
                                  (json_int_t)uploading, "quota", (json_int_t)quota, "percent",
                                  (double)(long)(percent * 10) / 10, "warning",
                                  level == 95   ? "critical"
                                  : level == 80 ? "high"
                                                : "none"));
}

/* Moves the kindergarten's remembered level to `level`. *raised = 1 when it went up (the
 * row changed and the new level is above the old one). */
static db_status remember(db_conn *db, arena *a, long long k, int level, int old, int *raised)
{
    db_val p[] = {DB_INT(k), DB_INT(level), DB_INT(old)};
    db_result r;
    db_status s =
        DB_EXEC(db, a,
                "INSERT INTO kindergarten_privacy (kindergarten_id, storage_warned) VALUES "
                "(?, ?) ON DUPLICATE KEY UPDATE storage_warned = IF(storage_warned = ?, "
                "VALUES(storage_warned), storage_warned)",
                p, &r);
    *raised = s == DB_OK && r.affected > 0 && level > old;
    return s;
}

static db_status notify_kindergarten(const config *cfg, db_conn *db, arena *a, long long k,
                                     int level, long long stored)
{
    notice n = {
        .kind = "storage",
        .title = arena_sprintf(a, "Место для файлов детского сада занято на %d %%", level),
        .body = arena_sprintf(a,
                              "Занято %lld из %lld МБ. Когда место закончится, новые фото и "
                              "видео загрузить будет нельзя: удалите лишние файлы из черновиков "
                              "или обратитесь к администратору.",
                              stored / 1000000, cfg->kindergarten_quota / 1000000),
        .link = "/",
    };
    if (!n.title || !n.body)
        return DB_ERROR;
    db_status s = notify_unit_role(cfg, db, a, (uint64_t)k, "doo_coordinator", &n);
    return s == DB_OK ? notify_unit_role(cfg, db, a, (uint64_t)k, "teacher", &n) : s;
}

/* One check; the caller holds the lease. */
static long check_now(const config *cfg, db_conn *db, arena *a)
{
    long long q = cfg->kindergarten_quota;
    db_val p[] = {DB_INT(threshold(q, 80))};
    db_result r;
    db_status s = DB_EXEC(db, a,
                          "SELECT x.k, x.stored, COALESCE(p.storage_warned, 0) FROM (SELECT "
                          "kindergarten_id AS k, SUM(size) AS stored FROM evidence_files GROUP BY "
                          "kindergarten_id) x LEFT JOIN kindergarten_privacy p ON "
                          "p.kindergarten_id = x.k WHERE x.stored >= ? OR p.storage_warned > 0 "
                          "UNION SELECT p.kindergarten_id, 0, p.storage_warned FROM "
                          "kindergarten_privacy p WHERE p.storage_warned > 0 AND NOT EXISTS "
                          "(SELECT 1 FROM evidence_files f WHERE f.kindergarten_id = "
                          "p.kindergarten_id)",
                          p, &r);
    long notified = 0;
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++) {
        long long k = db_cell_int(&r, i, 0, 0), stored = db_cell_int(&r, i, 1, 0);
        int old = (int)db_cell_int(&r, i, 2, 0), level = storage_level(stored, q), raised = 0;
        if (level == old)
            continue;
        s = db_begin(db);
        if (s == DB_OK)
            s = remember(db, a, k, level, old, &raised);
        if (s == DB_OK && raised)
            s = notify_kindergarten(cfg, db, a, k, level, stored);
        s = db_end(db, s);
        notified += s == DB_OK && raised;
    }
    if (s != DB_OK) {
        log_error("storage: the check failed");
        return -1;
    }
    if (notified)
        log_info("storage: %ld kindergarten(s) told of their storage", notified);
    return notified;
}

long storage_check(const config *cfg, db_conn *db, arena *a, int force)
{
    return maintenance_run(cfg, db, a, "storage_check", STORAGE_CHECK_INTERVAL, force, check_now);
}

int storage_check_command(const config *cfg)
{
    return maintenance_subcommand(cfg, storage_check, "kindergarten(s) notified");
}
