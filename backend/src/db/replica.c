#include "db/replica.h"

#include "core/log.h"

#include <stdlib.h>
#include <time.h>

/* SHOW SLAVE STATUS: the columns read, by position (MariaDB's order, as MySQL's). */
#define COL_IO_RUNNING 10
#define COL_SQL_RUNNING 11
#define COL_SECONDS_BEHIND 32

#define CHECK_EVERY_MS 1000

struct db_replica {
    const config *cfg;
    db_conn *conn;
    long lag;             /* the last check's answer */
    long long checked_ms; /* when (monotonic), 0: never */
};

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

db_replica *db_replica_open(const config *cfg)
{
    if (!cfg->db_replica_host[0] && !cfg->db_replica_socket[0])
        return NULL;
    db_replica *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->cfg = cfg;
    r->lag = -1;
    r->conn = db_open_replica(cfg);
    if (!r->conn) {
        free(r);
        return NULL;
    }
    return r;
}

void db_replica_close(db_replica *r)
{
    if (!r)
        return;
    db_close(r->conn);
    free(r);
}

static int is_yes(const db_result *s, size_t col)
{
    const char *v = db_cell(s, 0, col);
    return v && strcmp(v, "Yes") == 0;
}

static long check_lag(db_replica *r, arena *a)
{
    db_result s;
    if (DB_RUN(r->conn, a, "SHOW SLAVE STATUS", &s) != DB_OK || s.nrows != 1 ||
        s.ncols <= COL_SECONDS_BEHIND)
        return -1;
    if (!is_yes(&s, COL_IO_RUNNING) || !is_yes(&s, COL_SQL_RUNNING))
        return -1;
    return (long)db_cell_int(&s, 0, COL_SECONDS_BEHIND, -1);
}

long db_replica_lag(db_replica *r, arena *a)
{
    long long now = now_ms();
    if (r->checked_ms && now - r->checked_ms < CHECK_EVERY_MS)
        return r->lag;
    long lag = check_lag(r, a);
    if (lag < 0 && r->lag >= 0)
        log_error("db: the replica does not answer or does not replicate: reads go to the "
                  "primary");
    r->lag = lag;
    r->checked_ms = now;
    return lag;
}

db_conn *db_replica_for_read(db_replica *r, arena *a, const char *gtid)
{
    long lag = db_replica_lag(r, a);
    if (lag < 0 || lag > r->cfg->db_replica_max_lag)
        return NULL;
    if (!gtid || !db_gtid_valid(gtid))
        return r->conn;
    db_val p[] = {DB_STR(gtid)};
    db_result w;
    if (DB_EXEC(r->conn, a, "SELECT MASTER_GTID_WAIT(?, " REPLICA_WAIT ")", p, &w) != DB_OK ||
        db_cell_int(&w, 0, 0, -1) != 0)
        return NULL;
    return r->conn;
}

void db_replica_failed(db_replica *r)
{
    r->lag = -1;
    r->checked_ms = now_ms();
}

const char *db_last_gtid(db_conn *primary, arena *a)
{
    db_result r;
    if (DB_RUN(primary, a, "SELECT @@last_gtid", &r) != DB_OK)
        return NULL;
    const char *g = db_cell(&r, 0, 0);
    return g && db_gtid_valid(g) ? g : NULL;
}

int db_gtid_valid(const char *s)
{
    /* digits '-' digits '-' digits, comma separated, at most 200 characters */
    size_t n = strlen(s);
    if (n == 0 || n > 200)
        return 0;
    int part = 0, digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            digits++;
        } else if (*p == '-' && digits && part < 2) {
            part++;
            digits = 0;
        } else if (*p == ',' && digits && part == 2) {
            part = 0;
            digits = 0;
        } else {
            return 0;
        }
    }
    return digits && part == 2;
}
