/* POST /users and PATCH /users/{id}: who may create or change whom is decided by
 * scope_can_manage_role and scope_role_fits_level (scope.c); every write is audited in its
 * transaction. docs/api-org.md, "Users". */
#include "org/handlers.h"
#include "auth/principal.h"
#include "org/users.h"

#include "auth/audit.h"
#include "experts/expert_conflict.h"
#include "auth/password.h"
#include "auth/session.h"

#include <stdio.h>
#include <string.h>

/* Unit id within the caller's scope: 0, or -1 with the answer written (404 when it is
 * missing or outside the scope). */
static int find_unit(request *rq, response *rs, uint64_t id, scope_unit *u)
{
    int found = 0;
    db_status s = scope_find_unit(rq, id, u, &found);
    return reply_lookup(rq, rs, s, found, "Организация не найдена.");
}

/* The unit a user is to belong to: within the caller's scope (else 404), active and of a
 * level that fits the role (else 422 on field). Returns 0, or -1 with rs filled. */
static int check_unit(request *rq, response *rs, uint64_t id, role r, const char *field)
{
    scope_unit u;
    if (find_unit(rq, rs, id, &u) != 0)
        return -1;
    if (!scope_role_fits_level(r, u.level)) {
        char *msg = arena_sprintf(rq->a, "организация не подходит для роли «%s»: нужен %s",
                                  users_role_title(r), users_level_wanted(r));
        users_invalid(rq, rs, field, msg ? msg : "организация не подходит для этой роли");
        return -1;
    }
    if (!u.active) {
        users_invalid(rq, rs, field, "организация закрыта: выберите действующую");
        return -1;
    }
    return 0;
}

/* A workplace (docs/api-experts.md): a kindergarten or a group within the caller's scope
 * (else 404), active (else 422). Returns 0, or -1 with rs filled. */
static int check_workplace(request *rq, response *rs, uint64_t id)
{
    scope_unit u;
    if (find_unit(rq, rs, id, &u) != 0)
        return -1;
    if (u.level != LEVEL_KINDERGARTEN && u.level != LEVEL_GROUP) {
        users_invalid(rq, rs, "works_at_unit_id", "место работы — детский сад или его группа");
        return -1;
    }
    if (!u.active) {
        users_invalid(rq, rs, "works_at_unit_id", "организация закрыта: выберите действующую");
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- POST /users */

static db_status login_free(request *rq, const char *login, int *free_out)
{
    db_result r;
    db_val v[] = {DB_STR(login)};
    db_status s = DB_EXEC(rq->db, rq->a, "SELECT id FROM users WHERE login = ?", v, &r);
    *free_out = s == DB_OK && r.nrows == 0;
    return s;
}

static db_status insert_user(request *rq, const user_fields *f, const char *hash, uint64_t *id)
{
    user_new u = {.login = f->login,
                  .password_hash = hash,
                  .full_name = f->full_name,
                  .email = f->email,
                  .phone = f->phone,
                  .role = f->role,
                  .unit_id = f->org_unit_id,
                  .works_at_id = f->works_at_unit_id,
                  .active = f->active != 0};
    return user_store_insert(rq, &u, id);
}

static json_t *create_changes(const user_fields *f)
{
    json_t *c = json_pack("{s:[n,s], s:[n,s], s:[n,s], s:[n,I]}", "login", f->login, "full_name",
                          f->full_name, "role", role_name(f->role), "org_unit_id",
                          (json_int_t)f->org_unit_id);
    audit_diff_str(c, "email", NULL, f->email);
    audit_diff_str(c, "phone", NULL, f->phone);
    if (c && !f->active)
        json_object_set_new(c, "active", json_pack("[n,b]", 0));
    if (c && f->works_at_unit_id)
        json_object_set_new(c, "works_at_unit_id",
                            json_pack("[n,I]", (json_int_t)f->works_at_unit_id));
    return c;
}

/* The new user's password: the one given, or a temporary one written to temp. Its hash goes
 * to hash. Returns 0 or -1. */
static int initial_password(const user_fields *f, char *temp, char *hash)
{
    const char *pw = f->password;
    if (!pw) {
        if (user_temp_password(temp) != 0)
            return -1;
        pw = temp;
    }
    return password_hash(pw, strlen(pw), hash, PASSWORD_HASH_MAX);
}

int handle_user_create(request *rq, response *rs)
{
    user_fields f;
    if (user_fields_read(rq, rs, &f, NULL) != 0)
        return rs->status;
    if (f.active < 0)
        f.active = 1;
    if (!scope_can_manage_role(rq->me->role, f.role))
        return users_forbidden_role(rq, rs, f.role);
    if (check_unit(rq, rs, f.org_unit_id, f.role, "org_unit_id") != 0)
        return rs->status;
    if (f.works_at_unit_id && check_workplace(rq, rs, f.works_at_unit_id) != 0)
        return rs->status;
    int free_login = 0;
    db_status s = login_free(rq, f.login, &free_login);
    if (s == DB_OK && !free_login)
        s = DB_DUPLICATE;
    char temp[USER_TEMP_PASSWORD_LEN + 1], hash[PASSWORD_HASH_MAX];
    if (s == DB_OK && initial_password(&f, temp, hash) != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Не удалось создать пароль.");
    uint64_t id = 0;
    if (s == DB_OK)
        s = db_begin(rq->db);
    if (s == DB_OK)
        s = insert_user(rq, &f, hash, &id);
    if (s == DB_OK)
        s = audit_write(rq, "user.create", "user", id, f.org_unit_id, create_changes(&f));
    if (reply_tx_end(rq, rs, s, users_login_taken()) != 0)
        return rs->status;
    return user_respond(rq, rs, 201, id,
                        f.password ? NULL : json_pack("{s:s}", "temporary_password", temp));
}

/* ---------------------------------------------------------------- PATCH /users/{id} */

/* The user's values after the edit. */
typedef struct {
    const char *full_name, *email, *phone;
    role role;
    uint64_t unit_id;
    uint64_t works_at_id;
    int active;
} user_values;

static void merge(const user_row *cur, const user_fields *f, user_values *v)
{
    v->full_name = f->full_name ? f->full_name : cur->full_name;
    v->email = f->has_email ? f->email : cur->email;
    v->phone = f->has_phone ? f->phone : cur->phone;
    v->role = f->has_role ? f->role : cur->role;
    v->unit_id = f->org_unit_id ? f->org_unit_id : cur->unit_id;
    v->works_at_id = f->has_works_at ? f->works_at_unit_id : cur->works_at_id;
    v->active = f->active >= 0 ? f->active : cur->active;
}

/* Nobody changes their own role or organisation or switches themselves off. */
static int check_self(request *rq, response *rs, const user_row *cur, const user_values *v)
{
    json_t *p =
        problem_of(PK_VALIDATION, "Эти поля своей учётной записи может изменить только вышестоящий "
                                  "координатор.");
    if (v->role != cur->role)
        problem_add_error(p, "role", "свою роль изменить нельзя");
    if (v->unit_id != cur->unit_id)
        problem_add_error(p, "org_unit_id", "свою организацию изменить нельзя");
    if (!v->active && cur->active)
        problem_add_error(p, "active", "свою учётную запись отключить нельзя");
    return reply_field_errors(rq, rs, p);
}

/* An expert's new workplace (or org unit) must not lie in a kindergarten assigned to them:
 * 409, as an assignment to it would be. */
static int check_workplace_conflict(request *rq, response *rs, const user_row *cur,
                                    const user_values *v)
{
    if (v->role != ROLE_EXPERT || cur->role != ROLE_EXPERT ||
        (v->works_at_id == cur->works_at_id && v->unit_id == cur->unit_id))
        return 0;
    int conflict = 0;
    db_status s = expert_conflict_workplace(rq, cur->id, v->works_at_id, v->unit_id, &conflict);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    if (conflict) {
        expert_conflict_respond(
            rq, rs, v->works_at_id != cur->works_at_id ? "works_at_unit_id" : "org_unit_id");
        return -1;
    }
    return 0;
}

/* The rules of an edit; answers and returns -1 when one is broken. */
static int check_update(request *rq, response *rs, const user_row *cur, user_values *v)
{
    int self = cur->id == rq->me->user_id;
    if (!self && !scope_can_manage_role(rq->me->role, cur->role)) {
        users_forbidden_role(rq, rs, cur->role);
        return -1;
    }
    user_fields f;
    if (user_fields_read(rq, rs, &f, cur->login) != 0)
        return -1;
    merge(cur, &f, v);
    if (self && check_self(rq, rs, cur, v) != 0)
        return -1;
    if (v->role != cur->role && !scope_can_manage_role(rq->me->role, v->role)) {
        users_forbidden_role(rq, rs, v->role);
        return -1;
    }
    if (v->unit_id != cur->unit_id && check_unit(rq, rs, v->unit_id, v->role, "org_unit_id") != 0)
        return -1;
    if (v->unit_id == cur->unit_id && v->role != cur->role &&
        !scope_role_fits_level(v->role, cur->unit_level)) {
        char *msg = arena_sprintf(rq->a, "для роли «%s» нужна другая организация: %s",
                                  users_role_title(v->role), users_level_wanted(v->role));
        users_invalid(rq, rs, "role", msg ? msg : "роль не подходит для организации");
        return -1;
    }
    if (v->works_at_id && v->works_at_id != cur->works_at_id &&
        check_workplace(rq, rs, v->works_at_id) != 0)
        return -1;
    return check_workplace_conflict(rq, rs, cur, v);
}

static json_t *update_changes(const user_row *cur, const user_values *v)
{
    json_t *c = json_object();
    audit_diff_str(c, "full_name", cur->full_name, v->full_name);
    audit_diff_str(c, "email", cur->email, v->email);
    audit_diff_str(c, "phone", cur->phone, v->phone);
    audit_diff_str(c, "role", role_name(cur->role), role_name(v->role));
    if (c && v->unit_id != cur->unit_id)
        json_object_set_new(c, "org_unit_id",
                            json_pack("[I,I]", (json_int_t)cur->unit_id, (json_int_t)v->unit_id));
    if (c && v->active != cur->active)
        json_object_set_new(c, "active", json_pack("[b,b]", cur->active, v->active));
    if (c && v->works_at_id != cur->works_at_id)
        json_object_set_new(
            c, "works_at_unit_id",
            json_pack("[o,o]",
                      cur->works_at_id ? json_integer((json_int_t)cur->works_at_id) : json_null(),
                      v->works_at_id ? json_integer((json_int_t)v->works_at_id) : json_null()));
    return c;
}

/* An expert who gets another role loses the kindergartens assigned to them, so that
 * becoming an expert again grants nothing by itself. */
static db_status drop_assignments(request *rq, uint64_t id, json_t *changes)
{
    db_result r;
    db_val v[] = {DB_INT(id)};
    db_status s =
        DB_EXEC(rq->db, rq->a, "DELETE FROM expert_assignments WHERE expert_id = ?", v, &r);
    if (s == DB_OK && r.affected > 0 && changes)
        json_object_set_new(changes, "assignments", json_pack("[I,i]", (json_int_t)r.affected, 0));
    return s;
}

static db_status apply_update(request *rq, const user_row *cur, const user_values *v)
{
    json_t *changes = update_changes(cur, v);
    if (!changes)
        return DB_ERROR;
    if (json_object_size(changes) == 0) {
        json_decref(changes);
        return DB_OK;
    }
    db_val p[] = {DB_STR(v->full_name),
                  v->email ? DB_STR(v->email) : DB_NULL,
                  v->phone ? DB_STR(v->phone) : DB_NULL,
                  DB_STR(role_name(v->role)),
                  DB_INT(v->unit_id),
                  DB_INT(v->active),
                  v->works_at_id ? DB_INT(v->works_at_id) : DB_NULL,
                  DB_INT(cur->id)};
    /* Assignments go first: a former expert may now work at a kindergarten they scored. */
    db_status s = DB_OK;
    if (cur->role == ROLE_EXPERT && v->role != ROLE_EXPERT)
        s = drop_assignments(rq, cur->id, changes);
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE users SET full_name = ?, email = ?, phone = ?, role = ?, "
                    "org_unit_id = ?, active = ?, works_at_unit_id = ? WHERE id = ?",
                    p, NULL);
    if (s == DB_OK && cur->active && !v->active)
        s = session_revoke_user(rq, cur->id);
    if (s != DB_OK) {
        json_decref(changes);
        return s;
    }
    return audit_write(rq, "user.update", "user", cur->id, v->unit_id, changes);
}

int handle_user_update(request *rq, response *rs)
{
    user_row cur;
    int found = 0;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = user_row_load(rq, rq->scoped_id, 1, &cur, &found);
    if (s != DB_OK || !found) {
        db_rollback(rq->db);
        if (s != DB_OK)
            reply_db_error(rq, rs, s);
        else
            reply_problem(rq, rs, PK_NOT_FOUND, "Пользователь не найден.");
        return rs->status;
    }
    user_values v;
    if (check_update(rq, rs, &cur, &v) != 0) {
        db_rollback(rq->db);
        return rs->status;
    }
    if (reply_tx_end(rq, rs, apply_update(rq, &cur, &v), users_login_taken()) != 0)
        return rs->status;
    user_respond(rq, rs, 200, cur.id, NULL);
    principal_cache_forget(rq->principals, cur.id);
    return rs->status;
}
