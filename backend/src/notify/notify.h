/* Notifications: one row per user and event for the bell, repeated as an e-mail in the
 * outbox when mail is on (VSOK_MAIL=record keeps the messages without sending them;
 * VSOK_MAIL=smtp sends them, see mail_send.h). Callers notify inside the transaction of the
 * change they report, so a rolled-back change notifies nobody. Contract:
 * docs/api-notifications.md. */
#ifndef VSOK_NOTIFY_H
#define VSOK_NOTIFY_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

#include <stdint.h>

typedef struct {
    const char *kind; /* sheet_returned, sheet_approved, assignment, stage_open, deadline, report */
    const char *title;     /* one line, Russian */
    const char *body;      /* may be NULL */
    const char *link;      /* a path of the SPA ("/forms/12"), may be NULL */
    const char *dedup_key; /* the same key twice for a user notifies once; may be NULL */
} notice;

/* Notifies one user (an inactive or unknown user is skipped). Writes the outbox row too when
 * mail is on and the user has an e-mail address. */
db_status notify_user(const config *cfg, db_conn *db, arena *a, uint64_t user_id, const notice *n);

/* Notifies every active user of a role whose scope unit is unit_id (e.g. the kindergarten
 * coordinators of a kindergarten). */
db_status notify_unit_role(const config *cfg, db_conn *db, arena *a, uint64_t unit_id,
                           const char *role, const notice *n);

#endif
