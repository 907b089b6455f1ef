/* The route handlers of campaigns/, listed in server/routes.c. */
#ifndef VSOK_CAMPAIGNS_HANDLERS_H
#define VSOK_CAMPAIGNS_HANDLERS_H

#include "http/http.h"

/* calendar.c */
int handle_me_calendar(request *rq, response *rs);
int handle_unit_late(request *rq, response *rs);

/* calendar_feed.c */
int handle_calendar_feed_rotate(request *rq, response *rs);
int handle_calendar_ics(request *rq, response *rs);

/* campaign_cancel.c */
int handle_campaign_cancel(request *rq, response *rs);

/* campaign_participants.c */
int handle_campaign_sample_preview(request *rq, response *rs);
int handle_campaign_participants(request *rq, response *rs);
int handle_campaign_participants_put(request *rq, response *rs);

/* campaigns.c */
int handle_campaigns_list(request *rq, response *rs);
int handle_campaign_get(request *rq, response *rs);
int handle_campaign_create(request *rq, response *rs);

/* stage_handlers.c */
int handle_campaign_template(request *rq, response *rs);
int handle_stage_update(request *rq, response *rs);
int handle_stage_deadline_put(request *rq, response *rs);
int handle_stage_reopen(request *rq, response *rs);

#endif
