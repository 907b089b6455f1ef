/* The route handlers of auth/, listed in server/routes.c. */
#ifndef VSOK_AUTH_HANDLERS_H
#define VSOK_AUTH_HANDLERS_H

#include "http/http.h"

/* auth_handlers.c */
int handle_login(request *rq, response *rs);
int handle_refresh(request *rq, response *rs);
int handle_logout(request *rq, response *rs);
int handle_me(request *rq, response *rs);

#endif
