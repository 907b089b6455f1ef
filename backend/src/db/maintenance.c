#include "db/maintenance.h"

#include <stdio.h>

int maintenance_turn(db_conn *db, arena *a, const char *task, long interval)
{
    db_result r;
    db_val p[] = {DB_STR(task), DB_INT(interval)};
    if (DB_EXEC(db, a,
                "UPDATE maintenance_runs SET ran_at = UTC_TIMESTAMP() WHERE task = ? AND "
                "ran_at < UTC_TIMESTAMP() - INTERVAL ? SECOND",
                p, &r) != DB_OK)
        return 0;
    return r.affected == 1;
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
