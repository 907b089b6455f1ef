#include "experts/expert_conflict.h"

db_status expert_conflict_assign(request *rq, uint64_t expert_id, uint64_t kindergarten_id,
                                 int *conflict)
{
    db_val v[] = {DB_INT(kindergarten_id), DB_INT(expert_id)};
    return DB_EXISTS(rq->db, rq->a,
                     "SELECT 1 FROM users u JOIN org_units k ON k.id = ? "
                     "JOIN org_units w ON w.id = u.works_at_unit_id OR w.id = u.org_unit_id "
                     "WHERE u.id = ? AND w.path LIKE CONCAT(k.path, '%') LIMIT 1",
                     v, conflict);
}

db_status expert_conflict_workplace(request *rq, uint64_t expert_id, uint64_t works_at,
                                    uint64_t org_unit, int *conflict)
{
    db_val v[] = {works_at ? DB_INT(works_at) : DB_NULL, DB_INT(org_unit), DB_INT(expert_id)};
    return DB_EXISTS(rq->db, rq->a,
                     "SELECT 1 FROM expert_assignments ea "
                     "JOIN org_units k ON k.id = ea.kindergarten_id "
                     "JOIN org_units w ON w.id = ? OR w.id = ? "
                     "WHERE ea.expert_id = ? AND w.path LIKE CONCAT(k.path, '%') LIMIT 1",
                     v, conflict);
}

db_status expert_conflict_group_move(request *rq, uint64_t group_id, uint64_t kindergarten_id,
                                     int *conflict)
{
    db_val v[] = {DB_INT(group_id), DB_INT(kindergarten_id)};
    return DB_EXISTS(rq->db, rq->a,
                     "SELECT 1 FROM users u JOIN expert_assignments ea ON ea.expert_id = u.id "
                     "WHERE u.works_at_unit_id = ? AND ea.kindergarten_id = ? LIMIT 1",
                     v, conflict);
}

int expert_conflict_respond(request *rq, response *rs, const char *field)
{
    json_t *p = problem_of(PK_CONFLICT_OF_INTEREST,
                           "Конфликт интересов: эксперт работает в этом детском саду, "
                           "поэтому не может его оценивать.");
    problem_add_error(p, field,
                      "эксперт работает в этом детском саду (или в его группе): назначьте "
                      "другого эксперта");
    return reply_problem_doc(rq, rs, p);
}
