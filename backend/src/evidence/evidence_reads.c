/* GET /files/{id}/reads and the writing of the read log (evidence_reads.h). */
#include "evidence/handlers.h"
#include "auth/principal.h"

#include "evidence/evidence_reads.h"
#include "auth/scope.h"

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

int handle_file_reads(request *rq, response *rs)
{
    uint64_t id = scope_parse_id(rq->params[0]);
    if (own_file(rq, rs, id) != 0)
        return rs->status;
    db_result r;
    db_val p[] = {DB_INT(id)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT DATE_FORMAT(e.day, '%Y-%m-%d'), e.user_id, u.full_name, u.role, e.read_count, "
        "DATE_FORMAT(e.first_at, '%Y-%m-%dT%H:%i:%sZ'), DATE_FORMAT(e.last_at, "
        "'%Y-%m-%dT%H:%i:%sZ') FROM evidence_reads e JOIN users u ON u.id = e.user_id "
        "WHERE e.file_id = ? ORDER BY e.day DESC, u.full_name, u.id LIMIT 1000",
        p, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    json_t *items = json_array();
    for (size_t i = 0; i < r.nrows; i++)
        json_array_append_new(
            items,
            json_pack("{s:s, s:{s:I, s:s, s:s}, s:I, s:s, s:s}", "day", db_cell(&r, i, 0), "user",
                      "id", (json_int_t)db_cell_int(&r, i, 1, 0), "full_name", db_cell(&r, i, 2),
                      "role", db_cell(&r, i, 3), "reads", (json_int_t)db_cell_int(&r, i, 4, 0),
                      "first_at", db_cell(&r, i, 5), "last_at", db_cell(&r, i, 6)));
    return respond_json(rq, rs, 200, json_pack("{s:o}", "items", items));
}
