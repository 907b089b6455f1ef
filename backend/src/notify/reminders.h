/* Reminders of the plan-schedule, as notifications (notify.h): a stage has opened (in its
 * first week), and its deadline is 3 days or 1 day away (the municipal deadline when
 * earlier) for those who have not submitted yet. Who: the stage's respondents in the
 * kindergartens that take part — kindergarten coordinators and teachers working there,
 * experts assigned to them. Each reminder reaches a user once (a dedup key per stage and
 * kind). Workers take turns between requests (one run every REMINDERS_INTERVAL across all
 * of them, decided in the database); `vsokd remind` runs one at once. */
#ifndef VSOK_REMINDERS_H
#define VSOK_REMINDERS_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

#define REMINDERS_INTERVAL 600 /* seconds between runs */
#define REMINDERS_BATCH 5000   /* notifications written per run at most */

/* Returns the number of notifications written, or -1 on a database error. */
long reminders_run(const config *cfg, db_conn *db, arena *a, int force);

/* `vsokd remind`: exit status. */
int reminders_command(const config *cfg);

#endif
