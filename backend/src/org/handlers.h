/* The route handlers of org/, listed in server/routes.c. */
#ifndef VSOK_ORG_HANDLERS_H
#define VSOK_ORG_HANDLERS_H

#include "http/http.h"

/* units.c */
int handle_units_list(request *rq, response *rs);
int handle_unit_get(request *rq, response *rs);
int handle_unit_children(request *rq, response *rs);
int handle_unit_create(request *rq, response *rs);
int handle_unit_update(request *rq, response *rs);
int handle_unit_move(request *rq, response *rs);

/* users.c */
int handle_users_list(request *rq, response *rs);
int handle_user_get(request *rq, response *rs);

/* users_assign.c */
int handle_assignments_list(request *rq, response *rs);
int handle_assignment_put(request *rq, response *rs);
int handle_assignment_delete(request *rq, response *rs);

/* users_password.c */
int handle_user_password_reset(request *rq, response *rs);
int handle_me_password(request *rq, response *rs);

/* users_write.c */
int handle_user_create(request *rq, response *rs);
int handle_user_update(request *rq, response *rs);

/* password_reset.c */
int handle_password_reset_info(request *rq, response *rs);
int handle_password_reset_request(request *rq, response *rs);
int handle_password_reset_confirm(request *rq, response *rs);

#endif
