/* What each scoring rule needs of an instrument's items. */
#include "forms/instrument_parse.h"

#include <stdio.h>
#include <string.h>

int instrument_item_scored(scoring_rule rule, const inst_item *it)
{
    switch (rule) {
    case RULE_CUMULATIVE:
        return it->type == ITEM_CHECK;
    case RULE_ECERS:
        return it->type == ITEM_ECERS;
    case RULE_SHARE_POSITIVE:
        return it->type == ITEM_LIKERT5 || it->type == ITEM_YES_NO ||
               it->type == ITEM_YES_NO_UNSURE;
    case RULE_MEAN:
        if (it->type == ITEM_LIKERT5)
            return 1;
        if (it->type != ITEM_SINGLE)
            return 0;
        for (size_t i = 0; i < it->n_options; i++) {
            if (it->options[i].has_score)
                return 1;
        }
        return 0;
    default:
        return 0;
    }
}

/* Reports at p.items the levels (or columns) in want[] that no item has. */
static int missing(inst_ctx *c, const form_path *p, const int *want, const size_t *have, size_t n,
                   const char *what)
{
    char list[64] = "";
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (!have[i])
            len +=
                (size_t)snprintf(list + len, sizeof list - len, "%s%d", len ? ", " : "", want[i]);
    }
    if (!len)
        return 0;
    int rc;
    if (c->rule == RULE_CUMULATIVE)
        rc = form_errors_at(c->errs, p, "items",
                            "нет пунктов check %s %s: при правиле cumulative у каждого "
                            "показателя есть пункты уровней 2, 3, 4 и 5",
                            what, list);
    else
        rc = form_errors_at(c->errs, p, "items",
                            "нет пунктов ecers %s %s: при правиле ecers у каждого показателя "
                            "есть пункты столбцов 3, 5 и 7",
                            what, list);
    return rc < 0 ? -1 : 1;
}

int ip_rule_indicator(inst_ctx *c, const instrument *ins, const inst_indicator *ind,
                      const form_path *p)
{
    if (!c->rule_known)
        return 0;
    static const int levels[] = {2, 3, 4, 5};
    static const int columns[] = {3, 5, 7};
    size_t have[4] = {0};
    const inst_item *items = ins->items + ind->first_item;
    if (c->rule == RULE_CUMULATIVE) {
        for (size_t i = 0; i < ind->n_items; i++) {
            if (items[i].type == ITEM_CHECK && items[i].level >= 2 && items[i].level <= 5)
                have[items[i].level - 2]++;
        }
        return missing(c, p, levels, have, 4, "уровней");
    }
    if (c->rule == RULE_ECERS) {
        for (size_t i = 0; i < ind->n_items; i++) {
            if (items[i].type == ITEM_ECERS && items[i].column >= 3 && items[i].column <= 7)
                have[(items[i].column - 3) / 2]++;
        }
        return missing(c, p, columns, have, 3, "столбцов");
    }
    return 0;
}

int ip_rule_instrument(inst_ctx *c, const instrument *ins)
{
    if (ins->scoring != RULE_SHARE_POSITIVE && ins->scoring != RULE_MEAN)
        return 0;
    for (size_t i = 0; i < ins->n_items; i++) {
        if (instrument_item_scored(ins->scoring, &ins->items[i]))
            return 0;
    }
    int rc = form_errors_at(
        c->errs, NULL, "sections", "%s",
        ins->scoring == RULE_SHARE_POSITIVE
            ? "при правиле share_positive нужен хотя бы один пункт likert5, yes_no или "
              "yes_no_unsure"
            : "при правиле mean нужен хотя бы один пункт likert5 или single с баллами вариантов");
    return rc < 0 ? -1 : 1;
}
