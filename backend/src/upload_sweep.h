/* The periodic clean-up of evidence: unfinished uploads past their expiry lose their bytes
 * and rows (objects no file row points to are not swept yet). Workers
 * take turns (one sweep per interval across all of them, decided in the database); the
 * `vsokd sweep` command runs one at once. */
#ifndef VSOK_UPLOAD_SWEEP_H
#define VSOK_UPLOAD_SWEEP_H

#include "arena.h"
#include "config.h"
#include "db.h"

#define UPLOAD_SWEEP_INTERVAL 300 /* seconds between sweeps */

/* Sweeps when it is this process's turn (force: always). Returns the number of uploads
 * removed, or -1 on a database error. */
long upload_sweep(const config *cfg, db_conn *db, arena *a, int force);

/* `vsokd sweep`: exit code. */
int upload_sweep_command(const config *cfg);

#endif
