/* The instrument document: top-level fields, sections and indicators (items are parsed in
 * instrument_item.c, rule checks in instrument_rules.c, the code index in
 * instrument_index.c). */
#include "forms/instrument.h"
#include "forms/instrument_index.h"
#include "forms/instrument_parse.h"

#include <string.h>

static const char *const ROLES[] = {"administrator",
                                    "region_coordinator",
                                    "municipal_coordinator",
                                    "doo_coordinator",
                                    "teacher",
                                    "expert",
                                    "parent",
                                    NULL};
static const char *const TARGETS[] = {
    "region", "municipality", "kindergarten", "group", "teacher", "parent", NULL};

/* The instrument being built: slots are allocated for every array element, so that slot
 * numbers match positions in the document. */
typedef struct {
    inst_ctx c;
    instrument ins;
    inst_section *sections;
    inst_indicator *indicators;
    inst_item *items;
    size_t cap_indicators, cap_items;
} builder;

static size_t bounded_size(const json_t *obj, const char *key, size_t max)
{
    const json_t *arr = json_object_get(obj, key);
    size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
    return n > max ? 0 : n;
}

/* Upper bounds of the numbers of indicators and items the document can yield. */
static void count_nodes(const json_t *sections, size_t *n_indicators, size_t *n_items)
{
    *n_indicators = *n_items = 0;
    size_t i, j;
    const json_t *s, *ind;
    json_array_foreach(sections, i, s)
    {
        size_t n = bounded_size(s, "indicators", INSTRUMENT_MAX_INDICATORS);
        *n_indicators += n;
        const json_t *arr = json_object_get(s, "indicators");
        for (j = 0; j < n; j++) {
            ind = json_array_get(arr, j);
            *n_items += bounded_size(ind, "items", INSTRUMENT_MAX_ITEMS);
        }
    }
}

static int report(inst_ctx *c, const form_path *p, const char *key, const char *msg)
{
    return form_errors_at(c->errs, p, key, "%s", msg) < 0 ? -1 : 1;
}

static int parse_indicator(builder *b, const json_t *node, const form_path *p, size_t section)
{
    inst_indicator *ind = &b->indicators[b->ins.n_indicators];
    size_t self = b->ins.n_indicators++;
    ind->section = section;
    ind->first_item = b->ins.n_items;
    if (!json_is_object(node))
        return report(&b->c, p, NULL, "ожидается объект показателя");
    static const char *const keys[] = {"code", "title", "help", "items", NULL};
    int rc = ip_known_keys(&b->c, node, p, keys);
    rc = ip_worst(rc, ip_code(&b->c, node, p, "code", &ind->code));
    rc = ip_worst(rc, ip_text(&b->c, node, p, "title", 1, INSTRUMENT_MAX_TEXT, &ind->title));
    rc = ip_worst(rc, ip_text(&b->c, node, p, "help", 0, INSTRUMENT_MAX_HELP, &ind->help));
    const json_t *items;
    int ri = ip_array(&b->c, node, p, "items", 1, INSTRUMENT_MAX_ITEMS, &items);
    if (ri != 0 || !items)
        return ip_worst(rc, ri);
    form_path ip = {p, "items", -1};
    size_t k;
    const json_t *v;
    json_array_foreach(items, k, v)
    {
        form_path at = {&ip, NULL, (long)k};
        inst_item *it = &b->items[b->ins.n_items++];
        it->section = section;
        it->indicator = self;
        ri = ip_worst(ri, ip_item(&b->c, v, &at, it));
    }
    ind->n_items = b->ins.n_items - ind->first_item;
    /* Rule checks count item types and levels: only meaningful when every item parsed. */
    if (ri == 0)
        ri = ip_rule_indicator(&b->c, &b->ins, ind, p);
    return ip_worst(rc, ri);
}

static int parse_section(builder *b, const json_t *node, const form_path *p)
{
    inst_section *s = &b->sections[b->ins.n_sections];
    size_t self = b->ins.n_sections++;
    s->first_indicator = b->ins.n_indicators;
    if (!json_is_object(node))
        return report(&b->c, p, NULL, "ожидается объект раздела");
    static const char *const keys[] = {"code", "title", "description", "indicators", NULL};
    int rc = ip_known_keys(&b->c, node, p, keys);
    rc = ip_worst(rc, ip_code(&b->c, node, p, "code", &s->code));
    rc = ip_worst(rc, ip_text(&b->c, node, p, "title", 1, INSTRUMENT_MAX_TEXT, &s->title));
    rc = ip_worst(rc,
                  ip_text(&b->c, node, p, "description", 0, INSTRUMENT_MAX_HELP, &s->description));
    const json_t *inds;
    int ri = ip_array(&b->c, node, p, "indicators", 1, INSTRUMENT_MAX_INDICATORS, &inds);
    rc = ip_worst(rc, ri);
    if (ri == 0 && inds) {
        form_path ip = {p, "indicators", -1};
        size_t j;
        const json_t *v;
        json_array_foreach(inds, j, v)
        {
            form_path at = {&ip, NULL, (long)j};
            rc = ip_worst(rc, parse_indicator(b, v, &at, self));
            if (rc < 0)
                return rc;
        }
    }
    s->n_indicators = b->ins.n_indicators - s->first_indicator;
    return rc;
}

static int parse_sections(builder *b, const json_t *doc)
{
    const json_t *secs;
    int rc = ip_array(&b->c, doc, NULL, "sections", 1, INSTRUMENT_MAX_SECTIONS, &secs);
    if (rc != 0 || !secs)
        return rc;
    count_nodes(secs, &b->cap_indicators, &b->cap_items);
    if (b->cap_items > INSTRUMENT_MAX_TOTAL_ITEMS) {
        int r = form_errors_at(b->c.errs, NULL, "sections",
                               "слишком много пунктов: %zu, допускается не больше %d", b->cap_items,
                               INSTRUMENT_MAX_TOTAL_ITEMS);
        return r < 0 ? -1 : 1;
    }
    b->sections = arena_alloc(b->c.a, json_array_size(secs) * sizeof *b->sections);
    b->indicators = arena_alloc(b->c.a, (b->cap_indicators + 1) * sizeof *b->indicators);
    b->items = arena_alloc(b->c.a, (b->cap_items + 1) * sizeof *b->items);
    if (!b->sections || !b->indicators || !b->items)
        return -1;
    b->ins.sections = b->sections;
    b->ins.indicators = b->indicators;
    b->ins.items = b->items;
    form_path sp = {NULL, "sections", -1};
    size_t i;
    const json_t *v;
    json_array_foreach(secs, i, v)
    {
        form_path at = {&sp, NULL, (long)i};
        rc = ip_worst(rc, parse_section(b, v, &at));
        if (rc < 0)
            return rc;
    }
    return rc;
}

static int parse_head(builder *b, const json_t *doc)
{
    inst_ctx *c = &b->c;
    instrument *ins = &b->ins;
    static const char *const keys[] = {"code",        "version",     "title",
                                       "description", "respondents", "targets",
                                       "scoring",     "sections",    NULL};
    int rc = ip_known_keys(c, doc, NULL, keys);
    rc = ip_worst(rc, ip_code(c, doc, NULL, "code", &ins->code));
    long long version = 0;
    rc = ip_worst(
        rc, ip_int(c, doc, NULL, "version", 1, 1, 1000000, "от 1 до 1000000", &version, NULL));
    ins->version = (int)version;
    rc = ip_worst(rc, ip_text(c, doc, NULL, "title", 1, INSTRUMENT_MAX_TEXT, &ins->title));
    rc = ip_worst(rc,
                  ip_text(c, doc, NULL, "description", 0, INSTRUMENT_MAX_HELP, &ins->description));
    rc = ip_worst(
        rc, ip_words(c, doc, NULL, "respondents", ROLES, &ins->respondents, &ins->n_respondents));
    rc = ip_worst(rc, ip_words(c, doc, NULL, "targets", TARGETS, &ins->targets, &ins->n_targets));
    const json_t *rule = json_object_get(doc, "scoring");
    int r = rule && json_is_string(rule) ? instrument_rule_parse(json_string_value(rule)) : -1;
    if (!rule) {
        rc = ip_worst(rc, report(c, NULL, "scoring", "обязательное поле"));
    } else if (r < 0) {
        rc = ip_worst(rc, report(c, NULL, "scoring",
                                 "ожидается cumulative, ecers, share_positive, mean или none"));
    } else {
        c->rule = ins->scoring = (scoring_rule)r;
        c->rule_known = 1;
    }
    return rc;
}

int instrument_parse(arena *a, const json_t *doc, const instrument **out, form_errors *errs)
{
    *out = NULL;
    builder *b = arena_alloc(a, sizeof *b);
    if (!b)
        return -1;
    b->c.a = a;
    b->c.errs = errs;
    int rc;
    if (!json_is_object(doc)) {
        rc = report(&b->c, NULL, NULL, "ожидается объект инструмента");
    } else {
        rc = parse_head(b, doc);
        if (rc >= 0)
            rc = ip_worst(rc, parse_sections(b, doc));
        if (rc >= 0)
            rc = ip_worst(rc, instrument_index_build(&b->c, &b->ins));
        if (rc == 0)
            rc = ip_rule_instrument(&b->c, &b->ins);
    }
    if (rc < 0 || errs->out_of_memory)
        return -1;
    if (rc > 0 || form_errors_any(errs))
        return 1;
    *out = &b->ins;
    return 0;
}

int instrument_has_respondent(const instrument *ins, const char *role_name)
{
    for (size_t i = 0; i < ins->n_respondents; i++) {
        if (strcmp(ins->respondents[i], role_name) == 0)
            return 1;
    }
    return 0;
}

int instrument_has_target(const instrument *ins, const char *level)
{
    for (size_t i = 0; i < ins->n_targets; i++) {
        if (strcmp(ins->targets[i], level) == 0)
            return 1;
    }
    return 0;
}
