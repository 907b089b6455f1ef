/* POST /campaigns/{id}/cancel {reason}: a campaign made by mistake is cancelled by those
 * who run it. It is kept with its sheets, hidden from lists, the calendar, reminders and
 * dashboards unless asked for (GET /campaigns?cancelled=1), closed to writes, and audited
 * (docs/api-campaigns.md, "Cancelling a campaign"). */
#include "campaigns/handlers.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "campaigns/campaign_stages.h"
#include "http/form_text.h"

int handle_campaign_cancel(request *rq, response *rs)
{
    campaign_ref c;
    if (campaign_find_or_respond(rq, rs, 0, &c) != 0)
        return rs->status;
    if (!c.can_run)
        return reply_problem(rq, rs, PK_FORBIDDEN,
                             "Отменить кампанию может только тот, кто её проводит.");
    json_t *reason_j = json_is_object(rq->json) ? json_object_get(rq->json, "reason") : NULL;
    const char *reason = json_string_value(reason_j);
    if (!reason || form_is_blank(reason) || form_utf8_length(reason) > 1000) {
        json_t *p = problem_of(PK_VALIDATION, "Напишите, почему кампания отменяется.");
        problem_add_error(p, "reason", "причина: от 1 до 1000 символов");
        return reply_problem_doc(rq, rs, p);
    }
    db_status s = db_begin(rq->db);
    db_result r;
    if (s == DB_OK) {
        db_val v[] = {DB_INT(rq->me->user_id), DB_STR(reason), DB_INT(c.id)};
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE campaigns SET cancelled_at = CURRENT_TIMESTAMP, cancelled_by = ?, "
                    "cancel_reason = ? WHERE id = ? AND cancelled_at IS NULL",
                    v, &r);
    }
    if (s == DB_OK && r.affected == 0) {
        db_rollback(rq->db);
        return reply_problem(rq, rs, PK_ALREADY_CANCELLED, "Кампания уже отменена.");
    }
    if (s == DB_OK)
        s = audit_write(rq, "campaign.cancel", "campaign", c.id, c.org_unit_id,
                        json_pack("{s:[n,s], s:s}", "reason", reason, "title", c.title));
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return campaign_respond(rq, rs, 200, c.id);
}
