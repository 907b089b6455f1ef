#include "org/route_rows.h"

#include "auth/scope.h"

int route_unit(request *rq, response *rs, scope_unit *out)
{
    if (rq->unit) {
        *out = rq->unit->scope;
        return 0;
    }
    int found = 0;
    db_status s = scope_find_unit(rq, rq->scoped_id, out, &found);
    if (reply_lookup(rq, rs, s, found, "Организация не найдена.") != 0)
        return -1;
    return 0;
}

int route_user(request *rq, response *rs, user_row *out)
{
    if (rq->user) {
        *out = *rq->user;
        return 0;
    }
    int found = 0;
    db_status s = user_row_load(rq, rq->scoped_id, 0, out, &found);
    return reply_lookup(rq, rs, s, found, "Пользователь не найден.");
}
