/* The orphan sweep of evidence, part of the periodic sweep (upload_sweep.h) and of
 * `vsokd sweep`: evidence_files rows no link points to any more and older than a given age
 * are deleted (with the finished uploads that made them), then each object whose last row
 * went, with its derived files. A stray walk over objects/ finds the bytes no row ever
 * pointed to (a completion that failed after the move). An object still referenced by any
 * row is never removed: the check and the removal happen under the objects lock
 * (evidence_objects_lock), which a completing upload holds until its commit. */
#ifndef VSOK_EVIDENCE_SWEEP_H
#define VSOK_EVIDENCE_SWEEP_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

typedef struct {
    long files;   /* evidence_files rows deleted */
    long objects; /* object files removed (with their derived files) */
} evidence_sweep_counts;

/* Rows unlinked for more than older_than seconds, and their objects. Returns 0 or -1 on a
 * database error. */
int evidence_sweep_orphans(const config *cfg, db_conn *db, arena *a, long older_than,
                           evidence_sweep_counts *out);

/* Object files no row points to, last modified more than older_than seconds ago. The caller
 * holds the lease "object_sweep" (maintenance.h), which the walk renews as it goes. Returns
 * 0 or -1 on a database error or a lost lease. */
int evidence_sweep_stray(const config *cfg, db_conn *db, arena *a, long older_than,
                         evidence_sweep_counts *out);

#endif
