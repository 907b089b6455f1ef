#include "forms/submission_reply.h"

#include "auth/principal.h"
#include "auth/scope.h"

/* Starts a transaction and loads the sheet locked. Fills rs and returns -1 on failure. */
int submission_begin_locked(request *rq, response *rs, submission_row *sub)
{
    int found = 0;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = submission_find(rq, scope_parse_id(rq->params[0]), 1, sub, &found);
    return reply_tx_lookup(rq, rs, s, found, "Анкета не найдена.");
}

/* A 409 for a missing lock or a closed sheet. */
int submission_conflict(request *rq, response *rs, const submission_row *sub)
{
    if (!sub->campaign_open)
        stage_window_refuse(rq, rs, &sub->window);
    else
        reply_problem(rq, rs, PK_NOT_EDITABLE,
                      "Анкету сейчас изменить нельзя: она отправлена или утверждена.");
    return rs->status;
}
