/* Leases on jobs that must run on one process at a time across every vsokd host of a
 * deployment (the upload sweep, mail, reminders, the storage check, the rollup rebuild): a
 * row of job_leases per job, taken with one UPDATE that succeeds only when the lease has
 * expired or is already this process's. The holder is "<host>:<pid>". A process that dies
 * keeps its lease until it expires; a long run renews it (the same call) as it goes. */
#ifndef VSOK_JOB_LEASE_H
#define VSOK_JOB_LEASE_H

#include "core/arena.h"
#include "db/db.h"

/* Seconds a lease lasts unless renewed or released: longer than any periodic run. */
#define JOB_LEASE_TTL 300

/* Takes or renews job's lease for ttl seconds. With interval > 0 it is taken only when the
 * job last started (ran_at, which becomes now) at least interval seconds ago: one run per
 * interval across the deployment. Returns 1 when this process holds the lease, 0 when
 * another does (or it is not the job's turn), -1 on a database error. */
int job_lease_take(db_conn *db, arena *a, const char *job, long ttl, long interval);

/* Ends this process's lease on job at once (nothing when another holds it). */
db_status job_lease_release(db_conn *db, arena *a, const char *job);

/* "<host>:<pid>" of this process, as stored in job_leases.holder. */
const char *job_lease_holder(void);

#endif
