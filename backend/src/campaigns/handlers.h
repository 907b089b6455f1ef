/* The route handlers of campaigns/, listed in server/routes.c. */
#ifndef VSOK_CAMPAIGNS_HANDLERS_H
#define VSOK_CAMPAIGNS_HANDLERS_H

#include "http/http.h"

/* calendar.c */
http_handler handle_me_calendar, handle_unit_late;

/* calendar_feed.c */
http_handler handle_calendar_feed_rotate, handle_calendar_ics;

/* campaign_cancel.c */
http_handler handle_campaign_cancel;

/* campaign_participants.c */
http_handler handle_campaign_sample_preview, handle_campaign_participants,
    handle_campaign_participants_put;

/* campaigns.c */
http_handler handle_campaigns_list, handle_campaign_get, handle_campaign_create;

/* stage_handlers.c */
http_handler handle_campaign_template, handle_stage_update, handle_stage_deadline_put,
    handle_stage_reopen;

#endif
