/* What an instrument asks for beside the scored answers of an indicator: photos or videos
 * (an item of type evidence) and a justification (a text or longtext item whose code ends
 * in ".comment"), docs/instruments.md. A submission refused for a missing required one names
 * the indicators in the problem's detail and in missing_evidence / missing_justification. */
#ifndef VSOK_SUBMISSION_ASKS_H
#define VSOK_SUBMISSION_ASKS_H

#include "db/db.h"
#include "http/form_errors.h"
#include "forms/instrument.h"

#include <jansson.h>

/* Whether the item is an indicator's justification text. */
int submission_item_is_justification(const inst_item *it);

/* Adds "missing_evidence" and "missing_justification" (indicator codes, each once, in
 * document order) to the 422 problem for the errors that fall on such items, and appends
 * their names to the detail. Returns 0, or -1 when out of memory. */
int submission_asks_explain(arena *a, const instrument *ins, const form_errors *errs,
                            json_t *problem);

/* The photos and videos attached to the sheet's indicators (evidence_links) answer their
 * evidence items on submit: each evidence item without an answer gets the id of one linked
 * file, so that a required photo slot counts as answered once a file is attached. answers
 * must be an object the caller owns. */
db_status submission_asks_linked(db_conn *db, arena *a, const instrument *ins, long long sub_id,
                                 json_t *answers);

#endif
