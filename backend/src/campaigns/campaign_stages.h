/* The stages of a campaign (its plan-schedule): reading and checking stage objects from a
 * request, storing them, and the stages as JSON. docs/api-campaigns.md, "Stages". */
#ifndef VSOK_CAMPAIGN_STAGES_H
#define VSOK_CAMPAIGN_STAGES_H

#include "http/http.h"

#include <stdint.h>

#define STAGES_MAX 20

typedef struct {
    uint64_t id; /* 0 for a new stage */
    const char *kind, *title;
    uint64_t instrument_id;  /* 0: a stage without a sheet (a deadline only) */
    const char *respondents; /* comma-separated: roles, or "parent" */
    const char *target_level;
    const char *opens_on, *closes_on;
} stage_spec;

/* Reads one stage object over base (NULL: a new stage; kind then required, the other
 * fields default to the kind's template). field names it in errors ("stages[2]"). Returns 0,
 * or -1 with errors added to problem. */
int stage_spec_read(request *rq, json_t *obj, const char *field, const stage_spec *base,
                    stage_spec *out, json_t *problem);

/* Checks a campaign's whole set of stages: kinds unique, each instrument published and
 * filled by the stage's respondents, no instrument with the same respondent in two stages.
 * fields[i] names specs[i] in errors. *bad = 1 when errors were added. */
db_status stage_specs_check(request *rq, const stage_spec *specs, size_t n,
                            const char *const *fields, json_t *problem, int *bad);

/* Inserts new stages (positions 1..n) and adds their instruments to the campaign. */
db_status stage_specs_insert(request *rq, uint64_t campaign_id, const stage_spec *specs, size_t n);

/* Makes the campaign's own window span its stages (no-op without stages). */
db_status campaign_window_from_stages(request *rq, uint64_t campaign_id);

/* The stages of a campaign, in order, loaded as specs (arena). */
db_status campaign_stage_specs(request *rq, uint64_t campaign_id, stage_spec **out, size_t *n);

/* The stages as JSON: {id, kind, title, position, instrument, respondents[], target_level,
 * opens_on, closes_on, open, deadlines[]}. */
db_status campaign_stages_json(request *rq, uint64_t campaign_id, json_t **out);

/* A campaign as the stage and participation handlers need it. */
typedef struct {
    uint64_t id, org_unit_id;
    const char *unit_path;
    const char *title;
    const char *participation; /* "all" | "sample" */
    int started;               /* today is on or after the first day of its first stage */
    int can_run;               /* the caller runs it: administrator, or the regional
                                  coordinator of its unit or above */
} campaign_ref;

/* Loads campaign id when it is visible to the caller; found = 0 otherwise. */
db_status campaign_find(request *rq, uint64_t id, campaign_ref *out, int *found);

/* campaign_find for the path parameter {id}, answering 404 (not visible), 403 (not a runner
 * when must_run) or 503 itself; returns 0 when the caller may go on. */
int campaign_find_or_respond(request *rq, response *rs, int must_run, campaign_ref *out);

/* Answers with the campaign document (campaigns.c). */
int campaign_respond(request *rq, response *rs, int status, uint64_t id);

/* Respondents as a JSON array from the comma-separated list. */
json_t *stage_respondents_json(const char *list);

#endif
