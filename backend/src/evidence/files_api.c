/* Evidence files: serving them and their previews (the back end checks access, nginx sends
 * the bytes with Range support through X-Accel-Redirect), the files of a sheet, captions,
 * and detaching one. */
#include "evidence/handlers.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "core/crypto_util.h"
#include "evidence/evidence_caption.h"
#include "evidence/evidence_clean.h"
#include "evidence/evidence_reads.h"
#include "evidence/evidence_store.h"
#include "evidence/evidence_thumb.h"
#include "auth/scope.h"
#include "forms/submission_reply.h"
#include "forms/submission_store.h"

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

/* "IMG_0001.HEIC" → "IMG_0001.jpg": the name of a photo served converted to JPEG. */
static const char *name_as_jpeg(arena *a, const char *name)
{
    const char *dot = strrchr(name, '.');
    int stem = dot && dot != name ? (int)(dot - name) : (int)strlen(name);
    return arena_sprintf(a, "%.*s.jpg", stem, name);
}

typedef struct {
    uint64_t id;
    char hex[65];
    const char *mime, *name;
    uint64_t owner_id;
} file_row;

/* The file of the path if the caller may read it: the kindergarten's people, its
 * coordinators up the tree, its experts. Answers 404 (or 503) and returns -1 otherwise. */
static int find_file(request *rq, response *rs, file_row *f)
{
    db_result r;
    db_val p[] = {DB_INT(scope_parse_id(rq->params[0])), DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT f.sha256, f.mime, f.original_name, f.owner_id FROM "
                          "evidence_files f JOIN org_units k ON k.id = f.kindergarten_id "
                          "WHERE f.id = ? AND " SCOPE_SQL("k"),
                          p, &r);
    if (s != DB_OK || r.nrows == 0 || db_cell_len(&r, 0, 0) != 32) {
        s != DB_OK ? reply_db_error(rq, rs, s)
                   : reply_problem(rq, rs, PK_NOT_FOUND, "Файл не найден.");
        return -1;
    }
    f->id = scope_parse_id(rq->params[0]);
    hex_encode((const unsigned char *)db_cell(&r, 0, 0), 32, f->hex);
    f->mime = db_cell(&r, 0, 1);
    f->name = db_cell(&r, 0, 2);
    f->owner_id = (uint64_t)db_cell_int(&r, 0, 3, 0);
    return 0;
}

/* The uploader gets the bytes as uploaded; everyone else a photo without its location. */
int files_respond(request *rq, response *rs)
{
    file_row f;
    if (find_file(rq, rs, &f) != 0)
        return rs->status;
    const char *uri = evidence_object_uri(rq->a, f.hex), *mime = f.mime, *name = f.name;
    if (f.owner_id != rq->me->user_id && evidence_needs_clean_copy(f.mime)) {
        derived_result d = evidence_clean_copy(rq->a, rq->cfg, f.hex, f.mime, &uri, &mime);
        if (d != DERIVED_READY)
            return d == DERIVED_NONE
                       ? reply_problem(rq, rs, PK_NO_CLEAN_COPY,
                                       "Файл не удалось подготовить к показу без геоданных.")
                       : reply_problem(rq, rs, PK_INTERNAL, "Не удалось подготовить файл.");
        if (strcmp(mime, f.mime) != 0)
            name = name_as_jpeg(rq->a, f.name);
    }
    db_status s = evidence_read_log(rq, f.id);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    response_header(rq->a, rs, "X-Accel-Redirect", uri);
    const char *cd = name ? content_disposition(rq->a, name) : NULL;
    if (cd)
        response_header(rq->a, rs, "Content-Disposition", cd);
    response_header(rq->a, rs, "Cache-Control", "private, max-age=3600");
    return respond_raw(rs, 200, mime, NULL, 0);
}

int handle_file_get(request *rq, response *rs)
{
    return files_respond(rq, rs);
}

int handle_file_thumb(request *rq, response *rs)
{
    file_row f;
    if (find_file(rq, rs, &f) != 0)
        return rs->status;
    const char *uri = NULL;
    derived_result d = evidence_thumb(rq->a, rq->cfg, f.hex, f.mime, &uri);
    if (d == DERIVED_NONE)
        return reply_problem(rq, rs, PK_NO_PREVIEW,
                             "Для этого файла нет эскиза: покажите значок его типа.");
    if (d != DERIVED_READY)
        return reply_problem(rq, rs, PK_INTERNAL, "Не удалось подготовить эскиз.");
    db_status s = evidence_read_log(rq, f.id);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    response_header(rq->a, rs, "X-Accel-Redirect", uri);
    response_header(rq->a, rs, "Cache-Control", "private, max-age=86400");
    return respond_raw(rs, 200, "image/jpeg", NULL, 0);
}

/* One item of GET /submissions/{id}/evidence from the columns indicator, file id, name,
 * mime, size, caption, created_at, attached without the parents' consent. */
static json_t *evidence_item(request *rq, const db_result *r, size_t i, int video_previews)
{
    long long id = db_cell_int(r, i, 1, 0);
    const char *mime = db_cell(r, i, 3);
    evidence_kind kind = evidence_kind_of(mime);
    return json_pack("{s:s, s:I, s:s, s:s, s:s, s:I, s:s?, s:s, s:b, s:s, s:o}", "indicator",
                     db_cell(r, i, 0), "file_id", (json_int_t)id, "name", db_cell(r, i, 2), "mime",
                     mime, "kind", kind == EVIDENCE_KIND_VIDEO ? "video" : "photo", "size",
                     (json_int_t)db_cell_int(r, i, 4, 0), "caption", db_cell(r, i, 5), "created_at",
                     db_cell(r, i, 6), "without_consent", (int)db_cell_int(r, i, 7, 0), "url",
                     arena_sprintf(rq->a, "/api/v1/files/%lld", id), "thumb",
                     kind == EVIDENCE_KIND_VIDEO && !video_previews
                         ? json_null()
                         : json_string(arena_sprintf(rq->a, "/api/v1/files/%lld/thumb", id)));
}

#define EVIDENCE_COLUMNS                                                                           \
    "SELECT l.indicator_code, f.id, f.original_name, f.mime, f.size, l.caption, "                  \
    "DATE_FORMAT(f.created_at, '%Y-%m-%dT%H:%i:%sZ'), l.without_consent FROM evidence_links l "    \
    "JOIN evidence_files f ON f.id = l.file_id "

int handle_submission_evidence(request *rq, response *rs)
{
    submission_row sub;
    int found = 0;
    db_status s = submission_find(rq, scope_parse_id(rq->params[0]), 0, &sub, &found);
    db_result r;
    if (s == DB_OK && found) {
        db_val p[] = {DB_INT(sub.id)};
        s = DB_EXEC(rq->db, rq->a,
                    EVIDENCE_COLUMNS "WHERE l.submission_id = ? ORDER BY l.indicator_code, f.id", p,
                    &r);
    }
    if (s != DB_OK || !found)
        return s != DB_OK ? reply_db_error(rq, rs, s)
                          : reply_problem(rq, rs, PK_NOT_FOUND, "Анкета не найдена.");
    json_t *items = json_array();
    int video_previews = evidence_video_previews(rq->cfg);
    for (size_t i = 0; i < r.nrows; i++)
        json_array_append_new(items, evidence_item(rq, &r, i, video_previews));
    return respond_json(rq, rs, 200, json_pack("{s:o}", "items", items));
}

/* Begins a transaction with the sheet of the path locked; when the sheet is not editable by
 * this user, rolls back and answers 409 with the refusal. 0 when the sheet may change. */
static int begin_editable(request *rq, response *rs, submission_row *sub, const char *refusal)
{
    if (submission_begin_locked(rq, rs, sub) != 0)
        return -1;
    if (!submission_can_edit(rq, sub)) {
        db_rollback(rq->db);
        reply_problem(rq, rs, PK_NOT_EDITABLE, refusal);
        return -1;
    }
    return 0;
}

/* Detaching never deletes bytes still linked elsewhere; bytes no row points to are left to
 * the orphan sweep. A submitted or approved sheet keeps its evidence. */
int handle_submission_evidence_delete(request *rq, response *rs)
{
    const char *indicator = uri_param_get(&rq->args, "indicator");
    submission_row sub;
    if (begin_editable(rq, rs, &sub,
                       "Файлы отправленной или утверждённой анкеты удалить нельзя.") != 0)
        return rs->status;
    db_result r;
    uint64_t file_id = scope_parse_id(rq->params[1]);
    db_val p[] = {DB_INT(sub.id), DB_INT(file_id), indicator ? DB_STR(indicator) : DB_NULL,
                  indicator ? DB_STR(indicator) : DB_NULL};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "DELETE FROM evidence_links WHERE submission_id = ? AND file_id = ? "
                          "AND (? IS NULL OR indicator_code = ?)",
                          p, &r);
    if (s == DB_OK && r.affected > 0)
        s = audit_write(rq, "evidence.detach", "evidence_file", file_id, sub.kindergarten_id,
                        json_pack("{s:[I,n]}", "submission", (json_int_t)sub.id));
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    if (r.affected == 0)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Файл не прикреплён к анкете.");
    return respond_empty(rs, 204);
}

/* The caption of a file's link(s) in a sheet: of one indicator, or of every indicator the
 * file is attached to when none is named. Only the sheet's author while it is editable. */
int handle_submission_evidence_caption(request *rq, response *rs)
{
    const char *indicator = uri_param_get(&rq->args, "indicator");
    json_t *v = json_is_object(rq->json) ? json_object_get(rq->json, "caption") : NULL;
    const char *caption = NULL;
    caption_result cr = CAPTION_OK;
    if (!v || !(json_is_string(v) || json_is_null(v))) {
        json_t *pb = problem_of(PK_VALIDATION, "Ожидается объект {\"caption\": текст или null}.");
        problem_add_error(pb, "caption", "Подпись должна быть строкой или null.");
        return reply_problem_doc(rq, rs, pb);
    }
    if (json_is_string(v))
        cr = evidence_caption_clean(rq->a, json_string_value(v), json_string_length(v), &caption);
    if (cr != CAPTION_OK) {
        json_t *pb = problem_of(PK_VALIDATION, evidence_caption_message(cr));
        problem_add_error(pb, "caption", evidence_caption_message(cr));
        return reply_problem_doc(rq, rs, pb);
    }
    submission_row sub;
    if (begin_editable(rq, rs, &sub,
                       "Подпись может менять автор анкеты, пока анкета не отправлена.") != 0)
        return rs->status;
    uint64_t file_id = scope_parse_id(rq->params[1]);
    db_val p[] = {caption ? DB_STR(caption) : DB_NULL, DB_INT(sub.id), DB_INT(file_id),
                  indicator ? DB_STR(indicator) : DB_NULL, indicator ? DB_STR(indicator) : DB_NULL};
    db_result r = {0};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "UPDATE evidence_links SET caption = ? WHERE submission_id = ? AND "
                          "file_id = ? AND (? IS NULL OR indicator_code = ?)",
                          p, NULL);
    if (s == DB_OK)
        s = db_exec(rq->db, rq->a,
                    EVIDENCE_COLUMNS
                    "WHERE l.submission_id = ? AND l.file_id = ? AND "
                    "(? IS NULL OR l.indicator_code = ?) ORDER BY l.indicator_code",
                    p + 1, 4, &r);
    if (s == DB_OK && r.nrows > 0)
        s = audit_write(rq, "evidence.caption", "evidence_file", file_id, sub.kindergarten_id,
                        json_pack("{s:[n,I], s:[n,s?], s:[n,s?]}", "submission", (json_int_t)sub.id,
                                  "indicator", indicator, "caption", caption));
    s = s == DB_OK && r.nrows > 0 ? db_commit(rq->db) : (db_rollback(rq->db), s);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (r.nrows == 0)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Файл не прикреплён к анкете.");
    json_t *items = json_array();
    int video_previews = evidence_video_previews(rq->cfg);
    for (size_t i = 0; i < r.nrows; i++)
        json_array_append_new(items, evidence_item(rq, &r, i, video_previews));
    return respond_json(rq, rs, 200, json_pack("{s:o}", "items", items));
}
