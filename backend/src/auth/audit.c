#include "auth/audit.h"
#include "auth/principal.h"
#include "auth/scope.h"

#include <stdlib.h>
#include <string.h>

db_status audit_write_as(request *rq, uint64_t actor_id, const char *actor_login,
                         const char *actor_role, const char *action, const char *entity,
                         uint64_t entity_id, uint64_t unit_id, json_t *changes)
{
    char *text = changes ? json_dumps(changes, JSON_COMPACT) : NULL;
    json_decref(changes);
    char *copy = text ? arena_strdup(rq->a, text) : NULL;
    free(text);
    db_val p[] = {
        actor_id ? DB_INT(actor_id) : DB_NULL,
        actor_login ? DB_STR(actor_login) : DB_NULL,
        actor_role ? DB_STR(actor_role) : DB_NULL,
        DB_STR(action),
        entity ? DB_STR(entity) : DB_NULL,
        entity_id ? DB_INT(entity_id) : DB_NULL,
        DB_INT(unit_id),
        copy ? DB_STR(copy) : DB_NULL,
        rq->remote_addr ? DB_STR(rq->remote_addr) : DB_NULL,
    };
    return DB_EXEC(rq->db, rq->a,
                   "INSERT INTO audit_log (actor_id, actor_login, actor_role, action, entity, "
                   "entity_id, unit_path, changes, ip) VALUES (?, ?, ?, ?, ?, ?, "
                   "COALESCE((SELECT path FROM org_units WHERE id = ?), '/'), ?, ?)",
                   p, NULL);
}

db_status audit_write(request *rq, const char *action, const char *entity, uint64_t entity_id,
                      uint64_t unit_id, json_t *changes)
{
    const principal *me = rq->me;
    return audit_write_as(rq, me ? me->user_id : 0, me ? me->login : NULL,
                          me ? role_name(me->role) : NULL, action, entity, entity_id, unit_id,
                          changes);
}

void audit_diff_str(json_t *changes, const char *field, const char *old_value,
                    const char *new_value)
{
    int same =
        (!old_value && !new_value) || (old_value && new_value && strcmp(old_value, new_value) == 0);
    if (same || !changes)
        return;
    json_object_set_new(changes, field, json_pack("[s?, s?]", old_value, new_value));
}

db_status audit_read(request *rq, const audit_filter *f, db_result *r)
{
#define OPT_STR(v) ((v) ? DB_STR(v) : DB_NULL)
#define OPT_ID(v) ((v) ? DB_INT(scope_parse_id(v)) : DB_NULL)
    db_val v[] = {
        DB_INT(rq->me->user_id), OPT_STR(f->action),   OPT_STR(f->action),   OPT_STR(f->entity),
        OPT_STR(f->entity),      OPT_ID(f->entity_id), OPT_ID(f->entity_id), OPT_ID(f->actor_id),
        OPT_ID(f->actor_id),     OPT_STR(f->from),     OPT_STR(f->from),     OPT_STR(f->to),
        OPT_STR(f->to),          OPT_ID(f->before),    OPT_ID(f->before),    DB_INT(f->limit + 1)};
#undef OPT_STR
#undef OPT_ID
    return DB_EXEC(
        rq->db, rq->a,
        "SELECT a.id, DATE_FORMAT(a.at, '%Y-%m-%dT%H:%i:%s.%fZ'), a.actor_id, a.actor_login, "
        "a.actor_role, a.action, a.entity, a.entity_id, a.changes, a.ip FROM audit_log a "
        "WHERE EXISTS (SELECT 1 FROM " SCOPE_PATHS_SQL " s WHERE a.unit_path LIKE "
        "CONCAT(s.path, '%')) AND (? IS NULL OR a.action = ?) AND (? IS NULL OR a.entity = ?) "
        "AND (? IS NULL OR a.entity_id = ?) AND (? IS NULL OR a.actor_id = ?) "
        "AND (? IS NULL OR a.at >= ?) AND (? IS NULL OR a.at < ? + INTERVAL 1 DAY) "
        "AND (? IS NULL OR a.id < ?) ORDER BY a.id DESC LIMIT ?",
        v, r);
}

json_t *audit_row_json(const db_result *r, size_t i)
{
    const char *changes = db_cell(r, i, 8);
    json_t *cj = changes ? json_loads(changes, 0, NULL) : NULL;
    json_t *actor =
        db_cell(r, i, 2) || db_cell(r, i, 3)
            ? json_pack("{s:o, s:s?, s:s?}", "id",
                        db_cell(r, i, 2) ? json_integer(db_cell_int(r, i, 2, 0)) : json_null(),
                        "login", db_cell(r, i, 3), "role", db_cell(r, i, 4))
            : json_null();
    return json_pack("{s:I, s:s, s:o, s:s, s:s?, s:o, s:o, s:s?}", "id",
                     (json_int_t)db_cell_int(r, i, 0, 0), "at", db_cell(r, i, 1), "actor", actor,
                     "action", db_cell(r, i, 5), "entity", db_cell(r, i, 6), "entity_id",
                     db_cell(r, i, 7) ? json_integer(db_cell_int(r, i, 7, 0)) : json_null(),
                     "changes", cj ? cj : json_null(), "ip", db_cell(r, i, 9));
}
