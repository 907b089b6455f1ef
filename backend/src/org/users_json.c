/* The user document, the stored row the rules look at, and the answers the user handlers
 * share (users.h). */
#include "org/users.h"

#include "exchange/import.h"

#include <stdio.h>
#include <string.h>

json_t *user_json(const db_result *r, size_t row)
{
    json_t *works_at =
        db_cell(r, row, 12)
            ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_cell_int(r, row, 12, 0), "name",
                        db_cell(r, row, 13), "level", db_cell(r, row, 14))
            : json_null();
    return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s, s:b, s:b, s:{s:I, s:s, s:s}, s:s, s:o}",
                     "id", (json_int_t)db_cell_int(r, row, 0, 0), "login", db_cell(r, row, 1),
                     "full_name", db_cell(r, row, 2), "email", db_cell(r, row, 3), "phone",
                     db_cell(r, row, 4), "role", db_cell(r, row, 5), "active",
                     (int)db_cell_int(r, row, 6, 0), "must_change_password",
                     (int)db_cell_int(r, row, 7, 0), "org_unit", "id",
                     (json_int_t)db_cell_int(r, row, 8, 0), "name", db_cell(r, row, 9), "level",
                     db_cell(r, row, 10), "created_at", db_cell(r, row, 11), "works_at", works_at);
}

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

db_status user_row_load(request *rq, uint64_t id, int lock, user_row *out, int *found)
{
    *found = 0;
    memset(out, 0, sizeof *out);
    db_result r;
    db_val v[] = {DB_INT(id)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        lock ? "SELECT u.id, u.login, u.full_name, u.email, u.phone, u.role, "
               "u.active, o.id, o.level, u.works_at_unit_id" USER_FROM "WHERE u.id = ? FOR UPDATE"
             : "SELECT u.id, u.login, u.full_name, u.email, u.phone, u.role, "
               "u.active, o.id, o.level, u.works_at_unit_id" USER_FROM "WHERE u.id = ?",
        v, &r);
    if (s != DB_OK || r.nrows == 0)
        return s;
    if (role_parse(db_cell(&r, 0, 5), &out->role) != 0 ||
        org_level_parse(db_cell(&r, 0, 8), &out->unit_level) != 0)
        return DB_ERROR;
    out->id = (uint64_t)db_cell_int(&r, 0, 0, 0);
    out->login = db_cell(&r, 0, 1);
    out->full_name = db_cell(&r, 0, 2);
    out->email = db_cell(&r, 0, 3);
    out->phone = db_cell(&r, 0, 4);
    out->active = (int)db_cell_int(&r, 0, 6, 0);
    out->unit_id = (uint64_t)db_cell_int(&r, 0, 7, 0);
    out->works_at_id = (uint64_t)db_cell_int(&r, 0, 9, 0);
    *found = 1;
    return DB_OK;
}

const char *users_role_title(role r)
{
    return import_role_title(r);
}

const char *users_level_wanted(role r)
{
    switch (r) {
    case ROLE_ADMINISTRATOR:
    case ROLE_REGION_COORDINATOR:
        return "регион";
    case ROLE_MUNICIPAL_COORDINATOR:
        return "муниципалитет";
    case ROLE_EXPERT:
        return "муниципалитет или регион";
    default:
        return "детский сад";
    }
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

void users_invalid(request *rq, response *rs, const char *field, const char *message)
{
    json_t *p = problem_of(PK_VALIDATION, "Проверьте поля формы.");
    problem_add_error(p, field, message);
    reply_problem_doc(rq, rs, p);
}

json_t *users_login_taken(void)
{
    json_t *p = problem_of(PK_LOGIN_TAKEN, "Этот логин уже занят.");
    problem_add_error(p, "login", "логин уже занят, выберите другой");
    return p;
}
