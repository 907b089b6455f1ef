/* Users in the database: the one column list of a user (used for the SELECT and for the
 * JSON), the stored row the rules look at, and its read. */
#ifndef VSOK_USER_STORE_H
#define VSOK_USER_STORE_H

#include "auth/scope.h"
#include "http/http.h"

/* The columns of a user, X(index, SQL): aliases u (users), o (their org unit), w (their
 * workplace, docs/api-experts.md). The connection's time zone is UTC, so created_at is
 * written with a Z. */
#define USER_COLUMN_LIST(X)                                                                        \
    X(USR_ID, "u.id")                                                                              \
    X(USR_LOGIN, "u.login")                                                                        \
    X(USR_FULL_NAME, "u.full_name")                                                                \
    X(USR_EMAIL, "u.email")                                                                        \
    X(USR_PHONE, "u.phone")                                                                        \
    X(USR_ROLE, "u.role")                                                                          \
    X(USR_ACTIVE, "u.active")                                                                      \
    X(USR_MUST_CHANGE_PASSWORD, "u.must_change_password")                                          \
    X(USR_UNIT_ID, "o.id")                                                                         \
    X(USR_UNIT_NAME, "o.name")                                                                     \
    X(USR_UNIT_LEVEL, "o.level")                                                                   \
    X(USR_CREATED_AT, "DATE_FORMAT(u.created_at, '%Y-%m-%dT%H:%i:%sZ')")                           \
    X(USR_WORKS_AT_ID, "w.id")                                                                     \
    X(USR_WORKS_AT_NAME, "w.name")

typedef enum {
#define USER_COLUMN_INDEX(index, sql) index,
    USER_COLUMN_LIST(USER_COLUMN_INDEX)
#undef USER_COLUMN_INDEX
        USR_WORKS_AT_LEVEL, /* last: w.level */
    USR_COUNT
} user_column;

#define USER_COLUMN_SQL(index, sql) sql ", "
/* "u.id, u.login, …, w.level": what every user query selects, in user_column order. */
#define USER_COLUMNS USER_COLUMN_LIST(USER_COLUMN_SQL) "w.level"
#define USER_FROM                                                                                  \
    " FROM users u JOIN org_units o ON o.id = u.org_unit_id "                                      \
    "LEFT JOIN org_units w ON w.id = u.works_at_unit_id "

/* The user document of row (USER_COLUMNS). */
json_t *user_json(const db_result *r, size_t row);

/* A stored user as the rules need it. Strings live in the request arena. */
struct user_row {
    uint64_t id;
    const char *login, *full_name, *email, *phone;
    role role;
    int active;
    uint64_t unit_id;
    org_level unit_level;
    uint64_t works_at_id; /* 0: no workplace */
};

/* Loads user id when their org unit is within the caller's scope (the dispatcher's read of
 * a SCOPE_USER route, rq->user). DB_OK with found = 0 when there is no such user in scope. */
db_status user_store_find_in_scope(request *rq, uint64_t id, user_row *out, int *found);

/* Loads user id (no scope check: the dispatcher made it); lock: SELECT … FOR UPDATE.
 * DB_OK with found = 0 when there is no such user. */
db_status user_row_load(request *rq, uint64_t id, int lock, user_row *out, int *found);

/* A new user as stored: NULL texts and works_at_id 0 are SQL NULL; the user must change the
 * password at the first sign-in. */
typedef struct {
    const char *login, *password_hash, *full_name, *email, *phone;
    role role;
    uint64_t unit_id, works_at_id;
    int active;
} user_new;

/* Inserts u (inside the caller's transaction): the new user's id. DB_DUPLICATE for a login
 * that is taken. */
db_status user_store_insert(request *rq, const user_new *u, uint64_t *id);

#endif
