/* The route handlers of exchange/, listed in server/routes.c. */
#ifndef VSOK_EXCHANGE_HANDLERS_H
#define VSOK_EXCHANGE_HANDLERS_H

#include "http/http.h"

/* export.c */
http_handler handle_export_units, handle_export_users;

/* import_units.c */
http_handler handle_import_units;

/* import_users.c */
http_handler handle_import_users;

#endif
