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

/* expert work (expert_reports.c, expert_tasks.c) */
void handle_me_expert_tasks(request *rq, response *rs);
void handle_expert_reports_list(request *rq, response *rs);
void handle_expert_report_create(request *rq, response *rs);
void handle_expert_report_get(request *rq, response *rs);
void handle_expert_report_update(request *rq, response *rs);
void handle_expert_report_send(request *rq, response *rs);
void handle_expert_report_comment(request *rq, response *rs);
void handle_expert_report_finalise(request *rq, response *rs);
void handle_unit_expert_reports(request *rq, response *rs);

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
void handle_campaign_cancel(request *rq, response *rs);
void handle_password_reset_info(request *rq, response *rs);
void handle_password_reset_request(request *rq, response *rs);
void handle_password_reset_confirm(request *rq, response *rs);
void handle_campaign_create(request *rq, response *rs);
void handle_submissions_list(request *rq, response *rs);
void handle_submission_create(request *rq, response *rs);
void handle_submission_get(request *rq, response *rs);
void handle_submission_save(request *rq, response *rs);
void handle_submission_submit(request *rq, response *rs);
void handle_submission_return(request *rq, response *rs);
void handle_submission_approve(request *rq, response *rs);
void handle_unit_profile(request *rq, response *rs);

/* notifications (notifications_api.c) */
void handle_notifications_list(request *rq, response *rs);
void handle_notifications_count(request *rq, response *rs);
void handle_notifications_read(request *rq, response *rs);

/* campaign stages and calendar (stage_handlers.c, campaign_participants.c, calendar.c,
 * calendar_feed.c) */
void handle_campaign_template(request *rq, response *rs);
void handle_campaign_sample_preview(request *rq, response *rs);
void handle_campaign_participants(request *rq, response *rs);
void handle_campaign_participants_put(request *rq, response *rs);
void handle_stage_update(request *rq, response *rs);
void handle_stage_deadline_put(request *rq, response *rs);
void handle_stage_reopen(request *rq, response *rs);
void handle_me_calendar(request *rq, response *rs);
void handle_unit_late(request *rq, response *rs);
void handle_calendar_feed_rotate(request *rq, response *rs);
void handle_calendar_ics(request *rq, response *rs);

/* improvement plans (plans.c) */
void handle_plan_list(request *rq, response *rs);
void handle_plan_create(request *rq, response *rs);
void handle_plan_update(request *rq, response *rs);
void handle_plan_xlsx(request *rq, response *rs);
void handle_plan_csv(request *rq, response *rs);

/* evidence (tus.c, files_api.c) */
void handle_tus_options(request *rq, response *rs);
void handle_tus_create(request *rq, response *rs);
void handle_tus_head(request *rq, response *rs);
void handle_tus_patch(request *rq, response *rs);
void handle_tus_delete(request *rq, response *rs);
void handle_file_get(request *rq, response *rs);
void handle_submission_evidence(request *rq, response *rs);
void handle_submission_evidence_delete(request *rq, response *rs);
void handle_submission_evidence_caption(request *rq, response *rs);
void handle_file_thumb(request *rq, response *rs);
/* children's privacy: read log (evidence_reads.c), consents (evidence_consent.c), storage
 * (evidence_storage.c) */
void handle_file_reads(request *rq, response *rs);
void handle_unit_consents(request *rq, response *rs);
void handle_group_consent_put(request *rq, response *rs);
void handle_kindergarten_privacy_patch(request *rq, response *rs);
void handle_unit_storage(request *rq, response *rs);
/* signed addresses for video playback (files_stream.c) */
void handle_file_stream_sign(request *rq, response *rs);
void handle_file_stream(request *rq, response *rs);

/* audit log (audit_handlers.c) */
void handle_audit_list(request *rq, response *rs);

/* dashboards (dashboard_*.c) and the rollups behind them (rollup_admin.c) */
void handle_dashboard_children(request *rq, response *rs);
void handle_dashboard_breakdown(request *rq, response *rs);
void handle_dashboard_completion(request *rq, response *rs);
void handle_dashboard_parents(request *rq, response *rs);
void handle_rollups_rebuild(request *rq, response *rs);
/* parent survey (survey_links_api.c, survey_public.c) */
void handle_survey_links_list(request *rq, response *rs);
void handle_survey_links_create(request *rq, response *rs);
void handle_survey_link_update(request *rq, response *rs);
void handle_survey_link_qr(request *rq, response *rs);
void handle_public_survey_get(request *rq, response *rs);
void handle_public_survey_answer(request *rq, response *rs);

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
