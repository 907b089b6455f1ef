/* The route handlers of exchange/, listed in server/routes.c. */
#ifndef VSOK_EXCHANGE_HANDLERS_H
#define VSOK_EXCHANGE_HANDLERS_H

#include "http/http.h"

/* export.c */
void handle_export_units(request *rq, response *rs);
void handle_export_users(request *rq, response *rs);

/* import_units.c */
void handle_import_units(request *rq, response *rs);

/* import_users.c */
void handle_import_users(request *rq, response *rs);

#endif
