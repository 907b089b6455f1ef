/* The append-only audit log: one row per write, login and failed login. */
#ifndef VSOK_AUDIT_H
#define VSOK_AUDIT_H

#include "http/http.h"

/* Appends a row. actor: the signed-in user (rq->me) unless actor_id/login/role are given
 * for events before sign-in (pass 0/NULL to use rq->me). unit_id: the unit the event
 * concerns (0: none). changes: a JSON object, reference stolen, may be NULL. Runs inside
 * the caller's transaction when one is open. */
db_status audit_write(request *rq, const char *action, const char *entity, uint64_t entity_id,
                      uint64_t unit_id, json_t *changes);

db_status audit_write_as(request *rq, uint64_t actor_id, const char *actor_login,
                         const char *actor_role, const char *action, const char *entity,
                         uint64_t entity_id, uint64_t unit_id, json_t *changes);

/* Adds "field": [old, new] to changes when they differ (NULL-safe strings). */
void audit_diff_str(json_t *changes, const char *field, const char *old_value,
                    const char *new_value);

#endif
