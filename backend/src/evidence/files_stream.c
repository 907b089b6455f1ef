/* Video playback in the browser. A <video> element cannot send the bearer token, and
 * fetching a 2 GB video whole before it plays defeats seeking; so the signed-in reader asks
 * for a short-lived signed address (POST /files/{id}/stream → {url, expires_at}) and the
 * element plays that: GET /files/{id}/stream?u=&e=&s= checks the signature and the time,
 * loads the user as a token would (an account deactivated meanwhile stops working), repeats
 * the access check of GET /files/{id} and hands the bytes to nginx, which answers Range
 * requests with 206 — the video seeks. */
#include "evidence/handlers.h"

#include "core/crypto_util.h"
#include "auth/principal.h"
#include "auth/scope.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STREAM_TTL 7200 /* seconds a signed address plays */

/* base64url(HMAC-SHA256(key, "file-stream\n<file>\n<user>\n<expires>")) into out[44]. */
static int stream_signature(const config *cfg, uint64_t file, uint64_t user, long long expires,
                            char out[44])
{
    char msg[96];
    int n = snprintf(msg, sizeof msg, "file-stream\n%llu\n%llu\n%lld", (unsigned long long)file,
                     (unsigned long long)user, expires);
    unsigned char mac[32];
    unsigned int len = 0;
    if (n <= 0 || (size_t)n >= sizeof msg || cfg->jwt_key_len == 0 ||
        !HMAC(EVP_sha256(), cfg->jwt_key, (int)cfg->jwt_key_len, (unsigned char *)msg, (size_t)n,
              mac, &len) ||
        len != 32)
        return -1;
    base64url_encode(mac, 32, out);
    return 0;
}

int handle_file_stream_sign(request *rq, response *rs)
{
    uint64_t id = scope_parse_id(rq->params[0]);
    db_result r;
    db_val p[] = {DB_INT(id), DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT f.mime FROM evidence_files f JOIN org_units k ON k.id = "
                          "f.kindergarten_id WHERE f.id = ? AND " SCOPE_SQL("k"),
                          p, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (r.nrows == 0)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Файл не найден.");
    if (strncmp(db_cell(&r, 0, 0), "video/", 6) != 0)
        return reply_problem(rq, rs, PK_NOT_A_VIDEO,
                             "Адрес для просмотра выдаётся только для видео: фото загружаются "
                             "обычным запросом.");
    long long expires = (long long)time(NULL) + STREAM_TTL;
    char sig[44];
    if (stream_signature(rq->cfg, id, rq->me->user_id, expires, sig) != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Не удалось подписать адрес.");
    const char *url =
        arena_sprintf(rq->a, "/api/v1/files/%llu/stream?u=%llu&e=%lld&s=%s", (unsigned long long)id,
                      (unsigned long long)rq->me->user_id, expires, sig);
    if (!url)
        return reply_problem(rq, rs, PK_INTERNAL, "Не удалось подписать адрес.");
    return respond_json(rq, rs, 200,
                        json_pack("{s:s, s:I}", "url", url, "expires_at", (json_int_t)expires));
}

static int parse_u64(const char *s, unsigned long long *out)
{
    if (!s || !*s || strlen(s) > 19 || strspn(s, "0123456789") != strlen(s))
        return -1;
    *out = strtoull(s, NULL, 10);
    return 0;
}

int handle_file_stream(request *rq, response *rs)
{
    uint64_t id = scope_parse_id(rq->params[0]);
    unsigned long long user = 0, expires = 0;
    const char *sig = uri_param_get(&rq->args, "s");
    char want[44];
    if (!id || parse_u64(uri_param_get(&rq->args, "u"), &user) != 0 ||
        parse_u64(uri_param_get(&rq->args, "e"), &expires) != 0 || !sig || strlen(sig) != 43 ||
        stream_signature(rq->cfg, id, user, (long long)expires, want) != 0 ||
        CRYPTO_memcmp(want, sig, 43) != 0)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Файл не найден.");
    if ((long long)expires < (long long)time(NULL))
        return reply_problem(rq, rs, PK_STREAM_EXPIRED,
                             "Адрес для просмотра устарел: откройте видео ещё раз.");
    principal *me = NULL;
    db_status s = principal_load(rq->principals, rq->db, rq->a, user, &me);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (!me || !me->user_id || !me->active || me->must_change_password)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Файл не найден.");
    rq->me = me;
    rq->auth_role = me->role;
    return files_respond(rq, rs);
}
