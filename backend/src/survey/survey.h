/* Parent questionnaire links (НОКДО): the link row as every survey handler loads it, the
 * one rule that says whether a link takes answers, the public address, the QR code and
 * the per-browser cookie. docs/api-survey.md describes the API. */
#ifndef VSOK_SURVEY_H
#define VSOK_SURVEY_H

#include "http/http.h"

#include <stdint.h>

/* Token: 16 random bytes (128 bits) in Crockford's base32, lower case, 26 characters: a
 * parent may have to type it from the printed sheet, so no letter looks like another
 * (no i, l, o, u) and upper case, i, l and o are read as what they look like. */
#define SURVEY_TOKEN_LEN 26
/* The browser cookie: 32 random bytes as base64url, 43 characters. */
#define SURVEY_COOKIE "vsok_survey"
#define SURVEY_COOKIE_LEN 43

typedef enum {
    SURVEY_OPEN = 0,
    SURVEY_CLOSED,      /* closed by a coordinator */
    SURVEY_NOT_STARTED, /* the campaign has not opened yet */
    SURVEY_ENDED,       /* the campaign is over */
    SURVEY_FULL         /* the cap is reached */
} survey_state;

typedef struct {
    uint64_t id;
    const char *token;
    uint64_t campaign_id;
    const char *campaign_title;
    const char *closes_on; /* the campaign's last day, YYYY-MM-DD */
    uint64_t instrument_id;
    const char *instrument_code;
    const char *instrument_title;
    uint64_t kindergarten_id;
    const char *kindergarten_name;
    uint64_t group_id; /* 0: the kindergarten's own link */
    const char *group_name;
    long long cap; /* -1: no cap */
    long long responses;
    long long children; /* enrolled children the link reaches; -1: not entered */
    const char *closed_at;
    const char *created_at;
    int closed_by_hand, campaign_not_started, campaign_ended;
} survey_link;

/* Columns of a link (alias l with k = kindergarten, g = group, c = campaign, i =
 * instrument), read by survey_link_row. */
#define SURVEY_LINK_COLUMNS                                                                        \
    "l.id, l.token, l.campaign_id, c.title, DATE_FORMAT(COALESCE(ps.closes_on, c.closes_on), "     \
    "'%Y-%m-%d'), "                                                                                \
    "l.instrument_id, i.code, i.title, l.kindergarten_id, k.name, l.group_id, g.name, l.cap, "     \
    "l.responses, "                                                                                \
    "IF(l.group_id IS NULL, (SELECT SUM(x.children_enrolled) FROM org_units x WHERE "              \
    "x.parent_id = l.kindergarten_id AND x.level = 'group' AND x.active = 1), "                    \
    "g.children_enrolled), "                                                                       \
    "DATE_FORMAT(l.closed_at, '%Y-%m-%dT%H:%i:%sZ'), DATE_FORMAT(l.created_at, "                   \
    "'%Y-%m-%dT%H:%i:%sZ'), l.closed_at IS NOT NULL, "                                             \
    "CURRENT_DATE < COALESCE(ps.opens_on, c.opens_on), "                                           \
    "c.cancelled_at IS NOT NULL OR CURRENT_DATE > GREATEST(COALESCE(ps.closes_on, c.closes_on), "  \
    "COALESCE((SELECT "                                                                            \
    "MAX(ro.until_on) FROM stage_reopenings ro WHERE ro.stage_id = ps.id AND "                     \
    "ro.kindergarten_id = l.kindergarten_id), '1000-01-01'))"
/* With stages, the campaign's stage of the parent questionnaire (ps) gives the dates, and a
 * reopening of it for the kindergarten extends them; without, the campaign's own window. */
#define SURVEY_LINK_FROM                                                                           \
    " FROM survey_links l JOIN org_units k ON k.id = l.kindergarten_id LEFT JOIN org_units g "     \
    "ON g.id = l.group_id JOIN campaigns c ON c.id = l.campaign_id JOIN instruments i ON "         \
    "i.id = l.instrument_id LEFT JOIN campaign_stages ps ON ps.campaign_id = l.campaign_id AND "   \
    "ps.kind = 'parent_survey' "

void survey_link_row(const db_result *r, size_t row, survey_link *out);

/* Whether the link takes answers now: the one place that decides it. A link is open while
 * the stage of the parent questionnaire is (or, for a campaign without stages, the
 * campaign: opens_on..closes_on; see SURVEY_LINK_FROM), it is not closed by hand and its cap
 * is not reached. Closing the stage closes the links. */
survey_state survey_link_state(const survey_link *l);
const char *survey_state_name(survey_state s);

/* The links of the kindergartens under unit_path (campaign_id 0: of every campaign; not
 * of cancelled campaigns), read by survey_link_row, and in rates one row per kindergarten,
 * campaign and instrument: id, name, campaign, instrument, its answers and the children
 * enrolled in its groups (NULL when not entered). */
db_status survey_links_under(request *rq, const char *unit_path, uint64_t campaign_id,
                             db_result *links, db_result *rates);

/* Loads a link by its public token (found = 0 when there is none). */
db_status survey_link_by_token(request *rq, const char *token, survey_link *out, int *found);

/* "https://host/s/<token>" in the arena: VSOK_PUBLIC_URL, else the request's own scheme and
 * host. NULL when out of memory. */
char *survey_public_url(request *rq, const char *token);

/* The link as the coordinator API shows it. */
json_t *survey_link_json(request *rq, const survey_link *l);

/* A new random token (SURVEY_TOKEN_LEN + 1 bytes). Returns 0 or -1. */
int survey_new_token(char out[SURVEY_TOKEN_LEN + 1]);

/* The token as typed, in its stored form (lower case; i and l read as 1, o as 0), copied
 * into the arena; NULL when it is not SURVEY_TOKEN_LEN characters of the alphabet. */
char *survey_token_normalise(arena *a, const char *typed);

/* SVG of a QR code of text (error correction M, 4 modules of quiet zone), in the arena;
 * NULL when text cannot be encoded or out of memory. Pure: no I/O. */
char *survey_qr_svg(arena *a, const char *text, size_t *len);

/* The stored form of a browser id for one link: SHA-256 of "<link id>:<browser id>". */
void survey_browser_hash(uint64_t link_id, const char *browser_id, unsigned char out[32]);

/* The browser id of the request's cookie, or NULL when it has none or a malformed one. */
const char *survey_browser_id(request *rq);

#endif
