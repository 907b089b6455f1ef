#include "analysis/signoff_levels.h"
#include "auth/principal.h"

#include <string.h>

static const char *const LEVEL_NAMES[] = {"municipality", "region"};

static const char *known(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof LEVEL_NAMES / sizeof LEVEL_NAMES[0]; i++)
        if (strlen(LEVEL_NAMES[i]) == len && memcmp(LEVEL_NAMES[i], s, len) == 0)
            return LEVEL_NAMES[i];
    return NULL;
}

/* A chain is bottom up without repeats: the municipality signs before the region. */
static int add_level(signoff_chain *c, const char *name)
{
    if (!name || c->n >= SIGNOFF_LEVELS_MAX || signoff_chain_index(c, name) >= 0)
        return -1;
    if (c->n && strcmp(name, "municipality") == 0)
        return -1;
    c->names[c->n++] = name;
    return 0;
}

int signoff_chain_parse(const char *text, signoff_chain *c)
{
    memset(c, 0, sizeof *c);
    for (const char *p = text; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (add_level(c, known(p, len)) != 0)
            return -1;
        p = end ? end + 1 : p + len;
    }
    return c->n ? 0 : -1;
}

const char *signoff_chain_text(arena *a, const signoff_chain *c)
{
    return c->n == 2 ? arena_sprintf(a, "%s,%s", c->names[0], c->names[1])
                     : arena_sprintf(a, "%s", c->n ? c->names[0] : "");
}

int signoff_chain_index(const signoff_chain *c, const char *level)
{
    for (size_t i = 0; level && i < c->n; i++)
        if (strcmp(c->names[i], level) == 0)
            return (int)i;
    return -1;
}

json_t *signoff_chain_json(const signoff_chain *c)
{
    json_t *a = json_array();
    for (size_t i = 0; i < c->n; i++)
        json_array_append_new(a, json_string(c->names[i]));
    return a;
}

int signoff_levels_read(json_t *body, signoff_chain *c, int *given, json_t *p)
{
    json_t *v = json_object_get(body, "signoff_levels");
    *given = v != NULL;
    signoff_chain_parse(SIGNOFF_LEVELS_DEFAULT, c);
    if (!v)
        return 0;
    memset(c, 0, sizeof *c);
    int bad = !json_is_array(v) || json_array_size(v) == 0;
    for (size_t i = 0; !bad && i < json_array_size(v); i++) {
        const char *s = json_string_value(json_array_get(v, i));
        bad = !s || add_level(c, known(s, strlen(s))) != 0;
    }
    if (bad)
        problem_add_error(p, "signoff_levels",
                          "уровни подтверждения: [\"municipality\", \"region\"], "
                          "[\"municipality\"] или [\"region\"]");
    return bad ? -1 : 0;
}

db_status signoff_levels_load(request *rq, uint64_t campaign_id, signoff_chain *c)
{
    db_result r;
    db_val p[] = {DB_INT(campaign_id)};
    db_status s =
        DB_EXEC(rq->db, rq->a, "SELECT levels FROM signoff_levels WHERE campaign_id = ?", p, &r);
    if (s != DB_OK)
        return s;
    if (r.nrows == 0 || signoff_chain_parse(db_cell(&r, 0, 0), c) != 0)
        signoff_chain_parse(SIGNOFF_LEVELS_DEFAULT, c);
    return DB_OK;
}

db_status signoff_levels_store(request *rq, uint64_t campaign_id, const signoff_chain *c)
{
    const char *text = signoff_chain_text(rq->a, c);
    if (!text)
        return DB_ERROR;
    db_val v[] = {DB_INT(campaign_id), DB_STR(text), DB_INT(rq->me->user_id)};
    return DB_EXEC(rq->db, rq->a,
                   "INSERT INTO signoff_levels (campaign_id, levels, updated_by) VALUES (?, ?, ?) "
                   "ON DUPLICATE KEY UPDATE levels = VALUES(levels), updated_by = "
                   "VALUES(updated_by)",
                   v, NULL);
}
