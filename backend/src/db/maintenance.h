/* Periodic work done between requests (the upload sweep, sending mail, reminders) and the
 * vsokd subcommands that run it at once. Workers take turns through the maintenance_runs
 * table: one run per interval across all of them, decided in the database. */
#ifndef VSOK_MAINTENANCE_H
#define VSOK_MAINTENANCE_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

/* 1 when this process claimed task's turn (its last run is older than interval seconds and
 * this process moved it to now), 0 otherwise or on a database error. */
int maintenance_turn(db_conn *db, arena *a, const char *task, long interval);

/* A connection for a subcommand, or NULL with the message printed to stderr. */
db_conn *maintenance_connect(const config *cfg);

#endif
