/* Survey links: the row, the open/closed rule, the public address, the browser cookie. */
#include "survey/survey.h"

#include "core/crypto_util.h"
#include "core/text_table.h"

#include <stdio.h>
#include <string.h>

void survey_link_row(const db_result *r, size_t i, survey_link *out)
{
    memset(out, 0, sizeof *out);
    out->id = (uint64_t)db_cell_int(r, i, 0, 0);
    out->token = db_cell(r, i, 1);
    out->campaign_id = (uint64_t)db_cell_int(r, i, 2, 0);
    out->campaign_title = db_cell(r, i, 3);
    out->closes_on = db_cell(r, i, 4);
    out->instrument_id = (uint64_t)db_cell_int(r, i, 5, 0);
    out->instrument_code = db_cell(r, i, 6);
    out->instrument_title = db_cell(r, i, 7);
    out->kindergarten_id = (uint64_t)db_cell_int(r, i, 8, 0);
    out->kindergarten_name = db_cell(r, i, 9);
    out->group_id = (uint64_t)db_cell_int(r, i, 10, 0);
    out->group_name = db_cell(r, i, 11);
    out->cap = db_cell_int(r, i, 12, -1);
    out->responses = db_cell_int(r, i, 13, 0);
    out->children = db_cell_int(r, i, 14, -1);
    out->closed_at = db_cell(r, i, 15);
    out->created_at = db_cell(r, i, 16);
    out->closed_by_hand = (int)db_cell_int(r, i, 17, 0);
    out->campaign_not_started = (int)db_cell_int(r, i, 18, 0);
    out->campaign_ended = (int)db_cell_int(r, i, 19, 0);
}

survey_state survey_link_state(const survey_link *l)
{
    if (l->closed_by_hand)
        return SURVEY_CLOSED;
    if (l->campaign_not_started)
        return SURVEY_NOT_STARTED;
    if (l->campaign_ended)
        return SURVEY_ENDED;
    if (l->cap >= 0 && l->responses >= l->cap)
        return SURVEY_FULL;
    return SURVEY_OPEN;
}

const char *survey_state_name(survey_state s)
{
    static const char *const TEXT[] = {
        [SURVEY_OPEN] = "open",   [SURVEY_CLOSED] = "closed", [SURVEY_NOT_STARTED] = "not_started",
        [SURVEY_ENDED] = "ended", [SURVEY_FULL] = "full",
    };
    return TEXT_OF(TEXT, s, "closed");
}

/* Crockford's base32 alphabet, lower case. */
static const char TOKEN_ALPHABET[] = "0123456789abcdefghjkmnpqrstvwxyz";

/* Whether s holds only ASCII letters, digits and the characters of extra. */
static int only_alnum_and(const char *s, const char *extra)
{
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')) &&
            !strchr(extra, *s))
            return 0;
    return 1;
}

static int token_shaped(const char *t, size_t want)
{
    return t && strlen(t) == want && only_alnum_and(t, "-_");
}

char *survey_token_normalise(arena *a, const char *typed)
{
    if (!typed || strlen(typed) != SURVEY_TOKEN_LEN)
        return NULL;
    char *t = arena_strdup(a, typed);
    if (!t)
        return NULL;
    for (char *p = t; *p; p++) {
        char c = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
        if (c == 'i' || c == 'l')
            c = '1';
        else if (c == 'o')
            c = '0';
        if (!c || !strchr(TOKEN_ALPHABET, c))
            return NULL;
        *p = c;
    }
    return t;
}

db_status survey_link_by_token(request *rq, const char *typed, survey_link *out, int *found)
{
    *found = 0;
    const char *token = survey_token_normalise(rq->a, typed);
    if (!token)
        return DB_OK;
    db_result r;
    db_val p[] = {DB_STR(token)};
    db_status s = DB_EXEC(
        rq->db, rq->a, "SELECT " SURVEY_LINK_COLUMNS SURVEY_LINK_FROM "WHERE l.token = ?", p, &r);
    if (s == DB_OK && r.nrows == 1) {
        survey_link_row(&r, 0, out);
        *found = 1;
    }
    return s;
}

db_status survey_links_under(request *rq, const char *unit_path, uint64_t campaign_id,
                             db_result *links, db_result *rates)
{
    db_val p[] = {DB_STR(unit_path), DB_INT(campaign_id), DB_INT(campaign_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT " SURVEY_LINK_COLUMNS SURVEY_LINK_FROM
                          "WHERE k.path LIKE CONCAT(?, '%') AND (? = 0 OR l.campaign_id = ?) "
                          "AND c.cancelled_at IS NULL ORDER BY l.campaign_id DESC, k.name, k.id, "
                          "l.group_id IS NOT NULL, g.name, l.id",
                          p, links);
    if (s != DB_OK)
        return s;
    return DB_EXEC(rq->db, rq->a,
                   "SELECT l.kindergarten_id, k.name, l.campaign_id, l.instrument_id, "
                   "SUM(l.responses), (SELECT SUM(x.children_enrolled) FROM org_units x WHERE "
                   "x.parent_id = l.kindergarten_id AND x.level = 'group' AND x.active = 1) "
                   "FROM survey_links l JOIN org_units k ON k.id = l.kindergarten_id "
                   "JOIN campaigns c ON c.id = l.campaign_id AND c.cancelled_at IS NULL "
                   "WHERE k.path LIKE CONCAT(?, '%') AND (? = 0 OR l.campaign_id = ?) "
                   "GROUP BY l.kindergarten_id, k.name, l.campaign_id, l.instrument_id "
                   "ORDER BY l.campaign_id DESC, k.name, l.kindergarten_id",
                   p, rates);
}

/* Only host names and ports (letters, digits, '.', '-', ':', '[', ']'): the Host header is
 * the client's, and it ends up in a printed QR code. */
static int host_shaped(const char *h)
{
    return h && *h && strlen(h) <= 255 && only_alnum_and(h, ".-:[]");
}

char *survey_public_url(request *rq, const char *token)
{
    if (rq->cfg->public_url[0])
        return arena_sprintf(rq->a, "%s/s/%s", rq->cfg->public_url, token);
    /* nginx passes $host (without the port) and the port it listens on */
    const char *host = request_param(rq, "HTTP_HOST");
    const char *port = request_param(rq, "SERVER_PORT");
    const char *https = request_param(rq, "HTTPS");
    int tls = https && *https;
    if (!host_shaped(host))
        host = "localhost";
    int default_port = !port || !*port || strspn(port, "0123456789") != strlen(port) ||
                       strcmp(port, tls ? "443" : "80") == 0 || strchr(host, ':');
    return arena_sprintf(rq->a, "%s://%s%s%s/s/%s", tls ? "https" : "http", host,
                         default_port ? "" : ":", default_port ? "" : port, token);
}

json_t *survey_link_json(request *rq, const survey_link *l)
{
    survey_state st = survey_link_state(l);
    json_t *rate =
        l->children > 0 ? json_real((double)l->responses / (double)l->children) : json_null();
    json_t *group = l->group_id ? json_pack("{s:I, s:s}", "id", (json_int_t)l->group_id, "name",
                                            l->group_name ? l->group_name : "")
                                : json_null();
    return json_pack(
        "{s:I, s:s, s:s, s:s, s:{s:I, s:s, s:s}, s:{s:I, s:s, s:s}, s:{s:I, s:s}, s:o, s:o, s:I, "
        "s:o, s:o, s:s, s:b, s:o, s:s}",
        "id", (json_int_t)l->id, "token", l->token, "path", arena_sprintf(rq->a, "/s/%s", l->token),
        "url", survey_public_url(rq, l->token), "campaign", "id", (json_int_t)l->campaign_id,
        "title", l->campaign_title, "closes_on", l->closes_on, "instrument", "id",
        (json_int_t)l->instrument_id, "code", l->instrument_code, "title", l->instrument_title,
        "kindergarten", "id", (json_int_t)l->kindergarten_id, "name", l->kindergarten_name, "group",
        group, "cap", l->cap >= 0 ? json_integer(l->cap) : json_null(), "responses",
        (json_int_t)l->responses, "children_enrolled",
        l->children >= 0 ? json_integer(l->children) : json_null(), "response_rate", rate, "state",
        survey_state_name(st), "open", st == SURVEY_OPEN, "closed_at",
        l->closed_at ? json_string(l->closed_at) : json_null(), "created_at",
        l->created_at ? l->created_at : "");
}

int survey_new_token(char out[SURVEY_TOKEN_LEN + 1])
{
    unsigned char raw[16];
    if (random_bytes(raw, sizeof raw) != 0)
        return -1;
    /* 128 bits, five at a time, most significant first; the last group has 3 bits */
    for (int i = 0; i < SURVEY_TOKEN_LEN; i++) {
        unsigned v = 0;
        for (int b = 0; b < 5; b++) {
            int bit = i * 5 + b;
            v = (v << 1) | (bit < 128 ? (raw[bit / 8] >> (7 - bit % 8)) & 1u : 0u);
        }
        out[i] = TOKEN_ALPHABET[v];
    }
    out[SURVEY_TOKEN_LEN] = '\0';
    return 0;
}

void survey_browser_hash(uint64_t link_id, const char *browser_id, unsigned char out[32])
{
    char buf[32 + SURVEY_COOKIE_LEN + 2];
    int n = snprintf(buf, sizeof buf, "%llu:%s", (unsigned long long)link_id, browser_id);
    sha256(buf, n > 0 ? (size_t)n : 0, out);
}

const char *survey_browser_id(request *rq)
{
    const char *v = uri_cookie_get(rq->a, rq->cookie, SURVEY_COOKIE);
    return token_shaped(v, SURVEY_COOKIE_LEN) ? v : NULL;
}
