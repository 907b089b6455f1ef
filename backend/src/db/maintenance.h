/* Periodic work done between requests (the upload sweep, sending mail, reminders, the storage
 * check) and the vsokd subcommands that run it at once. Every worker of every vsokd host may
 * offer to run a task; a lease in the database (job_lease.h) lets one process run it per
 * interval, and never two at the same time. */
#ifndef VSOK_MAINTENANCE_H
#define VSOK_MAINTENANCE_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

/* 1 when this process took task's lease and turn (its last run started at least interval
 * seconds ago; 0: whenever no other process holds it), 0 otherwise or on a database error.
 * After a 1 the caller runs the task and calls maintenance_done. */
int maintenance_turn(db_conn *db, arena *a, const char *task, long interval);

/* Gives task's lease back after a run. */
void maintenance_done(db_conn *db, arena *a, const char *task);

/* A connection for a subcommand, or NULL with the message printed to stderr. */
db_conn *maintenance_connect(const config *cfg);

/* One run of a task's work: what it did (a count), or -1 when it failed. */
typedef long (*maintenance_work)(const config *cfg, db_conn *db, arena *a);

/* Runs work under task's lease when it is this process's turn (force: whatever the
 * interval) and gives the lease back; 0 when it was not its turn. */
long maintenance_run(const config *cfg, db_conn *db, arena *a, const char *task, long interval,
                     int force, maintenance_work work);

/* A task's entry point as the workers call it (force: whatever the interval). */
typedef long (*maintenance_task)(const config *cfg, db_conn *db, arena *a, int force);

/* A subcommand's run: connects, runs task once with force in an arena of its own and
 * closes; what the task returned, or -1 when the connection failed (the message printed). */
long maintenance_command(const config *cfg, maintenance_task task);

/* A subcommand whole (vsokd send-mail, remind, storage-check): maintenance_command, then
 * "<count> <done>" on stdout ("3 reminder(s) written"). Returns the exit status: 0, or 2
 * when the connection or the task failed. */
int maintenance_subcommand(const config *cfg, maintenance_task task, const char *done);

#endif
