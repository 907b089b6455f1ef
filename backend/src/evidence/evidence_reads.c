/* GET /files/{id}/reads and the writing of the read log (evidence_reads.h). */
#include "evidence/handlers.h"
#include "auth/principal.h"

#include "evidence/evidence_reads.h"
#include "auth/scope.h"
#include "db/db_json.h"

db_status evidence_read_log(request *rq, uint64_t file_id)
{
    db_val p[] = {DB_INT(file_id), DB_INT(rq->me->user_id)};
    return DB_EXEC(
        rq->db, rq->a,
        "INSERT INTO evidence_reads (file_id, day, user_id) VALUES (?, CURRENT_DATE, ?) "
        "ON DUPLICATE KEY UPDATE read_count = read_count + 1, last_at = CURRENT_TIMESTAMP",
        p, NULL);
}

/* The file of the path, if it belongs to the caller's own kindergarten: the route lets only
 * kindergarten coordinators in, and their scope is their kindergarten. */
static int own_file(request *rq, response *rs, uint64_t id)
{
    db_result r;
    db_val p[] = {DB_INT(id), DB_INT(rq->me->org_unit_id)};
    db_status s = DB_EXEC(
        rq->db, rq->a, "SELECT 1 FROM evidence_files WHERE id = ? AND kindergarten_id = ?", p, &r);
    if (s != DB_OK || r.nrows == 0) {
        s != DB_OK ? reply_db_error(rq, rs, s)
                   : reply_problem(rq, rs, PK_NOT_FOUND, "Файл не найден.");
        return -1;
    }
    return 0;
}

/* A day of one reader's reads of a file. */
static const db_json_col READ_COLUMNS[] = {
    {"day", DBJ_STR},   {"user.id", DBJ_INT},  {"user.full_name", DBJ_STR}, {"user.role", DBJ_STR},
    {"reads", DBJ_INT}, {"first_at", DBJ_STR}, {"last_at", DBJ_STR}};

int handle_file_reads(request *rq, response *rs)
{
    uint64_t id = scope_parse_id(rq->params[0]);
    if (own_file(rq, rs, id) != 0)
        return rs->status;
    json_t *items = NULL;
    db_val p[] = {DB_INT(id)};
    db_status s = DB_ROWS_JSON(
        rq->db, rq->a,
        "SELECT DATE_FORMAT(e.day, '%Y-%m-%d'), e.user_id, u.full_name, u.role, e.read_count, "
        "DATE_FORMAT(e.first_at, '%Y-%m-%dT%H:%i:%sZ'), DATE_FORMAT(e.last_at, "
        "'%Y-%m-%dT%H:%i:%sZ') FROM evidence_reads e JOIN users u ON u.id = e.user_id "
        "WHERE e.file_id = ? ORDER BY e.day DESC, u.full_name, u.id LIMIT 1000",
        p, READ_COLUMNS, &items);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(rq, rs, 200, json_pack("{s:o}", "items", items));
}
