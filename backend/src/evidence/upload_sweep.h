/* The periodic clean-up of evidence: unfinished uploads past their expiry lose their bytes
 * and rows; stored files no link points to any more (older than the upload expiry) go with
 * their objects and derived files (evidence_sweep.h), and once a day a walk over objects/
 * removes bytes no row points to. Workers take turns (one sweep per interval across all of
 * them, decided in the database); the `vsokd sweep` command runs all of it at once. */
#ifndef VSOK_UPLOAD_SWEEP_H
#define VSOK_UPLOAD_SWEEP_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

#include "evidence/evidence_sweep.h"

#define UPLOAD_SWEEP_INTERVAL 300   /* seconds between sweeps */
#define OBJECT_SWEEP_INTERVAL 86400 /* seconds between walks over objects/ */

/* Sweeps when it is this process's turn (force: always, the walk included). Returns the
 * number of uploads removed, or -1 on a database error; orphans (may be NULL) gets the
 * files and objects removed. */
long upload_sweep(const config *cfg, db_conn *db, arena *a, int force,
                  evidence_sweep_counts *orphans);

/* `vsokd sweep`: exit code. */
int upload_sweep_command(const config *cfg);

#endif
