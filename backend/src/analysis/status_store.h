/* The stored status bands of a campaign and the statuses given to kindergartens (migration
 * 024), and what the dashboards read of the analysis stage: the statuses of a list of
 * kindergartens and the kindergartens whose results are confirmed. */
#ifndef VSOK_STATUS_STORE_H
#define VSOK_STATUS_STORE_H

#include "analysis/status_bands.h"
#include "core/strmap.h"
#include "http/http.h"

/* The campaign's bands; found = 0 when the region has not defined them. */
db_status status_scale_load(request *rq, uint64_t campaign, status_scale *out, int *found);

db_status status_scale_store(request *rq, uint64_t campaign, const status_scale *s);

/* The statuses given in the campaign to the units of ids (a JSON array text): map "<id>" ->
 * the status's name. */
db_status status_names_load(request *rq, uint64_t campaign, const char *ids, strmap *out);

/* The active kindergartens under path whose results of the campaign are confirmed at the top
 * level of its sign-off (ids and paths, in arrays of a). */
typedef struct {
    size_t n;
    uint64_t *ids;
    const char **paths;
} signoff_confirmed_set;

db_status signoff_confirmed_load(request *rq, uint64_t campaign, const char *path,
                                 signoff_confirmed_set *out);

#endif
