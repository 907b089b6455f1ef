#include "forms/answers.h"
#include "forms/answers_value.h"

#include <string.h>

static int is_na(const json_t *v)
{
    return json_is_string(v) && strcmp(json_string_value(v), "na") == 0;
}

/* Items where "na" is an ordinary value (a text) or never an answer (files). */
static int na_is_value(const inst_item *it)
{
    return it->type == ITEM_TEXT || it->type == ITEM_LONGTEXT || it->type == ITEM_EVIDENCE;
}

/* Checks one item's value (v may be NULL: absent). Returns 0, 1 (error added) or -1. */
static int check_item(arena *a, const inst_item *it, const json_t *v, answers_mode mode,
                      answer *out, form_errors *errs)
{
    memset(out, 0, sizeof *out);
    char msg[ANSWER_MSG_MAX];
    int rc = 0;
    if (v && !json_is_null(v)) {
        if (is_na(v) && !na_is_value(it)) {
            out->state = ANSWER_NA;
            if (mode == ANSWERS_SUBMIT && !it->na_allowed) {
                out->state = ANSWER_NONE;
                rc = 1;
                strcpy(msg, "ответ «не применимо» для этого пункта не предусмотрен");
            }
        } else {
            rc = answer_read(a, it, v, mode, out, msg);
        }
    }
    if (rc == 0 && mode == ANSWERS_SUBMIT && it->required && out->state == ANSWER_NONE) {
        rc = 1;
        strcpy(msg, "нужен ответ: пункт обязательный");
    }
    if (rc <= 0)
        return rc;
    return form_errors_add(errs, it->code, "%s", msg) < 0 ? -1 : 1;
}

int answers_check(arena *a, const instrument *ins, const json_t *answers, answers_mode mode,
                  answer_set *set, form_errors *errs)
{
    answer *items = arena_alloc(a, (ins->n_items + 1) * sizeof *items);
    if (!items)
        return -1;
    if (set) {
        set->ins = ins;
        set->items = items;
    }
    if (!json_is_object(answers)) {
        int r = form_errors_add(errs, "$", "ожидается объект {\"код пункта\": ответ, …}");
        return r < 0 ? -1 : 1;
    }
    int rc = 0;
    for (size_t i = 0; i < ins->n_items; i++) {
        const inst_item *it = &ins->items[i];
        int r = check_item(a, it, json_object_get(answers, it->code), mode, &items[i], errs);
        if (r < 0)
            return -1;
        rc |= r;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)answers, key, v)
    {
        if (instrument_item(ins, key))
            continue;
        if (form_errors_add(errs, key, "нет такого пункта в этой версии инструмента") < 0)
            return -1;
        rc = 1;
    }
    return rc;
}

const answer *answers_get(const answer_set *set, const char *code)
{
    const inst_item *it = instrument_item(set->ins, code);
    return it ? &set->items[it - set->ins->items] : NULL;
}

int answers_is_answered(const answer *ans)
{
    return ans->state != ANSWER_NONE;
}

void answers_count(const answer_set *set, answers_progress *out)
{
    out->answered = out->required = out->required_answered = 0;
    for (size_t i = 0; i < set->ins->n_items; i++) {
        int done = answers_is_answered(&set->items[i]);
        out->answered += done;
        if (set->ins->items[i].required) {
            out->required++;
            out->required_answered += done;
        }
    }
}
