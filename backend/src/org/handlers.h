/* The route handlers of org/, listed in server/routes.c. */
#ifndef VSOK_ORG_HANDLERS_H
#define VSOK_ORG_HANDLERS_H

#include "http/http.h"

/* units.c */
void handle_units_list(request *rq, response *rs);
void handle_unit_get(request *rq, response *rs);
void handle_unit_children(request *rq, response *rs);
void handle_unit_create(request *rq, response *rs);
void handle_unit_update(request *rq, response *rs);
void handle_unit_move(request *rq, response *rs);

/* users.c */
void handle_users_list(request *rq, response *rs);
void handle_user_get(request *rq, response *rs);

/* users_assign.c */
void handle_assignments_list(request *rq, response *rs);
void handle_assignment_put(request *rq, response *rs);
void handle_assignment_delete(request *rq, response *rs);

/* users_password.c */
void handle_user_password_reset(request *rq, response *rs);
void handle_me_password(request *rq, response *rs);

/* users_write.c */
void handle_user_create(request *rq, response *rs);
void handle_user_update(request *rq, response *rs);

/* password_reset.c */
void handle_password_reset_info(request *rq, response *rs);
void handle_password_reset_request(request *rq, response *rs);
void handle_password_reset_confirm(request *rq, response *rs);

#endif
