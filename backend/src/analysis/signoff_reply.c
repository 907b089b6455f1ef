#include "analysis/signoff_reply.h"

int signoff_campaign_or_respond(request *rq, response *rs, uint64_t id, const char *detail,
                                signoff_campaign *c)
{
    int found = 0;
    db_status s = id ? signoff_campaign_load(rq, id, c, &found) : DB_OK;
    if (!id) {
        json_t *p = problem_of(PK_VALIDATION, detail);
        problem_add_error(p, "campaign_id", "укажите кампанию — её id");
        reply_problem_doc(rq, rs, p);
        return -1;
    }
    return reply_lookup(rq, rs, s, found, "Кампания не найдена.");
}
