#include "db/maintenance.h"

#include "core/log.h"
#include "db/job_lease.h"

#include <stdio.h>

int maintenance_turn(db_conn *db, arena *a, const char *task, long interval)
{
    return job_lease_take(db, a, task, JOB_LEASE_TTL, interval) == 1;
}

void maintenance_done(db_conn *db, arena *a, const char *task)
{
    /* Not given back (the connection died): it expires after JOB_LEASE_TTL. */
    if (job_lease_release(db, a, task) != DB_OK)
        log_error("maintenance: the lease of %s was not given back", task);
}

db_conn *maintenance_connect(const config *cfg)
{
    db_conn *db = db_open_maintenance(cfg);
    if (!db || db_ping(db) != DB_OK) {
        fprintf(stderr, "vsokd: cannot connect to the database\n");
        db_close(db);
        return NULL;
    }
    return db;
}

long maintenance_run(const config *cfg, db_conn *db, arena *a, const char *task, long interval,
                     int force, maintenance_work work)
{
    if (!maintenance_turn(db, a, task, force ? 0 : interval))
        return 0;
    long n = work(cfg, db, a);
    maintenance_done(db, a, task);
    return n;
}

long maintenance_command(const config *cfg, maintenance_task task)
{
    db_conn *db = maintenance_connect(cfg);
    if (!db)
        return -1;
    arena a;
    arena_init(&a, 64 * 1024);
    long n = task(cfg, db, &a, 1);
    arena_destroy(&a);
    db_close(db);
    return n;
}

int maintenance_subcommand(const config *cfg, maintenance_task task, const char *done)
{
    long n = maintenance_command(cfg, task);
    if (n < 0)
        return 2;
    printf("%ld %s\n", n, done);
    return 0;
}
