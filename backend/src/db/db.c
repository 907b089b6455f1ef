#include "db/db.h"

#include "core/log.h"

#include <errmsg.h>
#include <errno.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>

#define DB_STMT_CACHE 64
#define DB_MAX_PARAMS 32
#define DB_MAX_COLS 64

typedef struct {
    const char *sql; /* statement text; string literals, compared by content */
    MYSQL_STMT *stmt;
} cached_stmt;

struct db_conn {
    const config *cfg;
    unsigned int rw_timeout;     /* seconds the client waits for the server */
    unsigned int statement_time; /* seconds the server lets a statement run (below it) */
    int replica;                 /* connects to VSOK_DB_REPLICA_* instead */
    MYSQL *mysql;
    int in_tx;
    unsigned int last_err; /* the server's error number of the last failed statement, or 0 */
    cached_stmt cache[DB_STMT_CACHE];
    size_t ncached;
};

/* A worker's statements answer a request: the server stops one after 25 s (its locks go
 * with it), before the client would give up at 30 s and leave it running. A subcommand's
 * statements may take longer (the rebuild's chunks are short, but a sweep or a mail run is
 * not bound by a request): 240 s and 300 s. */
db_conn *db_open(const config *cfg)
{
    db_conn *c = calloc(1, sizeof *c);
    if (c) {
        c->cfg = cfg;
        c->rw_timeout = 30;
        c->statement_time = 25;
    }
    return c;
}

db_conn *db_open_maintenance(const config *cfg)
{
    db_conn *c = db_open(cfg);
    if (c) {
        c->rw_timeout = 300;
        c->statement_time = 240;
    }
    return c;
}

db_conn *db_open_replica(const config *cfg)
{
    db_conn *c = db_open(cfg);
    if (c)
        c->replica = 1;
    return c;
}

static void disconnect(db_conn *c)
{
    for (size_t i = 0; i < c->ncached; i++)
        mysql_stmt_close(c->cache[i].stmt);
    c->ncached = 0;
    if (c->mysql)
        mysql_close(c->mysql);
    c->mysql = NULL;
    c->in_tx = 0;
}

void db_close(db_conn *c)
{
    if (!c)
        return;
    disconnect(c);
    free(c);
}

static db_status connect_db(db_conn *c)
{
    if (c->mysql)
        return DB_OK;
    MYSQL *m = mysql_init(NULL);
    if (!m)
        return DB_UNAVAILABLE;
    unsigned int connect_timeout = 2, rw_timeout = c->rw_timeout;
    my_bool off = 0;
    char init[256];
    snprintf(init, sizeof init,
             "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci, time_zone = '+00:00', "
             "SESSION tx_isolation = 'READ-COMMITTED', SESSION max_statement_time = %u",
             c->statement_time);
    mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
    mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
    mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
    mysql_optionsv(m, MYSQL_OPT_RECONNECT, &off);
    mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_optionsv(m, MYSQL_INIT_COMMAND, init);
    const config *cfg = c->cfg;
    const char *host_cfg = c->replica ? cfg->db_replica_host : cfg->db_host;
    const char *host = host_cfg[0] ? host_cfg : NULL;
    const char *sock = host ? NULL : c->replica ? cfg->db_replica_socket : cfg->db_socket;
    int port = c->replica ? cfg->db_replica_port : cfg->db_port;
    if (!mysql_real_connect(m, host, cfg->db_user, cfg->db_password, cfg->db_name, (unsigned)port,
                            sock, 0)) {
        log_error("db: cannot connect%s: %s", c->replica ? " to the replica" : "", mysql_error(m));
        mysql_close(m);
        return DB_UNAVAILABLE;
    }
    c->mysql = m;
    return DB_OK;
}

static int is_connection_error(unsigned int err)
{
    return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST || err == ER_CONNECTION_KILLED ||
           err == CR_CONNECTION_ERROR || err == CR_CONN_HOST_ERROR || err == ER_SERVER_SHUTDOWN ||
           err == CR_COMMANDS_OUT_OF_SYNC;
}

/* The prepared statement for sql; *cached = 0 when the cache is full and the caller must
 * close it after use. */
static MYSQL_STMT *get_stmt(db_conn *c, const char *sql, unsigned int *err, int *cached)
{
    *cached = 1;
    for (size_t i = 0; i < c->ncached; i++)
        if (c->cache[i].sql == sql || strcmp(c->cache[i].sql, sql) == 0)
            return c->cache[i].stmt;
    MYSQL_STMT *st = mysql_stmt_init(c->mysql);
    if (!st) {
        *err = mysql_errno(c->mysql);
        return NULL;
    }
    if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql))) {
        *err = mysql_stmt_errno(st);
        log_error("db: prepare failed (%u %s): %s", *err, mysql_stmt_error(st), sql);
        mysql_stmt_close(st);
        return NULL;
    }
    my_bool on = 1;
    mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
    if (c->ncached < DB_STMT_CACHE) {
        c->cache[c->ncached].sql = sql;
        c->cache[c->ncached].stmt = st;
        c->ncached++;
    } else {
        *cached = 0;
    }
    return st;
}

static void bind_params(MYSQL_BIND *b, const db_val *params, size_t n)
{
    memset(b, 0, n * sizeof *b);
    for (size_t i = 0; i < n; i++) {
        switch (params[i].type) {
        case DBV_NULL:
            b[i].buffer_type = MYSQL_TYPE_NULL;
            break;
        case DBV_INT:
            b[i].buffer_type = MYSQL_TYPE_LONGLONG;
            b[i].buffer = (void *)&params[i].i;
            break;
        case DBV_STR:
            b[i].buffer_type = MYSQL_TYPE_STRING;
            b[i].buffer = (void *)params[i].p;
            b[i].buffer_length = (unsigned long)params[i].len;
            break;
        case DBV_BLOB:
            b[i].buffer_type = MYSQL_TYPE_BLOB;
            b[i].buffer = (void *)params[i].p;
            b[i].buffer_length = (unsigned long)params[i].len;
            break;
        }
    }
}

/* Copies every row of an executed statement with a result set into the arena. */
static int fetch_rows(MYSQL_STMT *st, MYSQL_RES *meta, arena *a, db_result *out)
{
    if (mysql_stmt_store_result(st))
        return -1;
    unsigned int ncols = mysql_num_fields(meta);
    if (ncols > DB_MAX_COLS)
        return -1;
    MYSQL_FIELD *fields = mysql_fetch_fields(meta);
    MYSQL_BIND bind[DB_MAX_COLS];
    unsigned long lengths[DB_MAX_COLS];
    my_bool nulls[DB_MAX_COLS];
    memset(bind, 0, sizeof bind);
    for (unsigned int i = 0; i < ncols; i++) {
        unsigned long cap = fields[i].max_length > 64 ? fields[i].max_length : 64;
        bind[i].buffer_type = MYSQL_TYPE_STRING;
        bind[i].buffer = arena_alloc(a, cap + 1);
        bind[i].buffer_length = cap + 1;
        bind[i].length = &lengths[i];
        bind[i].is_null = &nulls[i];
        if (!bind[i].buffer)
            return -1;
    }
    if (mysql_stmt_bind_result(st, bind))
        return -1;
    size_t nrows = (size_t)mysql_stmt_num_rows(st);
    out->ncols = ncols;
    out->nrows = 0;
    out->cells = arena_alloc(a, (nrows * ncols + 1) * sizeof(char *));
    out->lens = arena_alloc(a, (nrows * ncols + 1) * sizeof(size_t));
    if (!out->cells || !out->lens)
        return -1;
    for (size_t r = 0; r < nrows; r++) {
        int rc = mysql_stmt_fetch(st);
        if (rc == MYSQL_NO_DATA)
            break;
        if (rc == 1)
            return -1;
        for (unsigned int i = 0; i < ncols; i++) {
            size_t k = r * ncols + i;
            if (nulls[i]) {
                out->cells[k] = NULL;
                out->lens[k] = 0;
                continue;
            }
            char *v = arena_alloc(a, lengths[i] + 1);
            if (!v)
                return -1;
            if (lengths[i] < bind[i].buffer_length) {
                memcpy(v, bind[i].buffer, lengths[i]);
            } else {
                MYSQL_BIND col;
                memset(&col, 0, sizeof col);
                col.buffer_type = MYSQL_TYPE_STRING;
                col.buffer = v;
                col.buffer_length = lengths[i] + 1;
                if (mysql_stmt_fetch_column(st, &col, i, 0))
                    return -1;
            }
            v[lengths[i]] = '\0';
            out->cells[k] = v;
            out->lens[k] = lengths[i];
        }
        out->nrows++;
    }
    return 0;
}

static db_status map_error(unsigned int err)
{
    if (err == ER_DUP_ENTRY)
        return DB_DUPLICATE;
    if (is_connection_error(err))
        return DB_UNAVAILABLE;
    return DB_ERROR;
}

static db_status run_stmt(MYSQL_STMT *st, arena *a, const char *sql, const db_val *params,
                          size_t nparams, db_result *out, unsigned int *err)
{
    MYSQL_BIND b[DB_MAX_PARAMS];
    if (nparams > DB_MAX_PARAMS || mysql_stmt_param_count(st) != nparams) {
        log_error("db: statement expects %lu parameters, %zu given: %s", mysql_stmt_param_count(st),
                  nparams, sql);
        return DB_ERROR;
    }
    bind_params(b, params, nparams);
    if ((nparams && mysql_stmt_bind_param(st, b)) || mysql_stmt_execute(st)) {
        *err = mysql_stmt_errno(st);
        if (*err != ER_DUP_ENTRY)
            log_error("db: execute failed (%u %s): %s", *err, mysql_stmt_error(st), sql);
        return map_error(*err);
    }
    db_result local;
    db_result *r = out ? out : &local;
    memset(r, 0, sizeof *r);
    r->affected = mysql_stmt_affected_rows(st);
    r->insert_id = mysql_stmt_insert_id(st);
    MYSQL_RES *meta = mysql_stmt_result_metadata(st);
    if (meta) {
        int rc = fetch_rows(st, meta, a, r);
        mysql_free_result(meta);
        mysql_stmt_free_result(st);
        if (rc) {
            *err = mysql_stmt_errno(st);
            log_error("db: fetch failed (%u %s): %s", *err, mysql_stmt_error(st), sql);
            return *err ? map_error(*err) : DB_ERROR;
        }
    }
    return DB_OK;
}

static db_status exec_once(db_conn *c, arena *a, const char *sql, const db_val *params,
                           size_t nparams, db_result *out, unsigned int *err)
{
    *err = 0;
    int cached;
    MYSQL_STMT *st = get_stmt(c, sql, err, &cached);
    if (!st)
        return map_error(*err);
    db_status s = run_stmt(st, a, sql, params, nparams, out, err);
    if (!cached)
        mysql_stmt_close(st);
    if (*err)
        c->last_err = *err;
    return s;
}

db_status db_exec(db_conn *c, arena *a, const char *sql, const db_val *params, size_t nparams,
                  db_result *out)
{
    int was_connected = c->mysql != NULL;
    if (connect_db(c) != DB_OK)
        return DB_UNAVAILABLE;
    unsigned int err = 0;
    db_status s = exec_once(c, a, sql, params, nparams, out, &err);
    if (s != DB_UNAVAILABLE)
        return s;
    /* The server went away. Outside a transaction one fresh connection and one retry are
     * safe; inside one the transaction is lost and the caller must fail the request. */
    int in_tx = c->in_tx;
    disconnect(c);
    if (in_tx || !was_connected || connect_db(c) != DB_OK)
        return DB_UNAVAILABLE;
    return exec_once(c, a, sql, params, nparams, out, &err);
}

db_status db_exists(db_conn *c, arena *a, const char *sql, const db_val *params, size_t nparams,
                    int *found)
{
    db_result r;
    db_status s = db_exec(c, a, sql, params, nparams, &r);
    *found = s == DB_OK && r.nrows > 0;
    return s;
}

void db_row_read(const db_result *r, size_t row, const db_field *fields, size_t n, void *out)
{
    for (size_t i = 0; i < n; i++) {
        char *at = (char *)out + fields[i].offset;
        size_t col = fields[i].col;
        if (fields[i].kind == DB_FIELD_ID)
            *(uint64_t *)at = (uint64_t)db_cell_int(r, row, col, 0);
        else if (fields[i].kind == DB_FIELD_INT)
            *(int *)at = (int)db_cell_int(r, row, col, 0);
        else if (fields[i].kind == DB_FIELD_LONG)
            *(long *)at = (long)db_cell_int(r, row, col, 0);
        else
            *(const char **)at = db_cell(r, row, col);
    }
}

db_status db_insert(db_conn *c, arena *a, const char *sql, const db_val *params, size_t nparams,
                    uint64_t *id)
{
    db_result r;
    db_status s = db_exec(c, a, sql, params, nparams, &r);
    *id = s == DB_OK ? r.insert_id : 0;
    return s;
}

db_status db_row_load(db_conn *c, arena *a, const char *sql, const db_val *params, size_t nparams,
                      const db_field *fields, size_t nfields, void *out, int *found)
{
    db_result r;
    db_status s = db_exec(c, a, sql, params, nparams, &r);
    *found = s == DB_OK && r.nrows > 0;
    if (*found)
        db_row_read(&r, 0, fields, nfields, out);
    return s;
}

const char *db_cell(const db_result *r, size_t row, size_t col)
{
    if (row >= r->nrows || col >= r->ncols)
        return NULL;
    return r->cells[row * r->ncols + col];
}

size_t db_cell_len(const db_result *r, size_t row, size_t col)
{
    if (row >= r->nrows || col >= r->ncols)
        return 0;
    return r->lens[row * r->ncols + col];
}

long long db_cell_int(const db_result *r, size_t row, size_t col, long long def)
{
    const char *v = db_cell(r, row, col);
    if (!v || !*v)
        return def;
    char *end;
    long long x = strtoll(v, &end, 10);
    return *end ? def : x;
}

db_status db_begin(db_conn *c)
{
    if (connect_db(c) != DB_OK)
        return DB_UNAVAILABLE;
    /* START TRANSACTION, not autocommit off and on again: one round trip per transaction
     * instead of two (COMMIT and ROLLBACK end it, the session stays in autocommit). */
    static const char BEGIN[] = "START TRANSACTION";
    if (mysql_real_query(c->mysql, BEGIN, sizeof BEGIN - 1)) {
        /* A dead connection shows here first: reconnect once, then give up. */
        disconnect(c);
        if (connect_db(c) != DB_OK || mysql_real_query(c->mysql, BEGIN, sizeof BEGIN - 1))
            return DB_UNAVAILABLE;
    }
    c->in_tx = 1;
    return DB_OK;
}

db_status db_commit(db_conn *c)
{
    if (!c->mysql || !c->in_tx)
        return DB_UNAVAILABLE;
    db_status s = DB_OK;
    if (mysql_commit(c->mysql)) {
        log_error("db: commit failed: %s", mysql_error(c->mysql));
        c->last_err = mysql_errno(c->mysql);
        s = map_error(c->last_err);
        if (s == DB_OK)
            s = DB_ERROR;
        if (s == DB_UNAVAILABLE) {
            disconnect(c);
            return s;
        }
        mysql_rollback(c->mysql);
    }
    c->in_tx = 0;
    return s;
}

void db_rollback(db_conn *c)
{
    /* Callers roll back on a failed system call and log its errno after: the client library's
     * socket calls must not change it. */
    int e = errno;
    if (c->mysql && c->in_tx)
        mysql_rollback(c->mysql);
    c->in_tx = 0;
    errno = e;
}

db_status db_end(db_conn *c, db_status s)
{
    if (s == DB_OK)
        return db_commit(c);
    db_rollback(c);
    return s;
}

/* A transaction that lost a deadlock (1213: InnoDB rolled it back) or waited too long for a
 * lock (1205: only the statement was undone) may succeed when run again from the start. */
static int is_lock_conflict(unsigned int err)
{
    return err == ER_LOCK_DEADLOCK || err == ER_LOCK_WAIT_TIMEOUT;
}

int db_lost_lock_conflict(const db_conn *c)
{
    return c && is_lock_conflict(c->last_err);
}

void db_clear_error(db_conn *c)
{
    if (c)
        c->last_err = 0;
}

db_status db_transaction(db_conn *c, int tries, db_status (*body)(void *arg), void *arg)
{
    db_status s = DB_ERROR;
    for (int t = 1; t <= tries; t++) {
        c->last_err = 0;
        s = db_begin(c);
        if (s != DB_OK)
            return s;
        s = body(arg);
        if (s == DB_OK)
            s = db_commit(c);
        else
            db_rollback(c);
        if (s == DB_OK || !is_lock_conflict(c->last_err))
            return s;
        log_info("db: transaction ended by a lock conflict (%u), try %d of %d", c->last_err, t,
                 tries);
    }
    return s;
}

db_status db_ping(db_conn *c)
{
    int was_connected = c->mysql != NULL;
    if (connect_db(c) != DB_OK)
        return DB_UNAVAILABLE;
    if (mysql_ping(c->mysql) == 0)
        return DB_OK;
    disconnect(c);
    if (!was_connected || connect_db(c) != DB_OK)
        return DB_UNAVAILABLE;
    return mysql_ping(c->mysql) == 0 ? DB_OK : DB_UNAVAILABLE;
}

char *db_like_pattern(arena *a, const char *q)
{
    size_t n = strlen(q);
    char *p = arena_alloc(a, 2 * n + 3);
    if (!p)
        return NULL;
    size_t o = 0;
    p[o++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
            p[o++] = '\\';
        p[o++] = q[i];
    }
    p[o++] = '%';
    p[o] = '\0';
    return p;
}
