/* The signed-in user behind a verified access token, read from the database and kept in
 * a small per-worker cache for a few seconds (VSOK_AUTH_CACHE_TTL). The database row, not
 * the token, decides role, organisation and whether the account is still active, so a
 * deactivated account stops working within the cache lifetime. */
#ifndef VSOK_PRINCIPAL_H
#define VSOK_PRINCIPAL_H

#include "core/arena.h"
#include "db/db.h"
#include "core/roles.h"
#include "auth/token_cache.h"

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#define PRINCIPAL_CACHE_SLOTS 64

typedef struct principal {
    uint64_t user_id; /* 0: empty slot */
    time_t loaded;    /* CLOCK_MONOTONIC seconds */
    int active;
    int must_change_password;
    long session_version; /* access tokens of an older version (claim "sv") are refused */
    role role;
    uint64_t org_unit_id;
    char org_level[16];
    char org_path[256];
    char login[72];
    char full_name[1212];
    char org_name[2004];
} principal;

typedef struct principal_cache {
    principal slots[PRINCIPAL_CACHE_SLOTS];
    long ttl;           /* seconds; 0 disables caching */
    token_cache tokens; /* the access tokens verified by this worker */
} principal_cache;

void principal_cache_init(principal_cache *c, long ttl);

/* Drops the cached row of user_id (after this worker changed it). */
void principal_cache_forget(principal_cache *c, uint64_t user_id);

/* Fills *out with the user's row, from the cache when fresh. Returns DB_OK with
 * out->user_id == 0 when the user does not exist. */
db_status principal_load(principal_cache *c, db_conn *db, arena *a, uint64_t user_id,
                         principal **out);

/* The user document of the API ({id, login, full_name, role, must_change_password,
 * org_unit{id,name,level}}). */
json_t *principal_json(const principal *p);

#endif
