#include "evidence/upload_finish.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "core/crypto_util.h"
#include "evidence/evidence_store.h"
#include "core/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void unlock_objects(void *p)
{
    evidence_objects_unlock(*(int *)p);
}

/* Puts the finished bytes at their content address (a link: the partial file stays until
 * the caller has committed, so that a completion interrupted by a crash or a database error
 * finishes again from the same bytes). The same bytes already stored need nothing. The
 * objects lock is held (shared) until the request ends, after the caller's commit, so that
 * the sweep never removes an object a new row is about to point to. */
static int store_object(request *rq, const char *partial, const char *hex)
{
    const char *object = evidence_object_path(rq->a, rq->cfg, hex);
    int *lock = arena_alloc(rq->a, sizeof *lock);
    if (!object || !lock)
        return -1;
    *lock = evidence_objects_lock(rq->cfg, 0);
    if (*lock < 0)
        return -1;
    if (arena_defer(rq->a, unlock_objects, lock) != 0)
        return -1; /* already unlocked by arena_defer */
    if (evidence_mkdirs(object) != 0)
        return -1;
    return evidence_place_object(partial, object);
}

upload_result upload_finish(request *rq, const char *upload_id, const char *partial,
                            const unsigned char *sha, uint64_t *file_id)
{
    char mime[128];
    if (evidence_sniff(partial, mime, sizeof mime) != 0)
        return UPLOAD_IO_ERROR;
    evidence_kind kind = evidence_kind_of(mime);
    if (kind == EVIDENCE_NONE) {
        log_info("uploads: %s refused, its bytes are %s", upload_id, mime);
        return UPLOAD_BAD_TYPE;
    }
    db_result u;
    db_val p[] = {DB_STR(upload_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT owner_id, kindergarten_id, submission_id, indicator_code, "
                          "filename, filetype, length, caption FROM uploads WHERE id = ?",
                          p, &u);
    if (s != DB_OK || u.nrows != 1)
        return UPLOAD_DB_ERROR;
    long long size = db_cell_int(&u, 0, 6, 0);
    if (kind == EVIDENCE_KIND_PHOTO && size > rq->cfg->max_photo)
        return UPLOAD_TOO_LARGE;
    unsigned char reread[32];
    char hex[65];
    const char *how = "hashed while appending";
    if (!sha) {
        how = "hashed by reading the file again";
        if (evidence_sha256(partial, reread) != 0)
            return UPLOAD_IO_ERROR;
        sha = reread;
    }
    hex_encode(sha, 32, hex);
    if (store_object(rq, partial, hex) != 0) {
        int e = errno;
        log_error("uploads: cannot store %s: %s", hex, strerror(e));
        return e == ENOSPC || e == EDQUOT ? UPLOAD_NO_SPACE : UPLOAD_IO_ERROR;
    }
    log_info("uploads: %s stored as %s (%s, %lld bytes, %s), recording it", upload_id, hex, mime,
             size, how);
    db_result ins;
    db_val f[] = {DB_BLOB(sha, 32),
                  DB_INT(size),
                  DB_STR(mime),
                  DB_INT(db_cell_int(&u, 0, 0, 0)),
                  DB_INT(db_cell_int(&u, 0, 1, 0)),
                  DB_STR(db_cell(&u, 0, 4)),
                  db_cell(&u, 0, 5) ? DB_STR(db_cell(&u, 0, 5)) : DB_NULL};
    s = DB_EXEC(rq->db, rq->a,
                "INSERT INTO evidence_files (sha256, size, mime, owner_id, kindergarten_id, "
                "original_name, declared_type) VALUES (?, ?, ?, ?, ?, ?, ?)",
                f, &ins);
    if (s != DB_OK)
        return UPLOAD_DB_ERROR;
    *file_id = ins.insert_id;
    const char *caption = db_cell(&u, 0, 7);
    db_val l[] = {DB_INT(*file_id), DB_INT(db_cell_int(&u, 0, 2, 0)), DB_STR(db_cell(&u, 0, 3)),
                  caption ? DB_STR(caption) : DB_NULL, DB_INT(rq->me->user_id)};
    s = DB_EXEC(rq->db, rq->a,
                "INSERT INTO evidence_links (file_id, submission_id, indicator_code, caption, "
                "created_by) VALUES (?, ?, ?, ?, ?)",
                l, NULL);
    if (s == DB_OK) {
        db_val w[] = {DB_INT(*file_id), DB_STR(upload_id)};
        s = DB_EXEC(rq->db, rq->a, "UPDATE uploads SET file_id = ? WHERE id = ?", w, NULL);
    }
    if (s == DB_OK)
        s = audit_write(rq, "evidence.upload", "evidence_file", *file_id,
                        (uint64_t)db_cell_int(&u, 0, 1, 0),
                        json_pack("{s:[n,s], s:[n,s], s:[n,I]}", "name", db_cell(&u, 0, 4), "mime",
                                  mime, "size", (json_int_t)size));
    return s == DB_OK ? UPLOAD_OK : UPLOAD_DB_ERROR;
}

void upload_discard(request *rq, const char *upload_id, const char *partial)
{
    if (partial && unlink(partial) != 0 && errno != ENOENT)
        log_error("uploads: cannot remove %s: %s", partial, strerror(errno));
    db_val p[] = {DB_STR(upload_id)};
    DB_EXEC(rq->db, rq->a, "DELETE FROM uploads WHERE id = ? AND file_id IS NULL", p, NULL);
}

int upload_respond_error(request *rq, response *rs, upload_result r)
{
    response_header(rq->a, rs, "Tus-Resumable", "1.0.0");
    switch (r) {
    case UPLOAD_BAD_TYPE:
        return reply_problem(rq, rs, PK_UNSUPPORTED_FILE_TYPE,
                             "Можно загрузить фото (JPEG, PNG, HEIC, WebP) или видео (MP4, MOV, "
                             "WebM). Файл удалён.");
    case UPLOAD_TOO_LARGE:
        return reply_problem(rq, rs, PK_TOO_LARGE, "Фото больше допустимого размера.");
    case UPLOAD_DB_ERROR:
        /* Retryable: tus clients repeat a 5xx from the offset HEAD reports, which is still
         * that of the last chunk, whose bytes are kept. */
        response_header(rq->a, rs, "Retry-After", "5");
        return reply_problem(rq, rs, PK_UPLOAD_NOT_RECORDED,
                             "Данные не записаны: повторите через несколько секунд, загрузка "
                             "продолжится с последнего сохранённого места.");
    case UPLOAD_NO_SPACE:
        response_header(rq->a, rs, "Retry-After", "60");
        return reply_problem(rq, rs, PK_INSUFFICIENT_STORAGE,
                             "На сервере закончилось место для файлов. Загрузка продолжится с того "
                             "же места, когда место освободится.");
    default:
        return reply_problem(rq, rs, PK_INTERNAL, "Не удалось сохранить файл.");
    }
    return rs->status;
}
