/* Evidence files: serving them (the back end checks access, nginx sends the bytes with
 * Range support through X-Accel-Redirect), the files of a sheet, and detaching one. */
#include "handlers.h"

#include "audit.h"
#include "crypto_util.h"
#include "evidence_store.h"
#include "scope.h"
#include "submission_store.h"

#include <string.h>

/* An ASCII stand-in for the original name (for old clients) and the RFC 5987 form. */
static char *content_disposition(arena *a, const char *name)
{
    size_t n = strlen(name);
    char *ascii = arena_alloc(a, n + 1), *pct = arena_alloc(a, 3 * n + 1);
    if (!ascii || !pct)
        return NULL;
    size_t o = 0, q = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        int safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   strchr("-._~", c);
        ascii[o++] = safe ? (char)c : '_';
        if (safe) {
            pct[q++] = (char)c;
        } else {
            static const char H[] = "0123456789ABCDEF";
            pct[q++] = '%';
            pct[q++] = H[c >> 4];
            pct[q++] = H[c & 15];
        }
    }
    ascii[o] = pct[q] = '\0';
    return arena_sprintf(a, "inline; filename=\"%s\"; filename*=UTF-8''%s", ascii, pct);
}

void handle_file_get(request *rq, response *rs)
{
    db_result r;
    db_val p[] = {DB_INT(scope_parse_id(rq->params[0])), DB_INT(rq->me->user_id)};
    db_status s =
        db_exec(rq->db, rq->a,
                "SELECT f.sha256, f.mime, f.original_name, f.size FROM evidence_files f "
                "JOIN org_units k ON k.id = f.kindergarten_id WHERE f.id = ? AND " SCOPE_SQL("k"),
                p, 2, &r);
    if (s != DB_OK || r.nrows == 0 || db_cell_len(&r, 0, 0) != 32) {
        s != DB_OK ? respond_db_error(rq, rs, s)
                   : respond_problem(rq, rs, 404, "not-found", "Not Found", "Файл не найден.");
        return;
    }
    char hex[65];
    hex_encode((const unsigned char *)db_cell(&r, 0, 0), 32, hex);
    response_header(rq->a, rs, "X-Accel-Redirect", evidence_object_uri(rq->a, hex));
    const char *cd = content_disposition(rq->a, db_cell(&r, 0, 2));
    if (cd)
        response_header(rq->a, rs, "Content-Disposition", cd);
    response_header(rq->a, rs, "Cache-Control", "private, max-age=3600");
    respond_raw(rs, 200, db_cell(&r, 0, 1), NULL, 0);
}

void handle_submission_evidence(request *rq, response *rs)
{
    submission_row sub;
    int found = 0;
    db_status s = submission_find(rq, scope_parse_id(rq->params[0]), 0, &sub, &found);
    db_result r;
    if (s == DB_OK && found) {
        db_val p[] = {DB_INT(sub.id)};
        s = db_exec(rq->db, rq->a,
                    "SELECT l.indicator_code, f.id, f.original_name, f.mime, f.size, f.caption, "
                    "DATE_FORMAT(f.created_at, '%Y-%m-%dT%H:%i:%sZ') FROM evidence_links l "
                    "JOIN evidence_files f ON f.id = l.file_id WHERE l.submission_id = ? "
                    "ORDER BY l.indicator_code, f.id",
                    p, 1, &r);
    }
    if (s != DB_OK || !found) {
        s != DB_OK ? respond_db_error(rq, rs, s)
                   : respond_problem(rq, rs, 404, "not-found", "Not Found", "Анкета не найдена.");
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < r.nrows; i++)
        json_array_append_new(
            items,
            json_pack("{s:s, s:I, s:s, s:s, s:I, s:s?, s:s, s:s}", "indicator", db_cell(&r, i, 0),
                      "file_id", (json_int_t)db_cell_int(&r, i, 1, 0), "name", db_cell(&r, i, 2),
                      "mime", db_cell(&r, i, 3), "size", (json_int_t)db_cell_int(&r, i, 4, 0),
                      "caption", db_cell(&r, i, 5), "created_at", db_cell(&r, i, 6), "url",
                      arena_sprintf(rq->a, "/api/v1/files/%lld", db_cell_int(&r, i, 1, 0))));
    respond_json(rq, rs, 200, json_pack("{s:o}", "items", items));
}

/* Detaching never deletes bytes still linked elsewhere; bytes no row points to are left to
 * the orphan sweep. A submitted or approved sheet keeps its evidence. */
void handle_submission_evidence_delete(request *rq, response *rs)
{
    const char *indicator = uri_param_get(&rq->args, "indicator");
    submission_row sub;
    if (submission_begin_locked(rq, rs, &sub) != 0)
        return;
    if (!submission_can_edit(rq, &sub)) {
        db_rollback(rq->db);
        respond_problem(rq, rs, 409, "not-editable", "Not editable",
                        "Файлы отправленной или утверждённой анкеты удалить нельзя.");
        return;
    }
    db_result r;
    uint64_t file_id = scope_parse_id(rq->params[1]);
    db_val p[] = {DB_INT(sub.id), DB_INT(file_id), indicator ? DB_STR(indicator) : DB_NULL,
                  indicator ? DB_STR(indicator) : DB_NULL};
    db_status s = db_exec(rq->db, rq->a,
                          "DELETE FROM evidence_links WHERE submission_id = ? AND file_id = ? "
                          "AND (? IS NULL OR indicator_code = ?)",
                          p, 4, &r);
    if (s == DB_OK && r.affected > 0)
        s = audit_write(rq, "evidence.detach", "evidence_file", file_id, sub.kindergarten_id,
                        json_pack("{s:[I,n]}", "submission", (json_int_t)sub.id));
    s = s == DB_OK ? db_commit(rq->db) : (db_rollback(rq->db), s);
    if (s != DB_OK) {
        respond_db_error(rq, rs, s);
        return;
    }
    if (r.affected == 0) {
        respond_problem(rq, rs, 404, "not-found", "Not Found", "Файл не прикреплён к анкете.");
        return;
    }
    respond_empty(rs, 204);
}
