#include "db/job_lease.h"

#include <stdio.h>
#include <unistd.h>

const char *job_lease_holder(void)
{
    /* Per process: a forked worker has a pid of its own, so it computes its own. */
    static char holder[300];
    static pid_t for_pid;
    pid_t pid = getpid();
    if (for_pid != pid) {
        char host[256] = "";
        if (gethostname(host, sizeof host - 1) != 0)
            snprintf(host, sizeof host, "unknown");
        snprintf(holder, sizeof holder, "%s:%ld", host, (long)pid);
        for_pid = pid;
    }
    return holder;
}

static db_status try_take(db_conn *db, arena *a, const char *job, long ttl, long interval,
                          int *taken)
{
    const char *me = job_lease_holder();
    db_val p[] = {DB_STR(me), DB_INT(ttl), DB_STR(job), DB_STR(me), DB_INT(interval)};
    db_result r;
    db_status s = DB_EXEC(db, a,
                          "UPDATE job_leases SET holder = ?, expires_at = UTC_TIMESTAMP(6) + "
                          "INTERVAL ? SECOND, ran_at = UTC_TIMESTAMP(6) "
                          "WHERE job = ? AND (expires_at < UTC_TIMESTAMP(6) OR holder = ?) "
                          "AND ran_at <= UTC_TIMESTAMP(6) - INTERVAL ? SECOND",
                          p, &r);
    *taken = s == DB_OK && r.affected == 1;
    return s;
}

int job_lease_take(db_conn *db, arena *a, const char *job, long ttl, long interval)
{
    int taken;
    if (try_take(db, a, job, ttl, interval, &taken) != DB_OK)
        return -1;
    if (taken)
        return 1;
    /* A job the migrations did not list gets its row on first use. */
    db_val p[] = {DB_STR(job)};
    db_result r;
    if (DB_EXEC(db, a, "INSERT IGNORE INTO job_leases (job) VALUES (?)", p, &r) != DB_OK)
        return -1;
    if (r.affected == 1 && try_take(db, a, job, ttl, interval, &taken) != DB_OK)
        return -1;
    return taken;
}

db_status job_lease_release(db_conn *db, arena *a, const char *job)
{
    db_val p[] = {DB_STR(job), DB_STR(job_lease_holder())};
    return DB_EXEC(db, a,
                   "UPDATE job_leases SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 MICROSECOND "
                   "WHERE job = ? AND holder = ?",
                   p, NULL);
}
