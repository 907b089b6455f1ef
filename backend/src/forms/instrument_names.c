/* Wire names of scoring rules and item types. */
#include "forms/instrument.h"

#include <string.h>

static const char *const RULES[] = {"none", "cumulative", "ecers", "share_positive", "mean"};

static const char *const TYPES[ITEM_TYPE_COUNT] = {"check",  "ecers",    "yes_no",  "yes_no_unsure",
                                                   "single", "multi",    "likert5", "number",
                                                   "text",   "longtext", "date",    "evidence"};

const char *instrument_rule_name(scoring_rule r)
{
    return (size_t)r < sizeof RULES / sizeof RULES[0] ? RULES[r] : "none";
}

int instrument_rule_parse(const char *name)
{
    for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++) {
        if (strcmp(RULES[i], name) == 0)
            return (int)i;
    }
    return -1;
}

const char *instrument_item_type_name(item_type t)
{
    return (size_t)t < ITEM_TYPE_COUNT ? TYPES[t] : "text";
}

int instrument_item_type_parse(const char *name)
{
    for (size_t i = 0; i < ITEM_TYPE_COUNT; i++) {
        if (strcmp(TYPES[i], name) == 0)
            return (int)i;
    }
    return -1;
}
