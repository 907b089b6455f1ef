/* GET /api/v1/health: the service and its database answer. */
#include "server/handlers.h"

int handle_health(request *rq, response *rs)
{
    if (db_ping(rq->db) != DB_OK) {
        json_t *p = problem_of(PK_DB_UNAVAILABLE, "База данных не отвечает.");
        json_object_set_new(p, "db", json_string("unavailable"));
        response_header(rq->a, rs, "Retry-After", "5");
        return reply_problem_doc(rq, rs, p);
    }
    return respond_json(
        rq, rs, 200,
        json_pack("{s:s, s:s, s:s}", "status", "ok", "db", "ok", "version", VSOK_VERSION));
}
