/* The route handlers of notify/, listed in server/routes.c. */
#ifndef VSOK_NOTIFY_HANDLERS_H
#define VSOK_NOTIFY_HANDLERS_H

#include "http/http.h"

/* notifications_api.c */
int handle_notifications_list(request *rq, response *rs);
int handle_notifications_count(request *rq, response *rs);
int handle_notifications_read(request *rq, response *rs);

#endif
