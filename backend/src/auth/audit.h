/* The append-only audit log: one row per write, login and failed login, and its reading
 * for the audit list (server/audit_handlers.c). */
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

/* What the audit list shows: each filter as the query gave it (checked by the caller), NULL
 * for any; from and to are days (YYYY-MM-DD), before an id; limit the rows of a page. */
typedef struct {
    const char *action, *entity, *entity_id, *actor_id, *from, *to, *before;
    long limit;
} audit_filter;

/* The rows of the log in the caller's scope that pass f, newest first: at most f->limit + 1,
 * the one more telling that a next page is there. Read by audit_row_json. */
db_status audit_read(request *rq, const audit_filter *f, db_result *r);

/* One row of audit_read as JSON. */
json_t *audit_row_json(const db_result *r, size_t i);

#endif
