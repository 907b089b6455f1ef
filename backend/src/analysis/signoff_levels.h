/* Which levels sign a campaign's results, in order (docs/analysis.md, "Sign-off"): the
 * municipality then the region by default, or one of them alone. Set when the campaign is
 * created and changed until its analysis stage opens. */
#ifndef VSOK_SIGNOFF_LEVELS_H
#define VSOK_SIGNOFF_LEVELS_H

#include "http/http.h"

#define SIGNOFF_LEVELS_MAX 2
#define SIGNOFF_LEVELS_DEFAULT "municipality,region"

typedef struct {
    size_t n;
    const char *names[SIGNOFF_LEVELS_MAX]; /* "municipality", "region", bottom up */
} signoff_chain;

/* Parses a stored list ("municipality,region") into c: 0, or -1 when it is not one. */
int signoff_chain_parse(const char *text, signoff_chain *c);

/* The stored text of c ("municipality,region"), in a. */
const char *signoff_chain_text(arena *a, const signoff_chain *c);

/* The index of level in c, or -1 when it does not sign. */
int signoff_chain_index(const signoff_chain *c, const char *level);

/* ["municipality","region"] */
json_t *signoff_chain_json(const signoff_chain *c);

/* Reads body.signoff_levels (a JSON array of level names, bottom up, no repeats) into c;
 * absent: *given = 0 and c the default. Adds an error to p and returns -1 on bad input. */
int signoff_levels_read(json_t *body, signoff_chain *c, int *given, json_t *p);

/* The campaign's chain (the default when none was stored). */
db_status signoff_levels_load(request *rq, uint64_t campaign_id, signoff_chain *c);

/* Stores the campaign's chain (inside the caller's transaction). */
db_status signoff_levels_store(request *rq, uint64_t campaign_id, const signoff_chain *c);

#endif
