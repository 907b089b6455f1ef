/* Rebuilding the rollups on request: POST /api/v1/admin/rollups/rebuild (administrators)
 * and the `vsokd rebuild-rollups` command. */
#include "dashboards/handlers.h"
#include "forms/instrument_store.h"

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

int handle_rollups_rebuild(request *rq, response *rs)
{
    double start = now_ms();
    unsigned long long rows = 0;
    int busy = 0;
    db_status s = rollup_rebuild(rq->db, rq->a, rq->instruments, &rows, &busy);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (busy) {
        return reply_problem(rq, rs, PK_REBUILD_RUNNING,
                             "Сводные показатели уже пересчитываются; дождитесь конца пересчёта.");
    }
    long long ms = (long long)(now_ms() - start + 0.5);
    return respond_json(rq, rs, 200,
                        json_pack("{s:I, s:I}", "rows", (json_int_t)rows, "ms", (json_int_t)ms));
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
    double start = now_ms();
    unsigned long long rows = 0;
    int busy = 0;
    db_status s = rollup_rebuild(db, &a, &cache, &rows, &busy);
    arena_destroy(&a);
    instrument_cache_destroy(&cache);
    db_close(db);
    if (s == DB_OK && busy) {
        fprintf(stderr, "vsokd: another rebuild of the rollups is running; nothing done\n");
        return 3;
    }
    if (s != DB_OK) {
        fprintf(stderr, "vsokd: rebuilding the rollups failed\n");
        return 2;
    }
    printf("rollups rebuilt: %llu rows in %.0f ms\n", rows, now_ms() - start);
    return 0;
}
