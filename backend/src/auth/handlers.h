/* The route handlers of auth/, listed in server/routes.c. */
#ifndef VSOK_AUTH_HANDLERS_H
#define VSOK_AUTH_HANDLERS_H

#include "http/http.h"

/* auth_handlers.c */
http_handler handle_login, handle_refresh, handle_logout, handle_me;

#endif
