/* The route handlers of server/, listed in server/routes.c. */
#ifndef VSOK_SERVER_HANDLERS_H
#define VSOK_SERVER_HANDLERS_H

#include "http/http.h"

/* audit_handlers.c */
int handle_audit_list(request *rq, response *rs);

/* health.c */
int handle_health(request *rq, response *rs);

#endif
