#include "notify/mail_send.h"

#include "core/log.h"
#include "notify/mail_message.h"
#include "db/maintenance.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct {
    const char *data;
    size_t left;
} upload_src;

static size_t read_message(char *buf, size_t size, size_t n, void *ctx)
{
    upload_src *src = ctx;
    size_t k = size * n < src->left ? size * n : src->left;
    memcpy(buf, src->data, k);
    src->data += k;
    src->left -= k;
    return k;
}

/* The SMTP password from VSOK_SMTP_PASSWORD_FILE (first line), or "" without one. */
static const char *smtp_password(const config *cfg, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (!cfg->smtp_password_file[0])
        return buf;
    FILE *f = fopen(cfg->smtp_password_file, "r");
    if (!f)
        return buf;
    if (!fgets(buf, (int)cap, f))
        buf[0] = '\0';
    fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    return buf;
}

/* One message; NULL on success, else the error text (in error, CURL_ERROR_SIZE bytes). */
static const char *send_one(const config *cfg, const char *to, const char *msg, size_t len,
                            char *error)
{
    CURL *c = curl_easy_init();
    if (!c)
        return "curl_easy_init failed";
    error[0] = '\0';
    char password[256];
    char from[CONFIG_STR_MAX + 2], rcpt[300];
    snprintf(from, sizeof from, "<%s>", cfg->smtp_from);
    snprintf(rcpt, sizeof rcpt, "<%s>", to);
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    upload_src src = {msg, len};
    curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(c, CURLOPT_READDATA, &src);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 15L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    if (cfg->smtp_user[0]) {
        curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, smtp_password(cfg, password, sizeof password));
    }
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(rcpts);
    curl_easy_cleanup(c);
    if (rc == CURLE_OK)
        return NULL;
    return error[0] ? error : curl_easy_strerror(rc);
}

/* One batch of the queue; the caller holds the lease. */
static long send_batch(const config *cfg, db_conn *db, arena *a)
{
    db_result r;
    db_val p[] = {DB_INT(MAIL_SEND_BATCH)};
    if (DB_EXEC(db, a,
                "SELECT id, to_address, subject, body, UNIX_TIMESTAMP(created_at) FROM "
                "mail_outbox WHERE status = 'queued' ORDER BY id LIMIT ?",
                p, &r) != DB_OK)
        return -1;
    const char *host = strstr(cfg->smtp_from, "@");
    long sent = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        unsigned long long id = (unsigned long long)db_cell_int(&r, i, 0, 0);
        size_t len = 0;
        char *msg =
            mail_message(a, cfg->smtp_from, db_cell(&r, i, 1), db_cell(&r, i, 2), db_cell(&r, i, 3),
                         (time_t)db_cell_int(&r, i, 4, 0), id, host ? host + 1 : NULL, &len);
        char *error = arena_alloc(a, CURL_ERROR_SIZE);
        const char *err = !error ? "out of memory"
                          : msg  ? send_one(cfg, db_cell(&r, i, 1), msg, len, error)
                                 : "unsafe address";
        db_val v[] = {DB_INT(!err), err ? DB_STR(err) : DB_NULL, DB_INT(!err),
                      DB_INT(MAIL_SEND_ATTEMPTS), DB_INT(id)};
        if (DB_EXEC(db, a,
                    "UPDATE mail_outbox SET attempts = attempts + 1, "
                    "sent_at = IF(?, UTC_TIMESTAMP(), NULL), last_error = ?, "
                    "status = IF(?, 'sent', IF(attempts >= ?, 'failed', 'queued')) WHERE id = ?",
                    v, NULL) != DB_OK)
            return -1;
        if (err)
            log_error("mail: message %llu to %s not sent: %s", id, db_cell(&r, i, 1), err);
        else
            sent++;
    }
    return sent;
}

long mail_send_queued(const config *cfg, db_conn *db, arena *a, int force)
{
    if (strcmp(cfg->mail_mode, "smtp") != 0)
        return 0;
    return maintenance_run(cfg, db, a, "mail_send", MAIL_SEND_INTERVAL, force, send_batch);
}

int mail_send_command(const config *cfg)
{
    if (strcmp(cfg->mail_mode, "smtp") != 0) {
        fprintf(stderr, "vsokd: mail is %s: set VSOK_MAIL=smtp to send\n", cfg->mail_mode);
        return 1;
    }
    int rc = maintenance_subcommand(cfg, mail_send_queued, "message(s) sent");
    curl_global_cleanup();
    return rc;
}
