/* Every problem vsokd answers with, in one table: the kind a handler names, and the status,
 * type slug ("/problems/<type>") and title of its problem+json document (RFC 9457). A
 * handler answers a problem with `return reply_problem(rq, rs, PK_NOT_FOUND, "detail");`
 * (http.h); the dispatcher renders the document after the handler returned. A problem that
 * lists field errors is built with problem_of(kind, detail) and problem_add_error, then
 * answered with reply_problem_doc. A new kind is one line here. A NULL type is
 * "about:blank"; a NULL title is the status's reason phrase. */
#ifndef VSOK_PROBLEM_H
#define VSOK_PROBLEM_H

#include <jansson.h>

/* X(kind, status, type, title) */
#define PROBLEM_KINDS(X)                                                                           \
    X(PK_BAD_REQUEST, 400, "bad-request", "Bad Request")                                           \
    X(PK_BAD_QUERY, 400, "bad-query", "Bad Request")                                               \
    X(PK_INVALID_JSON, 400, "invalid-json", "Invalid JSON")                                        \
    X(PK_COOKIE_REQUIRED, 400, "cookie-required", "Cookie required")                               \
    X(PK_RESET_LINK_INVALID, 400, "reset-link-invalid", "Invalid link")                            \
    X(PK_UNAUTHORIZED, 401, "unauthorized", "Unauthorized")                                        \
    X(PK_INVALID_CREDENTIALS, 401, "invalid-credentials", "Invalid credentials")                   \
    X(PK_SESSION_EXPIRED, 401, "session-expired", "Session expired")                               \
    X(PK_FORBIDDEN, 403, "forbidden", "Forbidden")                                                 \
    X(PK_FORBIDDEN_ROLE, 403, "forbidden-role", "Forbidden role")                                  \
    X(PK_PASSWORD_CHANGE_REQUIRED, 403, "password-change-required", "Password change required")    \
    X(PK_NOT_FOUND, 404, "not-found", "Not Found")                                                 \
    X(PK_SURVEY_NOT_FOUND, 404, "survey-not-found", "Not Found")                                   \
    X(PK_NO_PREVIEW, 404, "no-preview", "No preview")                                              \
    X(PK_NO_CLEAN_COPY, 404, "no-clean-copy", "Not available")                                     \
    X(PK_NO_MAIL, 404, "no-mail", "Not available")                                                 \
    X(PK_METHOD_NOT_ALLOWED, 405, "method-not-allowed", "Method Not Allowed")                      \
    X(PK_CONFLICT, 409, "conflict", "Conflict")                                                    \
    X(PK_ALREADY_ANSWERED, 409, "already-answered", "Already answered")                            \
    X(PK_ALREADY_CANCELLED, 409, "already-cancelled", "Already cancelled")                         \
    X(PK_CAMPAIGN_CLOSED, 409, "campaign-closed", "Campaign closed")                               \
    X(PK_CODE_TAKEN, 409, "code-taken", "Conflict")                                                \
    X(PK_CONFLICT_OF_INTEREST, 409, "conflict-of-interest", "Conflict of interest")                \
    X(PK_LOGIN_TAKEN, 409, "login-taken", "Conflict")                                              \
    X(PK_NOT_EDITABLE, 409, "not-editable", "Not editable")                                        \
    X(PK_NOT_IN_SAMPLE, 409, "not-in-sample", "Not in the sample")                                 \
    X(PK_NOT_SUBMITTED, 409, "not-submitted", "Not submitted")                                     \
    X(PK_REBUILD_RUNNING, 409, "rebuild-running", "Rebuild running")                               \
    X(PK_REPORT_FINAL, 409, "report-final", "Conflict")                                            \
    X(PK_REPORT_STATUS, 409, "report-status", "Conflict")                                          \
    X(PK_STAGE_CLOSED, 409, "stage-closed", "Stage closed")                                        \
    X(PK_STAGE_STARTED, 409, "stage-started", "Stage started")                                     \
    X(PK_VERSION_CONFLICT, 409, "version-conflict", "Version conflict")                            \
    X(PK_STALE_VERSION, 409, "version-conflict", "Conflict")                                       \
    X(PK_STREAM_EXPIRED, 410, "stream-expired", "Gone")                                            \
    X(PK_SURVEY_CLOSED, 410, "survey-closed", "Survey closed")                                     \
    X(PK_SURVEY_FULL, 410, "survey-full", "Survey full")                                           \
    X(PK_TUS_VERSION, 412, "tus-version", "Precondition Failed")                                   \
    X(PK_PAYLOAD_TOO_LARGE, 413, "payload-too-large", "Content Too Large")                         \
    X(PK_TOO_LARGE, 413, "too-large", NULL)                                                        \
    X(PK_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported-media-type", "Unsupported Media Type")          \
    X(PK_UNSUPPORTED_FILE_TYPE, 415, "unsupported-file-type", NULL)                                \
    X(PK_VALIDATION, 422, "validation", "Validation failed")                                       \
    X(PK_UPLOAD_VALIDATION, 422, "validation", NULL)                                               \
    X(PK_INVALID_ANSWERS, 422, "invalid-answers", "Invalid answers")                               \
    X(PK_INVALID_INSTRUMENT, 422, "invalid-instrument", "Invalid instrument")                      \
    X(PK_NO_CONSENT, 422, "no-consent", "No consent")                                              \
    X(PK_NOT_A_VIDEO, 422, "not-a-video", "Unprocessable Content")                                 \
    X(PK_PLAN_LEVEL, 422, "plan-level", "Unprocessable Content")                                   \
    X(PK_UPLOAD_DB_WAIT, 423, "database-unavailable", NULL)                                        \
    X(PK_RECOMMENDATION_IN_PLAN, 409, "recommendation-in-plan", "Conflict")                        \
    X(PK_RECOMMENDATION_RECEIVER, 422, "recommendation-receiver", "Unprocessable Content")         \
    X(PK_REPORT_LEVEL, 422, "report-level", "Unprocessable Content")                               \
    X(PK_REPORT_EXISTS, 409, "report-exists", "Conflict")                                          \
    X(PK_ANALYSIS_STARTED, 409, "analysis-started", "Conflict")                                    \
    X(PK_SIGNOFF_STATE, 409, "signoff-state", "Conflict")                                          \
    X(PK_TARGET_LEVEL, 422, "target-level", "Unprocessable Content")                               \
    X(PK_TARGET_BELOW_ASSIGNED, 422, "target-below-assigned", "Unprocessable Content")             \
    X(PK_TOO_MANY_ATTEMPTS, 429, "too-many-attempts", "Too many attempts")                         \
    X(PK_INTERNAL, 500, NULL, NULL)                                                                \
    X(PK_DB_UNAVAILABLE, 503, "database-unavailable", "Database unavailable")                      \
    X(PK_UPLOAD_NOT_RECORDED, 503, "upload-not-recorded", NULL)                                    \
    X(PK_INSUFFICIENT_STORAGE, 507, "insufficient-storage", NULL)

typedef enum {
    PK_NONE = 0,
#define PROBLEM_KIND_ENUM(kind, status, type, title) kind,
    PROBLEM_KINDS(PROBLEM_KIND_ENUM)
#undef PROBLEM_KIND_ENUM
        PK_COUNT
} problem_kind;

/* The status of a kind (500 for PK_NONE or out of range). */
int problem_status(problem_kind k);

/* A new problem document of this kind; detail may be NULL. Add field errors with
 * problem_add_error. */
json_t *problem_of(problem_kind k, const char *detail);

#endif
