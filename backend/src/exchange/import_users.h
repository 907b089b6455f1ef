/* The plan of a users import (import_users.c), applied by import_users_apply.c. */
#ifndef VSOK_IMPORT_USERS_H
#define VSOK_IMPORT_USERS_H

#include "exchange/import.h"
#include "auth/password.h"
#include "core/strmap.h"

/* Each new user's password is hashed with argon2id (tens of milliseconds), so one file
 * creates at most this many, well within the proxy's timeout. */
#define MAX_NEW_USERS 1000

enum { C_LOGIN, C_FULL_NAME, C_ROLE, C_UNIT_CODE, C_EMAIL, C_PHONE, C_COUNT };

typedef struct {
    uint64_t id;
    org_level level;
    const char *code, *name;
} unit_ref;

typedef struct unit_node {
    unit_ref *unit;
    struct unit_node *next;
} unit_node;

typedef struct usr {
    uint64_t id;                                   /* 0 until created */
    const char *login, *full_name, *email, *phone; /* as stored */
    role role;
    uint64_t unit_id;
    size_t line; /* the row that names this login; 0: none yet */
    const char *new_full_name, *new_email, *new_phone;
    role new_role;
    const unit_ref *new_unit;
    import_action act;
    json_t *item;     /* borrowed from the answer */
    json_t *changes;  /* borrowed from item */
    char *password;   /* new users, when applying: USER_TEMP_PASSWORD_LEN + 1 bytes */
    char *hash;       /* PASSWORD_HASH_MAX bytes */
    struct usr *next; /* the users to create or update, in file order */
} usr;

typedef struct {
    import_plan base;
    strmap by_login, unit_code, unit_name;
    usr *head, **tail;
    long long n_create, n_update;
    int limit_reported;
} user_plan;

/* Makes the new users' temporary passwords, then creates and updates everything planned in
 * one transaction with the audit rows. Returns 0, or -1 with rs filled (nothing changed). */
int import_users_apply(user_plan *p, response *rs);

#endif
