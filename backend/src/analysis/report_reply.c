#include "analysis/report_reply.h"

int report_refuse(request *rq, response *rs, db_status s, int code, const char *why)
{
    db_rollback(rq->db);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_problem(rq, rs, code,
                           code == 404   ? "not-found"
                           : code == 403 ? "forbidden"
                                         : "report-state",
                           http_reason(code), why);
}

int report_respond(request *rq, response *rs, int status, uint64_t id)
{
    report_row r;
    int found = 0;
    json_t *doc = NULL;
    db_status s = report_load(rq, id, 0, &r, &found);
    if (s == DB_OK && found)
        s = report_json(rq, &r, 1, &doc);
    if (reply_lookup(rq, rs, s, found, "Справка не найдена.") != 0)
        return rs->status;
    return respond_json(rq, rs, status, doc);
}
