/* Which kindergartens take part in a campaign: all of its unit's, or a sample (chosen ids,
 * or drawn by stage_sample.h). Changeable until the first stage opens.
 * docs/api-campaigns.md, "Participation". */
#ifndef VSOK_CAMPAIGN_PARTICIPANTS_H
#define VSOK_CAMPAIGN_PARTICIPANTS_H

#include "http/http.h"

#include <stdint.h>

typedef struct {
    int given;      /* the body named a participation at all */
    int sample;     /* 0: all kindergartens */
    json_t *ids;    /* chosen kindergarten ids, or NULL */
    double percent; /* drawn: 0 < percent <= 100, or 0 */
    uint64_t seed;  /* drawn */
} participation_req;

/* Reads participation, sample_ids, sample_percent, sample_seed from body. Returns 0, or -1
 * with errors added to problem. A drawn sample without a seed gets a random one. */
int participation_read(request *rq, json_t *body, participation_req *out, json_t *problem);

/* Stores the participation of a campaign whose unit has path unit_path (inside the
 * caller's transaction). *bad = 1 with errors added when chosen ids are not active
 * kindergartens of that unit. */
db_status participation_store(request *rq, uint64_t campaign_id, const char *unit_path,
                              const participation_req *req, json_t *problem, int *bad);

/* {mode, sample_percent, sample_seed, count, total}: count of taking part, total
 * kindergartens of the unit. */
db_status participation_json(request *rq, uint64_t campaign_id, const char *unit_path,
                             json_t **out);

#endif
