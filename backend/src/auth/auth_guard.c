#include "auth/auth_guard.h"
#include "auth/principal.h"

#include <string.h>
#include <strings.h>
#include <time.h>

static int unauthorized(request *rq, response *rs, const char *detail)
{
    response_header(rq->a, rs, "WWW-Authenticate", "Bearer realm=\"vsok\"");
    reply_problem(rq, rs, PK_UNAUTHORIZED, detail);
    return -1;
}

int auth_guard_authenticate(request *rq, response *rs)
{
    const char *h = rq->authorization;
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return unauthorized(rq, rs, "Требуется вход в систему.");
    const char *token = h + 7;
    while (*token == ' ')
        token++;
    /* CLOCK_REALTIME, not time(): glibc's time() reads the coarse clock, which may lag the
     * issuer's by a tick, and a token whose exp is this very second must already fail. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    token_status s = token_cache_verify(&rq->principals->tokens, rq->cfg->jwt_key,
                                        rq->cfg->jwt_key_len, token, (long)ts.tv_sec, &rq->auth);
    if (s == TOKEN_EXPIRED)
        return unauthorized(rq, rs, "Срок действия сеанса истёк, войдите снова.");
    if (s != TOKEN_OK)
        return unauthorized(rq, rs, "Недействительный токен доступа.");
    principal *p = NULL;
    db_status ds = principal_load(rq->principals, rq->db, rq->a, rq->auth.user_id, &p);
    if (ds != DB_OK) {
        reply_db_error(rq, rs, ds);
        return -1;
    }
    if (p->user_id == 0 || !p->active)
        return unauthorized(rq, rs, "Учётная запись не найдена или отключена.");
    /* Issued before the password changed. Only older: a worker may still hold the row from
     * before the change for a few seconds, while the caller already has a newer token. */
    if (rq->auth.session_version < p->session_version)
        return unauthorized(rq, rs, "Пароль изменён: войдите снова.");
    rq->me = p;
    rq->auth_role = p->role;
    rq->authenticated = 1;
    return 0;
}
