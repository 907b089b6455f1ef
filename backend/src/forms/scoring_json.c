/* The scoring result as JSON for storage. */
#include "forms/scoring.h"

static json_t *real_or_null(int scored, double v)
{
    return scored ? json_real(v) : json_null();
}

/* Sets key to v (stolen); returns 0 or -1 (v is released in any case). */
static int put(json_t *o, const char *key, json_t *v)
{
    return json_object_set_new(o, key, v);
}

static int put_tally(json_t *o, scoring_rule rule, const score_node *n)
{
    static const int columns[4] = {1, 3, 5, 7};
    json_t *arr = json_array();
    if (!arr || put(o, rule == RULE_CUMULATIVE ? "levels" : "columns", arr) != 0)
        return -1;
    for (int i = 0; i < 4; i++) {
        json_t *t =
            rule == RULE_CUMULATIVE
                ? json_pack("{s:i, s:I, s:I}", "level", i + 2, "met", (json_int_t)n->tally[i].met,
                            "applicable", (json_int_t)n->tally[i].applicable)
                : json_pack("{s:i, s:I, s:I}", "column", columns[i], "yes",
                            (json_int_t)n->tally[i].met, "applicable",
                            (json_int_t)n->tally[i].applicable);
        if (json_array_append_new(arr, t) != 0)
            return -1;
    }
    return 0;
}

/* The fields of one node; parts names what n counts ("answers", "indicators", "sections"). */
static int put_node(json_t *o, scoring_rule rule, const score_node *n, int indicator,
                    const char *parts)
{
    int rc = 0;
    switch (rule) {
    case RULE_NONE:
        return 0;
    case RULE_SHARE_POSITIVE:
        rc |= put(o, "positive", json_integer((json_int_t)n->positive));
        rc |= put(o, "counted", json_integer((json_int_t)n->counted));
        rc |= put(o, "share", real_or_null(n->scored, n->mean));
        rc |= put(o, "percent", real_or_null(n->scored, n->score));
        return rc;
    case RULE_CUMULATIVE:
    case RULE_ECERS:
        if (indicator) {
            rc |= put(o, "level", n->scored ? json_integer(n->level) : json_null());
            return rc | put_tally(o, rule, n);
        }
        break;
    default:
        break;
    }
    rc |= put(o, "score", real_or_null(n->scored, n->score));
    rc |= put(o, "mean", real_or_null(n->scored, n->mean));
    rc |= put(o, parts, json_integer((json_int_t)n->n));
    return rc;
}

static json_t *node_list(scoring_rule rule, const score_node *nodes, size_t count,
                         const char *(*code_of)(const instrument *, size_t), const instrument *ins,
                         int indicator, const char *parts)
{
    json_t *arr = json_array();
    if (!arr)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        json_t *o = json_pack("{s:s}", "code", code_of(ins, i));
        if (json_array_append_new(arr, o) != 0 || put_node(o, rule, &nodes[i], indicator, parts)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static const char *section_code(const instrument *ins, size_t i)
{
    return ins->sections[i].code;
}

static const char *indicator_code(const instrument *ins, size_t i)
{
    return ins->indicators[i].code;
}

json_t *scoring_result_json(const score_result *r)
{
    const instrument *ins = r->ins;
    json_t *o = json_pack("{s:s, s:{s:s, s:i}}", "rule", instrument_rule_name(r->rule),
                          "instrument", "code", ins->code, "version", ins->version);
    if (!o)
        return NULL;
    json_t *overall = json_object();
    int rc = put(o, "overall", overall);
    if (rc == 0)
        rc = put_node(overall, r->rule, &r->overall, 0, "sections");
    rc |= put(o, "sections",
              node_list(r->rule, r->sections, ins->n_sections, section_code, ins, 0, "indicators"));
    rc |= put(
        o, "indicators",
        node_list(r->rule, r->indicators, ins->n_indicators, indicator_code, ins, 1, "answers"));
    if (rc != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}
