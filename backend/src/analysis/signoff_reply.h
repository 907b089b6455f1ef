/* The sign-off and status routes' campaign: loaded, or the 422 / 404 answered. What it
 * reads comes from analysis/signoff_store.h. */
#ifndef VSOK_SIGNOFF_REPLY_H
#define VSOK_SIGNOFF_REPLY_H

#include "http/http.h"
#include "analysis/signoff_store.h"

/* The campaign of a request's campaign_id: 0, or -1 with the answer written (422 with
 * detail when id is 0, 404 when not found). */
int signoff_campaign_or_respond(request *rq, response *rs, uint64_t id, const char *detail,
                                signoff_campaign *c);

#endif
