/* The tus 1.0 server for evidence (core, creation, termination, expiration) under
 * /api/v1/uploads. nginx writes each PATCH body to a temporary file and passes its path
 * (REQUEST_BODY_FILE); the worker appends it to the partial file through a small buffer,
 * hashing the bytes on the way and keeping the SHA-256 state with the offset, so that
 * neither a slow tablet nor a large file holds a worker or its memory, and each byte is read
 * once. The last chunk completes the upload (upload_finish.c). */
#include "evidence/handlers.h"
#include "auth/principal.h"

#include "evidence/evidence_caption.h"
#include "evidence/evidence_consent.h"
#include "evidence/evidence_store.h"
#include "forms/instrument_store.h"
#include "core/log.h"
#include "auth/scope.h"
#include "core/sha256_carry.h"
#include "forms/submission_store.h"
#include "evidence/tus_meta.h"
#include "evidence/upload_finish.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TUS_VERSION "1.0.0"

static void tus_headers(request *rq, response *rs)
{
    response_header(rq->a, rs, "Tus-Resumable", TUS_VERSION);
}

/* Every request but OPTIONS names the protocol version; another one gets 412. */
static int check_version(request *rq, response *rs)
{
    const char *v = request_param(rq, "HTTP_TUS_RESUMABLE");
    if (v && strcmp(v, TUS_VERSION) == 0)
        return 0;
    response_header(rq->a, rs, "Tus-Version", TUS_VERSION);
    reply_problem(rq, rs, PK_TUS_VERSION,
                  "Поддерживается протокол tus 1.0.0 (заголовок Tus-Resumable).");
    return -1;
}

int handle_tus_options(request *rq, response *rs)
{
    char max[32];
    snprintf(max, sizeof max, "%lld", rq->cfg->max_video);
    tus_headers(rq, rs);
    response_header(rq->a, rs, "Tus-Version", TUS_VERSION);
    response_header(rq->a, rs, "Tus-Extension", "creation,termination,expiration");
    response_header(rq->a, rs, "Tus-Max-Size", max);
    return respond_empty(rs, 204);
}

static const char *http_date(arena *a, time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[64];
    strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return arena_strdup(a, buf);
}

static int bad(request *rq, response *rs, int status, const char *type, const char *detail)
{
    tus_headers(rq, rs);
    return respond_problem(rq, rs, status, type, NULL, detail);
}

/* The sheet and indicator an upload is for: the caller fills the sheet, it is editable,
 * and the instrument has the indicator. Fills rs and returns -1 otherwise. */
static int check_target(request *rq, response *rs, uint64_t submission, const char *indicator,
                        submission_row *sub)
{
    int found = 0;
    db_status s = submission_find(rq, submission, 0, sub, &found);
    if (s != DB_OK || !found) {
        s != DB_OK ? reply_db_error(rq, rs, s)
                   : bad(rq, rs, 404, "not-found", "Анкета не найдена.");
        return -1;
    }
    if (submission_can_edit(rq, sub) && !sub->campaign_open &&
        (sub->window.stage_id || !sub->window.in_sample)) {
        tus_headers(rq, rs);
        stage_window_refuse(rq, rs, &sub->window);
        return -1;
    }
    if (!submission_can_edit(rq, sub) || !sub->campaign_open) {
        bad(rq, rs, 409, "not-editable", "К этой анкете сейчас нельзя добавить файлы.");
        return -1;
    }
    stored_instrument si;
    s = instrument_store_get(rq->instruments, rq->db, rq->a, sub->instrument_id, &si, &found);
    if (s != DB_OK || !found) {
        reply_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
        return -1;
    }
    if (!instrument_indicator(si.ins, indicator)) {
        bad(rq, rs, 422, "validation", "В анкете нет такого показателя.");
        return -1;
    }
    return 0;
}

/* Bytes of evidence a kindergarten holds: its stored files and what has actually arrived of
 * its unfinished uploads. A declared Upload-Length reserves nothing (docs/api-evidence.md,
 * "The quota"): uploads announced and never sent cannot lock the kindergarten out. */
static db_status kindergarten_usage(request *rq, uint64_t kindergarten, long long *used)
{
    db_result r;
    db_val p[] = {DB_INT(kindergarten), DB_INT(kindergarten)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT (SELECT COALESCE(SUM(size), 0) FROM evidence_files WHERE "
                          "kindergarten_id = ?) + (SELECT COALESCE(SUM(received), 0) FROM uploads "
                          "WHERE kindergarten_id = ? AND file_id IS NULL AND expires_at > "
                          "UTC_TIMESTAMP())",
                          p, &r);
    *used = s == DB_OK ? db_cell_int(&r, 0, 0, 0) : 0;
    return s;
}

/* 413 quota-exceeded when `more` bytes would take the kindergarten over its quota. Returns 0
 * when they fit, -1 when rs is filled. */
static int check_quota(request *rq, response *rs, uint64_t kindergarten, long long more)
{
    long long used = 0;
    db_status s = kindergarten_usage(rq, kindergarten, &used);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    if (used + more <= rq->cfg->kindergarten_quota)
        return 0;
    char detail[200];
    snprintf(detail, sizeof detail,
             "Место для файлов детского сада закончилось: занято %lld из %lld МБ.", used / 1000000,
             rq->cfg->kindergarten_quota / 1000000);
    bad(rq, rs, 413, "quota-exceeded", detail);
    return -1;
}

int handle_tus_create(request *rq, response *rs)
{
    if (check_version(rq, rs) != 0)
        return rs->status;
    long long length = tus_parse_number(request_param(rq, "HTTP_UPLOAD_LENGTH"));
    const char *meta = request_param(rq, "HTTP_UPLOAD_METADATA");
    const char *filename = tus_metadata_get(rq->a, meta, "filename");
    const char *filetype = tus_metadata_get(rq->a, meta, "filetype");
    const char *submission_s = tus_metadata_get(rq->a, meta, "submission");
    const char *indicator = tus_metadata_get(rq->a, meta, "indicator");
    const char *caption_raw = tus_metadata_get(rq->a, meta, "caption");
    if (length < 0)
        return bad(rq, rs, 400, "bad-request", "Нужен заголовок Upload-Length.");
    if (length == 0)
        return bad(rq, rs, 400, "empty-file", "Пустой файл загрузить нельзя.");
    long long limit =
        filetype && strncmp(filetype, "image/", 6) == 0 ? rq->cfg->max_photo : rq->cfg->max_video;
    if (length > limit) {
        char detail[160];
        snprintf(detail, sizeof detail, "Файл больше допустимых %lld МБ.", limit / 1000000);
        return bad(rq, rs, 413, "too-large", detail);
    }
    if (!filename || !*filename || strlen(filename) > 255 || !submission_s || !indicator ||
        strlen(indicator) > 64 || (filetype && strlen(filetype) > 127))
        return bad(rq, rs, 400, "bad-metadata",
                   "Upload-Metadata: нужны filename (до 255 байт), submission и indicator.");
    const char *caption = NULL;
    caption_result cr =
        caption_raw ? evidence_caption_clean(rq->a, caption_raw, strlen(caption_raw), &caption)
                    : CAPTION_OK;
    if (cr != CAPTION_OK) {
        tus_headers(rq, rs);
        json_t *pb = problem_of(PK_UPLOAD_VALIDATION, evidence_caption_message(cr));
        problem_add_error(pb, "caption", evidence_caption_message(cr));
        return reply_problem_doc(rq, rs, pb);
    }
    submission_row sub;
    if (check_target(rq, rs, scope_parse_id(submission_s), indicator, &sub) != 0 ||
        evidence_consent_check(rq, rs, &sub) != 0)
        return rs->status;
    if (check_quota(rq, rs, sub.kindergarten_id, length) != 0)
        return rs->status;
    char id[UPLOAD_ID_LEN + 1];
    char *path = NULL;
    if (evidence_new_upload_id(id) != 0 || !(path = evidence_partial_path(rq->a, rq->cfg, id)) ||
        evidence_mkdirs(path) != 0) {
        log_error("uploads: cannot prepare %s: %s", path ? path : "-", strerror(errno));
        return reply_problem(rq, rs, PK_INTERNAL, "Не удалось подготовить загрузку.");
    }
    db_val p[] = {DB_STR(id),
                  DB_INT(rq->me->user_id),
                  DB_INT(sub.kindergarten_id),
                  DB_INT(sub.id),
                  DB_STR(indicator),
                  DB_STR(filename),
                  filetype && *filetype ? DB_STR(filetype) : DB_NULL,
                  caption ? DB_STR(caption) : DB_NULL,
                  DB_INT(length),
                  DB_INT(rq->cfg->upload_expiry)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "INSERT INTO uploads (id, owner_id, kindergarten_id, submission_id, "
                          "indicator_code, filename, filetype, caption, length, expires_at) VALUES "
                          "(?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP() + INTERVAL ? SECOND)",
                          p, NULL);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    tus_headers(rq, rs);
    response_header(rq->a, rs, "Location", arena_sprintf(rq->a, "/api/v1/uploads/%s", id));
    response_header(rq->a, rs, "Upload-Expires",
                    http_date(rq->a, time(NULL) + rq->cfg->upload_expiry));
    return respond_empty(rs, 201);
}

typedef struct {
    long long length, offset;
    int expired;
    uint64_t file_id;
    long long expires_in;
    uint64_t submission_id, kindergarten_id;
    /* The SHA-256 carried along (sha256_carry.h): kept in the row for `offset` (has_state = 0
     * when not known), and in memory once this request has appended its chunk. */
    int has_state;
    unsigned char state[SHA256_CARRY_LEN];
    sha256_carry *hash;
} upload_row;

/* The caller's upload named by the path, optionally locked. found = 0 when there is none
 * (or it is someone else's). */
static db_status find_upload(request *rq, int for_update, upload_row *u, int *found)
{
    static const char *const SQL[2] = {
        "SELECT length, received, expires_at <= UTC_TIMESTAMP(), file_id, "
        "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), expires_at), submission_id, kindergarten_id, "
        "sha256_state FROM uploads WHERE id = ? AND owner_id = ?",
        "SELECT length, received, expires_at <= UTC_TIMESTAMP(), file_id, "
        "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), expires_at), submission_id, kindergarten_id, "
        "sha256_state FROM uploads WHERE id = ? AND owner_id = ? FOR UPDATE"};
    *found = 0;
    const char *id = rq->params[0];
    if (strlen(id) != UPLOAD_ID_LEN || strspn(id, "0123456789abcdef") != UPLOAD_ID_LEN)
        return DB_OK;
    db_result r;
    db_val p[] = {DB_STR(id), DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a, SQL[for_update ? 1 : 0], p, &r);
    if (s != DB_OK || r.nrows == 0)
        return s;
    u->length = db_cell_int(&r, 0, 0, 0);
    u->offset = db_cell_int(&r, 0, 1, 0);
    u->expired = (int)db_cell_int(&r, 0, 2, 1);
    u->file_id = (uint64_t)db_cell_int(&r, 0, 3, 0);
    u->expires_in = db_cell_int(&r, 0, 4, 0);
    u->submission_id = (uint64_t)db_cell_int(&r, 0, 5, 0);
    u->kindergarten_id = (uint64_t)db_cell_int(&r, 0, 6, 0);
    u->has_state = db_cell(&r, 0, 7) && db_cell_len(&r, 0, 7) == SHA256_CARRY_LEN;
    if (u->has_state)
        memcpy(u->state, db_cell(&r, 0, 7), SHA256_CARRY_LEN);
    u->hash = NULL;
    *found = 1;
    return DB_OK;
}

static void offset_headers(request *rq, response *rs, const upload_row *u)
{
    char v[32];
    tus_headers(rq, rs);
    snprintf(v, sizeof v, "%lld", u->offset);
    response_header(rq->a, rs, "Upload-Offset", v);
    snprintf(v, sizeof v, "%lld", u->length);
    response_header(rq->a, rs, "Upload-Length", v);
    response_header(rq->a, rs, "Cache-Control", "no-store");
    if (!u->file_id)
        response_header(rq->a, rs, "Upload-Expires", http_date(rq->a, time(NULL) + u->expires_in));
}

/* HEAD (and GET, which also says which evidence file a finished upload became). */
int handle_tus_head(request *rq, response *rs)
{
    int is_head = strcmp(rq->method, "HEAD") == 0;
    if (is_head && check_version(rq, rs) != 0)
        return rs->status;
    upload_row u;
    int found;
    db_status s = find_upload(rq, 0, &u, &found);
    if (s != DB_OK && is_head) {
        /* tus-js-client gives up an upload whose HEAD gets any other error and starts the
         * file again as a new one; 423 Locked is the answer it retries on the same upload. */
        tus_headers(rq, rs);
        response_header(rq->a, rs, "Retry-After", "5");
        return reply_problem(
            rq, rs, PK_UPLOAD_DB_WAIT,
            "База данных временно недоступна: загрузка продолжится с того же места.");
    }
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (!found || (u.expired && !u.file_id))
        return bad(rq, rs, found ? 410 : 404, found ? "gone" : "not-found",
                   found ? "Срок загрузки истёк." : "Загрузка не найдена.");
    offset_headers(rq, rs, &u);
    return respond_json(rq, rs, 200,
                        json_pack("{s:I, s:I, s:b, s:o}", "offset", (json_int_t)u.offset, "length",
                                  (json_int_t)u.length, "complete", u.file_id != 0, "file_id",
                                  u.file_id ? json_integer((json_int_t)u.file_id) : json_null()));
}

/* Begins the PATCH's transaction with the upload locked, at the client's offset, its sheet
 * still editable. Returns 0, or -1 with rs filled and the transaction rolled back. */
static int lock_for_patch(request *rq, response *rs, long long offset, upload_row *u)
{
    int found = 0;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = find_upload(rq, 1, u, &found);
    if (s != DB_OK || !found || u->expired || u->file_id || offset != u->offset) {
        db_rollback(rq->db);
        if (s != DB_OK)
            reply_db_error(rq, rs, s);
        else if (!found)
            bad(rq, rs, 404, "not-found", "Загрузка не найдена.");
        else if (u->expired && !u->file_id)
            bad(rq, rs, 410, "gone", "Срок загрузки истёк.");
        else {
            offset_headers(rq, rs, u);
            bad(rq, rs, 409, "offset-mismatch", "Upload-Offset не совпадает с сохранённым.");
        }
        return -1;
    }
    /* The sheet may have been submitted, or its campaign closed, since the upload began. */
    submission_row sub;
    int sub_found = 0;
    s = submission_find(rq, u->submission_id, 0, &sub, &sub_found);
    if (s != DB_OK || !sub_found || !submission_can_edit(rq, &sub) || !sub.campaign_open) {
        db_rollback(rq->db);
        s != DB_OK ? reply_db_error(rq, rs, s)
                   : bad(rq, rs, 409, "not-editable",
                         "Анкету уже отправили или кампания закрыта: файл не добавлен.");
        return -1;
    }
    return 0;
}

/* The bytes confirmed by the database are no longer all on disk (a partial file lost or cut
 * short outside vsokd): the offset goes back to what is there and the client gets 409, so
 * that it asks HEAD and sends the rest again instead of completing a file with a hole. */
static int offset_lost(request *rq, response *rs, upload_row *u, long long have)
{
    log_error("uploads: %s has %lld of its %lld confirmed bytes on disk: offset reset",
              rq->params[0], have, u->offset);
    u->offset = have;
    /* The hash state belonged to the old offset: this upload's file will be read again at
     * completion. */
    db_val p[] = {DB_INT(have), DB_STR(rq->params[0])};
    db_status s =
        DB_EXEC(rq->db, rq->a, "UPDATE uploads SET received = ?, sha256_state = NULL WHERE id = ?",
                p, NULL);
    s = db_end(rq->db, s);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    offset_headers(rq, rs, u);
    return bad(rq, rs, 409, "offset-mismatch",
               "Часть загрузки потеряна на сервере: продолжите с Upload-Offset.");
}

/* Appends the chunk, carrying the SHA-256 along when its state at the offset is known.
 * Returns 0, or -1 with rs filled and the transaction rolled back; a failed chunk leaves the
 * partial file at the confirmed offset (507 when the disk is full, which tus clients retry)
 * and the kept state as it was. */
static int append_chunk(request *rq, response *rs, const char *body, const char *partial,
                        upload_row *u)
{
    off_t added = 0;
    int carry = u->offset == 0 || u->has_state;
    sha256_carry *hash = carry ? sha256_carry_new(rq->a) : NULL;
    if ((!carry || hash) && evidence_append(body, partial, (off_t)u->offset,
                                            u->has_state ? u->state : NULL, hash, &added) == 0) {
        u->offset += (long long)added;
        u->hash = hash;
        u->has_state = hash != NULL;
        if (hash)
            sha256_carry_save(hash, u->state);
        return 0;
    }
    int e = errno;
    db_rollback(rq->db);
    log_error("uploads: append to %s failed: %s", partial, strerror(e));
    upload_respond_error(rq, rs, e == ENOSPC || e == EDQUOT ? UPLOAD_NO_SPACE : UPLOAD_IO_ERROR);
    return -1;
}

/* Records the new offset with its hash state and, with the last chunk, the file; commits.
 * The partial file of a completed upload goes only after the commit. Returns 0, or -1 with
 * rs filled. */
static int record_chunk(request *rq, response *rs, const char *partial, upload_row *u)
{
    db_val p[] = {DB_INT(u->offset), u->has_state ? DB_BLOB(u->state, SHA256_CARRY_LEN) : DB_NULL,
                  DB_STR(rq->params[0])};
    db_status s = DB_EXEC(
        rq->db, rq->a, "UPDATE uploads SET received = ?, sha256_state = ? WHERE id = ?", p, NULL);
    upload_result res = s == DB_OK ? UPLOAD_OK : UPLOAD_DB_ERROR;
    unsigned char sha[32];
    if (u->hash)
        sha256_carry_digest(u->hash, sha);
    if (res == UPLOAD_OK && u->offset == u->length)
        res = upload_finish(rq, rq->params[0], partial, u->hash ? sha : NULL, &u->file_id);
    if (res == UPLOAD_OK && db_commit(rq->db) != DB_OK)
        res = UPLOAD_DB_ERROR;
    if (res != UPLOAD_OK) {
        db_rollback(rq->db);
        if (res == UPLOAD_BAD_TYPE || res == UPLOAD_TOO_LARGE)
            upload_discard(rq, rq->params[0], partial);
        upload_respond_error(rq, rs, res);
        return -1;
    }
    if (u->file_id && unlink(partial) != 0 && errno != ENOENT)
        log_error("uploads: cannot remove %s: %s", partial, strerror(errno));
    return 0;
}

int handle_tus_patch(request *rq, response *rs)
{
    if (check_version(rq, rs) != 0)
        return rs->status;
    const char *ct = rq->content_type;
    if (!ct || strcmp(ct, "application/offset+octet-stream") != 0)
        return bad(rq, rs, 415, "unsupported-media-type",
                   "Ожидается Content-Type: application/offset+octet-stream.");
    long long offset = tus_parse_number(request_param(rq, "HTTP_UPLOAD_OFFSET"));
    if (offset < 0)
        return bad(rq, rs, 400, "bad-request", "Нужен заголовок Upload-Offset.");
    const char *body = request_param(rq, "REQUEST_BODY_FILE");
    struct stat st;
    int has_body = body && *body && stat(body, &st) == 0;
    if (rq->content_length > 0 && !has_body) {
        /* nginx passes a body file only when the whole chunk arrived; without one the
         * client went away (or nginx lacks the uploads location). Nothing was stored. */
        log_info("uploads: PATCH without a request body file (client gone?)");
        return bad(rq, rs, 400, "incomplete-chunk", "Часть файла не дошла до сервера, повторите.");
    }
    upload_row u;
    if (lock_for_patch(rq, rs, offset, &u) != 0)
        return rs->status;
    long long size = has_body ? (long long)st.st_size : 0;
    if (offset + size > u.length) {
        db_rollback(rq->db);
        return bad(rq, rs, 413, "too-large", "Данных больше, чем объявлено в Upload-Length.");
    }
    if (size > 0 && check_quota(rq, rs, u.kindergarten_id, size) != 0) {
        db_rollback(rq->db);
        return rs->status;
    }
    const char *partial = evidence_partial_path(rq->a, rq->cfg, rq->params[0]);
    long long have = evidence_partial_size(partial);
    if (have >= 0 && have < offset)
        return offset_lost(rq, rs, &u, have);
    if (size > 0 && append_chunk(rq, rs, body, partial, &u) != 0)
        return rs->status;
    if (record_chunk(rq, rs, partial, &u) != 0)
        return rs->status;
    offset_headers(rq, rs, &u);
    return respond_empty(rs, 204);
}

int handle_tus_delete(request *rq, response *rs)
{
    if (check_version(rq, rs) != 0)
        return rs->status;
    upload_row u;
    int found = 0;
    db_status s = find_upload(rq, 0, &u, &found);
    if (s != DB_OK || !found || u.file_id)
        return s != DB_OK ? reply_db_error(rq, rs, s)
                          : bad(rq, rs, 404, "not-found", "Загрузка не найдена.");
    upload_discard(rq, rq->params[0], evidence_partial_path(rq->a, rq->cfg, rq->params[0]));
    tus_headers(rq, rs);
    return respond_empty(rs, 204);
}
