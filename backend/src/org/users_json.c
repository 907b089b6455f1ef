/* The answers the user handlers share (users.h); the user's columns, row and JSON are in
 * user_store.c. */
#include "org/users.h"

#include "exchange/import.h"

#include <stdio.h>
#include <string.h>

int user_respond(request *rq, response *rs, int status, uint64_t id, json_t *extra)
{
    db_result r;
    db_val v[] = {DB_INT(id)};
    db_status s = DB_EXEC(rq->db, rq->a, "SELECT " USER_COLUMNS USER_FROM "WHERE u.id = ?", v, &r);
    if (s != DB_OK || r.nrows != 1) {
        json_decref(extra);
        if (s != DB_OK)
            reply_db_error(rq, rs, s);
        else
            reply_problem(rq, rs, PK_NOT_FOUND, "Пользователь не найден.");
        return rs->status;
    }
    json_t *doc = user_json(&r, 0);
    if (doc && extra)
        json_object_update(doc, extra);
    json_decref(extra);
    return respond_json(rq, rs, status, doc);
}

const char *users_role_title(role r)
{
    return import_role_title(r);
}

const char *users_level_wanted(role r)
{
    return import_level_wanted(r);
}

int users_forbidden_role(request *rq, response *rs, role r)
{
    char detail[200];
    snprintf(detail, sizeof detail, "Нет прав управлять пользователями с ролью «%s».",
             users_role_title(r));
    return reply_problem(rq, rs, PK_FORBIDDEN_ROLE, detail);
}

int users_unit_not_found(request *rq, response *rs)
{
    return reply_problem(rq, rs, PK_NOT_FOUND, "Организация не найдена.");
}

int users_invalid(request *rq, response *rs, const char *field, const char *message)
{
    json_t *p = problem_of(PK_VALIDATION, "Проверьте поля формы.");
    problem_add_error(p, field, message);
    return reply_problem_doc(rq, rs, p);
}

json_t *users_login_taken(void)
{
    json_t *p = problem_of(PK_LOGIN_TAKEN, "Этот логин уже занят.");
    problem_add_error(p, "login", "логин уже занят, выберите другой");
    return p;
}
