/* The route handlers of notify/, listed in server/routes.c. */
#ifndef VSOK_NOTIFY_HANDLERS_H
#define VSOK_NOTIFY_HANDLERS_H

#include "http/http.h"

/* notifications_api.c */
http_handler handle_notifications_list, handle_notifications_count, handle_notifications_read;

#endif
