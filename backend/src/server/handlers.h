/* The route handlers of server/, listed in server/routes.c. */
#ifndef VSOK_SERVER_HANDLERS_H
#define VSOK_SERVER_HANDLERS_H

#include "http/http.h"

/* audit_handlers.c */
http_handler handle_audit_list;

/* health.c */
http_handler handle_health;

#endif
