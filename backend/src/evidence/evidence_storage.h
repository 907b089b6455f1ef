/* A kindergarten's evidence storage against its quota (VSOK_KINDERGARTEN_QUOTA): the usage
 * view (GET /units/{id}/storage) and the warnings at 80 % and 95 % — a banner in the SPA,
 * and one notification per threshold crossing to the kindergarten's coordinators and
 * teachers, sent by a periodic check (workers take turns) or `vsokd storage-check`.
 * docs/api-evidence.md, "Storage". */
#ifndef VSOK_EVIDENCE_STORAGE_H
#define VSOK_EVIDENCE_STORAGE_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

#define STORAGE_CHECK_INTERVAL 300 /* seconds between periodic checks */

/* The warning level of stored bytes against quota: 0, 80 or 95 (per cent reached). */
int storage_level(long long stored, long long quota);

/* Notifies the kindergartens that crossed a threshold upwards since the last check (and
 * forgets a threshold once usage fell below it, so a new crossing notifies again). Returns
 * the number of kindergartens notified, or -1 on a database error. */
long storage_check(const config *cfg, db_conn *db, arena *a, int force);

/* `vsokd storage-check`: exit status. */
int storage_check_command(const config *cfg);

#endif
