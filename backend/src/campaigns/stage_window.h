/* The one place that decides whether a campaign accepts a sheet today: which stage governs
 * it (campaign + instrument + respondent role), whether the kindergarten takes part (all,
 * or the sample), and whether that stage is open for the kindergarten today (its window, or
 * a reopening for that kindergarten). A campaign without stages keeps its own window.
 * docs/api-campaigns.md, "Windows". */
#ifndef VSOK_STAGE_WINDOW_H
#define VSOK_STAGE_WINDOW_H

#include "http/http.h"

#include <stdint.h>

typedef struct {
    int open;          /* accepts writes today for this kindergarten (window and participation) */
    int in_window;     /* today lies in the governing window, or a reopening covers it */
    int in_sample;     /* the kindergarten takes part in the campaign */
    int found;         /* the campaign (and, by kind, the stage) exists */
    uint64_t stage_id; /* 0: no stage governs, the campaign's own window does */
    const char *stage_kind;     /* NULL without a stage */
    const char *stage_title;    /* NULL without a stage */
    const char *opens_on;       /* the governing window, YYYY-MM-DD */
    const char *closes_on;      /* YYYY-MM-DD */
    const char *reopened_until; /* a reopening for the kindergarten covering today, or NULL */
} stage_window;

/* The window's columns (STAGE_WINDOW_NCOLS of them) over `campaigns c LEFT JOIN
 * campaign_stages st`, for the kindergarten K (an SQL expression: a column, or ? — then
 * bound twice). A statement that reads a sheet selects them with it, so that the sheet and
 * its window cost one round trip; stage_window_read fills a stage_window from them. */
#define STAGE_WINDOW_COLUMNS(K)                                                                    \
    "DATE_FORMAT(COALESCE(st.opens_on, c.opens_on), '%Y-%m-%d'), "                                 \
    "DATE_FORMAT(COALESCE(st.closes_on, c.closes_on), '%Y-%m-%d'), "                               \
    "CURRENT_DATE BETWEEN COALESCE(st.opens_on, c.opens_on) AND "                                  \
    "COALESCE(st.closes_on, c.closes_on) AND c.cancelled_at IS NULL, "                             \
    "c.participation = 'all' OR EXISTS (SELECT 1 FROM campaign_participants p WHERE "              \
    "p.campaign_id = c.id AND p.kindergarten_id = " K "), st.id, st.kind, st.title, "              \
    "(SELECT DATE_FORMAT(MAX(r.until_on), '%Y-%m-%d') FROM stage_reopenings r WHERE "              \
    "r.stage_id = st.id AND r.kindergarten_id = " K " AND r.until_on >= CURRENT_DATE)"
#define STAGE_WINDOW_NCOLS 8

/* The condition of the stage join (`LEFT JOIN campaign_stages st ON st.campaign_id = c.id
 * AND` this) that picks the stages governing a sheet of instrument I filled by role R (SQL
 * expressions); the statement ends with `ORDER BY st.position LIMIT 1`: the first governs. */
#define STAGE_WINDOW_SHEET_STAGE(I, R)                                                             \
    "st.instrument_id = " I " AND FIND_IN_SET(" R ", st.respondents)"

/* Fills out from the STAGE_WINDOW_COLUMNS starting at column col of r's first row. */
void stage_window_read(const db_result *r, size_t col, stage_window *out);

/* The window of a sheet of instrument_id filled by respondent_role for kindergarten_id. */
db_status stage_window_for_sheet(request *rq, uint64_t campaign_id, uint64_t instrument_id,
                                 const char *respondent_role, uint64_t kindergarten_id,
                                 stage_window *out);

/* The window of the campaign's stage of this kind (e.g. "parent_survey") for a
 * kindergarten. out->found = 0 when the campaign has no such stage. */
db_status stage_window_for_kind(request *rq, uint64_t campaign_id, const char *stage_kind,
                                uint64_t kindergarten_id, stage_window *out);

/* 1 when the campaign's stage of this kind accepts answers for the kindergarten today, 0
 * when it does not (or there is no such stage), -1 on a database error. For callers outside
 * the sheets (parent survey links); out may be NULL, else it receives the details for a
 * message. */
int stage_open_for(request *rq, uint64_t campaign_id, const char *stage_kind,
                   uint64_t kindergarten_id, stage_window *out);

/* Answers 409 for a closed window: /problems/not-in-sample when the kindergarten does not
 * take part, /problems/stage-closed (with `stage` and the dates) for a stage,
 * /problems/campaign-closed for a campaign's own window. */
int stage_window_refuse(request *rq, response *rs, const stage_window *w);

/* "01.10.2026" from "2026-10-01" (arena string). */
const char *stage_date_ru(arena *a, const char *iso);

#endif
