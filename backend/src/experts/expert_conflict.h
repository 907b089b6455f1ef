/* The conflict-of-interest rule of expert work: an expert is never assigned to the
 * kindergarten where they work, that is, whose subtree holds their workplace
 * (users.works_at_unit_id: a kindergarten or one of its groups) or their own org unit.
 * Every path that assigns or moves a workplace asks here first; the database refuses the
 * same rows by trigger (migration 011). docs/api-experts.md. */
#ifndef VSOK_EXPERT_CONFLICT_H
#define VSOK_EXPERT_CONFLICT_H

#include "http/http.h"

/* Would assigning expert_id to kindergarten_id be a conflict? *conflict = 1 when it would. */
db_status expert_conflict_assign(request *rq, uint64_t expert_id, uint64_t kindergarten_id,
                                 int *conflict);

/* Would an expert already assigned to kindergartens work at works_at (0: none) or belong to
 * org_unit? *conflict = 1 when one of their assigned kindergartens holds either unit. */
db_status expert_conflict_workplace(request *rq, uint64_t expert_id, uint64_t works_at,
                                    uint64_t org_unit, int *conflict);

/* Would moving group_id into kindergarten_id put the workplace of an expert assigned to that
 * kindergarten in it? *conflict = 1 when it would. */
db_status expert_conflict_group_move(request *rq, uint64_t group_id, uint64_t kindergarten_id,
                                     int *conflict);

/* Answers 409 /problems/conflict-of-interest naming field (e.g. "unit_id"). */
int expert_conflict_respond(request *rq, response *rs, const char *field);

#endif
