/* Applying a users import: temporary passwords, inserts, updates, audit rows, one
 * transaction (import_users.h). */
#include "auth/audit.h"
#include "auth/principal.h"
#include "core/crypto_util.h"
#include "exchange/import_users.h"
#include "org/user_store.h"
#include "org/users.h"

#include <string.h>

/* Passwords and their hashes, before the transaction: hashing is the slow part. */
static int make_passwords(user_plan *p)
{
    for (usr *u = p->head; u; u = u->next) {
        if (u->act != IMPORT_CREATE)
            continue;
        u->password = arena_alloc(p->base.rq->a, USER_TEMP_PASSWORD_LEN + 1);
        u->hash = arena_alloc(p->base.rq->a, PASSWORD_HASH_MAX);
        if (!u->password || !u->hash || user_temp_password(u->password) != 0 ||
            password_hash(u->password, USER_TEMP_PASSWORD_LEN, u->hash, PASSWORD_HASH_MAX) != 0)
            return -1;
    }
    return 0;
}

static db_status apply_create(user_plan *p, usr *u)
{
    request *rq = p->base.rq;
    user_new n = {.login = u->login,
                  .password_hash = u->hash,
                  .full_name = u->new_full_name,
                  .email = u->new_email,
                  .phone = u->new_phone,
                  .role = u->new_role,
                  .unit_id = u->new_unit->id,
                  .active = 1};
    db_status s = user_store_insert(rq, &n, &u->id);
    if (s != DB_OK)
        return s;
    json_t *c = json_pack("{s:[n,s], s:[n,s], s:[n,s], s:[n,I]}", "login", u->login, "full_name",
                          u->new_full_name, "role", role_name(u->new_role), "org_unit_id",
                          (json_int_t)u->new_unit->id);
    if (c && u->new_email)
        json_object_set_new(c, "email", json_pack("[n,s]", u->new_email));
    if (c && u->new_phone)
        json_object_set_new(c, "phone", json_pack("[n,s]", u->new_phone));
    return audit_write(rq, "user.create", "user", u->id, u->new_unit->id, c);
}

static db_status apply_update(user_plan *p, usr *u)
{
    request *rq = p->base.rq;
    db_val v[] = {DB_STR(u->new_full_name), import_opt(u->new_email),
                  import_opt(u->new_phone), DB_STR(role_name(u->new_role)),
                  DB_INT(u->new_unit->id),  DB_INT(u->id)};
    db_status s = DB_OK;
    if (u->role == ROLE_EXPERT && u->new_role != ROLE_EXPERT) {
        /* as PATCH /users does: another role loses the assignments (before the unit
         * changes, so that no assignment is left in the new workplace) */
        db_val e[] = {DB_INT(u->id)};
        s = DB_EXEC(rq->db, rq->a, "DELETE FROM expert_assignments WHERE expert_id = ?", e, NULL);
    }
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE users SET full_name = ?, email = ?, phone = ?, role = ?, "
                    "org_unit_id = ? WHERE id = ?",
                    v, NULL);
    if (s != DB_OK)
        return s;
    return audit_write(rq, "user.update", "user", u->id, u->new_unit->id, json_incref(u->changes));
}

static db_status apply_all(void *plan)
{
    user_plan *p = plan;
    db_status s = DB_OK;
    for (usr *u = p->head; u && s == DB_OK; u = u->next)
        s = u->act == IMPORT_CREATE ? apply_create(p, u) : apply_update(p, u);
    return s;
}

int import_users_apply(user_plan *p, response *rs)
{
    request *rq = p->base.rq;
    if (make_passwords(p) != 0) {
        reply_problem(rq, rs, PK_INTERNAL, "Не удалось создать временные пароли.");
        return -1;
    }
    import_apply_step step = {apply_all,
                              p,
                              "import.users",
                              p->n_create,
                              p->n_update,
                              "Пока шёл импорт, один из логинов был занят. Ничего не изменено: "
                              "проверьте файл ещё раз."};
    if (import_apply(p->base.run, rs, &step) != 0)
        return -1;
    for (usr *u = p->head; u; u = u->next) {
        if (u->act == IMPORT_UPDATE) {
            principal_cache_forget(rq->principals, u->id);
            continue;
        }
        if (json_object_set_new(u->item, "id", json_integer((json_int_t)u->id)) != 0 ||
            json_object_set_new(u->item, "temporary_password", json_string(u->password)) != 0)
            p->base.run->nomem = 1;
    }
    return 0;
}
