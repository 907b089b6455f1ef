/* One item of an instrument: the fields common to every type, then the type's own. */
#include "http/form_text.h"
#include "forms/instrument_parse.h"

#include <math.h>
#include <string.h>

static int report(inst_ctx *c, const form_path *p, const char *key, const char *msg)
{
    return form_errors_at(c->errs, p, key, "%s", msg) < 0 ? -1 : 1;
}

/* The keys each type accepts besides code, type, text, help, required, na_allowed. */
static const char *const *type_keys(item_type t)
{
    static const char *const check[] = {"level", NULL};
    static const char *const ecers[] = {"column", NULL};
    static const char *const single[] = {"options", NULL};
    static const char *const multi[] = {"options", "min_choices", "max_choices", NULL};
    static const char *const likert[] = {"labels", NULL};
    static const char *const number[] = {"min", "max", "integer", "unit", NULL};
    static const char *const text[] = {"max_length", NULL};
    static const char *const evidence[] = {"max_files", "accept", NULL};
    static const char *const none[] = {NULL};
    switch (t) {
    case ITEM_CHECK:
        return check;
    case ITEM_ECERS:
        return ecers;
    case ITEM_SINGLE:
        return single;
    case ITEM_MULTI:
        return multi;
    case ITEM_LIKERT5:
        return likert;
    case ITEM_NUMBER:
        return number;
    case ITEM_TEXT:
    case ITEM_LONGTEXT:
        return text;
    case ITEM_EVIDENCE:
        return evidence;
    default:
        return none;
    }
}

static int known_keys(inst_ctx *c, const json_t *node, const form_path *p, item_type t)
{
    static const char *const common[] = {"code", "type", "text", "help", "required", "na_allowed"};
    const char *allowed[16];
    size_t n = 0;
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        allowed[n++] = common[i];
    for (const char *const *k = type_keys(t); *k; k++)
        allowed[n++] = *k;
    allowed[n] = NULL;
    return ip_known_keys(c, node, p, allowed);
}

static int parse_options(inst_ctx *c, const json_t *node, const form_path *p, inst_item *it)
{
    const json_t *arr;
    int rc = ip_array(c, node, p, "options", 1, INSTRUMENT_MAX_OPTIONS, &arr);
    if (rc != 0)
        return rc;
    form_path here = {p, "options", -1};
    if (it->type == ITEM_SINGLE && json_array_size(arr) < 2)
        return report(c, p, "options", "у выбора одного варианта нужно не меньше двух вариантов");
    inst_option *opts = arena_alloc(c->a, json_array_size(arr) * sizeof *opts);
    if (!opts)
        return -1;
    static const char *const single_keys[] = {"code", "text", "score", NULL};
    static const char *const multi_keys[] = {"code", "text", NULL};
    size_t i, n = 0;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        form_path at = {&here, NULL, (long)i};
        if (!json_is_object(v)) {
            rc = ip_worst(rc, report(c, &at, NULL, "ожидается объект {\"code\", \"text\"}"));
            continue;
        }
        inst_option *o = &opts[n];
        int r = ip_known_keys(c, v, &at, it->type == ITEM_SINGLE ? single_keys : multi_keys);
        int rcode = ip_code(c, v, &at, "code", &o->code);
        r = ip_worst(r, rcode);
        r = ip_worst(r, ip_text(c, v, &at, "text", 1, INSTRUMENT_MAX_TEXT, &o->text));
        r = ip_worst(r, ip_number(c, v, &at, "score", &o->score, &o->has_score));
        if (rcode == 0 && strcmp(o->code, "na") == 0)
            r = ip_worst(
                r, report(c, &at, "code", "код «na» зарезервирован за ответом «не применимо»"));
        for (size_t j = 0; rcode == 0 && j < n; j++) {
            if (opts[j].code && strcmp(opts[j].code, o->code) == 0) {
                r = ip_worst(r, report(c, &at, "code", "код варианта повторяется"));
                break;
            }
        }
        rc = ip_worst(rc, r);
        n++;
    }
    it->options = opts;
    it->n_options = n;
    return rc;
}

static int parse_choices(inst_ctx *c, const json_t *node, const form_path *p, inst_item *it)
{
    long long lo = 0, hi = (long long)it->n_options;
    int given_lo = 0, given_hi = 0;
    int rc = ip_int(c, node, p, "min_choices", 0, 0, INSTRUMENT_MAX_OPTIONS,
                    "от 0 до числа вариантов", &lo, &given_lo);
    rc = ip_worst(rc, ip_int(c, node, p, "max_choices", 0, 1, INSTRUMENT_MAX_OPTIONS,
                             "от 1 до числа вариантов", &hi, &given_hi));
    if (rc != 0)
        return rc;
    if (given_lo && lo > (long long)it->n_options)
        return report(c, p, "min_choices", "больше числа вариантов");
    if (given_hi && hi > (long long)it->n_options)
        return report(c, p, "max_choices", "больше числа вариантов");
    if (lo > hi)
        return report(c, p, "min_choices", "больше max_choices");
    it->min_choices = (size_t)lo;
    it->max_choices = (size_t)hi;
    return 0;
}

static int parse_number(inst_ctx *c, const json_t *node, const form_path *p, inst_item *it)
{
    int rc = ip_number(c, node, p, "min", &it->min, &it->has_min);
    rc = ip_worst(rc, ip_number(c, node, p, "max", &it->max, &it->has_max));
    rc = ip_worst(rc, ip_bool(c, node, p, "integer", &it->integer, NULL));
    rc = ip_worst(rc, ip_text(c, node, p, "unit", 0, INSTRUMENT_MAX_TEXT, &it->unit));
    if (rc != 0)
        return rc;
    if (it->integer && it->has_min && it->min != floor(it->min))
        rc = ip_worst(rc, report(c, p, "min", "для целого числа границы должны быть целыми"));
    if (it->integer && it->has_max && it->max != floor(it->max))
        rc = ip_worst(rc, report(c, p, "max", "для целого числа границы должны быть целыми"));
    if (rc == 0 && it->has_min && it->has_max && it->min > it->max)
        rc = report(c, p, "min", "min больше max");
    return rc;
}

static int parse_labels(inst_ctx *c, const json_t *node, const form_path *p, inst_item *it)
{
    const json_t *arr = json_object_get(node, "labels");
    if (!arr)
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) != 5)
        return report(c, p, "labels", "ожидается массив из пяти подписей: для 1, 2, 3, 4 и 5");
    form_path here = {p, "labels", -1};
    int rc = 0;
    for (size_t i = 0; i < 5; i++) {
        form_path at = {&here, NULL, (long)i};
        rc = ip_worst(
            rc, ip_text_node(c, json_array_get(arr, i), &at, INSTRUMENT_MAX_TEXT, &it->labels[i]));
    }
    it->has_labels = rc == 0;
    return rc;
}

static int parse_evidence(inst_ctx *c, const json_t *node, const form_path *p, inst_item *it)
{
    long long max = 10;
    int rc = ip_int(c, node, p, "max_files", 0, 1, 50, "от 1 до 50", &max, NULL);
    it->max_files = (size_t)max;
    it->accept = EVIDENCE_PHOTO | EVIDENCE_VIDEO;
    if (!json_object_get(node, "accept"))
        return rc;
    static const char *const kinds[] = {"photo", "video", NULL};
    const char *const *words;
    size_t n;
    int r = ip_words(c, node, p, "accept", kinds, &words, &n);
    if (r == 0) {
        it->accept = 0;
        for (size_t i = 0; i < n; i++)
            it->accept |= words[i] == kinds[0] ? EVIDENCE_PHOTO : EVIDENCE_VIDEO;
    }
    return ip_worst(rc, r);
}

/* The rule an item type needs, or RULE_NONE when it fits every rule. */
static int type_allowed(const inst_ctx *c, item_type t)
{
    if (!c->rule_known)
        return 1;
    if (t == ITEM_CHECK)
        return c->rule == RULE_CUMULATIVE;
    if (t == ITEM_ECERS)
        return c->rule == RULE_ECERS;
    return 1;
}

static int parse_type_fields(inst_ctx *c, const json_t *node, const form_path *p, inst_item *it)
{
    long long v = 0;
    int rc;
    switch (it->type) {
    case ITEM_CHECK:
        rc = ip_int(c, node, p, "level", 1, 2, 5, "уровень пункта check: от 2 до 5", &v, NULL);
        it->level = (int)v;
        return rc;
    case ITEM_ECERS:
        rc = ip_int(c, node, p, "column", 1, 1, 7, "столбец пункта ecers: 1, 3, 5 или 7", &v, NULL);
        if (rc == 0 && v % 2 == 0)
            rc = report(c, p, "column", "столбец пункта ecers: 1, 3, 5 или 7");
        it->column = (int)v;
        return rc;
    case ITEM_SINGLE:
        return parse_options(c, node, p, it);
    case ITEM_MULTI:
        rc = parse_options(c, node, p, it);
        return rc != 0 ? rc : parse_choices(c, node, p, it);
    case ITEM_LIKERT5:
        return parse_labels(c, node, p, it);
    case ITEM_NUMBER:
        return parse_number(c, node, p, it);
    case ITEM_TEXT:
    case ITEM_LONGTEXT: {
        long long dflt = it->type == ITEM_TEXT ? 500 : 5000;
        long long top = it->type == ITEM_TEXT ? 2000 : 20000;
        v = dflt;
        rc = ip_int(c, node, p, "max_length", 0, 1, top,
                    it->type == ITEM_TEXT ? "от 1 до 2000" : "от 1 до 20000", &v, NULL);
        it->max_length = (size_t)v;
        return rc;
    }
    case ITEM_EVIDENCE:
        return parse_evidence(c, node, p, it);
    default:
        return 0;
    }
}

/* The item's type, reported when missing, unknown or not allowed by the rule; *known tells
 * whether it->type was set. Returns 0, 1 or -1. */
static int parse_type(inst_ctx *c, const json_t *node, const form_path *p, inst_item *it,
                      int *known)
{
    *known = 0;
    const json_t *t = json_object_get(node, "type");
    if (!t)
        return report(c, p, "type", "обязательное поле");
    int type = json_is_string(t) ? instrument_item_type_parse(json_string_value(t)) : -1;
    if (type < 0)
        return report(c, p, "type",
                      "неизвестный тип: ожидается check, ecers, yes_no, yes_no_unsure, single, "
                      "multi, likert5, number, text, longtext, date или evidence");
    it->type = (item_type)type;
    *known = 1;
    if (!type_allowed(c, it->type))
        return report(c, p, "type",
                      it->type == ITEM_CHECK
                          ? "пункты check допустимы только при правиле cumulative"
                          : "пункты ecers допустимы только при правиле ecers");
    return 0;
}

/* required and na_allowed: check and ecers items are always required; "na" is no answer
 * to a text or an evidence slot. */
static int parse_flags(inst_ctx *c, const json_t *node, const form_path *p, inst_item *it)
{
    int scale = it->type == ITEM_CHECK || it->type == ITEM_ECERS;
    int given = 0;
    it->required = scale;
    int rc = ip_bool(c, node, p, "required", &it->required, &given);
    if (rc == 0 && scale && given && !it->required)
        rc = report(c, p, "required",
                    "пункты check и ecers всегда обязательны; чтобы пункт можно было "
                    "пропустить, разрешите ответ «не применимо» (na_allowed)");
    int r = ip_bool(c, node, p, "na_allowed", &it->na_allowed, &given);
    if (r == 0 && given && it->na_allowed &&
        (it->type == ITEM_TEXT || it->type == ITEM_LONGTEXT || it->type == ITEM_EVIDENCE))
        r = report(c, p, "na_allowed",
                   "ответ «не применимо» не предусмотрен для текста и доказательств: "
                   "сделайте пункт необязательным");
    return ip_worst(rc, r);
}

int ip_item(inst_ctx *c, const json_t *node, const form_path *p, inst_item *it)
{
    if (!json_is_object(node))
        return report(c, p, NULL, "ожидается объект пункта");
    int rc = ip_code(c, node, p, "code", &it->code);
    int known;
    rc = ip_worst(rc, parse_type(c, node, p, it, &known));
    rc = ip_worst(rc, ip_text(c, node, p, "text", 1, INSTRUMENT_MAX_TEXT, &it->text));
    rc = ip_worst(rc, ip_text(c, node, p, "help", 0, INSTRUMENT_MAX_HELP, &it->help));
    if (!known) /* the other fields depend on the type */
        return rc;
    rc = ip_worst(rc, known_keys(c, node, p, it->type));
    rc = ip_worst(rc, parse_flags(c, node, p, it));
    return ip_worst(rc, parse_type_fields(c, node, p, it));
}
