/* The route table: every endpoint of the API, who may call it, what body it takes and
 * which path parameter must lie within the caller's scope. Described for clients in
 * backend/openapi.yaml; the access rules are in docs/api-org.md. */
#include "analysis/handlers.h"
#include "auth/handlers.h"
#include "campaigns/handlers.h"
#include "dashboards/handlers.h"
#include "evidence/handlers.h"
#include "exchange/handlers.h"
#include "experts/handlers.h"
#include "forms/handlers.h"
#include "notify/handlers.h"
#include "org/handlers.h"
#include "plans/handlers.h"
#include "server/handlers.h"
#include "survey/handlers.h"
#include "http/router.h"

/* Roles that manage org units and users. */
#define MANAGERS                                                                                   \
    (ROLE_BIT(ROLE_ADMINISTRATOR) | ROLE_BIT(ROLE_REGION_COORDINATOR) |                            \
     ROLE_BIT(ROLE_MUNICIPAL_COORDINATOR) | ROLE_BIT(ROLE_DOO_COORDINATOR))
#define PENDING ROUTE_ALLOW_PENDING_PASSWORD
#define ADMIN ROLE_BIT(ROLE_ADMINISTRATOR)
#define EXPERT ROLE_BIT(ROLE_EXPERT)
#define DOO ROLE_BIT(ROLE_DOO_COORDINATOR)
/* Roles that run campaigns. */
#define CAMPAIGN_RUNNERS (ROLE_BIT(ROLE_ADMINISTRATOR) | ROLE_BIT(ROLE_REGION_COORDINATOR))
/* Roles that reopen a stage for one kindergarten. */
#define STAGE_REOPENERS (CAMPAIGN_RUNNERS | ROLE_BIT(ROLE_MUNICIPAL_COORDINATOR))

/* Who signs off results: the municipal and regional coordinators (analysis/). */
#define SIGNERS (ROLE_BIT(ROLE_MUNICIPAL_COORDINATOR) | ROLE_BIT(ROLE_REGION_COORDINATOR))
/* Who writes targeted recommendations, who takes them into a plan, who reads calibration. */
#define SENDERS (ROLE_BIT(ROLE_REGION_COORDINATOR) | ROLE_BIT(ROLE_MUNICIPAL_COORDINATOR))
#define RECEIVERS (ROLE_BIT(ROLE_MUNICIPAL_COORDINATOR) | DOO)
#define CALIBRATION_READERS (SENDERS | ADMIN)

/* Who reads dashboards: everyone but teachers (they see their own sheets). */
#define DASHBOARD_READERS (ROLES_ANY & ~ROLE_BIT(ROLE_TEACHER))
/* Who writes and signs analytic reports and sets targets: coordinators and administrators. */
#define REPORT_ROLES (MANAGERS)
const route ROUTES[] = {
    /* method, path, handler, roles, body, scope, flags */
    {"GET", "/api/v1/health", handle_health, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/auth/login", handle_login, ROUTE_PUBLIC, BODY_JSON, SCOPE_NONE, 0},
    {"POST", "/api/v1/auth/refresh", handle_refresh, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/auth/logout", handle_logout, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/auth/password-reset", handle_password_reset_info, ROUTE_PUBLIC, BODY_NONE,
     SCOPE_NONE, 0},
    {"POST", "/api/v1/auth/password-reset", handle_password_reset_request, ROUTE_PUBLIC, BODY_JSON,
     SCOPE_NONE, 0},
    {"POST", "/api/v1/auth/password-reset/confirm", handle_password_reset_confirm, ROUTE_PUBLIC,
     BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/me", handle_me, ROLES_ANY, BODY_NONE, SCOPE_NONE, PENDING},

    /* org units (units.c) */
    {"GET", "/api/v1/units", handle_units_list, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/units", handle_unit_create, MANAGERS, BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}", handle_unit_get, ROLES_ANY, BODY_NONE, SCOPE_UNIT, 0},
    {"PATCH", "/api/v1/units/{id}", handle_unit_update, MANAGERS, BODY_JSON, SCOPE_UNIT, 0},
    {"GET", "/api/v1/units/{id}/children", handle_unit_children, ROLES_ANY, BODY_NONE, SCOPE_UNIT,
     0},
    {"POST", "/api/v1/units/{id}/move", handle_unit_move, MANAGERS, BODY_JSON, SCOPE_UNIT, 0},

    /* users, passwords, expert assignments (users.c) */
    {"GET", "/api/v1/users", handle_users_list, MANAGERS, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/users", handle_user_create, MANAGERS, BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/users/{id}", handle_user_get, MANAGERS, BODY_NONE, SCOPE_USER, 0},
    {"PATCH", "/api/v1/users/{id}", handle_user_update, MANAGERS, BODY_JSON, SCOPE_USER, 0},
    {"POST", "/api/v1/users/{id}/password", handle_user_password_reset, MANAGERS, BODY_JSON,
     SCOPE_USER, 0},
    {"POST", "/api/v1/me/password", handle_me_password, ROLES_ANY, BODY_JSON, SCOPE_NONE, PENDING},
    /* the bell (notifications_api.c) */
    {"GET", "/api/v1/me/notifications", handle_notifications_list, ROLES_ANY, BODY_NONE, SCOPE_NONE,
     0},
    {"GET", "/api/v1/me/notifications/count", handle_notifications_count, ROLES_ANY, BODY_NONE,
     SCOPE_NONE, 0},
    {"POST", "/api/v1/me/notifications/read", handle_notifications_read, ROLES_ANY, BODY_JSON,
     SCOPE_NONE, 0},
    /* expert assignments: managers but kindergarten coordinators */
    {"GET", "/api/v1/users/{id}/assignments", handle_assignments_list,
     MANAGERS & ~ROLE_BIT(ROLE_DOO_COORDINATOR), BODY_NONE, SCOPE_USER, 0},
    {"PUT", "/api/v1/users/{id}/assignments/{unit_id}", handle_assignment_put,
     MANAGERS & ~ROLE_BIT(ROLE_DOO_COORDINATOR), BODY_NONE, SCOPE_USER, 0},
    {"DELETE", "/api/v1/users/{id}/assignments/{unit_id}", handle_assignment_delete,
     MANAGERS & ~ROLE_BIT(ROLE_DOO_COORDINATOR), BODY_NONE, SCOPE_USER, 0},

    /* expert work (expert_*.c) */
    {"GET", "/api/v1/me/expert-tasks", handle_me_expert_tasks, EXPERT, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/expert-reports", handle_expert_reports_list, ROLES_ANY, BODY_NONE, SCOPE_NONE,
     0},
    {"POST", "/api/v1/expert-reports", handle_expert_report_create, EXPERT, BODY_JSON, SCOPE_NONE,
     0},
    {"GET", "/api/v1/expert-reports/{id}", handle_expert_report_get, ROLES_ANY, BODY_NONE,
     SCOPE_NONE, 0},
    {"PATCH", "/api/v1/expert-reports/{id}", handle_expert_report_update, EXPERT, BODY_JSON,
     SCOPE_NONE, 0},
    {"POST", "/api/v1/expert-reports/{id}/send", handle_expert_report_send, EXPERT, BODY_NONE,
     SCOPE_NONE, 0},
    {"POST", "/api/v1/expert-reports/{id}/comments", handle_expert_report_comment,
     ROLE_BIT(ROLE_DOO_COORDINATOR), BODY_JSON, SCOPE_NONE, 0},
    {"POST", "/api/v1/expert-reports/{id}/finalise", handle_expert_report_finalise, EXPERT,
     BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}/expert-reports", handle_unit_expert_reports, ROLES_ANY, BODY_NONE,
     SCOPE_UNIT, 0},

    /* import and export (import.c, export.c) */
    {"POST", "/api/v1/import/units", handle_import_units, MANAGERS, BODY_CSV, SCOPE_NONE, 0},
    {"POST", "/api/v1/import/users", handle_import_users, MANAGERS, BODY_CSV, SCOPE_NONE, 0},
    {"GET", "/api/v1/export/units.csv", handle_export_units, MANAGERS, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/export/users.csv", handle_export_users, MANAGERS, BODY_NONE, SCOPE_NONE, 0},

    /* instruments, campaigns, submissions */
    {"GET", "/api/v1/instruments", handle_instruments_list, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/instruments", handle_instrument_upload, ADMIN, BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/instruments/{id}", handle_instrument_get, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/instruments/{id}/publish", handle_instrument_publish, ADMIN, BODY_NONE,
     SCOPE_NONE, 0},
    {"GET", "/api/v1/campaigns", handle_campaigns_list, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/campaigns", handle_campaign_create, CAMPAIGN_RUNNERS, BODY_JSON, SCOPE_NONE,
     0},
    /* before /campaigns/{id}, which would take "template" for an id */
    {"GET", "/api/v1/campaigns/template", handle_campaign_template, CAMPAIGN_RUNNERS, BODY_NONE,
     SCOPE_NONE, 0},
    {"GET", "/api/v1/campaigns/{id}", handle_campaign_get, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/campaigns/{id}/cancel", handle_campaign_cancel, CAMPAIGN_RUNNERS, BODY_JSON,
     SCOPE_NONE, 0},
    {"GET", "/api/v1/submissions", handle_submissions_list, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/submissions", handle_submission_create, ROLES_ANY, BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/submissions/{id}", handle_submission_get, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"PATCH", "/api/v1/submissions/{id}", handle_submission_save, ROLES_ANY, BODY_JSON, SCOPE_NONE,
     0},
    {"POST", "/api/v1/submissions/{id}/submit", handle_submission_submit, ROLES_ANY, BODY_JSON,
     SCOPE_NONE, 0},
    {"POST", "/api/v1/submissions/{id}/return", handle_submission_return, MANAGERS, BODY_JSON,
     SCOPE_NONE, 0},
    {"POST", "/api/v1/submissions/{id}/approve", handle_submission_approve, MANAGERS, BODY_JSON,
     SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}/profile", handle_unit_profile, ROLES_ANY, BODY_NONE, SCOPE_UNIT, 0},

    /* campaign stages and calendar (stage_*.c, calendar_*.c) */
    {"POST", "/api/v1/campaigns/sample", handle_campaign_sample_preview, CAMPAIGN_RUNNERS,
     BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/campaigns/{id}/participants", handle_campaign_participants, ROLES_ANY,
     BODY_NONE, SCOPE_NONE, 0},
    {"PUT", "/api/v1/campaigns/{id}/participants", handle_campaign_participants_put,
     CAMPAIGN_RUNNERS, BODY_JSON, SCOPE_NONE, 0},
    {"PATCH", "/api/v1/campaigns/{id}/stages/{stage_id}", handle_stage_update, CAMPAIGN_RUNNERS,
     BODY_JSON, SCOPE_NONE, 0},
    {"PUT", "/api/v1/campaigns/{id}/stages/{stage_id}/deadline", handle_stage_deadline_put,
     ROLE_BIT(ROLE_MUNICIPAL_COORDINATOR), BODY_JSON, SCOPE_NONE, 0},
    {"POST", "/api/v1/campaigns/{id}/stages/{stage_id}/reopen", handle_stage_reopen,
     STAGE_REOPENERS, BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/me/calendar", handle_me_calendar, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/me/calendar-feed", handle_calendar_feed_rotate, ROLES_ANY, BODY_NONE,
     SCOPE_NONE, 0},
    {"GET", "/api/v1/calendar/{feed_token}.ics", handle_calendar_ics, ROUTE_PUBLIC, BODY_NONE,
     SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}/late", handle_unit_late, MANAGERS, BODY_NONE, SCOPE_UNIT, 0},

    /* targeted recommendations (recommend_*.c) and rater calibration (calibration_api.c) */
    {"POST", "/api/v1/units/{id}/recommendations", handle_recommendation_create, SENDERS, BODY_JSON,
     SCOPE_UNIT, 0},
    {"GET", "/api/v1/recommendations", handle_recommendations_list, MANAGERS, BODY_NONE, SCOPE_NONE,
     0},
    {"POST", "/api/v1/recommendations/{id}/plan-task", handle_recommendation_plan_task, RECEIVERS,
     BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}/calibration", handle_unit_calibration, CALIBRATION_READERS,
     BODY_NONE, SCOPE_UNIT, 0},

    /* improvement plans (plans.c) */
    {"GET", "/api/v1/units/{id}/plan", handle_plan_list, ROLES_ANY, BODY_NONE, SCOPE_UNIT, 0},
    {"POST", "/api/v1/units/{id}/plan", handle_plan_create, MANAGERS, BODY_JSON, SCOPE_UNIT, 0},
    {"PATCH", "/api/v1/units/{id}/plan/{task_id}", handle_plan_update, MANAGERS, BODY_JSON,
     SCOPE_UNIT, 0},
    {"GET", "/api/v1/units/{id}/plan.xlsx", handle_plan_xlsx, ROLES_ANY, BODY_NONE, SCOPE_UNIT, 0},
    {"GET", "/api/v1/units/{id}/plan.csv", handle_plan_csv, ROLES_ANY, BODY_NONE, SCOPE_UNIT, 0},

    /* analytic reports and yearly targets (analysis/report_*.c, analysis/target_*.c) */
    {"GET", "/api/v1/reports", handle_reports_list, REPORT_ROLES, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/units/{id}/reports", handle_report_create, REPORT_ROLES, BODY_NONE,
     SCOPE_UNIT, 0},
    {"GET", "/api/v1/reports/{id}", handle_report_get, REPORT_ROLES, BODY_NONE, SCOPE_NONE, 0},
    {"PATCH", "/api/v1/reports/{id}", handle_report_update, REPORT_ROLES, BODY_JSON, SCOPE_NONE, 0},
    {"POST", "/api/v1/reports/{id}/send", handle_report_send, REPORT_ROLES, BODY_NONE, SCOPE_NONE,
     0},
    {"POST", "/api/v1/reports/{id}/publish", handle_report_publish, REPORT_ROLES, BODY_NONE,
     SCOPE_NONE, 0},
    {"POST", "/api/v1/reports/{id}/return", handle_report_return, REPORT_ROLES, BODY_JSON,
     SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}/targets", handle_targets_get, DASHBOARD_READERS, BODY_NONE,
     SCOPE_UNIT, 0},
    {"PUT", "/api/v1/units/{id}/targets", handle_targets_put, REPORT_ROLES, BODY_JSON, SCOPE_UNIT,
     0},

    /* evidence: tus uploads and files (tus.c, files_api.c) */
    {"OPTIONS", "/api/v1/uploads", handle_tus_options, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/uploads", handle_tus_create, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/uploads/{id}", handle_tus_head, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"PATCH", "/api/v1/uploads/{id}", handle_tus_patch, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"DELETE", "/api/v1/uploads/{id}", handle_tus_delete, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/files/{id}", handle_file_get, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/files/{id}/thumb", handle_file_thumb, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/files/{id}/stream", handle_file_stream_sign, ROLES_ANY, BODY_NONE, SCOPE_NONE,
     0},
    /* the signature in the query stands for the token (a <video> element sends none) */
    {"GET", "/api/v1/files/{id}/stream", handle_file_stream, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE,
     0},
    /* children's privacy in evidence (evidence_reads.c, evidence_consent.c,
     * evidence_storage.c): the read log for the kindergarten's coordinator, consents recorded
     * by the kindergarten's coordinator, the storage view for the kindergarten's people */
    {"GET", "/api/v1/files/{id}/reads", handle_file_reads, DOO, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}/consents", handle_unit_consents, ROLES_ANY & ~EXPERT, BODY_NONE,
     SCOPE_UNIT, 0},
    {"PUT", "/api/v1/units/{id}/consent", handle_group_consent_put, DOO, BODY_JSON, SCOPE_UNIT, 0},
    {"PATCH", "/api/v1/units/{id}/privacy", handle_kindergarten_privacy_patch, DOO, BODY_JSON,
     SCOPE_UNIT, 0},
    {"GET", "/api/v1/units/{id}/storage", handle_unit_storage, ROLES_ANY & ~EXPERT, BODY_NONE,
     SCOPE_UNIT, 0},
    {"GET", "/api/v1/submissions/{id}/evidence", handle_submission_evidence, ROLES_ANY, BODY_NONE,
     SCOPE_NONE, 0},
    {"DELETE", "/api/v1/submissions/{id}/evidence/{file_id}", handle_submission_evidence_delete,
     ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"PATCH", "/api/v1/submissions/{id}/evidence/{file_id}", handle_submission_evidence_caption,
     ROLES_ANY, BODY_JSON, SCOPE_NONE, 0},

    /* audit log (audit_handlers.c) */
    {"GET", "/api/v1/audit", handle_audit_list, MANAGERS, BODY_NONE, SCOPE_NONE, 0},
    /* dashboards (dashboard_*.c) and their rollups (rollup_admin.c) */
    /* children checks the scope itself: it also answers for a unit above the scope */
    {"GET", "/api/v1/dashboards/units/{id}/children", handle_dashboard_view, DASHBOARD_READERS,
     BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/dashboards/units/{id}/breakdown", handle_dashboard_view, DASHBOARD_READERS,
     BODY_NONE, SCOPE_UNIT, 0},
    {"GET", "/api/v1/dashboards/units/{id}/completion", handle_dashboard_view, DASHBOARD_READERS,
     BODY_NONE, SCOPE_UNIT, 0},
    {"GET", "/api/v1/dashboards/units/{id}/parents", handle_dashboard_view, DASHBOARD_READERS,
     BODY_NONE, SCOPE_UNIT, 0},
    {"POST", "/api/v1/admin/rollups/rebuild", handle_rollups_rebuild, ADMIN, BODY_NONE, SCOPE_NONE,
     0},
    {"GET", "/api/v1/admin/rollups/rebuild", handle_rollups_rebuild_status, ADMIN, BODY_NONE,
     SCOPE_NONE, 0},

    /* parent survey (survey_*.c): links of the kindergartens under {id}, and the public
     * questionnaire behind a link's token (no login) */
    {"GET", "/api/v1/units/{id}/survey-links", handle_survey_links_list, MANAGERS, BODY_NONE,
     SCOPE_UNIT, 0},
    {"POST", "/api/v1/units/{id}/survey-links", handle_survey_links_create, MANAGERS, BODY_JSON,
     SCOPE_UNIT, 0},
    {"PATCH", "/api/v1/units/{id}/survey-links/{link_id}", handle_survey_link_update, MANAGERS,
     BODY_JSON, SCOPE_UNIT, 0},
    {"GET", "/api/v1/units/{id}/survey-links/{link_id}/qr.svg", handle_survey_link_qr, MANAGERS,
     BODY_NONE, SCOPE_UNIT, 0},
    {"GET", "/api/v1/public/surveys/{token}", handle_public_survey_get, ROUTE_PUBLIC, BODY_NONE,
     SCOPE_NONE, 0},
    {"POST", "/api/v1/public/surveys/{token}/responses", handle_public_survey_answer, ROUTE_PUBLIC,
     BODY_JSON, SCOPE_NONE, 0},

    /* the analysis stage: sign-off of a kindergarten's results and statuses (signoff_api.c,
     * status_api.c) */
    {"GET", "/api/v1/units/{id}/signoff", handle_signoff_get, DASHBOARD_READERS, BODY_NONE,
     SCOPE_UNIT, 0},
    {"POST", "/api/v1/units/{id}/signoff/confirm", handle_signoff_confirm, SIGNERS, BODY_JSON,
     SCOPE_UNIT, 0},
    {"POST", "/api/v1/units/{id}/signoff/return", handle_signoff_return, SIGNERS, BODY_JSON,
     SCOPE_UNIT, 0},
    {"POST", "/api/v1/units/{id}/signoff/resubmit", handle_signoff_resubmit, DOO, BODY_JSON,
     SCOPE_UNIT, 0},
    {"GET", "/api/v1/campaigns/{id}/signoffs", handle_campaign_signoffs, DASHBOARD_READERS,
     BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/campaigns/{id}/signoff-levels", handle_signoff_levels_get, DASHBOARD_READERS,
     BODY_NONE, SCOPE_NONE, 0},
    {"PUT", "/api/v1/campaigns/{id}/signoff-levels", handle_signoff_levels_put, CAMPAIGN_RUNNERS,
     BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/campaigns/{id}/status-bands", handle_status_bands_get, DASHBOARD_READERS,
     BODY_NONE, SCOPE_NONE, 0},
    {"PUT", "/api/v1/campaigns/{id}/status-bands", handle_status_bands_put, CAMPAIGN_RUNNERS,
     BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}/status", handle_unit_status_get, DASHBOARD_READERS, BODY_NONE,
     SCOPE_UNIT, 0},
    {"PUT", "/api/v1/units/{id}/status", handle_unit_status_put, CAMPAIGN_RUNNERS, BODY_JSON,
     SCOPE_UNIT, 0},

    /* dashboard exports (dashboard_export.c) */
    {"GET", "/api/v1/dashboards/units/{id}/children.xlsx", handle_dashboard_export,
     DASHBOARD_READERS, BODY_NONE, SCOPE_UNIT, 0},
    {"GET", "/api/v1/dashboards/units/{id}/children.csv", handle_dashboard_export,
     DASHBOARD_READERS, BODY_NONE, SCOPE_UNIT, 0},
    {"GET", "/api/v1/dashboards/units/{id}/breakdown.xlsx", handle_dashboard_export,
     DASHBOARD_READERS, BODY_NONE, SCOPE_UNIT, 0},
    {"GET", "/api/v1/dashboards/units/{id}/breakdown.csv", handle_dashboard_export,
     DASHBOARD_READERS, BODY_NONE, SCOPE_UNIT, 0},
    {"GET", "/api/v1/dashboards/units/{id}/completion.xlsx", handle_dashboard_export,
     DASHBOARD_READERS, BODY_NONE, SCOPE_UNIT, 0},
    {"GET", "/api/v1/dashboards/units/{id}/completion.csv", handle_dashboard_export,
     DASHBOARD_READERS, BODY_NONE, SCOPE_UNIT, 0},
    {"GET", "/api/v1/dashboards/units/{id}/parents.xlsx", handle_dashboard_export,
     DASHBOARD_READERS, BODY_NONE, SCOPE_UNIT, 0},
    {"GET", "/api/v1/dashboards/units/{id}/parents.csv", handle_dashboard_export, DASHBOARD_READERS,
     BODY_NONE, SCOPE_UNIT, 0},
};

const size_t ROUTES_COUNT = sizeof ROUTES / sizeof ROUTES[0];
