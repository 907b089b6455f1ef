/* GET /api/v1/health: the service and its database answer. */
#include "server/handlers.h"

/* The replica's lag (null: it does not answer or does not replicate) and where the
 * dashboards read now. Absent without a replica. */
static json_t *replica_state(request *rq)
{
    long lag = db_replica_lag(rq->replica, rq->a);
    int usable = lag >= 0 && lag <= rq->cfg->db_replica_max_lag;
    return json_pack("{s:o, s:I, s:s}", "lag_seconds", lag >= 0 ? json_integer(lag) : json_null(),
                     "max_lag_seconds", (json_int_t)rq->cfg->db_replica_max_lag, "dashboards",
                     usable ? "replica" : "primary");
}

int handle_health(request *rq, response *rs)
{
    if (db_ping(rq->db) != DB_OK) {
        json_t *p = problem_of(PK_DB_UNAVAILABLE, "База данных не отвечает.");
        json_object_set_new(p, "db", json_string("unavailable"));
        response_header(rq->a, rs, "Retry-After", "5");
        return reply_problem_doc(rq, rs, p);
    }
    json_t *body =
        json_pack("{s:s, s:s, s:s}", "status", "ok", "db", "ok", "version", VSOK_VERSION);
    if (body && rq->replica)
        json_object_set_new(body, "replica", replica_state(rq));
    return respond_json(rq, rs, 200, body);
}
