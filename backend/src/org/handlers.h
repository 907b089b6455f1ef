/* The route handlers of org/, listed in server/routes.c. */
#ifndef VSOK_ORG_HANDLERS_H
#define VSOK_ORG_HANDLERS_H

#include "http/http.h"

/* units.c */
http_handler handle_units_list, handle_unit_get, handle_unit_children, handle_unit_create,
    handle_unit_update, handle_unit_move;

/* users.c */
http_handler handle_users_list, handle_user_get;

/* users_assign.c */
http_handler handle_assignments_list, handle_assignment_put, handle_assignment_delete;

/* users_password.c */
http_handler handle_user_password_reset, handle_me_password;

/* users_write.c */
http_handler handle_user_create, handle_user_update;

/* password_reset.c */
http_handler handle_password_reset_info, handle_password_reset_request,
    handle_password_reset_confirm;

#endif
