#include "org/user_store.h"

#include "auth/principal.h"

#include <string.h>

static json_t *works_at_json(const db_result *r, size_t row)
{
    if (!db_cell(r, row, USR_WORKS_AT_ID))
        return json_null();
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_cell_int(r, row, USR_WORKS_AT_ID, 0),
                     "name", db_cell(r, row, USR_WORKS_AT_NAME), "level",
                     db_cell(r, row, USR_WORKS_AT_LEVEL));
}

json_t *user_json(const db_result *r, size_t row)
{
    return json_pack(
        "{s:I, s:s, s:s, s:s?, s:s?, s:s, s:b, s:b, s:{s:I, s:s, s:s}, s:s, s:o}", "id",
        (json_int_t)db_cell_int(r, row, USR_ID, 0), "login", db_cell(r, row, USR_LOGIN),
        "full_name", db_cell(r, row, USR_FULL_NAME), "email", db_cell(r, row, USR_EMAIL), "phone",
        db_cell(r, row, USR_PHONE), "role", db_cell(r, row, USR_ROLE), "active",
        (int)db_cell_int(r, row, USR_ACTIVE, 0), "must_change_password",
        (int)db_cell_int(r, row, USR_MUST_CHANGE_PASSWORD, 0), "org_unit", "id",
        (json_int_t)db_cell_int(r, row, USR_UNIT_ID, 0), "name", db_cell(r, row, USR_UNIT_NAME),
        "level", db_cell(r, row, USR_UNIT_LEVEL), "created_at", db_cell(r, row, USR_CREATED_AT),
        "works_at", works_at_json(r, row));
}

/* The user_row of the one row of r (USER_COLUMNS); found = 0 when r is empty. */
static db_status row_of(const db_result *r, user_row *out, int *found)
{
    *found = 0;
    memset(out, 0, sizeof *out);
    if (r->nrows == 0)
        return DB_OK;
    if (role_parse(db_cell(r, 0, USR_ROLE), &out->role) != 0 ||
        org_level_parse(db_cell(r, 0, USR_UNIT_LEVEL), &out->unit_level) != 0)
        return DB_ERROR;
    out->id = (uint64_t)db_cell_int(r, 0, USR_ID, 0);
    out->login = db_cell(r, 0, USR_LOGIN);
    out->full_name = db_cell(r, 0, USR_FULL_NAME);
    out->email = db_cell(r, 0, USR_EMAIL);
    out->phone = db_cell(r, 0, USR_PHONE);
    out->active = (int)db_cell_int(r, 0, USR_ACTIVE, 0);
    out->unit_id = (uint64_t)db_cell_int(r, 0, USR_UNIT_ID, 0);
    out->works_at_id = (uint64_t)db_cell_int(r, 0, USR_WORKS_AT_ID, 0);
    *found = 1;
    return DB_OK;
}

db_status user_row_load(request *rq, uint64_t id, int lock, user_row *out, int *found)
{
    db_result r;
    db_val v[] = {DB_INT(id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          lock ? "SELECT " USER_COLUMNS USER_FROM "WHERE u.id = ? FOR UPDATE"
                               : "SELECT " USER_COLUMNS USER_FROM "WHERE u.id = ?",
                          v, &r);
    *found = 0;
    return s != DB_OK ? s : row_of(&r, out, found);
}

db_status user_store_find_in_scope(request *rq, uint64_t id, user_row *out, int *found)
{
    db_result r;
    db_val v[] = {DB_INT(id), DB_INT(rq->me->user_id)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                "SELECT " USER_COLUMNS USER_FROM "WHERE u.id = ? AND " SCOPE_SQL("o"), v, &r);
    *found = 0;
    return s != DB_OK ? s : row_of(&r, out, found);
}

db_status user_store_insert(request *rq, const user_new *u, uint64_t *id)
{
    db_val v[] = {DB_STR(u->login),
                  DB_STR(u->password_hash),
                  DB_STR(u->full_name),
                  u->email ? DB_STR(u->email) : DB_NULL,
                  u->phone ? DB_STR(u->phone) : DB_NULL,
                  DB_STR(role_name(u->role)),
                  DB_INT(u->unit_id),
                  DB_INT(u->active != 0),
                  u->works_at_id ? DB_INT(u->works_at_id) : DB_NULL};
    return DB_INSERT(rq->db, rq->a,
                     "INSERT INTO users (login, password_hash, full_name, email, phone, role, "
                     "org_unit_id, active, works_at_unit_id, must_change_password) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                     v, id);
}
