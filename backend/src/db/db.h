/* The worker's MariaDB connection: prepared statements only (cached per connection),
 * results copied into the request arena as strings, reconnect after the server went away
 * (2006/2013) with one retry of the statement when no transaction is open. */
#ifndef VSOK_DB_H
#define VSOK_DB_H

#include "core/arena.h"
#include "core/config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct db_conn db_conn;

typedef enum {
    DB_OK = 0,
    DB_UNAVAILABLE, /* cannot connect, or the connection died inside a transaction */
    DB_DUPLICATE,   /* unique key violation (1062) */
    DB_ERROR        /* anything else: logged with the statement */
} db_status;

typedef enum { DBV_NULL = 0, DBV_INT, DBV_STR, DBV_BLOB } db_val_type;

typedef struct {
    db_val_type type;
    long long i;
    const void *p;
    size_t len;
} db_val;

#define DB_NULL ((db_val){.type = DBV_NULL})
#define DB_INT(x) ((db_val){.type = DBV_INT, .i = (long long)(x)})
#define DB_STR(s) ((db_val){.type = DBV_STR, .p = (s), .len = strlen(s)})
#define DB_STRN(s, n) ((db_val){.type = DBV_STR, .p = (s), .len = (n)})
#define DB_BLOB(b, n) ((db_val){.type = DBV_BLOB, .p = (b), .len = (n)})

typedef struct {
    size_t nrows, ncols;
    char **cells; /* nrows * ncols, NULL for SQL NULL, NUL-terminated */
    size_t *lens; /* byte lengths (binary columns may hold NULs) */
    unsigned long long affected;
    unsigned long long insert_id;
} db_result;

/* Allocates a connection object; connects on first use. NULL when out of memory. A worker's
 * connection: the client waits 30 s for an answer, the server stops a statement after 25 s
 * (max_statement_time), so that no statement runs on with its locks after the client gave
 * up. */
db_conn *db_open(const config *cfg);

/* The same, to the replica of VSOK_DB_REPLICA_* (replica.h). */
db_conn *db_open_replica(const config *cfg);

/* The same for a subcommand (vsokd rebuild-rollups, sweep, send-mail, remind): 300 s and
 * 240 s. */
db_conn *db_open_maintenance(const config *cfg);
void db_close(db_conn *c);

/* Runs one prepared statement. out may be NULL when the caller needs no rows. */
db_status db_exec(db_conn *c, arena *a, const char *sql, const db_val *params, size_t nparams,
                  db_result *out);

/* The number of elements of an array; does not compile for a pointer. */
#define ARRAY_LEN(x)                                                                               \
    (sizeof(x) / sizeof((x)[0]) + 0 * sizeof(struct {                                              \
                                      int array_len_of_a_pointer                                   \
                                          : __builtin_types_compatible_p(__typeof__(x),            \
                                                                         __typeof__(&(x)[0]))      \
                                            ? -1                                                   \
                                            : 1;                                                   \
                                  }))

/* db_exec with the parameter count taken from the array (`db_val v[] = {…}`), so that it is
 * never written by hand: DB_EXEC(rq->db, rq->a, "… WHERE id = ?", v, &r). DB_RUN for a
 * statement without parameters. */
#define DB_EXEC(c, a, sql, params, out) db_exec((c), (a), (sql), (params), ARRAY_LEN(params), (out))
#define DB_RUN(c, a, sql, out) db_exec((c), (a), (sql), NULL, 0, (out))

/* An INSERT: *id is the AUTO_INCREMENT id of the row it added (0 when it failed).
 * DB_INSERT(rq->db, rq->a, "INSERT INTO … VALUES (?, ?)", v, &id). */
db_status db_insert(db_conn *c, arena *a, const char *sql, const db_val *params, size_t nparams,
                    uint64_t *id);
#define DB_INSERT(c, a, sql, params, id)                                                           \
    db_insert((c), (a), (sql), (params), ARRAY_LEN(params), (id))

/* Whether a query finds any row ("SELECT 1 FROM … WHERE …"): *found is 1 or 0 (0 on an
 * error). DB_EXISTS(rq->db, rq->a, "SELECT 1 FROM campaigns WHERE id = ?", v, &found). */
db_status db_exists(db_conn *c, arena *a, const char *sql, const db_val *params, size_t nparams,
                    int *found);
#define DB_EXISTS(c, a, sql, params, found)                                                        \
    db_exists((c), (a), (sql), (params), ARRAY_LEN(params), (found))

/* Cell (row, col) or NULL for SQL NULL. */
const char *db_cell(const db_result *r, size_t row, size_t col);
size_t db_cell_len(const db_result *r, size_t row, size_t col);
/* Cell parsed as an integer; def when NULL or not a number. */
long long db_cell_int(const db_result *r, size_t row, size_t col, long long def);

/* A struct member read from a column: a table of them says once which column fills which
 * member, and db_row_read fills a struct from row `row` of a result. DB_FIELD_ID is a
 * uint64_t (0 for NULL), DB_FIELD_INT an int, DB_FIELD_LONG a long, DB_FIELD_TEXT a const char *
 * (NULL for NULL). static const db_field F[] = {DB_FIELD(C_ID, ID, thing, id), …}. */
typedef enum { DB_FIELD_ID, DB_FIELD_INT, DB_FIELD_LONG, DB_FIELD_TEXT } db_field_kind;
typedef struct {
    size_t col;
    db_field_kind kind;
    size_t offset;
} db_field;
#define DB_FIELD(col, kind, type, member)                                                          \
    {                                                                                              \
        (col), DB_FIELD_##kind, offsetof(type, member)                                             \
    }
void db_row_read(const db_result *r, size_t row, const db_field *fields, size_t n, void *out);
/* Runs a SELECT that finds one row (or none) and reads its first row into *out with fields:
 * *found is 1 when there was a row, 0 otherwise (*out untouched). DB_ROW_LOAD(rq->db, rq->a,
 * "SELECT … WHERE id = ?", p, THING_FIELDS, &thing, &found). */
db_status db_row_load(db_conn *c, arena *a, const char *sql, const db_val *params, size_t nparams,
                      const db_field *fields, size_t nfields, void *out, int *found);
#define DB_ROW_LOAD(c, a, sql, params, fields, out, found)                                         \
    db_row_load((c), (a), (sql), (params), ARRAY_LEN(params), (fields), ARRAY_LEN(fields), (out),  \
                (found))

/* Transactions: s = db_begin(db); … s = db_exec(…) while s == DB_OK …; s = db_end(db, s);
 * db_end commits when s is DB_OK (returning the commit's status) and otherwise rolls back
 * and returns s: the one way a transaction ends. */
db_status db_begin(db_conn *c);
db_status db_end(db_conn *c, db_status s);

/* Runs body in a transaction: begins, calls body(arg), commits when it returns DB_OK and
 * rolls back otherwise. When a statement or the commit failed on a lock conflict (deadlock
 * 1213, lock wait timeout 1205) the whole transaction runs again from the start, at most
 * `tries` times in all; body must therefore read what it changes inside the transaction and
 * have no effect outside the database. Returns the last outcome. */
db_status db_transaction(db_conn *c, int tries, db_status (*body)(void *arg), void *arg);

/* Whether the last failed statement or commit since db_clear_error lost a lock conflict
 * (deadlock 1213, lock wait timeout 1205): its transaction may succeed when run again. */
int db_lost_lock_conflict(const db_conn *c);
void db_clear_error(db_conn *c);
db_status db_commit(db_conn *c);
void db_rollback(db_conn *c);

/* A user's search text as a LIKE pattern: wildcards escaped, wrapped in %…%. NULL when out
 * of memory. */
char *db_like_pattern(arena *a, const char *q);

/* Connects if needed and checks the server answers. */
db_status db_ping(db_conn *c);

#endif
