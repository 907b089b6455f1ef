/* Reads from a MariaDB replica (VSOK_DB_REPLICA_*, docs/runtime.md "A replica for the
 * dashboards"): a worker keeps a second connection, to the replica, and a dashboard read
 * goes there only when the replica answers, replicates, is at most VSOK_DB_REPLICA_MAX_LAG
 * seconds behind (Seconds_Behind_Master, checked at most once a second) and has applied
 * the caller's last write (MASTER_GTID_WAIT on the GTID the primary gave that write, for at
 * most REPLICA_WAIT seconds). Otherwise the read goes to the primary. */
#ifndef VSOK_REPLICA_H
#define VSOK_REPLICA_H

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"

#define REPLICA_WAIT "0.5" /* seconds a read waits for the replica to apply a GTID */

typedef struct db_replica db_replica;

/* The worker's replica, or NULL when none is configured (or out of memory). Connects on
 * first use. */
db_replica *db_replica_open(const config *cfg);
void db_replica_close(db_replica *r);

/* Seconds the replica is behind the primary, -1 when it does not answer or does not
 * replicate (its threads stopped, the primary unreachable). */
long db_replica_lag(db_replica *r, arena *a);

/* The connection a read that the replica may serve should use: the replica's, or NULL for
 * the primary's. gtid: the reader's last write ("domain-server-seq", from
 * db_last_gtid), or NULL. */
db_conn *db_replica_for_read(db_replica *r, arena *a, const char *gtid);

/* A read on the replica failed for want of it: reads go to the primary until the next
 * check. */
void db_replica_failed(db_replica *r);

/* The GTID of the last transaction this primary connection committed (@@last_gtid), in the
 * arena, or NULL when it has none. */
const char *db_last_gtid(db_conn *primary, arena *a);

/* 1 when s looks like a GTID list ("0-1-42" or several, comma separated). */
int db_gtid_valid(const char *s);

#endif
