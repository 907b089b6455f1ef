/* Users, passwords and expert assignments (docs/api-org.md, "Users"): the pieces the
 * handlers of users.c, users_write.c, users_password.c and users_assign.c share. Which
 * roles a caller may manage and which unit fits a role are decided in scope.c. */
#ifndef VSOK_USERS_H
#define VSOK_USERS_H

#include "http/http.h"
#include "auth/scope.h"
#include "org/user_store.h"

#define USER_LOGIN_MIN 3
#define USER_LOGIN_MAX 64
#define USER_FULL_NAME_MAX 300
#define USER_EMAIL_MAX 254
#define USER_PHONE_MAX 32
#define USER_TEMP_PASSWORD_LEN 12

/* Answers status with the user document of id; extra (reference stolen, may be NULL) is
 * merged into it (e.g. {"temporary_password": …}). */
int user_respond(request *rq, response *rs, int status, uint64_t id, json_t *extra);

/* The fields of a create or edit request, validated. */
typedef struct {
    const char *login;         /* create only */
    const char *full_name;     /* NULL: not given */
    const char *email, *phone; /* NULL: not given or cleared */
    int has_email, has_phone;  /* given (possibly null or "" to clear) */
    role role;                 /* when has_role */
    int has_role;              /* given */
    uint64_t org_unit_id;      /* 0: not given */
    uint64_t works_at_unit_id; /* 0: not given or cleared */
    int has_works_at;          /* given (possibly null to clear) */
    int active;                /* -1: not given */
    const char *password;      /* create only; NULL: make a temporary one */
} user_fields;

/* Reads and checks the body. creating: login, full_name, role and org_unit_id are
 * required and password is allowed; editing (current_login = the stored login): login may
 * only repeat the stored one and password is refused. On failure answers 422 naming every
 * bad field and returns -1. */
int user_fields_read(request *rq, response *rs, user_fields *f, const char *current_login);

/* Checks a new password v against the rule of password_rules.h (length, common passwords,
 * the login, the system's name, trivial runs); adds an error for field to problem and
 * returns -1 when it does not qualify. */
int user_password_check(json_t *problem, const char *field, json_t *v, const char *login);

/* Stores a new password hash for user_id and ends every session of the user: the refresh
 * tokens are revoked and the access tokens issued until now are refused (session_version). */
db_status user_password_store(request *rq, uint64_t user_id, const char *hash, int must_change);

/* 12 characters from an alphabet without look-alikes (0/O, 1/l/I), uniformly from the
 * kernel CSPRNG. out holds USER_TEMP_PASSWORD_LEN + 1 bytes. Returns 0 or -1. */
int user_temp_password(char *out);

/* 403 /problems/forbidden-role: the caller may not manage users of role r. */
int users_forbidden_role(request *rq, response *rs, role r);
/* 404 for a unit outside the caller's scope (or that does not exist). */
int users_unit_not_found(request *rq, response *rs);
/* 422 with one field error. */
int users_invalid(request *rq, response *rs, const char *field, const char *message);

/* The 409 login-taken document for a duplicate login, for reply_tx_end. */
json_t *users_login_taken(void);

/* "teacher" → "воспитатель" (the titles of the CSV import). */
const char *users_role_title(role r);
/* The kind of unit a role needs, in Russian ("детский сад"). */
const char *users_level_wanted(role r);

#endif
