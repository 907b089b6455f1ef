/* Rebuilding the rollups on request: POST /api/v1/admin/rollups/rebuild (administrators)
 * answers 202 at once and the worker rebuilds after the answer has gone out (a full region
 * takes minutes, longer than nginx waits for an answer); GET /api/v1/admin/rollups/rebuild
 * shows the last run (rebuild_runs, migration 028). The `vsokd rebuild-rollups` command
 * records its runs there too. Either takes the rebuild's lease (db/job_lease.h: one rebuild
 * across every host) before the run's row is written, so a second rebuild is refused (409,
 * exit 3) before anything is recorded. */
#include "dashboards/handlers.h"
#include "forms/instrument_store.h"

#include "core/log.h"
#include "db/job_lease.h"
#include "db/maintenance.h"
#include "dashboards/rollup.h"

#include <stdio.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Takes the rebuild's lease and records a running run (started_by 0: the command). *run = 0
 * when another rebuild holds the lease. */
static db_status run_begin(db_conn *db, arena *a, uint64_t started_by, uint64_t *run)
{
    *run = 0;
    int held = job_lease_take(db, a, ROLLUP_REBUILD_JOB, ROLLUP_REBUILD_LEASE_TTL, 0);
    if (held <= 0)
        return held < 0 ? DB_UNAVAILABLE : DB_OK;
    db_result r;
    db_val p[] = {started_by ? DB_INT(started_by) : DB_NULL};
    db_status s = DB_EXEC(db, a, "INSERT INTO rebuild_runs (started_by) VALUES (?)", p, &r);
    if (s == DB_OK) {
        *run = r.insert_id;
        return DB_OK;
    }
    if (job_lease_release(db, a, ROLLUP_REBUILD_JOB) != DB_OK)
        log_error("rollups: the rebuild's lease was not given back");
    return s;
}

/* Rebuilds (the same process renews the lease inside), records the outcome and lets the
 * lease go. */
static db_status run_rebuild(db_conn *db, arena *a, instrument_cache *cache, uint64_t run,
                             unsigned long long *rows, double *ms)
{
    double start = now_ms();
    int busy = 0;
    db_status s = rollup_rebuild(db, a, cache, rows, &busy);
    *ms = now_ms() - start;
    int ok = s == DB_OK && !busy;
    db_val p[] = {DB_STR(ok ? "finished" : "failed"), DB_INT(*rows), DB_INT((long long)(*ms + 0.5)),
                  DB_INT(run)};
    db_status u = DB_EXEC(db, a,
                          "UPDATE rebuild_runs SET state = ?, finished_at = CURRENT_TIMESTAMP(3), "
                          "rows_written = ?, ms = ? WHERE id = ?",
                          p, NULL);
    if (job_lease_release(db, a, ROLLUP_REBUILD_JOB) != DB_OK)
        log_error("rollups: the rebuild's lease was not given back");
    return s != DB_OK ? s : busy ? DB_ERROR : u;
}

static void rebuild_after_answer(request *rq, void *arg)
{
    unsigned long long rows = 0;
    double ms = 0;
    if (run_rebuild(rq->db, rq->a, rq->instruments, *(uint64_t *)arg, &rows, &ms) != DB_OK)
        log_error("rollups: the rebuild failed after %.0f ms", ms);
    else
        log_info("rollups rebuilt: %llu rows in %.0f ms", rows, ms);
}

/* The last run: 200 with its state, 404 when there has been none. A row still 'running'
 * whose lease has expired belonged to a worker that died: 'interrupted'. */
int handle_rollups_rebuild_status(request *rq, response *rs)
{
    db_result r;
    db_status s = DB_RUN(
        rq->db, rq->a,
        "SELECT b.id, IF(b.state = 'running' AND NOT EXISTS (SELECT 1 FROM job_leases l WHERE "
        "l.job = '" ROLLUP_REBUILD_JOB "' AND l.expires_at >= UTC_TIMESTAMP(6)), 'interrupted', "
        "b.state), DATE_FORMAT(b.started_at, '%Y-%m-%dT%H:%i:%sZ'), "
        "DATE_FORMAT(b.finished_at, '%Y-%m-%dT%H:%i:%sZ'), b.rows_written, b.ms, u.id, "
        "u.full_name FROM rebuild_runs b LEFT JOIN users u ON u.id = b.started_by "
        "ORDER BY b.id DESC LIMIT 1",
        &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (r.nrows == 0)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Сводные показатели ещё не пересчитывались.");
    json_t *by = db_cell(&r, 0, 6) ? json_pack("{s:I, s:s}", "id", db_cell_int(&r, 0, 6, 0), "name",
                                               db_cell(&r, 0, 7))
                                   : json_null();
    json_t *rows = db_cell(&r, 0, 4) ? json_integer(db_cell_int(&r, 0, 4, 0)) : json_null();
    json_t *ms = db_cell(&r, 0, 5) ? json_integer(db_cell_int(&r, 0, 5, 0)) : json_null();
    const char *fin = db_cell(&r, 0, 3);
    return respond_json(
        rq, rs, 200,
        json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o}", "id", db_cell_int(&r, 0, 0, 0), "state",
                  db_cell(&r, 0, 1), "started_at", db_cell(&r, 0, 2), "finished_at",
                  fin ? json_string(fin) : json_null(), "started_by", by, "rows", rows, "ms", ms));
}

int handle_rollups_rebuild(request *rq, response *rs)
{
    uint64_t *run = arena_alloc(rq->a, sizeof *run);
    db_status s = run ? run_begin(rq->db, rq->a, rq->auth.user_id, run) : DB_ERROR;
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (!*run)
        return reply_problem(rq, rs, PK_REBUILD_RUNNING,
                             "Сводные показатели уже пересчитываются; дождитесь конца пересчёта.");
    /* From here the lease is held: the work after the answer always runs and lets it go. */
    rs->after = rebuild_after_answer;
    rs->after_arg = run;
    response_header(rq->a, rs, "Location", "/api/v1/admin/rollups/rebuild");
    return respond_json(rq, rs, 202,
                        json_pack("{s:I, s:s}", "id", (json_int_t)*run, "state", "running"));
}

int rollup_rebuild_command(const config *cfg)
{
    db_conn *db = maintenance_connect(cfg);
    if (!db)
        return 2;
    static instrument_cache cache;
    instrument_cache_init(&cache);
    arena a;
    arena_init(&a, 64 * 1024);
    unsigned long long rows = 0;
    double ms = 0;
    uint64_t run = 0;
    db_status s = run_begin(db, &a, 0, &run);
    int busy = s == DB_OK && !run;
    if (s == DB_OK && run)
        s = run_rebuild(db, &a, &cache, run, &rows, &ms);
    arena_destroy(&a);
    instrument_cache_destroy(&cache);
    db_close(db);
    if (busy) {
        fprintf(stderr, "vsokd: another rebuild of the rollups is running; nothing done\n");
        return 3;
    }
    if (s != DB_OK) {
        fprintf(stderr, "vsokd: rebuilding the rollups failed\n");
        return 2;
    }
    printf("rollups rebuilt: %llu rows in %.0f ms\n", rows, ms);
    return 0;
}
