/* The route handlers of exchange/, listed in server/routes.c. */
#ifndef VSOK_EXCHANGE_HANDLERS_H
#define VSOK_EXCHANGE_HANDLERS_H

#include "http/http.h"

/* export.c */
int handle_export_units(request *rq, response *rs);
int handle_export_users(request *rq, response *rs);

/* import_units.c */
int handle_import_units(request *rq, response *rs);

/* import_users.c */
int handle_import_users(request *rq, response *rs);

#endif
