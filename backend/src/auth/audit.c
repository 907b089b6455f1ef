#include "auth/audit.h"
#include "auth/principal.h"

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
