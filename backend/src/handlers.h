/* Every route handler, listed in routes.c. */
#ifndef VSOK_HANDLERS_H
#define VSOK_HANDLERS_H

#include "http.h"

void handle_health(request *rq, response *rs);
void handle_login(request *rq, response *rs);
void handle_refresh(request *rq, response *rs);
void handle_logout(request *rq, response *rs);
void handle_me(request *rq, response *rs);

/* org units (units.c) */
void handle_units_list(request *rq, response *rs);
void handle_unit_get(request *rq, response *rs);
void handle_unit_children(request *rq, response *rs);
void handle_unit_create(request *rq, response *rs);
void handle_unit_update(request *rq, response *rs);
void handle_unit_move(request *rq, response *rs);

/* users, passwords, expert assignments (users.c) */

/* import and export (import.c, export.c) */
void handle_import_units(request *rq, response *rs);
void handle_import_users(request *rq, response *rs);
void handle_export_units(request *rq, response *rs);
void handle_export_users(request *rq, response *rs);

/* audit log (audit_handlers.c) */
void handle_audit_list(request *rq, response *rs);

#endif
