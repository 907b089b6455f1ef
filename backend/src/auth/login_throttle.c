#include "auth/login_throttle.h"

#include <stdio.h>

db_status login_throttle_check(request *rq, const char *login, long *retry_after)
{
    *retry_after = 0;
    db_result r;
    db_val p[] = {DB_STR(login)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), locked_until) FROM "
                          "login_failures WHERE login = ? AND locked_until > UTC_TIMESTAMP()",
                          p, &r);
    if (s == DB_OK && r.nrows > 0) {
        long long wait = db_cell_int(&r, 0, 0, 1);
        *retry_after = wait > 0 ? (long)wait : 1;
    }
    return s;
}

db_status login_throttle_fail(request *rq, const char *login)
{
    /* MariaDB assigns left to right: locked_until sees the new count, while the count sees
     * the previous last_failure_at. */
    db_val p[] = {DB_STR(login), DB_INT(LOGIN_THROTTLE_FREE), DB_INT(LOGIN_THROTTLE_FREE)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "INSERT INTO login_failures (login, failures, last_failure_at) VALUES (?, 1, "
        "UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE failures = IF(last_failure_at < "
        "UTC_TIMESTAMP() - INTERVAL 1 DAY, 1, failures + 1), locked_until = IF(failures >= ?, "
        "UTC_TIMESTAMP() + INTERVAL LEAST(30 * POW(2, failures - ?), 900) SECOND, NULL), "
        "last_failure_at = UTC_TIMESTAMP()",
        p, NULL);
    if (s == DB_OK)
        s = DB_RUN(rq->db, rq->a,
                   "DELETE FROM login_failures WHERE last_failure_at < UTC_TIMESTAMP() - "
                   "INTERVAL 1 DAY LIMIT 100",
                   NULL);
    return s;
}

db_status login_throttle_clear(request *rq, const char *login)
{
    db_val p[] = {DB_STR(login)};
    return DB_EXEC(rq->db, rq->a, "DELETE FROM login_failures WHERE login = ?", p, NULL);
}

int login_throttle_refuse(request *rq, response *rs, long retry_after)
{
    char retry[32], detail[160];
    snprintf(retry, sizeof retry, "%ld", retry_after > 0 ? retry_after : 1);
    snprintf(detail, sizeof detail,
             "Слишком много неудачных попыток ввода пароля. Повторите через %s с.", retry);
    response_header(rq->a, rs, "Retry-After", retry);
    return reply_problem(rq, rs, PK_TOO_MANY_ATTEMPTS, detail);
}
