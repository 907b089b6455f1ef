/* The stored sign-off of kindergartens' results (migration 024): the campaign as the
 * sign-off needs it, the state of one kindergarten or of every kindergarten under a unit,
 * with what makes it ready read from the dashboards' completion rollups and the experts'
 * reports, and the history. Every read filters by the caller's scope in SQL. */
#ifndef VSOK_SIGNOFF_STORE_H
#define VSOK_SIGNOFF_STORE_H

#include "analysis/signoff_state.h"

typedef struct {
    uint64_t id;
    const char *title;
    int year;
    const char *unit_path;     /* the path of the unit that runs it */
    const char *participation; /* all | sample */
    int analysis_open;         /* its final reports stage opened (or, without one, it closed) */
    int started;               /* a sign-off step was taken in it */
    signoff_chain chain;
} signoff_campaign;

/* The campaign, visible to the caller and not cancelled; found = 0 otherwise. */
db_status signoff_campaign_load(request *rq, uint64_t id, signoff_campaign *out, int *found);

/* One kindergarten's row: who it is, its state and what makes it ready. */
typedef struct {
    uint64_t id, municipality_id, region_id;
    const char *name, *municipality;
    signoff_state state;
    const char *comment; /* of the unanswered send-back */
    long approved, open, final_reports;
} signoff_row;

/* The kindergartens taking part in the campaign under path within the caller's scope
 * (kindergarten: one of them, 0 for all), by municipality and name. */
db_status signoff_rows_load(request *rq, const signoff_campaign *c, const char *path,
                            uint64_t kindergarten, signoff_row **rows, size_t *n);

/* Locks (creating it when missing) the kindergarten's sign-off row for a step. */
db_status signoff_lock(request *rq, uint64_t campaign, uint64_t kindergarten);

/* Stores the state after a step and appends the history event (level: the actor's). */
db_status signoff_store(request *rq, uint64_t campaign, const signoff_row *row, const char *level,
                        const char *action, const char *comment);

/* The document of one kindergarten's sign-off (history included when with_history). */
db_status signoff_row_json(request *rq, const signoff_campaign *c, const signoff_row *row,
                           int with_history, json_t **out);

/* The level the caller signs at: municipality, region, kindergarten, or NULL. */
const char *signoff_caller_level(const request *rq);

#endif
