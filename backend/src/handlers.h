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
void handle_users_list(request *rq, response *rs);
void handle_user_get(request *rq, response *rs);
void handle_user_create(request *rq, response *rs);
void handle_user_update(request *rq, response *rs);
void handle_user_password_reset(request *rq, response *rs);
void handle_me_password(request *rq, response *rs);
void handle_assignments_list(request *rq, response *rs);
void handle_assignment_put(request *rq, response *rs);
void handle_assignment_delete(request *rq, response *rs);

/* import and export (import.c, export.c) */
void handle_import_units(request *rq, response *rs);
void handle_import_users(request *rq, response *rs);
void handle_export_units(request *rq, response *rs);
void handle_export_users(request *rq, response *rs);

/* instruments, campaigns, submissions (instruments_api.c, campaigns.c, submissions.c,
 * submission_save.c, submission_review.c) */
void handle_instruments_list(request *rq, response *rs);
void handle_instrument_get(request *rq, response *rs);
void handle_instrument_upload(request *rq, response *rs);
void handle_instrument_publish(request *rq, response *rs);
void handle_campaigns_list(request *rq, response *rs);
void handle_campaign_get(request *rq, response *rs);
void handle_campaign_create(request *rq, response *rs);
void handle_submissions_list(request *rq, response *rs);
void handle_submission_create(request *rq, response *rs);
void handle_submission_get(request *rq, response *rs);
void handle_submission_save(request *rq, response *rs);
void handle_submission_submit(request *rq, response *rs);
void handle_submission_return(request *rq, response *rs);
void handle_submission_approve(request *rq, response *rs);
void handle_unit_profile(request *rq, response *rs);

/* evidence (tus.c, files_api.c) */
void handle_tus_options(request *rq, response *rs);
void handle_tus_create(request *rq, response *rs);
void handle_tus_head(request *rq, response *rs);
void handle_tus_patch(request *rq, response *rs);
void handle_tus_delete(request *rq, response *rs);
void handle_file_get(request *rq, response *rs);
void handle_submission_evidence(request *rq, response *rs);
void handle_submission_evidence_delete(request *rq, response *rs);

/* audit log (audit_handlers.c) */
void handle_audit_list(request *rq, response *rs);

/* dashboards (dashboard_*.c) and the rollups behind them (rollup_admin.c) */
void handle_dashboard_children(request *rq, response *rs);
void handle_dashboard_breakdown(request *rq, response *rs);
void handle_dashboard_completion(request *rq, response *rs);
void handle_dashboard_parents(request *rq, response *rs);
void handle_rollups_rebuild(request *rq, response *rs);

/* dashboard exports (dashboard_export.c) */
void handle_dashboard_children_xlsx(request *rq, response *rs);
void handle_dashboard_children_csv(request *rq, response *rs);
void handle_dashboard_breakdown_xlsx(request *rq, response *rs);
void handle_dashboard_breakdown_csv(request *rq, response *rs);
void handle_dashboard_completion_xlsx(request *rq, response *rs);
void handle_dashboard_completion_csv(request *rq, response *rs);
void handle_dashboard_parents_xlsx(request *rq, response *rs);
void handle_dashboard_parents_csv(request *rq, response *rs);

#endif
